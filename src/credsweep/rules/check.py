"""``rules check``: every rule compiles, its examples match, its negatives do not, its secrets are still
found when written in other contexts (``CONTEXTS``), and its regex stays linear-time on inputs built to make
it backtrack (``rules.linear``).

Examples run through the same detection code as a scan (rule match, entropy floor, offline
validator and the precision filters), so a rule that only passes in isolation fails here. The module is pure:
the caller hands in that detection as a callback.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from credsweep.models import CHECKSUM_VALIDATORS, LABEL_REASONS, STRUCTURE_VALIDATORS
from credsweep.rules.loader import CONTEXT_NAMES, Rule, Ruleset, compile_errors, distinctive_prefix

MIN_EXAMPLES = 2


class Reported(Protocol):
    """What the check reads of a reported match (``models.ContentMatch`` has it)."""

    @property
    def rule(self) -> str: ...
    @property
    def reasons(self) -> tuple[str, ...]: ...
    @property
    def secret(self) -> str | None: ...


Detect = Callable[[str, str], Iterable[Reported]]
"""(content, path) -> every match reported in the content of a file at path (all rules, after judgement)."""


@dataclass(frozen=True)
class RulesCheck:
    """The outcome of ``check_ruleset``."""

    problems: tuple[str, ...]
    """One line per problem; empty when the ruleset is sound."""
    coverage: tuple[ContextResult, ...]
    """Each checked rule's outcome in every context, in ruleset order."""


def check_ruleset(ruleset: Ruleset, detect: Detect, linear: bool = True,
                  only: Callable[[Rule], bool] | None = None, split: bool = False) -> RulesCheck:
    """Check every rule (or those ``only`` selects: the files a user gave; the whole ruleset still loads, so
    ids and identifiers are checked against every rule) and every provider's playbook.

    With ``linear``, each rule's regex is also timed on adversarial inputs (``rules.linear``) in a forked
    child. With ``split``, a forked child checks the second half of the rules while this process checks the
    first (``detect`` must then keep nothing it learns: the child's memory is its own), and two children
    time half the regexes each."""
    problems: list[str] = []
    checked = [rule for rule in ruleset.rules if only is None or only(rule)]
    for provider_id in sorted({rule.provider for rule in ruleset.rules} - set(ruleset.providers)):
        problems.append(f"provider '{provider_id}' has rules but no playbook")
    for provider in ruleset.providers.values():
        if not provider.playbook.revoke or not provider.console_url.startswith("http"):
            problems.append(f"provider '{provider.id}': playbook needs revoke steps and a console URL")
        # every finding's advice lists these beside the console URL and the rule's https reference
        if [url for url in (provider.docs_url, *provider.playbook.urls) if url and not url.startswith("http")]:
            problems.append(f"provider '{provider.id}': its docs_url and playbook urls must be http(s) URLs")
    ids = {rule.id for rule in ruleset.rules}
    family = {(rule.provider, rule.kind): set[str]() for rule in ruleset.rules}
    for rule in ruleset.rules:
        family[(rule.provider, rule.kind)].add(rule.id)
    coverage = []
    pending = []
    if linear:
        from credsweep.rules.linear import LinearCheck

        # forked first: its child times the regexes on a second core while this process writes the contexts;
        # split, two children time half the rules each (the linear check is as long as the rest together)
        timed = [rule for rule in checked if compile_errors(rule) is None]
        half = (len(timed) + 1) // 2
        parts = [timed[:half], timed[half:]] if split and half >= 50 else [timed]
        pending = [LinearCheck(part).start() for part in parts]
    def check_rules(rules: list[Rule]) -> tuple[list[str], list[ContextResult]]:
        found: list[str] = []
        covered: list[ContextResult] = []
        for rule in rules:
            found.extend(check_rule(rule, detect))
            if rule.identifies and rule.identifies not in ids:
                found.append(f"{rule.id}: identifies unknown rule '{rule.identifies}'")
            if compile_errors(rule) is None:
                result = check_contexts(rule, detect, frozenset(family[(rule.provider, rule.kind)]))
                found.extend(result.problems)
                covered.append(result)
        return found, covered

    for found, covered in _in_halves(checked, check_rules) if split else [check_rules(checked)]:
        problems.extend(found)
        coverage.extend(covered)
    for part in pending:
        for rule_id, slow in part.result().items():
            problems.append(f"{rule_id}: not linear-time on adversarial input: {'; '.join(slow[:3])}")
    return RulesCheck(problems=tuple(problems), coverage=tuple(coverage))


def _in_halves(rules: list[Rule], check: Callable[[list[Rule]], tuple[list[str], list[ContextResult]]],
               ) -> list[tuple[list[str], list[ContextResult]]]:
    """``check`` of the first half of ``rules`` here and of the second in a forked child, in rule order; the
    second half here too where ``fork`` does not exist or the child ends without an answer."""
    import multiprocessing

    half = (len(rules) + 1) // 2
    if "fork" not in multiprocessing.get_all_start_methods() or half < 50:
        return [check(rules)]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_check, args=(check, rules[half:], sender), daemon=True)
    child.start()
    sender.close()
    first = check(rules[:half])
    try:
        second = receiver.recv()
    except (EOFError, OSError):
        second = check(rules[half:])
    child.join()
    return [first, second]


def _send_check(check: Callable[[list[Rule]], tuple[list[str], list[ContextResult]]], rules: list[Rule],
                sender: Any) -> None:
    sender.send(check(rules))
    sender.close()


def _of(rule: Rule, matches: Iterable[Reported]) -> list[Reported]:
    """The matches ``rule`` reports: its own, and for an identifier rule the secrets it names (an identifier
    beside its secret is reported inside the secret's finding, not as one of its own)."""
    return [match for match in matches if match.rule == rule.id
            or (rule.identifies and getattr(match, "identifier", None)
                and match.rule.startswith(rule.identifies))]


def check_rule(rule: Rule, detect: Detect) -> list[str]:
    where = f"{rule.id} ({rule.source.name})"
    error = compile_errors(rule)
    if error:
        return [f"{where}: {error}"]
    problems = []
    if len(rule.examples) < MIN_EXAMPLES or len(rule.negative_examples) < MIN_EXAMPLES:
        problems.append(f"{where}: needs at least {MIN_EXAMPLES} examples and negative examples")
    if not rule.reference.startswith("https://"):
        problems.append(f"{where}: reference must be an https URL")
    for number, text in enumerate(rule.examples, 1):
        path, example = rule.split_example(text)
        if rule.paths and not path:
            problems.append(f"{where}: example {number} needs a path (path::content) matching the rule's paths")
        if not reported(_of(rule, detect(example, path))):
            problems.append(f"{where}: example {number} is not detected")
        if rule.paths and reported(_of(rule, detect(example, "unrelated/notes.txt"))):
            problems.append(f"{where}: example {number} is detected outside the rule's paths")
        for match in rule.regex.finditer(example.encode()):
            lowered = match.group(0).decode("utf-8", "replace").lower()
            if not any(keyword in lowered for keyword in rule.keywords):
                problems.append(f"{where}: example {number} matches without any keyword (prefilter would miss it)")
            if rule.prefilter is not None and not prefilter_covers(rule, example.encode(), match.start(), match.end()):
                problems.append(f"{where}: example {number} matches where its prefilter does not")
    for number, text in enumerate(rule.negative_examples, 1):
        path, negative = rule.split_example(text)
        if reported(_of(rule, detect(negative, path))):
            problems.append(f"{where}: negative example {number} is detected")
    return problems


def reported(matches: Iterable[Reported]) -> bool:
    """Some match is reported as the rule reports it: a match whose confidence something lowered
    (it carries ``reasons``, e.g. a ``checksum-mismatch``, and is at low confidence) is hidden by
    default, so it neither satisfies an example nor breaks a negative example. Reasons that only label
    a match (``corroborated-by-identifier``) leave it reported."""
    return any(not getattr(match, "reasons", ()) or getattr(match, "confidence", "low") != "low" for match in matches)


def prefilter_covers(rule: Rule, data: bytes, start: int, end: int) -> bool:
    """True when the rule's prefilter matches within the pattern's match ``data[start:end]``
    (line-scoped rules are confirmed on the line where the prefilter match ends, so that is where
    it must end; content rules only need it to match)."""
    prefilter = re.compile((rule.prefilter or "").encode("utf-8"))
    # the pattern's own context before the match (a line start, a word boundary) may be needed
    return any(found.end() > start or found.end() == end for found in prefilter.finditer(data, max(0, start - 1), end))


# --- contexts ------------------------------------------------------------------------------------------
# A rule's examples are written one way (mostly `NAME=value`); real leaks are written in many. Each secret
# of an example is also written in the contexts below and must still be reported by its rule, so a rule that
# only fires beside one key spelling, or only unquoted, is visible before it misses a leak.


_CREDENTIAL_NOUNS = frozenset({"key", "token", "secret", "password", "url", "string", "id", "pat", "passphrase",
                               "credential", "credentials", "passcode", "dsn", "uri", "apikey", "secretkey",
                               "accesskey", "identifier"})
_NOUN_QUALIFIERS = frozenset({
    "api", "access", "secret", "client", "auth", "authentication", "refresh", "bot", "private", "app",
    "application", "account", "service", "user", "project", "deploy", "session", "oauth", "personal", "server",
    "signing", "shared", "webhook", "connection", "master", "admin", "management", "integration", "consumer",
    "developer", "workspace", "license", "hmac", "bearer", "job", "ingest", "encryption", "sdk", "live",
    "publishable", "restricted", "root", "organization", "org", "team", "write", "read",
})
_CONNECTORS = frozenset({"or", "with", "in", "for", "of", "and", "near", "before", "after", "on", "from", "via",
                         "as", "inside", "beside", "to", "by", "at"})
_WORD = re.compile(r"[a-z0-9]+")
_BOUNDARY = frozenset(" \t\r\n\"'`<>()[]{}")
_ASSIGNED = re.compile(r"^([A-Za-z_][A-Za-z0-9_.\-]*)(=|:(?!//))(.+)$", re.S)
_KEY_BEFORE = re.compile(
    r"(?:^|(?<=[\s\"'{,(]))([A-Za-z_][A-Za-z0-9_.\-]{0,80})['\"\]]?[ \t]{0,3}(?:=|:=|=>|:)[ \t]{0,3}[bru]?['\"]?\Z")
_HEADER_BEFORE = re.compile(
    r"([A-Za-z][A-Za-z0-9\-]{1,60})['\"]?[ \t]{0,3}[:=,][ \t]{0,3}['\"]?((?:[A-Za-z][A-Za-z0-9_\-]{0,20}[ \t]{1,3})?)\Z")
_CLOSING = re.compile(r"[\"'`]?[ \t]{0,3}[,;]?")
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,20}://")


@dataclass(frozen=True)
class Sample:
    """One secret of one of a rule's examples, and how a user would write it elsewhere."""

    example: int
    """1-based number of the example it comes from."""
    secret: str
    """The capture of the rule's pattern in the example."""
    value: str | None
    """What a user assigns to a key: the secret itself, or the URL or connection string holding it when the
    rule needs those around it; None when only surroundings no key gives identify it (code, a file's shape,
    a second value beside it)."""
    keys: tuple[str, ...]
    """Key names to assign the value to, any of which the rule must accept: built from the provider (a rule
    keyed by its provider's name), or the example's own key when that key is the format (``APP_KEY``)."""
    own_key: bool
    """``keys`` is the example's own key, spelt as the format spells it in every context."""
    needs_key: bool
    """The rule recognises the value only after a key (a keyword-context rule): never bare."""
    url: str | None
    """The URL holding the secret, when the example writes it in one."""
    header: tuple[str, str] | None
    """(name, value) of the HTTP header holding the secret, when the example writes it in one."""


def _name_words(rule: Rule) -> list[str]:
    """The rule's name up to its credential noun (``refresh or access token``: the last alternative)."""
    words: list[str] = []
    for word in _WORD.findall(re.sub(r"\([^)]*\)", " ", rule.name.lower())):
        if word == "or" and words and words[-1] not in _CREDENTIAL_NOUNS:
            words.pop()
        elif word in _CONNECTORS and words:
            break
        else:
            words.append(word)
    nouns = [i for i, word in enumerate(words) if word in _CREDENTIAL_NOUNS]
    return words[: nouns[-1] + 1] if nouns else [*words, "api", "key"]


def key_names(rule: Rule) -> tuple[str, ...]:
    """Keys a user would store this rule's secret under, built from the provider: the rule's name up to its
    credential noun (``Stripe live secret key`` -> ``STRIPE_LIVE_SECRET_KEY``, ``LINE Notify access token``
    -> ``LINE_NOTIFY_ACCESS_TOKEN``), and the provider's id before that noun (``WANDB_API_KEY``, ``RAPIDAPI_KEY``)."""
    words = _name_words(rule)
    provider = rule.provider.split("-")
    named = words if set(provider) & set(words) else [*provider, *words]
    start = len(words) - 1
    while start > 0 and len(words) - start < 3 and words[start - 1] in _NOUN_QUALIFIERS:
        start -= 1
    noun = words[start:] if words[start:] != ["key"] else ["api", "key"]
    keys = ["_".join(named[-6:]).upper(), "_".join([*provider, *noun]).upper(), "_".join([*provider, words[-1]]).upper()]
    return tuple(dict.fromkeys(keys))


def _names_provider(rule: Rule) -> bool:
    """Does some keyword of the rule name its provider (``wandb``, ``spring.``), rather than a key the
    format fixes whoever issued it (``app_key``, ``nextauth_secret``)?"""
    names = {rule.provider.replace("-", ""), *(part for part in rule.provider.split("-") if len(part) >= 3)}
    return any(re.sub(r"[^a-z0-9]", "", keyword) in names for keyword in rule.keywords)


def samples(rule: Rule) -> list[Sample]:
    """The secrets of ``rule``'s examples (credential-file rules have none: their file is their context)."""
    if rule.paths or compile_errors(rule):
        return []
    found: list[Sample] = []
    seen: set[str] = set()
    for number, example in enumerate(rule.examples, 1):
        data = example.encode()
        for match in rule.regex.finditer(data):
            raw = match.group(rule.secret_group)
            secret = (raw or b"").decode("utf-8", "replace")
            if not secret or secret in seen:
                continue
            seen.add(secret)
            found.append(_sample(rule, number, data, match))
    return found


def _portable(rule: Rule, value: str, secret: str) -> bool:
    """Does the rule find this secret in ``value`` alone?"""
    return any((m.group(rule.secret_group) or b"").decode("utf-8", "replace") == secret
               for m in rule.regex.finditer(value.encode()))


def _value_run(data: bytes, start: int, end: int, secret: str) -> tuple[str, int]:
    """The value holding the secret as the example writes it: the quoted string around it, else the unquoted
    word around it without a leading ``NAME=`` (an environment variable or property holding it; a connection
    string's first ``Key=`` and a host's ``:port`` stay)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = len(data) if (found := data.find(b"\n", end)) < 0 else found
    for quote in b"\"'":
        left, right = data.rfind(bytes([quote]), line_start, start), data.find(bytes([quote]), end, line_end)
        if left >= 0 and right >= 0 and data.count(bytes([quote]), left + 1, start) == 0:
            return data[left + 1:right].decode("utf-8", "replace"), left + 1
    left, right = start, end
    while left > 0 and chr(data[left - 1]) not in _BOUNDARY:
        left -= 1
    while right < len(data) and chr(data[right]) not in _BOUNDARY:
        right += 1
    run = data[left:right].decode("utf-8", "replace")
    at = left
    assigned = _ASSIGNED.match(run)
    if assigned and secret in assigned.group(3):
        name, operator, rest = assigned.groups()
        env_like = name.isupper() or "_" in name
        if operator == "=":
            plain_url = _URL_START.match(rest) is not None and ";" not in rest
            if env_like or "." in name or plain_url or "=" not in rest.rstrip("="):
                run, at = rest, at + len(name) + 1
        elif env_like and not rest[:1].isdigit():
            run, at = rest, at + len(name) + 1
    return run, at


def _sample(rule: Rule, number: int, data: bytes, match: re.Match[bytes]) -> Sample:
    start, end = match.span(rule.secret_group)
    secret = data[start:end].decode("utf-8", "replace")
    before = data[:start].decode("utf-8", "replace")
    rest_of_line = _closing(data, end)
    head = _HEADER_BEFORE.search(before)
    header = None
    if head and _header_name(head.group(1)) and _portable(rule, before[head.start():] + secret + rest_of_line, secret):
        header = (head.group(1), head.group(2) + secret)  # the header line alone is enough for the rule
    run, run_at = _value_run(data, start, end, secret)
    found = _URL_START.search(run)
    url = run[found.start():] if found and found.start() <= run.find(secret) and " " not in run else None
    if url and ";" in url:
        url = None  # a connection string (Endpoint=https://...;AccessKey=...), not a URL
    value: str | None = None
    if _portable(rule, secret, secret):
        value = secret
    elif url and _portable(rule, url, secret):
        value = url
    elif header is None and run != secret and not run.startswith("-") and _portable(rule, run, secret):
        value = run  # a connection string, a conninfo
    keys = key_names(rule)
    needs_key = own = False
    # a keyword-context rule: the value after its key, alone on its line, is enough for the rule (a rule that
    # needs more around it, a second value, a command or a file's shape, is written only as its examples are)
    if value is None and header is None:
        for written, at in ((run, run_at), (secret, start)):
            own_key = _KEY_BEFORE.search(data[:at].decode("utf-8", "replace"))
            assignment = data[own_key.start():at].decode("utf-8", "replace") if own_key else ""
            if own_key and _portable(rule, assignment + written + _closing(data, at + len(written.encode())), secret):
                value, needs_key = written, True
                if not _names_provider(rule):
                    keys, own = (own_key.group(1),), True
                break
    return Sample(example=number, secret=secret, value=value, keys=keys, own_key=own, needs_key=needs_key, url=url,
                  header=header)


def _closing(data: bytes, end: int) -> str:
    """What closes a value at ``end``: a quote or a separator, never a second value."""
    closing = _CLOSING.match(data[end:end + 8].decode("utf-8", "replace"))
    return closing.group(0) if closing else ""


def _header_name(name: str) -> bool:
    """An HTTP header's name (Authorization, X-Api-Key, PRIVATE-TOKEN), not a variable or key."""
    lower = name.lower()
    if lower in ("authorization", "proxy-authorization"):
        return True
    return "-" in lower and (lower.startswith("x-") or any(w in lower for w in ("token", "key", "auth", "secret")))


def distinctive(rule: Rule, sample: Sample) -> bool:
    """Is the value recognisable with nothing around it: a literal prefix keyword starts it (``ghp_``,
    ``https://hooks.slack.com``), or the rule verifies a checksum or the provider's structure?"""
    if sample.value is None or sample.needs_key:
        return False
    if rule.validator in CHECKSUM_VALIDATORS or rule.validator in STRUCTURE_VALIDATORS:
        return True
    value = sample.value.lower()
    if sample.value == sample.url:
        return any(len(k) >= 6 and k in value and "://" not in k for k in rule.keywords)
    return any(distinctive_prefix(k) and value.startswith(k) for k in rule.keywords)


def _yaml_scalar(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_][^\s#'\"]*", value) and ": " not in value and not value.endswith(":"):
        return value
    return json.dumps(value)


def _bare(rule: Rule, sample: Sample, key: str) -> str | None:
    return f"handover notes\n{sample.value}\n" if sample.value is not None and distinctive(rule, sample) else None


def _env(rule: Rule, sample: Sample, key: str) -> str | None:
    if sample.value is None or "\n" in sample.value:
        return None
    return f"# payments service\nLOG_LEVEL=info\n{key}={sample.value}\n"


def _json(rule: Rule, sample: Sample, key: str) -> str | None:
    if sample.value is None or json.dumps(sample.value)[1:-1] != sample.value:
        return None  # JSON would escape it: the file holds another string
    return f'{{\n  "service": "payments",\n  "{_spelt(sample, key)}": "{sample.value}"\n}}\n'


def _yaml(rule: Rule, sample: Sample, key: str) -> str | None:
    if sample.value is None:
        return None
    if "\n" in sample.value:
        body = "\n".join(f"  {line}" for line in sample.value.splitlines())
        return f"service: payments\n{_spelt(sample, key)}: |\n{body}\n"
    return f"service: payments\n{_spelt(sample, key)}: {_yaml_scalar(sample.value)}\n"


def _python(rule: Rule, sample: Sample, key: str) -> str | None:
    value = sample.value
    if value is None or "\\" in value:
        return None
    quote = '"""' if "\n" in value else "'" if '"' in value else '"'
    if quote in value or (quote == '"""' and '"' in value):
        return None
    return f"import os\n\nSERVICE = 'payments'\n{_spelt(sample, key)} = {quote}{value}{quote}\n"


def _url(rule: Rule, sample: Sample, key: str) -> str | None:
    if sample.url is None or "'" in sample.url or not _portable(rule, sample.url, sample.secret):
        return None
    return ("#!/bin/sh\nset -eu\n"
            f"curl -fsS -X POST -H 'Content-Type: application/json' -d '{{\"text\": \"deployed\"}}' '{sample.url}'\n")


def _header(rule: Rule, sample: Sample, key: str) -> str | None:
    if sample.header is None or "'" in sample.header[1]:
        return None
    name, value = sample.header
    return f"#!/bin/sh\nset -eu\ncurl -fsS -H 'Accept: application/json' -H '{name}: {value}' https://api.acme-corp.io/v1/me\n"


def _spelt(sample: Sample, key: str) -> str:
    """A provider-built key as code and configuration spell it (``stripe_secret_key``); a format's own key as is."""
    return key if sample.own_key else key.lower()


@dataclass(frozen=True)
class Context:
    """One way of writing a value in a file."""

    name: str
    """Column name in the coverage matrix (one of ``rules.loader.CONTEXT_NAMES``)."""
    path: str
    """Path of the file the text is judged at (a realistic place for it, not a test or docs path)."""
    build: Callable[[Rule, Sample, str], str | None]
    """The file's text holding the sample under a key, or None when the context does not apply to it."""
    keyed: bool
    """The text names a key (each of the sample's keys is tried until one is detected)."""


CONTEXTS = (
    Context("bare", "deploy/keys.txt", _bare, keyed=False),
    Context("env", ".env", _env, keyed=True),
    Context("json", "config/settings.json", _json, keyed=True),
    Context("yaml", "config/settings.yaml", _yaml, keyed=True),
    Context("python", "app/settings.py", _python, keyed=True),
    Context("url", "scripts/notify.sh", _url, keyed=False),
    Context("header", "scripts/call.sh", _header, keyed=False),
)
"""Every context a rule's secrets are written in, in matrix order; a rule applies to a context when one of
its samples can be written in it (bare: only distinctive values; url and header: only where its own examples
are one) and its ``contexts`` (when given) name it."""

PASS, FAIL, SKIP = "pass", "FAIL", "-"


@dataclass(frozen=True)
class ContextResult:
    """How one rule fares in the contexts."""

    rule: str
    """Rule id."""
    outcomes: dict[str, str]
    """Context name -> pass, FAIL or - (none of the rule's samples applies to it)."""
    problems: tuple[str, ...]
    """One line per sample not detected in a context that applies to it."""


def check_contexts(rule: Rule, detect: Detect, family: frozenset[str] = frozenset()) -> ContextResult:
    """Write each of ``rule``'s secrets in every context that applies to it; each must be reported by it or by
    a rule of its ``family`` (the ids of its provider's rules of its kind: ``generic.password`` in code,
    ``generic.password-config`` in a configuration file; one credential, one playbook, one finding)."""
    where = f"{rule.id} ({rule.source.name})"
    outcomes = {context.name: SKIP for context in CONTEXTS}
    problems: list[str] = []
    for sample in samples(rule):
        for context in CONTEXTS:
            if rule.contexts is not None and context.name not in rule.contexts:
                continue
            texts = [text for key in (sample.keys if context.keyed else ("",))
                     if (text := context.build(rule, sample, key)) is not None]
            if not texts:
                continue
            if any(detected(detect(text, context.path), family | {rule.id}, sample.secret) for text in texts):
                outcomes[context.name] = FAIL if outcomes[context.name] == FAIL else PASS
                continue
            outcomes[context.name] = FAIL
            shown = texts[0].replace(sample.value or sample.secret, "<value>").replace(sample.secret, "<secret>")
            problems.append(f"{where}: example {sample.example} is not detected in the {context.name} context: "
                            f"{' '.join(shown.split())[:160]}")
    return ContextResult(rule=rule.id, outcomes=outcomes, problems=tuple(problems))


def detected(matches: Iterable[Reported], rules: frozenset[str], secret: str) -> bool:
    """One of ``rules`` reports this secret as the rule reports it, nothing lowering it (labels such as
    ``identifier-alone`` describe, never lower); a multi-line secret may be indented differently (a key in
    a YAML block)."""
    wanted = "".join(secret.split())
    return any(match.rule in rules and LABEL_REASONS.issuperset(match.reasons)
               and "".join((match.secret or "").split()) == wanted
               for match in matches)


# --- engines -------------------------------------------------------------------------------------------
# Hyperscan only selects candidate rules and the keyword engine selects them from keywords: the findings must
# be the same (``content.engine``). A pattern Hyperscan matches differently (a prefilter that misses, a
# Hyperscan bug) silently loses its secrets on the default engine only, so ``rules check --engines`` runs both
# on every text the check writes and on the texts below.

PREAMBLES = ("# settings for the payments service, see the runbook\n", " " * 30, "import os\n\n# the service's settings\n")
"""Text written before an example: Hyperscan 5.4 missed some patterns only past the content's first bytes
(a case-insensitive key name whose last word follows an optional separator; ``\\b`` after an earlier line)."""
MIXED_DOCUMENTS = 50
"""Documents of six examples and negatives glued with noise lines (content where many rules match)."""


def engine_texts(rules: Sequence[Rule]) -> list[tuple[str, str]]:
    """(text, path) pairs on which the matching engines must also agree, beyond the examples, negatives and
    contexts the check writes: each example after each of ``PREAMBLES``, and ``MIXED_DOCUMENTS`` documents
    (drawn with a fixed seed, so a failure is reproducible)."""
    texts = [(preamble + example, path) for rule in rules for text in rule.examples
             for path, example in (rule.split_example(text),) for preamble in PREAMBLES]
    pool = [rule.split_example(text)[1] for rule in rules for text in (*rule.examples, *rule.negative_examples)]
    rng = random.Random(7)
    if len(pool) >= 6:
        texts += [("\n# noise line\n".join(rng.sample(pool, 6)), "") for _ in range(MIXED_DOCUMENTS)]
    return texts


def differing_rules(first: Sequence[Reported], second: Sequence[Reported]) -> list[str]:
    """The ids of the rules whose matches differ between two engines' results on one text (each match
    compared whole: span, lines, confidence, reasons, and its secret), sorted; empty when the results are
    the same, in the same order. Only ids: a problem line never holds a secret."""
    ones, others = [_whole(match) for match in first], [_whole(match) for match in second]
    if ones == others:
        return []
    changed = {match.rule for match, key in zip((*first, *second), (*ones, *others), strict=True)
               if (key in ones) != (key in others)}
    return sorted(changed) or sorted({match.rule for match in first})  # the same matches in another order


def _whole(match: Reported) -> tuple[str, str | None]:
    # a ContentMatch's repr and equality leave its secret out (it must never be printed): compare it apart
    return repr(match), match.secret


def coverage_table(coverage: Iterable[ContextResult]) -> list[str]:
    """The context matrix (one row per rule: pass, FAIL or -) and a summary line per context."""
    results = list(coverage)
    width = max([len(result.rule) for result in results] + [4])
    lines = [(f"{'rule':{width}}  " + " ".join(f"{name:6}" for name in CONTEXT_NAMES)).rstrip()]
    for result in results:
        cells = " ".join(f"{result.outcomes[name]:6}" for name in CONTEXT_NAMES)
        lines.append(f"{result.rule:{width}}  {cells}".rstrip())
    lines.append("")
    for name in CONTEXT_NAMES:
        counts = {outcome: sum(r.outcomes[name] == outcome for r in results) for outcome in (PASS, FAIL, SKIP)}
        lines.append(f"{name:7} {counts[PASS]:4} pass  {counts[FAIL]:3} FAIL  {counts[SKIP]:4} not applicable")
    lines.append(f"(-: {SKIP_MEANING})")
    return lines


SKIP_MEANING = ("not applicable: bare needs a literal prefix or a checksum; key contexts need a value the rule "
                "recognises after a key, not a command, code or a file's shape around it; url and header need "
                "examples holding one; a rule's `contexts` may name the few its format is written in")

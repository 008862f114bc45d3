"""Load and validate the ruleset TOML files (one file per provider).

The schema is documented in docs/rules.md. Loading is strict: a missing or mistyped key is a
``ConfigError`` naming the file and the key, so a broken ruleset never silently disables a rule.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from credsweep.errors import ConfigError
from credsweep.models import CONFIDENCES as CONFIDENCE_LEVELS
from credsweep.models import LEVELS
from credsweep.util import schema
from credsweep.util import toml as tomlread

SEVERITIES = tuple(reversed(LEVELS))
"""Rule severities, highest first (as messages list them)."""
CONFIDENCES = tuple(reversed(CONFIDENCE_LEVELS))
_PACKAGE = Path(__file__).resolve().parent.parent
# Installed wheels carry the rulesets inside the package; a source checkout has them at the top level.
BUILTIN_DIR = next(
    (p for p in (_PACKAGE / "rulesets", _PACKAGE.parent.parent / "rulesets") if p.is_dir()),
    _PACKAGE / "rulesets",
)


@dataclass(frozen=True)
class Playbook:
    """How to rotate a provider's credential, from the provider's own documentation."""

    summary: str
    """One sentence: what to do now."""
    revoke: tuple[str, ...]
    """Ordered steps to revoke the leaked credential and issue a replacement."""
    audit: tuple[str, ...] = ()
    """How to check whether someone else used the credential (audit logs)."""
    verify: tuple[str, ...] = ()
    """How to confirm the old credential no longer works."""
    commands: tuple[str, ...] = ()
    """CLI/API commands; placeholders like <KEY_ID> only, never the secret itself."""
    urls: tuple[str, ...] = ()
    """Further documentation URLs."""


@dataclass(frozen=True)
class Provider:
    """A credential issuer (or a generic credential family) and its rotation playbook."""

    id: str
    """Stable slug, also the ruleset file name."""
    name: str
    """Human name."""
    console_url: str
    """Where the owner revokes and re-issues the credential."""
    docs_url: str
    """The provider's documentation of its credentials."""
    playbook: Playbook
    """Rotation playbook."""


@dataclass(frozen=True)
class Rule:
    """One detection rule: a regex whose named group ``secret`` (or group 1) is the credential."""

    id: str
    """Stable dotted id, e.g. ``github.pat.classic``."""
    name: str
    """Human name of the credential type."""
    provider: str
    """Provider id."""
    pattern: str
    """Python regex; inline flags only; linear-time constructs."""
    keywords: tuple[str, ...]
    """Lower-case literals, one of which occurs in every match: the prefilter."""
    severity: str
    """critical, high, medium or low."""
    confidence: str
    """high, medium or low: how sure a match is a real credential."""
    reference: str
    """URL of the provider's documentation of this token format."""
    examples: tuple[str, ...]
    """Fake texts in the real format that must be reported."""
    negative_examples: tuple[str, ...]
    """Texts that must not be reported by this rule."""
    entropy: float | None = None
    """Minimum Shannon entropy (bits/char) of the captured secret."""
    validator: str | None = None
    """Name of an offline validator in ``credsweep.content.validators``."""
    kind: str = "token"
    """Credential family: token, private-key, password, connection-string, webhook, certificate."""
    identifies: str | None = None
    """Rule id of the secret this (non-secret) identifier belongs to, e.g. an AWS key id → its secret key.
    In the same content, the two are reported as one credential and the identifier fills ``placeholder``."""
    placeholder: str | None = None
    """Placeholder in playbook commands that this identifier's value may replace, e.g. <ACCESS_KEY_ID>."""
    lifetime: int | None = None
    """Seconds an issued token of this format lives at most (Google's OAuth access tokens: 3600): a copy first
    committed longer ago than that has expired, and its urgency says so (``enrich.advice.rate``). None: the
    format does not expire by itself."""
    scope: str = "content"
    """content: the pattern runs over the whole content; line: only over the lines (or, for very long
    lines, the windows) around keyword occurrences. For single-line patterns with a loose prefix."""
    prefilter: str | None = None
    """Hyperscan-only expression used instead of ``pattern`` to select candidates: a cheaper superset
    (it matches wherever ``pattern`` does; for line-scoped rules, on the same line). Confirmation and
    capture always use ``pattern``. For the few rules whose loose prefixes slow the one-pass scan."""
    paths: tuple[str, ...] = ()
    """gitignore-syntax patterns of the files this rule applies to; empty: every file. For formats that
    are a credential only in their own file (``config/master.key``, ``.pgpass``, ``.git-credentials``),
    whose lines elsewhere mean nothing. Examples of such rules are ``path::content``."""
    contexts: tuple[str, ...] | None = None
    """The contexts (``CONTEXT_NAMES``) ``rules check`` writes this rule's secrets in, when its format is
    written in only some of them (a code shape, a file format, a secret found only beside its id); None:
    every context that applies to its examples."""
    source: Path = field(default=Path(), compare=False)
    """File the rule was loaded from."""
    untrusted: bool = False
    """Loaded from a ruleset the scanned repository names: its pattern is compiled with a linear-time
    engine (``rules.linear.linear_regex``: RE2, else refused unless it passes the growth check), and it
    hands no value prefix to itself (``Ruleset.secret_prefixes``)."""

    def applies_to(self, path: str) -> bool:
        """Does this rule run on the file at ``path`` (repository-relative)?"""
        return not self.paths or (bool(path) and self._path_spec.match_file(path))

    @cached_property
    def _path_spec(self) -> Any:
        from credsweep.util.pathmatch import gitignore_spec

        return gitignore_spec(self.paths)

    def split_example(self, example: str) -> tuple[str, str]:
        """(path, content) of an example: ``path::content`` for rules with ``paths``, else ('', example)."""
        if not self.paths:
            return "", example
        path, sep, content = example.partition("::")
        return (path, content) if sep else ("", example)

    @cached_property
    def regex(self) -> re.Pattern[bytes]:
        """The pattern over bytes: ASCII semantics, the same as Hyperscan's, and no decoding cost. An
        ``untrusted`` rule's pattern is compiled by ``rules.linear.linear_regex`` (linear time)."""
        if self.untrusted:
            # RE2 here (no fork, no timing: the content stage reads this); a pattern RE2 cannot express
            # was checked and compiled by ``pipeline.build_pipeline`` (``rules.linear.linear_regex``)
            # before any content is matched, or is refused
            from credsweep.util.linearre import re2_compile

            linear: Any = re2_compile(self.pattern.encode("utf-8"))
            if linear is None:
                raise ConfigError(f"{self.source.name} rule {self.id!r}: its pattern needs RE2 (linear time) "
                                  "or the growth check of `credsweep rules check`")
            return linear  # type: ignore[no-any-return]
        return re.compile(self.pattern.encode("utf-8"))

    @cached_property
    def max_width(self) -> int | None:
        """Bytes of the pattern's longest possible match, or None when unbounded (or past 64 KiB)."""
        try:
            from re import _parser as sre_parse  # type: ignore[attr-defined,unused-ignore]
        except ImportError:  # Python 3.10
            import sre_parse  # type: ignore[no-redef,unused-ignore]
        try:
            width = sre_parse.parse(self.pattern.encode("utf-8")).getwidth()[1]
        except Exception:
            return None
        return width if width <= 1 << 16 else None

    @cached_property
    def line_width(self) -> int | None:
        """For a pattern that matches one whole line (``(?m)^`` ... ``$``): the longest line it can match,
        so longer lines need no confirming (a minified bundle is one line of megabytes). Else None."""
        whole_line = self.pattern.startswith("(?m)^") and self.pattern.endswith("$") and "(?s" not in self.pattern
        return self.max_width if whole_line else None

    @property
    def secret_group(self) -> int:
        """The number of the group holding the secret: ``secret`` when named, else the first."""
        return self.regex.groupindex.get("secret", 1)

    def group_of(self, name: str) -> int | None:
        """The number of the named group ``name`` (numbers work with every engine), or None."""
        return self.regex.groupindex.get(name)


class LazyProviders(Mapping[str, Provider]):
    """Providers by id, each built from its cached plain data when first asked for: a scan needs the
    providers of its findings only, and building all 500 costs the pre-commit hook ~17 ms per start."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        self._raw = raw
        self._built: dict[str, Provider] = {}

    def __getitem__(self, provider_id: str) -> Provider:
        built = self._built.get(provider_id)
        if built is None:
            built = self._built[provider_id] = _provider_from_plain(self._raw[provider_id])
        return built

    def __contains__(self, provider_id: object) -> bool:
        return provider_id in self._raw  # without building it

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class JoinedProviders(Mapping[str, Provider]):
    """The providers of the built-in rulesets and of the others (a user's or a repository's), read through
    without copying: the built-in ones stay lazily built (``LazyProviders``). Ids are unique across parts
    (``load_rulesets`` checks it)."""

    def __init__(self, *parts: Mapping[str, Provider]) -> None:
        self._parts = parts

    def __getitem__(self, provider_id: str) -> Provider:
        for part in self._parts:
            if provider_id in part:
                return part[provider_id]
        raise KeyError(provider_id)

    def __contains__(self, provider_id: object) -> bool:
        return any(provider_id in part for part in self._parts)

    def __iter__(self) -> Iterator[str]:
        for part in self._parts:
            yield from part

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)


@dataclass(frozen=True)
class Ruleset:
    """All providers and rules in effect for a scan."""

    providers: Mapping[str, Provider]
    rules: tuple[Rule, ...]
    secret_prefixes: tuple[str, ...] = ()
    """Lower-case keywords that start the secret in some rule's examples (``ghp_``, ``sk-ant-api``,
    ``aiza``): values with these prefixes belong to their provider rule, never to a generic one."""

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}


_PROVIDER_KEYS = ("id", "name", "console_url", "docs_url", "playbook")
_PLAYBOOK_KEYS = ("summary", "revoke", "audit", "verify", "commands", "urls")
_RULE_KEYS = ("id", "name", "pattern", "keywords", "severity", "confidence", "reference", "examples",
              "negative_examples", "entropy", "validator", "kind", "identifies", "placeholder", "scope", "prefilter",
              "paths", "contexts", "lifetime")


def _need(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return schema.need(table, key, kind, where)


def _strings(table: dict[str, Any], key: str, where: str, required: bool = True) -> tuple[str, ...]:
    return schema.strings(table, key, where, required)


def _optional(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return schema.optional(table, key, kind, where)


def parse_ruleset(path: Path, within: Path | None = None) -> tuple[Provider, list[Rule]]:
    """Parse one ruleset file into its provider and rules (no cross-file checks); unknown keys are errors.
    Only a regular file of at most 1 MiB is read (``fsutil.read_regular``); ``within``: a repository's
    ruleset, which must be inside that repository."""
    try:
        return _parse_ruleset(path, within)
    except schema.SchemaError as exc:
        raise ConfigError(str(exc)) from None


def _parse_ruleset(path: Path, within: Path | None) -> tuple[Provider, list[Rule]]:
    from credsweep.util.fsutil import CONFIG_LIMIT, read_regular

    try:
        data = tomlread.loads(read_regular(path, CONFIG_LIMIT, within).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ruleset: {exc.strerror or exc.__class__.__name__}") from None
    except (UnicodeDecodeError, ValueError) as exc:  # TOML and decoding errors, integers past the digit limit
        raise ConfigError(f"{path}: cannot read ruleset: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: cannot read ruleset: nested too deeply") from None
    where = f"{path.name} [provider]"
    schema.only_keys(data, ("provider", "rules"), path.name)
    ptable = _need(data, "provider", dict, path.name)
    schema.only_keys(ptable, _PROVIDER_KEYS, where)
    pb = _need(ptable, "playbook", dict, where)
    pwhere = f"{path.name} [provider.playbook]"
    schema.only_keys(pb, _PLAYBOOK_KEYS, pwhere)
    playbook = Playbook(
        summary=_need(pb, "summary", str, pwhere),
        revoke=_strings(pb, "revoke", pwhere),
        audit=_strings(pb, "audit", pwhere, required=False),
        verify=_strings(pb, "verify", pwhere, required=False),
        commands=_strings(pb, "commands", pwhere, required=False),
        urls=_strings(pb, "urls", pwhere, required=False),
    )
    provider = Provider(
        id=_need(ptable, "id", str, where),
        name=_need(ptable, "name", str, where),
        console_url=_need(ptable, "console_url", str, where),
        docs_url=_need(ptable, "docs_url", str, where),
        playbook=playbook,
    )
    rules = []
    tables = data.get("rules", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise ConfigError(f"{path.name}: 'rules' must be an array of tables ([[rules]])")
    for index, table in enumerate(tables):
        rwhere = f"{path.name} [[rules]] #{index + 1}"
        schema.only_keys(table, _RULE_KEYS, rwhere)
        rules.append(
            Rule(
                id=_need(table, "id", str, rwhere),
                name=_need(table, "name", str, rwhere),
                provider=provider.id,
                pattern=_need(table, "pattern", str, rwhere),
                keywords=tuple(k.lower() for k in _strings(table, "keywords", rwhere)),
                severity=_need(table, "severity", str, rwhere),
                confidence=_need(table, "confidence", str, rwhere),
                reference=_need(table, "reference", str, rwhere),
                examples=_strings(table, "examples", rwhere),
                negative_examples=_strings(table, "negative_examples", rwhere),
                entropy=_optional(table, "entropy", float, rwhere),
                validator=_optional(table, "validator", str, rwhere),
                kind=_optional(table, "kind", str, rwhere) or "token",
                identifies=_optional(table, "identifies", str, rwhere),
                placeholder=_optional(table, "placeholder", str, rwhere),
                scope=_optional(table, "scope", str, rwhere) or "content",
                prefilter=_optional(table, "prefilter", str, rwhere),
                paths=_strings(table, "paths", rwhere, required=False),
                contexts=_strings(table, "contexts", rwhere) if "contexts" in table else None,
                lifetime=_optional(table, "lifetime", int, rwhere),
                source=path,
                untrusted=within is not None,
            )
        )
    for rule in rules:
        _check_rule_fields(rule)
    return provider, rules


VALIDATOR_NAMES = frozenset({
    "literal_password", "base64_password", "opaque_token", "user_password", "base64_userpass", "generic_value",
    "github_checksum", "npm_checksum", "stack_auth_checksum", "jwt", "pypi_macaroon", "pem", "base64_json", "der_private_key",
    "discord_token",
})
"""The offline validators a rule may name: part of the rule language. Their code is the content stage's
(``content.validators.VALIDATORS``, held equal to this set by a test)."""


CONTEXT_NAMES = ("bare", "env", "json", "yaml", "python", "url", "header")
"""The contexts ``rules check`` writes a rule's secrets in (``rules.check.CONTEXTS``, held equal by a test)."""


def _check_rule_fields(rule: Rule) -> None:
    where = f"{rule.source.name} rule {rule.id!r}"
    if rule.severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    if rule.confidence not in CONFIDENCES:
        raise ConfigError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}")
    if rule.validator is not None and rule.validator not in VALIDATOR_NAMES:
        raise ConfigError(f"{where}: unknown validator {rule.validator!r}")
    if not rule.keywords:
        raise ConfigError(f"{where}: needs at least one keyword")
    if rule.scope not in ("content", "line"):
        raise ConfigError(f"{where}: scope must be 'content' or 'line'")
    if rule.lifetime is not None and not 60 <= rule.lifetime <= 366 * 86400:
        raise ConfigError(f"{where}: lifetime must be seconds between 60 and a year")
    unknown = sorted(set(rule.contexts or ()) - set(CONTEXT_NAMES))
    if unknown:
        raise ConfigError(f"{where}: unknown context {unknown[0]!r} (known: {', '.join(CONTEXT_NAMES)})")


def compile_errors(rule: Rule) -> str | None:
    """Why ``rule``'s pattern is unusable, or None. Run by ``rules check`` (compiling every pattern at
    load time would cost the pre-commit path; a scan compiles only the rules its content selects)."""
    try:
        regex = rule.regex
    except (re.error, OverflowError, RecursionError) as exc:  # huge repeat counts, deep nesting
        return f"pattern does not compile: {exc}"
    except ConfigError as exc:  # an untrusted rule's pattern refused as not linear-time
        return str(exc)
    if regex.groups < 1:
        return "pattern needs a capture group for the secret"
    if rule.prefilter is not None:
        try:
            re.compile(rule.prefilter.encode("utf-8"))
        except (re.error, OverflowError, RecursionError) as exc:
            return f"prefilter does not compile: {exc}"
    return None


def ruleset_files(extra: tuple[Path, ...] = (), builtin: bool = True) -> list[Path]:
    """The built-in ruleset files and ``extra`` files or folders' files; a built-in file given again
    (``credsweep rules check rulesets/github.toml`` in a checkout) is loaded once."""
    builtin_files, extra_files = _ruleset_parts(extra, builtin)
    return [Path(name) for name in builtin_files] + extra_files


def _ruleset_parts(extra: tuple[Path, ...], builtin: bool) -> tuple[list[str], list[Path]]:
    """``ruleset_files``: the built-in files (as strings: 1,300 ``Path`` objects cost every start of the
    pre-commit hook 7 ms, and a cached load needs only their names), and the others."""
    folder = str(BUILTIN_DIR)
    files = [os.path.join(folder, name) for name in _toml_names(BUILTIN_DIR)] if builtin else []
    if not extra:
        return files, []  # resolving 500 paths is a third of loading the cached rules (every start of a hook)
    seen = {Path(path).resolve() for path in files}
    others = []
    for path in extra:
        for found in sorted(path.glob("*.toml")) if path.is_dir() else [path]:
            if found.resolve() not in seen:
                seen.add(found.resolve())
                others.append(found)
    return files, others


def _toml_names(folder: Path) -> list[str]:
    """The ``*.toml`` file names of a folder, sorted (names, not ``Path`` objects: 500 of them are listed on
    every start of the pre-commit hook, and sorting paths compares their parts)."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(".toml"))
    except OSError:
        return []


CACHE_FORMAT = 4
"""Version of the plain-data form below; part of the cache name, so a change never reads old files."""


def _cache_name(files: Sequence[str | Path], within: Path | None = None) -> str | None:
    """The cache entry for these ruleset files: keyed by each file's path, size and mtime, and the
    loader's and the package's own files (a code change that alters parsing, or a reinstall,
    invalidates it; the version itself is not read here: ``importlib.metadata`` costs the hook too much),
    and ``within`` (a repository's rules are cached as untrusted)."""
    import hashlib

    import credsweep

    parts = []
    try:
        for path in [*files, __file__, credsweep.__file__ or ""]:
            name = str(path)  # one stat per file, no resolve(): this runs on every hook start
            st = os.stat(name)
            parts.append(f"{name if os.path.isabs(name) else os.path.abspath(name)}:{st.st_mtime_ns}:{st.st_size}")
    except OSError:
        return None
    stamp = "|".join(parts)
    stamp += f"|{CACHE_FORMAT}|{within}"  # a repository's rules are cached as untrusted
    return f"rules-{hashlib.sha256(stamp.encode()).hexdigest()[:24]}"


def ruleset_to_plain(ruleset: Ruleset) -> dict[str, Any]:
    """The ruleset as plain JSON data (strings, numbers, lists, dicts): what the cache stores."""
    from dataclasses import asdict

    def rule(r: Rule) -> dict[str, Any]:
        return {f.name: str(getattr(r, f.name)) if f.name == "source" else getattr(r, f.name) for f in fields(Rule)}

    return {
        "format": CACHE_FORMAT,
        "providers": [asdict(p) for p in ruleset.providers.values()],
        "rules": [rule(r) for r in ruleset.rules],
        "secret_prefixes": list(ruleset.secret_prefixes),
    }


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return tuple(value)


def ruleset_from_plain(data: Any) -> Ruleset:
    """Rebuild a ``Ruleset`` from ``ruleset_to_plain`` data; TypeError/KeyError/ValueError on any
    deviation (the caller then parses the TOML files again). Only known fields are read, and only
    ``Rule``/``Provider``/``Playbook`` are built: the data cannot name a type to construct."""
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        raise ValueError("not a ruleset cache of this format")
    raw_providers: dict[str, dict[str, Any]] = {}
    for raw in data["providers"]:
        # shape checked here, objects built on first use (LazyProviders)
        if not isinstance(raw, dict) or not raw.keys() >= _PLAIN_PROVIDER_KEYS or not isinstance(raw["id"], str) \
                or not isinstance(raw["playbook"], dict) or not raw["playbook"].keys() >= _PLAIN_PLAYBOOK_KEYS:
            raise TypeError("not a provider")
        raw_providers[raw["id"]] = raw
    providers = LazyProviders(raw_providers)
    # The payload was verified (written by this user's credsweep), so this checks shape, not every
    # element: it runs on every hook start.
    sources: dict[str, Path] = {}  # one Path per ruleset file, not per rule
    rules = []
    for raw in data["rules"]:
        if raw.keys() != _RULE_FIELDS.keys():
            raise KeyError("rule fields differ")
        values = dict(raw)
        for name in _RULE_STRS:
            values[name] = tuple(values[name])
        for name in _RULE_OPTIONAL_STRS:
            values[name] = None if values[name] is None else tuple(values[name])
        source = values["source"]
        values["source"] = sources.get(source) or sources.setdefault(source, Path(source))
        # every field given (checked above) and no __post_init__: the frozen dataclass's __init__ (an
        # ``object.__setattr__`` per field, 2,000 rules: 10 ms of every hook start) is this assignment
        rule = object.__new__(Rule)
        rule.__dict__.update(values)
        rules.append(rule)
    return Ruleset(providers=providers, rules=tuple(rules), secret_prefixes=_strs(data["secret_prefixes"]))


def _provider_from_plain(raw: dict[str, Any]) -> Provider:
    pb = raw["playbook"]
    playbook = Playbook(summary=str(pb["summary"]), **{k: _strs(pb[k]) for k in _PLAYBOOK_LISTS})
    return Provider(playbook=playbook, **{k: str(raw[k]) for k in ("id", "name", "console_url", "docs_url")})


_PLAYBOOK_LISTS = ("revoke", "audit", "verify", "commands", "urls")
_PLAIN_PLAYBOOK_KEYS = frozenset(_PLAYBOOK_KEYS)
_PLAIN_PROVIDER_KEYS = frozenset(_PROVIDER_KEYS)
_RULE_FIELDS = {
    "id": "str", "name": "str", "provider": "str", "pattern": "str", "keywords": "strs", "severity": "str",
    "confidence": "str", "reference": "str", "examples": "strs", "negative_examples": "strs",
    "entropy": "float?", "validator": "str?", "kind": "str", "identifies": "str?", "placeholder": "str?",
    "scope": "str", "prefilter": "str?", "source": "str", "paths": "strs", "untrusted": "bool", "contexts": "strs?",
    "lifetime": "int?",
}
"""Every ``Rule`` field and its type in the cached form (a test checks it matches the dataclass)."""
_RULE_STRS = tuple(k for k, v in _RULE_FIELDS.items() if v == "strs")
_RULE_OPTIONAL_STRS = tuple(k for k, v in _RULE_FIELDS.items() if v == "strs?")


def load_rulesets(extra: tuple[Path, ...] = (), builtin: bool = True, within: Path | None = None) -> Ruleset:
    """Load the built-in rulesets plus ``extra`` files or folders; ids must be unique.

    The parsed result is cached as signed plain data (``credsweep.util.signedcache``): TOML parsing of a few
    hundred rules is a noticeable share of the pre-commit hook's start-up. A cache entry that is
    missing, stale or does not verify is ignored and the files are parsed again. The built-in rulesets
    and the others are cached apart, so adding or editing a ruleset of a few rules parses those rules
    only, not the 500 built-in files again (half a second).

    ``within``: the ``extra`` rulesets are a scanned repository's (its configuration named them): each
    must be a regular file inside that folder, and their rules are marked ``untrusted`` (matched with a
    linear-time engine, ``rules.linear.linear_regex``).
    """
    within = within if extra else None  # only extra rulesets can be a repository's (one cache entry otherwise)
    builtin_files, extra_files = _ruleset_parts(extra, builtin)
    if not extra_files or not builtin_files:
        return _load_cached(builtin_files or extra_files, within if extra_files else None)
    first, second = _load_cached(builtin_files, None), _load_cached(extra_files, within)
    if any(p in first.providers for p in second.providers) or {r.id for r in first.rules} & {r.id for r in second.rules}:
        return _load_rulesets([*map(Path, builtin_files), *extra_files], within)  # the error naming the file defining an id twice
    return Ruleset(providers=JoinedProviders(first.providers, second.providers), rules=first.rules + second.rules,
                   secret_prefixes=tuple(sorted({*first.secret_prefixes, *second.secret_prefixes})))


def _load_cached(files: Sequence[str | Path], within: Path | None) -> Ruleset:
    """The ruleset of ``files`` (all built-in, or none), from the signed cache or parsed and cached."""
    import json

    from credsweep.util import signedcache as cache

    name = _cache_name(files, within)
    if name is not None:
        try:
            cached = cache.load_decoded(name, _ruleset_of_payload)
        except (ValueError, TypeError, KeyError, AttributeError):
            cached = None  # verified but unreadable (a bug, not an attack): parse again
        if cached is not None:
            return cached
    ruleset = _load_rulesets([Path(path) for path in files], within)
    if name is not None:
        cache.store(name, json.dumps(ruleset_to_plain(ruleset), separators=(",", ":")).encode())
    return ruleset


@lru_cache(maxsize=4)
def _ruleset_of_payload(payload: bytes) -> Ruleset:
    """``ruleset_from_plain`` of a verified cache payload, once per process for the same bytes: a process
    that builds several pipelines (the fleet, one per repository; a test session) decodes the 1.5 MB of
    JSON and builds the 900 rules once (20 ms each time). A pure function of immutable bytes: the
    ``Ruleset`` it returns is immutable (its rules' cached properties are pure functions of the rule)."""
    import json

    return ruleset_from_plain(json.loads(payload))


def _load_rulesets(files: list[Path], within: Path | None = None) -> Ruleset:
    providers: dict[str, Provider] = {}
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in files:
        if path.name.startswith("_"):
            continue  # non-provider data files (e.g. the sensitive-file catalogue)
        provider, file_rules = parse_ruleset(path, None if path.parent == BUILTIN_DIR else within)
        if provider.id in providers:
            raise ConfigError(f"{path.name}: provider id {provider.id!r} is defined twice")
        providers[provider.id] = provider
        for rule in file_rules:
            if rule.id in seen:
                raise ConfigError(f"{path.name}: rule id {rule.id!r} already defined in {seen[rule.id].name}")
            seen[rule.id] = path
            rules.append(rule)
    return Ruleset(providers=providers, rules=tuple(rules), secret_prefixes=_secret_prefixes(rules))


def _secret_prefixes(rules: list[Rule]) -> tuple[str, ...]:
    prefixes: set[str] = set()
    for rule in rules:
        if rule.provider == "generic" or rule.paths or rule.untrusted or compile_errors(rule):
            # credential-file rules' keywords name fields ("password"), not value prefixes; a scanned
            # repository's rules must not claim values from the built-in generic rules
            continue
        for example in rule.examples:
            for found in rule.regex.finditer(rule.split_example(example)[1].encode()):
                secret = url_body((found.group(rule.secret_group) or b"").decode("utf-8", "replace").lower())
                prefixes.update(k for k in rule.keywords if distinctive_prefix(k) and secret.startswith(k))
    return tuple(sorted(prefixes))


def url_body(secret: str) -> str:
    """A secret that is a URL without its scheme (``hooks.slack.com/services/...``): a webhook's host starts
    it as a token's prefix does."""
    scheme = secret.find("://", 0, 9)
    return secret[scheme + 3:] if scheme > 0 and secret[:scheme].isalpha() else secret


_COMMON_PREFIXES = frozenset({
    "api-", "api_", "key-", "key_", "pat.", "pat_", "tok_", "token", "token-", "access_", "account-", "auto_",
    "console-", "live_", "master-", "secret-", "secret_", "standard_", "test-", "test_", "web_",
})
"""Value starts too common in ordinary passwords and ids to hand every such value to one provider."""


def distinctive_prefix(keyword: str) -> bool:
    """A keyword that, starting a value, says whose the value is: ``ghp_``, ``sk_``, ``aiza``, ``eyj``,
    not three letters a word may begin with (``pat``, ``exo``)."""
    if keyword in _COMMON_PREFIXES or len(keyword) < 3:
        return False
    return len(keyword) >= 4 or not keyword.isalnum() or keyword == "eyj"

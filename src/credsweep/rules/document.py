"""The coverage page (``credsweep rules list --format markdown``, committed as docs/coverage.md): every
provider with its rules, each rule's format, whether it is validated offline, its confidence and the
provider's documentation of the format. Generated from the rules alone, so a test regenerates the committed
page and compares."""

from __future__ import annotations

from dataclasses import dataclass

from credsweep.models import CHECKSUM_VALIDATORS
from credsweep.rules.check import samples
from credsweep.rules.loader import Rule, Ruleset, compile_errors, distinctive_prefix

CHECKSUMS = dict.fromkeys(CHECKSUM_VALIDATORS, "CRC32 checksum")
"""Validators that verify a checksum the provider builds into the token."""
STRUCTURES = {
    "jwt": "JWT structure", "pem": "PEM body (base64)", "pypi_macaroon": "macaroon structure",
    "base64_json": "base64 JSON document", "base64_userpass": "base64 user:password",
    "base64_password": "base64 password", "discord_token": "user id (base64 snowflake)",
}
"""Validators that check the value's structure (the other validators only judge plausibility)."""


@dataclass(frozen=True)
class RuleRow:
    """One rule as the page shows it."""

    provider: str
    """Provider name."""
    rule: Rule
    """The rule."""
    format: str
    """How the secret is recognised: a literal prefix, a URL, a header, after a key naming the provider, or
    a structure (connection string, key block, a file's shape), with its length."""
    validation: str
    """The offline checksum or structure check, or "no"."""


def validation(rule: Rule) -> str:
    if rule.validator in CHECKSUMS:
        return f"yes: {CHECKSUMS[rule.validator]}"
    if rule.validator in STRUCTURES:
        return f"yes: {STRUCTURES[rule.validator]}"
    return "no"


def secret_width(rule: Rule) -> tuple[int, int] | None:
    """The shortest and longest secret the pattern captures (None when it cannot tell)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # Python 3.10
        import sre_parse  # type: ignore[no-redef,unused-ignore]
    try:
        parsed = sre_parse.parse(rule.pattern)
    except Exception:
        return None
    group = parsed.state.groupdict.get("secret", 1)
    stack = [parsed]
    while stack:
        sub = stack.pop()
        for op, av in sub.data if hasattr(sub, "data") else []:
            if op is sre_parse.SUBPATTERN and av[0] == group:
                low, high = av[-1].getwidth()
                return int(low), int(high)
            for item in av if isinstance(av, (list, tuple)) else [av]:
                if isinstance(item, sre_parse.SubPattern):
                    stack.append(item)
                elif isinstance(item, (list, tuple)):
                    stack.extend(x for x in item if isinstance(x, sre_parse.SubPattern))
    return None


def _length(rule: Rule) -> str:
    width = secret_width(rule)
    if width is None or width[0] == 0:
        return ""
    low, high = width
    if high >= 1 << 16:
        return f", {low}+ chars"
    return f", {low} chars" if low == high else f", {low}-{high} chars"


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else text


def rule_format(rule: Rule) -> str:
    """How the rule recognises its secret, in a few words."""
    if rule.paths:
        return "in its own file: " + ", ".join(_code(p) for p in rule.paths[:3])
    found = samples(rule) if compile_errors(rule) is None else []
    first = found[0] if found else None
    length = _length(rule)
    if first is not None and first.value is not None and not first.needs_key:
        value = first.value.lower()
        prefix = sorted((k for k in rule.keywords if distinctive_prefix(k) and value.startswith(k)), key=len)
        if prefix:
            return f"prefix {_code(prefix[-1])}{length}"
        if first.url is not None and first.value == first.url:
            hosts = [k for k in rule.keywords if "." in k or "/" in k]
            return f"URL{' on ' + _code(hosts[0]) if hosts else ''}"
    if first is not None and first.header is not None:
        return f"{_code(first.header[0])} header{length}"
    keywords = ", ".join(_code(k) for k in rule.keywords[:3])
    if first is not None and first.needs_key:
        return f"after a key with {keywords}{length}"
    shape = {"private-key": "key block", "connection-string": "connection string"}.get(rule.kind, "in context")
    return f"{shape}: {keywords}{length}"


def rows(ruleset: Ruleset) -> list[RuleRow]:
    """Every rule, grouped by provider (providers by name, rules by id)."""
    names = {provider.id: provider.name for provider in ruleset.providers.values()}
    ordered = sorted(ruleset.rules, key=lambda r: (names.get(r.provider, r.provider).lower(), r.provider, r.id))
    return [RuleRow(provider=names.get(rule.provider, rule.provider), rule=rule, format=rule_format(rule),
                    validation=validation(rule)) for rule in ordered]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(ruleset: Ruleset) -> str:
    """The coverage page."""
    table = rows(ruleset)
    providers = len({row.rule.provider for row in table})
    prefixed = sum(row.format.startswith("prefix ") for row in table)
    validated = sum(row.validation != "no" for row in table)
    lines = [
        "# Coverage: providers, formats, validation",
        "",
        "<!-- Generated by `credsweep rules list --format markdown > docs/coverage.md` from rulesets/; "
        "a test fails when this page is not up to date. -->",
        "",
        f"{len(table)} rules from {providers} providers. {prefixed} rules recognise a literal prefix that starts "
        f"the secret (found with nothing around it); {validated} validate a checksum or the value's structure "
        "offline; the others recognise the value by the key, URL, header or file around it. Formats, examples "
        "and the contexts each rule is checked in are in [rules.md](rules.md); the rulesets themselves are "
        "in `rulesets/`.",
        "",
        "| provider | rule | format | checksum / structure | confidence | reference |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    previous = None
    for row in table:
        provider = "" if row.rule.provider == previous else f"**{_cell(row.provider)}**"
        previous = row.rule.provider
        lines.append(f"| {provider} | {_cell(row.rule.name)} (`{row.rule.id}`) | {_cell(row.format)} | "
                     f"{row.validation} | {row.rule.confidence} | [docs]({row.rule.reference}) |")
    return "\n".join(lines) + "\n"

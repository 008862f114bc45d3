"""The one place a secret ``Finding`` is made: a judged content match at a location, with its advice.

Every command (scan, staged, history, pre-push, fleet) builds its secret findings here, so the same
match reads the same everywhere. File-level findings come from ``hygiene``.
"""

from __future__ import annotations

from credsweep.models import Advice, ContentMatch, Finding, Location, Provenance
from credsweep.rules.loader import Provider, Rule

_ADVICE: dict[tuple[int, int, str | None, str | None], tuple[Rule, Provider, Advice]] = {}
ADVICE_CACHE_SIZE = 4096
"""Advice is per rule and provider (plus the paired identifier's last four characters when the rule
names a placeholder for it), not per finding: one frozen ``Advice`` is shared by every finding of a
rule. Keyed by the objects' ids, which the entry keeps alive, so an id is never reused while cached."""


def _advice(rule: Rule, provider: Provider, identifier: str | None, placeholder: str | None) -> Advice:
    tail = identifier[-4:] if identifier and placeholder else None  # all advice_for_secret reads of it
    key = (id(rule), id(provider), tail, placeholder)
    cached = _ADVICE.get(key)
    if cached is not None and cached[0] is rule and cached[1] is provider:
        return cached[2]
    from credsweep.enrich.advice import advice_for_secret  # only once something is found: not on a hook's pass

    advice = advice_for_secret(rule, provider, tail, placeholder)
    if len(_ADVICE) >= ADVICE_CACHE_SIZE:
        _ADVICE.clear()
    _ADVICE[key] = (rule, provider, advice)
    return advice


SECRET_IN_NAME = "********"
"""What stands for a secret in a file name that holds it (``named_without``)."""


def named_without(path: str, secret: str | None) -> str:
    """``path`` with its own secret masked: a file named with the token it holds (a pull request's
    ``7971311805:AA...``, a pasted script as a file name) must not print the token as its name. Only the
    secret's exact text, and only a secret long enough (8 or more characters) not to be an ordinary word."""
    if secret and len(secret) >= 8 and secret in path:
        return path.replace(secret, SECRET_IN_NAME)
    return path


def secret_finding(rule: Rule, provider: Provider, match: ContentMatch, location: Location, *,
                   placeholder: str | None = None, provenance: Provenance | None = None) -> Finding:
    """The finding for ``match`` (already judged) at ``location``."""
    if match.encoding == "joined":
        name = f"{rule.name} (joined from string pieces)"
    else:
        name = f"{rule.name} ({match.encoding}-encoded)" if match.encoding else rule.name
    return Finding(
        kind="secret",
        rule=rule.id,
        provider=rule.provider,
        name=name,
        severity=rule.severity,
        confidence=match.confidence,
        path=named_without(location.path, match.secret),
        line=match.line,
        column=match.column,
        end_line=match.end_line,
        end_column=match.end_column,
        source=location.source,
        commit=location.commit,
        blob_id=location.blob_id,
        fingerprint=match.fingerprint,
        secret_id=match.secret_id,
        redacted=match.redacted,
        advice=_advice(rule, provider, match.identifier, placeholder),
        secret=match.secret,
        identifier=match.identifier,
        identifier_line=match.identifier_line,
        identifier_kind=match.identifier_kind,
        reasons=match.reasons,
        provenance=provenance,
        context=match.context,
        value_class=match.value_class,
        cell=match.cell,
    )


def summary_finding(rule: Rule, provider: Provider, first: ContentMatch, location: Location, count: int, cap: int,
                    salt: bytes, provenance: Provenance | None = None) -> Finding:
    """One finding standing for ``count`` further matches of ``rule`` in one file, past the per-file cap
    (``Config.max_findings_per_rule``) or the content stage's match budget: reported with the count and
    the line where they start, never dropped. It names no value (no preview, no secret id)."""
    from dataclasses import replace

    from credsweep import identity

    base = secret_finding(rule, provider, first, location, provenance=provenance)
    limit = f"the limit of {cap} findings per file and rule" if cap else "the per-file match budget"
    return replace(base, name=f"{rule.name}: {count} more match{'es' if count != 1 else ''} in this file, past "
                              f"{limit} (listed as one)",
                   secret=None, secret_id=None, redacted="", identifier=None,
                   fingerprint=identity.fingerprint("secret-summary", rule.id, location.path, salt),
                   reasons=tuple(dict.fromkeys((*first.reasons, "many-matches"))))

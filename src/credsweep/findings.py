"""The one place a secret ``Finding`` is made: a judged content match at a location, with its advice.

Every command (scan, staged, history, pre-push, fleet) builds its secret findings here, so the same
match reads the same everywhere. File-level findings come from ``hygiene``.
"""

from __future__ import annotations

from credsweep.advice import advice_for_secret
from credsweep.models import ContentMatch, Finding, Location, Provenance
from credsweep.rules.loader import Provider, Rule


def secret_finding(rule: Rule, provider: Provider, match: ContentMatch, location: Location, *,
                   placeholder: str | None = None, provenance: Provenance | None = None) -> Finding:
    """The finding for ``match`` (already judged) at ``location``."""
    name = f"{rule.name} ({match.encoding}-encoded)" if match.encoding else rule.name
    return Finding(
        kind="secret",
        rule=rule.id,
        provider=rule.provider,
        name=name,
        severity=rule.severity,
        confidence=match.confidence,
        path=location.path,
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
        advice=advice_for_secret(rule, provider, match.identifier, placeholder),
        secret=match.secret,
        identifier=match.identifier,
        reasons=match.reasons,
        provenance=provenance,
    )

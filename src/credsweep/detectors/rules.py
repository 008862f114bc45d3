"""The rule detector: confirm a candidate rule with its Python regex, capture, validate.

A rule whose pattern has a named group ``key`` (generic assignments) also requires that key to be
credential-named (hygiene.credentials.credential_key), which regexes alone express badly.
"""

from __future__ import annotations

from collections.abc import Iterator

from credsweep.entropy import shannon
from credsweep.hygiene.credentials import credential_key
from credsweep.models import Match
from credsweep.rules.loader import Rule
from credsweep.validators import VALIDATORS


def match_rule(rule: Rule, data: bytes, rejected: list[tuple[int, int]] | None = None) -> Iterator[Match]:
    """Every match of ``rule`` in ``data`` whose secret passes the entropy floor and validator.

    Spans the pattern matched but the checks rejected (a failed checksum, an entropy too low) go to
    ``rejected``: a provider format that was recognised and rejected must not resurface as a generic one.
    """
    group = rule.secret_group
    validator = VALIDATORS[rule.validator] if rule.validator else None
    has_key = "key" in rule.regex.groupindex
    for found in rule.regex.finditer(data):
        start, end = found.span(group)
        if start < 0 or start == end:
            continue
        if has_key and not credential_key(found.group("key").decode("utf-8", "replace")):
            continue  # e.g. password_hash_length, token_type, auth_method: named like a credential, are not
        secret = data[start:end].decode("utf-8", "replace")
        if (rule.entropy is not None and shannon(secret) < rule.entropy) or (
            validator is not None and not validator(secret)
        ):
            if rejected is not None:
                rejected.append((start, end))
            continue
        yield Match(rule=rule.id, start=start, end=end, secret=secret, confidence=rule.confidence)

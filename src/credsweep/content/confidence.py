"""The confidence policy: a rule's confidence and the context reasons → the reported confidence.

Policy (issue 16):

1. **Context lowers, never deletes.** A finding with any context reason (content: test code, test
   words, placeholder pairs, example hosts...; location: tests, fixtures, examples, documentation,
   vendored code...) is reported at ``low``: hidden at the default threshold (``medium``), shown with
   ``--min-confidence low``, its reasons listed in JSON (``reasons: [...]``).
2. **A provider-format token whose checksum is valid keeps its confidence wherever it is.** A real
   ``ghp_``/``npm_``/``pypi-`` token is a live credential in a test file too: its checksum says it
   was issued, not typed. Its reasons are still recorded, so a reader sees it sits in a test.
3. **Real private keys keep their confidence too**, because a key used by tests is still a working
   key (and test keys are copied into production more often than one would hope). When any reason
   says test, fixture, example, documentation or vendored code, the reason ``test-fixture`` is added:
   reporters show those keys as one group labelled test fixtures, with low urgency.
4. Without reasons, the base confidence stands.
5. **A demo credential is lowered whatever proves it** (reason ``demo-credential``: a vendor's documented
   sample key, an SDK's public test token, scott/tiger): its checksum or key structure is real, and
   everybody has it. So is a form's placeholder (``input-placeholder``): shown to every visitor as a sample.
6. **Corroboration beats location** (judgement): a provider-format value (its distinctive prefix, its
   checksum) or a secret next to the identifier it pairs with (``corroborated-by-identifier``) keeps its
   confidence in tests, examples and documentation; the place lowers its urgency instead
   (``enrich.advice``).

``is_private_key`` means the rule's kind is ``private-key`` and the PEM body validated;
``provider_format_valid`` means a non-generic rule with a checksum validator (CRC32 of GitHub and npm
tokens, PyPI macaroon structure) accepted the value. Label reasons (``test-fixture``) never lower.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from credsweep.models import ISSUANCE_VALIDATORS, LABEL_REASONS, TEST_FIXTURE

if TYPE_CHECKING:
    from credsweep.rules.loader import Rule

TEST_LIKE_LOCATIONS = frozenset({"test-location", "fixture-location", "example-location", "docs-location",
                                 "vendored-location", "scanner-report"})
"""Location reasons under which a real private key is a test fixture (see ``the policy below``)."""

CROSS_PROVIDER = frozenset({"http-auth-header", "http-basic-auth", "jwt", "url-credentials"})
"""Rulesets that recognise a credential by where it is (a header, a URL's user info) or by a shape every
provider may use (a JWT), not by whose it is: a provider's own rule over the same text names it better,
and their matches are never a provider's format."""
SHAPE_REASONS = frozenset({"code-expression", "identifier-value", "key-echo", "description-value", "template-key",
                           "option-prefix", "enumerated-value", "attribute-target", "secret-reference",
                           "qualified-key", "enum-member", "secret-name", "regex-value"})
"""Reasons that say the value is code or a name, not a secret: its context line keeps the value's
punctuation (``a.b.filter(`` stays visibly a call)."""
ALWAYS_LOWER = frozenset({"demo-credential", "input-placeholder", "certificate-body"})
"""Reasons that lower whatever else proves the value (policy 5)."""
LOWERED = "low"
"""The confidence a finding with context reasons is reported at."""
LABELS = LABEL_REASONS
"""Reasons that describe a finding for presentation and never lower it (``models``: ``TEST_FIXTURE``,
``CORROBORATED``, ``IDENTIFIER_ALONE``)."""
_TEST_CONTENT = frozenset({"test-code", "test-key-name", "test-words"})


@dataclass(frozen=True)
class Judgement:
    """The outcome of the policy for one finding."""

    confidence: str
    """high, medium or low."""
    reasons: tuple[str, ...]
    """The context reasons, plus any label the policy adds (``test-fixture``)."""


def judge(base: str, reasons: tuple[str, ...], *, provider_format_valid: bool, is_private_key: bool) -> Judgement:
    """Apply the policy of this module's docstring to one finding."""
    lowering = tuple(r for r in reasons if r not in LABELS)
    if not lowering:
        return Judgement(base, reasons)
    if ALWAYS_LOWER.intersection(lowering):
        return Judgement(LOWERED, reasons)
    if is_private_key:
        fixture = any(r in TEST_LIKE_LOCATIONS or r in _TEST_CONTENT for r in lowering)
        labelled = (*reasons, TEST_FIXTURE) if fixture and TEST_FIXTURE not in reasons else reasons
        return Judgement(base, labelled)
    if provider_format_valid:
        return Judgement(base, reasons)
    return Judgement(LOWERED, reasons)


def judge_confidence(base: str, reasons: tuple[str, ...], *, provider_format_valid: bool, is_private_key: bool) -> str:
    """The reported confidence of a finding (see the module docstring for the policy)."""
    return judge(base, reasons, provider_format_valid=provider_format_valid, is_private_key=is_private_key).confidence


def judge_rule_match(base: str, reasons: tuple[str, ...], rule: Rule) -> Judgement:
    """The policy for a match of ``rule`` (which its validator, if any, accepted)."""
    return judge(base, reasons,
                 provider_format_valid=rule.provider != "generic" and rule.validator in ISSUANCE_VALIDATORS,
                 is_private_key=rule.kind == "private-key")

"""Heuristic filters: named predicates over a candidate secret that say "this is not a credential".

Each predicate answers one question and has its own tests. ``reason_to_drop`` runs them in order
and returns the name of the first that fires (useful for debugging precision).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Documented example values providers print in their docs (AWS, Stripe, ...).
KNOWN_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
    }
)

_PLACEHOLDER_WORDS = re.compile(
    r"(?i)(example|sample|dummy|placeholder|your[_\-.]?(?:api|secret|access|auth|own|token|key|pass|client)|"
    r"changeme|change[_\-]?me|redacted|replace[_\-]?me|insert[_\-]|enter[_\-]?your|put[_\-]?your|"
    r"xxxx|\*{3,}|\.{4,}|_{4,}|#{4,}|^<.*>$|^\[.*\]$|fake|notreal|not[_\-]a[_\-]real|do[_\-]?not[_\-]?use)"
)
_TEMPLATE = re.compile(
    r"(\$\{[^}]*\}|\{\{[^}]*\}\}|%\([\w.]+\)s|\$\([^)]*\)|<%=?|\{%|^\$[A-Za-z_][A-Za-z0-9_]*$|"
    r"^%[A-Za-z_][A-Za-z0-9_]*%$|os\.environ|os\.getenv|process\.env|ENV\[|getenv\(|"
    r"System\.getenv|secrets\.[A-Z_]+|vault:|ref\+|@Value\()"
)
_SEQUENCES = ("0123456789", "1234567890", "abcdefghij", "qwertyuiop", "ABCDEFGHIJ")


def is_known_example(secret: str) -> bool:
    """A value providers publish in their documentation as an example."""
    return secret in KNOWN_EXAMPLES


def is_placeholder(secret: str) -> bool:
    """Words and shapes people use for values to fill in: your_api_key, xxxx, ****, <token>, changeme."""
    return bool(_PLACEHOLDER_WORDS.search(secret))


def is_template(secret: str) -> bool:
    """A reference to a value kept elsewhere: ${VAR}, {{ secrets.X }}, os.environ[...], %(var)s."""
    return bool(_TEMPLATE.search(secret))


def is_low_diversity(secret: str) -> bool:
    """Too few distinct characters, or a keyboard/alphabet run, to be a generated credential."""
    core = secret.split("_")[-1] if len(secret) > 16 else secret
    if len(set(core)) <= 3 and len(core) >= 6:
        return True
    return any(seq in secret for seq in _SEQUENCES)


FILTERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("known_example", is_known_example),
    ("placeholder", is_placeholder),
    ("template", is_template),
    ("low_diversity", is_low_diversity),
)


def reason_to_drop(secret: str) -> str | None:
    """Name of the first filter that rejects ``secret``, or None to keep it."""
    for name, predicate in FILTERS:
        if predicate(secret):
            return name
    return None

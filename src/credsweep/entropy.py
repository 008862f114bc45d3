"""Shannon entropy of candidate strings."""

from __future__ import annotations

import math
from collections import Counter


def shannon(text: str) -> float:
    """Bits of entropy per character of ``text`` (0.0 for the empty string)."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())

"""Shannon entropy of candidate strings."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def shannon(text: str) -> float:
    """Bits of entropy per character of ``text`` (0.0 for the empty string)."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())

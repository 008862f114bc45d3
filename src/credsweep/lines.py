"""Line and column of byte offsets, for many offsets of one content in one linear pass."""

from __future__ import annotations

from collections.abc import Iterable


def positions(data: bytes, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """1-based (line, column in characters) of each offset, walking ``data`` once in offset order.

    Counting newlines between consecutive offsets is C speed (``bytes.count``) and linear in the
    content whatever the number of offsets: one lookup from the start per offset would be quadratic
    on a file with tens of thousands of matches."""
    out: dict[int, tuple[int, int]] = {}
    line, at = 1, 0
    for offset in sorted(set(offsets)):
        line += data.count(b"\n", at, offset)
        at = offset
        line_start = data.rfind(b"\n", 0, offset) + 1
        out[offset] = (line, len(data[line_start:offset].decode("utf-8", "replace")) + 1)
    return out


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` for a one-off lookup."""
    return positions(data, (offset,))[offset]

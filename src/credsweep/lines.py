"""Line and column of byte offsets, built once per content so each lookup is a binary search."""

from __future__ import annotations

import bisect
from array import array


class LineIndex:
    """Offsets of the line starts of ``data`` (built lazily, on the first lookup)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._starts: array[int] | None = None

    def _index(self) -> array[int]:
        if self._starts is None:
            starts = array("q", [0])
            data, find = self._data, self._data.find
            at = find(b"\n")
            while at >= 0:
                starts.append(at + 1)
                at = find(b"\n", at + 1)
            self._starts = starts
            del data
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of byte ``offset``."""
        starts = self._index()
        line = bisect.bisect_right(starts, offset)
        line_start = starts[line - 1]
        return line, len(self._data[line_start:offset].decode("utf-8", "replace")) + 1


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` for a one-off lookup."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[line_start:offset].decode("utf-8", "replace")) + 1

"""Per-content indexes that keep every per-match step cheap, whatever the shape of the content.

A file may hold tens of thousands of matches, or one line of 50 MB. Anything a match asks of its
content (its line and column, the bounds of its line, whether it overlaps a span seen before) is
answered here in O(log n) or from a bounded slice, never by a scan from the start of the content or
of the line.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

BLOCK = 4096
"""Bytes per block of the sampled line index: a query reads at most one block (plus a few bytes)."""


def _is_continuation(byte: int) -> bool:
    return 0x80 <= byte < 0xC0


class LineIndex:
    """Line numbers, line bounds and character columns of byte offsets in one content.

    Built in one pass (C-speed counts per block), it samples every ``BLOCK`` bytes: the number of
    newlines before the block, the last newline before it and, for non-ASCII content, the number of
    characters before it. A query then reads at most one block of the content.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        size = len(data)
        self._lines_before: list[int] = []  # newlines in data[:k * BLOCK]
        self._last_newline: list[int] = []  # offset of the last newline in data[:k * BLOCK], -1 if none
        firsts: list[int] = []  # offset of the first newline in block k, -1 if none
        lines, last = 0, -1
        for begin in range(0, size + 1, BLOCK):
            self._lines_before.append(lines)
            self._last_newline.append(last)
            lines += data.count(b"\n", begin, begin + BLOCK)
            firsts.append(data.find(b"\n", begin, begin + BLOCK))
            found = data.rfind(b"\n", begin, begin + BLOCK)
            if found >= 0:
                last = found
        self._next_newline = [-1] * (len(firsts) + 1)  # first newline at or after k * BLOCK, -1 if none
        for block in range(len(firsts) - 1, -1, -1):
            self._next_newline[block] = firsts[block] if firsts[block] >= 0 else self._next_newline[block + 1]
        self._ascii = data.isascii()
        self._checkpoints: list[int] | None = None  # character counting: see _chars_before
        self._chars: list[int] = []
        self._markers: list[int] | None = None  # offsets of b"allow" (inline allow comments)
        self.verdicts: dict[tuple[int, int, bool], bool] = {}
        """Memo of line-level answers (inline allow comments) by line bounds: one search per line."""

    def line_start(self, offset: int) -> int:
        """Offset of the first byte of the line holding ``offset``."""
        block = offset // BLOCK
        found = self.data.rfind(b"\n", block * BLOCK, offset)
        return (found if found >= 0 else self._last_newline[block]) + 1

    def line_end(self, offset: int) -> int:
        """Offset of the newline ending the line holding ``offset`` (the content's length on the last line)."""
        block = offset // BLOCK
        found = self.data.find(b"\n", offset, (block + 1) * BLOCK)
        if found < 0:
            found = self._next_newline[block + 1]
        return len(self.data) if found < 0 else found

    def bounds(self, offset: int) -> tuple[int, int]:
        """Start and end offsets of the line containing ``offset`` (as ``filters.inline.line_bounds``)."""
        return self.line_start(offset), self.line_end(offset)

    def mentions_allow(self, start: int, end: int) -> bool:
        """True when ``data[start:end]`` holds b"allow", which every inline allow comment contains."""
        if self._markers is None:
            self._markers = []
            found = self.data.find(b"allow")
            while found >= 0:
                self._markers.append(found)
                found = self.data.find(b"allow", found + 1)
        at = bisect.bisect_left(self._markers, start)
        return at < len(self._markers) and self._markers[at] + 5 <= end

    def line_number(self, offset: int) -> int:
        """1-based line number of byte ``offset``."""
        block = offset // BLOCK
        return self._lines_before[block] + self.data.count(b"\n", block * BLOCK, offset) + 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters, undecodable bytes counted as U+FFFD) of ``offset``.

        Identical to decoding ``data[line_start:offset]`` with ``errors="replace"`` and counting.
        """
        start = self.line_start(offset)
        if self._ascii:
            return self.line_number(offset), offset - start + 1
        return self.line_number(offset), self._chars_between(start, offset) + 1

    def _chars_between(self, start: int, end: int) -> int:
        # UTF-8 decoding (errors="replace") restarts at every byte that is not a continuation
        # byte, so character counts add up across such split points: checkpoints are the first
        # such byte of each block, with the characters before them counted once
        if end - start <= 2 * BLOCK:
            return len(self.data[start:end].decode("utf-8", "replace"))
        return self._chars_before(end) - self._chars_before(start)

    def _chars_before(self, offset: int) -> int:
        """Characters in ``data[:offset]`` when ``offset`` is a split point or the nearest checkpoint
        before it is (the count up to ``offset`` is then exact; see ``_chars_between``)."""
        if self._checkpoints is None:
            self._build_checkpoints()
        assert self._checkpoints is not None
        at = bisect.bisect_right(self._checkpoints, offset) - 1
        point = self._checkpoints[at]
        return self._chars[at] + len(self.data[point:offset].decode("utf-8", "replace"))

    def _build_checkpoints(self) -> None:
        data = self.data
        points, chars = [0], [0]
        for begin in range(BLOCK, len(data), BLOCK):
            point = begin
            limit = min(len(data), begin + BLOCK)
            while point < limit and _is_continuation(data[point]):
                point += 1
            if point >= limit:
                continue  # a block of continuation bytes only: no split point in it
            chars.append(chars[-1] + len(data[points[-1]:point].decode("utf-8", "replace")))
            points.append(point)
        self._checkpoints, self._chars = points, chars


class SpanSet:
    """A fixed set of half-open byte spans; ``overlaps`` answers in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:  # overlapping (not merely touching): one span
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """True when some span ``(s, e)`` has ``start < e and s < end``."""
        # spans are disjoint and sorted, so their ends ascend too: of the spans starting before
        # ``end``, the last one reaches furthest
        at = bisect.bisect_left(self._starts, end) - 1
        return at >= 0 and start < self._ends[at]


def first_fit(spans: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the spans kept by taking each span, in the given order, unless it overlaps one
    taken before (half-open spans; ``a`` and ``b`` overlap when ``a.start < b.end and b.start < a.end``).

    O(n log n): a Fenwick tree over the spans sorted by start holds the furthest end taken among
    each prefix, and a span overlaps a taken one exactly when a taken span starting before its end
    reaches past its start.
    """
    starts = sorted(s for s, _ in spans)
    size = len(starts)
    tree = [-1] * (size + 1)  # 1-based Fenwick tree of prefix maxima of taken ends
    kept: list[int] = []
    for index, (start, end) in enumerate(spans):
        # furthest end among taken spans whose start is < end
        position = bisect.bisect_left(starts, end)
        furthest = -1
        while position > 0:
            furthest = max(furthest, tree[position])
            position -= position & -position
        if furthest > start:
            continue
        kept.append(index)
        position = bisect.bisect_left(starts, start) + 1
        while position <= size:
            tree[position] = max(tree[position], end)
            position += position & -position
    return kept


_RECENT: list[LineIndex] = []
RECENT_INDEXES = 4
"""Indexes kept for the most recent contents: an item's own, and the decoded runs scanned beside it."""


def index_for(data: bytes) -> LineIndex:
    """The ``LineIndex`` of ``data`` (this very object), built on first use and kept for a few calls."""
    for index in _RECENT:
        if index.data is data:
            return index
    index = LineIndex(data)
    _RECENT.insert(0, index)
    del _RECENT[RECENT_INDEXES:]
    return index

"""spans: the per-content indexes answer exactly what the direct (slow) computations answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credsweep.util import spans
from credsweep.util.spans import LineIndex, SpanSet, first_fit

# newlines, ASCII, valid multi-byte characters and broken UTF-8 (stray continuation bytes, cut sequences)
PIECES = [b"a", b"\n", b" ", "é".encode(), "€".encode(), "😀".encode(), b"\x80", b"\xbf", b"\xf0", b"\xe2\x82", b"\xc3"]
content = st.lists(st.sampled_from(PIECES), max_size=200).map(b"".join)
span_lists = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=40)


def direct_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def direct_bounds(data: bytes, offset: int) -> tuple[int, int]:
    end = data.find(b"\n", offset)
    return data.rfind(b"\n", 0, offset) + 1, len(data) if end < 0 else end


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # blocks of a few bytes, so that short generated contents span many blocks and checkpoints
    monkeypatch.setattr(spans, "BLOCK", 8)


@settings(max_examples=300, deadline=None)
@given(content)
def test_positions_and_bounds_match_direct_computation(data: bytes) -> None:
    index = LineIndex(data)
    for offset in range(len(data) + 1):
        assert index.position(offset) == direct_position(data, offset)
        assert index.bounds(offset) == direct_bounds(data, offset)


@settings(max_examples=300, deadline=None)
@given(span_lists, st.lists(st.tuples(st.integers(0, 70), st.integers(0, 10)), max_size=20))
def test_span_set_overlaps_like_any(spans_: list[tuple[int, int]], queries: list[tuple[int, int]]) -> None:
    found = SpanSet(spans_)
    for start, width in queries:
        end = start + width
        assert found.overlaps(start, end) == any(start < e and s < end for s, e in spans_)


@settings(max_examples=300, deadline=None)
@given(span_lists)
def test_first_fit_keeps_what_the_quadratic_greedy_keeps(spans_: list[tuple[int, int]]) -> None:
    taken: list[tuple[int, int]] = []
    for start, end in spans_:
        if not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
    assert [spans_[i] for i in first_fit(spans_)] == taken


def test_allow_markers_found_by_line() -> None:
    data = b"a = 1\nb = 2  # credsweep:allow\n" + b"x" * 100 + b"\n"
    index = LineIndex(data)
    second = data.index(b"b")
    assert index.mentions_allow(*index.bounds(second))
    assert not index.mentions_allow(*index.bounds(0))
    assert not index.mentions_allow(*index.bounds(len(data) - 5))

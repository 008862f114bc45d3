"""RE2 (google-re2) behind the part of ``re.Pattern``'s interface credsweep uses.

RE2 is an automaton: its time is linear in the input whatever the pattern, so a regex that a user or a
scanned repository supplies cannot hang a scan by backtracking. ``re2_compile`` never forks or times
anything (the content stage may call it); ``rules.linear.linear_regex`` adds the growth check for
patterns RE2 cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class LinearPattern:
    """An RE2 pattern with the part of ``re.Pattern``'s interface the content stage uses (``finditer``,
    ``search``, ``match``, ``fullmatch`` with ``pos``/``endpos``, ``groupindex`` by ``str`` names).
    Match objects are RE2's: ``span``/``group``/``start``/``end`` take group numbers (``Rule.secret_group``
    and ``Rule.group_of`` give numbers for both engines)."""

    def __init__(self, compiled: Any, pattern: str | bytes) -> None:
        self._compiled = compiled
        self.pattern = pattern
        self.groups: int = compiled.groups
        self.groupindex: dict[str, int] = {
            (name.decode("latin-1") if isinstance(name, bytes) else name): index
            for name, index in compiled.groupindex.items()}

    def finditer(self, data: Any, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        return iter(self._compiled.finditer(data, pos, len(data) if endpos is None else endpos))

    def search(self, data: Any, pos: int = 0, endpos: int | None = None) -> Any:
        return self._compiled.search(data, pos, len(data) if endpos is None else endpos)

    def match(self, data: Any, pos: int = 0, endpos: int | None = None) -> Any:
        return self._compiled.match(data, pos, len(data) if endpos is None else endpos)

    def fullmatch(self, data: Any, pos: int = 0, endpos: int | None = None) -> Any:
        return self._compiled.fullmatch(data, pos, len(data) if endpos is None else endpos)

    def __repr__(self) -> str:
        return f"LinearPattern({self.pattern!r})"


def re2_compile(pattern: str | bytes) -> LinearPattern | None:
    """``pattern`` compiled with RE2 (bytes patterns with byte semantics, as Python's ``re`` has), or
    None when RE2 is not installed or cannot express the pattern."""
    try:
        import re2  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    options = re2.Options()
    options.log_errors = False  # a refused pattern is our message, not a line on stderr
    if isinstance(pattern, bytes):
        options.encoding = re2.Options.Encoding.LATIN1
    try:
        return LinearPattern(re2.compile(pattern, options=options), pattern)
    except (re2.error, TypeError, ValueError):
        return None

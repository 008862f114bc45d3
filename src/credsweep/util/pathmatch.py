"""gitignore-syntax path matching (pathspec), tuned for our use: many small pattern lists.

pathspec 1.x picks Hyperscan as its backend when installed; compiling a Hyperscan database for every
small list costs ~20 ms each, which dominates the pre-commit path. The plain-regex backend is
instant to build and fast enough for a few dozen patterns.
"""

from __future__ import annotations

from collections.abc import Iterable

import pathspec


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A GitIgnoreSpec built with the cheap backend where pathspec lets us choose."""
    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")  # type: ignore[call-arg,unused-ignore]
    except TypeError:  # pathspec < 1.0 has one backend only
        return pathspec.GitIgnoreSpec.from_lines(lines)

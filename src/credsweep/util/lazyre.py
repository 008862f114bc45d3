"""Module-level regular expressions compiled on first use.

Compiling a pattern costs tens to hundreds of microseconds; credsweep's modules hold about ninety,
most of which a given run never uses (the pre-commit hook with nothing to report uses a handful).
``lazy`` stands in for ``re.compile`` at module level: the pattern compiles the first time one of its
attributes is read, and from then on the compiled pattern's methods are the object's own attributes,
so a use costs what it costs on a ``re.Pattern``.
"""

from __future__ import annotations

import re
from typing import Any, cast, overload

_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "pattern", "flags", "groups", "groupindex")


class _Lazy:
    """A pattern and its flags until first use; then the compiled pattern's attributes."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # only called for attributes the instance does not have yet: the first use of the pattern
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        pattern, flags = self._source
        compiled: re.Pattern[Any] = re.compile(pattern, flags)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


@overload
def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def lazy(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def lazy(pattern: str | bytes, flags: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
    """``re.compile(pattern, flags)``, done when the pattern is first used (see the module docstring)."""
    return cast("re.Pattern[str] | re.Pattern[bytes]", _Lazy(pattern, flags))

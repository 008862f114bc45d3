"""TOML parsing, with the parser imported only when a TOML file is actually read (the hook's
start-up matters: most runs read no TOML at all, the rulesets coming from the cache)."""

from __future__ import annotations

import sys
from typing import Any


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error raises ``tomllib.TOMLDecodeError``, a ``ValueError``."""
    if sys.version_info >= (3, 11):
        import tomllib as parser
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as parser
    data: dict[str, Any] = parser.loads(text)
    return data

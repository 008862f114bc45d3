"""The one checker of TOML tables (the configuration, rulesets, the sensitive-file catalogue): unknown
keys are errors everywhere, each key's type is checked, and every message names the file, the table and
the key. Raises ``SchemaError`` (a ``ValueError``); callers turn it into their own error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class SchemaError(ValueError):
    """A table breaks its schema; the message is one line naming where and what."""


def only_keys(table: Mapping[str, Any], known: Iterable[str], where: str) -> None:
    """Every key of ``table`` is one of ``known``."""
    allowed = set(known)
    for key in table:
        if key not in allowed:
            raise SchemaError(f"{where}: unknown key {str(key)[:60]!r} (known: {', '.join(sorted(allowed))})")


def need(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    """``table[key]``, which must exist and be a ``kind`` (an int is accepted where a float is asked)."""
    if key not in table:
        raise SchemaError(f"{where}: missing key '{key}'")
    return typed(table[key], kind, f"{where}: key '{key}'")


def optional(table: Mapping[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
    """``table[key]`` checked like ``need`` when present, else ``default``."""
    return need(table, key, kind, where) if key in table else default


def strings(table: Mapping[str, Any], key: str, where: str, required: bool = False) -> tuple[str, ...]:
    """``table[key]`` as a tuple of strings (absent and not required: empty)."""
    if key not in table:
        if required:
            raise SchemaError(f"{where}: missing key '{key}'")
        return ()
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SchemaError(f"{where}: key '{key}' must be a list of strings")
    return tuple(value)


def typed(value: Any, kind: type, what: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise SchemaError(f"{what} must be a {kind.__name__}")
    return value

"""The user's folders, by the XDG Base Directory specification: one place that reads the variables, at
call time (never cached: tests and long-running workers may change the environment)."""

from __future__ import annotations

import os
from pathlib import Path


def _base(variable: str, *fallback: str) -> Path:
    value = os.environ.get(variable)
    # the specification: a relative path is invalid and must be ignored
    if value and os.path.isabs(value):
        return Path(value)
    return Path(os.path.expanduser("~"), *fallback)


def data_home() -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share``."""
    return _base("XDG_DATA_HOME", ".local", "share")


def cache_home() -> Path:
    """``$XDG_CACHE_HOME`` or ``~/.cache``."""
    return _base("XDG_CACHE_HOME", ".cache")


def config_home() -> Path:
    """``$XDG_CONFIG_HOME`` or ``~/.config``."""
    return _base("XDG_CONFIG_HOME", ".config")


def data_dir() -> Path:
    """credsweep's data folder (salt, cache key, the embedded fleet store)."""
    return data_home() / "credsweep"


def cache_dir() -> Path:
    """credsweep's cache folder (compiled rules and Hyperscan databases, fleet mirrors)."""
    return cache_home() / "credsweep"

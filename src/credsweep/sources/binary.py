"""Binary sniffing: which contents are not scanned as text."""

from __future__ import annotations

BINARY_SNIFF = 8000
"""Bytes looked at: git's own heuristic reads the first 8000."""


def is_binary(data: bytes | memoryview) -> bool:
    """git's own heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in bytes(data[:BINARY_SNIFF])

"""Binary sniffing: which contents are not scanned as text."""

from __future__ import annotations

BINARY_SNIFF = 8000
"""Bytes looked at: git's own heuristic reads the first 8000."""


SQLITE_MAGIC = b"SQLite format 3\x00"
"""A SQLite database's header: such a file is read for its text cells (``content.stores``), not skipped."""


def is_binary(data: bytes | memoryview) -> bool:
    """git's own heuristic (a NUL byte in the first 8000 bytes), except a SQLite database: the content
    stage reads its text cells."""
    head = bytes(data[:BINARY_SNIFF])
    return b"\0" in head and not head.startswith(SQLITE_MAGIC)

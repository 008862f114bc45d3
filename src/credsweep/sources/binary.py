"""Binary sniffing: which contents are not scanned as text."""

from __future__ import annotations

BINARY_SNIFF = 8000
"""Bytes looked at: git's own heuristic reads the first 8000."""


SQLITE_MAGIC = b"SQLite format 3\x00"
"""A SQLite database's header: such a file is read for its text cells (``content.stores``), not skipped."""
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
"""A ZIP archive's first bytes (a local file header; an empty archive's end record): such a file is read
for its text members (``content.archives``), not skipped."""


def read_inside(head: bytes | bytearray | memoryview) -> bool:
    """The content starts like a container the content stage reads (a SQLite database, a ZIP archive)."""
    return bytes(head[:16]) == SQLITE_MAGIC or bytes(head[:4]) in ZIP_MAGICS


def is_binary(data: bytes | memoryview) -> bool:
    """git's own heuristic (a NUL byte in the first 8000 bytes), except a SQLite database or a ZIP archive:
    the content stage reads their text cells and members."""
    head = bytes(data[:BINARY_SNIFF])
    return b"\0" in head and not read_inside(head)

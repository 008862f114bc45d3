"""Databases committed as files: the text cells of a SQLite database, as text the content stage reads.

A committed SQLite file (an app's ``instance/app.db``, a test's ``oauth.sqlite``, a browser profile's
``key4.db``) is binary to git and to every text scanner, yet its tables hold the credentials an
application stored: OAuth access tokens, API keys, passwords. ``cells`` opens a temporary copy of the
bytes with the standard library's ``sqlite3`` (read-only and immutable: no journal, no lock, nothing
written, no schema code run), reads the text cells of every ordinary table (views and virtual tables
are not read: they run queries or modules the file chooses) and lays them out as one document, one
``column = value`` line per cell, so every rule reads a cell as it reads a line of a config file (a
keyword rule sees the column name as the key). ``Cell`` says which table, column and row each line
came from; the matcher reports a finding there.

The file is hostile like any scanned content: its size, tables, rows, cells and the work SQLite spends
are bounded (``MAX_*``, a progress handler), names are quoted, and any error ends the read with what was
read so far. Like the rest of the content stage, the outcome depends on the bytes alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credsweep.util.lazyre import lazy

if TYPE_CHECKING:
    import sqlite3

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite 3 database file."""
MAX_DATABASE_BYTES = 64 * 1024 * 1024
"""Database files larger than this are not opened (the scan's own ``max_file_size`` applies first)."""
MAX_TABLES = 256
"""Tables read per database."""
MAX_ROWS = 10_000
"""Rows read per table."""
MAX_CELL_BYTES = 64 * 1024
"""A longer text cell is read up to this many bytes."""
MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Text laid out per database, at most."""
MAX_STEPS = 50_000
"""Progress-handler calls (one per 1,000 SQLite virtual-machine instructions) before a read stops."""
_SAFE_NAME = lazy(r"[^\w.\-]")


def is_sqlite(data: bytes | memoryview) -> bool:
    """The content is a SQLite 3 database file (its 16-byte header)."""
    return bytes(data[:16]) == SQLITE_MAGIC


@dataclass(frozen=True)
class Cell:
    """Where one line of the laid-out text came from."""

    start: int
    """Offset of the cell's value in the document."""
    end: int
    """Offset just past it."""
    label: str
    """``table.column, rowid N`` (names as the file spells them); ``archive member NAME`` for an archive's
    member (``content.archives``)."""


def cells(data: bytes) -> tuple[bytes, tuple[Cell, ...]]:
    """The text cells of the SQLite database ``data`` as one document (``column = value`` per line) and
    where each came from, in document order; ``(b"", ())`` when it cannot be read."""
    if not is_sqlite(data) or len(data) > MAX_DATABASE_BYTES:
        return b"", ()
    import tempfile  # here, not at import: the pre-commit hook's start-up pays for it (shutil, bz2, lzma)

    folder = tempfile.mkdtemp(prefix="credsweep-db-")  # 0700: the copy is readable by this user only
    path = os.path.join(folder, "copy.sqlite")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return _read(path)
    except OSError:
        return b"", ()
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _read(path: str) -> tuple[bytes, tuple[Cell, ...]]:
    import sqlite3  # here, not at import: only a committed database needs it (and datetime with it)
    from urllib.parse import quote

    out = bytearray()
    found: list[Cell] = []
    try:
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return b"", ()
    steps = [0]

    def budget() -> int:
        steps[0] += 1
        return 1 if steps[0] > MAX_STEPS else 0  # non-zero interrupts the statement

    try:
        conn.set_progress_handler(budget, 1000)
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.text_factory = bytes  # undecodable text arrives as bytes, never an exception
        tables = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid LIMIT ?", (MAX_TABLES,)).fetchall()
        for raw_name, sql in tables:
            name = _text(raw_name)
            if not name or (sql and _text(sql).lstrip().upper().startswith("CREATE VIRTUAL")):
                continue
            if not _read_table(conn, name, out, found):
                break
    except sqlite3.Error:
        pass  # a damaged or hostile file: what was read so far stands
    finally:
        conn.close()
    return bytes(out), tuple(found)


def _read_table(conn: sqlite3.Connection, table: str, out: bytearray, found: list[Cell]) -> bool:
    """Lay out one table's text cells; False once the text budget is spent."""
    import sqlite3  # loaded already by ``_read``
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        cursor = conn.execute(f"SELECT rowid, * FROM {quoted} LIMIT ?", (MAX_ROWS,))
        with_rowid = True
    except sqlite3.Error:  # a WITHOUT ROWID table: rows are numbered in reading order
        cursor = conn.execute(f"SELECT * FROM {quoted} LIMIT ?", (MAX_ROWS,))
        with_rowid = False
    columns = [_text(d[0]) for d in cursor.description or ()]
    if with_rowid:
        columns = columns[1:]
    for number, row in enumerate(cursor, 1):
        rowid = row[0] if with_rowid else number
        for column, value in zip(columns, row[1:] if with_rowid else row, strict=False):
            text = value[:MAX_CELL_BYTES] if isinstance(value, bytes) else None
            if text is None or not text.strip() or not _readable(text):
                continue
            key = _SAFE_NAME.sub("_", column)[:64] or "value"
            head = f"{key} = ".encode()
            start = len(out) + len(head)
            out += head + text + b"\n"
            found.append(Cell(start, start + len(text), f"{table}.{column}, rowid {rowid}"))
            if len(out) >= MAX_TEXT_BYTES:
                return False
    return True


_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 13))


def _readable(value: bytes) -> bool:
    """A cell of text (UTF-8, no control characters but tab and newlines), not binary data."""
    if value.translate(None, _CONTROL) != value:
        return False
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value) if value is not None else ""

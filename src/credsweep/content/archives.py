"""Archives committed as files: the text members of a ZIP archive, as text the content stage reads.

A committed ZIP (a database service's "secure connect bundle" holding a client's ``key`` and
``cert``, a zipped ``.env`` sent to a colleague, a backup of a config folder) is binary to git and to
every text scanner, yet its members are the very files a scan would report if they were committed
unzipped. ``members`` reads the archive in memory with the standard library's ``zipfile`` (never
extracted, a member's name never used as a path), keeps each regular member whose content is text
(UTF-8, no control characters but tab and newlines) and lays them out as one document, one member's
text after another, each followed by a newline. ``stores.Cell`` says which member each stretch came
from (``archive member key``, the name quoted like ``git status`` quotes a path when it holds a control
or format character: it cannot reach a terminal raw); the matcher reports a finding there, with its
line inside the member.

An archive is recognised by its first bytes (a local file header, or the end record of an empty
archive), never by its name: so Office documents and Java/Python packages (``.docx``, ``.xlsx``,
``.jar``, ``.whl``, ``.apk``), which are ZIP archives, are read too. That is deliberate: a document's
XML can hold a password, a jar's ``application.properties`` a database URL with its password, and
what they hold is as committed as any file. It stays cheap: members whose names say they are compiled
code, images, fonts, media or archives (``BINARY_MEMBERS``: a jar's class files) are not opened, any other
member is sniffed on its first ``SNIFF_BYTES`` before more of it is inflated, and the bounds below hold
for every archive alike. An archive inside an
archive is not opened (its bytes are not text, so it is skipped like any binary member): the bounds
then hold for the outer archive alone, and a nested bomb costs nothing.

The file is hostile like any scanned content. Its size, the size of its central directory (which the
standard library turns into one object per entry before anything is read), the members read, the
bytes inflated per member and per archive and each member's compression ratio are bounded
(``MAX_*``); encrypted members are skipped; any error ends the read with what was read so far. So
the work is linear in the archive's size and bounded by constants besides. Like the rest of the
content stage, the outcome depends on the bytes alone.
"""

from __future__ import annotations

import io
import stat
import struct
from typing import TYPE_CHECKING

from credsweep.content.stores import Cell
from credsweep.util.pathnames import display

if TYPE_CHECKING:
    import zipfile

ZIP_MAGIC = b"PK\x03\x04"
"""A ZIP archive's first local file header: the first four bytes of every non-empty archive."""
ZIP_EMPTY_MAGIC = b"PK\x05\x06"
"""The end-of-central-directory record: the first four bytes of an empty archive."""
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
"""Archives larger than this are not opened (the scan's own ``max_file_size`` applies first)."""
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024
"""A larger central directory is not read: ``zipfile`` builds an object per entry (about a kilobyte of
memory and five microseconds each) before any member is read. Four megabytes are some 45,000 entries:
more than nearly any jar."""
MAX_MEMBERS = 1_000
"""Members opened per archive (directories, links, encrypted and empty members and ``BINARY_MEMBERS`` are
passed over unopened and not counted)."""
MAX_MEMBER_BYTES = 1024 * 1024
"""A longer member is read up to this many (inflated) bytes."""
MAX_INFLATED_BYTES = 16 * 1024 * 1024
"""Bytes inflated per archive, text or not, at most."""
MAX_RATIO = 100
"""A member is inflated to at most this many times its compressed size (or ``RATIO_FLOOR``): text rarely
compresses past 10:1, a compression bomb reaches 1,000:1 and is read only as far as this allows (its
beginning, like any long member's). So the bytes inflated grow with the archive's size, never faster."""
RATIO_FLOOR = 64 * 1024
"""Below this many inflated bytes the ratio is not judged (a short file of spaces compresses 100:1)."""
SNIFF_BYTES = 1024
"""A member's first bytes, inflated and looked at before the rest: binary content stops there."""
BINARY_MEMBERS = (".class", ".dex", ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".pyc", ".png", ".jpg", ".jpeg",
                  ".gif", ".ico", ".webp", ".woff", ".woff2", ".ttf", ".otf", ".jar", ".zip", ".gz", ".mp3", ".mp4")
"""Members passed over unopened by their name's suffix (any case): compiled code, images, fonts, media and
archives, whose bytes are never text. Only a cost saving (a jar's class files are most of its members:
sniffing them cost two milliseconds of CPU per jar of 75 classes); what is text is decided by content."""
MAX_NAME_CHARS = 200
"""A member's name is shown up to this many characters."""
_EOCD_SIZE = 22
_ZIP64_COUNT = 0xFFFF
_ZIP64_SIZE = 0xFFFFFFFF
_ENCRYPTED = 0x1
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 13))


def is_zip(data: bytes | memoryview) -> bool:
    """The content is a ZIP archive (its first four bytes: a local file header, or an empty archive)."""
    return bytes(data[:4]) in (ZIP_MAGIC, ZIP_EMPTY_MAGIC)


def members(data: bytes) -> tuple[bytes, tuple[Cell, ...]]:
    """The text members of the ZIP archive ``data`` as one document (each member's text and a newline)
    and where each came from, in document order; ``(b"", ())`` when nothing can be read."""
    if not is_zip(data) or len(data) > MAX_ARCHIVE_BYTES or not _directory_fits(data):
        return b"", ()
    import zipfile  # here, not at import: the pre-commit hook's start-up pays for it (shutil, bz2, lzma)
    import zlib

    damaged: tuple[type[Exception], ...] = (
        zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError,
        ValueError, KeyError, IndexError, OverflowError, struct.error, *_codec_errors())

    out = bytearray()
    found: list[Cell] = []
    budget = MAX_INFLATED_BYTES
    opened = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if opened >= MAX_MEMBERS or budget <= 0:
                    break
                if not _regular(info):
                    continue
                opened += 1
                # a compression bomb is read no further than any member its compressed size could be
                limit = min(MAX_MEMBER_BYTES, budget, max(RATIO_FLOOR, MAX_RATIO * info.compress_size))
                try:
                    text, inflated = _read_text(archive, info, limit)
                except NotImplementedError:  # a compression method zipfile lacks (deflate64, ...)
                    continue
                budget -= inflated
                if text is None or not text.strip():
                    continue
                start = len(out)
                out += text + b"\n"
                found.append(Cell(start, start + len(text), "archive member " + _label(info.filename)))
    except damaged:
        pass  # a damaged or hostile archive: what was read so far stands
    return bytes(out), tuple(found)


def _codec_errors() -> tuple[type[Exception], ...]:
    """The LZMA decoder's own error (bzip2's is an ``OSError``); none when Python was built without it."""
    try:
        from lzma import LZMAError
    except ImportError:
        return ()
    return (LZMAError,)


def _regular(info: zipfile.ZipInfo) -> bool:
    """A member worth opening: a file (not a directory or a link), not encrypted, not empty."""
    if info.is_dir() or info.flag_bits & _ENCRYPTED or info.file_size <= 0 or info.compress_size < 0:
        return False
    if info.filename[-7:].lower().endswith(BINARY_MEMBERS):
        return False
    mode = info.external_attr >> 16
    return not (info.create_system == 3 and stat.S_IFMT(mode) and not stat.S_ISREG(mode))  # 3: a Unix mode


def _read_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[bytes | None, int]:
    """Up to ``limit`` bytes of one member, inflated in two steps (its head first), and how many bytes
    were inflated; the text is None when the member is not text."""
    with archive.open(info) as stream:
        head = stream.read(min(limit, SNIFF_BYTES))
        if not _plain(head):
            return None, len(head)
        rest = stream.read(limit - len(head)) if len(head) < limit and len(head) == SNIFF_BYTES else b""
    raw = head + rest
    if not _plain(rest):
        return None, len(raw)
    truncated = len(raw) >= limit and info.file_size > len(raw)
    return _utf8(raw, truncated), len(raw)


def _plain(chunk: bytes) -> bool:
    """No control character but tab and newlines (so no NUL: not a binary file, not an archive)."""
    return chunk.translate(None, _CONTROL) == chunk


def _utf8(raw: bytes, truncated: bool) -> bytes | None:
    """``raw`` when it is UTF-8 (a character the read cut short dropped), else None."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if truncated and error.start >= len(raw) - 3 and error.reason == "unexpected end of data":
            return raw[:error.start]
        return None
    return raw


def _label(name: str) -> str:
    """A member's name for a person: git's quoting when it holds a control or format character."""
    shown = name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS] + "..."
    return display(shown)


def _directory_fits(data: bytes) -> bool:
    """The central directory is at most ``MAX_DIRECTORY_BYTES`` (read from the end record as ``zipfile``
    finds it; a ZIP64 archive's sizes are not read here, so it must be small as a whole)."""
    if len(data) <= MAX_DIRECTORY_BYTES:
        return True
    at = len(data) - _EOCD_SIZE
    if data[at:at + 4] != ZIP_EMPTY_MAGIC:
        at = data.rfind(ZIP_EMPTY_MAGIC, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
    if at < 0 or at + _EOCD_SIZE > len(data):
        return False  # no end record: zipfile could not open it either
    count = int.from_bytes(data[at + 10:at + 12], "little")
    size = int.from_bytes(data[at + 12:at + 16], "little")
    return count != _ZIP64_COUNT and size != _ZIP64_SIZE and size <= MAX_DIRECTORY_BYTES

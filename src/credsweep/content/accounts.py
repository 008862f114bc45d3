"""The account a password belongs to: the user name written with it in the same record.

A saved login, an sftp deployment config or a ``.env`` block writes a user name a line or two from its
password (``"username": "root"``, ``<User>root</User>``, ``DB_USERNAME=root``, Firefox's
``encryptedUsername``). Rotating that password means knowing whose it is, so a password's finding
carries the user name as its identifier, with its line: shown beside the secret, masked to its ends,
like an AWS key id beside its secret. A user name never raises a password's confidence (it says whose
the password is, not that it is real) and is never reported alone.

The record is the password's line and up to ``REACH`` lines either side, not past a blank line; of the
user names there, one under a key with the password key's own prefix (``DB_USERNAME`` for
``DB_PASSWORD``) wins, then the nearest, then the one above.
"""

from __future__ import annotations

import re

REACH = 3
"""Lines either side of a password searched for its user name."""
_MAX_LINE = 512
"""Longer lines are data or code, not one field of a record."""

_KEY_VALUE = re.compile(
    rb"""[ \t]*(?:export[ \t]+)?["']?([A-Za-z_][\w.-]{0,48})["']?[ \t]*(?:[:=][ \t]*|[ \t]+)"""
    rb"""(["']?)([^\s"'<>,;{}()\[\]$%`\\]{1,128})\2[ \t]*,?[ \t]*\r?""")
"""A whole line that is one field: ``key = value``, ``key: "value"``, ``"key": "value",``, ``key value``."""
_ELEMENT = re.compile(rb"[ \t]*<([A-Za-z_][\w.-]{0,48})>[ \t]*([^\s<>$%{}]{1,128})[ \t]*</\1>[ \t]*\r?")
"""A whole line that is one XML element: ``<User>root</User>``."""
_PASSWORD_KEY = re.compile(rb"""[ \t]*(?:export[ \t]+)?["'<]?([A-Za-z][A-Za-z0-9]*)[_.-]""")
"""The first word of a password's own key, when the key has more than one (``DB`` of ``DB_PASSWORD``)."""
_NOT_NAMES = frozenset({b"true", b"false", b"null", b"none", b"nil", b"yes", b"no", b"on", b"off", b"required",
                        b"optional", b"string", b"str"})


def _user_key(key: bytes) -> bool:
    """``key`` names a user name: ``user``, ``username``, ``DB_USER``, ``MAIL_USERNAME``, ``login``,
    ``encryptedUsername`` (not ``usernameField``, ``user_agent`` or ``users``)."""
    flat = key.lower().replace(b"_", b"").replace(b"-", b"").replace(b".", b"")
    return flat.endswith((b"user", b"username")) or flat in (b"login", b"loginname", b"userid")


def _field(line: bytes) -> tuple[bytes, bytes, int] | None:
    """(key, value, the value's offset in ``line``) of a line that is one key-value field or XML element,
    else None."""
    if len(line) > _MAX_LINE:
        return None
    found = _KEY_VALUE.fullmatch(line)
    if found:
        return found.group(1), found.group(3), found.start(3)
    found = _ELEMENT.fullmatch(line)
    return (found.group(1), found.group(2), found.start(2)) if found else None


def _first_word(key: bytes) -> bytes:
    return re.split(rb"[_.-]", key, maxsplit=1)[0].lower()


def account_near(data: bytes, start: int) -> tuple[str, int] | None:
    """The user name of the password at byte ``start`` of ``data`` and the offset of its value, or None
    (see the module docstring)."""
    # every search is bounded: a record's lines are short, and a minified file's one long line holds no record
    line_start = data.rfind(b"\n", max(0, start - _MAX_LINE), start) + 1
    line_end = data.find(b"\n", start, start + _MAX_LINE)
    if (line_start == 0 and start > _MAX_LINE) or (line_end < 0 and len(data) - start > _MAX_LINE):
        return None
    line_end = len(data) if line_end < 0 else line_end
    own = _PASSWORD_KEY.match(data, line_start, min(line_end, line_start + _MAX_LINE))
    prefix = own.group(1).lower() if own else None
    best: tuple[tuple[int, int, int], str, int] | None = None
    for direction in (-1, 1):
        begin, end = line_start, line_end
        for distance in range(1, REACH + 1):
            if direction < 0:
                if begin == 0:
                    break
                end = begin - 1
                begin = data.rfind(b"\n", max(0, end - _MAX_LINE - 1), end) + 1
                if begin == 0 and end > _MAX_LINE + 1:
                    break  # a line longer than any field: the record ends
            else:
                if end >= len(data):
                    break
                begin = end + 1
                end = data.find(b"\n", begin, begin + _MAX_LINE + 1)
                if end < 0:
                    if len(data) - begin > _MAX_LINE + 1:
                        break
                    end = len(data)
            line = data[begin:end]
            if not line.strip():
                break  # a blank line ends the record
            field = _field(line)
            if field is None or not _user_key(field[0]) or field[1].lower() in _NOT_NAMES:
                continue
            key, value, at = field
            rank = (0 if prefix and _first_word(key) == prefix else 1, distance, 0 if direction < 0 else 1)
            if best is None or rank < best[0]:
                best = (rank, value.decode("utf-8", "replace"), begin + at)
            break  # the nearest user name this way; farther ones belong to another record
    return None if best is None else (best[1], best[2])

"""File names that are not text: how a path read from git or the file system reaches every output intact.

git and POSIX file names are bytes. Every source decodes them with ``surrogateescape``, so a name that
is not valid UTF-8 stays a ``str`` in which each undecodable byte is a lone surrogate (U+DC80 to
U+DCFF); ``raw`` gives the exact bytes back. Such a string cannot be encoded as UTF-8 as it stands, so
each output format chooses a representation here:

- people (text, markdown): ``display`` quotes the name the way git does (``"caf\\351.txt"``): octal
  escapes for undecodable bytes, control and format characters (a hostile name cannot move the
  cursor, recolour the terminal or reorder text); names that need none of that are shown as they are;
- JSON: ``lossy`` (valid Unicode, U+FFFD for each undecodable byte) plus the exact bytes in base64
  (``b64``), see docs/json-output.md;
- SARIF: ``uri`` percent-encodes the exact bytes (RFC 3986);
- shell commands in advice: ``shell_quote`` (POSIX quoting, or ``$'...'`` with ``\\xNN`` escapes when
  the name is not plain text).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from credsweep.util.lazyre import lazy

_UNSAFE = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
"""Characters that make a name need ``shell_quote``'s ``$'...'`` form (``sanitize`` escapes them in text)."""
_GIT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
                '"': '\\"', "\\": "\\\\"}


def raw(path: str) -> bytes:
    """The exact bytes of a name decoded with ``surrogateescape``."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no decoder of ours produces: keep it visible, never crash
        return path.encode("utf-8", "backslashreplace")


def is_text(path: str) -> bool:
    """True when ``path`` is valid UTF-8 (holds no smuggled byte), so it can be written as it is."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lossy(text: str) -> str:
    """Valid Unicode for ``text``: each undecodable byte becomes U+FFFD (for display fields)."""
    return text if is_text(text) else raw(text).decode("utf-8", "replace")


def b64(path: str) -> str:
    """The exact bytes of ``path`` in standard base64 (JSON ``*_base64`` fields)."""
    import base64  # the few helpers below import what only they use: the hook's start-up matters

    return base64.b64encode(raw(path)).decode("ascii")


def _octal(char: str) -> str:
    return "".join(f"\\{byte:03o}" for byte in raw(char))


def _escaped(char: str) -> str:
    """One character of ``display``: git's C escape, octal bytes for what must not reach a terminal."""
    if char in _GIT_ESCAPES:
        return _GIT_ESCAPES[char]
    if (char < " " or char >= "\x7f") and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return _octal(char)
    return char


def display(path: str) -> str:
    """``path`` for a person: unchanged when it is plain, else double-quoted with git's C escapes.

    Lossless: undecodable bytes, controls and format characters become octal escapes of their bytes,
    ``"`` and ``\\`` are escaped, so the quoted form names exactly one file (as ``git status`` does).
    """
    escaped = [_escaped(char) for char in path]
    if all(len(e) == 1 for e in escaped):
        return path
    return '"' + "".join(escaped) + '"'


def printable(text: str) -> str:
    """Running text (advice, values) safe for a terminal and encodable: ``sanitize.terminal`` (smuggled
    bytes and control or format characters, but tab and newline, become ``\\xNN`` / ``\\uNNNN`` escapes)."""
    from credsweep.util.sanitize import terminal

    return terminal(text)


def uri(path: str) -> str:
    """A relative URI reference for ``path``: its exact bytes percent-encoded (``/`` kept)."""
    from urllib.parse import quote

    return quote(raw(path), safe="/")


def shell_quote(path: str) -> str:
    """``path`` as one POSIX shell word that names exactly this file.

    Plain names use ``shlex.quote``; names holding undecodable bytes or control characters use
    ``$'...'`` (bash, zsh, ksh and POSIX.1-2024 sh) with ``\\xNN`` escapes of every non-printable byte.
    """
    if not _UNSAFE.search(path) and is_text(path):
        import shlex

        return shlex.quote(path)
    out = []
    for byte in raw(path):
        char = chr(byte)
        if char in ("'", "\\"):
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"


PATH_KEYS = frozenset({"path", "root", "renamed_from"})
"""JSON keys whose values are file names: a non-UTF-8 one also gets a ``<key>_base64`` sibling."""


def jsonable(value: Any) -> Any:
    """``value`` (nested dicts, lists, strings) with every string valid Unicode (``lossy``), and the exact
    bytes of each non-UTF-8 file name under ``PATH_KEYS`` kept beside it as ``<key>_base64``."""
    if isinstance(value, str):
        return lossy(value)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[lossy(key) if isinstance(key, str) else key] = jsonable(item)
            if key in PATH_KEYS and isinstance(item, str) and not is_text(item):
                out[f"{key}_base64"] = b64(item)
        return out
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` that never fails on a smuggled byte: the common case (all text) costs one check.
    Characters that could drive a terminal showing the document are written as escapes
    (``sanitize.json_text``)."""
    from credsweep.util.sanitize import json_text

    text = json.dumps(value, ensure_ascii=False, **options)
    return json_text(text if is_text(text) else json.dumps(jsonable(value), ensure_ascii=False, **options))


_SMUGGLED = lazy("[\udc80-\udcff]")


def encodable(text: str) -> str:
    """A whole report, written as UTF-8 whatever a file name smuggled into it: an undecodable byte
    left anywhere becomes ``\\xNN`` (the last safety net behind ``display`` and ``printable``)."""
    return _SMUGGLED.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", text)

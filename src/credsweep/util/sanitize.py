"""The one sanitiser for every text that reaches a person, whatever it came from.

A scanned repository controls much of what credsweep prints: file names, commit authors and subjects,
ref names, a committed baseline's rules, paths and reasons, the names and playbooks of rulesets it
adds, fleet repository names. Each output format gets one function here, and every reporter and
command routes repository-controlled text through it:

- ``terminal`` (and ``line`` for one-line fields): C0 and C1 control characters (ESC, BEL, CSI, ...),
  DEL, smuggled undecodable bytes, zero-width characters and bidirectional overrides become visible
  escapes (``\\x1b``, ``\\u202e``), so text cannot move the cursor, recolour the terminal, write the
  clipboard (OSC 52), ring the bell or reorder what a person reads. ``line`` also escapes newlines
  and tabs, so an author name cannot forge a line of the report.
- ``report``: the last safety net over a whole rendered text report (newlines and tabs kept; with
  ``colour``, only credsweep's own colour codes survive).
- ``markdown_text`` and ``markdown_code``: text outside and inside a code span, so a file name cannot
  inject HTML, a link or break out of its code span with a backtick.
- ``slack``: Slack's own escaping (``&``, ``<``, ``>``), so a file name cannot ping ``@channel`` or
  disguise a link.
- ``json_text``: a JSON document with the characters above written as ``\\uXXXX`` escapes (the JSON
  stays the same data; a terminal showing it stays safe).
"""

from __future__ import annotations

import re

from credsweep.util.lazyre import lazy

_INVISIBLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
"""Controls (but tab and newline), DEL, C1, smuggled bytes, zero-width, line/paragraph separators,
bidirectional marks, embeddings, overrides and isolates, BOM and interlinear annotations."""
_UNSAFE = lazy(f"[{_INVISIBLE}]")
_UNSAFE_LINE = lazy(f"[\t\n{_INVISIBLE}]")
_COLOURS = ("\033[0m", "\033[1;31m", "\033[31m", "\033[33m", "\033[36m")
"""The only escape sequences credsweep itself writes (``reporters.text``)."""
_OWN_COLOUR = lazy("\033\\[(?:0|1;31|31|33|36)m")
_MARKDOWN_SPECIAL = lazy(r"([\\`*_\[\]<>|~&])")
"""What Markdown or HTML interprets inside a line: code, emphasis, links and images (``[``), tags and
entities, table cells, strikethrough. (Line-start markers such as ``#`` or ``-`` cannot occur: the
text never starts a line.)"""
_SLACK = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte smuggled through surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Running text (advice, values, messages) safe for a terminal: newlines and tabs kept, every
    other control, format or smuggled character escaped."""
    return _UNSAFE.sub(_escape_one, text) if _UNSAFE.search(text) else text


def line(text: str) -> str:
    """A one-line field (author, subject, ref, rule name, reason) safe for a terminal: ``terminal``
    plus newlines and tabs escaped, so it cannot start a forged line of the report."""
    return _UNSAFE_LINE.sub(_escape_one, text) if _UNSAFE_LINE.search(text) else text


def report(text: str, colour: bool = False) -> str:
    """A whole rendered report: ``terminal`` over everything, keeping credsweep's own colour codes when
    ``colour`` (any other escape sequence, wherever it came from, is made visible)."""
    if not _UNSAFE.search(text):
        return text
    if not colour:
        return _UNSAFE.sub(_escape_one, text)
    parts = _OWN_COLOUR.split(text)
    codes = _OWN_COLOUR.findall(text)
    out = [terminal(parts[0])]
    for code, part in zip(codes, parts[1:], strict=True):
        out.append(code if code in _COLOURS else terminal(code))
        out.append(terminal(part))
    return "".join(out)


def markdown_text(text: str) -> str:
    """Text for Markdown outside code spans, after a list marker or inside a table cell (never at the
    start of a line): one line, control characters escaped, and every character Markdown or HTML would
    interpret there backslash-escaped (no tag, link, emphasis or table cell can start inside it)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", line(text))


def markdown_code(text: str) -> str:
    """``text`` as one Markdown code span: fenced with more backticks than any run inside it (so a
    backtick cannot close the span early), padded when it starts or ends with a backtick, one line,
    control characters escaped. Inside a code span HTML and links are shown, not interpreted."""
    text = line(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def slack(text: str) -> str:
    """Text for a Slack message (``text`` of a webhook): Slack's control characters ``&``, ``<`` and
    ``>`` escaped, so ``<!channel>`` or ``<mailto:...|label>`` in a file name shows as written."""
    return "".join(_SLACK.get(c, c) for c in terminal(text))


_JSON_UNSAFE = lazy("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw of ``_INVISIBLE`` (it escapes C0 itself)."""


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def json_text(text: str) -> str:
    """A JSON document (as ``json.dumps`` wrote it) with C1 controls, DEL, bidirectional and zero-width
    characters written as ``\\uXXXX`` escapes: the same data, safe to show in a terminal. Such
    characters only ever occur inside JSON strings, where an escape means the same character."""
    return _JSON_UNSAFE.sub(_json_escape, text) if _JSON_UNSAFE.search(text) else text

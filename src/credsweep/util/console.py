"""Messages on stderr without click: the pre-commit hook's path never imports it (see ``entry.py``)."""

from __future__ import annotations

import sys


def err(text: str, nl: bool = True) -> None:
    """Write ``text`` (and a newline) to stderr, as ``click.echo(err=True)`` does: flushed at once, and
    never an encoding error (a path or a commit subject may hold characters the terminal cannot show)."""
    stream = sys.stderr
    if stream is None:  # no stderr at all (a detached process): nothing to tell
        return
    data = text + ("\n" if nl else "")
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data)
        stream.flush()
        return
    stream.flush()
    buffer.write(data.encode(stream.encoding or "utf-8", "replace"))
    buffer.flush()

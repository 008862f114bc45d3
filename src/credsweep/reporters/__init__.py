"""Reporters render a Report for people (text, markdown) or machines (json, sarif).

The registry is explicit; tests check that every ``--format`` choice maps to a reporter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from credsweep.models import Report


class Reporter(Protocol):
    def __call__(self, report: Report, *, show_secrets: bool = False, color: bool = False,
                 all_locations: bool = False) -> str:
        """Render ``report``; secrets appear only when ``show_secrets``; people's formats list every
        location of a secret with ``all_locations`` (machine formats always do)."""
        ...


def get_reporter(name: str) -> Reporter:
    """The reporter for a ``--format`` value (imported lazily: start-up matters)."""
    if name == "text":
        from credsweep.reporters.text import render
    elif name == "json":
        from credsweep.reporters.json import render
    elif name == "sarif":
        from credsweep.reporters.sarif import render
    elif name == "markdown":
        from credsweep.reporters.markdown import render
    else:
        raise KeyError(name)
    return render


def get_stream(name: str) -> Callable[..., Iterator[str]] | None:
    """The streaming form of a machine format (JSON, SARIF: chunks written as rendered), else None."""
    if name == "json":
        from credsweep.reporters.json import stream
    elif name == "sarif":
        from credsweep.reporters.sarif import stream
    else:
        return None
    return stream


FORMATS = ("text", "json", "sarif", "markdown")

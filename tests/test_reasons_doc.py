"""docs/reasons.md names every reason a finding can carry, with what it means, taken from the predicate
that gives it (its docstring's first paragraph): a reason added without a line there fails here.

Regenerate after changing a predicate: ``CREDSWEEP_WRITE_DOCS=1 python -m pytest tests/test_reasons_doc.py``."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path

from credsweep.content import context, filters
from credsweep.judgement import location

DOC = Path(__file__).resolve().parents[1] / "docs" / "reasons.md"

OTHERS = {
    "sequential-string": "detect-secrets' sequential-string heuristic: a keyboard or alphabet run in one of several "
                         "alphabets (`qwertyuiop`, `abcdefgh`).",
    "checksum-mismatch": "a provider format whose built-in checksum fails (a GitHub or npm token's CRC32, a PyPI "
                         "macaroon's structure): typed by hand, not issued.",
    "many-matches": "one finding stands for every match of one rule in one file past the per-file cap; `line` is "
                    "where they start (a file of thousands of values is one entry, not thousands).",
    "test-fixture": "a label, never lowers: a real private key that tests, examples or docs use (shown grouped, "
                    "at low urgency).",
    "identifier-alone": "a label: an identifier (an AWS access key id, an OAuth client id) with no secret of its "
                        "own beside it; not secret in itself, so its urgency is its rule's level up to medium, "
                        "whatever its exposure, and any other reason lowers it (its format proves it was issued, "
                        "not that its secret is near).",
    "corroborated-by-identifier": "a label, never lowers: the secret sits next to the identifier it pairs with (an "
                                  "OAuth client id beside its secret), so it keeps or raises its confidence "
                                  "wherever it is.",
    "passphrase-protected": "a label, never lowers: a private key stored encrypted under a passphrase (PKCS#8 "
                            "`ENCRYPTED PRIVATE KEY`, `Proc-Type: 4,ENCRYPTED`, an OpenSSH or PuTTY key with a "
                            "cipher, an OpenPGP key whose secret part is protected): of use only with its passphrase, "
                            "so its urgency is high at most.",
    "ci-test-login": "a typed login (`typed-login`: a word or simple value, no real host beside it) in a CI "
                     "service's job definitions (`.github/workflows/`, `.evergreen/`, `.travis.yml`, "
                     "`appveyor.yml`...): the login a job gives the database it starts for its tests.",
    "container-login": "a typed login (`typed-login`) in a Docker Compose file, a Dockerfile or a `docker/` "
                       "folder: the login given to a container it starts (a test or development database).",
}


def summary(function: Callable[..., object]) -> str:
    """The first paragraph of ``function``'s docstring, on one line, in Markdown."""
    doc = inspect.getdoc(function) or ""
    first = doc.split("\n\n")[0]
    return re.sub(r"``([^`]+)``", r"`\1`", " ".join(first.split())).replace("|", "\\|")


def render() -> str:
    lines = [
        "# Reasons",
        "",
        "Every finding in JSON carries `reasons`: the names of the judgements that lowered its confidence "
        "(and two labels that never lower). A finding with any lowering reason is reported at `low` "
        "(hidden by default, shown with `--min-confidence low`), except a provider token whose checksum is "
        "valid and a real private key, which keep their confidence (the place then lowers their urgency). "
        "This page is generated from the code (`tests/test_reasons_doc.py`); each line is the first "
        "paragraph of the predicate that gives the reason.",
        "",
        "## What the value and its line say (content)",
        "",
        "| reason | meaning |",
        "|---|---|",
    ]
    content = dict(context.CONTENT_CONTEXT)
    lines += [f"| `{name}` | {summary(predicate)} |" for name, predicate in content.items()]
    lines += ["", "## Where the file is (location)", "", "| reason | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {summary(predicate)} |" for name, predicate in location.LOCATION_CONTEXT]
    lines += ["", "## What the value is (value filters)", "", "| reason | meaning |", "|---|---|"]
    value_filters: list[tuple[str, Callable[..., object]]] = [*filters.FILTERS, *filters.CONTEXT_FILTERS]
    # a name both a content predicate and a value filter give is listed once, under content
    lines += [f"| `{filters.REASON_NAMES[name]}` | {summary(predicate)} |" for name, predicate in value_filters
              if filters.REASON_NAMES[name] not in content]
    lines += ["", "## Others", "", "| reason | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in OTHERS.items()]
    return "\n".join(lines) + "\n"


def test_reasons_doc_is_current() -> None:
    text = render()
    if os.environ.get("CREDSWEEP_WRITE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, \
        "regenerate: CREDSWEEP_WRITE_DOCS=1 python -m pytest tests/test_reasons_doc.py"


def test_every_reason_name_has_a_line() -> None:
    names = re.findall(r"^\| `([a-z0-9\-]+)` \|", DOC.read_text(encoding="utf-8"), re.M)
    expected = {name for name, _ in context.CONTENT_CONTEXT} | {name for name, _ in location.LOCATION_CONTEXT}
    expected |= set(filters.REASON_NAMES.values()) | set(OTHERS)
    assert set(names) == expected and len(names) == len(set(names))

"""Fuzz targets: every parser credsweep owns, with a hypothesis strategy for its input.

A target runs its parser on one generated input. The property is the same for all: the parser
returns, or raises an error of the documented family (``CredsweepError``: a one-line message, exit
2); any other exception is a crash. Parsers of content found in scanned repositories (credential
files, encoded runs, notebooks) must not raise at all. ``tests/test_fuzz.py`` runs each target with
a small budget in the suite; ``benchmarks/fuzz_campaign.py`` runs at least 100,000 inputs each.
"""

from __future__ import annotations

import atexit
import json
import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from credsweep.errors import CredsweepError

# ---------------------------------------------------------------------------------------------------
# structured values, and TOML text written from them (valid TOML that carries the wrong types,
# unknown keys and odd values is what reaches the checks behind the TOML parser)

scalars = st.one_of(
    st.text(max_size=20), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.booleans(),
    st.sampled_from(["low", "medium", "high", "5MB", "0", "-1", "1e9GB", "(", "[a-", ".*", "a{99999999999}",
                     "(?P<secret>x)", "x" * 300, "scrypt", "accepted", "unaudited"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def keyed(known: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Tables whose keys are mostly the ones a parser knows, with values of any type."""
    return st.dictionaries(st.one_of(st.sampled_from(known), st.text(max_size=8)), values, max_size=len(known) + 2)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(table: dict[str, Any]) -> str:
    """TOML text for ``table`` (sub-tables inline); the TOML parser may still reject odd values."""
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())


def text_or_raw(structured: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Bytes of a structured document, of arbitrary text, or arbitrary bytes."""
    return st.one_of(structured.map(str.encode), st.text().map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.binary(max_size=300))


# ---------------------------------------------------------------------------------------------------
# a scratch folder per process: files are written there, never in the working directory

@lru_cache(maxsize=1)
def scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="credsweep-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)  # nothing left behind when the process ends
    return folder


def scratch_file(name: str, data: bytes) -> Path:
    path = scratch() / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------------
# targets

CONFIG_KEYS = ["rulesets", "disable_rules", "max_file_size", "min_confidence", "allowlist", "hygiene", "baseline"]
ALLOW_KEYS = ["paths", "values", "stopwords", "rules"]
config_tables = st.fixed_dictionaries({}, optional={
    "allowlist": keyed(ALLOW_KEYS) | values}).flatmap(lambda extra: keyed(CONFIG_KEYS).map(lambda t: {**t, **extra}))


def config_file(data: tuple[str, bytes]) -> None:
    """``.credsweep.toml`` and ``pyproject.toml`` ([tool.credsweep]) through ``load_config``."""
    from credsweep.config import load_config

    name, body = data
    folder = scratch() / "config"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(body)
    load_config(folder)
    load_config(folder, folder / name)


config_inputs = st.tuples(
    st.sampled_from([".credsweep.toml", "pyproject.toml"]),
    st.one_of(
        text_or_raw(config_tables.map(toml_document)),
        config_tables.map(lambda t: ("[tool.credsweep]\n" + toml_document(t)).encode()),
        values.map(lambda v: toml_document({"tool": v}).encode()),
    ),
)

CREDENTIAL_NAMES = ["config.toml", "config.json", "config.yaml", "secrets.yml", "settings.ini", "app.cfg",
                    "db.conf", ".env", ".env.example", "application.properties", "credentials", "notes.txt"]


def _yamlish(value: Any, depth: int = 0) -> str:
    pad = "  " * depth
    if isinstance(value, dict):
        return "".join(f"{pad}{json.dumps(str(k))}:\n{_yamlish(v, depth + 1)}" for k, v in value.items()) or pad + "{}\n"
    if isinstance(value, list):
        return "".join(f"{pad}-\n{_yamlish(v, depth + 1)}" for v in value) or pad + "[]\n"
    return pad + json.dumps(value if not isinstance(value, float) or math.isfinite(value) else str(value)) + "\n"


def _env_lines(table: dict[str, Any]) -> str:
    return "".join(f"{k}={v}\n" for k, v in table.items())


credential_documents = st.one_of(
    values.map(lambda v: json.dumps(v, allow_nan=True)),
    values.map(_yamlish),
    keyed(["password", "api_key", "token", "db.password", "secret"]).map(toml_document),
    keyed(["password", "api_key", "token", "db.password", "secret"]).map(_env_lines),
    st.lists(st.sampled_from(["[db]", "password = x9Kq2LmZ7pVr", "token: ${TOKEN}", "%(x)s", "[", "=", ":",
                              "key=", "\t", "[DEFAULT]", "a = %(a)s", "{", "---", "&a [*a]", "!!python/object"]),
             max_size=12).map("\n".join),
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 3000).map(lambda depth: '{"a":' * depth + '"x"' + "}" * depth),
)


def credential_file(data: tuple[str, bytes]) -> None:
    """``hygiene.credentials.credential_keys``: the parsers of config-like files in scanned repositories."""
    from credsweep.hygiene.credentials import credential_keys

    name, body = data
    credential_keys(name, body.decode("utf-8", "replace"))


credential_inputs = st.tuples(st.sampled_from(CREDENTIAL_NAMES), text_or_raw(credential_documents))


def encoded(data: bytes) -> None:
    """``detectors.decode.encoded_runs``: base64 and URL-encoded runs of scanned content."""
    from credsweep.content.decode import encoded_runs

    for start, end, raw, _ in encoded_runs(data):
        assert 0 <= start < end <= len(data) and isinstance(raw, bytes)


encoded_inputs = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from([b"QUJD", b"ZGVm", b"%41", b"%4", b"%%", b"=", b"==", b"-_", b"+/", b"\n", b"a1B2",
                              b"c2VjcmV0PXgxMjM0NTY3ODkw", b"\x00", b"\xff"]), max_size=60).map(b"".join),
)


@lru_cache(maxsize=1)
def scanner() -> Any:
    from credsweep.config import Config
    from credsweep.pipeline import Pipeline
    from credsweep.rules.loader import load_rulesets

    return Pipeline(Config(min_confidence="low"), load_rulesets(), salt=b"fuzz-salt")


def _cell(source: list[str]) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}


notebooks = st.lists(st.lists(st.one_of(
    st.text(max_size=40),
    st.sampled_from(["password = 'x9Kq2LmZ7pVr'\n", "token = \"", "\\n", "\\u0041", "api_key: QUJDREVGR0hJSktM\n",
                     "%70assword=%41%42%43%44%45%46%47%48\n", "ghp_", "-----BEGIN PRIVATE KEY-----\n"])),
    max_size=5).map(_cell), max_size=4).map(lambda cells: json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                                                                      "metadata": {}}, indent=1))
scan_inputs = st.tuples(st.sampled_from(["notebook.ipynb", "config.json", "app.py", "bundle.min.js"]),
                        text_or_raw(st.one_of(notebooks, values.map(lambda v: json.dumps(v, allow_nan=True)))))


def scan_content(data: tuple[str, bytes]) -> None:
    """``Scanner.scan_item`` on notebooks, JSON and arbitrary bytes: matching, decoding, positions."""
    from credsweep.models import ContentItem as Item

    path, body = data
    for finding in scanner().scan_item(Item(path=path, data=body)):
        assert finding.line is not None and finding.line >= 1 and finding.column is not None and finding.column >= 1


@lru_cache(maxsize=1)
def seed_archives() -> tuple[bytes, ...]:
    """Valid ZIP archives to mutate: every compression method ``zipfile`` writes, directories, a comment."""
    import io
    import zipfile

    out = []
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", method) as archive:
            archive.writestr("conf/", "")
            archive.writestr("conf/app.env", "password = 'x9Kq2LmZ7pVr'\n" * 3)
            archive.writestr("key", "-----BEGIN PRIVATE KEY-----\nQUJDREVGR0hJSktM\n-----END PRIVATE KEY-----\n")
            archive.writestr("blob.bin", bytes(range(256)) * 4)
            archive.comment = b"bundle"
        out.append(buffer.getvalue())
    return tuple(out)


def _mutated(plan: tuple[int, list[tuple[int, int]], int]) -> bytes:
    seed, edits, cut = plan
    data = bytearray(seed_archives()[seed % len(seed_archives())])
    for at, value in edits:
        data[at % len(data)] = value
    return bytes(data[:len(data) - cut % len(data)] if cut else data)


def zip_archive(data: bytes) -> None:
    """``content.archives.members`` on damaged archives: never raises, cells inside the document, in order."""
    from credsweep.content.archives import MAX_INFLATED_BYTES, members

    document, cells = members(data)
    assert len(document) <= MAX_INFLATED_BYTES + len(cells)
    assert all(0 <= c.start <= c.end < len(document) and document[c.end:c.end + 1] == b"\n" for c in cells)
    assert [c.start for c in cells] == sorted(c.start for c in cells)
    scanner().scan_item(_item("bundle.zip", data))


def _item(path: str, data: bytes) -> Any:
    from credsweep.models import ContentItem

    return ContentItem(path=path, data=data)


zip_inputs = st.tuples(st.integers(0, 3), st.lists(st.tuples(st.integers(0, 2**16), st.integers(0, 255)), max_size=8),
                       st.integers(0, 2**16)).map(_mutated)


BASELINE_KEYS = ["version", "salt", "kdf", "entries"]
ENTRY_KEYS = ["id", "kind", "rule", "preview", "status", "reason", "rotated_on", "locations", "added"]
baseline_documents = st.one_of(
    keyed(BASELINE_KEYS).map(lambda t: json.dumps(t, allow_nan=True)),
    st.tuples(st.one_of(st.just("00ff" * 8), st.text(max_size=10)), keyed(["name", "n", "r", "p", "dklen"]),
              st.lists(keyed(ENTRY_KEYS), max_size=3)).map(
        lambda t: json.dumps({"version": 1, "salt": t[0], "kdf": t[1], "entries": t[2]}, allow_nan=True)),
)


def baseline_file(body: bytes) -> None:
    """``baseline.load``: a committed baseline file (anyone with commit access can edit it)."""
    from credsweep.baseline.format import load

    load(scratch_file("baseline.json", body))


baseline_inputs = text_or_raw(baseline_documents)


@lru_cache(maxsize=1)
def sample_findings() -> list[Any]:
    """Real findings (a scan of a small generated file) for imports to map entries onto."""
    from credsweep.models import ContentItem as Item

    body = b"password = 'x9Kq2LmZ7pVr'\napi_key = \"Zq8LmX2pVr7tKw9N\"\n"
    return scanner().scan_item(Item(path="app/settings.py", data=body))  # type: ignore[no-any-return]


detect_secrets_documents = st.one_of(
    st.dictionaries(st.sampled_from(["app/settings.py", "x"]), st.lists(keyed(
        ["type", "filename", "hashed_secret", "is_verified", "line_number", "is_secret"]), max_size=3), max_size=3).map(
        lambda results: json.dumps({"version": "1.5.0", "results": results}, allow_nan=True)),
    keyed(["version", "results", "plugins_used", "filters_used"]).map(lambda t: json.dumps(t, allow_nan=True)),
)
gitleaks_documents = st.lists(st.one_of(
    st.text(max_size=60),
    st.tuples(st.sampled_from(["", "a" * 40 + ":", "x:"]), st.sampled_from(["app/settings.py", "a:b", ""]),
              st.sampled_from(["generic-api-key", ":", ""]), st.one_of(st.integers(-5, 5).map(str), st.text(max_size=4)),
              ).map(lambda t: f"{t[0]}{t[1]}:{t[2]}:{t[3]}")), max_size=6).map("\n".join)


def baseline_import(data: tuple[str, bytes]) -> None:
    """``baseline_import.import_file``: a detect-secrets ``.secrets.baseline`` or a ``.gitleaksignore``."""
    from credsweep.baseline.format import Baseline
    from credsweep.baseline.importers import import_file

    name, body = data
    baseline = Baseline(path=scratch() / "imported.json")
    import_file(scratch_file(name, body), sample_findings(), baseline)


baseline_import_inputs = st.one_of(
    st.tuples(st.just(".secrets.baseline"), text_or_raw(detect_secrets_documents)),
    st.tuples(st.just(".gitleaksignore"), text_or_raw(gitleaks_documents)),
)

ZERO = "0" * 40
object_ids = st.one_of(st.sampled_from([ZERO, "a" * 40, "B" * 64, "0" * 64, "-x", "HEAD", "a" * 39]),
                       st.text("0123456789abcdef", min_size=40, max_size=40), st.text(max_size=12))
prepush_inputs = st.lists(st.one_of(
    st.text(max_size=80),
    st.tuples(st.sampled_from(["refs/heads/main", "(delete)", ""]), object_ids,
              st.sampled_from(["refs/heads/main", "refs/tags/v1"]), object_ids).map(" ".join),
), max_size=6)


def prepush_lines(lines: list[str]) -> None:
    """``sources.prepush_input.parse_prepush_lines``: git's pre-push standard input."""
    from credsweep.sources.pushed import parse_prepush_lines

    for ref in parse_prepush_lines(lines):
        assert len(ref.local_id) in (40, 64) and len(ref.remote_id) in (40, 64)


PROVIDER_KEYS = ["id", "name", "console_url", "docs_url", "playbook"]
PLAYBOOK_KEYS = ["summary", "revoke", "audit", "verify", "commands", "urls"]
RULE_KEYS = ["id", "name", "pattern", "keywords", "severity", "confidence", "reference", "examples",
             "negative_examples", "entropy", "validator", "kind", "identifies", "placeholder", "scope", "prefilter"]
VALID_RULE = {"id": "x.token", "name": "X token", "pattern": "(?P<secret>xt_[a-z0-9]{8})", "keywords": ["xt_"],
              "severity": "high", "confidence": "high", "reference": "https://example.com",
              "examples": ["xt_abcd1234"], "negative_examples": []}


def _ruleset_document(parts: tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], Any]) -> str:
    provider, playbook, rules, extra = parts
    body = toml_document({"provider": {**provider, "playbook": playbook}, **({"rules": extra} if extra else {})})
    for rule in rules:
        body += "[[rules]]\n" + toml_document({**VALID_RULE, **rule})
    return body


ruleset_documents = st.tuples(
    keyed(PROVIDER_KEYS), keyed(PLAYBOOK_KEYS),
    st.lists(keyed(RULE_KEYS), max_size=3), st.one_of(st.none(), values),
).map(_ruleset_document)


def ruleset_file(body: bytes) -> None:
    """``rules.loader.parse_ruleset`` and the cross-file checks of ``_load_rulesets``: a user's own ruleset."""
    from credsweep.rules.loader import _load_rulesets, compile_errors

    path = scratch_file("custom.toml", body)
    for rule in _load_rulesets([path]).rules:
        compile_errors(rule)


ruleset_inputs = text_or_raw(ruleset_documents)


@dataclass(frozen=True)
class Target:
    """A parser and the inputs to feed it."""

    name: str
    run: Callable[[Any], None]
    inputs: st.SearchStrategy[Any]
    allowed: tuple[type[BaseException], ...] = (CredsweepError,)
    """Exceptions that are the parser's documented answer to bad input (none for scanned content)."""


TARGETS = (
    Target("config", config_file, config_inputs),
    Target("credential-files", credential_file, credential_inputs, ()),
    Target("encoded-runs", encoded, encoded_inputs, ()),
    Target("scan-notebook-json", scan_content, scan_inputs, ()),
    Target("zip-archive", zip_archive, zip_inputs, ()),
    Target("baseline-load", baseline_file, baseline_inputs),
    Target("baseline-import", baseline_import, baseline_import_inputs),
    Target("prepush-input", prepush_lines, prepush_inputs),
    Target("ruleset", ruleset_file, ruleset_inputs),
)


def check(target: Target, value: Any) -> None:
    """Run ``target`` on ``value``; its documented errors are fine, and must be one line."""
    try:
        target.run(value)
    except target.allowed as exc:
        assert "\n" not in str(exc), f"{target.name}: multi-line error: {str(exc)[:200]!r}"

"""Any file name, any format: names that are not UTF-8 (or that hold terminal escapes) reach every report
intact, as documented in docs/json-output.md, and never crash a reporter."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote_to_bytes

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, commit_all, fake_github_token, git, run_cli
from credsweep.util import pathnames

NAME = b"caf\xe9-\x1b[31m.txt"
"""Latin-1 e-acute (not UTF-8) and an ANSI colour escape: both must survive, neither may reach a terminal."""
SHOWN = '"caf\\351-\\033[31m.txt"'
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}  # as under a UTF-8 locale: a smuggled byte would crash


def _plant(repo: Path, name: bytes = NAME) -> str:
    token = fake_github_token()
    with open(os.path.join(os.fsencode(repo), name), "w") as handle:
        handle.write(f"token = {token}\n")
    return token


@pytest.fixture
def odd_repo(repo: Path) -> Path:
    _plant(repo)
    commit_all(repo)
    return repo


def _secret_findings(document: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in document["findings"] if f["kind"] == "secret"]


def _check_json(data: bytes) -> dict:  # type: ignore[type-arg]
    document = json.loads(data.decode("utf-8"))  # strict UTF-8 and valid JSON
    secrets = _secret_findings(document)
    assert secrets, document
    for finding in secrets:
        assert base64.b64decode(finding["path_base64"]) == NAME
        assert finding["path"] == NAME.decode("utf-8", "replace")
    return document


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_every_format_carries_a_non_utf8_name(odd_repo: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = run_cli("scan", "--format", fmt, "-o", str(out), cwd=odd_repo, env=STRICT)
    assert result.code == 1, result
    data = out.read_bytes()
    text = data.decode("utf-8")
    assert "\x1b" not in text  # the name's escape sequence is shown, never sent
    stdout = run_cli("scan", "--format", fmt, cwd=odd_repo, env=STRICT)
    assert stdout.code == 1 and "Traceback" not in stdout.stderr, stdout
    if fmt == "json":
        _check_json(data)
    elif fmt == "sarif":
        document = json.loads(text)
        jsonschema.validate(document, json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text()))
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in document["runs"][0]["results"]]
        assert uris and all(re.fullmatch(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+", uri) for uri in uris)
        assert {unquote_to_bytes(uri) for uri in uris} == {NAME}
    else:
        assert SHOWN in text and SHOWN in stdout.stdout


def test_history_json_and_sarif_carry_the_name(odd_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "history.json"
    assert run_cli("history", "--format", "json", "-o", str(out), cwd=odd_repo, env=STRICT).code == 1
    document = _check_json(out.read_bytes())
    provenance = _secret_findings(document)[0]["provenance"]
    assert base64.b64decode(provenance["path_base64"]) == NAME
    sarif = run_cli("history", "--format", "sarif", cwd=odd_repo, env=STRICT)
    assert sarif.code == 1
    jsonschema.validate(json.loads(sarif.stdout), json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text()))


def test_staged_block_message_and_json(repo: Path) -> None:
    (repo / "ok.txt").write_text("hello\n")
    commit_all(repo)
    _plant(repo, b"n\xe9w\xff.cfg")
    git(repo, "add", "-A")
    blocked = run_cli("staged", cwd=repo, env=STRICT)
    assert blocked.code == 1 and '"n\\351w\\377.cfg":1' in blocked.stderr, blocked
    document = json.loads(run_cli("staged", "--format", "json", cwd=repo, env=STRICT).stdout)
    assert {base64.b64decode(f["path_base64"]) for f in _secret_findings(document)} == {b"n\xe9w\xff.cfg"}


def test_fix_commands_for_an_odd_name_work_when_followed(repo: Path) -> None:
    # untracked and holding a secret: the case where a file mode matters (tracked files keep no mode)
    write_repo = repo
    git(write_repo, "commit", "-q", "--allow-empty", "-m", "init")
    _plant(write_repo)
    target = os.path.join(os.fsencode(write_repo), NAME)
    os.chmod(target, 0o644)
    odd_repo = write_repo
    plan = run_cli("fix", cwd=odd_repo, env=STRICT)
    assert plan.code == 1, plan
    chmod = [line.strip() for line in plan.stdout.splitlines() if line.strip().startswith("chmod 600")]
    assert chmod == ["chmod 600 -- $'caf\\xe9-\\x1b[31m.txt'"]
    subprocess.run(["bash", "-c", chmod[0]], cwd=odd_repo, check=True)  # the advice, followed literally
    assert os.stat(target).st_mode & 0o777 == 0o600


names = st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"\0", b"x"))


@given(names)
def test_display_uri_and_base64_are_lossless(name: bytes) -> None:
    path = name.decode("utf-8", "surrogateescape")
    assert pathnames.raw(path) == name
    shown = pathnames.display(path)
    shown.encode("utf-8")  # always encodable
    assert not re.search("[\x00-\x1f\x7f-\x9f]", shown)
    if shown != path:  # quoted like git: C escapes, read back as git's own unquoting does
        assert shown.startswith('"') and shown.endswith('"')
        assert shown[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1") == name
    assert unquote_to_bytes(pathnames.uri(path)) == name
    assert base64.b64decode(pathnames.b64(path)) == name
    assert pathnames.jsonable({"path": path})["path"] == name.decode("utf-8", "replace")
    pathnames.printable(path).encode("utf-8")


@pytest.mark.parametrize("name", [NAME, b"it's here", b"a\\b\n\"c\"", b"\xff\xfe", b"plain.txt"])
def test_shell_quote_names_exactly_that_file(name: bytes) -> None:
    word = pathnames.shell_quote(name.decode("utf-8", "surrogateescape"))
    out = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True).stdout
    assert out == name

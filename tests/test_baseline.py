"""Baselines: identity survives moves, edits, renames, rebases and squashes; nothing reversible is stored."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commit_all, fake_aws_pair, fake_github_token, git, run_cli, write


def _secrets_in(findings: list[dict]) -> set[str]:
    return {f["path"] for f in findings if f["kind"] == "secret"}


@pytest.fixture
def baselined(repo: Path) -> tuple[Path, list[str]]:
    tokens = [fake_github_token(), fake_github_token("gho_")]
    write(repo, "app/settings.py", f'import os\n\nTOKEN = "{tokens[0]}"\nOTHER = 1\n')
    write(repo, "deploy/ci.yaml", f"steps:\n  - run: echo hi\n    env:\n      GH: {tokens[1]}\n")
    commit_all(repo, "add settings")
    write(repo, ".credsweep.toml", "hygiene = false\n")
    result = run_cli("baseline", "create", cwd=repo)
    assert result.code == 0, result
    return repo, tokens


def test_baseline_suppresses_and_survives_real_life(baselined: tuple[Path, list[str]]) -> None:
    repo, tokens = baselined
    assert run_cli("scan", "--baseline", ".credsweep-baseline.json", "--no-hygiene", cwd=repo).code == 0
    # move lines and edit elsewhere
    write(repo, "app/settings.py", f'"""Settings."""\nimport os\n\n\nDEBUG = False\nTOKEN = "{tokens[0]}"\nOTHER = 2\n')
    commit_all(repo, "edit")
    # rename the file
    git(repo, "mv", "deploy/ci.yaml", "deploy/pipeline.yaml")
    commit_all(repo, "rename")
    # rebase onto a new root commit and squash everything
    git(repo, "checkout", "-q", "-b", "side", "HEAD~2")
    write(repo, "NOTES.md", "notes\n")
    commit_all(repo, "side")
    git(repo, "checkout", "-q", "main")
    git(repo, "rebase", "-q", "side")
    git(repo, "reset", "--soft", git(repo, "rev-list", "--max-parents=0", "HEAD").strip())
    git(repo, "commit", "-q", "--no-verify", "-m", "squashed")
    result = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert result.code == 0, result
    assert result.json()["summary"]["baselined"] == 2
    history = run_cli("history", "--baseline", ".credsweep-baseline.json", "--format", "json", cwd=repo)
    assert history.code == 0 and history.json()["summary"]["baselined"] >= 2, history
    # a new secret is reported
    write(repo, "app/new.py", f'KEY = "{fake_github_token()}"\n')
    result = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert result.code == 1 and _secrets_in(result.json()["findings"]) == {"app/new.py"}
    commit_all(repo, "new secret")
    history = run_cli("history", "--baseline", ".credsweep-baseline.json", "--format", "json", cwd=repo)
    assert history.code == 1 and _secrets_in(history.json()["findings"]) == {"app/new.py"}


def test_baseline_file_holds_no_secret_and_no_plain_hash(baselined: tuple[Path, list[str]]) -> None:
    repo, tokens = baselined
    text = (repo / ".credsweep-baseline.json").read_text()
    data = json.loads(text)
    assert len(data["entries"]) == 2 and data["salt"] and data["kdf"]["name"] == "scrypt"
    for token in tokens:
        assert token not in text
        assert token[8:30] not in text
        for algo in ("sha1", "sha256", "md5", "sha512"):
            assert hashlib.new(algo, token.encode()).hexdigest() not in text


def test_update_removes_stale_and_keeps_status(baselined: tuple[Path, list[str]]) -> None:
    repo, tokens = baselined
    listing = run_cli("baseline", "audit", "--list", cwd=repo)
    first_id = listing.stdout.split()[0]
    marked = run_cli("baseline", "audit", "--entry", first_id, "--status", "accepted", "--reason", "test key", cwd=repo)
    assert marked.code == 0, marked
    # the marked entry's secret stays, the other one is removed from the code
    data = json.loads((repo / ".credsweep-baseline.json").read_text())
    kept = next(e for e in data["entries"] if e["id"].startswith(first_id))
    stale_path = "deploy/ci.yaml" if kept["locations"][0].startswith("app/") else "app/settings.py"
    (repo / stale_path).unlink()
    scan = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert scan.json()["summary"]["stale_baseline_entries"] == 1
    result = run_cli("baseline", "update", cwd=repo)
    assert "1 stale removed" in result.stdout, result
    data = json.loads((repo / ".credsweep-baseline.json").read_text())
    assert [(e["status"], e["reason"]) for e in data["entries"]] == [("accepted", "test key")]


def test_rotated_status_and_bad_baseline(baselined: tuple[Path, list[str]]) -> None:
    repo, _ = baselined
    entry = json.loads((repo / ".credsweep-baseline.json").read_text())["entries"][0]["id"]
    assert run_cli("baseline", "audit", "--entry", entry[:10], "--status", "rotated", cwd=repo).code == 0
    data = json.loads((repo / ".credsweep-baseline.json").read_text())
    rotated = next(e for e in data["entries"] if e["id"] == entry)
    assert rotated["status"] == "rotated" and rotated["rotated_on"]
    write(repo, "broken.json", "{not json")
    result = run_cli("scan", "--baseline", "broken.json", cwd=repo)
    assert result.code == 2 and "not a credsweep baseline" in result.stderr
    assert run_cli("baseline", "create", cwd=repo).code == 2  # refuses to overwrite


def test_import_detect_secrets_baseline(repo: Path) -> None:
    key_id, key_secret = fake_aws_pair()
    write(repo, "config.py", f'GITHUB = "{fake_github_token()}"\nAWS_ACCESS_KEY_ID = "{key_id}"\n')
    commit_all(repo)
    exe = shutil.which("detect-secrets", path=str(Path(sys.executable).parent))
    assert exe, "detect-secrets CLI is a dependency and must be installed"
    proc = subprocess.run([exe, "scan"], cwd=repo, capture_output=True, text=True, check=True)
    (repo / ".secrets.baseline").write_text(proc.stdout)
    assert json.loads(proc.stdout)["results"]["config.py"], "detect-secrets found nothing to import"
    before = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert len(before) >= 2
    result = run_cli("baseline", "import", ".secrets.baseline", cwd=repo)
    assert result.code == 0 and "Imported" in result.stdout, result
    after = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert after.code == 0, after
    assert proc.stdout.count("hashed_secret") >= 2
    stored = (repo / ".credsweep-baseline.json").read_text()
    for item in json.loads(proc.stdout)["results"]["config.py"]:
        assert item["hashed_secret"] not in stored  # we never keep detect-secrets' unsalted SHA-1


def test_import_gitleaks_ignore(repo: Path) -> None:
    write(repo, "a.env", f"X=1\nGH={fake_github_token()}\n")
    write(repo, "b.env", f"GH={fake_github_token()}\n")
    commit_all(repo)
    write(repo, ".gitleaksignore", "a.env:github-pat:2\nmissing.txt:generic-api-key:9\n")
    result = run_cli("baseline", "import", ".gitleaksignore", cwd=repo)
    assert result.code == 0 and "not mapped: missing.txt:9" in result.stdout, result
    after = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert _secrets_in(after.json()["findings"]) == {"b.env"}

"""End-to-end working-tree scans through the real CLI on real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import (
    ROOT,
    commit_all,
    fake_aws_pair,
    fake_github_token,
    fake_slack_bot_token,
    git,
    run_cli,
    write,
)


def _plant(repo: Path) -> dict[str, str]:
    gh = fake_github_token()
    key_id, key_secret = fake_aws_pair()
    slack = fake_slack_bot_token()
    write(repo, "src/app.py", f'import os\n\nGITHUB_TOKEN = "{gh}"\n')
    write(repo, "config/aws.ini", f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {key_secret}\n")
    write(repo, "deploy/notify.yaml", f"channel: ops\nslack:\n  bot_token: {slack}\n")
    commit_all(repo)
    return {"github": gh, "aws_id": key_id, "aws_secret": key_secret, "slack": slack}


def test_scan_reports_each_secret_at_its_path_and_line_and_redacts(repo: Path) -> None:
    planted = _plant(repo)
    result = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo)
    assert result.code == 1, result
    found = {(f["provider"], f["path"], f["line"]) for f in result.json()["findings"] if f["kind"] == "secret"}
    assert ("github", "src/app.py", 3) in found
    # the key id and its secret key are one credential: reported once, the id masked
    assert ("aws", "config/aws.ini", 3) in found
    aws = [f for f in result.json()["findings"] if f["provider"] == "aws"]
    assert len(aws) == 1 and aws[0]["identifier"].endswith(planted["aws_id"][-4:])
    assert ("slack", "deploy/notify.yaml", 3) in found
    for finding in result.json()["findings"]:
        assert finding["commit"] is None
        assert set(finding["advice"]) >= {"summary", "steps", "urls", "commands"}
        assert finding["fingerprint"] and finding["redacted"]
    for fmt in ("json", "sarif", "text", "markdown"):
        out = run_cli("scan", "--format", fmt, cwd=repo)
        for value in planted.values():
            assert value not in out.stdout and value not in out.stderr, fmt


def test_show_secrets_reveals_values(repo: Path) -> None:
    planted = _plant(repo)
    result = run_cli("scan", "--format", "json", "--show-secrets", cwd=repo)
    assert planted["github"] in result.stdout


def test_clean_repository_exits_zero(repo: Path) -> None:
    write(repo, "README.md", "# hello\n\nNothing secret here.\n")
    write(repo, "app.py", "import os\nTOKEN = os.environ['GITHUB_TOKEN']\n")
    commit_all(repo)
    result = run_cli("scan", cwd=repo)
    assert result.code == 0, result
    assert "No findings" in result.stdout


def test_sarif_validates_against_the_official_schema(repo: Path, tmp_path: Path) -> None:
    _plant(repo)
    out = tmp_path / "out.sarif"
    result = run_cli("scan", "--format", "sarif", "--output", str(out), cwd=repo)
    assert result.code == 1 and result.stdout == ""
    document = json.loads(out.read_text())
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    assert results and all(r["partialFingerprints"]["credsweep/v1"] for r in results)
    rule_ids = [r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]]
    assert all(r["ruleId"] == rule_ids[r["ruleIndex"]] for r in results)


def test_fingerprint_survives_moving_lines(repo: Path) -> None:
    token = fake_github_token()
    write(repo, "a.py", f'T = "{token}"\n')
    first = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"][0]
    write(repo, "a.py", f'# moved down\n\n\nT = "{token}"\n')
    second = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"][0]
    assert first["line"] == 1 and second["line"] == 4
    assert first["fingerprint"] == second["fingerprint"]


def test_untracked_files_scanned_ignored_only_on_request(repo: Path) -> None:
    write(repo, ".gitignore", "secret.txt\n")
    write(repo, "secret.txt", f"token={fake_github_token()}\n")
    write(repo, "untracked.txt", f"token={fake_github_token()}\n")
    commit_all(repo)
    git(repo, "rm", "-q", "--cached", "untracked.txt")
    paths = {f["path"] for f in run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]}
    assert paths == {"untracked.txt"}
    paths = {
        f["path"]
        for f in run_cli("scan", "--format", "json", "--no-hygiene", "--include-ignored", cwd=repo).json()["findings"]
    }
    assert paths == {"untracked.txt", "secret.txt"}


def test_binary_and_oversized_files_are_skipped(repo: Path) -> None:
    token = fake_github_token()
    (repo / "blob.bin").write_bytes(b"\0\1\2" + token.encode())
    write(repo, "big.txt", "x" * 2048 + f"\n{token}\n")
    write(repo, "small.txt", f"{token}\n")
    result = run_cli("scan", "--format", "json", "--max-file-size", "1KB", "--no-hygiene", cwd=repo)
    data = result.json()
    assert {f["path"] for f in data["findings"]} == {"small.txt"}
    assert data["summary"]["skipped"] == {"binary": 1, "too large": 1}


def test_inline_allow_comments(repo: Path) -> None:
    lines = [
        f'a = "{fake_github_token()}"  # credsweep:allow',
        f'b = "{fake_github_token()}"  # pragma: allowlist secret',
        f'c = "{fake_github_token()}"  // gitleaks:allow',
        "# credsweep:allow-next-line",
        f'd = "{fake_github_token()}"',
        f'e = "{fake_github_token()}"',
    ]
    write(repo, "x.py", "\n".join(lines) + "\n")
    findings = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert [f["line"] for f in findings] == [6]


def test_plain_folder_without_git(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    write(folder, "nested/app.env", f"GH={fake_github_token()}\n")
    findings = run_cli("scan", str(folder), "--format", "json", "--no-hygiene").json()["findings"]
    assert [f["path"] for f in findings] == ["nested/app.env"]


def test_subdirectory_scan_reports_repository_paths(repo: Path) -> None:
    write(repo, "a/inner.py", f"T='{fake_github_token()}'\n")
    write(repo, "b/outer.py", f"T='{fake_github_token()}'\n")
    findings = run_cli("scan", "a", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert [f["path"] for f in findings] == ["a/inner.py"]


def test_ci_scans_this_repository_and_fails_on_a_finding() -> None:
    """This repository's own scan (its 600 files: seconds, the suite's slowest in-process test) is a CI step
    of its own before the tests, like `rules check`: `scan .` exits 1 on a finding and fails CI."""
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "set -euo pipefail" in steps
    assert ".venv/bin/credsweep scan ." in steps
    assert steps.index(".venv/bin/credsweep scan .") < steps.index(".venv/bin/python -m pytest -n 2")

"""`credsweep staged`: exactly the index, only added lines, hygiene of staged paths, known credentials."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import commit_all, fake_github_token, git, run_cli, write


def test_blocks_staged_token_with_actionable_message(repo: Path) -> None:
    write(repo, "README.md", "hi\n")
    commit_all(repo)
    token = fake_github_token()
    write(repo, "app/config.py", f"DEBUG = False\nTOKEN = '{token}'\n")
    git(repo, "add", "app/config.py")
    result = run_cli("staged", cwd=repo)
    assert result.code == 1, result
    assert "app/config.py:2" in result.stderr and "GitHub personal access token" in result.stderr
    assert "credsweep:allow" in result.stderr and "baseline" in result.stderr and "rotated" in result.stderr
    assert token not in result.stderr + result.stdout


def test_reads_the_index_not_the_working_tree(repo: Path) -> None:
    write(repo, "a.py", "x = 1\n")
    commit_all(repo)
    token = fake_github_token()
    # clean content staged, secret only in the working tree: passes
    write(repo, "a.py", "x = 2\n")
    git(repo, "add", "a.py")
    write(repo, "a.py", f"x = 2\nT = '{token}'\n")
    assert run_cli("staged", cwd=repo).code == 0
    # secret staged, working tree cleaned afterwards: blocks
    git(repo, "add", "a.py")
    write(repo, "a.py", "x = 3\n")
    assert run_cli("staged", cwd=repo).code == 1


def test_only_added_lines_unless_whole_files(repo: Path) -> None:
    old = fake_github_token()
    write(repo, "legacy.py", f"T = '{old}'\n")
    commit_all(repo)
    write(repo, "legacy.py", f"T = '{old}'\nNEW = 1\n")
    git(repo, "add", "legacy.py")
    assert run_cli("staged", cwd=repo).code == 0
    assert run_cli("staged", "--whole-files", cwd=repo).code == 1


def test_multiline_private_key_first_line_added(repo: Path) -> None:
    import base64
    import secrets

    body = base64.b64encode(secrets.token_bytes(600)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    write(repo, "deploy/key.txt", f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n")
    git(repo, "add", "deploy/key.txt")
    result = run_cli("staged", "--format", "json", cwd=repo)
    assert result.code == 1 and any(f["rule"] == "private-key.openssh" for f in result.json()["findings"])


def test_staged_credential_files_and_modes(repo: Path) -> None:
    write(repo, ".env", "DEBUG=1\n")
    write(repo, "bin/.pypirc", "[pypi]\npassword = s3cr3t-Value\n", mode=0o755)
    git(repo, "add", "-f", ".env", "bin/.pypirc")
    findings = run_cli("staged", "--format", "json", cwd=repo).json()["findings"]
    rules = {(f["rule"], f["path"]) for f in findings}
    assert ("file.env", ".env") in rules
    assert ("file-mode.executable-credential", "bin/.pypirc") in rules


def test_clean_and_empty_index(repo: Path) -> None:
    assert run_cli("staged", cwd=repo).code == 0  # nothing staged, no commits yet
    write(repo, "ok.py", "print('hello')\n")
    git(repo, "add", "ok.py")
    result = run_cli("staged", "-v", cwd=repo)
    assert result.code == 0 and "scanned 1 files" in result.stderr


def test_corrupt_index_is_an_error(repo: Path) -> None:
    write(repo, "ok.py", "print('hello')\n")
    git(repo, "add", "ok.py")
    (repo / ".git" / "index").write_bytes(b"DIRC garbage")
    result = run_cli("staged", cwd=repo)
    assert result.code == 2 and "index" in result.stderr and "Traceback" not in result.stderr


def test_honours_git_index_file(repo: Path, tmp_path: Path) -> None:
    write(repo, "a.py", f"T = '{fake_github_token()}'\n")
    other_index = tmp_path / "alt-index"
    env = {"GIT_INDEX_FILE": str(other_index)}
    assert run_cli("staged", cwd=repo, env=env).code == 0  # the alternate index is empty
    import subprocess

    subprocess.run(["git", "add", "a.py"], cwd=repo, env={**os.environ, **env}, check=True)
    assert run_cli("staged", cwd=repo, env=env).code == 1
    assert run_cli("staged", cwd=repo).code == 0  # the default index has nothing staged


def test_known_credentials_exact_low_entropy(repo: Path, isolated_home: Path) -> None:
    (isolated_home / ".netrc").write_text("machine example.invalid login me password hunter22\n")
    write(repo, "notes.txt", "db pass is hunter22 for now\n")
    git(repo, "add", "notes.txt")
    assert run_cli("staged", cwd=repo).code == 0  # an ordinary word to every other detector
    result = run_cli("staged", "--known-credentials", "--format", "json", cwd=repo)
    assert result.code == 1
    finding = result.json()["findings"][0]
    assert finding["rule"] == "known.credential" and "~/.netrc" in finding["name"]
    assert "hunter22" not in result.stdout


def test_baseline_and_update_baseline_exit_3(repo: Path) -> None:
    write(repo, "a.py", f"T = '{fake_github_token()}'\n")
    git(repo, "add", "a.py")
    assert run_cli("baseline", "create", cwd=repo).code == 0  # records the working-tree finding
    assert run_cli("staged", "--baseline", ".credsweep-baseline.json", cwd=repo).code == 0
    write(repo, "b.py", f"T = '{fake_github_token()}'\n")
    git(repo, "add", "b.py")
    assert run_cli("staged", "--baseline", ".credsweep-baseline.json", cwd=repo).code == 1
    rewritten = run_cli("staged", "--baseline", ".credsweep-baseline.json", "--update-baseline", cwd=repo)
    assert rewritten.code == 3 and "1 new finding" in rewritten.stderr
    assert run_cli("staged", "--baseline", ".credsweep-baseline.json", cwd=repo).code == 0


def test_hook_command_line_runs_without_click_and_as_click_would(repo: Path, tmp_path: Path) -> None:
    """`credsweep staged` alone (pre-commit's command line) skips click: the same defaults, the same
    outcome, message and exit code as the same command through click, and click is never imported."""
    import subprocess
    import sys

    from credsweep.cli import staged
    from credsweep.commands.staged import HOOK_DEFAULTS, StagedRun

    assert StagedRun(**staged.make_context("staged", []).params) == HOOK_DEFAULTS

    write(repo, "README.md", "hi\n")
    commit_all(repo)
    write(repo, "app/settings.py", f"TOKEN = '{fake_github_token()}'\n")
    git(repo, "add", "app/settings.py")
    fast, through_click = run_cli("staged", cwd=repo), run_cli("staged", "--engine", "auto", cwd=repo)
    assert fast.code == through_click.code == 1
    assert fast.stderr == through_click.stderr and "app/settings.py:1" in fast.stderr

    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    fast, through_click = run_cli("staged", cwd=outside), run_cli("staged", ".", cwd=outside)
    assert fast.code == through_click.code == 2
    assert fast.stderr == through_click.stderr and fast.stderr.startswith("credsweep: error: ")
    assert fast.stderr.count("\n") == 1 and "Traceback" not in fast.stderr

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    for staged_text in (f"TOKEN = '{fake_github_token()}'\n", "x = 1\n"):  # a block and a pass
        write(repo, "app/settings.py", staged_text)
        git(repo, "add", "app/settings.py")
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "credsweep", "staged"], cwd=repo, env=env,
                              capture_output=True, text=True, check=False)
        imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
        assert "credsweep.commands.staged" in imported and proc.returncode in (0, 1)
        assert not {m for m in imported if m.split(".")[0] == "click"}, proc.returncode
        # a committed database's or archive's reader and the temporary files of writers load when used, not at
        # start-up
        assert not imported & {"sqlite3", "tempfile", "zipfile"}, proc.returncode

"""Baselines: identity survives moves, edits, renames, rebases and squashes; nothing reversible is stored."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SRC, commit_all, fake_aws_pair, fake_github_token, git, make_repo, rand, run_cli, write


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
    # unaudited entries: hooks stop blocking on them, reports keep showing them until a person decides
    unaudited = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--no-hygiene", cwd=repo)
    assert unaudited.code == 1 and "2 reported only because their baseline entries are unaudited" in unaudited.stdout
    marked = run_cli("baseline", "audit", "--all", "--status", "accepted", "--reason", "test keys", cwd=repo)
    assert marked.code == 0 and "2 entries marked accepted" in marked.stdout, marked
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
    repo, _tokens = baselined
    listing = run_cli("baseline", "audit", "--list", cwd=repo)
    first_id = listing.stdout.split()[0]
    marked = run_cli("baseline", "audit", "--entry", first_id, "--status", "accepted", "--reason", "test key", cwd=repo)
    assert marked.code == 0, marked
    # the marked entry's secret stays, the other one is removed from the code
    data = json.loads((repo / ".credsweep-baseline.json").read_text())
    kept = next(e for e in data["entries"] if e["id"].startswith(first_id))
    stale_path = "deploy/ci.yaml" if kept["paths"] == ["app/settings.py"] else "app/settings.py"
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


def _detect_secrets_baseline(repo: Path) -> dict:
    """A real ``detect-secrets scan`` of ``repo``, written to .secrets.baseline (never audited)."""
    exe = shutil.which("detect-secrets", path=str(Path(sys.executable).parent))
    assert exe, "detect-secrets CLI is a dependency and must be installed"
    proc = subprocess.run([exe, "scan"], cwd=repo, capture_output=True, text=True, check=True)
    (repo / ".secrets.baseline").write_text(proc.stdout)
    data = json.loads(proc.stdout)
    assert data["results"], "detect-secrets found nothing to import"
    return data


def test_import_unaudited_detect_secrets_baseline_keeps_reporting(repo: Path) -> None:
    key_id, _ = fake_aws_pair()
    write(repo, "config.py", f'GITHUB = "{fake_github_token()}"\nAWS_ACCESS_KEY_ID = "{key_id}"\n')
    commit_all(repo)
    data = _detect_secrets_baseline(repo)
    assert all("is_secret" not in item for item in data["results"]["config.py"])  # never audited
    before = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert len(before) >= 2
    result = run_cli("baseline", "import", ".secrets.baseline", cwd=repo)
    assert result.code == 0 and "Imported" in result.stdout and "unaudited" in result.stdout, result
    stored = json.loads((repo / ".credsweep-baseline.json").read_text())
    assert stored["entries"] and {e["status"] for e in stored["entries"]} == {"unaudited"}
    assert all("never audited" in e["reason"] for e in stored["entries"])
    # nothing was decided, so nothing is hidden from reports: every finding is still reported
    after = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert after.code == 1, after
    assert {f["fingerprint"] for f in after.json()["findings"]} == {f["fingerprint"] for f in before}
    assert after.json()["summary"]["baseline_unaudited"] == len(before)
    # ... while the hooks, whose job is new leaks, do not block on what was imported
    git(repo, "add", ".secrets.baseline", ".credsweep-baseline.json")
    assert run_cli("staged", "--whole-files", "--no-hygiene", cwd=repo).code == 0
    text = (repo / ".credsweep-baseline.json").read_text()
    for item in data["results"]["config.py"]:
        assert item["hashed_secret"] not in text  # we never keep detect-secrets' unsalted SHA-1


def test_import_keeps_detect_secrets_audit_verdicts(repo: Path) -> None:
    key_id, _ = fake_aws_pair()
    write(repo, "config.py", f'GITHUB = "{fake_github_token()}"\nAWS_ACCESS_KEY_ID = "{key_id}"\n')
    commit_all(repo)
    data = _detect_secrets_baseline(repo)
    # what `detect-secrets audit` writes: is_secret false (a false positive), true (a real secret)
    verdicts = {}
    for item in data["results"]["config.py"]:
        item["is_secret"] = item["line_number"] == 1
        verdicts[item["line_number"]] = item["is_secret"]
    (repo / ".secrets.baseline").write_text(json.dumps(data))
    assert run_cli("baseline", "import", ".secrets.baseline", cwd=repo).code == 0
    stored = json.loads((repo / ".credsweep-baseline.json").read_text())["entries"]
    by_rule = {e["rule"].split(".")[0]: e for e in stored}
    assert by_rule["github"]["status"] == "unaudited" and "audited there as a real secret" in by_rule["github"]["reason"]
    assert by_rule["aws"]["status"] == "false-positive"
    after = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert after.code == 1 and {f["line"] for f in after.json()["findings"]} == {1}, after


def test_import_gitleaks_ignore(repo: Path) -> None:
    write(repo, "a.env", f"X=1\nGH={fake_github_token()}\n")
    write(repo, "b.env", f"GH={fake_github_token()}\n")
    commit_all(repo)
    write(repo, ".gitleaksignore", "a.env:github-pat:2\nmissing.txt:generic-api-key:9\n")
    result = run_cli("baseline", "import", ".gitleaksignore", cwd=repo)
    assert result.code == 0 and "not mapped: missing.txt:9" in result.stdout, result
    entry = json.loads((repo / ".credsweep-baseline.json").read_text())["entries"][0]
    assert entry["status"] == "accepted" and entry["reason"].startswith("imported from .gitleaksignore")
    after = run_cli("scan", "--baseline", ".credsweep-baseline.json", "--format", "json", "--no-hygiene", cwd=repo)
    assert _secrets_in(after.json()["findings"]) == {"b.env"}


# --- a committed baseline reveals nothing ---------------------------------------------------------------

_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789#%@!"


def _repo_with_secrets(root: Path) -> tuple[Path, dict[str, str]]:
    """A repository holding a 20-character random password, a GitHub token and an AWS key pair."""
    repo = make_repo(root)
    key_id, key_secret = fake_aws_pair()
    found = {"password": rand(_PASSWORD_ALPHABET, 20), "github": fake_github_token(), "aws_id": key_id,
             "aws_secret": key_secret}
    write(repo, "app/settings.py", f'DB_PASSWORD = "{found["password"]}"\nGITHUB_TOKEN = "{found["github"]}"\n')
    write(repo, "deploy/aws.py", f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{key_secret}"\n')
    commit_all(repo)
    assert run_cli("baseline", "create", cwd=repo).code == 0
    return repo, found


def _visible_text(text: str) -> str:
    """The file text without its salt and entry ids: random or scrypt output (the test checks that each id
    is exactly the salted scrypt of a secret), so what remains is everything else a reader sees."""
    data = json.loads(text)
    for entry in data["entries"]:
        text = text.replace(entry["id"], "")
    return text.replace(data["salt"], "")


def _leaked_windows(secrets_: dict[str, str], text: str, control: str) -> list[str]:
    """4-character windows of the secrets (beyond the public prefix ``ghp_``/``AKIA``) found in ``text`` but
    not in ``control`` (the same file for other secrets: what is there by chance, in field names or dates)."""
    leaks = []
    for name, secret in secrets_.items():
        start = 4 if secret.startswith(("ghp_", "AKIA")) else 0
        for i in range(max(0, start - 3), len(secret) - 3):
            window = secret[i:i + 4]
            if i + 4 > start and window in text and window not in control:
                leaks.append(f"{name}[{i}:{i + 4}]")
    return leaks


def test_committed_baseline_reveals_no_four_characters_of_any_secret(tmp_path: Path) -> None:
    repo, found = _repo_with_secrets(tmp_path / "a")
    control_repo, _ = _repo_with_secrets(tmp_path / "b")
    text = (repo / ".credsweep-baseline.json").read_text()
    data = json.loads(text)
    rules = {e["rule"] for e in data["entries"] if e["kind"] == "secret"}
    assert {"generic.password", "github.pat.classic"} <= rules and any(r.startswith("aws.") for r in rules), rules
    # each id is exactly the salted scrypt of one secret: recompute them
    salt = bytes.fromhex(data["salt"])
    kdf = data["kdf"]
    expected = {hashlib.scrypt(f"secret\x1f{s}".encode(), salt=salt, n=kdf["n"], r=kdf["r"], p=kdf["p"],
                               dklen=kdf["dklen"]).hex() for s in found.values()}
    assert {e["id"] for e in data["entries"] if e["kind"] == "secret"} <= expected
    visible = _visible_text(text)
    control = _visible_text((control_repo / ".credsweep-baseline.json").read_text())
    assert _leaked_windows(found, visible, control) == []
    assert {e["prefix"] for e in data["entries"] if e["rule"] == "github.pat.classic"} == {"ghp_"}
    assert all(set(e) >= {"id", "kind", "prefix", "status", "paths"} and "preview" not in e and "locations" not in e
               for e in data["entries"])
    assert all(":" not in path for e in data["entries"] for path in e["paths"])  # no line numbers
    # the check is able to fail: a preview of 6 characters, as format 1 kept, is caught
    assert _leaked_windows(found, visible + found["password"][:6], control) == ["password[0:4]", "password[1:5]",
                                                                                "password[2:6]"]


def test_format_1_baseline_still_matches_and_is_rewritten_without_previews(repo: Path) -> None:
    token = fake_github_token()
    write(repo, "app.py", f'TOKEN = "{token}"\n')
    commit_all(repo)
    assert run_cli("baseline", "create", cwd=repo).code == 0
    data = json.loads((repo / ".credsweep-baseline.json").read_text())
    # what format 1 wrote: a preview of the secret and "path:line" locations
    data["version"] = 1
    for entry in data["entries"]:
        entry.pop("paths")
        entry.pop("prefix")
        entry.update(preview=token[:6] + "********(40 chars)", locations=["app.py:1"], status="accepted")
    (repo / ".credsweep-baseline.json").write_text(json.dumps(data))
    assert run_cli("scan", "--no-hygiene", cwd=repo).code == 0  # the default file, found without --baseline
    listing = run_cli("baseline", "audit", "--list", cwd=repo)
    assert "older format" in listing.stdout and "app.py" in listing.stdout
    assert run_cli("baseline", "update", cwd=repo).code == 0
    rewritten = (repo / ".credsweep-baseline.json").read_text()
    assert token[:6] not in rewritten and "app.py:1" not in rewritten and '"version": 2' in rewritten
    entry = next(e for e in json.loads(rewritten)["entries"] if e["kind"] == "secret")
    assert entry["status"] == "accepted" and entry["paths"] == ["app.py"] and entry["prefix"] == "ghp_"


# --- one place, found from every folder -------------------------------------------------------------------

def test_baseline_paths_are_relative_to_the_repository_root(repo: Path, tmp_path: Path) -> None:
    write(repo, "src/pkg/app.py", f'TOKEN = "{fake_github_token()}"\n')
    commit_all(repo)
    sub = repo / "src" / "pkg"
    # create from a sub-folder, and from outside the repository: the file lands at the root
    created = run_cli("baseline", "create", cwd=sub)
    assert created.code == 0 and (repo / ".credsweep-baseline.json").is_file() and not (sub / ".credsweep-baseline.json").exists()
    outside = run_cli("baseline", "create", str(repo), "--baseline", "ci/baseline.json", cwd=tmp_path)
    assert outside.code == 0, outside
    assert (repo / "ci" / "baseline.json").is_file() and not (tmp_path / "ci").exists()
    entries = json.loads((repo / "ci" / "baseline.json").read_text())["entries"]
    assert any(e["paths"] == ["src/pkg/app.py"] for e in entries)  # the whole repository, not the sub-folder
    for cwd in (repo, sub):  # the same --baseline works from any folder
        assert run_cli("baseline", "audit", "--all", "--status", "accepted", "--baseline", "ci/baseline.json",
                       cwd=cwd).code == 0
        assert run_cli("scan", str(repo), "--baseline", "ci/baseline.json", "--no-hygiene", cwd=cwd).code == 0
    assert run_cli("scan", str(repo), "--baseline", "ci/baseline.json", "--no-hygiene", cwd=tmp_path).code == 0


def test_configured_baseline_must_exist_and_create_makes_it(repo: Path) -> None:
    write(repo, "src/app.py", f'TOKEN = "{fake_github_token()}"\n')
    write(repo, ".credsweep.toml", 'baseline = "ci/credsweep-baseline.json"\nhygiene = false\n')
    commit_all(repo)
    sub = repo / "src"
    missing = run_cli("scan", cwd=sub)
    assert missing.code == 2 and "ci/credsweep-baseline.json" in missing.stderr, missing
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    assert run_cli("staged", cwd=sub).code == 2  # the hooks too: never silently unprotected
    created = run_cli("baseline", "create", cwd=sub)
    assert created.code == 0 and "ci/credsweep-baseline.json" in created.stdout, created
    assert (repo / "ci" / "credsweep-baseline.json").is_file()
    assert run_cli("baseline", "audit", "--all", "--status", "false-positive", cwd=sub).code == 0
    assert run_cli("scan", ".", cwd=sub).code == 0
    assert run_cli("scan", ".", cwd=repo).code == 0
    # the configuration travels with the repository: it may not point the baseline outside of it
    for outside in ("../elsewhere.json", "/tmp/credsweep-test-elsewhere.json"):
        write(repo, ".credsweep.toml", f'baseline = "{outside}"\nhygiene = false\n')
        refused = run_cli("baseline", "create", cwd=repo)
        assert refused.code == 2 and "inside the repository" in refused.stderr, refused
    assert not (repo.parent / "elsewhere.json").exists() and not Path("/tmp/credsweep-test-elsewhere.json").exists()


def test_deprecated_option_names_still_work(repo: Path, tmp_path: Path) -> None:
    write(repo, "a.env", f"X=1\nGH={fake_github_token()}\n")
    commit_all(repo)
    old = run_cli("baseline", "create", "--file", "old-name.json", cwd=repo)
    assert old.code == 0 and "--file is deprecated; use --baseline" in old.stderr and (repo / "old-name.json").is_file()
    both = run_cli("baseline", "update", "--file", "a.json", "--baseline", "b.json", cwd=repo)
    assert both.code == 2 and "give only --baseline" in both.stderr
    write(tmp_path, "ignore/.gitleaksignore", "a.env:github-pat:2\n")
    by_option = run_cli("baseline", "import", str(tmp_path / "ignore/.gitleaksignore"), "--path", str(repo),
                        "--baseline", "old-name.json", cwd=tmp_path)
    assert by_option.code == 0 and "--path is deprecated; use PATH" in by_option.stderr, by_option
    by_argument = run_cli("baseline", "import", str(tmp_path / "ignore/.gitleaksignore"), str(repo), cwd=tmp_path)
    assert by_argument.code == 0 and "Imported 1 entries" in by_argument.stdout, by_argument


# --- interactive audit ----------------------------------------------------------------------------------

def _wait_until_reading(pid: int) -> None:
    """Wait until the child sleeps in its read of the terminal, as it does when a person presses a key.

    A ^C typed in the instant between the prompt being written and the read starting is a real race of
    every program (the signal arrives, then the read blocks); a person cannot type that fast."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            time.sleep(0.5)  # no /proc: give it the time a person would take
            return
        if state == "S":
            time.sleep(0.1)
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
                return
        time.sleep(0.05)


def _drive_audit(repo: Path, answers: list[bytes], end: bytes) -> tuple[int, bytes]:
    """Run `baseline audit` on a pseudo-terminal (its controlling terminal), type ``answers`` one prompt at a
    time, then ``end`` at the next prompt: ^C (SIGINT) or ^D (end of input). Returns (exit code, output)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "TERM": "dumb"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: runs the real CLI with the terminal as stdin, stdout and stderr
        try:
            os.chdir(repo)
            # as in a login shell: the test runner may ignore or block SIGINT, and both survive exec
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.execve(sys.executable, [sys.executable, "-m", "credsweep", "baseline", "audit"], env)
        finally:
            os._exit(127)
    output = b""

    def read(deadline: float) -> bool:
        """Read what the child wrote; False once it closed the terminal or the deadline passed."""
        nonlocal output
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child exited and closed the terminal
            return False
        output += chunk
        return bool(chunk)

    status = None
    try:
        for answer in [*answers, end]:
            start, deadline = len(output), time.monotonic() + 30
            while not output[start:].rstrip(b" ").endswith(b":") and read(deadline):
                pass
            assert output[start:].rstrip(b" ").endswith(b":"), f"no prompt: {output[-500:]!r}"
            if answer is end:
                _wait_until_reading(pid)
            os.write(fd, answer + (b"\r" if answer is not end else b""))
        # keep the terminal open until the child exits: closing it first would hang it up (SIGHUP)
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
            elif not read(min(deadline, time.monotonic() + 0.2)):
                time.sleep(0.05)
        while read(time.monotonic() + 0.2):
            pass
    finally:
        os.close(fd)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    assert status is not None, f"audit did not exit: {output[-500:]!r}"
    return os.waitstatus_to_exitcode(status), output


def test_interactive_audit_saves_every_answer(repo: Path) -> None:
    write(repo, "a.py", f'A = "{fake_github_token()}"\n')
    write(repo, "b.py", f'B = "{fake_github_token()}"\n')
    write(repo, "c.py", f'C = "{fake_github_token()}"\n')
    commit_all(repo)
    write(repo, ".credsweep.toml", "hygiene = false\n")
    assert run_cli("baseline", "create", cwd=repo).code == 0
    path = repo / ".credsweep-baseline.json"

    def statuses() -> list[tuple[str, str]]:
        return [(e["status"], e["reason"]) for e in json.loads(path.read_text())["entries"]]

    # first entry answered with a reason, second with a status, then ^C at the reason prompt
    code, out = _drive_audit(repo, [b"false-positive", b"test fixture", b"accepted"], b"\x03")
    assert code == 130, out
    assert statuses() == [("false-positive", "test fixture"), ("accepted", ""), ("unaudited", "")], out
    # end of input (^D) at the reason prompt: the status answered just before stays
    code, out = _drive_audit(repo, [b"rotated"], b"\x04")
    assert code == 130 and b"Traceback" not in out, out
    assert [s for s, _ in statuses()] == ["false-positive", "accepted", "rotated"], out


def test_every_baseline_and_hook_command_help_has_an_example() -> None:
    for command in (["baseline"], ["baseline", "create"], ["baseline", "update"], ["baseline", "audit"],
                    ["baseline", "import"], ["install-hooks"]):
        shown = run_cli(*command, "--help")
        assert shown.code == 0 and "Examples:" in shown.stdout, (command, shown)
        examples = shown.stdout.split("Examples:")[1].split("Options:")[0]
        assert f"credsweep {' '.join(command)}" in examples, (command, examples)
        assert "--file" not in shown.stdout and "--path" not in shown.stdout  # old names stay hidden


@pytest.mark.parametrize("content", [
    "[]", '{"salt": "00", "entries": {}}', '{"salt": "zz", "entries": []}', '{"salt": 5, "entries": []}',
    '{"salt": "00", "entries": [1]}', '{"salt": "00", "entries": [{"id": "a"}]}',
    '{"salt": "00", "kdf": "x", "entries": []}', '{"salt": "00", "kdf": {"p": 100000}, "entries": []}',
    '{"salt": "00", "kdf": {"n": 3}, "entries": []}', ('{"salt": "00", "entries": [{"id": "a", "kind": "secret", '
    '"status": "maybe"}]}'), "[" * 100000,
])
def test_malformed_baseline_is_one_line_error(repo: Path, content: str) -> None:
    write(repo, "bad.json", content)
    result = run_cli("scan", "--baseline", "bad.json", cwd=repo)
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1, result
    assert "internal error" not in result.stderr and "bad.json" in result.stderr


def test_audit_shows_where_the_masked_line_and_the_rule_and_takes_single_letters(repo: Path) -> None:
    """What a person judges from: path:line, the line with the secret masked (key, quotes and operator
    kept), the rule's name; answered with one letter (or `fp`)."""
    token, other = fake_github_token(), fake_github_token()
    key_id, secret = fake_aws_pair()
    write(repo, "app/settings.py", f'import os\n\nGITHUB_TOKEN = "{token}"\n')
    write(repo, "deploy/aws.ini", f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    write(repo, "ci/deploy.sh", f"export GH_TOKEN={other}\n")
    commit_all(repo)
    write(repo, ".credsweep.toml", "hygiene = false\n")
    assert run_cli("baseline", "create", cwd=repo).code == 0
    listing = run_cli("baseline", "audit", "--list", cwd=repo)
    assert listing.code == 0, listing
    out = listing.stdout
    # the content stage's context line: no more of a secret than its preview (a token's prefix)
    assert 'app/settings.py:3' in out and f'GITHUB_TOKEN = "{token[:4]}{"*" * (len(token) - 4)}"' in out
    # an AWS secret key has no public prefix: no character of it is shown, whatever it starts with
    assert f"aws_secret_access_key = {'*' * len(secret)}" in out and "deploy/aws.ini:3" in out, out
    assert "GitHub" in out and "AWS secret access key" in out  # the rules' names
    assert token not in out and secret not in out and other not in out and token[:5] not in out
    path = repo / ".credsweep-baseline.json"

    def statuses() -> list[str]:
        return [e["status"] for e in json.loads(path.read_text())["entries"]]

    # a letter (with a reason), `fp` (without), then quit
    code, out_bytes = _drive_audit(repo, [b"a", b"reviewed", b"fp", b""], b"q\r")
    text = out_bytes.decode("utf-8", "replace")
    assert code == 0, text
    assert "[a]ccepted, [f]alse-positive, [r]otated, [s]kip, [q]uit" in text
    assert ":3" in text and "*" * 20 in text and token not in text and secret not in text
    assert sorted(statuses()) == ["accepted", "false-positive", "unaudited"], text

"""What a person reads: one entry per secret in history, each finding once per file in scan, one
urgency scale whose words match the labels, and hygiene findings only where they mean something."""

from __future__ import annotations

import base64
import os
import re
import sqlite3
from pathlib import Path

from conftest import commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write

ENTRY = re.compile(r"^\s*(\d+)\. (CRITICAL|HIGH|MEDIUM|LOW)\s+(.*)$")
LEVELS = ("low", "medium", "high", "critical")


def _entries(text: str) -> list[tuple[str, str, list[str]]]:
    """(label, title, body lines) of each numbered history entry, up to the first blank line."""
    out: list[tuple[str, str, list[str]]] = []
    body: list[str] | None = None
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match and line.startswith((" ", "1", "2", "3", "4", "5", "6", "7", "8", "9")) and "[" not in line[:8]:
            body = []
            out.append((match.group(2), match.group(3), body))
        elif body is not None and line.strip():
            body.append(line.strip())
        else:
            body = None
    return out


def _copied_secret_repo(tmp_path: Path) -> tuple[Path, str]:
    """One token in three files over three commits (edited, copied, removed from one file), pushed."""
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    token = fake_github_token()
    write(repo, "app/settings.py", f"GITHUB_TOKEN = '{token}'\n")
    commit_all(repo, "settings")
    write(repo, "app/settings.py", f"# deploy\nGITHUB_TOKEN = '{token}'\n")
    write(repo, "scripts/deploy.sh", f"export GITHUB_TOKEN={token}\n")
    commit_all(repo, "deploy script")
    write(repo, "ci/env.yaml", f"token: {token}\n")
    (repo / "scripts/deploy.sh").unlink()
    commit_all(repo, "move to ci")
    git(repo, "push", "-q", "origin", "main")
    return repo, token


def test_history_prints_one_entry_per_secret_with_its_copies(tmp_path: Path) -> None:
    repo, token = _copied_secret_repo(tmp_path)
    result = run_cli("history", cwd=repo)
    assert result.code == 1 and token not in result.stdout
    items = _entries(result.stdout)
    assert len(items) == 1, result.stdout
    label, title, body = items[0]
    assert "GitHub" in title and token[:4] in title and token not in title
    text = "\n".join(body)
    assert "confidence high" in text and "4 locations" in text
    assert re.search(r"^now:\s+app/settings\.py:2, ci/env\.yaml:1 \(in HEAD\)$", text, re.MULTILINE)
    assert re.search(r"^been:\s+3 paths, 4 versions, 3 introducing commits; .*; pushed; refs .*main", text, re.MULTILINE)
    assert re.search(r"^introduced in [0-9a-f]{10} by Test Author, \d{4}-\d\d-\d\d \"settings\"", text, re.MULTILINE)
    assert sum(line.startswith("do:") for line in body) == 1  # the advice once, not per copy
    assert result.stdout.count("https://github.com/settings/tokens") <= 1
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 secret (4 locations)")
    todo = result.stdout.split("What to do now", 1)[1]
    assert re.search(r"1\. \[" + label + r"\] app/settings\.py:2 \(\+3 more places\): rotate the GitHub", todo)
    assert token[:4] in todo
    everything = run_cli("history", "-v", cwd=repo).stdout
    for path in ("app/settings.py:1", "app/settings.py:2", "scripts/deploy.sh:1", "ci/env.yaml:1"):
        assert path in everything
    assert len(everything.splitlines()) > len(result.stdout.splitlines())
    groups = run_cli("history", "--format", "json", cwd=repo).json()["groups"]
    assert len(groups) == 1 and len(groups[0]["locations"]) == 4  # JSON keeps every location


def test_urgency_words_match_the_label_everywhere(tmp_path: Path) -> None:
    repo, _ = _copied_secret_repo(tmp_path)
    write(repo, "local.py", f"T = '{fake_github_token()}'\n")
    commit_all(repo, "local only")
    out = run_cli("history", cwd=repo).stdout
    items = _entries(out)
    assert len(items) == 2
    labels = []
    for label, _, body in items:
        why = next(line for line in body if line.startswith("why:"))
        assert why.split()[1].rstrip(":(").lower() == label.lower(), why
        assert "severity)" not in why  # no "(high severity)" under a CRITICAL label
        labels.append(label)
    assert labels == sorted(labels, key=lambda lab: -LEVELS.index(lab.lower()))  # most urgent first
    for line in out.split("What to do now", 1)[1].splitlines():
        match = re.match(r"\s+\d+\. \[(\w+)\]", line)
        if match:
            assert match.group(1) in labels


def test_scan_prints_each_secret_once_per_file_and_advice_once(repo: Path) -> None:
    token = fake_github_token()
    write(repo, "a.py", f"A = '{token}'\nB = '{token}'\n")
    write(repo, "b.py", f"T = '{fake_github_token()}'\n")
    commit_all(repo)
    out = run_cli("scan", cwd=repo).stdout
    listing = out.split("What to do now", 1)[0]
    # a.py's token once (both its lines), b.py's once: previews show only the public prefix, alike for both
    assert listing.count("ghp_********(40 chars)") == 2 and "lines 1, 2" in listing
    assert out.count("https://github.com/settings/tokens") == 1  # b.py's task points to a.py's steps
    assert "Same steps as 1." in out
    assert out.strip().splitlines()[-1].startswith("2 secrets (3 locations)")


def test_file_modes_only_where_they_mean_something(repo: Path) -> None:
    write(repo, "src/app.py", f"T = '{fake_github_token()}'\n", mode=0o644)
    write(repo, ".gitignore", "local_settings.py\n")
    commit_all(repo)
    write(repo, "local_settings.py", f"T = '{fake_github_token()}'\n", mode=0o644)
    write(repo, "scratch.py", f"T = '{fake_github_token()}'\n", mode=0o644)
    write(repo, "deploy/.pypirc", "[pypi]\npassword = s3cr3t-Value-91\n", mode=0o644)
    findings = run_cli("scan", "--format", "json", "--include-ignored", cwd=repo).json()["findings"]
    modes = {f["path"] for f in findings if f["rule"] == "file-mode.readable-by-others"}
    # untracked and ignored files holding secrets, and credential files: never the tracked source file
    assert modes == {"local_settings.py", "scratch.py", "deploy/.pypirc"}
    advice = next(f for f in findings if f["path"] == "local_settings.py" and f["kind"] == "file-mode")["advice"]
    assert advice["commands"] == ["chmod 600 -- local_settings.py"]


def test_committed_credential_file_with_nothing_secret_is_low(repo: Path) -> None:
    write(repo, ".env", "workon r\n")  # autoenv: a shell command, not a credential
    commit_all(repo)
    findings = run_cli("scan", "--format", "json", cwd=repo).json()["findings"]
    env = [f for f in findings if f["path"] == ".env"]
    assert env and all(f["severity"] == "low" for f in env), env
    text = str([f["advice"] for f in env]).lower()
    assert "rotate every credential" not in text and "nothing in it looks secret" in text
    assert not [f for f in env if f["kind"] == "file-mode"]


def test_a_key_file_in_vendored_code_waits_with_its_key_and_placeholders_hold_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    body = base64.b64encode(os.urandom(600)).decode()
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + (
        "\n-----END PRIVATE KEY-----\n")
    write(repo, "Godeps/_workspace/src/github.com/lib/pq/certs/server.key", pem)
    write(repo, "samples/sample_6/.env", "CI_REPO=drone/envsubst\nCI_REGISTRY_USERNAME=gordon\n"
                                         "CI_REGISTRY_PASSWORD=password\n")
    commit_all(repo)
    out = run_cli("history", cwd=repo).stdout
    # the key's file problem is no more urgent than the key a vendored library's tests use: both wait, low
    assert not [title for label, title, _ in _entries(out) if label != "LOW"], out
    assert "Low urgency:" in out
    findings = run_cli("history", "--format", "json", cwd=repo).json()["findings"]
    env = [f for f in findings if f["path"] == "samples/sample_6/.env"]
    assert env and all(f["severity"] == "low" for f in env), env  # a word for a password: nothing to rotate


def test_fix_leaves_test_fixtures_tracked_unless_asked(repo: Path) -> None:
    write(repo, "tests/fixtures/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n"
                                         "-----END OPENSSH PRIVATE KEY-----\n", mode=0o644)
    write(repo, "config/.env", "DATABASE_PASSWORD=hT7qL2vPz9wq\n")
    commit_all(repo)
    findings = run_cli("scan", "--format", "json", cwd=repo).json()["findings"]
    fixture = [f for f in findings if f["path"] == "tests/fixtures/id_rsa"]
    assert [f["kind"] for f in fixture] == ["sensitive-file"] and fixture[0]["severity"] == "low"
    assert not any("git rm" in c for c in fixture[0]["advice"]["commands"])
    plan = run_cli("fix", cwd=repo)
    assert "git rm --cached --quiet -- config/.env" in plan.stdout and "tests/fixtures/id_rsa" not in plan.stdout.split(
        "Untracking keeps")[0]
    assert "deletes the file from the repository for everyone" in plan.stdout
    assert "--include-fixtures" in plan.stdout
    applied = run_cli("fix", "--apply", cwd=repo)
    assert applied.code == 0 and "for everyone" in applied.stdout
    tracked = git(repo, "ls-files").split()
    assert "tests/fixtures/id_rsa" in tracked and "config/.env" not in tracked
    assert (repo / "config/.env").exists()
    run_cli("fix", "--apply", "--include-fixtures", cwd=repo)
    assert "tests/fixtures/id_rsa" not in git(repo, "ls-files").split()
    assert (repo / "tests/fixtures/id_rsa").exists()


def test_user_data_stores_detected_by_name_and_content(repo: Path) -> None:
    db = repo / "instance" / "app.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:  # a real SQLite file: the header is what identifies it
        conn.execute("CREATE TABLE user (id INTEGER PRIMARY KEY, email TEXT, password_hash TEXT)")
        conn.execute("INSERT INTO user (email, password_hash) VALUES ('ana@example.invalid', 'pbkdf2:sha256:1$x')")
    conn.close()
    write(repo, "cache/pages.sqlite3", "")
    with sqlite3.connect(repo / "cache/pages.sqlite3") as conn:
        conn.execute("CREATE TABLE page (id INTEGER, title TEXT)")
    conn.close()
    write(repo, "notes.db", "not a database\n")
    write(repo, "database.json", '{"users": [{"email": "ana@example.invalid", "password": "x9!Kq2mLz"}]}\n')
    write(repo, "config/settings.json", '{"users": [{"email": "ana@example.invalid", "password": "x9!Kq2mLz"}]}\n')
    # translations keyed by section, as a UI's locale files are: labels, not accounts (by place and by shape)
    labels = ('{"login": {"Username": "Benutzername", "Password": "Passwort", "Sign In": "Anmelden"}, '
              '"user": {"Email": "E-Mail", "Password": "Passwort", "Edit User": "Benutzer bearbeiten"}}\n')
    write(repo, "web/src/locales/de/data.json", labels)
    write(repo, "data/data.json", ('{"login": {"Exit impersonation": "Beenden", "Username": "Benutzername", "Password": '
                                   '"Passwort", "Sign In": "Anmelden", "Forgot password?": "Vergessen?"}}\n'))
    git(repo, "add", "database.json", "notes.db", "web/src/locales/de/data.json", "data/data.json")
    git(repo, "commit", "-q", "-m", "stores")
    os.chmod(db, 0o644)
    findings = run_cli("scan", "--format", "json", cwd=repo).json()["findings"]
    by_path: dict[str, set[str]] = {}
    for f in findings:
        by_path.setdefault(f["path"], set()).add(f["rule"])
    assert "file.json-user-store" in by_path["database.json"]  # tracked
    assert {"gitignore.untracked-sensitive", "file-mode.readable-by-others"} <= by_path["instance/app.db"]
    names = {f["name"] for f in findings if f["path"] == "instance/app.db"}
    assert any("SQLite database with user account tables" in n for n in names)
    assert any(n.startswith("SQLite database is") for n in
               {f["name"] for f in findings if f["path"] == "cache/pages.sqlite3"})
    assert "notes.db" not in by_path  # the name alone is not enough: the SQLite header is
    assert not [r for p in ("web/src/locales/de/data.json", "data/data.json") for r in by_path.get(p, ())
                if r.startswith("file.json-user")], by_path
    assert not [r for r in by_path["config/settings.json"] if r.startswith("file.")]  # nor user records alone
    advice = next(f for f in findings if f["path"] == "database.json" and f["kind"] == "sensitive-file")["advice"]
    assert "user data" in " ".join(advice["steps"])


def test_markdown_one_task_per_secret(tmp_path: Path) -> None:
    repo, token = _copied_secret_repo(tmp_path)
    out = run_cli("history", "--format", "markdown", cwd=repo).stdout
    assert out.count("\n## [") == 1 and "\n## Clean the history once" in out
    assert "git filter-repo" in out and token not in out


def test_one_path_classifier_judgement_and_fix_agree_on_test_folders(repo: Path) -> None:
    # e2e/ and tests/ are test material for judgement, hygiene and fix alike (judgement.location)
    password = "DATABASE_PASSWORD=hT7qL2vPz9wq\n"
    write(repo, "e2e/.env", password)
    write(repo, "tests/.env", password)
    write(repo, "config/.env", "API_TOKEN=Qm7vX2pLr9TzK4wN\n")
    commit_all(repo)
    findings = run_cli("scan", "--format", "json", "--min-confidence", "low", cwd=repo).json()["findings"]
    by_path = {f["path"]: f for f in findings if f["kind"] == "secret"}
    assert "test-location" in by_path["e2e/.env"]["reasons"] and "test-location" in by_path["tests/.env"]["reasons"]
    files = {f["path"]: f for f in findings if f["kind"] == "sensitive-file"}
    assert files["e2e/.env"]["severity"] == files["tests/.env"]["severity"] == "low"
    plan = run_cli("fix", cwd=repo).stdout.split("Untracking keeps")[0]
    assert "config/.env" in plan and "e2e/.env" not in plan and "tests/.env" not in plan


def test_the_paired_identifier_is_beside_its_secret_in_every_format(repo: Path) -> None:
    """An AWS secret with its key id, an OAuth client secret with its client id: every format names the
    identifier (which key to rotate), masked to its ends, never the full pair."""
    import json

    from conftest import fake_aws_pair

    key_id, secret = fake_aws_pair()
    client = "585178128657-b4ctzkk6oam89oz6ww3r9ay6i79n1d4x.apps.googleusercontent.com"
    write(repo, "deploy.ini", f"[aws]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    write(repo, "oauth.py", f'CLIENT_ID = "{client}"\nCLIENT_SECRET = "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"\n')
    commit_all(repo)
    aws_shown, client_shown = f"{key_id[:4]}...{key_id[-4:]}", "5851...1d4x.apps.googleusercontent.com"
    outputs = {fmt: run_cli("scan", "--no-hygiene", "--format", fmt, cwd=repo) for fmt in
               ("text", "json", "sarif", "markdown")}
    outputs["history"] = run_cli("history", "--no-hygiene", cwd=repo)
    git(repo, "add", "-A")
    write(repo, "later.ini", f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    git(repo, "add", "later.ini")
    outputs["staged"] = run_cli("staged", "--no-hygiene", cwd=repo)
    for name, result in outputs.items():
        text = result.stdout + result.stderr
        assert result.code == 1 and aws_shown in text, (name, text)
        if name not in ("json", "sarif"):  # beside the secret, in the words a person reads
            assert f"id {aws_shown}" in text.replace("`", ""), (name, text)
        assert key_id not in text and secret not in text, name
        if name != "staged":
            assert client_shown in text and client not in text, (name, text)
    by_rule = {f["rule"]: f for f in outputs["json"].json()["findings"]}
    assert by_rule["aws.secret-access-key"]["identifier"] == aws_shown
    results = json.loads(outputs["sarif"].stdout)["runs"][0]["results"]
    assert {r["properties"].get("identifier") for r in results} == {aws_shown, client_shown}


def test_previews_show_a_public_prefix_and_nothing_else(repo: Path) -> None:
    """Every place a finding is printed or stored shows at most its provider's public prefix: a GitHub
    token's ``ghp_``, nothing of an AWS secret key (whatever it starts with) or a password; an identifier
    alone (an AWS access key id) shows what a paired one does, ``AKIA...Y3A4``, to say which key it is."""
    token = fake_github_token()
    key_id, secret = fake_aws_pair()
    slashed = "/" + secret[1:]
    write(repo, "deploy/aws.ini", (f"[a]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
                                   f"[b]\naws_access_key_id = {key_id}\naws_secret_access_key = {slashed}\n"))
    write(repo, "app/settings.py", f'GITHUB_TOKEN = "{token}"\nDB_PASSWORD = "Zt5kW9qLm2Xp8QhR"\n')
    lone_id, _ = fake_aws_pair()  # an identifier alone: not secret, it names the key to deactivate
    write(repo, "ci/deploy.yml", f"env:\n  AWS_ACCESS_KEY_ID: {lone_id}\n")
    commit_all(repo)
    result = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo)
    found = {f["line"] if f["path"] == "deploy/aws.ini" else f["path"] + str(f["line"]): f
             for f in result.json()["findings"]}
    assert found["app/settings.py1"]["redacted"] == "ghp_********(40 chars)"
    assert found["app/settings.py2"]["redacted"] == "********(16 chars)"
    assert found["ci/deploy.yml2"]["redacted"] == f"{lone_id[:4]}...{lone_id[-4:]} (20 chars)"
    for line in (3, 6):
        assert found[line]["redacted"] == "********(40 chars)", found[line]
        assert found[line]["context"] == f"aws_secret_access_key = {'*' * 40}", found[line]
    text = run_cli("scan", "--no-hygiene", cwd=repo).stdout
    assert secret[:8] not in text and slashed[:8] not in text and token[4:12] not in text


def test_an_entry_raised_by_its_file_says_so_in_its_why(repo: Path) -> None:
    # a typed password is a medium secret; committed in a credential file (a fork's ESPHome secrets.yaml) the entry
    # is high for the file: the entry's label and its "why" must agree
    write(repo, "secrets.yaml", '# Your Wi-Fi SSID and password\nwifi_ssid: "Household"\nwifi_password: "eatapples2"\n')
    commit_all(repo)
    (label, _, body), = _entries(run_cli("history", cwd=repo).stdout)
    why = next(line for line in body if line.startswith("why:"))
    assert label == "HIGH" and why.startswith("why:  Medium"), (label, why)
    assert "High for the file that holds it: configuration file holding credentials was committed." in why, why
    markdown = run_cli("history", "--format", "markdown", cwd=repo).stdout
    assert "High for the file that holds it" in markdown, markdown

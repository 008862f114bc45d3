"""Hygiene: credential files, .gitignore coverage (checked against git check-ignore), modes, `fix`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import commit_all, git, make_repo, run_cli, write
from credsweep.git.ignore import IgnoreMatcher
from credsweep.git.repo import discover
from credsweep.hygiene.catalogue import check_catalogue, load_catalogue
from credsweep.hygiene.credentials import credential_keys


@pytest.fixture
def messy(repo: Path) -> Path:
    write(repo, ".env", "DATABASE_PASSWORD=hT7qL2vPz9wq\n")
    write(repo, "config.toml", '[database]\nhost = "db"\npassword = "hT7#qL2vPz9w"\n')
    write(repo, "placeholder/config.toml", '[database]\npassword = ""\napi_token = "<your-token>"\n')
    write(repo, "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----\n")
    os.chmod(repo / "id_rsa", 0o644)
    write(repo, ".gitignore", "*.log\n")
    write(repo, "debug.log", "noise\n")
    git(repo, "add", ".env", "config.toml", "placeholder/config.toml", "id_rsa", ".gitignore")
    git(repo, "add", "-f", "debug.log")
    commit_all(repo, "messy")
    write(repo, ".env.production", "API_TOKEN=9fK2mQ7xLw3vT8pZ\n")
    return repo


def _problems(repo: Path) -> set[tuple[str, str]]:
    data = run_cli("scan", "--format", "json", cwd=repo).json()
    return {(f["kind"], f["path"]) for f in data["findings"] if f["kind"] != "secret"}


def test_scan_reports_each_hygiene_problem(messy: Path) -> None:
    data = run_cli("scan", "--format", "json", cwd=messy).json()
    found = {(f["kind"], f["rule"], f["path"]) for f in data["findings"]}
    assert ("sensitive-file", "file.env", ".env") in found
    assert ("gitignore", "gitignore.not-covered", ".env") in found
    assert ("sensitive-file", "file.config-credentials", "config.toml") in found
    assert ("file-mode", "file-mode.readable-by-others", "id_rsa") in found
    assert ("gitignore", "gitignore.tracked-ignored", "debug.log") in found
    assert ("gitignore", "gitignore.untracked-sensitive", ".env.production") in found
    assert not [f for f in found if f[2] == "placeholder/config.toml"]
    for f in data["findings"]:
        if f["kind"] != "secret":
            assert f["advice"]["commands"] or f["rule"] == "file-mode.symlink-outside", f
    chmod = next(f for f in data["findings"] if f["rule"] == "file-mode.readable-by-others" and f["path"] == "id_rsa")
    assert chmod["advice"]["commands"] == ["chmod 600 -- id_rsa"]


def test_fix_plan_then_apply_is_idempotent_and_keeps_files(messy: Path) -> None:
    plan = run_cli("fix", cwd=messy)
    assert plan.code == 1 and "git rm --cached" in plan.stdout
    assert (messy / ".gitignore").read_text() == "*.log\n"  # the plan changes nothing
    applied = run_cli("fix", "--apply", cwd=messy)
    assert applied.code == 0, applied
    assert run_cli("fix", "--apply", cwd=messy).stdout.strip() == "Nothing to fix."
    remaining = {k for k, _ in _problems(messy)}
    assert "gitignore" not in remaining and "file-mode" not in remaining
    status = git(messy, "status", "--porcelain")
    for name in (".env", "config.toml", "id_rsa"):
        assert f"D  {name}" in status and (messy / name).exists()
    assert oct((messy / "id_rsa").stat().st_mode & 0o777) == "0o600"
    assert git(messy, "check-ignore", ".env", ".env.production", "config.toml", "id_rsa").split() == [
        ".env", ".env.production", "config.toml", "id_rsa"]


def test_executable_credential_and_symlink_outside(repo: Path, tmp_path: Path) -> None:
    write(repo, "deploy/.npmrc", "//registry.npmjs.org/:_authToken=abc123\n", mode=0o755)
    outside = tmp_path / "outside.txt"
    outside.write_text("x\n")
    os.symlink(outside, repo / "link.txt")
    git(repo, "add", "deploy/.npmrc", "link.txt")
    commit_all(repo)
    rules = {(f["rule"], f["path"]) for f in run_cli("scan", "--format", "json", cwd=repo).json()["findings"]}
    assert ("file-mode.executable-credential", "deploy/.npmrc") in rules
    assert ("file-mode.symlink-outside", "link.txt") in rules


def test_catalogue_examples() -> None:
    assert check_catalogue(load_catalogue()) == []


def test_credential_keys_parse_formats() -> None:
    assert credential_keys("settings.toml", '[db]\npassword = "q8Lz2mXp7V"\n') == ["db.password"]
    assert credential_keys("config.yaml", "db:\n  password: q8Lz2mXp7V\n  password_file: /run/secret\n") == ["db.password"]
    assert credential_keys("app.json", '{"api_key": "${API_KEY}", "client_secret": "q8Lz2mXp7Vz"}') == ["client_secret"]
    assert credential_keys("x.ini", "[s]\ntoken = changeme\n") == []
    assert credential_keys(".env", "export SECRET_KEY='q8Lz2mXp7V'\nDEBUG=true\n") == ["SECRET_KEY"]


IGNORE_FILES = {
    ".gitignore": "*.log\n!keep.log\nbuild/\n/root-only.txt\nsecrets/*\n!secrets/public.txt\ndocs/**/draft.md\n",
    "sub/.gitignore": "!*.log\nlocal.txt\n/anchored.txt\n",
    "sub/deeper/.gitignore": "*.txt\n!wanted.txt\n",
}
CANDIDATES = [
    "a.log", "keep.log", "x/keep.log", "build/out.bin", "build/keep.log", "x/build/y", "root-only.txt",
    "x/root-only.txt", "secrets/key.pem", "secrets/public.txt", "docs/a/b/draft.md", "docs/draft.md",
    "sub/a.log", "sub/local.txt", "sub/x/local.txt", "sub/anchored.txt", "sub/x/anchored.txt",
    "sub/deeper/a.txt", "sub/deeper/wanted.txt", "sub/deeper/z.log", "plain.txt", "excluded.tmp", "g.global",
]


def test_ignore_decisions_agree_with_git_check_ignore(repo: Path, tmp_path: Path) -> None:
    for rel, text in IGNORE_FILES.items():
        write(repo, rel, text)
    (repo / ".git/info/exclude").write_text("*.tmp\n")
    global_file = tmp_path / "global-ignore"
    global_file.write_text("*.global\n")
    git(repo, "config", "core.excludesFile", str(global_file))
    info = discover(repo)
    matcher = IgnoreMatcher(repo, info.git_dir if info else None)
    proc = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=repo, input="\n".join(CANDIDATES),
                          capture_output=True, text=True, check=False)
    git_says = set(proc.stdout.split())
    ours = {path for path in CANDIDATES if matcher.ignored(path)[0]}
    assert ours == git_says
    assert len(git_says) >= 10  # the matrix exercises both answers


def test_no_hygiene_flag(messy: Path) -> None:
    data = run_cli("scan", "--format", "json", "--no-hygiene", cwd=messy).json()
    assert all(f["kind"] == "secret" for f in data["findings"])


def test_plain_folder_sensitive_file(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    write(folder, "terraform.tfstate", "{}\n")
    kinds = {(f["kind"], f["path"]) for f in run_cli("scan", str(folder), "--format", "json").json()["findings"]}
    assert ("sensitive-file", "terraform.tfstate") in kinds


def test_make_repo_helper_is_real(tmp_path: Path) -> None:
    assert (make_repo(tmp_path / "r") / ".git").is_dir()


def _openssh_key() -> str:
    import base64
    import secrets

    body = base64.b64encode(secrets.token_bytes(600)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n"


def test_a_key_file_is_judged_by_its_content_whatever_its_name(repo: Path) -> None:
    """`deploy_key` holding an OpenSSH private key gets what `id_ed25519` gets: the key-file finding and a
    `fix` plan that untracks it, ignores it and makes it 0600; `--apply` says what changed and what to stage."""
    write(repo, "README.md", "# app\n")
    write(repo, "deploy_key", _openssh_key(), mode=0o644)
    write(repo, "id_ed25519", _openssh_key(), mode=0o644)
    write(repo, "notes.txt", "the key is -----BEGIN OPENSSH PRIVATE KEY----- elsewhere\n", mode=0o644)
    commit_all(repo, "keys")
    rules = {(f["rule"], f["path"]) for f in run_cli("scan", "--format", "json", cwd=repo).json()["findings"]}
    for name in ("deploy_key", "id_ed25519"):
        assert ("file.private-key", name) in rules and ("file-mode.readable-by-others", name) in rules, rules
    assert not {r for r in rules if r[1] == "notes.txt" and r[0].startswith("file")}
    plan = run_cli("fix", cwd=repo)
    assert plan.code == 1, plan
    for line in ("git rm --cached --quiet -- deploy_key", "chmod 600 -- deploy_key", "/deploy_key >> .gitignore"):
        assert line in plan.stdout, plan.stdout
    applied = run_cli("fix", "--apply", cwd=repo)
    assert applied.code == 0, applied
    out = applied.stdout
    assert "Changed:" in out and "untracked deploy_key" in out and "chmod 600 deploy_key" in out
    assert "added '/deploy_key' to .gitignore" in out
    add = next(line.strip() for line in out.splitlines() if line.strip().startswith("git add"))
    assert add == "git add -- :/.gitignore"
    assert "?? .gitignore" in git(repo, "status", "--porcelain")  # fix left it unstaged, and said so
    (repo / "docs").mkdir()
    subprocess.run(add, shell=True, cwd=repo / "docs", check=True)  # `:/`: it works from any folder
    assert "A  .gitignore" in git(repo, "status", "--porcelain")
    assert oct((repo / "deploy_key").stat().st_mode & 0o777) == "0o600"


def test_a_staged_key_file_of_any_name_is_a_credential_file(repo: Path) -> None:
    write(repo, "README.md", "# app\n")
    commit_all(repo)
    write(repo, "ops/deploy_key", _openssh_key())
    git(repo, "add", "ops/deploy_key")
    staged = run_cli("staged", "--format", "json", cwd=repo)
    assert staged.code == 1 and ("file.private-key", "ops/deploy_key") in {
        (f["rule"], f["path"]) for f in staged.json()["findings"]}, staged


SEED_USERS = """{
  "users": [
    {"id": 1, "name": "Ana Lima", "email": "ana.lima@example.com", "watch_history": ["tt0111161", "tt0068646"]},
    {"id": 2, "name": "Bo Chen", "email": "bo.chen@example.com", "watch_history": ["tt0468569"]}
  ]
}
"""


def test_user_data_store_without_credentials_is_reported(repo: Path) -> None:
    """The seeds' case: a committed data/database.json of per-user records (ids, names, e-mail, watch history)
    at mode 0644 is user data: mode 0600, untrack and ignore it. Configuration-shaped JSON stays quiet."""
    write(repo, "data/database.json", SEED_USERS, mode=0o644)
    write(repo, "package.json", '{"name": "films", "version": "1.0.0", "author": {"name": "Ana", "email": "ana@example.com"},'
                                ' "contributors": [{"name": "Bo", "email": "bo@example.com"}], "dependencies": {"express": "^4"}}\n')
    write(repo, "settings.json", '{"theme": "dark", "support_email": "help@example.com",'
                                 ' "features": {"search": {"enabled": true}, "ratings": {"enabled": false}}}\n')
    write(repo, "data/settings.json", '{"locale": "en", "pages": {"home": {"title": "Films"}, "about": {"title": "About"}}}\n')
    write(repo, "tsconfig.json", '{"compilerOptions": {"strict": true, "paths": {"@/*": ["src/*"]}}}\n')
    commit_all(repo, "app with its data")
    os.chmod(repo / "data" / "database.json", 0o644)
    data = run_cli("scan", "--format", "json", cwd=repo).json()
    rules = {(f["path"], f["rule"]) for f in data["findings"]}
    assert ("data/database.json", "file.json-user-data") in rules  # tracked by git
    assert ("data/database.json", "file-mode.readable-by-others") in rules
    assert ("data/database.json", "gitignore.not-covered") in rules
    mode = next(f for f in data["findings"] if f["path"] == "data/database.json" and f["kind"] == "file-mode")
    assert "0600" in " ".join(mode["advice"]["steps"]) and "user data" in " ".join(mode["advice"]["steps"])
    tracked = next(f for f in data["findings"] if f["rule"] == "file.json-user-data")
    assert "personal data" in tracked["name"] and "git rm --cached" in " ".join(tracked["advice"]["steps"])
    assert not {p for p, _ in rules} & {"package.json", "settings.json", "data/settings.json", "tsconfig.json"}
    assert not [f for f in data["findings"] if f["kind"] == "secret"]  # e-mail addresses are not secrets
    # the fix: owner-only mode, untracked, ignored; then nothing is left to report about the file
    run_cli("fix", "--apply", cwd=repo)
    assert (repo / "data" / "database.json").stat().st_mode & 0o777 == 0o600
    assert "data/database.json" not in git(repo, "ls-files")
    after = run_cli("scan", "--format", "json", cwd=repo).json()["findings"]
    assert not [f for f in after if f["path"] == "data/database.json"]


def test_user_data_recogniser_keeps_configuration_and_catalogues_quiet() -> None:
    from credsweep.hygiene.credentials import json_user_data

    assert json_user_data(SEED_USERS)
    assert json_user_data('{"u1": {"user_id": "u1", "display_name": "Bo", "preferences": {"theme": "dark"}},'
                          ' "u2": {"user_id": "u2", "display_name": "Cy", "preferences": {"lang": "fr"}}}')
    assert json_user_data('{"customers": [{"id": 7, "name": "Cy Ode"}]}')  # a name in a collection of people
    assert not json_user_data('[{"id": 1, "name": "Widget", "price": 3.5}, {"id": 2, "name": "Gadget"}]')
    assert not json_user_data('[{"id": 1, "name": "Rome", "history": "Founded in 753 BC"}]')
    assert not json_user_data('{"name": "app", "author": {"name": "Ana", "email": "ana@example.com"}}')
    assert not json_user_data('{"users": {"allow_signup": true, "default_role": "viewer"}}')
    assert not json_user_data("[" * 100_000)  # too deep to parse: not a store, no traceback
    assert not json_user_data("not json")

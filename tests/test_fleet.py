"""`credsweep fleet`: many repositories into a store, incrementally, with failures isolated.

Real repositories in temporary folders, the real CLI in subprocesses, a real SQLite store; URLs are
served by a real `git daemon` on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SRC, commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write


def _store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fleet.sqlite3'}"


def _fleet(*args: str, store: str, cwd: Path | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_cli("fleet", *args, "--store", store, cwd=cwd, env=env)


def _repo_with(path: Path, rel: str, text: str) -> Path:
    make_repo(path)
    write(path, "README.md", f"# {path.name}\n")
    write(path, rel, text)
    commit_all(path, "init")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _new_secrets(result) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """secret_id → repositories, from `fleet scan --format json`."""
    data = result.json()
    out: dict[str, set[str]] = {}
    for finding in data["findings"]:
        if finding["kind"] == "secret":
            out.setdefault(finding["secret_id"], set()).add(finding["repository"])
    return out


def test_five_repositories_scanned_twice_then_one_new_secret(tmp_path: Path) -> None:
    store = _store(tmp_path)
    repos = [_repo_with(tmp_path / f"r{i}", "app/config.py", f"TOKEN = '{fake_github_token()}'\n") for i in range(5)]
    first = _fleet("scan", *map(str, repos), "--format", "json", store=store)
    assert first.code == 1, first
    new = _new_secrets(first)
    assert len(new) == 5 and {next(iter(v)) for v in new.values()} == {str(r) for r in repos}
    assert all(f["repository"] and f["path"] == "app/config.py" and "provenance" in f for f in first.json()["findings"])
    assert [r["status"] for r in first.json()["repositories"]] == ["scanned"] * 5

    second = _fleet("scan", *map(str, repos), "--format", "json", store=store)
    assert second.code == 0, second
    assert second.json()["findings"] == []
    assert [r["status"] for r in second.json()["repositories"]] == ["unchanged"] * 5

    added = fake_aws_pair()
    write(repos[2], "deploy/.env", f"AWS_ACCESS_KEY_ID={added[0]}\nAWS_SECRET_ACCESS_KEY={added[1]}\n")
    commit_all(repos[2], "deploy settings")
    third = _fleet("scan", *map(str, repos), "--format", "json", store=store)
    assert third.code == 1, third
    findings = third.json()["findings"]
    assert findings and {f["repository"] for f in findings} == {str(repos[2])}
    assert {f["path"] for f in findings} == {"deploy/.env"}
    assert added[1] not in third.stdout and added[0] not in third.stdout  # identifiers masked, values never shown
    assert sorted(r["status"] for r in third.json()["repositories"]) == ["scanned"] + ["unchanged"] * 4

    report = _fleet("report", "--format", "json", store=store).json()
    assert len([s for s in report["secrets"] if s["kind"] == "secret"]) == 6
    assert {s["status"] for s in report["secrets"]} == {"open", "new"}
    assert [r["failed"] for r in report["runs"]] == [0, 0, 0]


def test_same_key_in_two_repositories_is_one_secret_listing_both(tmp_path: Path) -> None:
    store = _store(tmp_path)
    token = fake_github_token()
    one = _repo_with(tmp_path / "one", "settings.py", f"GITHUB_TOKEN = '{token}'\n")
    two = _repo_with(tmp_path / "two", "ci/deploy.sh", f"export GH_TOKEN={token}\n")
    result = _fleet("scan", str(one), str(two), "--format", "json", "--workers", "2", store=store)
    assert result.code == 1, result
    assert list(_new_secrets(result).values()) == [{str(one), str(two)}]
    groups = [g for g in result.json()["groups"] if g["kind"] == "secret"]
    assert len(groups) == 1 and sorted(groups[0]["repositories"]) == sorted([str(one), str(two)])

    report = _fleet("report", "--format", "json", store=store)
    assert report.code == 0, report
    secrets = [s for s in report.json()["secrets"] if s["kind"] == "secret"]
    assert len(secrets) == 1
    assert sorted(secrets[0]["repositories"]) == sorted([str(one), str(two)])
    assert {(loc["repository"], loc["path"]) for loc in secrets[0]["locations"]} == {
        (str(one), "settings.py"), (str(two), "ci/deploy.sh")}
    assert secrets[0]["advice"]["summary"] and secrets[0]["status"] == "new"
    text = _fleet("report", store=store)
    assert str(one) in text.stdout and str(two) in text.stdout and token not in text.stdout
    markdown = _fleet("report", "--format", "markdown", store=store)
    assert markdown.code == 0 and markdown.stdout.count("- [ ] **") == 1  # one rotation task
    # each location with the commit of its version and whether it is still in HEAD (names in code spans)
    assert re.search(rf"  - `{re.escape(str(one))}`: `settings.py:1` @ [0-9a-f]{{7}} \(in HEAD\)", markdown.stdout)
    assert re.search(rf"  - `{re.escape(str(two))}`: `ci/deploy.sh:1` @ [0-9a-f]{{7}} \(in HEAD\)", markdown.stdout)
    # the store holds salted hashes and previews only, never the value
    assert token.encode() not in (tmp_path / "fleet.sqlite3").read_bytes()
    wal = tmp_path / "fleet.sqlite3-wal"
    assert not wal.exists() or token.encode() not in wal.read_bytes()


def test_failures_are_isolated_recorded_and_retried(tmp_path: Path) -> None:
    store = _store(tmp_path)
    good = [_repo_with(tmp_path / f"ok{i}", "a.py", f"T = '{fake_github_token()}'\n") for i in range(3)]
    marker = tmp_path / "ext-ran"
    ext_url = f"ext::sh -c touch% {marker}"
    unreachable = f"https://127.0.0.1:{_free_port()}/org/gone.git"
    repos_file = tmp_path / "repos.txt"
    listed = [str(good[0]), unreachable, str(good[1]), ext_url, str(good[2])]
    repos_file.write_text("# nightly\n" + "\n".join(listed) + "\n")
    result = _fleet("scan", "--repos-file", str(repos_file), "--format", "json", store=store)
    assert result.code == 4, result
    assert not marker.exists()  # no command ran for the ext:: repository
    outcome = {r["repository"]: r for r in result.json()["repositories"]}
    assert [outcome[str(g)]["status"] for g in good] == ["scanned"] * 3
    assert outcome[unreachable]["status"] == "failed" and "unreachable" in outcome[unreachable]["reason"]
    assert outcome[ext_url]["status"] == "failed" and "not allowed" in outcome[ext_url]["reason"]
    assert len(_new_secrets(result)) == 3
    assert "FAILED" in result.stderr and "Traceback" not in result.stderr

    report = _fleet("report", "--format", "json", store=store).json()
    failed = {r["repository"]: r for r in report["repositories"] if r["status"] == "failed"}
    assert set(failed) == {unreachable, ext_url} and all(r["failures"] == 1 for r in failed.values())
    # nothing half-written: a failed repository has no findings, no tips
    with sqlite3.connect(tmp_path / "fleet.sqlite3") as db:
        rows = db.execute("SELECT url, tips FROM repositories WHERE status = 'failed'").fetchall()
        assert {u for u, _ in rows} == {unreachable, ext_url} and all(t is None for _, t in rows)
        assert db.execute("SELECT count(*) FROM findings f JOIN repositories r ON r.id = f.repository_id "
                          "WHERE r.status = 'failed'").fetchone() == (0,)

    again = _fleet("scan", "--repos-file", str(repos_file), store=store)
    assert again.code == 4, again
    assert "unreachable" in again.stdout and not marker.exists()
    report = _fleet("report", "--format", "json", store=store).json()
    assert {r["repository"]: r["failures"] for r in report["repositories"] if r["status"] == "failed"} == {
        unreachable: 2, ext_url: 2}


@pytest.mark.parametrize("url", ["ext::sh -c id", "fd::3", "http://example.invalid/x.git", "ftp://h/x.git",
                                 "-uhelp", "https://user:pw@example.invalid/x.git"])
def test_refused_sources_fail_before_any_git_command(url: str) -> None:
    from credsweep.git.mirror import SourceRefused, parse_source

    with pytest.raises(SourceRefused):
        parse_source(url)


def test_allowed_sources_are_classified() -> None:
    from credsweep.git.mirror import parse_source

    assert parse_source("https://github.com/psf/requests.git").name == "github.com/psf/requests"
    assert parse_source("git@github.com:psf/requests.git").kind == "url"
    assert parse_source("ssh://git@[::1]:22/srv/x.git").kind == "url"
    assert parse_source("git://127.0.0.1/x").kind == "url"
    assert parse_source("file:///srv/repos/x.git").kind == "path"


@pytest.fixture
def git_daemon(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real `git daemon` serving tmp_path/served over git:// on 127.0.0.1."""
    served = tmp_path / "served"
    served.mkdir()
    port = _free_port()
    proc = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                             f"--base-path={served}", "--listen=127.0.0.1", f"--port={port}", str(served)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield served, f"git://127.0.0.1:{port}"
    # `git daemon` runs git-daemon (and one child per connection): end the whole group, not the wrapper
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_urls_are_mirrored_then_fetched_and_forks_share_results(tmp_path: Path, git_daemon) -> None:  # type: ignore[no-untyped-def]
    served, base = git_daemon
    store = _store(tmp_path)
    work = _repo_with(tmp_path / "work", "settings.py", f"TOKEN = '{fake_github_token()}'\n")
    git(served, "clone", "-q", "--bare", str(work), "parent.git")
    mirrors = tmp_path / "mirrors"
    first = _fleet("scan", f"{base}/parent.git", "--mirror-dir", str(mirrors), "--format", "json", store=store)
    assert first.code == 1, first
    assert [p.name.startswith("127.0.0.1_parent-") for p in mirrors.iterdir()] == [True]

    # the upstream moves: the mirror is fetched (with --prune) and only the new secret is new
    token = fake_github_token()
    write(work, "feature.py", f"KEY = '{token}'\n")
    commit_all(work, "feature")
    git(work, "push", "-q", str(served / "parent.git"), "main")
    second = _fleet("scan", f"{base}/parent.git", "--mirror-dir", str(mirrors), "--format", "json", store=store)
    assert second.code == 1, second
    assert {f["path"] for f in second.json()["findings"]} == {"feature.py"}
    assert [r["status"] for r in second.json()["repositories"]] == ["scanned"]
    assert len(list(mirrors.iterdir())) == 1


def test_resolved_when_unreachable_and_reopened(tmp_path: Path) -> None:
    store = _store(tmp_path)
    repo = _repo_with(tmp_path / "repo", "README.md", "# demo\n")
    git(repo, "checkout", "-q", "-b", "leak")
    write(repo, "creds.py", f"TOKEN = '{fake_github_token()}'\n")
    leak = commit_all(repo, "oops")
    git(repo, "checkout", "-q", "main")
    assert _fleet("scan", str(repo), store=store).code == 1
    git(repo, "branch", "-D", "leak")
    assert _fleet("scan", str(repo), store=store).code == 0
    report = _fleet("report", "--format", "json", store=store).json()
    assert [s["status"] for s in report["secrets"]] == ["resolved"]
    assert [r["resolved"] for r in report["runs"]] == [0, 1]
    git(repo, "branch", "leak", leak)
    again = _fleet("scan", str(repo), "--format", "json", store=store)
    assert again.code == 1 and {f["path"] for f in again.json()["findings"]} == {"creds.py"}
    secret = _fleet("report", "--format", "json", store=store).json()["secrets"][0]
    assert secret["status"] == "reopened"

    marked = _fleet("mark", secret["secret_id"][:10], "rotated", "--reason", "revoked on 2026-12-01", store=store)
    assert marked.code == 0, marked
    secret = _fleet("report", "--format", "json", store=store).json()["secrets"][0]
    assert secret["status"] == "resolved" and secret["mark"] == "rotated"


def test_bad_store_and_no_repositories_are_one_line_errors(tmp_path: Path) -> None:
    bad = run_cli("fleet", "scan", str(tmp_path), "--store", "mysql://h/db")
    assert bad.code == 2 and bad.stderr.count("\n") == 1 and "--store" in bad.stderr
    empty = run_cli("fleet", "scan", "--store", _store(tmp_path))
    assert empty.code == 2 and "no repositories" in empty.stderr
    assert _fleet("scan", str(make_repo(tmp_path / "empty")), store=_store(tmp_path)).code == 0
    since = run_cli("fleet", "report", "--since", "yesterday", "--store", _store(tmp_path))
    assert since.code == 2 and "--since" in since.stderr


def test_interrupted_run_keeps_every_finished_repository(tmp_path: Path) -> None:
    store = _store(tmp_path)
    repos = [_repo_with(tmp_path / f"r{i}", "a.py", f"T = '{fake_github_token()}'\n") for i in range(3)]
    # each repository held 0.5 s before its write (one at a time): the interrupt, sent within about 0.02 s of the
    # first write, has a second before the third repository could be written
    env = dict(os.environ, PYTHONPATH=str(SRC), CREDSWEEP_TEST_DELAY_BEFORE_WRITE="0.5")
    # in a session of its own: a scan that does not end after the interrupt is killed with all its processes
    proc = subprocess.Popen([sys.executable, "-m", "credsweep", "fleet", "scan", *map(str, repos), "--store", store],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the first repository is written
        if (tmp_path / "fleet.sqlite3").exists():
            with sqlite3.connect(tmp_path / "fleet.sqlite3", timeout=30) as db:
                try:
                    if db.execute("SELECT count(*) FROM repository_runs").fetchone()[0] >= 1:
                        break
                except sqlite3.OperationalError:
                    pass
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    with sqlite3.connect(tmp_path / "fleet.sqlite3") as db:
        done = db.execute("SELECT r.url FROM repository_runs rr "
                          "JOIN repositories r ON r.id = rr.repository_id").fetchall()
        assert 1 <= len(done) < 3
        finished = {u for (u,) in done}
        with_findings = {u for (u,) in db.execute(
            "SELECT DISTINCT r.url FROM findings f JOIN repositories r ON r.id = f.repository_id")}
        assert with_findings == finished  # the interrupted repository left nothing behind
        assert db.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    rerun = _fleet("scan", *map(str, repos), "--format", "json", store=store)
    assert rerun.code == 1
    statuses = {r["repository"]: r["status"] for r in rerun.json()["repositories"]}
    assert {statuses[u] for u in finished} == {"unchanged"}
    assert list(statuses.values()).count("scanned") == 3 - len(finished)


def _content_match(rule: str, secret_id: str):  # type: ignore[no-untyped-def]
    from credsweep.models import ContentMatch

    return ContentMatch(rule=rule, start=3, end=43, line=1, column=4, end_line=1, end_column=44, confidence="high",
                        reasons=("checksum",), secret_id=secret_id, fingerprint="f" * 32,
                        redacted="ghp_ab****(40 chars)",
                        identifier=None, encoding=None, secret="never-stored-value")


def test_store_content_cache_round_trip_by_blob_and_digest(tmp_path: Path) -> None:
    """Blob results written with a repository's scan are found again by (blob id, digest); blobs with no
    match come back as (); another digest (a ruleset change) sees nothing; the secret is never kept."""
    from credsweep.store.db import ScanResult, StoreContentCache, open_store

    store = open_store(_store(tmp_path))
    run = store.begin_run("d1", 1, "local")
    state = store.repository(str(tmp_path / "x"), "x")
    cache = StoreContentCache(store)
    assert cache.lookup("d1", ["a" * 40, "b" * 40]) == {}
    cache.record("d1", {"a" * 40: (_content_match("github.pat.classic", "1" * 16),), "b" * 40: ()})
    assert cache.lookup("d1", ["a" * 40]) == {}  # buffered until the repository's transaction
    result = ScanResult(digest="d1", repository_digest="r1", tips={"refs/heads/main": "c" * 40}, tips_digest="t",
                        findings=(),
                        blob_results=cache.recorded, blobs_read=2)
    assert store.write_scan(run, state.id, result) == 0
    assert store.write_scan(run, state.id, result) is None  # a second delivery writes nothing
    found = StoreContentCache(store).lookup("d1", ["a" * 40, "b" * 40, "e" * 40])
    assert set(found) == {"a" * 40, "b" * 40} and found["b" * 40] == ()
    (match,) = found["a" * 40]
    assert match.secret is None and match.rule == "github.pat.classic" and match.reasons == ("checksum",)
    assert match == _content_match("github.pat.classic", "1" * 16)  # secret is not part of equality
    assert StoreContentCache(store).lookup("d2", ["a" * 40]) == {}
    assert b"never-stored-value" not in (tmp_path / "fleet.sqlite3").read_bytes()
    store.close()


def test_fork_after_parent_reads_only_its_own_blobs(tmp_path: Path) -> None:
    store = _store(tmp_path)
    parent = make_repo(tmp_path / "parent")
    for i in range(30):
        write(parent, f"src/mod{i}.py", f"VALUE_{i} = {i}\n" * 50)
    write(parent, "settings.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(parent, "init")
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(parent), str(fork))
    token = fake_github_token()
    write(fork, "fork.py", f"FORK = '{token}'\n")
    commit_all(fork, "fork change")
    first = _fleet("scan", str(parent), "--format", "json", store=store)
    second = _fleet("scan", str(fork), "--format", "json", store=store)
    assert second.code == 1, second
    assert {f["path"] for f in second.json()["findings"]} == {"fork.py"}
    (parent_run,), (fork_run,) = first.json()["repositories"], second.json()["repositories"]
    assert fork_run["blobs_read"] <= 3 < parent_run["blobs_read"]


class _Webhook:
    """A real HTTP server on 127.0.0.1 that keeps every POST body (status 200, or `status` when set)."""

    def __init__(self, status: int = 200) -> None:
        import http.server
        import threading

        bodies: list[bytes] = []
        self.bodies = bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's naming
                bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T000/B000/not-a-real-token"
        # its shutdown waits for the loop's next poll: every 0.05 s, not http.server's 0.5 s (as netserver's)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


def _render_in_chromium(page: Path, tmp_path: Path) -> str:
    """The DOM Chromium builds from the page (headless, no network, throwaway profile)."""
    browser = _chromium()
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    proc = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_fork_after_parent_webhook_and_html_report_in_chromium(tmp_path: Path) -> None:
    import base64
    import hashlib
    import html

    store = _store(tmp_path)
    parent = _repo_with(tmp_path / "acme-api", "settings.py", f"TOKEN = '{fake_github_token()}'\n")
    fork = tmp_path / "alice-api-fork"
    git(tmp_path, "clone", "-q", str(parent), str(fork))
    token = fake_github_token()
    write(fork, "scripts/release.sh", f"export GITHUB_TOKEN={token}\n")
    commit_all(fork, "release script")
    assert _fleet("scan", str(parent), store=store).code == 1
    hook = _Webhook()
    try:
        result = _fleet("scan", str(parent), str(fork), "--format", "json", "--notify-url", hook.url, store=store)
    finally:
        hook.close()
    assert result.code == 1, result
    assert {(f["repository"], f["path"]) for f in result.json()["findings"]} == {(str(fork), "scripts/release.sh")}
    assert len(hook.bodies) == 1 and token.encode() not in hook.bodies[0] and token[:8].encode() not in hook.bodies[0]
    sent = json.loads(hook.bodies[0])
    assert "1 new secret" in sent["text"] and "scripts/release.sh" in sent["text"]
    (secret,) = sent["new_secrets"]
    assert secret["rule"].startswith("github.") and secret["urgency"] and secret["secret_id"]
    assert secret["locations"] == [{"repository": str(fork), "path": "scripts/release.sh", "line": 1,
                                    "commit": secret["locations"][0]["commit"]}]

    page = tmp_path / "report.html"
    made = _fleet("report", "--format", "html", "-o", str(page), store=store)
    assert made.code == 0, made
    source = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source)  # nothing loaded from anywhere
    assert token not in source
    # one inline script (the table's sorting), allowed by its hash and nothing else
    (script,) = re.findall(r"<script>(.*?)</script>", source, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in source and "default-src 'none'" in source
    dom = _render_in_chromium(page, tmp_path)
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    assert "credsweep fleet report" in text
    # first the table by repository and urgency, then the tasks
    assert dom.index("id=\"repositories\"") < dom.index(">Tasks<") < dom.index("class=\"task\"")
    table = dom[dom.index("id=\"repositories\""):dom.index("</table>")]
    assert "acme-api" in table and "alice-api-fork" in table and ">Critical<" in table and ">Low<" in table
    tasks = re.findall(r'<div class="task" id="(t-[0-9a-f]{16})"', dom)
    assert len(tasks) == 2  # one task per secret: the parent's (in both repositories) and the fork's own
    assert set(re.findall(r'href="#(t-[0-9a-f]{16})"', table)) == set(tasks)  # the table links to each task
    assert dom.count("<details class=\"advice\"") == 1  # both are GitHub tokens: the advice once, folded
    assert "<pre><code>" in dom
    assert re.search(r"alice-api-fork</b> <code>scripts/release.sh:1</code> @ <code>[0-9a-f]{7}</code> · "
                     r'<span class="head">in HEAD</span>', dom)
    assert "<svg" in dom and "run 2:" in dom


def test_failed_notification_is_reported_and_keeps_the_run(tmp_path: Path) -> None:
    store = _store(tmp_path)
    repo = _repo_with(tmp_path / "r", "a.py", f"T = '{fake_github_token()}'\n")
    hook = _Webhook(status=500)
    try:
        result = _fleet("scan", str(repo), "--notify-url", hook.url, store=store)
    finally:
        hook.close()
    assert result.code == 1, result  # the findings' exit code, unchanged by the failed notification
    assert "notification to http://127.0.0.1" in result.stderr and "HTTP 500" in result.stderr
    assert "not-a-real-token" not in result.stderr  # the webhook path (a credential) is never printed
    unreachable = _fleet("scan", str(repo), "--notify-url", f"http://127.0.0.1:{_free_port()}/x", store=store)
    assert unreachable.code == 0 and "notification" not in unreachable.stderr  # nothing new: nothing sent
    report = _fleet("report", "--format", "json", store=store).json()
    assert len(report["secrets"]) == 1 and len(report["runs"]) == 2


def test_scan_and_staged_never_import_the_fleet_stack(repo: Path) -> None:
    """SQLAlchemy, Alembic and Celery load only for `fleet` commands; GitPython (the remotes' config) and
    the installed metadata (the version) only when a report needs them: a clean `scan` or `staged` never."""
    write(repo, "a.py", "x = 1\n")
    commit_all(repo)
    for command in (["scan", str(repo)], ["staged", str(repo)]):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "credsweep", *command], capture_output=True,
                              text=True, env=dict(os.environ, PYTHONPATH=str(SRC)), cwd=repo, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
        fleet_only = ("sqlalchemy", "alembic", "celery", "kombu", "psycopg", "git")
        assert not {m for m in imported if m.split(".")[0] in fleet_only}
        assert "importlib.metadata" not in imported


def test_empty_and_non_repository_paths(tmp_path: Path) -> None:
    store = _store(tmp_path)
    empty = make_repo(tmp_path / "empty")
    plain = tmp_path / "plain"
    plain.mkdir()
    result = _fleet("scan", str(empty), str(plain), str(tmp_path / "missing"), "--format", "json", store=store)
    assert result.code == 4, result
    status = {r["repository"]: (r["status"], r["reason"]) for r in result.json()["repositories"]}
    assert status[str(empty)] == ("scanned", None)
    assert status[str(plain)][0] == "failed" and "not a git repository" in status[str(plain)][1]
    missing = status[str(tmp_path / "missing")]
    assert missing[0] == "failed" and "no such directory" in missing[1]


def test_a_secret_in_a_non_utf8_file_name_is_stored_printed_and_reported_beside_another_repository(
        tmp_path: Path) -> None:
    store = _store(tmp_path)
    odd = make_repo(tmp_path / "odd")
    (odd / os.fsdecode(b"cfg-\xff.env")).write_text(f"GITHUB_TOKEN={fake_github_token()}\n")
    commit_all(odd, "a file whose name is not UTF-8")
    plain = _repo_with(tmp_path / "plain", "app.yml", f'token: "{fake_github_token()}"\n')
    scanned = _fleet("scan", str(odd), str(plain), "--format", "json", store=store)
    assert scanned.code == 1, scanned
    assert "Traceback" not in scanned.stderr and "internal error" not in scanned.stderr
    assert [r["status"] for r in scanned.json()["repositories"]] == ["scanned", "scanned"]
    new = _new_secrets(scanned)
    assert {next(iter(v)) for v in new.values()} == {str(odd), str(plain)}
    report = _fleet("report", store=store)
    assert report.code == 0, report
    assert '"cfg-\\377.env"' in report.stdout and "app.yml" in report.stdout  # git's quoting, lossless


def test_an_unexpected_error_in_one_repository_is_its_failed_outcome(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # whatever breaks inside one repository's scan (here: a defect planted in the scan) fails that
    # repository with a reason; the others are scanned, stored and reported
    from credsweep.fleet import run as fleet_run
    from credsweep.fleet.run import FleetOptions, run_local

    broken = _repo_with(tmp_path / "broken", "a.py", "x = 1\n")
    fine = _repo_with(tmp_path / "fine", "app.yml", f'token: "{fake_github_token()}"\n')
    real_scan = fleet_run._scan

    def scan(store, run_id, state, source, *args):  # type: ignore[no-untyped-def]
        if state.name == "broken":
            raise RuntimeError("a defect")
        return real_scan(store, run_id, state, source, *args)

    monkeypatch.setattr(fleet_run, "_scan", scan)
    result = run_local([str(broken), str(fine)], FleetOptions(store_url=_store(tmp_path), cache=str(tmp_path / "mirrors")))
    outcomes = {o.name: o for o in result.outcomes}
    assert outcomes["broken"].status == "failed" and outcomes["broken"].reason == "internal error (RuntimeError)"
    assert outcomes["fine"].status == "scanned" and outcomes["fine"].new_findings == 1


# --- a store a team lead acts on: tasks per repository, forget, missing stores, outputs, extras ----------------

def test_a_store_that_does_not_exist_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'typo' / 'fleet.db'}"
    for args in (["report"], ["report", "--format", "html"], ["mark", "3f2a9c1e7b4d", "rotated"], ["repos"],
                 ["forget", str(tmp_path)]):
        result = _fleet(*args, store=store)
        assert result.code == 2 and "does not exist" in result.stderr and result.stderr.count("\n") == 1, (args, result)
    assert not (tmp_path / "typo").exists()  # no folder, no empty database reported as "0 secrets"


def test_file_problems_are_one_task_per_repository_and_marking_one_leaves_the_other_open(tmp_path: Path) -> None:
    store = _store(tmp_path)
    one = _repo_with(tmp_path / "one", ".env", "DEBUG=1\n")
    two = _repo_with(tmp_path / "two", ".env", "DEBUG=1\n")
    scan = _fleet("scan", str(one), str(two), store=store)
    assert scan.code == 1, scan
    assert "2 repositories" in scan.stdout
    report = _fleet("report", "--format", "json", store=store).json()
    envs = [s for s in report["secrets"] if s["rule"] == "file.env"]
    assert len(envs) == 2 and {tuple(s["repositories"]) for s in envs} == {(str(one),), (str(two),)}
    assert all(re.fullmatch(r"[0-9a-f]{16}", s["key"]) for s in report["secrets"])  # one length for every id
    assert all(f"id {s['key']}" in scan.stdout for s in envs)
    first = next(s for s in envs if s["repositories"] == [str(one)])
    marked = _fleet("mark", first["key"], "accepted", "--reason", "requests only", store=store)
    assert marked.code == 0, marked
    after = {tuple(s["repositories"]): s["status"] for s in _fleet("report", "--format", "json", store=store)
             .json()["secrets"] if s["rule"] == "file.env"}
    assert after == {(str(one),): "resolved", (str(two),): "new"}
    text = _fleet("report", store=store).stdout
    assert "rotate: dotenv" not in text.lower() and "fix: dotenv file" in text


def test_repos_lists_failures_and_forget_removes_a_repository(tmp_path: Path) -> None:
    store = _store(tmp_path)
    good = _repo_with(tmp_path / "api", "app.py", f"T = '{fake_github_token()}'\n")
    typo = tmp_path / "ap"  # a mistyped path
    scan = _fleet("scan", str(good), str(typo), store=store)
    assert scan.code == 4 and "fleet forget" in scan.stdout, scan
    listed = _fleet("repos", store=store)
    assert listed.code == 0 and listed.stdout.index(str(typo)) < listed.stdout.index(str(good)), listed  # failed first
    assert "FAILED" in listed.stdout and "2 repositories, 1 failed" in listed.stdout
    forgot = _fleet("forget", str(typo), store=store)
    assert forgot.code == 0 and str(typo) in forgot.stdout, forgot
    report = _fleet("report", "--format", "json", store=store).json()
    assert [r["repository"] for r in report["repositories"]] == [str(good)] and report["summary"]["failed"] == 0
    assert _fleet("forget", str(typo), store=store).code == 2  # gone
    # forgetting a scanned repository removes what only it held; the next scan starts afresh
    assert _fleet("forget", "api", store=store).code == 0  # by its name
    assert _fleet("report", "--format", "json", store=store).json()["secrets"] == []
    again = _fleet("scan", str(good), "--format", "json", store=store)
    assert again.code == 1 and again.json()["findings"], again


def test_fleet_outputs_follow_the_rules_of_every_output(tmp_path: Path) -> None:
    store = _store(tmp_path)
    repo = _repo_with(tmp_path / "r", "a.py", f"T = '{fake_github_token()}'\n")
    target = tmp_path / "reports" / "fleet.html"
    target.parent.mkdir()
    link = tmp_path / "latest.html"
    link.symlink_to(target)
    previous = os.umask(0o022)  # a usual umask: what the reports' modes must not follow
    try:
        scan = _fleet("scan", str(repo), "-o", str(tmp_path / "new.txt"), store=store)
        made = _fleet("report", "--format", "html", "-o", str(link), store=store)
    finally:
        os.umask(previous)
    assert scan.code == 1, scan
    assert made.code == 0, made
    assert link.is_symlink() and target.read_text().startswith("<!DOCTYPE html>")  # followed, the link stays
    # a new report is private whatever the umask (fsutil.write_output: it may hold --show-secrets values)
    assert oct(target.stat().st_mode & 0o777) == "0o600" and oct((tmp_path / "new.txt").stat().st_mode & 0o777) == "0o600"
    target.chmod(0o640)
    assert _fleet("report", "-o", str(link), store=store).code == 0
    assert oct(target.stat().st_mode & 0o777) == "0o640"  # an existing file keeps its mode


def test_fleet_scan_fail_on(tmp_path: Path) -> None:
    import base64
    import secrets

    body = base64.b64encode(secrets.token_bytes(600)).decode()
    key = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    repo = _repo_with(tmp_path / "r", "tests/fixtures/id_ed25519",
                      f"-----BEGIN OPENSSH PRIVATE KEY-----\n{key}\n-----END OPENSSH PRIVATE KEY-----\n")
    gated = _fleet("scan", str(repo), "--fail-on", "high", store=_store(tmp_path))
    assert gated.code == 0 and "1 repository" in gated.stdout and "--fail-on high" in gated.stderr, gated
    assert _fleet("scan", str(repo), store=_store(tmp_path / "other")).code == 1  # the default: any new finding


@pytest.mark.parametrize("args", [["scan", "."], ["report"], ["mark", "3f2a9c1e7b4d", "rotated"], ["repos"],
                                  ["forget", "x"], ["worker", "--broker", "redis://127.0.0.1:1/0"]])
def test_a_missing_extra_is_one_line_naming_the_install_command(args: list[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from credsweep.cli import main

    for module in ("sqlalchemy", "alembic", "celery"):
        monkeypatch.setitem(sys.modules, module, None)  # what `import` finds when the extra is not installed
    monkeypatch.chdir(tmp_path)
    code = main(["fleet", *args, "--store", f"sqlite:///{tmp_path / 'fleet.db'}"] if args[0] != "worker"
                else ["fleet", *args])
    out = capsys.readouterr()
    assert code == 2, out
    assert out.err.strip().count("\n") == 0 and "pip install 'credsweep[fleet]'" in out.err, out.err
    assert "Traceback" not in out.err and "internal error" not in out.err
    assert not (tmp_path / "fleet.db").exists()


def test_a_store_from_before_splits_shared_file_problems_per_repository(tmp_path: Path) -> None:
    """Migration 0002: a store written when `.env` in two repositories was one item keeps both, as two
    tasks, each with the mark the shared one had."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from credsweep.store import migrations
    from credsweep.store.db import open_store

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(sa.text("INSERT INTO repositories (id, url, name, status, failures) VALUES "
                             "(1, '/src/one', 'one', 'scanned', 0), (2, '/src/two', 'two', 'scanned', 0)"))
        conn.execute(sa.text("INSERT INTO secrets (key, kind, rule, provider, name, severity, redacted, advice, "
                             "first_run_id, mark) VALUES ('ab' || printf('%030d', 0), 'sensitive-file', 'file.env', "
                             "'hygiene', 'dotenv file was committed', 'high', '', '{}', 1, 'accepted')"))
        conn.execute(sa.text("INSERT INTO findings (id, repository_id, secret_key, status, status_run_id, first_run_id, "
                             "last_seen_run_id, urgency) SELECT n, n, key, 'resolved', 1, 1, 1, 'high' FROM secrets, "
                             "(SELECT 1 AS n UNION SELECT 2)"))
    engine.dispose()
    store = open_store(url)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT f.repository_id, s.key, s.mark FROM findings f JOIN secrets s "
                                    "ON s.key = f.secret_key ORDER BY f.repository_id")).all()
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    assert len(rows) == 2 and rows[0][1] != rows[1][1] and all(len(key) == 16 for _, key, _ in rows)
    assert [mark for _, _, mark in rows] == ["accepted", "accepted"]

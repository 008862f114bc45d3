"""Finding 8: the webhook. Slack markup in a file name (``<!channel>``, ``<mailto:...|security team>``)
went into ``text`` unescaped (an @channel ping and a disguised link); the 15 s timeout applied per socket
operation, so a server sending a byte every 5 s held ``fleet scan`` indefinitely; a 302 turned the POST
into a GET without the body, counted as success; a bad scheme was refused only after the whole run.

Now ``text`` is escaped for Slack, one POST has one total deadline, a redirect is a failure (not
followed), and the URL is checked before any repository is scanned."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import commit_all, fake_github_token, make_repo, write
from credsweep.fleet.notify import NotifyError, notify, payload
from credsweep.fleet.run import RepoOutcome, RunResult
from credsweep.fleet.views import NewFinding
from credsweep.models import Advice, Finding
from hostile.common import run


def _finding(path: str) -> Finding:
    return Finding(kind="secret", rule="github.pat.classic", provider="github", name="GitHub token",
                   severity="critical", confidence="high", path=path, line=3, column=1, fingerprint="f" * 32,
                   redacted="ghp_****", advice=Advice(summary="Rotate.", urgency="critical"), secret_id="1" * 16)


def _new(path: str) -> list[NewFinding]:
    """One new location of one task, as ``fleet.views.new_in_run`` gives it."""
    return [NewFinding("repo", "1" * 16, _finding(path))]


def _run() -> RunResult:
    return RunResult(7, (RepoOutcome("r", "r", "scanned"),))


class _Server:
    """A real TCP server on 127.0.0.1 that answers each connection with ``handler(conn)``."""

    def __init__(self, handler) -> None:  # type: ignore[no-untyped-def]
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.requests: list[bytes] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks/T0/B0/not-a-real-token"
        self.stop = threading.Event()

        def serve() -> None:
            while not self.stop.is_set():
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    return
                with conn:
                    conn.settimeout(5)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    self.requests.append(data)
                    handler(conn, self.stop)

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


TRICKLE = 0.05
"""Seconds between two bytes of the trickled answer: well inside the 0.3 s deadline (the test's; the
product's is 10 s), so a timeout per socket operation would never fire and only one total deadline ends the
POST."""


def _trickle(conn: socket.socket, stop: threading.Event) -> None:
    """One byte of an answer every ``TRICKLE`` seconds, for 5 s: never a complete response in time."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n" + b"X-Slow: " + b"a" * 60:
        if stop.is_set():
            return
        try:
            conn.sendall(bytes([byte]))
        except OSError:
            return
        time.sleep(TRICKLE)


def _redirect(conn: socket.socket, _stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n")


def test_a_post_has_one_total_deadline_whatever_the_server_trickles() -> None:
    server = _Server(_trickle)
    outcome: list[object] = []
    try:
        worker = threading.Thread(target=lambda: outcome.append(_attempt(server.url, 0.3)), daemon=True)
        worker.start()
        worker.join(120)  # a guard: with a timeout per socket operation this never ended
        assert not worker.is_alive(), f"the POST was held by a server sending a byte every {TRICKLE} s"
    finally:
        server.close()
    assert isinstance(outcome[0], NotifyError) and "no complete answer within 0.3 s" in str(outcome[0])
    assert "not-a-real-token" not in str(outcome[0])


def _attempt(url: str, timeout: float) -> object:
    try:
        return notify(url, _run(), _new("a.py"), timeout=timeout)
    except NotifyError as exc:
        return exc


def test_a_redirect_is_not_followed_and_not_counted_as_delivered() -> None:
    server = _Server(_redirect)
    try:
        outcome = _attempt(server.url, 10.0)
    finally:
        server.close()
    assert isinstance(outcome, NotifyError) and "HTTP 302" in str(outcome) and "not delivered" in str(outcome)
    assert len(server.requests) == 1 and server.requests[0].startswith(b"POST ")  # never re-sent as a GET


def test_slack_markup_in_a_file_name_is_escaped() -> None:
    hostile = "deploy/<!channel> see <mailto:attacker@example.invalid|security team> & <https://x.invalid|docs>.env"
    text = payload(_run(), _new(hostile))["text"]
    assert "<!channel>" not in text and "<mailto:" not in text and "<https:" not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    sent = json.loads(json.dumps(payload(_run(), _new(hostile))))
    assert sent["new_secrets"][0]["locations"][0]["path"] == hostile  # structured fields keep the exact name


@pytest.mark.parametrize("url", ["ftp://hooks.example.invalid/x", "file:///etc/passwd", "https:///no-host",
                                 "http://host:port/x"])
def test_a_bad_webhook_is_refused_before_the_run(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.py", f'T = "{fake_github_token()}"\n')
    commit_all(repo)
    store = tmp_path / "fleet.sqlite3"
    result = run("fleet", "scan", str(repo), "--store", f"sqlite:///{store}", "--notify-url", url)
    assert result.code == 2 and "--notify-url" in result.stderr, result
    assert "scanned" not in result.stderr and not store.exists()  # refused before any repository

"""A local HTTPS API server for the network tests: a threaded ``http.server`` on 127.0.0.1 with a
certificate from a ``trustme`` test CA, answering from a route table and recording every request.
No test reaches the internet: every provider and forge is pointed here (``CREDSWEEP_API_BASE_URLS``
or ``NetConfig.base_urls``)."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import trustme


@dataclass(frozen=True)
class Reply:
    """One canned answer."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: tuple[tuple[str, str], ...] = ()
    hang: bool = False
    """Never answer (hold the connection until the server stops)."""
    drip: float = 0.0
    """Seconds between bytes of the body (a slow-loris answer), after the headers."""

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes

    def carries(self, secret: str) -> bool:
        """Whether the secret is anywhere in the request (headers, Basic pair, path, query, body)."""
        import base64

        texts = [self.path, self.body.decode("utf-8", "replace"), *(v for _, v in self.query), *self.headers.values()]
        for value in self.headers.values():
            if value.startswith("Basic "):
                texts.append(base64.b64decode(value[6:]).decode("utf-8", "replace"))
        return any(secret in t for t in texts)


Route = Callable[[Seen], Reply] | Reply


@dataclass
class LocalApi:
    """The running server: ``url(prefix)`` for base URLs, ``routes`` to set answers, ``seen``."""

    port: int
    ca_file: Path
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    default: Reply = field(default_factory=lambda: Reply(404, {"message": "Not Found"}))

    def url(self, prefix: str = "") -> str:
        return f"https://127.0.0.1:{self.port}{'/' + prefix if prefix else ''}"

    def route(self, method: str, path: str, reply: Route) -> None:
        self.routes[(method, path)] = reply

    def answer(self, seen: Seen) -> Reply:
        self.seen.append(seen)
        route = self.routes.get((seen.method, seen.path), self.default)
        return route(seen) if callable(route) else route


def _handler(api: LocalApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # the headers and the body are two writes: without TCP_NODELAY the body waits for the client's
        # delayed ACK of the headers (40 ms on Linux), a third of the validation tests' time
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            seen = Seen(
                self.command,
                parts.path,
                tuple(parse_qsl(parts.query, keep_blank_values=True)),
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
            reply = api.answer(seen)
            if reply.hang:
                api.stop.wait(10)
                self.close_connection = True
                return
            payload = reply.payload()
            self.send_response(reply.status)
            names = {k.lower() for k, _ in reply.headers}
            for key, value in reply.headers:
                self.send_header(key, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not reply.drip:
                self.wfile.write(payload)
                return
            for i in range(len(payload)):
                if api.stop.wait(reply.drip):
                    return
                try:
                    self.wfile.write(payload[i : i + 1])
                    self.wfile.flush()
                except OSError:
                    return

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


def start(tmp: Path) -> Iterator[LocalApi]:
    """Run a server for the duration of the generator (use from a fixture)."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    api = LocalApi(0, ca_file)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    api.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def no_proxy(monkeypatch: Any) -> None:
    """Make sure no proxy from the environment sits between the tests and 127.0.0.1."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    """The local HTTPS API server of a test module (a test CA; routes set by each test)."""
    yield from start(tmp_path_factory.mktemp("api"))


@pytest.fixture(autouse=True)
def _isolated(api: LocalApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no routes, nothing seen and no proxy from the environment."""
    no_proxy(monkeypatch)
    api.routes.clear()
    api.seen.clear()

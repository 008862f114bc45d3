"""``NetClient``: the one place that builds and sends every outgoing request.

Safety properties, each enforced here rather than by the callers:

- **Where**: a request names a service (a provider or forge id) and a default base URL fixed in
  code; the URL is that base (or the service's ``CREDSWEEP_API_BASE_URLS`` override) plus a path. A
  pagination link that leaves the base's origin is refused. Only ``https://`` is sent, or ``http://``
  to a loopback address; never a URL with a user name or password in it.
- **No redirects**: a 3xx answer is a failure ("redirect refused"), never followed (a redirect could
  carry the credential to another host).
- **A total deadline per exchange**: connecting, TLS, sending and reading the whole answer together
  take at most ``NetConfig.deadline`` seconds: the exchange runs in a worker thread the caller waits
  on with that timeout, and the worker also stops reading once the deadline passes (httpx's own
  timeouts bound each socket operation, so an abandoned worker ends soon after).
- **Bounded answers**: at most ``NetConfig.max_body`` bytes read (``Accept-Encoding: identity``).
- **Bounded concurrency**: at most ``NetConfig.concurrency`` exchanges in flight, across threads.
- **Rate limits**: per service, a least interval between requests; on 429, or 403 with rate-limit
  headers, the wait the provider asks for (``Retry-After``, ``X-RateLimit-Reset``, ``RateLimit-Reset``)
  is honoured if it fits the service's remaining wait budget (``NetConfig.rate_wait_budget``), else
  the request fails with a one-line reason; the whole service waits, not just one thread.
- **Proxies and CAs**: ``HTTPS_PROXY``/``NO_PROXY`` honoured (httpx ``trust_env``); the CA bundle is
  certifi's, or ``SSL_CERT_FILE``/``SSL_CERT_DIR`` (``NetConfig.ca_file``/``ca_dir``).
- **Nothing logged**: httpx's request log line (which would show a URL, and a few providers take the
  credential in the URL) is silenced; failure reasons are fixed phrases, never an exception's text.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from credsweep.errors import CredsweepError
from credsweep.net.config import NetConfig, is_loopback_host

if TYPE_CHECKING:
    import httpx


class NetworkError(CredsweepError):
    """A request could not be answered (refused, timed out, redirected, too large...); the message
    is a fixed phrase, never an exception's text or a URL."""


class RateLimited(NetworkError):
    """The service asked for a wait longer than the remaining budget, or retries ran out."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait
        """Seconds the service asked to wait, when it said."""


@dataclass(frozen=True)
class HttpRequest:
    """One request, before its URL is resolved. Headers, body, path and query may hold a
    credential: they are never shown (``repr=False``)."""

    service: str
    """Provider or forge id: the rate-limit bucket and the ``CREDSWEEP_API_BASE_URLS`` key."""
    base: str
    """Default base URL (fixed in code, or the user's ``--forge-url``)."""
    path: str = field(default="", repr=False)
    """Path under the base (``/user``), or an absolute URL on the same origin (a pagination link)."""
    method: str = "GET"
    """HTTP method."""
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Query parameters."""
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Request headers (credentials among them)."""
    body: bytes | None = field(default=None, repr=False)
    """Request body."""
    overridable: bool = True
    """Whether the service's base URL override applies (False for a base the user gave explicitly)."""


@dataclass(frozen=True)
class HttpResponse:
    """A complete answer (status, headers with lower-cased names, body)."""

    status: int
    """HTTP status code."""
    headers: tuple[tuple[str, str], ...]
    """Headers, names lower-cased, in order."""
    body: bytes = field(repr=False)
    """The body (at most ``NetConfig.max_body`` bytes)."""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None


def _parse_wait(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` / ``*-Reset`` value: delta seconds, an epoch time
    (values over 10^9), or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - now)
    if not math.isfinite(number) or number < 0:
        return None
    return max(0.0, number - now) if number > 1e9 else number


def rate_limited(response: HttpResponse) -> bool:
    """Whether ``response`` says "rate limited": 429 always; 403 only with ``Retry-After`` or an
    exhausted ``X-RateLimit-Remaining``/``RateLimit-Remaining`` (GitHub's primary and secondary
    limits; a plain 403 is a provider's answer about the credential)."""
    if response.status == 429:
        return True
    if response.status != 403:
        return False
    remaining = response.header("x-ratelimit-remaining") or response.header("ratelimit-remaining")
    return response.header("retry-after") is not None or (remaining is not None and remaining.strip() == "0")


def requested_wait(response: HttpResponse, now: float) -> float | None:
    """The wait a rate-limited ``response`` asks for, in seconds, or None when it does not say."""
    for name in ("retry-after", "x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"):
        wait = _parse_wait(response.header(name), now)
        if wait is not None:
            return wait
    return None


class _Limiter:
    """Per-service pacing: a least interval between requests, a shared "not before" time after a
    rate-limit answer, and a wait budget per service."""

    def __init__(self, config: NetConfig, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._config = config
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._spent: dict[str, float] = {}

    def before(self, service: str) -> None:
        """Wait until ``service`` may receive another request, and book the next slot."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(service, 0.0))
            self._next[service] = start + self._config.min_interval
        if start > now:
            self._sleep(start - now)

    def reserve(self, service: str, wait: float) -> bool:
        """Book a rate-limit wait of ``wait`` seconds for the whole service, if the budget allows."""
        with self._lock:
            spent = self._spent.get(service, 0.0)
            if spent + wait > self._config.rate_wait_budget:
                return False
            self._spent[service] = spent + wait
            self._next[service] = max(self._next.get(service, 0.0), self._clock() + wait)
            return True


def _failure(exc: BaseException, deadline: float) -> str:
    """A fixed phrase for an httpx or socket failure (never the exception's text: it may hold a URL)."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return f"no complete answer within {deadline:g} s"
    if isinstance(exc, httpx.ProxyError):
        return "proxy error"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        return "TLS verification failed" if "certificate" in text or "ssl" in text else "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection closed without a complete answer"
    if isinstance(exc, httpx.TransportError):
        return "network error"
    if isinstance(exc, httpx.HTTPError):
        return "HTTP error"
    return f"request failed ({type(exc).__name__})"


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


class NetClient:
    """Sends ``HttpRequest``s under the rules in the module docstring. Thread-safe; close it (or use
    it as a context manager) when done."""

    def __init__(
        self,
        config: NetConfig,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        """The settings."""
        self._clock = clock
        self._limiter = _Limiter(config, time.monotonic, sleep)
        self._slots = threading.BoundedSemaphore(max(1, config.concurrency))
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None
        self._closed = False

    def __enter__(self) -> NetClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (exchanges still running in abandoned workers then fail)."""
        with self._lock:
            self._closed = True
            http, self._http = self._http, None
        if http is not None:
            http.close()

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._closed:
                raise NetworkError("the network client is closed")
            if self._http is None:
                import ssl

                import httpx

                # httpx logs every request's URL at INFO; some providers take the credential in the URL
                logging.getLogger("httpx").setLevel(logging.WARNING)
                logging.getLogger("httpcore").setLevel(logging.WARNING)
                if self.config.ca_file or self.config.ca_dir:
                    context = ssl.create_default_context(cafile=self.config.ca_file, capath=self.config.ca_dir)
                else:
                    import certifi

                    context = ssl.create_default_context(cafile=certifi.where())
                context.minimum_version = ssl.TLSVersion.TLSv1_2
                self._http = httpx.Client(
                    verify=context,
                    trust_env=True,  # HTTPS_PROXY / NO_PROXY
                    follow_redirects=False,
                    timeout=httpx.Timeout(self.config.deadline),
                    limits=httpx.Limits(max_connections=max(1, self.config.concurrency)),
                    headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "identity"},
                )
            return self._http

    def base_for(self, service: str, default: str) -> str:
        """The base URL requests to ``service`` go to: its override, else ``default``."""
        return (self.config.base_url(service) or default).rstrip("/")

    def url(self, request: HttpRequest) -> str:
        """The URL ``request`` goes to, after the checks in the module docstring (a ``NetworkError``
        when one fails)."""
        base = (self.config.base_url(request.service) if request.overridable else None) or request.base
        base = base.rstrip("/")
        if request.path.startswith(("https://", "http://")):
            if not _same_origin(request.path, base):
                raise NetworkError(f"{request.service}: a link leaves the service's host; not followed")
            url = request.path
        else:
            url = base + request.path
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not host or not (parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(host))):
            raise NetworkError(f"{request.service}: only https:// (or http:// on a loopback address) is used")
        if parts.username is not None or parts.password is not None:
            raise NetworkError(f"{request.service}: a URL with a user name or password is never used")
        if request.params:
            url += ("&" if parts.query else "?") + urlencode(request.params)
        return url

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` and return the complete answer (any status but 3xx and rate limits);
        raise ``NetworkError`` (``RateLimited``) with a one-line reason otherwise."""
        url = self.url(request)
        attempt = 0
        while True:
            self._limiter.before(request.service)
            response = self._attempt(request, url)
            if not rate_limited(response):
                return response
            asked = requested_wait(response, self._clock())
            attempt += 1
            if attempt > self.config.retries:
                raise RateLimited(f"rate limited by {request.service} (HTTP {response.status}); retries exhausted", asked)
            delay = asked if asked is not None else float(2 ** (attempt - 1))
            if not self._limiter.reserve(request.service, delay):
                budget = self.config.rate_wait_budget
                raise RateLimited(
                    f"rate limited by {request.service} (HTTP {response.status}) for {math.ceil(delay)} s, "
                    f"more than the {budget:g} s allowed",
                    asked,
                )

    def _attempt(self, request: HttpRequest, url: str) -> HttpResponse:
        """One exchange under the total deadline (see the module docstring)."""
        http = self._client()
        deadline_s = self.config.deadline
        box: list[HttpResponse | BaseException] = []
        self._slots.acquire()
        deadline = time.monotonic() + deadline_s

        def run() -> None:
            try:
                box.append(self._exchange(http, request, url, deadline))
            except BaseException as exc:  # reported to the caller, never raised in the worker
                box.append(exc)
            finally:
                self._slots.release()

        worker = threading.Thread(target=run, name=f"credsweep-net-{request.service}", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()) + 0.05)
        if not box:
            raise NetworkError(f"no complete answer within {deadline_s:g} s")
        outcome = box[0]
        if isinstance(outcome, NetworkError):
            raise outcome
        if isinstance(outcome, BaseException):
            raise NetworkError(_failure(outcome, deadline_s))
        return outcome

    def _exchange(self, http: httpx.Client, request: HttpRequest, url: str, deadline: float) -> HttpResponse:
        headers = dict(request.headers)
        with http.stream(request.method, url, headers=headers, content=request.body) as answer:
            if 300 <= answer.status_code < 400:
                raise NetworkError("redirect refused")
            chunks: list[bytes] = []
            size = 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > self.config.max_body:
                    raise NetworkError(f"answer larger than {self.config.max_body} bytes")
                if time.monotonic() > deadline:
                    raise NetworkError(f"no complete answer within {self.config.deadline:g} s")
                chunks.append(chunk)
            return HttpResponse(
                answer.status_code,
                tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in answer.headers.raw),
                b"".join(chunks),
            )

"""Network settings: one frozen ``NetConfig`` passed down to the client, validators and forges.

``CREDSWEEP_API_BASE_URLS`` names a TOML file mapping a provider or forge id to a base URL, for tests
and air-gapped mirrors::

    github = "https://127.0.0.1:8443/github"
    slack = "http://localhost:8080/slack"

A base URL must be ``https://``, or plain ``http://`` on a loopback address (127.0.0.0/8, ::1,
localhost); anything else is a one-line configuration error. The file is read once, when the
configuration is built (``NetConfig.from_env``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from credsweep.errors import ConfigError

ENV_BASE_URLS = "CREDSWEEP_API_BASE_URLS"
"""Environment variable naming the base URL override file."""

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (as in a URL, brackets removed) is a loopback address or ``localhost``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, what: str) -> str:
    """``url`` without a trailing slash if it is an acceptable base URL (``https://``, or ``http://``
    on a loopback host; no user name, password, query or fragment), else a ``ConfigError`` naming
    ``what``."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError:
        raise ConfigError(f"{what}: not a valid URL") from None
    del port
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{what}: the base URL must be https:// (or http:// on a loopback address)")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ConfigError(f"{what}: plain http:// is accepted only on a loopback address (127.0.0.0/8, ::1, localhost)")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{what}: the base URL must not hold a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(f"{what}: the base URL must not hold a query or fragment")
    return url.rstrip("/")


def load_base_urls(path: str) -> tuple[tuple[str, str], ...]:
    """Read a base URL override file (see the module docstring): sorted ``(id, url)`` pairs."""
    from credsweep.util import toml as tomlread

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{ENV_BASE_URLS}: cannot read {path} ({type(exc).__name__})") from None
    try:
        data = tomlread.loads(text)
    except ValueError:
        raise ConfigError(f"{ENV_BASE_URLS}: {path} is not valid TOML") from None
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if not _ID.match(key):
            raise ConfigError(f"{ENV_BASE_URLS}: {key!r} is not a provider or forge id")
        if not isinstance(value, str):
            raise ConfigError(f"{ENV_BASE_URLS}: the value of {key} must be a URL string")
        pairs.append((key, check_base_url(value, f"{ENV_BASE_URLS}: {key}")))
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class NetConfig:
    """How credsweep talks to the network; built once per command and passed down."""

    deadline: float = 10.0
    """Seconds one HTTP exchange may take in total (connect, TLS, send, the whole answer)."""
    max_body: int = 1 << 20
    """Largest answer read, in bytes; a larger one is an ``unknown`` result."""
    concurrency: int = 4
    """Most exchanges in flight at once."""
    retries: int = 2
    """Times a rate-limited request is retried (after the wait the provider asks for)."""
    rate_wait_budget: float = 30.0
    """Most seconds spent waiting on one service's rate limits in one run; a longer wait fails."""
    min_interval: float = 0.05
    """Least seconds between two requests to the same service."""
    base_urls: tuple[tuple[str, str], ...] = ()
    """Base URL overrides by provider or forge id (``CREDSWEEP_API_BASE_URLS``)."""
    ca_file: str | None = None
    """CA bundle to trust instead of certifi's (``SSL_CERT_FILE``)."""
    ca_dir: str | None = None
    """CA directory to trust instead of certifi's (``SSL_CERT_DIR``)."""
    self_hosted: bool = False
    """``--validate-self-hosted``: a self-hosted URL found beside a token (GitLab) may receive it."""
    user_agent: str = field(default="credsweep")
    """User-Agent of every request."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **settings: object) -> NetConfig:
        """A config from the environment (``CREDSWEEP_API_BASE_URLS``, ``SSL_CERT_FILE``,
        ``SSL_CERT_DIR``), with ``settings`` overriding fields."""
        from credsweep import __version__

        env = os.environ if environ is None else environ
        path = env.get(ENV_BASE_URLS, "")
        config = cls(
            base_urls=load_base_urls(path) if path else (),
            ca_file=env.get("SSL_CERT_FILE") or None,
            ca_dir=env.get("SSL_CERT_DIR") or None,
            user_agent=f"credsweep/{__version__}",
        )
        return replace(config, **settings)  # type: ignore[arg-type]

    def base_url(self, key: str) -> str | None:
        """The override base URL for provider or forge ``key``, if any."""
        for name, url in self.base_urls:
            if name == key:
                return url
        return None

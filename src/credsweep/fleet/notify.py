"""``--notify-url``: one POST per run with the new secrets, for a chat webhook or any JSON endpoint.

The body carries a Slack-compatible ``text`` line plus structured fields; never a secret value, not
even a redacted preview (only rule, urgency, salted secret id, repository, path, line, commit).
Webhook URLs are themselves credentials (Slack's hold a token in the path), so messages name only
the scheme and host. A failed notification raises ``NotifyError``; the caller reports it and keeps
the run (everything is already in the store).

What a repository or the receiving server controls cannot steer it: file names and repository names
go into ``text`` with Slack's escaping (``<!channel>`` in a file name pings no one); the URL's scheme
and host are checked before the run starts (``check_url``), not after an hour of scanning; a POST
has one total deadline (``TIMEOUT``), so a server sending a byte every few seconds cannot hold the
run; a redirect is not followed (it would turn the POST into a GET without its body) and is reported
as a failure, never counted as delivered.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from credsweep.errors import CredsweepError, InputError

if TYPE_CHECKING:
    from credsweep.fleet.run import RunResult
    from credsweep.fleet.views import NewFinding

TIMEOUT = 15.0
"""Seconds one POST may take in all: connecting, sending and reading the answer."""
MAX_LISTED = 50
"""Secrets listed in the text line (all are in ``new_secrets``)."""


class NotifyError(CredsweepError):
    """The webhook could not be reached or refused the message."""


def check_url(url: str) -> None:
    """Refuse a webhook URL that can never work, before any repository is scanned: an http(s) URL with
    a host and a numeric port (InputError, exit 2)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  a port that is not a number raises here
    except ValueError:
        raise InputError("--notify-url is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise InputError(f"--notify-url must be an http(s) URL, not {_clean(parts.scheme) or 'a bare path'}")
    if not parts.hostname:
        raise InputError("--notify-url has no host")


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:40]


def where(url: str) -> str:
    """scheme://host[:port] of a webhook URL (its path may hold a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def payload(result: RunResult, new: Sequence[NewFinding]) -> dict[str, Any]:
    """The JSON body: ``text`` (Slack), ``run``, ``new_secrets`` (one per task, with locations), ``failed``."""
    from credsweep.models import LEVELS
    from credsweep.reporters.fleet import plural

    secrets: dict[str, dict[str, Any]] = {}
    for item in new:
        repo, key, finding = item.repository, item.key, item.finding
        entry = secrets.setdefault(key, {"secret_id": finding.secret_id, "key": key, "kind": finding.kind,
                                         "rule": finding.rule, "name": finding.name,
                                         "urgency": finding.advice.urgency, "locations": []})
        entry["urgency"] = max(entry["urgency"], finding.advice.urgency, key=LEVELS.index)
        entry["locations"].append({"repository": repo, "path": finding.path, "line": finding.line,
                                   "commit": finding.commit})
    ordered = sorted(secrets.values(), key=lambda s: (-LEVELS.index(s["urgency"]), s["rule"]))
    from credsweep.util.sanitize import slack

    files = sum(1 for s in ordered if s["kind"] != "secret")
    lines = [f"credsweep: {plural(len(ordered) - files, 'new secret')}"
             + (f" and {plural(files, 'new file problem')}" if files else "") + f" in fleet run {result.run_id}"
             + (f", {plural(len(result.failed), 'repository', 'repositories')} failed" if result.failed else "")]
    # every name below comes from a repository: Slack's escaping, so none can ping, link or format
    for secret in ordered[:MAX_LISTED]:
        first = secret["locations"][0]
        more = f" (+{len(secret['locations']) - 1} more)" if len(secret["locations"]) > 1 else ""
        lines.append(f"• [{secret['urgency']}] {slack(secret['rule'])} in {slack(first['repository'])}: "
                     f"{slack(first['path'])}{':' + str(first['line']) if first['line'] else ''}{more} "
                     f"(id {slack(secret['key'])})")
    if len(ordered) > MAX_LISTED:
        lines.append(f"… and {len(ordered) - MAX_LISTED} more")
    lines.extend(f"• FAILED {slack(o.repository)}: {slack(o.reason or '')}" for o in result.failed)
    return {"text": "\n".join(lines), "run": result.run_id, "new_secrets": ordered,
            "failed": [{"repository": o.repository, "reason": o.reason} for o in result.failed]}


def notify(url: str, result: RunResult, new: Sequence[NewFinding], timeout: float = TIMEOUT) -> bool:
    """POST the run's summary when it has new secrets or failed repositories; True when delivered (a 2xx
    answer within ``timeout`` seconds in all). A 3xx is not followed and, like any other failure, raises
    ``NotifyError``."""
    if not new and not result.failed:
        return False
    try:
        check_url(url)
    except InputError as exc:
        raise NotifyError(str(exc)) from None
    body = json.dumps(payload(result, new)).encode()
    status = post(url, body, timeout)
    if 300 <= status < 400:
        raise NotifyError(f"notification to {where(url)} was not delivered: HTTP {status}, a redirect "
                          "(not followed: it would resend the message as a GET without its body)")
    if not 200 <= status < 300:
        raise NotifyError(f"notification to {where(url)} failed: HTTP {status}")
    return True


def post(url: str, body: bytes, timeout: float) -> int:
    """POST ``body`` as JSON and return the HTTP status, all within ``timeout`` seconds: a watchdog
    closes the connection at the deadline whatever the server trickles (a per-read timeout would let a
    byte every few seconds hold the run forever). Proxies from the environment are honoured; redirects
    are never followed."""
    import http.client
    import socket
    import ssl
    import threading
    import urllib.request

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    proxy = None if urllib.request.proxy_bypass(host) else urllib.request.getproxies().get(parts.scheme)
    conn: http.client.HTTPConnection
    if proxy:
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        proxy_host, proxy_port = via.hostname or "", via.port or 8080
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(proxy_host, proxy_port, timeout=timeout,
                                               context=ssl.create_default_context())
            conn.set_tunnel(host, port)
        else:
            conn = http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout)
            target = url
    elif parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read in the other thread
            except OSError:
                pass

    watchdog = threading.Timer(timeout, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request("POST", target, body=body, headers={"Content-Type": "application/json",
                                                         "User-Agent": "credsweep"})
        response = conn.getresponse()
        response.read(4096)
        if expired.is_set():
            raise TimeoutError
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise NotifyError(f"notification to {where(url)} failed: no complete answer within {timeout:g} s") \
                from None
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
        raise NotifyError(f"notification to {where(url)} failed: {reason}") from None
    finally:
        watchdog.cancel()
        conn.close()

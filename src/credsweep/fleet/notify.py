"""``--notify-url``: one POST per run with the new secrets, for a chat webhook or any JSON endpoint.

The body carries a Slack-compatible ``text`` line plus structured fields; never a secret value, not
even a redacted preview (only rule, urgency, salted secret id, repository, path, line, commit).
Webhook URLs are themselves credentials (Slack's hold a token in the path), so messages name only
the scheme and host. A failed notification raises ``NotifyError``; the caller reports it and keeps
the run (everything is already in the store).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from credsweep.errors import CredsweepError

if TYPE_CHECKING:
    from credsweep.fleet.run import RunResult
    from credsweep.fleet.views import NewFinding

TIMEOUT = 15.0
"""Seconds to wait for the webhook."""
MAX_LISTED = 50
"""Secrets listed in the text line (all are in ``new_secrets``)."""


class NotifyError(CredsweepError):
    """The webhook could not be reached or refused the message."""


def where(url: str) -> str:
    """scheme://host[:port] of a webhook URL (its path may hold a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def payload(result: RunResult, new: Sequence[NewFinding]) -> dict[str, Any]:
    """The JSON body: ``text`` (Slack), ``run``, ``new_secrets`` (one per task, with locations), ``failed``."""
    from credsweep.enrich.advice import LEVELS
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
    files = sum(1 for s in ordered if s["kind"] != "secret")
    lines = [f"credsweep: {plural(len(ordered) - files, 'new secret')}"
             + (f" and {plural(files, 'new file problem')}" if files else "") + f" in fleet run {result.run_id}"
             + (f", {plural(len(result.failed), 'repository', 'repositories')} failed" if result.failed else "")]
    for secret in ordered[:MAX_LISTED]:
        first = secret["locations"][0]
        more = f" (+{len(secret['locations']) - 1} more)" if len(secret["locations"]) > 1 else ""
        lines.append(f"• [{secret['urgency']}] {secret['rule']} in {first['repository']}: {first['path']}"
                     f"{':' + str(first['line']) if first['line'] else ''}{more} (id {secret['key']})")
    if len(ordered) > MAX_LISTED:
        lines.append(f"… and {len(ordered) - MAX_LISTED} more")
    lines.extend(f"• FAILED {o.repository}: {o.reason}" for o in result.failed)
    return {"text": "\n".join(lines), "run": result.run_id, "new_secrets": ordered,
            "failed": [{"repository": o.repository, "reason": o.reason} for o in result.failed]}


def notify(url: str, result: RunResult, new: Sequence[NewFinding]) -> bool:
    """POST the run's summary when it has new secrets or failed repositories; True when sent."""
    import urllib.error
    import urllib.request

    if not new and not result.failed:
        return False
    if urlsplit(url).scheme not in ("http", "https"):
        raise NotifyError(f"--notify-url must be an http(s) URL, not {urlsplit(url).scheme or 'a bare path'}")
    body = json.dumps(payload(result, new)).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "credsweep"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # http(s) only: checked above
            response.read(4096)
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"notification to {where(url)} failed: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise NotifyError(f"notification to {where(url)} failed: {reason}") from None
    return True

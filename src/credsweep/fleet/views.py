"""What the store knows, as frozen views for reports: secrets across repositories, repositories,
runs; and the findings new in one run (``fleet scan`` output). Renderers for text, JSON and
Markdown live here; the HTML page is ``credsweep.reporters.html``."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credsweep.errors import InputError
from credsweep.models import Validation
from credsweep.reporters.fleet import places, plural, summary_line

if TYPE_CHECKING:
    from credsweep.models import Finding
    from credsweep.store.db import Store

from credsweep.models import LEVELS as _URGENCY


@dataclass(frozen=True)
class LocationView:
    """Where a secret is in one repository (from that repository's last scan)."""

    repository: str
    """The repository's store key (URL without credentials, or absolute path)."""
    path: str
    """Path in that version."""
    line: int | None
    """Line in that version (None for a file-level problem)."""
    commit: str | None
    """Commit that introduced this version (None: HEAD's tree, or reachable only through a tag)."""
    blob_id: str | None
    """The version's blob id."""
    status: str
    """Lifecycle status of the finding this location belongs to."""
    in_head: bool = False
    """This version is at this path in HEAD's tree: the secret is still there now."""


@dataclass(frozen=True)
class SecretView:
    """One distinct secret across the fleet: one rotation task."""

    key: str
    """Store key (``store.db.finding_key``): what ``fleet mark`` takes; 16 hex characters for both kinds."""
    secret_id: str | None
    """Salted id (None for file-level problems, whose ``key`` is per repository)."""
    kind: str
    """secret, or the kind of file-level problem (sensitive-file, gitignore, file-mode)."""
    rule: str
    """Rule id of its first finding."""
    provider: str
    """Provider (or check family)."""
    name: str
    """What it is."""
    redacted: str
    """Preview that does not reveal the value ("" for file-level problems)."""
    urgency: str
    """The most urgent of its open findings (of all, once resolved)."""
    status: str
    """new, open, reopened or resolved (across its repositories; a mark resolves it)."""
    mark: str | None
    """accepted or rotated, when a person marked it."""
    repositories: tuple[str, ...]
    """Repositories holding it."""
    locations: tuple[LocationView, ...]
    """Every location in every repository (last scan of each)."""
    advice: dict[str, Any]
    """What to do (``Advice.to_dict`` of its first finding)."""
    validation: Validation | None = None
    """The latest answer of its provider (``fleet scan --validate``), else None."""
    identifier: str | None = None
    """The paired non-secret identifier, masked (``AKIA...Y3A4``), or None."""
    identifier_label: str = "id"
    """How it is named beside the secret: ``user`` for a password's user name, else ``id``."""
    why: str = ""
    """Why it is as urgent as ``urgency`` (the sentence of its most urgent finding: exposure differs per
    repository, a fork's pushed copy can be more urgent than the original's)."""

    @property
    def is_secret(self) -> bool:
        """A secret to rotate (not a file-level problem)."""
        return self.kind == "secret"

    def to_dict(self) -> dict[str, Any]:
        return {"secret_id": self.secret_id, "key": self.key, "status": self.status, "mark": self.mark,
                "validation": self.validation.to_json() if self.validation else None,
                "kind": self.kind, "rule": self.rule, "provider": self.provider, "name": self.name,
                "redacted": self.redacted, "identifier": self.identifier, "urgency": self.urgency, "why": self.why,
                "repositories": list(self.repositories),
                "locations": [{"repository": loc.repository, "path": loc.path, "line": loc.line,
                               "commit": loc.commit, "blob_id": loc.blob_id, "in_head": loc.in_head,
                               "status": loc.status} for loc in self.locations],
                "advice": self.advice}


@dataclass(frozen=True)
class RepositoryView:
    """One repository: last outcome and its findings."""

    repository: str
    """Store key: URL without credentials, or absolute path."""
    name: str
    """Display name."""
    status: str
    """Outcome of the last attempt: pending, scanned, unchanged or failed."""
    reason: str | None
    """Why the last attempt failed."""
    scanned_at: str | None
    """ISO time of the last successful scan."""
    failures: int
    """Consecutive failed attempts."""
    findings: tuple[tuple[str, str, str, str, str, int], ...]
    """(secret key, status, urgency, rule, redacted, locations) per finding."""

    def open_by_urgency(self) -> dict[str, int]:
        """Open (not resolved) findings per urgency."""
        counts = dict.fromkeys(reversed(_URGENCY), 0)
        for _key, status, urgency, *_rest in self.findings:
            if status != "resolved":
                counts[urgency] = counts.get(urgency, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {"repository": self.repository, "name": self.name, "status": self.status, "reason": self.reason,
                "scanned_at": self.scanned_at, "failures": self.failures,
                "findings": [{"key": k, "status": s, "urgency": u, "rule": r, "redacted": red, "locations": n}
                             for k, s, u, r, red, n in self.findings]}


@dataclass(frozen=True)
class RunView:
    """One run and the finding counts after it."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    repositories: int
    failed: int
    new: int
    open: int
    resolved: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "started_at": self.started_at, "finished_at": self.finished_at,
                "status": self.status, "repositories": self.repositories, "failed": self.failed,
                "new": self.new, "open": self.open, "resolved": self.resolved}


@dataclass(frozen=True)
class FleetReport:
    """Everything ``fleet report`` shows."""

    store: str
    generated: str
    since_run: int | None
    runs: tuple[RunView, ...]
    secrets: tuple[SecretView, ...]
    repositories: tuple[RepositoryView, ...]

    def to_dict(self) -> dict[str, Any]:
        by_status: dict[str, int] = {}
        for secret in self.secrets:
            by_status[secret.status] = by_status.get(secret.status, 0) + 1
        return {"tool": {"name": "credsweep"}, "command": "fleet report", "store": self.store,
                "generated": self.generated, "since_run": self.since_run,
                "summary": {"repositories": len(self.repositories),
                            "failed": sum(1 for r in self.repositories if r.status == "failed"),
                            "secrets": len(self.secrets), "by_status": by_status},
                "runs": [r.to_dict() for r in self.runs], "secrets": [s.to_dict() for s in self.secrets],
                "repositories": [r.to_dict() for r in self.repositories]}


def since_run(store: Store, since: str | None) -> int | None:
    """The first run ``--since`` covers: a run id, or the first run started on/after an ISO date."""
    if not since:
        return None
    from sqlalchemy import select

    from credsweep.store.models import Run

    if since.isdigit():
        return int(since)
    try:
        when = _dt.datetime.fromisoformat(since)
    except ValueError:
        raise InputError(f"--since must be a run number or an ISO date, got '{since[:40]}'") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    with store.session() as session:
        for run_id, started in session.execute(select(Run.id, Run.started_at).order_by(Run.id)):
            if _dt.datetime.fromisoformat(started) >= when:
                return int(run_id)
    return 10**9  # after every run: nothing changed since


def secret_status(statuses: Sequence[str], mark: str | None) -> str:
    """One secret's status from its findings' statuses (see store.models for the lifecycle)."""
    active = [s for s in statuses if s != "resolved"]
    if mark or not active:
        return "resolved"
    if "reopened" in active:
        return "reopened"
    return "new" if all(s == "new" for s in active) else "open"


def build_report(store: Store, since: str | None = None) -> FleetReport:
    """The fleet report from the store (``since``: run number or ISO date, see ``since_run``)."""
    from sqlalchemy import select

    from credsweep.store.db import display_url, now_iso
    from credsweep.store.models import FindingRow, Location, Repository, Run, Secret

    first = since_run(store, since)
    with store.session() as session:
        runs = tuple(RunView(r.id, r.started_at, r.finished_at, r.status, r.repositories, r.failed, r.new_count,
                             r.open_count, r.resolved_count)
                     for r in session.execute(select(Run).order_by(Run.id)).scalars() if first is None or r.id >= first)
        repos = {r.id: r for r in session.execute(select(Repository).order_by(Repository.url)).scalars()}
        secrets = {s.key: s for s in session.execute(select(Secret)).scalars()}
        rows = list(session.execute(select(FindingRow)).scalars())
        locations: dict[int, list[Location]] = {}
        for loc in session.execute(select(Location).order_by(Location.path, Location.line)).scalars():
            locations.setdefault(loc.finding_id, []).append(loc)
    by_secret: dict[str, list[FindingRow]] = {}
    for row in rows:
        by_secret.setdefault(row.secret_key, []).append(row)
    views: list[SecretView] = []
    for key, found in by_secret.items():
        if first is not None and not any(r.status_run_id >= first or r.first_run_id >= first for r in found):
            continue
        secret = secrets[key]
        found.sort(key=lambda r: repos[r.repository_id].url)
        stored = [(r, loc, _stored(loc.data)) for r in found for loc in locations.get(r.id, ())]
        locs = tuple(LocationView(repos[r.repository_id].url, loc.path, loc.line, loc.commit, loc.blob_id, r.status,
                                  _in_head(data)) for r, loc, data in stored)
        active = [r for r in found if r.status != "resolved"] or found
        checked = _latest_validation(data for _, _, data in stored)
        urgency = max((r.urgency for r in active), key=_URGENCY.index)
        why = next((str(d.get("advice", {}).get("why", "")) for r, _, d in stored
                    if r in active and r.urgency == urgency and isinstance(d.get("advice"), dict)), "")
        views.append(SecretView(
            key=key, secret_id=key if secret.kind == "secret" else None, kind=secret.kind, rule=secret.rule,
            provider=secret.provider, name=secret.name, redacted=secret.redacted,
            urgency=urgency, mark=secret.mark, status=secret_status([r.status for r in found], secret.mark),
            repositories=tuple(dict.fromkeys(repos[r.repository_id].url for r in found)), locations=locs,
            advice=json.loads(secret.advice), validation=checked, why=why,
            identifier=next((str(d["identifier"]) for _, _, d in stored if d.get("identifier")), None),
            identifier_label=next((str(d.get("identifier_kind") or "id") for _, _, d in stored if d.get("identifier")),
                                  "id")))
    order = {"new": 0, "reopened": 1, "open": 2, "resolved": 3}
    views.sort(key=lambda s: (order[s.status], -_URGENCY.index(s.urgency), s.rule, s.key))
    repo_views = []
    for repo_id, repo in repos.items():
        mine = [r for r in rows if r.repository_id == repo_id]
        repo_views.append(RepositoryView(
            repository=repo.url, name=repo.name, status=repo.status, reason=repo.reason, scanned_at=repo.scanned_at,
            failures=repo.failures,
            findings=tuple((r.secret_key, r.status, r.urgency, secrets[r.secret_key].rule,
                            secrets[r.secret_key].redacted, len(locations.get(r.id, ()))) for r in
                           sorted(mine, key=lambda r: (order[r.status], r.secret_key)))))
    return FleetReport(display_url(store.url), now_iso(), first, runs, tuple(views), tuple(repo_views))


def _latest_validation(stored: Iterable[dict[str, Any]]) -> Validation | None:
    """The newest provider answer among stored findings (``Finding.to_dict``'s ``validation``)."""
    best: Validation | None = None
    for data in stored:
        answer = data.get("validation")
        checked = Validation.from_json(answer) if isinstance(answer, dict) else None
        if checked is not None and (best is None or checked.checked_at > best.checked_at):
            best = checked
    return best


def _stored(data: str) -> dict[str, Any]:
    """A location's stored finding (``Finding.to_dict``), or {} when it cannot be read."""
    try:
        found = json.loads(data)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _in_head(data: dict[str, Any]) -> bool:
    """Whether a stored finding's version is at its path in HEAD (HEAD hygiene's findings always are)."""
    provenance = data.get("provenance")
    if isinstance(provenance, dict):
        return bool(provenance.get("path_in_head"))
    return data.get("source") in ("head", "worktree")


@dataclass(frozen=True)
class NewFinding:
    """One location of what is news in a run."""

    repository: str
    """The repository's store key."""
    key: str
    """The store key of its task (``fleet mark`` takes it)."""
    finding: Finding
    """The finding as stored (no secret)."""


def new_in_run(store: Store, run_id: int) -> list[NewFinding]:
    """Every location of what is news in this run: secrets the store did not know before it, and
    reopened findings. (A known secret found in one more repository, such as a fork, joins its
    rotation task in the report instead of being announced again.)"""
    from sqlalchemy import or_, select

    from credsweep.store.models import FindingRow, Location, Repository, Secret

    with store.session() as session:
        rows = session.execute(
            select(Repository.url, FindingRow.secret_key, Location.data)
            .join(FindingRow, FindingRow.id == Location.finding_id)
            .join(Repository, Repository.id == FindingRow.repository_id)
            .join(Secret, Secret.key == FindingRow.secret_key)
            .where(FindingRow.status_run_id == run_id,
                   or_(FindingRow.status == "reopened", (FindingRow.status == "new") & (Secret.first_run_id == run_id)))
            .order_by(Repository.url, Location.path, Location.line)).all()
    return [NewFinding(str(url), str(key), finding_from_dict(json.loads(data))) for url, key, data in rows]


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """A stored finding (``Finding.to_dict`` without the secret) as a ``Finding`` again."""
    from dataclasses import fields

    from credsweep.models import Advice, Finding, Provenance

    advice = data.get("advice") or {}
    checked = data.get("validation")
    stored = data.get("provenance")
    provenance = None
    if isinstance(stored, dict):
        known = {f.name for f in fields(Provenance)}
        values: dict[str, Any] = {"commit": None, "in_head": False, "pushed": False}
        values.update((k, tuple(v) if isinstance(v, list) else v) for k, v in stored.items() if k in known)
        provenance = Provenance(**values)
    return Finding(
        kind=data["kind"], rule=data["rule"], provider=data["provider"], name=data["name"],
        severity=data["severity"], confidence=data["confidence"], path=data["path"], line=data.get("line"),
        column=data.get("column"), end_line=data.get("end_line"), end_column=data.get("end_column"),
        source=data.get("source") or "history", commit=data.get("commit"), blob_id=data.get("blob_id"),
        fingerprint=data["fingerprint"], secret_id=data.get("secret_id"), redacted=data.get("redacted") or "",
        identifier=data.get("identifier"), identifier_kind="user" if data.get("identifier_kind") == "user" else None,
        provenance=provenance, reasons=tuple(data.get("reasons") or ()),
        validation=Validation.from_json(checked) if isinstance(checked, dict) else None,
        advice=Advice(summary=advice.get("summary", ""), steps=tuple(advice.get("steps", ())),
                      urls=tuple(advice.get("urls", ())), commands=tuple(advice.get("commands", ())),
                      urgency=advice.get("urgency", "medium"), why=advice.get("why", ""),
                      expires_after=lifetime if isinstance(lifetime := advice.get("expires_after"), int) else None))


# --- renderers (what they share with the HTML page is in reporters/fleet.py) ---------------------
# Everything below prints what repositories control (paths, names, failure reasons, rule names of
# rulesets): escaped for the terminal (``sanitize.line``) or for Markdown, never as written.
def render_json(report: FleetReport) -> str:
    from credsweep.util.pathnames import dumps

    return dumps(report.to_dict(), indent=2) + "\n"


def _title(secret: SecretView) -> str:
    """What the task is: a secret's name, preview and identifier; a file problem's name."""
    ident = f" ({secret.identifier_label} {secret.identifier})" if secret.identifier else ""
    return f"{secret.name}" + (f"  {secret.redacted}" if secret.redacted else "") + ident


def render_text(report: FleetReport) -> str:
    from credsweep.util.sanitize import line
    from credsweep.util.sanitize import report as safe_report

    lines = [f"credsweep fleet report: {line(summary_line(report))}"]
    if report.secrets:
        lines.append("\nTasks (one per secret; one per file problem and repository), most urgent first:")
    for secret in report.secrets:
        verb = "rotate" if secret.is_secret else "fix"
        lines.append(f"  [{secret.status}] {secret.urgency.upper():8} {verb}: {line(_title(secret))}  id {line(secret.key)}"
                     + (f"  marked {line(secret.mark)}" if secret.mark else "")
                     + (f"  [{line(secret.validation.label())}]" if secret.validation else ""))
        shown = places(secret)
        for place in shown[:10]:
            # stored paths are already as displayed (git-quoted when not UTF-8): escaped, never quoted twice
            lines.append(f"      {line(place.repository)}: {line(place.where())}"
                         + (f" {line(place.versions())}" if place.versions() else ""))
        if len(shown) > 10:
            lines.append(f"      ... and {len(shown) - 10} more locations (see --format json)")
        if secret.advice.get("summary"):
            lines.append(f"      -> {line(str(secret.advice['summary']))}")
    lines.append("\nRepositories:")
    for repo in report.repositories:
        active = sum(1 for f in repo.findings if f[1] != "resolved")
        state = f"FAILED: {line(repo.reason or '')}" if repo.status == "failed" else \
            f"{repo.status}, {plural(active, 'open finding')}"
        lines.append(f"  {line(repo.repository)}: {state}")
    if any(r.status == "failed" for r in report.repositories):
        lines.append("  (`credsweep fleet forget REPO` removes a repository from the store)")
    return safe_report("\n".join(lines) + "\n")


def _md(text: str) -> str:
    """Text in a Markdown paragraph or table cell (``|`` escaped too)."""
    from credsweep.util.sanitize import markdown_text

    return markdown_text(text)


def _code(text: str) -> str:
    from credsweep.util.sanitize import markdown_code

    return markdown_code(text).replace("|", "\\|")


def render_markdown(report: FleetReport) -> str:
    lines = ["# credsweep fleet report", "", f"Store: {_code(report.store)} · generated {_md(report.generated)}", "",
             _md(summary_line(report)), ""]
    lines += ["## Tasks", ""]
    for secret in report.secrets:
        box = "x" if secret.status == "resolved" else " "
        preview = f" {_md(secret.redacted)}" if secret.redacted else ""
        ident = f" ({secret.identifier_label} {_code(secret.identifier)})" if secret.identifier else ""
        lines.append(f"- [{box}] **{_md(secret.name)}** {_code(secret.rule)}{preview}{ident} "
                     f"({secret.status}, {secret.urgency}) id {_code(secret.key)}"
                     + (f" **{_md(secret.validation.label())}**" if secret.validation else ""))
        for where in secret.repositories:
            mine = [p for p in places(secret) if p.repository == where]
            lines.append(f"  - {_code(where)}: " + ", ".join(
                _code(p.where()) + (f" {_md(p.versions())}" if p.versions() else "") for p in mine[:10]))
        if secret.advice.get("summary"):
            lines.append(f"  - {_md(str(secret.advice['summary']))}")
    lines += ["", "## Repositories", "", "| repository | status | open findings | reason |",
              "| --- | --- | --- | --- |"]
    for repo in report.repositories:
        active = sum(1 for f in repo.findings if f[1] != "resolved")
        lines.append(f"| {_code(repo.repository)} | {repo.status} | {active} | {_md(repo.reason or '')} |")
    return "\n".join(lines) + "\n"

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

if TYPE_CHECKING:
    from credsweep.models import Finding
    from credsweep.store.db import Store

from credsweep.models import LEVELS as _URGENCY


@dataclass(frozen=True)
class LocationView:
    """Where a secret is in one repository (from that repository's last scan)."""

    repository: str
    path: str
    line: int | None
    commit: str | None
    blob_id: str | None
    status: str
    """Lifecycle status of the finding this location belongs to."""


@dataclass(frozen=True)
class SecretView:
    """One distinct secret across the fleet: one rotation task."""

    key: str
    secret_id: str | None
    """Salted id (None for file-level problems, known by their fingerprint ``key``)."""
    kind: str
    rule: str
    provider: str
    name: str
    redacted: str
    urgency: str
    status: str
    """new, open, reopened or resolved (across its repositories; a mark resolves it)."""
    mark: str | None
    repositories: tuple[str, ...]
    locations: tuple[LocationView, ...]
    advice: dict[str, Any]
    validation: Validation | None = None
    """The latest answer of its provider (``fleet scan --validate``), else None."""

    def to_dict(self) -> dict[str, Any]:
        return {"secret_id": self.secret_id, "key": self.key, "status": self.status, "mark": self.mark,
                "validation": self.validation.to_json() if self.validation else None,
                "kind": self.kind, "rule": self.rule, "provider": self.provider, "name": self.name,
                "redacted": self.redacted, "urgency": self.urgency, "repositories": list(self.repositories),
                "locations": [{"repository": loc.repository, "path": loc.path, "line": loc.line,
                               "commit": loc.commit, "blob_id": loc.blob_id, "status": loc.status}
                              for loc in self.locations],
                "advice": self.advice}


@dataclass(frozen=True)
class RepositoryView:
    """One repository: last outcome and its findings."""

    repository: str
    name: str
    status: str
    reason: str | None
    scanned_at: str | None
    failures: int
    findings: tuple[tuple[str, str, str, str, str, int], ...]
    """(secret key, status, urgency, rule, redacted, locations) per finding."""

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
        locs = tuple(LocationView(repos[r.repository_id].url, loc.path, loc.line, loc.commit, loc.blob_id, r.status)
                     for r in found for loc in locations.get(r.id, ()))
        active = [r for r in found if r.status != "resolved"] or found
        checked = _latest_validation(loc.data for r in found for loc in locations.get(r.id, ()))
        views.append(SecretView(
            key=key, secret_id=key if secret.kind == "secret" else None, kind=secret.kind, rule=secret.rule,
            provider=secret.provider, name=secret.name, redacted=secret.redacted,
            urgency=max((r.urgency for r in active), key=_URGENCY.index), mark=secret.mark,
            status=secret_status([r.status for r in found], secret.mark),
            repositories=tuple(dict.fromkeys(repos[r.repository_id].url for r in found)), locations=locs,
            advice=json.loads(secret.advice), validation=checked))
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


def _latest_validation(stored: Iterable[str]) -> Validation | None:
    """The newest provider answer among stored findings' JSON (``Finding.to_dict``'s ``validation``)."""
    best: Validation | None = None
    for text in stored:
        data = json.loads(text).get("validation")
        checked = Validation.from_json(data) if isinstance(data, dict) else None
        if checked is not None and (best is None or checked.checked_at > best.checked_at):
            best = checked
    return best


def new_in_run(store: Store, run_id: int) -> list[tuple[str, Finding]]:
    """(repository, finding) for every location of what is news in this run: secrets the store did not
    know before it, and reopened findings. (A known secret found in one more repository, such as a
    fork, joins its rotation task in the report instead of being announced again.)"""
    from sqlalchemy import or_, select

    from credsweep.store.models import FindingRow, Location, Repository, Secret

    with store.session() as session:
        rows = session.execute(
            select(Repository.url, Location.data).join(FindingRow, FindingRow.id == Location.finding_id)
            .join(Repository, Repository.id == FindingRow.repository_id)
            .join(Secret, Secret.key == FindingRow.secret_key)
            .where(FindingRow.status_run_id == run_id,
                   or_(FindingRow.status == "reopened", (FindingRow.status == "new") & (Secret.first_run_id == run_id)))
            .order_by(Repository.url, Location.path, Location.line)).all()
    return [(str(url), finding_from_dict(json.loads(data))) for url, data in rows]


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
        identifier=data.get("identifier"), provenance=provenance, reasons=tuple(data.get("reasons") or ()),
        validation=Validation.from_json(checked) if isinstance(checked, dict) else None,
        advice=Advice(summary=advice.get("summary", ""), steps=tuple(advice.get("steps", ())),
                      urls=tuple(advice.get("urls", ())), commands=tuple(advice.get("commands", ())),
                      urgency=advice.get("urgency", "medium"), why=advice.get("why", "")))


# --- renderers -----------------------------------------------------------------------------------
# Everything below prints what repositories control (paths, names, failure reasons, rule names of
# rulesets): escaped for the terminal (``sanitize.line``) or for Markdown, never as written.
def render_json(report: FleetReport) -> str:
    from credsweep.util.pathnames import dumps

    return dumps(report.to_dict(), indent=2) + "\n"


def render_text(report: FleetReport) -> str:
    from credsweep.util.sanitize import line
    from credsweep.util.sanitize import report as safe_report

    data = report.to_dict()["summary"]
    lines = [f"credsweep fleet report: {data['repositories']} repositories ({data['failed']} failed), "
             f"{data['secrets']} secrets " + (", ".join(f"{n} {s}" for s, n in sorted(data["by_status"].items()))
                                              if data["by_status"] else "")]
    if report.secrets:
        lines.append("\nRotation tasks (one per secret):")
    for secret in report.secrets:
        lines.append(f"  [{secret.status}] {secret.urgency.upper():8} {line(secret.name)} ({line(secret.rule)}) "
                     f"{line(secret.redacted)}  id {line(secret.key)}"
                     + (f"  marked {line(secret.mark)}" if secret.mark else "")
                     + (f"  [{line(secret.validation.label())}]" if secret.validation else ""))
        for loc in secret.locations[:10]:
            # stored as displayed already (git-quoted when not UTF-8): only made safe for the terminal here
            lines.append(f"      {line(loc.repository)}: {line(loc.path)}" + (f":{loc.line}" if loc.line else ""))
        if len(secret.locations) > 10:
            lines.append(f"      ... and {len(secret.locations) - 10} more locations (see --format json)")
        if secret.advice.get("summary"):
            lines.append(f"      -> {line(str(secret.advice['summary']))}")
    lines.append("\nRepositories:")
    for repo in report.repositories:
        active = sum(1 for f in repo.findings if f[1] != "resolved")
        state = f"FAILED: {line(repo.reason or '')}" if repo.status == "failed" else \
            f"{repo.status}, {active} open finding(s)"
        lines.append(f"  {line(repo.repository)}: {state}")
    return safe_report("\n".join(lines) + "\n")


def _md(text: str) -> str:
    """Text in a Markdown paragraph or table cell (``|`` escaped too)."""
    from credsweep.util.sanitize import markdown_text

    return markdown_text(text)


def _code(text: str) -> str:
    from credsweep.util.sanitize import markdown_code

    return markdown_code(text).replace("|", "\\|")


def render_markdown(report: FleetReport) -> str:
    lines = ["# credsweep fleet report", "", f"Store: {_code(report.store)} · generated {_md(report.generated)}", ""]
    lines += ["## Rotation tasks", ""]
    for secret in report.secrets:
        box = "x" if secret.status == "resolved" else " "
        lines.append(f"- [{box}] **{_md(secret.name)}** {_code(secret.rule)} {_md(secret.redacted)} "
                     f"({secret.status}, {secret.urgency}) id {_code(secret.key)}"
                     + (f" **{_md(secret.validation.label())}**" if secret.validation else ""))
        for where in secret.repositories:
            paths = sorted({loc.path for loc in secret.locations if loc.repository == where})
            lines.append(f"  - {_code(where)}: " + ", ".join(_code(p) for p in paths[:10]))
        if secret.advice.get("summary"):
            lines.append(f"  - {_md(str(secret.advice['summary']))}")
    lines += ["", "## Repositories", "", "| repository | status | open findings | reason |",
              "| --- | --- | --- | --- |"]
    for repo in report.repositories:
        active = sum(1 for f in repo.findings if f[1] != "resolved")
        lines.append(f"| {_code(repo.repository)} | {repo.status} | {active} | {_md(repo.reason or '')} |")
    return "\n".join(lines) + "\n"

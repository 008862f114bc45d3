"""Advice: turn findings into what to do now, how urgently, and how to clean history afterwards.

Three steps: ``advice_for_secret`` gives the provider playbook for one match (scanner); then
``contextualize`` re-rates urgency from exposure (pushed? still in HEAD? for how long? how many
copies? a public-looking remote?) and adds the history purge plan; ``group_findings`` makes one
rotation task per distinct secret. Commands never contain a secret, only placeholders.
"""

from __future__ import annotations

import datetime as _dt
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from credsweep.models import Advice, Finding
from credsweep.rules.loader import Provider, Rule

LEVELS = ("low", "medium", "high", "critical")
PUBLIC_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "gitee.com")
STALE_DAYS = 30


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def advice_for_secret(rule: Rule, provider: Provider, identifier: str | None = None,
                      placeholder: str | None = None) -> Advice:
    """Rotation advice for a secret found by ``rule``: revoke, audit, verify, with URLs and commands.

    A paired identifier (an AWS access key id) is named by its last four characters only, so the
    output still never holds a full credential value (``--show-secrets`` prints the full identifier).
    """
    playbook = provider.playbook
    commands = playbook.commands
    steps = list(playbook.revoke)
    if identifier and placeholder:
        steps.insert(0, f"The leaked credential's {placeholder} ends in ...{identifier[-4:]}; use it below.")
    steps += [f"Audit: {step}" for step in playbook.audit]
    steps += [f"Verify: {step}" for step in playbook.verify]
    steps.append("Remove it from the code: read it from the environment or a secret manager instead.")
    return Advice(
        summary=playbook.summary,
        steps=tuple(steps),
        urls=_unique([provider.console_url, provider.docs_url, rule.reference, *playbook.urls]),
        commands=commands,
        urgency=rule.severity,
        why=f"{rule.name} ({rule.severity} severity) is in the repository.",
    )


@dataclass(frozen=True)
class Exposure:
    """What the repository tells us about how far a secret may have travelled."""

    remotes: tuple[str, ...] = ()
    """Remote URLs (credentials stripped)."""

    @property
    def public_remote(self) -> bool:
        """A remote on a public hosting service (it may still be a private repository there)."""
        return any(host in url for url in self.remotes for host in PUBLIC_HOSTS)


def _bump(level: str, by: int) -> str:
    return LEVELS[max(0, min(len(LEVELS) - 1, LEVELS.index(level) + by))]


def _days_since(iso: str | None, now: _dt.datetime) -> int | None:
    if not iso:
        return None
    try:
        then = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=_dt.timezone.utc)
    return max(0, (now - then).days)


def rate(findings: Sequence[Finding], exposure: Exposure, now: _dt.datetime | None = None) -> tuple[str, str]:
    """(urgency, one sentence why) for all copies of one secret."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    base = max((f.severity for f in findings), key=LEVELS.index)
    if findings[0].kind != "secret":
        return base, f"{findings[0].name}."
    prov = [f.provenance for f in findings if f.provenance]
    pushed = any(p.pushed for p in prov)
    in_head = any(p.in_head for p in prov) or any(f.source == "worktree" for f in findings)
    first = min((p.first_seen or p.date for p in prov if p.first_seen or p.date), default=None)
    age = _days_since(first, now)
    copies = len({(f.path, f.commit) for f in findings})
    reasons = []
    level = base
    if pushed:
        level = _bump(level, 1)
        reasons.append("it was pushed to a remote" + (" on a public hosting service" if exposure.public_remote else ""))
        if exposure.public_remote:
            level = "critical"
    elif prov:
        level = _bump(level, -1)
        reasons.append("it is only in local commits so far (amend or drop them before pushing)")
    if not prov:
        reasons.append("it is in the working tree")
    else:
        reasons.append("it is still in HEAD" if in_head else "it is no longer in HEAD but remains in history")
    if age is not None and age >= STALE_DAYS:
        level = _bump(level, 1) if pushed else level
        reasons.append(f"it has been exposed for {age} days")
    if copies > 1:
        reasons.append(f"{copies} copies")
    return level, f"{findings[0].name} ({base} severity): " + ", ".join(reasons) + "."


MAX_PATHS_LISTED = 10
"""Paths named in a purge plan's comment: each finding carries its plan, so the list must stay short
(a secret copied into a thousand files would otherwise put a thousand paths into every finding).
The replacement itself is by value, so it removes every copy whatever the list shows."""


def purge_plan(findings: Sequence[Finding]) -> tuple[str, ...]:
    """git filter-repo commands that remove the secret (or credential file) from history. Printed, never run."""
    in_history = [f for f in findings if f.commit or (f.provenance and f.provenance.commit)]
    if not in_history:
        return ()
    first = findings[0]
    if first.kind == "secret":
        files = sorted({f.path for f in in_history})
        body = [
            "# 1. Rotate first: purging history does not un-leak a secret that was pushed.",
            "# Committed in: " + ", ".join(files[:MAX_PATHS_LISTED])
            + (f" (and {len(files) - MAX_PATHS_LISTED} more paths)" if len(files) > MAX_PATHS_LISTED else ""),
            "# 2. Put the old value in a file outside the repository (one line: <OLD_SECRET>==>REMOVED):",
            "printf '%s==>REMOVED\\n' \"$OLD_SECRET\" > ../credsweep-replacements.txt",
            "git filter-repo --sensitive-data-removal --replace-text ../credsweep-replacements.txt",
        ]
    else:
        paths = sorted({f.path for f in findings})
        body = [
            "# 1. Rotate every credential the file held first.",
            "git filter-repo --sensitive-data-removal --invert-paths " + " ".join(f"--path {shlex.quote(p)}" for p in paths),
        ]
    return (
        *body,
        "# 3. Force-push every branch and tag, and ask collaborators to re-clone: "
        "forks, clones, CI caches and the hosting service's cached views keep the old objects.",
        "git push --force --mirror origin",
        "rm -f ../credsweep-replacements.txt" if first.kind == "secret" else "# done",
    )


def contextualize(findings: Sequence[Finding], exposure: Exposure) -> list[Finding]:
    """Findings with urgency, why and (for history) a purge plan, rated per distinct secret."""
    out: list[Finding] = []
    for group in group_findings(findings):
        urgency, why = rate(group.findings, exposure)
        plan = purge_plan(group.findings)
        for finding in group.findings:
            advice = finding.advice
            steps = advice.steps
            pushed = bool(finding.provenance and finding.provenance.pushed)
            if finding.provenance and not pushed and finding.kind == "secret":
                steps = ("Not pushed yet: rewrite the local commits (git commit --amend / git rebase -i) "
                         "so the secret never reaches a remote, then rotate it anyway if in doubt.", *steps)
            if plan:
                steps = (*steps, "Purge it from history with the commands below once it is rotated.")
            out.append(replace(finding, advice=replace(
                advice, urgency=urgency, why=why, steps=steps, commands=_unique([*advice.commands, *plan]))))
    return out


@dataclass(frozen=True)
class Group:
    """One rotation task: every copy of one secret (or one file-level problem)."""

    key: str
    """secret_id, or the fingerprint for findings without a secret."""
    findings: tuple[Finding, ...]
    """All copies, in report order."""

    @property
    def urgency(self) -> str:
        return max((f.advice.urgency for f in self.findings), key=LEVELS.index)

    def to_dict(self) -> dict[str, object]:
        first = self.findings[0]
        return {
            "secret_id": first.secret_id,
            "key": self.key,
            "kind": first.kind,
            "rule": first.rule,
            "provider": first.provider,
            "name": first.name,
            "urgency": self.urgency,
            "why": first.advice.why,
            "redacted": first.redacted,
            "locations": [
                {"path": f.path, "line": f.line, "commit": f.commit, "source": f.source} for f in self.findings
            ],
            "advice": first.advice.to_dict(),
        }


def group_findings(findings: Iterable[Finding]) -> list[Group]:
    """Group copies of the same secret (by ``secret_id``), most urgent first."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.secret_id or finding.fingerprint, []).append(finding)
    built = [Group(key, tuple(items)) for key, items in groups.items()]
    return sorted(built, key=lambda g: (-LEVELS.index(g.urgency), g.findings[0].path))

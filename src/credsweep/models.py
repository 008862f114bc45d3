"""Frozen data that crosses pipeline stages: content items, matches, findings, advice.

Plain-text secrets live only in ``Match.secret`` and ``Finding.secret`` (in memory, excluded from
``repr``); every output writes ``Finding.redacted`` unless the user passed ``--show-secrets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Item:
    """One piece of content to scan: a working-tree file, a staged blob or a history blob."""

    path: str
    """Repository-relative path with forward slashes."""
    data: bytes
    """The content."""
    source: str = "worktree"
    """worktree, staged or history."""
    blob_id: str | None = None
    """git blob id of the content, when known."""
    commit: str | None = None
    """Commit the content was read from (history), else None."""
    mode: int | None = None
    """File mode (working tree st_mode, or git mode for blobs)."""


@dataclass(frozen=True)
class Match:
    """A rule or detector hit in one item, before filtering."""

    rule: str
    """Rule id."""
    start: int
    """Byte offset of the secret in the item."""
    end: int
    """Byte offset just past the secret."""
    secret: str = field(repr=False)
    """The secret itself: memory only."""
    confidence: str = "high"
    """Confidence after detector-specific adjustment."""
    identifier: str | None = None
    """A non-secret identifier paired with this secret in the same content (e.g. AWS access key id)."""


@dataclass(frozen=True)
class Advice:
    """What to do about a finding."""

    summary: str
    """One sentence: what to do now."""
    steps: tuple[str, ...] = ()
    """Ordered steps."""
    urls: tuple[str, ...] = ()
    """Console and documentation URLs."""
    commands: tuple[str, ...] = ()
    """Commands that carry out the fix (never containing the secret)."""
    urgency: str = "medium"
    """critical, high, medium or low: how soon to act, from severity and exposure."""
    why: str = ""
    """One sentence explaining the urgency."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "steps": list(self.steps),
            "urls": list(self.urls),
            "commands": list(self.commands),
            "urgency": self.urgency,
            "why": self.why,
        }


@dataclass(frozen=True)
class Finding:
    """A reported problem with its location, identity and advice."""

    kind: str
    """secret, sensitive-file, gitignore or file-mode."""
    rule: str
    """Rule or check id."""
    provider: str
    """Provider id (or check family for hygiene findings)."""
    name: str
    """Human description of what was found."""
    severity: str
    """critical, high, medium or low."""
    confidence: str
    """high, medium or low."""
    path: str
    """Repository-relative path."""
    line: int | None
    """1-based line of the start of the secret (None for file-level findings)."""
    column: int | None
    """1-based column (characters) of the start of the secret."""
    fingerprint: str
    """Stable identity: salted hash of rule and secret (or check and path); no line numbers."""
    redacted: str
    """Preview that does not reveal the secret."""
    advice: Advice
    """What to do."""
    source: str = "worktree"
    """worktree, staged or history."""
    end_line: int | None = None
    """1-based line of the end of the secret."""
    end_column: int | None = None
    """1-based column just past the end of the secret."""
    commit: str | None = None
    """Commit that introduced the secret (history), else None."""
    blob_id: str | None = None
    """git blob id of the content."""
    secret_id: str | None = None
    """Salted hash of the secret alone: the same for every copy, across rules and files."""
    provenance: dict[str, Any] | None = None
    """History context (author, date, refs, in_head, pushed, ...); None outside history."""
    secret: str | None = field(default=None, repr=False, compare=False)
    """The secret itself: memory only, written out only with --show-secrets."""
    mode: int | None = None
    """File mode (for file-mode findings)."""
    identifier: str | None = None
    """Non-secret identifier of the credential (e.g. AWS access key id), shown and used in commands."""

    def to_dict(self, show_secrets: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "rule": self.rule,
            "provider": self.provider,
            "name": self.name,
            "severity": self.severity,
            "confidence": self.confidence,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "source": self.source,
            "commit": self.commit,
            "blob_id": self.blob_id,
            "fingerprint": self.fingerprint,
            "secret_id": self.secret_id,
            "redacted": self.redacted,
            "identifier": (self.identifier if show_secrets else f"{self.identifier[:4]}...{self.identifier[-4:]}")
            if self.identifier else None,
            "advice": self.advice.to_dict(),
        }
        if self.provenance is not None:
            out["provenance"] = self.provenance
            out.update({k: v for k, v in self.provenance.items() if k not in out})
        if show_secrets and self.secret is not None:
            out["secret"] = self.secret
        return out


@dataclass
class ScanStats:
    """What a scan read (mutable while the scan runs, then reported)."""

    files: int = 0
    """Items scanned."""
    bytes: int = 0
    """Bytes scanned."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason → count of items not scanned (binary, too large, symlink, unreadable)."""
    engine: str = ""
    """Matching engine used."""
    seconds: float = 0.0
    """Wall time."""
    baselined: int = 0
    """Findings suppressed by the baseline."""
    stale_baseline: int = 0
    """Baseline entries that matched nothing in this scan (``baseline update`` removes them)."""
    baseline_unaudited: int = 0
    """Reported findings that are in the baseline but unaudited (reports hide only audited ones)."""
    """Baseline entries that matched nothing in this scan (``baseline update`` removes them)."""

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass(frozen=True)
class Report:
    """The result of one scan command, consumed by reporters."""

    command: str
    """scan, history, staged or pre-push."""
    root: str
    """The scanned path."""
    findings: tuple[Finding, ...]
    """Everything reported, ordered by path, line."""
    stats: ScanStats
    """What was read."""
    tool_version: str = ""

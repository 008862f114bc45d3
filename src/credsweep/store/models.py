"""The store's schema, commented: what each table and column means.

Nothing here ever holds a secret value. Secrets are known by ``secret_id`` (HMAC-SHA256 of the value
under a key derived from the user's own salt and the store's salt kept in ``meta``: every worker given
the same ``$CREDSWEEP_SALT`` computes the same ids, and a copy of the store alone cannot test a guess;
``fleet.run.store_identity_salt``), and shown by a redacted preview (no character of a password).

Lifecycle of a finding (one secret in one repository): ``new`` (first seen in the run that set it),
``open`` (still reachable, seen before), ``resolved`` (no longer reachable in the repository's refs,
or its secret marked rotated/accepted), ``reopened`` (reachable again after being resolved).
``new`` and ``reopened`` age into ``open`` when the next run starts.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = "0001"
"""Alembic head revision this code writes (checked when a store is opened)."""

FINDING_STATUSES = ("new", "open", "resolved", "reopened")
"""Lifecycle states of a finding (see module docstring)."""
MARKS = ("accepted", "rotated")
"""What a person can declare about a secret; either resolves its findings everywhere."""


class Base(DeclarativeBase):
    """Declarative base of the store."""


class Meta(Base):
    """Store-wide settings: the per-store salt and the schema version."""

    __tablename__ = "meta"
    __table_args__ = ({"comment": "store-wide settings (salt: the per-store secret_id salt; never a secret value)"},)
    key: Mapped[str] = mapped_column(String(64), primary_key=True, comment="setting name")
    value: Mapped[str] = mapped_column(Text, comment="setting value")


class Repository(Base):
    """One repository of the fleet, by URL (credentials removed) or absolute local path."""

    __tablename__ = "repositories"
    __table_args__ = ({"comment": "repositories of the fleet and the state of their last scan"},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True, comment="git URL without credentials, or absolute path")
    name: Mapped[str] = mapped_column(String(512), comment="short display name (host/owner/repo or folder name)")
    tips: Mapped[str | None] = mapped_column(Text, comment="JSON {ref: object id} of the last successful scan")
    tips_digest: Mapped[str | None] = mapped_column(String(64), comment="sha256 of tips: unchanged means no scan")
    ruleset_digest: Mapped[str | None] = mapped_column(String(64), comment="code+rules+config digest, last scan")
    status: Mapped[str] = mapped_column(String(16), default="pending", comment="pending, scanned, unchanged, failed")
    reason: Mapped[str | None] = mapped_column(Text, comment="why the last attempt failed (one line, no secret)")
    failures: Mapped[int] = mapped_column(Integer, default=0, comment="consecutive failed attempts")
    last_run_id: Mapped[int | None] = mapped_column(Integer, comment="run of the last attempt")
    scanned_at: Mapped[str | None] = mapped_column(String(32), comment="ISO time of the last successful scan")


class Run(Base):
    """One ``fleet scan`` invocation, with the counts a report charts."""

    __tablename__ = "runs"
    __table_args__ = ({"comment": "fleet scan runs; counts are a snapshot taken when the run finished"},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32), comment="ISO time")
    finished_at: Mapped[str | None] = mapped_column(String(32), comment="ISO time; None while running")
    status: Mapped[str] = mapped_column(String(16), default="running", comment="running, finished, interrupted")
    executor: Mapped[str] = mapped_column(String(16), default="local", comment="local or celery")
    ruleset_digest: Mapped[str] = mapped_column(String(64), comment="code+rules+config digest")
    repositories: Mapped[int] = mapped_column(Integer, default=0, comment="repositories requested")
    failed: Mapped[int] = mapped_column(Integer, default=0, comment="repositories that failed")
    new_count: Mapped[int] = mapped_column(Integer, default=0, comment="findings new or reopened in this run")
    open_count: Mapped[int] = mapped_column(Integer, default=0, comment="findings open after this run")
    resolved_count: Mapped[int] = mapped_column(Integer, default=0, comment="findings resolved after this run")


class RepositoryRun(Base):
    """The outcome of one repository in one run; its primary key makes a task idempotent."""

    __tablename__ = "repository_runs"
    __table_args__ = ({"comment": "one row per (run, repository), written in the repository's transaction"},)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("repositories.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), comment="scanned, unchanged or failed")
    reason: Mapped[str | None] = mapped_column(Text, comment="failure reason")
    new_findings: Mapped[int] = mapped_column(Integer, default=0, comment="findings new or reopened")
    blobs_read: Mapped[int] = mapped_column(Integer, default=0, comment="blobs whose content was matched")
    millis: Mapped[int] = mapped_column(Integer, default=0, comment="wall time spent, milliseconds")
    finished_at: Mapped[str] = mapped_column(String(32), comment="ISO time")


class BlobResult(Base):
    """Content-matching results of one blob under one ruleset digest; ``[]`` when nothing matched."""

    __tablename__ = "blob_results"
    __table_args__ = ({"comment": "content matches by (blob id, ruleset digest): shared by re-runs and forks"},)
    blob_id: Mapped[str] = mapped_column(String(64), primary_key=True, comment="git object id")
    digest: Mapped[str] = mapped_column(String(64), primary_key=True, comment="content-stage digest (Pipeline.digest)")
    matches: Mapped[str] = mapped_column(Text, comment="JSON list of ContentMatch without the secret")


class Secret(Base):
    """One distinct secret (or file-level problem) across the fleet: one rotation task."""

    __tablename__ = "secrets"
    __table_args__ = ({"comment": "distinct secrets: salted id, redacted preview, advice and marks"},)
    key: Mapped[str] = mapped_column(String(64), primary_key=True,
                                     comment="secret_id (salted hash of the value) or a file finding's fingerprint")
    kind: Mapped[str] = mapped_column(String(32), comment="secret, sensitive-file, file-mode, ...")
    rule: Mapped[str] = mapped_column(String(128), comment="rule id of its first finding")
    provider: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text, comment="what it is")
    severity: Mapped[str] = mapped_column(String(16))
    redacted: Mapped[str] = mapped_column(Text, comment="preview that does not reveal the value")
    advice: Mapped[str] = mapped_column(Text, comment="JSON advice (rotation steps, URLs, commands)")
    first_run_id: Mapped[int] = mapped_column(Integer, comment="run that first found it")
    mark: Mapped[str | None] = mapped_column(String(16), comment="accepted or rotated (None: not marked)")
    mark_reason: Mapped[str | None] = mapped_column(Text)
    marked_at: Mapped[str | None] = mapped_column(String(32))


class FindingRow(Base):
    """One secret in one repository, with its lifecycle."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("repository_id", "secret_key"),
                      Index("ix_findings_status", "status"),
                      {"comment": "one secret in one repository, with its lifecycle"})
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("repositories.id"))
    secret_key: Mapped[str] = mapped_column(ForeignKey("secrets.key"))
    status: Mapped[str] = mapped_column(String(16), comment="new, open, resolved, reopened")
    status_run_id: Mapped[int] = mapped_column(Integer, comment="run that set the status")
    first_run_id: Mapped[int] = mapped_column(Integer, comment="run that first found it here")
    last_seen_run_id: Mapped[int] = mapped_column(Integer, comment="last run that saw it reachable")
    urgency: Mapped[str] = mapped_column(String(16), comment="critical, high, medium, low (from exposure)")
    resolution: Mapped[str | None] = mapped_column(String(32), comment="unreachable, rotated or accepted")


class Location(Base):
    """Where a finding was seen in the last scan of its repository (path, line, blob, commit)."""

    __tablename__ = "locations"
    __table_args__ = (Index("ix_locations_finding", "finding_id"),
                      {"comment": "current locations of each finding; replaced on every scan of the repository"})
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text, comment="repository-relative path as displayed: plain, or git-quoted with "
                                                    "C escapes when the name is not UTF-8 (lossless)")
    line: Mapped[int | None] = mapped_column(Integer)
    commit: Mapped[str | None] = mapped_column(String(64), comment="introducing commit")
    blob_id: Mapped[str | None] = mapped_column(String(64))
    first_run_id: Mapped[int] = mapped_column(Integer, comment="run that first saw this location")
    data: Mapped[str] = mapped_column(Text, comment="JSON of the finding as `history --format json` prints it "
                                                    "(redacted, never the secret)")

"""Opening a store (URL, engine, migrations, salt) and the transactions the fleet runs in it.

``open_store(url)`` creates the database when needed, brings its schema to the Alembic head under a
lock (several workers may open a new PostgreSQL store at once), and makes sure the per-store salt
exists. Each repository's results are written by ``Store.write_scan`` in one transaction whose first
statement claims the (run, repository) row: a task delivered twice writes once.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from credsweep.errors import InputError
from credsweep.util.pathnames import display
from credsweep.util.xdg import data_dir

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

    from credsweep.models import ContentMatch, Finding

SQLITE_NAME = "fleet.sqlite3"
_PG_LOCK_KEY = 0x63726564  # "cred": advisory lock serialising migrations of one PostgreSQL store
LOOKUP_BATCH = 10_000


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def default_url() -> str:
    """The embedded store: ``$XDG_DATA_HOME/credsweep/fleet.sqlite3``."""
    return f"sqlite:///{data_dir() / SQLITE_NAME}"


def engine_url(url: str) -> str:
    """A user's store URL as SQLAlchemy wants it (``postgresql://`` → psycopg 3); others refused."""
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg" + url[len(scheme):]
    if scheme in ("sqlite", "postgresql+psycopg"):
        return url
    raise InputError(f"--store must be sqlite:///PATH or postgresql://..., got '{display_url(url)}'")


def display_url(url: str) -> str:
    """The URL with any password removed (for messages and reports)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}***@{host}{port}" if user else f"***@{host}{port}", parts.path,
                       parts.query, parts.fragment))


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    rest = url[len("sqlite:///"):].split("?", 1)[0]
    return Path(rest) if rest and rest != ":memory:" else None


def _make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    real = engine_url(url)
    path = _sqlite_path(real)
    if path is None:
        return create_engine(real, pool_pre_ping=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot create the store folder: {exc.strerror}") from None
    engine = create_engine(real, connect_args={"timeout": 120})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 would start transactions lazily (a reader later upgrading to a writer
        # deadlocks with another writer): we begin them ourselves, IMMEDIATE, below
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
        # WAL + NORMAL: a crash never corrupts the store or splits a transaction; only the last
        # commits before a power loss may be lost (and redone by the next run)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=120000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class StoreMissing(InputError):
    """A command that reads a store (``fleet report``, ``mark``, ``repos``, ``forget``) was pointed at one
    that does not exist: an error, never a new empty store reported as "0 secrets"."""

    def __init__(self, url: str) -> None:
        super().__init__(f"store {display_url(url)} does not exist (`credsweep fleet scan` creates it; "
                         f"--store or $CREDSWEEP_STORE names another)")


def _migrate(engine: Engine, url: str, create: bool = True) -> None:
    """Bring the schema to the Alembic head (no-op when it is there already). Without ``create``, a
    database with no credsweep schema at all is ``StoreMissing``."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from credsweep.store.models import SCHEMA_VERSION

    # plain SQL first: importing Alembic (or SQLAlchemy's inspector) costs half a second a run that
    # needs no migration
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_VERSION:
                return
    except DBAPIError:
        if not create:
            raise StoreMissing(url) from None
        # no alembic_version table yet: a new store
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from credsweep.store import migrations

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", os.path.dirname(os.path.abspath(migrations.__file__)))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """An opened store: engine, salt and the fleet's transactions."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        self.salt = self._ensure_salt()

    # --- setup ---------------------------------------------------------------------------------
    def _insert(self, table: Any) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as lite_insert

        return lite_insert(table)

    def _ensure_salt(self) -> str:
        from sqlalchemy import select

        from credsweep.store.models import Meta

        with self.engine.begin() as conn:
            conn.execute(self._insert(Meta).values(key="salt", value=secrets.token_hex(32))
                         .on_conflict_do_nothing(index_elements=["key"]))
            return str(conn.execute(select(Meta.value).where(Meta.key == "salt")).scalar_one())

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Hold a store-wide lock named ``name`` while the block runs; yields False (without waiting)
        when someone else holds it. PostgreSQL only (an advisory lock); SQLite yields True."""
        if self.dialect != "postgresql":
            yield True
            return
        import zlib

        from sqlalchemy import text

        key = zlib.crc32(name.encode())
        with self.engine.connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    # --- runs ----------------------------------------------------------------------------------
    def begin_run(self, digest: str, repositories: int, executor: str) -> int:
        """A new run; findings new or reopened in earlier runs age into ``open``."""
        from sqlalchemy import update

        from credsweep.store.models import FindingRow, Run

        with self.session() as session:
            run = Run(started_at=now_iso(), ruleset_digest=digest, repositories=repositories, executor=executor,
                      status="running", failed=0, new_count=0, open_count=0, resolved_count=0)
            session.add(run)
            session.flush()
            session.execute(update(FindingRow).where(FindingRow.status.in_(("new", "reopened")))
                            .values(status="open", status_run_id=run.id))
            return int(run.id)

    def finish_run(self, run_id: int, status: str = "finished") -> None:
        """Close the run with a snapshot of finding counts (the report's chart reads them)."""
        from sqlalchemy import func, select

        from credsweep.store.models import FindingRow, RepositoryRun, Run

        with self.session() as session:
            run = session.get(Run, run_id)
            if run is None:
                return
            counts = dict(session.execute(select(FindingRow.status, func.count()).group_by(FindingRow.status)).all())
            run.new_count = int(session.scalar(select(func.count()).select_from(FindingRow).where(
                FindingRow.status.in_(("new", "reopened")), FindingRow.status_run_id == run_id)) or 0)
            run.open_count = int(counts.get("open", 0) + counts.get("new", 0) + counts.get("reopened", 0))
            run.resolved_count = int(counts.get("resolved", 0))
            run.failed = int(session.scalar(select(func.count()).select_from(RepositoryRun).where(
                RepositoryRun.run_id == run_id, RepositoryRun.status == "failed")) or 0)
            run.finished_at = now_iso()
            run.status = status

    def run_outcomes(self, run_id: int) -> list[tuple[str, str, str | None, int]]:
        """(repository url, status, reason, new findings) of every repository finished in the run."""
        from sqlalchemy import select

        from credsweep.store.models import Repository, RepositoryRun

        with self.session() as session:
            rows = session.execute(
                select(Repository.url, RepositoryRun.status, RepositoryRun.reason, RepositoryRun.new_findings)
                .join(Repository, Repository.id == RepositoryRun.repository_id)
                .where(RepositoryRun.run_id == run_id).order_by(Repository.url)).all()
        return [(str(u), str(s), r, int(n)) for u, s, r, n in rows]

    # --- repositories ----------------------------------------------------------------------------
    def repository(self, url: str, name: str) -> RepoState:
        """The stored state of a repository, created (pending) when first seen."""
        from sqlalchemy import select

        from credsweep.store.models import Repository

        with self.session() as session:
            session.execute(self._insert(Repository).values(url=url, name=name, status="pending", failures=0)
                            .on_conflict_do_nothing(index_elements=["url"]))
            repo = session.execute(select(Repository).where(Repository.url == url)).scalar_one()
            return RepoState(repo.id, repo.url, repo.name, repo.tips_digest, repo.ruleset_digest, repo.status)

    def states(self, keys: dict[str, str]) -> dict[str, RepoState]:
        """The stored state of many repositories (key → name), created when first seen; one transaction."""
        from sqlalchemy import select

        from credsweep.store.models import Repository

        if not keys:
            return {}
        with self.session() as session:
            rows = [{"url": key, "name": name, "status": "pending", "failures": 0} for key, name in keys.items()]
            for start in range(0, len(rows), 500):
                session.execute(self._insert(Repository).values(rows[start:start + 500])
                                .on_conflict_do_nothing(index_elements=["url"]))
            found: dict[str, RepoState] = {}
            listed = list(keys)
            for start in range(0, len(listed), 500):
                for repo in session.execute(select(Repository).where(
                        Repository.url.in_(listed[start:start + 500]))).scalars():
                    found[repo.url] = RepoState(repo.id, repo.url, repo.name, repo.tips_digest, repo.ruleset_digest,
                                                repo.status)
            return found

    def write_unchanged_many(self, run_id: int, repository_ids: list[int]) -> None:
        """Record many unchanged repositories in one transaction (an unchanged repository has nothing
        else to write, so one transaction for all of them splits nothing)."""
        from sqlalchemy import update

        from credsweep.store.models import Repository, RepositoryRun

        if not repository_ids:
            return
        finished = now_iso()
        with self.session() as session:
            rows = [{"run_id": run_id, "repository_id": rid, "status": "unchanged", "reason": None, "millis": 0,
                     "blobs_read": 0, "new_findings": 0, "finished_at": finished} for rid in repository_ids]
            for start in range(0, len(rows), 500):
                session.execute(self._insert(RepositoryRun).values(rows[start:start + 500])
                                .on_conflict_do_nothing(index_elements=["run_id", "repository_id"]))
                session.execute(update(Repository).where(Repository.id.in_(
                    repository_ids[start:start + 500])).values(status="unchanged", reason=None, failures=0,
                                                                last_run_id=run_id))

    def done_in_run(self, run_id: int, repository_id: int) -> bool:
        """True when this repository already has its outcome in this run (a redelivered task)."""
        from credsweep.store.models import RepositoryRun

        with self.session() as session:
            return session.get(RepositoryRun, (run_id, repository_id)) is not None

    def write_failure(self, run_id: int, repository_id: int, reason: str, millis: int) -> bool:
        """Record a failed attempt (findings untouched: a failure resolves nothing). False if already recorded."""
        from credsweep.store.models import Repository

        with self._claimed(run_id, repository_id, "failed", reason, millis) as session:
            if session is None:
                return False
            repo = session.get(Repository, repository_id)
            assert repo is not None
            repo.status, repo.reason, repo.failures, repo.last_run_id = "failed", reason, repo.failures + 1, run_id
        return True

    def write_unchanged(self, run_id: int, repository_id: int, millis: int) -> bool:
        """Record that the repository's tips did not move since its last scan under this ruleset."""
        from credsweep.store.models import Repository

        with self._claimed(run_id, repository_id, "unchanged", None, millis) as session:
            if session is None:
                return False
            repo = session.get(Repository, repository_id)
            assert repo is not None
            repo.status, repo.reason, repo.failures, repo.last_run_id = "unchanged", None, 0, run_id
        return True

    @contextmanager
    def _claimed(self, run_id: int, repository_id: int, status: str, reason: str | None,
                 millis: int, blobs_read: int = 0) -> Iterator[Session | None]:
        """A transaction whose first write claims (run, repository); yields None when another
        delivery of the same task already wrote it (the claim's primary key says so)."""
        from sqlalchemy.exc import IntegrityError
        from sqlalchemy.orm import Session

        from credsweep.store.models import RepositoryRun

        session = Session(self.engine, expire_on_commit=False)
        try:
            session.begin()
            session.add(RepositoryRun(run_id=run_id, repository_id=repository_id, status=status, reason=reason,
                                      millis=millis, blobs_read=blobs_read, new_findings=0, finished_at=now_iso()))
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                if not self.done_in_run(run_id, repository_id):
                    raise
                yield None
                return
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def write_scan(self, run_id: int, repository_id: int, scan: ScanResult) -> int | None:
        """Write one repository's scan in one transaction; returns its new findings (None: already written)."""
        from sqlalchemy import select

        from credsweep.store.models import FindingRow, Repository, RepositoryRun

        with self._claimed(run_id, repository_id, "scanned", None, scan.millis, scan.blobs_read) as session:
            if session is None:
                return None
            repo = session.get(Repository, repository_id)
            assert repo is not None
            groups = _group(scan.findings, repo.url)
            self._write_blob_results(session, scan.digest, scan.blob_results)
            marks = self._upsert_secrets(session, run_id, groups)
            marks.update(self._mark_revoked(session, run_id, groups, marks))
            rows = {row.secret_key: row for row in session.execute(
                select(FindingRow).where(FindingRow.repository_id == repository_id)).scalars()}
            new = 0
            for key, found in groups.items():
                row = rows.get(key)
                mark, first_run = marks.get(key, (None, run_id))
                new += self._update_finding(session, run_id, repository_id, key, row, found, mark, first_run == run_id)
            for key, row in rows.items():
                if key not in groups and row.status != "resolved":
                    row.status, row.status_run_id, row.resolution = "resolved", run_id, "unreachable"
            claim = session.get(RepositoryRun, (run_id, repository_id))
            assert claim is not None
            claim.new_findings = new
            repo.tips = json.dumps(scan.tips, sort_keys=True)
            repo.tips_digest, repo.ruleset_digest = scan.tips_digest, scan.repository_digest
            repo.status, repo.reason, repo.failures = "scanned", None, 0
            repo.last_run_id, repo.scanned_at = run_id, now_iso()
        return new

    def _write_blob_results(self, session: Session, digest: str,
                            results: Mapping[str, tuple[ContentMatch, ...]]) -> None:
        from credsweep.content.cache import to_record
        from credsweep.store.models import BlobResult

        rows = [{"blob_id": oid, "digest": digest, "matches": json.dumps([to_record(m) for m in matches])}
                for oid, matches in results.items()]
        for start in range(0, len(rows), 2000):
            session.execute(self._insert(BlobResult).values(rows[start:start + 2000])
                            .on_conflict_do_nothing(index_elements=["blob_id", "digest"]))

    def _upsert_secrets(self, session: Session, run_id: int,
                        groups: Mapping[str, Sequence[Finding]]) -> dict[str, tuple[str | None, int]]:
        """Secret rows for every key found (first finding wins); returns (mark, first run) per key."""
        from sqlalchemy import select

        from credsweep.store.models import Secret

        firsts = {key: found[0] for key, found in groups.items()}
        if not firsts:
            return {}
        rows = [{"key": key, "kind": f.kind, "rule": f.rule, "provider": f.provider, "name": f.name,
                 "severity": f.severity, "redacted": f.redacted, "advice": json.dumps(f.advice.to_dict()),
                 "first_run_id": run_id} for key, f in firsts.items()]
        session.execute(self._insert(Secret).values(rows).on_conflict_do_nothing(index_elements=["key"]))
        return {key: (mark, first) for key, mark, first in session.execute(
            select(Secret.key, Secret.mark, Secret.first_run_id).where(Secret.key.in_(list(firsts))))}

    def _mark_revoked(self, session: Session, run_id: int, groups: Mapping[str, Sequence[Finding]],
                      marks: Mapping[str, tuple[str | None, int]]) -> dict[str, tuple[str | None, int]]:
        """Mark ``rotated`` every unmarked secret its provider now says is revoked (``--validate``):
        the fleet closes that task by itself. Returns the new (mark, first run) per key."""
        from sqlalchemy import update

        from credsweep.store.models import FindingRow, Secret

        changed: dict[str, tuple[str | None, int]] = {}
        for key, finding in ((key, f) for key, found in groups.items() for f in found):
            validation = finding.validation
            if validation is None or validation.status != "revoked" or key in changed:
                continue
            mark, first = marks.get(key, (None, 0))
            if mark is not None:
                continue
            secret = session.get(Secret, key)
            if secret is None:
                continue
            secret.mark, secret.marked_at = "rotated", now_iso()
            secret.mark_reason = f"validation: {validation.provider} said revoked on {validation.checked_at[:10]}"
            # as ``mark_secret``: resolved in every repository (this one's row follows in ``_update_finding``)
            session.execute(update(FindingRow).where(FindingRow.secret_key == key, FindingRow.status != "resolved")
                            .values(status="resolved", status_run_id=run_id, resolution="rotated"))
            changed[key] = ("rotated", first)
        return changed

    def _update_finding(self, session: Session, run_id: int, repository_id: int, key: str, row: Any,
                        found: list[Finding], mark: str | None, new_secret: bool) -> int:
        """Move one finding along its lifecycle and replace its locations.

        Returns 1 when it is news: a secret the store did not know before this run, or a reopened one.
        A known secret found in one more repository (a fork, a copy) joins that secret's rotation
        task with status ``new`` in this repository, without being announced again."""
        from sqlalchemy import delete, select

        from credsweep.models import LEVELS
        from credsweep.store.models import FindingRow, Location

        urgency = max((f.advice.urgency for f in found), key=LEVELS.index)
        counted = 0
        if row is None:
            status = "resolved" if mark else "new"
            row = FindingRow(repository_id=repository_id, secret_key=key, status=status, status_run_id=run_id,
                             first_run_id=run_id, last_seen_run_id=run_id, urgency=urgency, resolution=mark)
            session.add(row)
            session.flush()
            counted = 1 if new_secret and not mark else 0
        else:
            if mark:
                if row.status != "resolved":
                    row.status, row.status_run_id = "resolved", run_id
                row.resolution = mark
            elif row.status == "resolved":
                row.status, row.status_run_id, row.resolution = "reopened", run_id, None
                counted = 1
            row.last_seen_run_id, row.urgency = run_id, urgency
        earlier = {(p, b, n): first for p, b, n, first in session.execute(
            select(Location.path, Location.blob_id, Location.line, Location.first_run_id)
            .where(Location.finding_id == row.id))}
        session.execute(delete(Location).where(Location.finding_id == row.id))
        # paths as credsweep displays them: plain, or git-quoted with escapes when a name holds bytes
        # that are not UTF-8 (lossless, and text every database accepts)
        session.add_all([Location(finding_id=row.id, path=display(f.path), line=f.line, commit=f.commit,
                                  blob_id=f.blob_id,
                                  first_run_id=earlier.get((display(f.path), f.blob_id, f.line), run_id),
                                  data=json.dumps(f.to_dict(show_secrets=False), sort_keys=True)) for f in found])
        return counted

    # --- repositories: listing and forgetting ---------------------------------------------------
    def find_repository(self, spec: str) -> tuple[int, str]:
        """(id, url) of the repository ``spec`` names: its key as stored (URL without credentials, or
        absolute path), the same spelling ``fleet scan`` was given (a relative path, a URL with
        credentials), or its display name when only one repository has it."""
        from sqlalchemy import select

        from credsweep.git.mirror import SourceRefused, _safe, parse_source
        from credsweep.store.models import Repository

        wanted = [spec, _safe(spec.strip())]
        try:
            wanted.append(parse_source(spec).key)
        except SourceRefused:
            pass
        with self.session() as session:
            for key in wanted:
                found = session.execute(select(Repository.id, Repository.url).where(Repository.url == key)).first()
                if found is not None:
                    return int(found[0]), str(found[1])
            named = session.execute(select(Repository.id, Repository.url).where(Repository.name == spec)).all()
        if len(named) == 1:
            return int(named[0][0]), str(named[0][1])
        raise InputError(f"'{_safe(spec)[:200]}' names {'more than one' if named else 'no'} repository in the store "
                         f"(`credsweep fleet repos` lists them)")

    def forget(self, repository_id: int) -> tuple[int, int]:
        """Remove a repository: its findings, their locations and its outcomes in past runs. Tasks no
        other repository holds go too, unless a person marked them (a mark is a decision, kept for when
        the secret shows up again). Returns (findings removed, tasks removed)."""
        from sqlalchemy import delete, exists, select

        from credsweep.store.models import FindingRow, Location, Repository, RepositoryRun, Secret

        with self.session() as session:
            ids = list(session.execute(select(FindingRow.id, FindingRow.secret_key)
                                       .where(FindingRow.repository_id == repository_id)).all())
            finding_ids = [i for i, _ in ids]
            for start in range(0, len(finding_ids), 500):
                session.execute(delete(Location).where(Location.finding_id.in_(finding_ids[start:start + 500])))
            session.execute(delete(FindingRow).where(FindingRow.repository_id == repository_id))
            session.execute(delete(RepositoryRun).where(RepositoryRun.repository_id == repository_id))
            session.execute(delete(Repository).where(Repository.id == repository_id))
            keys = sorted({k for _, k in ids})
            orphans: list[str] = []
            for start in range(0, len(keys), 500):
                orphans += session.execute(select(Secret.key).where(
                    Secret.key.in_(keys[start:start + 500]), Secret.mark.is_(None),
                    ~exists().where(FindingRow.secret_key == Secret.key))).scalars().all()
            for start in range(0, len(orphans), 500):
                session.execute(delete(Secret).where(Secret.key.in_(orphans[start:start + 500])))
        return len(finding_ids), len(orphans)

    # --- marks ---------------------------------------------------------------------------------
    def mark_secret(self, prefix: str, mark: str | None, reason: str | None, run_hint: int | None = None) -> str:
        """Mark a secret (by id or unique prefix) accepted/rotated, or clear the mark; returns its key."""
        from sqlalchemy import select, update

        from credsweep.store.models import FindingRow, Run, Secret

        if len(prefix) < 6:
            raise InputError("give at least 6 characters of the secret id")
        with self.session() as session:
            keys = session.execute(select(Secret.key).where(Secret.key.startswith(prefix)).limit(2)).scalars().all()
            if len(keys) != 1:
                raise InputError(f"'{prefix}' matches {'no' if not keys else 'more than one'} secret in the store")
            secret = session.get(Secret, keys[0])
            assert secret is not None
            secret.mark, secret.mark_reason, secret.marked_at = mark, reason, now_iso() if mark else None
            latest = run_hint or session.scalar(select(Run.id).order_by(Run.id.desc()).limit(1)) or 0
            if mark:
                session.execute(update(FindingRow).where(FindingRow.secret_key == secret.key,
                                                         FindingRow.status != "resolved")
                                .values(status="resolved", status_run_id=latest, resolution=mark))
                session.execute(update(FindingRow).where(FindingRow.secret_key == secret.key)
                                .values(resolution=mark))
            return str(secret.key)


@dataclass(frozen=True)
class RepoState:
    """What the store knows about a repository before scanning it."""

    id: int
    url: str
    name: str
    tips_digest: str | None
    ruleset_digest: str | None
    status: str


@dataclass(frozen=True)
class ScanResult:
    """One repository's scan, ready to be written in one transaction."""

    digest: str
    """Content-stage digest (``Pipeline.digest``): the key of the blob results."""
    repository_digest: str
    """Digest of everything the repository's findings depend on (content digest + judgement config)."""
    tips: Mapping[str, str]
    """Ref → object id at scan time."""
    tips_digest: str
    """sha256 of ``tips``."""
    findings: tuple[Finding, ...]
    """Everything the history scan and HEAD hygiene reported (secrets in memory only; never written)."""
    blob_results: Mapping[str, tuple[ContentMatch, ...]] = field(default_factory=dict)
    """Content matches of blobs read in this scan (written for reuse by later scans and forks)."""
    blobs_read: int = 0
    """Blobs whose content was matched in this scan."""
    millis: int = 0
    """Wall time of the scan."""


KEY_LENGTH = 16
"""Hex characters of every store key, a secret's id and a file-level problem's alike."""


def finding_key(finding: Finding, repository: str) -> str:
    """The store's identity of what a finding is about, ``KEY_LENGTH`` hex characters: a secret's
    ``secret_id`` (the same in every repository: one rotation task across the fleet), or, for a
    file-level problem (``.env`` committed), a hash of the repository and the finding's fingerprint:
    the same file in two repositories is two tasks, and marking one leaves the other open."""
    if finding.secret_id:
        return finding.secret_id
    return hashlib.sha256(f"{repository}\x1f{finding.fingerprint}".encode()).hexdigest()[:KEY_LENGTH]


def _group(findings: Iterable[Finding], repository: str) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding_key(finding, repository), []).append(finding)
    return groups


class StoreContentCache:
    """``ContentCache`` over a store: lookups read committed results; records wait for the repository's
    transaction (``ScanResult.blob_results``), so an interrupted scan leaves nothing behind."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.recorded: dict[str, tuple[ContentMatch, ...]] = {}
        self.hits = 0

    def lookup(self, digest: str, blob_ids: Sequence[str]) -> dict[str, tuple[ContentMatch, ...]]:
        """Stored results among ``blob_ids`` for ``digest`` (see ``ContentCache.lookup``)."""
        from sqlalchemy import select

        from credsweep.content.cache import from_record
        from credsweep.store.models import BlobResult

        out: dict[str, tuple[ContentMatch, ...]] = {}
        with self.store.engine.connect() as conn:
            for start in range(0, len(blob_ids), LOOKUP_BATCH):
                batch = list(blob_ids[start:start + LOOKUP_BATCH])
                for oid, matches in conn.execute(select(BlobResult.blob_id, BlobResult.matches).where(
                        BlobResult.digest == digest, BlobResult.blob_id.in_(batch))):
                    out[oid] = tuple(from_record(m) for m in json.loads(matches))
        self.hits += len(out)
        return out

    def record(self, digest: str, results: Mapping[str, tuple[ContentMatch, ...]]) -> None:
        """Buffer newly matched blobs until the repository's results are written."""
        self.recorded.update(results)


_OPEN: dict[str, Store] = {}


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """The store at ``url`` (default: the embedded SQLite file), migrated, with its salt; without
    ``create`` (commands that only read or mark one), a store that does not exist is ``StoreMissing``
    and nothing is created (no folder, no file).

    Stores are cached per process (a Celery worker opens its store once)."""
    url = url or default_url()
    cached = _OPEN.get(url)
    if cached is not None and cached.engine is not None:
        return cached
    from sqlalchemy.exc import ArgumentError, OperationalError

    path = _sqlite_path(engine_url(url))
    if not create and path is not None and not path.is_file():
        raise StoreMissing(url)
    try:
        engine = _make_engine(url)
        _migrate(engine, url, create)
        store = Store(url, engine)
    except (OperationalError, ArgumentError) as exc:
        first = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
        raise InputError(f"cannot open the store {display_url(url)}: {first[0] if first else type(exc).__name__}") \
            from None
    _OPEN[url] = store
    return store

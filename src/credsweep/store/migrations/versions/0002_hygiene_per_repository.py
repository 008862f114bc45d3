"""File-level problems (hygiene) become one task per repository.

Before, a hygiene finding's store key was its fingerprint (kind, rule and path), so `.env` committed in
two repositories was one "secret in 2 repositories" and one `fleet mark` resolved both. Its key is now
``store.db.finding_key``: a hash of the repository and that fingerprint, 16 hex characters like a
secret's id. Each existing hygiene item is split into one row per repository holding it, keeping its
mark (a mark made on the shared item was meant for every copy of it).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_secrets = sa.table("secrets", sa.column("key", sa.String), sa.column("kind", sa.String),
                    sa.column("rule", sa.String), sa.column("provider", sa.String), sa.column("name", sa.Text),
                    sa.column("severity", sa.String), sa.column("redacted", sa.Text), sa.column("advice", sa.Text),
                    sa.column("first_run_id", sa.Integer), sa.column("mark", sa.String),
                    sa.column("mark_reason", sa.Text), sa.column("marked_at", sa.String))
_findings = sa.table("findings", sa.column("id", sa.Integer), sa.column("repository_id", sa.Integer),
                     sa.column("secret_key", sa.String))
_repositories = sa.table("repositories", sa.column("id", sa.Integer), sa.column("url", sa.String))


def repository_key(repository: str, fingerprint: str) -> str:
    """``store.db.finding_key`` of a file-level finding (kept here: a migration never imports the code
    it migrates from, which changes after it)."""
    return hashlib.sha256(f"{repository}\x1f{fingerprint}".encode()).hexdigest()[:16]


def upgrade() -> None:
    conn = op.get_bind()
    urls: dict[int, str] = dict(conn.execute(sa.select(_repositories.c.id, _repositories.c.url)).all())
    shared = conn.execute(sa.select(_secrets).where(_secrets.c.kind != "secret")).mappings().all()
    for old in shared:
        rows = conn.execute(sa.select(_findings.c.id, _findings.c.repository_id)
                            .where(_findings.c.secret_key == old["key"])).all()
        for row in rows:
            finding_id, repository_id = row[0], row[1]
            key = repository_key(urls[repository_id], str(old["key"]))
            if conn.execute(sa.select(_secrets.c.key).where(_secrets.c.key == key)).first() is None:
                conn.execute(sa.insert(_secrets).values({**old, "key": key}))
            conn.execute(sa.update(_findings).where(_findings.c.id == finding_id).values(secret_key=key))
        conn.execute(sa.delete(_secrets).where(_secrets.c.key == old["key"]))


def downgrade() -> None:
    raise NotImplementedError("0002 splits shared hygiene items per repository; there is no way back")

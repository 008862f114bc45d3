"""Alembic environment: migrations run on the connection ``credsweep.store.db`` hands over."""

from __future__ import annotations

from alembic import context

from credsweep.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `credsweep.store.db` runs these migrations
    raise RuntimeError("credsweep store migrations run through credsweep.store.db.open_store")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""Alembic migrations of the fleet store (shipped in the wheel; run by ``credsweep.store.db``)."""

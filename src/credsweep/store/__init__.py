"""The fleet store: repositories, runs, reusable blob results, secrets and their lifecycle.

SQLAlchemy 2 models (``models``), Alembic migrations (``migrations/``), and the engine, salt and
transactions (``db``). SQLite by default; PostgreSQL when many workers share one store. Imported
only by ``credsweep fleet`` commands: nothing on the scan/staged path loads SQLAlchemy.
"""

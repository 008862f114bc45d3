"""Many-repository runs: mirrors of remote repositories, incremental scans into a store, reports,
notifications, and the Celery executor. Imported only by ``credsweep fleet`` commands."""

"""The pool of ``fleet worker``: Celery's prefork pool, checking its processes as often as asked.

Celery notices a pool process that died (the OOM killer, a ``kill -9``) when it next checks its pool:
at once when the process's exit wakes the worker, but that wake-up can come before the process can be
reaped, and then only at the next periodic check, every 5 seconds. Until then the repository it was
scanning waits to be redelivered. ``fleet worker --pool-check-every SECONDS`` sets that period.

Imported by name by Celery (``--pool=credsweep.fleet.celery_pool:CheckedTaskPool``) in the worker only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery.concurrency.asynpool import AsynPool
from celery.concurrency.prefork import TaskPool

POOL_CHECK_SETTING = "credsweep_pool_check_every"
"""The application setting holding the period, in seconds (``celery_app.start_worker`` sets it)."""
DEFAULT_POOL_CHECK = 5.0
"""Celery's own period."""


class CheckedAsynPool(AsynPool):  # type: ignore[misc]
    """``AsynPool`` whose periodic pool check runs every ``check_every`` seconds."""

    check_every = DEFAULT_POOL_CHECK
    """Seconds between two checks of the pool's processes."""

    @property
    def timers(self) -> dict[Callable[[], Any], float]:
        return {handler: self.check_every if handler == self.maintain_pool else interval
                for handler, interval in super().timers.items()}


def pool_check_period(app: Any) -> float:
    """The period ``app``'s settings ask for (``POOL_CHECK_SETTING``), else Celery's."""
    every = app.conf.get(POOL_CHECK_SETTING) if app is not None else None
    return DEFAULT_POOL_CHECK if every is None else float(every)


class CheckedTaskPool(TaskPool):  # type: ignore[misc]
    """Celery's prefork ``TaskPool`` with ``CheckedAsynPool``, its period read from the application's
    ``POOL_CHECK_SETTING``."""

    Pool = CheckedAsynPool

    def on_start(self) -> None:
        super().on_start()
        if isinstance(self._pool, CheckedAsynPool):
            self._pool.check_every = pool_check_period(self.app)

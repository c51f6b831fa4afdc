"""A session's learning worker: jobs run in order in one thread, or at once when there is none.

A reload learns every label again; learning queued before it is then stale.
Each reload starts a new *epoch*, and a job queued with an older epoch is
skipped. A job may wait for the worker (a reload waits for what came
before it): in the worker itself that returns at once, since everything
queued before the running job is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class Background:
    """Runs jobs in order in one worker thread (``enabled``), or at once in the caller's thread.

    >>> worker = Background(enabled=True)
    >>> done = []
    >>> worker.run(lambda: done.append(1), epoch=worker.epoch)
    >>> stale = worker.epoch; _ = worker.new_epoch()
    >>> worker.run(lambda: done.append(2), epoch=stale)   # queued before a reload: skipped
    >>> worker.wait(); done
    [1]
    >>> worker.close()
    """

    def __init__(self, enabled: bool):
        self._executor = ThreadPoolExecutor(max_workers=1) if enabled else None
        self._pending: list[Future] = []
        self._in_worker = threading.local()
        self.epoch = 0

    @property
    def enabled(self) -> bool:
        return self._executor is not None

    def new_epoch(self) -> int:
        """Everything queued with an older epoch is skipped from now on; returns the new epoch."""
        self.epoch += 1
        return self.epoch

    def run(self, job: Callable[[], Any], epoch: int | None = None) -> None:
        """Run ``job`` now or in the worker; with ``epoch``, not if a newer epoch began meanwhile."""
        if self._executor is None:
            job()
            return

        def in_worker() -> None:
            if epoch is not None and epoch != self.epoch:
                return
            self._in_worker.active = True
            try:
                job()
            finally:
                self._in_worker.active = False

        self._pending = [f for f in self._pending if not f.done() or f.exception() is not None]
        self._pending.append(self._executor.submit(in_worker))

    def wait(self) -> None:
        """Block until every job handed over so far has run (at once inside the worker itself)."""
        if getattr(self._in_worker, "active", False):
            return
        while self._pending:
            self._pending.pop(0).result()

    def close(self) -> None:
        self.wait()
        if self._executor is not None:
            self._executor.shutdown()

"""A session's learning worker: jobs run in order in one thread, or at once when there is none.

A job that fails does not stop the jobs after it: its exception is kept and
raised by the next :meth:`Background.wait`, in the worker and at once alike
(the caller that handed the job over has moved on: a label is stored already).

A reload learns every label again; learning queued before it is then stale.
Each reload starts a new *epoch*, and a job queued with an older epoch is
skipped. A job may wait for the worker (a reload waits for what came
before it): in the worker itself that returns at once, since everything
queued before the running job is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
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
    >>> worker.run(lambda: 1 / 0); worker.run(lambda: done.append(3))
    >>> worker.wait()
    Traceback (most recent call last):
    ...
    ZeroDivisionError: division by zero
    >>> done
    [1, 3]
    >>> worker.close()
    """

    def __init__(self, enabled: bool):
        self._executor = ThreadPoolExecutor(max_workers=1) if enabled else None
        self._pending: list[Future] = []
        self._in_worker = threading.local()
        self._failure: BaseException | None = None  # the oldest failure wait() has not raised yet
        self.epoch = 0

    @property
    def enabled(self) -> bool:
        return self._executor is not None

    def new_epoch(self) -> int:
        """Everything queued with an older epoch is skipped from now on; returns the new epoch."""
        self.epoch += 1
        return self.epoch

    def run(self, job: Callable[[], Any], epoch: int | None = None) -> None:
        """Run ``job`` now or in the worker; with ``epoch``, not if a newer epoch began meanwhile.

        Its failure is raised by the next :meth:`wait`, not here.
        """
        self.run_each([(job, epoch)])

    def run_each(self, jobs: Iterable[tuple[Callable[[], Any], int | None]]) -> None:
        """:meth:`run` each ``(job, epoch)`` in order: what one answer hands over (learning, then what follows)."""
        for job, epoch in jobs:
            self._hand_over(job, epoch)

    def _hand_over(self, job: Callable[[], Any], epoch: int | None) -> None:
        if self._executor is None:
            self._guarded(job)
            return

        def in_worker() -> None:
            if epoch is not None and epoch != self.epoch:
                return
            self._in_worker.active = True
            try:
                self._guarded(job)
            finally:
                self._in_worker.active = False

        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._executor.submit(in_worker))

    def _guarded(self, job: Callable[[], Any]) -> None:
        try:
            job()
        except Exception as exc:
            if self._failure is None:  # a failing learner fails at every label: the first one says it
                self._failure = exc

    def wait(self, *, raise_error: bool = True) -> None:
        """Block until every job handed over so far has run (at once inside the worker itself); then raise
        the oldest failure not raised yet (``raise_error=False``: keep it for a later wait)."""
        if getattr(self._in_worker, "active", False):
            return
        while self._pending:
            self._pending.pop(0).result()
        if raise_error and self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def close(self) -> None:
        self.wait(raise_error=False)
        if self._executor is not None:
            self._executor.shutdown()

"""When the clicks pause, fit from scratch in a background thread and adopt a better fit.

Nothing on the click path refits: :class:`IdleCheck` waits until the points
have not changed for ``idle_after`` seconds, then asks its session to fit
every class from scratch (outside the session's lock) and to adopt a better
fit (under it, so a click is never learned while the model changes). A click
during the fit is learned at once; the fit is then judged on every point,
the new ones included.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable

_LIVE: weakref.WeakSet[IdleCheck] = weakref.WeakSet()


class IdleCheck:
    """A daemon thread that runs ``check()`` once the changes reported by :meth:`changed` pause.

    Examples
    --------
    >>> calls = []
    >>> idle = IdleCheck(lambda: calls.append(time.monotonic()), idle_after=0.05)
    >>> for _ in range(3):
    ...     idle.changed()
    >>> idle.wait(timeout=5)
    True
    >>> len(calls)  # three changes in a row, one check after they paused
    1
    >>> idle.close()
    """

    def __init__(self, check: Callable[[], object], *, idle_after: float = 0.4):
        self._check = check
        self.idle_after = idle_after
        self._cond = threading.Condition()
        self._last_change = 0.0
        self._due = False
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self.last_error: BaseException | None = None

    @property
    def busy(self) -> bool:
        """A check is due or running."""
        with self._cond:
            return self._due or self._running

    @property
    def due(self) -> bool:
        """Changes wait for a check that has not started yet."""
        with self._cond:
            return self._due

    def changed(self) -> None:
        """The points changed: check once they have not changed for ``idle_after`` seconds."""
        with self._cond:
            if self._closed:
                return
            self._last_change = time.monotonic()
            self._due = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hitl-gmm-idle-check", daemon=True)
                self._thread.start()
                _LIVE.add(self)
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no check is due or running; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not (self._due or self._running) or self._closed, timeout)

    def close(self, timeout: float | None = None) -> None:
        """Stop the thread; with a ``timeout``, wait that long for a running fit to finish."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if timeout is not None and self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while self._wait_for_pause():
            try:
                self._check()
                self.last_error = None
            except Exception as exc:  # noqa: BLE001 - the kernel must survive a failed background fit
                self.last_error = exc
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()

    def _wait_for_pause(self) -> bool:
        """Wait until a change has been quiet for ``idle_after``; False when closed."""
        with self._cond:
            while not self._closed:
                if not self._due:
                    self._cond.wait()
                    continue
                remaining = self._last_change + self.idle_after - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                self._due, self._running = False, True
                return True
            return False


@atexit.register
def _stop_all() -> None:
    """Let running fits finish before the interpreter goes: torch aborts if a thread is inside it at exit."""
    for idle in list(_LIVE):
        idle.close(timeout=10)

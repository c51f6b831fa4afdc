"""Word that a team's log changed, pushed by PostgreSQL (``LISTEN``/``NOTIFY``), so a labeler looks at once.

Every write to the log on PostgreSQL also sends ``NOTIFY hitl_events`` with
the labeling session's name, in the same transaction (so it arrives only if
the write committed; any role that may INSERT may NOTIFY). A
:class:`ChangeListener` holds one connection that listens, and
:meth:`ChangeListener.wait` returns as soon as word for its session comes,
or after the timeout (the caller then looks anyway: a listener that lost its
connection falls back to looking every ``timeout`` seconds). On SQLite there
is no such word: ``wait`` sleeps the timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

CHANNEL = "hitl_events"
_NOTIFY = sa.text("SELECT pg_notify(:channel, :session)")


def announce(conn: sa.Connection, session: str) -> None:
    """In a write's transaction: tell listeners that ``session``'s log changed (PostgreSQL only)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_NOTIFY, {"channel": CHANNEL, "session": session})


class ChangeListener:
    """Waits for word that a session's log changed (PostgreSQL), or for a timeout (anything else).

    >>> listener = ChangeListener("sqlite://", "default")
    >>> listener.wait(0.01)   # no word on SQLite: it waited the timeout
    False
    >>> listener.close()
    """

    def __init__(self, url: str, session: str):
        self.session = session
        self._conninfo = _libpq(url)
        self._conn = None
        self._lock = threading.Lock()

    def wait(self, timeout: float) -> bool:
        """Return ``True`` as soon as the session's log changes, ``False`` after ``timeout`` seconds."""
        if self._conninfo is None:
            time.sleep(timeout)
            return False
        deadline = time.monotonic() + timeout
        try:
            conn = self._connection()
            while (left := deadline - time.monotonic()) > 0:
                for note in conn.notifies(timeout=left, stop_after=1):
                    if note.payload == self.session:  # not another session's word
                        return True
            return False
        except Exception:  # the server went away: listen again next time, meanwhile the caller polls
            self.close()
            time.sleep(timeout)
            return False

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # already cut by the server
                pass

    def _connection(self):
        with self._lock:
            if self._conn is None:
                import psycopg

                self._conn = psycopg.connect(self._conninfo, autocommit=True)
                self._conn.execute(f"LISTEN {CHANNEL}")
            return self._conn


def follow_changes(url: str, session: str, every: float, stop: threading.Event, look: Callable[[], bool]) -> None:
    """Call ``look()`` as soon as PostgreSQL says ``session``'s log changed, and every ``every`` seconds anyway,
    until ``stop`` is set or ``look`` returns ``False``. Blocks: run it in a thread of its own.

    >>> stop, looks = threading.Event(), []
    >>> follow_changes("sqlite://", "default", 0.001, stop, lambda: looks.append(1) or len(looks) < 3)
    >>> len(looks)
    3
    """
    listener = ChangeListener(url, session)
    try:
        while not stop.is_set():
            listener.wait(every)
            if stop.is_set() or not look():
                return
    finally:
        listener.close()


def _libpq(url: str) -> str | None:
    """The libpq address of a PostgreSQL SQLAlchemy URL (psycopg 3 only), ``None`` for anything else."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() not in ("psycopg", "psycopg_async"):
        return None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)

"""Writes that survive a dropped database connection: retried a few times, then a clear error.

A server restart cuts every open connection. The engine looks at a pooled
connection before handing it out (:func:`~hitl_widgets.store.engine.open_engine`),
so the first write after the restart gets a fresh one; a write that fails because the server is
still away is tried again after a short wait, and when it is still away
the caller gets :class:`StoreUnavailable`, which says that this write was
not saved (nothing acknowledged is lost: an answer is acknowledged only
after its write committed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T")
RETRY_WAITS = (0.1, 0.3, 1.0)  # seconds before each new try: about 1.5 s in all


class StoreUnavailable(ConnectionError):
    """The label store cannot be reached; the write that raised this was not saved."""


def lost_connection(exc: BaseException) -> bool:
    """Whether ``exc`` says the database went away (not that the statement was wrong)."""
    return isinstance(exc, sa.exc.OperationalError) or (
        isinstance(exc, sa.exc.DBAPIError) and bool(exc.connection_invalidated)
    )


def with_retries(write: Callable[[], T], *, what: str, where: str, waits: tuple[float, ...] = RETRY_WAITS) -> T:
    """``write()``, tried again after each of ``waits`` while the connection is lost.

    >>> calls = []
    >>> def write():                       # the server is back at the third try
    ...     calls.append(1)
    ...     if len(calls) < 3:
    ...         raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))
    ...     return "saved"
    >>> with_retries(write, what="the label", where="db", waits=(0, 0, 0)), len(calls)
    ('saved', 3)
    >>> calls = []
    >>> try:
    ...     with_retries(write, what="the label", where="db", waits=(0,))
    ... except StoreUnavailable as exc:
    ...     print(exc)
    the label store (db) cannot be reached: server closed the connection. The label was not saved; try again ...
    """
    for wait in (*waits, None):
        try:
            return write()
        except sa.exc.DBAPIError as exc:
            if not lost_connection(exc):
                raise
            if wait is None:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
                raise StoreUnavailable(
                    f"the label store ({where}) cannot be reached: {reason}. "
                    f"{what[0].upper()}{what[1:]} was not saved; try again when it is back"
                ) from None
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover

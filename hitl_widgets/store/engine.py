"""Opening a label database: the URL, the engine (SQLite tuned for one writer and many readers; a server's
connections checked before use), and tables created safely when several annotators open it at once."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def engine_url(target: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL from a URL, a file path, or ``":memory:"``.

    >>> engine_url("postgresql://u@localhost/labels")
    'postgresql://u@localhost/labels'
    >>> engine_url(":memory:")
    'sqlite://'
    """
    text = os.fspath(target)
    if "://" in text:
        return text
    if text == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(text).expanduser().resolve()}"


SOCKET_DRIVERS = ("psycopg", "psycopg2")  # drivers whose connections give their socket (``fileno()``)
# libpq's TCP keepalives: a server host that vanished without closing the connection (a crash, a dropped
# network) leaves the socket in error after about a minute, which the look at checkout then sees
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def open_engine(url: str) -> sa.engine.Engine:
    """An engine for ``url``: in-memory SQLite shared across threads, file SQLite in WAL mode, and on a
    server, a pooled connection looked at before use (one a server restart cut is replaced, not used)."""
    kwargs: dict[str, Any] = {}
    if url == "sqlite://":
        kwargs = {"poolclass": sa.pool.StaticPool, "connect_args": {"check_same_thread": False}}
    elif not url.startswith("sqlite"):
        parsed = sa.engine.make_url(url)
        if parsed.get_dialect().driver in SOCKET_DRIVERS:
            kwargs = {"connect_args": {k: v for k, v in KEEPALIVES.items() if k not in parsed.query}}
        else:
            kwargs = {"pool_pre_ping": True}  # a round trip per checkout, where the socket cannot be looked at
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.driver in SOCKET_DRIVERS:
        sa.event.listen(engine, "checkout", _refuse_closed_by_server)
    return engine


def _refuse_closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Hand out no pooled connection that the server closed while it sat idle (a restart).

    An idle connection has nothing to read unless the server wrote to it:
    when it shuts down or ends the session it sends an error and closes the
    socket, so a socket with something to read, or in error, is one not to
    use. Looking costs no round trip, where ``pool_pre_ping`` costs one per
    checkout (several per labeling step). The pool replaces a refused one.
    """
    try:
        fd = dbapi_connection.fileno()
    except Exception:  # noqa: BLE001 - the driver says the connection is closed: not to be used either
        fd = None
    if fd is None or _ready(fd):
        raise sa.exc.DisconnectionError("the database server closed this pooled connection")


def _ready(fd: int) -> bool:
    """Whether the socket ``fd`` has something to read or is in error, without waiting."""
    if hasattr(select, "poll"):  # any descriptor number (select() refuses those past 1023)
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    readable, _, broken = select.select([fd], [], [fd], 0)
    return bool(readable or broken)


def one_of(column: sa.ColumnElement[Any], values: Sequence[Any], dialect: str) -> sa.ColumnElement[bool]:
    """``column IN values``; on PostgreSQL one array parameter, ``column = ANY(:values)``.

    An ``IN`` list is a statement per length of list: compiled again and parsed
    again by the server on every call. With one array the statement's text is
    the same, so it is compiled once and psycopg prepares it on the server.

    >>> t = sa.table("t", sa.column("item_id", sa.Text))
    >>> print(one_of(t.c.item_id, ["1", "2"], "postgresql").compile(dialect=postgresql.dialect()))
    t.item_id = ANY (%(param_1)s::TEXT[])
    """
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(list(values))


def reading_connection(engine: sa.engine.Engine) -> sa.Connection:
    """A connection for reads that need no transaction: on a server, outside one (no BEGIN and ROLLBACK
    round trips); SQLite's in-memory connection is shared between threads, so it stays as it is."""
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        return conn
    return conn.execution_options(isolation_level="AUTOCOMMIT")


def create_tables(metadata: sa.MetaData, engine: sa.engine.Engine) -> None:
    """Create the tables that are missing. Annotators opening a fresh database at the same moment race
    to create them (PostgreSQL then refuses the second CREATE): whoever loses finds them made."""
    try:
        metadata.create_all(engine)
    except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
        time.sleep(0.2)
        metadata.create_all(engine)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=FULL")  # a commit is on disk before it returns
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()

"""The label store: every label, skip and undo, committed before it is acknowledged.

An append-only event log (an undo is a new event that takes an earlier one back; nothing is
updated or deleted), in a SQLite file by default or any SQLAlchemy URL (PostgreSQL for a team labeling
one pool). SQLite runs in WAL mode with ``synchronous=FULL``: when
``record_label`` returns, the label survives a killed process or a power cut.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable, Hashable, Iterator, Sequence, Set
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .engine import create_tables, engine_url, one_of, open_engine, reading_connection
from .notify import CHANNEL, announce
from .pools import StoredPool, as_item_id, stored_pools
from .reconnect import with_retries
from .tables import RESET, UNDO, add_missing_columns, events, metadata, states

_INSERT_EVENT = events.insert()
_INSERT_EVENT_ANNOUNCED = events.insert().returning(events.c.id, sa.func.pg_notify(CHANNEL, events.c.session))


@dataclass(frozen=True)
class LabelRecord:
    """One event of the log."""

    id: int
    session: str
    item_id: Hashable
    kind: str
    label: Any
    annotator: str
    created_at: float
    strategy: str | None
    predicted: Any
    score: float | None
    seconds: float | None
    undone: bool
    item_hash: str | None = None  # the item's content when it was answered (None: a store from before hashes)
    replaced: bool = False  # a label the same annotator gave the item again later (a relabel) replaced


class LabelStore:
    """Labels of one labeling ``session`` in a database.

    Examples
    --------
    >>> store = LabelStore(":memory:")
    >>> _ = store.record_label(3, "cat", strategy="margin", predicted="dog", score=0.4, seconds=1.5)
    >>> _ = store.record_label("img-7", "dog")
    >>> _ = store.record_skip(5)
    >>> store.labels()
    {3: 'cat', 'img-7': 'dog'}
    >>> store.undo().item_id
    5
    >>> [(r.item_id, r.kind) for r in store.events()]
    [(3, 'label'), ('img-7', 'label')]
    """

    def __init__(
        self, target: str | os.PathLike[str] = "labels.db", *, namespace: str | None = None, session: str | None = None
    ):
        self.url = engine_url(target)
        self.namespace = namespace_of(namespace, session, "LabelStore")  # the column keeps its first name, session
        self._engine = open_engine(self.url)
        try:
            create_tables(metadata, self._engine)
            add_missing_columns(self._engine)
        except sa.exc.SQLAlchemyError as exc:
            raise ValueError(f"LabelStore: cannot open {self.url!r}: {exc.__class__.__name__}: {exc}") from exc

    @classmethod
    def of(
        cls, store: LabelStore | str | os.PathLike[str], namespace: str | None = None, *, session: str | None = None
    ) -> LabelStore:
        """``store`` itself, or the store at a path or database URL, opened on ``namespace`` (``session`` is its
        older name).

        >>> LabelStore.of(":memory:", "team").namespace
        'team'
        """
        if isinstance(store, LabelStore):
            return store
        if not isinstance(store, (str, os.PathLike)):
            raise TypeError(
                f"expected a LabelStore, a path or a database URL (e.g. 'team.db'), got {type(store).__name__}"
            )
        return cls(store, namespace=namespace_of(namespace, session, "LabelStore.of"))

    @property
    def session(self) -> str:
        """The older name of :attr:`namespace` (the part of the database this store reads and writes).

        >>> LabelStore(":memory:", namespace="team").session
        'team'
        """
        return self.namespace

    @session.setter
    def session(self, name: str) -> None:
        self.namespace = name

    def with_namespace(self, namespace: str) -> LabelStore:
        """The same database (and connections) under another namespace: another pool's labels."""
        twin = copy.copy(self)
        twin.namespace = namespace
        return twin

    with_session = with_namespace  # its older name

    def pools(self, only: str | None = None) -> list[StoredPool]:
        """The namespaces (sessions) this database holds answers in (``only``: that one), each with a sample
        of its items.

        >>> store = LabelStore(":memory:")
        >>> _ = store.record_label(3, "cat"); _ = store.with_namespace("texts").record_skip(0)
        >>> [(p.name, p.n_answers) for p in store.pools()]
        [('default', 1), ('texts', 1)]
        """
        return stored_pools(self._engine, only=only)

    @property
    def engine(self) -> sa.engine.Engine:
        """The SQLAlchemy engine, for tables kept beside the log in the same database (a study's events)."""
        return self._engine

    # -------------------------------------------------------------- writing
    def record_label(
        self,
        item_id: Hashable,
        label: Any,
        *,
        annotator: str = "user",
        strategy: str | None = None,
        predicted: Any = None,
        score: float | None = None,
        seconds: float | None = None,
        item_hash: str | None = None,
    ) -> LabelRecord:
        """Append a label; it is committed (durable) when this returns.

        ``item_hash``: a hash of the item's content (:meth:`Pool.item_hash
        <hitl_widgets.data.Pool.item_hash>`), so the label is never read back
        as the label of other content at that id.
        """
        return self._append(item_id, "label", label, annotator, strategy, predicted, score, seconds, item_hash)

    def record_final(self, item_id: Hashable, label: Any, *, annotator: str = "adjudicator") -> LabelRecord:
        """An adjudicator's final label for an item (the annotators' own answers stay as they were); it
        belongs to the content the annotators labeled."""
        answered = [r.item_hash for r in self.events_about([item_id]) if r.item_hash is not None]
        item_hash = answered[-1] if answered else None
        return self._append(item_id, "final", label, annotator, None, None, None, None, item_hash)

    def record_skip(
        self,
        item_id: Hashable,
        *,
        annotator: str = "user",
        strategy: str | None = None,
        seconds: float | None = None,
        item_hash: str | None = None,
    ) -> LabelRecord:
        """Append a skip of an item."""
        return self._append(item_id, "skip", None, annotator, strategy, None, None, seconds, item_hash)

    def _append(self, item_id, kind, label, annotator, strategy, predicted, score, seconds, item_hash) -> LabelRecord:
        row = {
            "session": self.namespace,
            "item_id": _to_json(item_id, "item_id"),
            "kind": kind,
            "label": None if label is None else _to_json(label, "label"),
            "annotator": annotator,
            "created_at": time.time(),
            "strategy": strategy,
            "predicted": None if predicted is None else _to_json(predicted, "predicted"),
            "score": None if score is None else float(score),
            "seconds": None if seconds is None else float(seconds),
            "undone": False,
            "item_hash": item_hash,
        }
        row_id = with_retries(lambda: self._insert(row), what=f"the {kind}", where=self.address)
        return _record({**row, "id": row_id})

    def _insert(self, row: dict[str, Any]) -> int:
        with self._engine.begin() as conn:
            # one statement with bound parameters: compiled once, not once per label as .values(**row) would be;
            # on PostgreSQL it also announces the event (NOTIFY in RETURNING: no round trip of its own)
            if conn.dialect.name == "postgresql":
                return conn.execute(_INSERT_EVENT_ANNOUNCED, row).scalar_one()
            return conn.execute(_INSERT_EVENT, row).inserted_primary_key[0]

    @property
    def address(self) -> str:
        """Where the store is, for messages: a SQLite file's path, a server's URL without its password.

        >>> LabelStore(":memory:").address
        'sqlite://'
        """
        if self.url.startswith("sqlite:///"):
            return self.url.removeprefix("sqlite:///")
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def undo(
        self, annotator: str | None = None, *, refuse: Callable[[LabelRecord], str | None] | None = None
    ) -> LabelRecord | None:
        """Take back the last label or skip of this session (of ``annotator``'s, in a team); returns it.

        The take-back is a new event (an ``undo`` naming the event's id), not
        a change to the old one: the log stays append-only, so a database role
        that may only INSERT and SELECT can label and undo. ``refuse(record)``
        may return why that answer is not to be taken back: then nothing is
        written and a ``ValueError`` says why.
        """
        # not tried again: a take-back that committed before the connection dropped must not take back another
        target = with_retries(lambda: self._undo_last(annotator, refuse), what="the undo", where=self.address, waits=())
        return None if target is None else _record({**target, "undone": True})

    def _undo_last(self, annotator: str | None, refuse: Callable[[LabelRecord], str | None] | None):
        with self._engine.begin() as conn:
            target = self._last_active(conn, annotator)
            if target is not None:
                why = None if refuse is None else refuse(_record(dict(target)))
                if why:
                    raise ValueError(why)
                marker = self._marker(UNDO, target["item_id"], target["id"], annotator=target["annotator"])
                conn.execute(_INSERT_EVENT, marker)
                announce(conn, self.namespace)
        return target

    def try_save_state(self, key: str, value: bytes) -> bool:
        """:meth:`save_state`, or ``False`` when the database refuses it (a role that may only insert and
        read cannot replace a value)."""
        try:
            self.save_state(key, value)
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def undo_all(self) -> int:
        """Take back every label and skip of this session (a reset, one new event); returns how many."""
        n_active = len(self.events())
        if n_active:
            with self._engine.begin() as conn:
                conn.execute(_INSERT_EVENT, self._marker(RESET, "null", None))
                announce(conn, self.namespace)
        return n_active

    def _marker(self, kind: str, item_id_json: str, target: int | None, annotator: str = "") -> dict[str, Any]:
        """A take-back: of event ``target`` (an undo, by the annotator whose answer it was) or of all (a reset)."""
        return {
            "session": self.namespace, "item_id": item_id_json, "kind": kind,
            "label": None if target is None else json.dumps(target), "annotator": annotator, "created_at": time.time(),
            "strategy": None, "predicted": None, "score": None, "seconds": None, "undone": False, "item_hash": None,
        }  # fmt: skip

    def _last_active(self, conn: sa.Connection, annotator: str | None) -> dict[str, Any] | None:
        """The newest label or skip (of ``annotator``) not taken back, read backwards a page at a time."""
        taken_back: set[int] = set()
        before = None
        while True:
            query = sa.select(events).where(events.c.session == self.namespace)
            if before is not None:
                query = query.where(events.c.id < before)
            page = conn.execute(query.order_by(events.c.id.desc()).limit(64)).mappings().all()
            for row in page:
                if row["kind"] == RESET:
                    return None
                if row["kind"] == UNDO:
                    taken_back.add(json.loads(row["label"]))
                elif (
                    row["kind"] in ("label", "skip")  # an adjudicator's final label is not an annotator's to undo
                    and not row["undone"]
                    and row["id"] not in taken_back
                    and annotator in (None, row["annotator"])
                ):
                    return dict(row)
            if len(page) < 64:
                return None
            before = page[-1]["id"]

    # ---------------------------------------------------------------- state
    def save_state(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` for this session, replacing what was there (committed on return).

        >>> store = LabelStore(":memory:")
        >>> store.save_state("stream/1", b"model")
        >>> store.save_state("stream/1", b"model v2")
        >>> store.load_state("stream/1"), store.state_keys("stream/")
        (b'model v2', ['stream/1'])
        >>> store.delete_state("stream/"); store.load_state("stream/1") is None
        True
        """
        row = {"session": self.namespace, "key": key, "value": bytes(value), "created_at": time.time()}
        where = (states.c.session == self.namespace) & (states.c.key == key)
        with self._engine.begin() as conn:
            if conn.execute(sa.select(states.c.key).where(where)).first() is None:
                conn.execute(states.insert().values(**row))
            else:
                conn.execute(states.update().where(where).values(value=row["value"], created_at=row["created_at"]))

    def load_state(self, key: str) -> bytes | None:
        """The value saved under ``key``, or None."""
        query = sa.select(states.c.value).where(states.c.session == self.namespace, states.c.key == key)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else bytes(row[0])

    def state_keys(self, prefix: str = "") -> list[str]:
        """The saved keys that start with ``prefix``, sorted."""
        mine = (states.c.session == self.namespace) & states.c.key.startswith(prefix, autoescape=True)
        query = sa.select(states.c.key).where(mine)
        with self._engine.connect() as conn:
            return sorted(row[0] for row in conn.execute(query))

    def delete_state(self, prefix: str) -> None:
        """Delete every saved key that starts with ``prefix``."""
        with self._engine.begin() as conn:
            mine = (states.c.session == self.namespace) & states.c.key.startswith(prefix, autoescape=True)
            conn.execute(states.delete().where(mine))

    # -------------------------------------------------------------- reading
    def events(self, include_undone: bool = False) -> list[LabelRecord]:
        """The session's labels, skips and final labels in order (with the taken-back ones: ``undone``)."""
        return self.read_log(include_undone)[0]

    def read_log(self, include_undone: bool = False) -> tuple[list[LabelRecord], list[int]]:
        """:meth:`events`, and the ids of every event read (undos and resets too, in order): where the log
        stood, for a reader that goes on from there with :meth:`changes_since`."""
        query = sa.select(events).where(events.c.session == self.namespace).order_by(events.c.id)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return _fold(rows, include_undone), [r["id"] for r in rows]

    def events_about(self, item_ids: Sequence[Hashable], conn: sa.Connection | None = None) -> list[LabelRecord]:
        """The active events about these items only (what a lease needs: not the whole log).

        ``conn``: read in that connection's transaction (a claim reads under its lock).
        """
        dialect = self._engine.dialect.name
        about = one_of(events.c.item_id, [_to_json(i, "item_id") for i in item_ids], dialect) | (events.c.kind == RESET)
        query = sa.select(events).where(events.c.session == self.namespace, about).order_by(events.c.id)
        if conn is not None:
            return _fold(conn.execute(query).mappings().all(), False)
        with self._engine.connect() as own:
            return _fold(own.execute(query).mappings().all(), False)

    def changes_since(
        self, after: int, known: Set[int] = frozenset()
    ) -> tuple[list[LabelRecord], list[LabelRecord], int]:
        """What was added after event ``after`` (a team member's labels): the new labels, skips and final
        labels, the events that took earlier ones back (``undo``, with the annotator whose answer it took
        back, and ``reset``), and the newest event's id.

        Events whose ids are in ``known`` are left out, and only their ids are read: a caller that looks
        again at a window of recent events (on PostgreSQL an event can commit after a newer one) pays
        for the events it has not seen, not for the window.
        """
        in_session = (events.c.session == self.namespace) & (events.c.id > after)
        with reading_connection(self._engine) as conn:
            ids = conn.execute(sa.select(events.c.id).where(in_session).order_by(events.c.id)).scalars().all()
            fresh = [i for i in ids if i not in known]
            query = sa.select(events).where(one_of(events.c.id, fresh, conn.dialect.name)).order_by(events.c.id)
            rows = conn.execute(query).mappings().all() if fresh else []
        new = [_record(dict(r)) for r in rows if r["kind"] not in (UNDO, RESET)]
        markers = [_record(dict(r)) for r in rows if r["kind"] in (UNDO, RESET)]
        return new, markers, ids[-1] if ids else after

    def labels(self) -> dict[Hashable, Any]:
        """The current label of every labeled item (its latest label that was not undone)."""
        return {r.item_id: r.label for r in self.events() if r.kind == "label"}

    def skipped(self) -> set[Hashable]:
        """Items skipped and not labeled since."""
        latest: dict[Hashable, str] = {}
        for r in self.events():
            latest[r.item_id] = r.kind
        return {item for item, kind in latest.items() if kind == "skip"}

    def __len__(self) -> int:
        return len(self.labels())

    def __iter__(self) -> Iterator[LabelRecord]:
        return iter(self.events())

    # --------------------------------------------------------------- export
    def to_dataframe(self, include_undone: bool = False):
        """Every event as a pandas DataFrame, one row per event.

        ``created_at`` is a UTC timestamp; ``label`` and ``predicted`` keep
        their values as given (an integer label stays an integer beside a
        skip's ``None``, not a float beside ``NaN``).
        """
        import pandas as pd

        columns = [f.name for f in LabelRecord.__dataclass_fields__.values()]
        events = self.events(include_undone)
        df = pd.DataFrame([asdict(r) for r in events], columns=columns)
        for name in ("label", "predicted"):
            df[name] = pd.Series([getattr(r, name) for r in events], index=df.index, dtype=object)
        df["created_at"] = pd.to_datetime(df["created_at"], unit="s", utc=True)
        return df

    def to_csv(self, path: str | os.PathLike[str], include_undone: bool = False) -> None:
        self.to_dataframe(include_undone).to_csv(path, index=False)

    def to_json(self, path: str | os.PathLike[str], include_undone: bool = False) -> None:
        Path(path).write_text(json.dumps([asdict(r) for r in self.events(include_undone)], indent=1))

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> LabelStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LabelStore({self.url!r}, namespace={self.namespace!r})"


def answers_by_annotator(records: Sequence[LabelRecord]) -> dict[Hashable, dict[str, Any]]:
    """{item: {annotator: their current label}} from active events (a relabel replaces; skips do not count)."""
    out: dict[Hashable, dict[str, Any]] = {}
    for r in records:
        if r.kind == "label":
            out.setdefault(r.item_id, {})[r.annotator] = r.label
    return out


def _to_json(value: Any, what: str) -> str:
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        value = value.item()
    try:
        return json.dumps(value)
    except TypeError:
        raise ValueError(f"LabelStore: {what} must be a string, number or bool (JSON), got {value!r}") from None


def _fold(rows: Sequence[Any], include_undone: bool) -> list[LabelRecord]:
    """Labels, skips and final labels from log rows, each marked ``undone`` when an undo or a reset took it
    back, and a label ``replaced`` when the same annotator labeled the item again later (not taken back)."""
    taken_back = {json.loads(r["label"]) for r in rows if r["kind"] == UNDO}
    reset = max((r["id"] for r in rows if r["kind"] == RESET), default=0)
    out = []
    latest: dict[tuple[tuple[str, str | None], str], int] = {}  # (item, annotator) -> their newest label's place
    for row in rows:
        if row["kind"] in (UNDO, RESET):
            continue
        undone = bool(row["undone"]) or row["id"] in taken_back or row["id"] < reset
        if include_undone or not undone:
            out.append(_record({**row, "undone": undone}))
            if row["kind"] == "label" and not undone:
                item = (row["item_id"], row.get("item_hash"))  # the item: other content at its id is another
                earlier = latest.get((item, row["annotator"]))
                if earlier is not None:
                    out[earlier] = replace(out[earlier], replaced=True)
                latest[(item, row["annotator"])] = len(out) - 1
    return out


def _record(row: dict[str, Any]) -> LabelRecord:
    decoded = {k: row.get(k) for k in LabelRecord.__dataclass_fields__ if k != "replaced"}
    for key in ("item_id", "label", "predicted"):
        if decoded[key] is not None:
            decoded[key] = json.loads(decoded[key])
    decoded["item_id"] = as_item_id(decoded["item_id"])
    decoded["undone"] = bool(decoded["undone"])
    return LabelRecord(**decoded)


def namespace_of(namespace: str | None, session: str | None, where: str, *, default: str = "default") -> str:
    """The namespace given by its name or its older one (``session``), not both; ``default`` when neither."""
    if namespace is not None and session is not None and namespace != session:
        raise ValueError(f"{where}: give namespace= (or its older name session=), not both")
    return namespace if namespace is not None else session if session is not None else default

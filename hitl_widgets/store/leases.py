"""Leases: which annotator of a team has which item on screen, kept by the database.

An item shown to one annotator is leased to them: nobody else is given it
while the lease lasts. A lease ends when its holder answers the item (a label
or a skip in the log), gives it back, or lets it run out (a kernel killed, a
laptop closed: the items come back by themselves). A share ``overlap`` of the
items (the same share for everyone, chosen by a hash of the item's id) goes to
two annotators, for agreement, and never twice to the same one; with ``unsure``
so does every item the model was less sure of than that when it was shown
to the first annotator (the confidence their label recorded).

The table is append-only like the label log (a lease and its release are two
rows), so an annotator's database role needs only INSERT and SELECT. On
PostgreSQL, claims are serialised by a transaction-level advisory lock per
labeling session (released at commit, or when a connection dies); SQLite,
for one person, needs none.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Hashable, Sequence
from typing import Any

import sqlalchemy as sa

from .engine import create_tables, one_of
from .label_store import LabelStore, answers_by_annotator

_metadata = sa.MetaData()
leases = sa.Table(
    "hitl_leases",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", sa.String(200), nullable=False, index=True),
    sa.Column("item_id", sa.Text, nullable=False, index=True),  # JSON, as in the label log
    sa.Column("annotator", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # "lease" or "release"
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float),
)
_INSERT = leases.insert()
# A lease is not a label: one lost in a server crash only means its item may be shown to someone else, so
# this transaction does not wait for its commit to reach the disk (the others see the lease at commit all the
# same). Labels keep waiting for the disk: an acknowledged label is never lost.
_CLAIM_LOCK = sa.text("SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(:key)")
RELEASE_WINDOW = 86_400.0  # seconds a release is looked at (it ends leases taken before it; none lasts a day)


def in_overlap(item_id: Hashable, share: float) -> bool:
    """Whether ``item_id`` is one of the ``share`` of items that two annotators label (the same answer
    in every process: a hash of the id, not a random draw).

    >>> sum(in_overlap(i, 0.1) for i in range(10_000))
    1029
    """
    digest = hashlib.blake2b(json.dumps(item_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < share


def first_confidence(records: Sequence[Any]) -> dict[Hashable, float | None]:
    """{item: the model's confidence when its first (active) label was given}, from events in order."""
    out: dict[Hashable, float | None] = {}
    for r in records:
        if r.kind == "label":
            out.setdefault(r.item_id, r.score)
    return out


class LeaseBook:
    """The leases of one labeling session (the store's ``session``), for an annotator.

    Examples
    --------
    >>> store = LabelStore(":memory:", namespace="team")
    >>> ana, bo = LeaseBook(store, "ana"), LeaseBook(store, "bo")
    >>> ana.claim([1, 2, 3], 2), bo.claim([1, 2, 3], 2)
    ([1, 2], [3])
    >>> _ = store.record_label(1, "cat", annotator="ana"); ana.release([2])
    >>> bo.claim([1, 2, 3], 3)   # 1 is labeled; 2 came back; bo holds 3 already
    [2, 3]
    """

    def __init__(
        self, store: LabelStore, annotator: str, *, lease_seconds: float = 300.0, overlap: float = 0.0,
        unsure: float = 0.0,
    ):  # fmt: skip
        if not 0 <= overlap <= 1:
            raise ValueError(f"overlap: the share of items two annotators label must be in [0, 1], got {overlap!r}")
        if not 0 <= unsure <= 1:
            raise ValueError(
                f"unsure: the model's confidence below which an item goes to two annotators must be in [0, 1], "
                f"got {unsure!r}"
            )
        if lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be > 0, got {lease_seconds!r}")
        self.store, self.annotator = store, annotator
        self.lease_seconds, self._overlap, self._unsure = float(lease_seconds), float(overlap), float(unsure)
        self._shared: dict[tuple[type, Hashable], bool] = {}  # item -> in the overlap (a hash each, once)
        create_tables(_metadata, store.engine)

    @property
    def overlap(self) -> float:
        """The share of items two annotators label (fixed: who holds what depends on it)."""
        return self._overlap

    @property
    def unsure(self) -> float:
        """The model's confidence below which an item goes to two annotators (fixed, like ``overlap``)."""
        return self._unsure

    def wanted(self, item_id: Hashable, confidence: float | None = None) -> int:
        """How many annotators label this item: 2 in the overlap or when the model's ``confidence`` as the
        first annotator was shown it (their label's ``score``) was below ``unsure``, else 1."""
        if confidence is not None and confidence < self._unsure:
            return 2
        if not self._overlap:
            return 1
        key = (type(item_id), item_id)  # 1, 1.0 and True are one dict key but three JSON ids
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = in_overlap(item_id, self._overlap)
        return 2 if shared else 1

    def claim(self, candidates: Sequence[Hashable], k: int) -> list[Hashable]:
        """Lease up to ``k`` of ``candidates`` (best first) that this annotator may label now; returns them.

        Items this annotator holds already count among the ``k`` (a reload gets them back); an item is
        free when fewer annotators answered it or hold it than it wants, and this one never answered it.
        """
        with self.store.engine.begin() as conn:
            self._lock(conn)
            now = time.time()
            chosen = self._sort(conn, candidates, now)[0][:k]
            if chosen:
                conn.execute(_INSERT, [self._row(item, "lease", now) for item in chosen])
        return chosen

    def renew(self, items: Sequence[Hashable]) -> list[Hashable]:
        """Lease ``items`` again from now (the ones on this annotator's screen); returns the ones lost.

        An item is lost when its lease ran out and others hold or answered it
        as many times as it wants: this annotator's answer to it would be one
        more than the overlap rule asked for. Items answered here already are
        neither leased again nor lost.

        >>> store = LabelStore(":memory:", namespace="team")
        >>> ana, bo = LeaseBook(store, "ana", lease_seconds=0.01), LeaseBook(store, "bo")
        >>> ana.claim([1, 2], 2)
        [1, 2]
        >>> import time; time.sleep(0.02)   # ana's leases ran out (a frozen kernel) ...
        >>> bo.claim([2], 1)                # ... and bo was given item 2
        [2]
        >>> ana.renew([1, 2])               # ana keeps 1; 2 is bo's now
        [2]
        """
        items = list(dict.fromkeys(items))
        if not items:
            return []
        with self.store.engine.begin() as conn:
            self._lock(conn)
            now = time.time()
            free, lost = self._sort(conn, items, now)
            if free:
                conn.execute(_INSERT, [self._row(item, "lease", now) for item in free])
        return lost

    def _sort(
        self, conn: sa.Connection, items: Sequence[Hashable], now: float
    ) -> tuple[list[Hashable], list[Hashable]]:
        """``items`` (in order) this annotator may hold now, and those others hold or answered as many
        times as they want (answered here: neither). Call under :meth:`_lock`."""
        # under the lock: an answer and the release that follows it are seen together, never the release alone
        answers = self.store.events_about(items, conn=conn)
        keys = [json.dumps(item) for item in items]  # items as the tables hold them
        answered = {json.dumps(item): set(by) for item, by in answers_by_annotator(answers).items()}
        confidence = first_confidence(answers)
        holders = self._holders(conn, now, answers, about=keys)
        free: list[Hashable] = []
        taken: list[Hashable] = []
        for item, key in zip(items, keys, strict=True):
            if self.annotator in answered.get(key, set()):
                continue
            mine = self.annotator in holders.get(key, set())
            others = (holders.get(key, set()) | answered.get(key, set())) - {self.annotator}
            (free if mine or len(others) < self.wanted(item, confidence.get(item)) else taken).append(item)
        return free, taken

    def release(self, items: Sequence[Hashable]) -> None:
        """Give items back before their leases run out (closing the page, a skip)."""
        rows = [self._row(item, "release", time.time()) for item in items]
        if rows:
            with self.store.engine.begin() as conn:
                conn.execute(_INSERT, rows)

    def held(self) -> dict[Hashable, set[str]]:
        """{item: annotators holding it now}, everyone's."""
        answers = self.store.events()
        with self.store.engine.connect() as conn:
            return {json.loads(k): v for k, v in self._holders(conn, time.time(), answers).items()}

    # ------------------------------------------------------------ reading the tables
    def _lock(self, conn: sa.Connection) -> None:
        """One claim at a time: the first statement of a claim's transaction."""
        if conn.dialect.name == "sqlite":  # the write lock now, not at the INSERT after the holders were read
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        if conn.dialect.name == "postgresql":  # one claim at a time per session; freed at commit
            digest = hashlib.blake2b(self.store.namespace.encode(), digest_size=8).digest()
            conn.execute(_CLAIM_LOCK, {"key": int.from_bytes(digest, "big", signed=True)})

    def _holders(
        self, conn: sa.Connection, now: float, answers: Sequence[Any], about: list[str] | None = None
    ) -> dict[str, set[str]]:
        """{item JSON: annotators whose lease on it lasts}: not released, not answered since, not run out.

        ``about``: only these items (JSON), what a claim looks at; ``None``: every item.
        """
        recent = (leases.c.kind == "lease") & (leases.c.expires_at > now)
        releases = (leases.c.kind == "release") & (leases.c.created_at > now - RELEASE_WINDOW)
        where = [leases.c.session == self.store.namespace, recent | releases]
        if about is not None:
            where.append(one_of(leases.c.item_id, about, conn.dialect.name))
        rows = conn.execute(
            sa.select(leases.c.item_id, leases.c.annotator, leases.c.kind, leases.c.created_at)
            .where(*where)
            .order_by(leases.c.id)
        ).all()
        since: dict[tuple[str, str], float] = {}  # (item, annotator) -> when their live lease began
        for item, who, kind, created in rows:
            if kind == "lease":
                since[(item, who)] = created
            else:
                since.pop((item, who), None)
        last_answer = {(json.dumps(r.item_id), r.annotator): r.created_at for r in answers}
        out: dict[str, set[str]] = {}
        for (item, who), began in since.items():
            if last_answer.get((item, who), -1.0) < began:
                out.setdefault(item, set()).add(who)
        return out

    def _row(self, item: Hashable, kind: str, now: float) -> dict[str, Any]:
        return {
            "session": self.store.namespace, "item_id": json.dumps(item), "annotator": self.annotator, "kind": kind,
            "created_at": now, "expires_at": now + self.lease_seconds if kind == "lease" else None,
        }  # fmt: skip

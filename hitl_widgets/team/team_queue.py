"""One annotator of a team, headless: the items to label next (ranked by a model that learns everyone's
labels, leased so nobody else gets them) and the labels given.

Each annotator runs one :class:`TeamQueue` over a :class:`~hitl_widgets.Session`
on the team's store. Before ranking, :meth:`TeamQueue.sync` learns the labels
the others recorded since the last look (polling the store, about once a
second while someone labels), so the sampler ranks with everything the team
knows; the items it ranks first are then leased through
:class:`~hitl_widgets.store.leases.LeaseBook`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Sequence
from typing import Any

from ..sessions.pool.session import Session
from ..store import LabelRecord
from ..store.leases import LeaseBook

# events looked at again on every look: on PostgreSQL an event can commit after one with a higher id
LATE = 512


class TeamQueue:
    """What one annotator of a team labels next, and their labels.

    Examples
    --------
    >>> import numpy as np
    >>> from river import naive_bayes
    >>> from hitl_widgets import LabelStore
    >>> X = np.r_[np.zeros((5, 2)), np.ones((5, 2))]
    >>> store = LabelStore(":memory:", namespace="team")
    >>> make = lambda who: Session(X, naive_bayes.GaussianNB(), "margin", store, classes=["a", "b"], annotator=who)
    >>> ana, bo = TeamQueue(make("ana")), TeamQueue(make("bo"))
    >>> a, b = ana.next(2), bo.next(2)
    >>> set(a) & set(b)          # leased: never the same item at once
    set()
    >>> _ = ana.label(a[0], "a"); bo.sync()   # bo's model learns ana's label
    1
    >>> bo.session.n_labels
    1
    """

    def __init__(
        self, session: Session, *, lease_seconds: float = 300.0, overlap: float = 0.0, unsure: float = 0.0,
        poll: float = 1.0,
    ):  # fmt: skip
        self.session = session
        self.book = LeaseBook(
            session.store, session.annotator, lease_seconds=lease_seconds, overlap=overlap, unsure=unsure
        )
        self.poll = poll
        self._read_from: list[int] | None = None  # the session's read of the log this queue goes on from
        self._synced_at = -math.inf  # the first look learns what came after the session's read
        self._labelers: dict[Hashable, set[str]] = {}  # who labeled each item (kept up to date by sync)
        self._skipped: set[Hashable] = set()  # what this annotator skipped
        self._confidence: dict[Hashable, tuple[int, float | None]] = {}  # each item's first label: id, confidence
        self._open: set[Hashable] = set()  # labeled by others, fewer times than wanted, never answered here
        self._follow_reload()

    @property
    def annotator(self) -> str:
        return self.session.annotator

    def sync(self) -> int:
        """Learn the labels team members recorded since the last look; returns how many changes that was (an
        undo or a reset that took labels back counts as one: the counts and the ranking change with it)."""
        self._follow_reload()
        new, markers, newest = self.session.store.changes_since(max(0, self._seen - LATE), known=self._done)
        # this annotator's own undo was handled by their session already; anyone else's, or a reset, was not
        took_back = any(m.kind != "undo" or m.annotator != self.annotator for m in markers)
        self._done = {i for i in self._done | {r.id for r in new + markers} if i > newest - LATE}
        self._seen, self._synced_at = newest, time.monotonic()
        theirs = [r for r in new if r.annotator != self.annotator and r.kind in ("label", "final")]
        if took_back:  # someone undid or reset: what the store holds now, learned afresh
            self.session.reload()
            self._follow_reload()
            return len(theirs) + 1
        for r in new:
            self._note(r)
        if markers:
            self.reread([m.item_id for m in markers])
        pool = self.session.pool
        for r in theirs:
            row = pool.row_of(r.item_id, r.item_hash)  # their item, if it is this pool's (same content)
            if row is not None:
                self.session.label(pool.ids[row], r.label, recorded=r)
        return len(theirs)

    def next(self, k: int = 1, *, exclude: Sequence[Hashable] = (), at_random: bool = False) -> list[Hashable]:
        """Lease and return the ``k`` items this annotator should label next (fewer when the pool runs out).

        ``exclude``: items not to return (the one on screen, leased already); ``at_random``: picked
        without the model (see :meth:`Session.next <hitl_widgets.Session.next>`).
        """
        if time.monotonic() - self._synced_at >= self.poll:
            self.sync()
        items = self._claim(k, exclude, at_random)
        if len(items) < k:  # the ones ranked first went to others since the last look: look now, once more
            self.sync()
            items = self._claim(k, exclude, at_random)
        return items

    @property
    def n_mine(self) -> int:
        """How many items this annotator labeled (undone labels not counted)."""
        return sum(self.annotator in who for who in self._labelers.values())

    def answered(self, item_id: Hashable) -> bool:
        """Whether this annotator labeled or skipped ``item_id`` (not counting undone answers)."""
        return item_id in self._skipped or self.annotator in self._labelers.get(item_id, ())

    def reread(self, items: Sequence[Hashable]) -> None:
        """Read again who answered ``items`` (after an undo: a relabel taken back leaves the earlier label)."""
        for item in items:
            self._labelers.pop(item, None)
            self._skipped.discard(item)
            self._confidence.pop(item, None)
        for r in self.session.store.events_about(items):
            self._note(r)
        for item in items:
            self._recheck(item)

    def _claim(self, k: int, exclude: Sequence[Hashable], at_random: bool = False) -> list[Hashable]:
        skip = set(exclude)
        ranked = [i for i in self._ranked(4 * k + 64 + len(skip), at_random) if i not in skip]
        return self.book.claim(ranked, k)

    def label(self, item_id: Hashable, y: Hashable) -> LabelRecord:
        """Record this annotator's label (it ends their lease) and learn it."""
        record = self.session.label(item_id, y)
        self._note(record)
        self._done.add(record.id)  # known: the next look reads only its id, not the event again
        return record

    def skip(self, item_id: Hashable) -> LabelRecord:
        """Skip an item: recorded, and given back to the team (an overlap item another annotator labeled too)."""
        if self.session.label_of(item_id) is None:
            record = self.session.skip(item_id)
        else:  # labeled by a team member, waiting for this annotator's second opinion: skipped for them only
            pool = self.session.pool
            record = self.session.store.record_skip(
                item_id,
                annotator=self.annotator,
                strategy=self.session.strategy,
                item_hash=pool.item_hash(pool.index_of(item_id)),
            )
        self._skipped.add(item_id)
        self._recheck(item_id)
        self._done.add(record.id)
        self.book.release([item_id])
        return record

    def _follow_reload(self) -> None:
        """Go on from the session's latest read of the log (its load, or a reload after an undo), so that
        what that read learned is not learned again and what came after it is."""
        ids = self.session.log_ids
        if ids is not self._read_from:
            self._read_from = ids
            self._seen, self._done = _position(ids)
            self._read_log()

    def _read_log(self) -> None:
        self._labelers, self._skipped, self._confidence, self._open = {}, set(), {}, set()
        for r in self.session.store.events():
            self._note(r)

    def _note(self, r: Any) -> None:
        if r.kind == "label":
            self._labelers.setdefault(r.item_id, set()).add(r.annotator)
            first = self._confidence.get(r.item_id)
            if first is None or r.id < first[0]:  # on PostgreSQL an earlier label can commit later
                self._confidence[r.item_id] = (r.id, r.score)
        elif r.kind == "skip" and r.annotator == self.annotator:
            self._skipped.add(r.item_id)
        self._recheck(r.item_id)

    def _recheck(self, item: Hashable) -> None:
        """Keep ``item`` among the ones to reopen while others labeled it fewer times than it wants and this
        annotator never answered it (kept as events arrive: ranking does not walk every labeled item)."""
        who = self._labelers.get(item, ())
        confidence = self._confidence.get(item, (0, None))[1]
        if (
            who
            and self.annotator not in who
            and item not in self._skipped
            and len(who) < self.book.wanted(item, confidence)
        ):
            self._open.add(item)
        else:
            self._open.discard(item)

    def _ranked(self, n: int, at_random: bool = False) -> list[Hashable]:
        """The ``n`` items this annotator labels next: first the items others labeled fewer times than wanted
        and this one never answered (second opinions, the longest waiting first: left to the sampler's
        ranking, most were still waiting when a run ended), then the session's ranking of the unlabeled."""
        s = self.session
        waiting = [item for item in list(self._open) if item in s.pool]  # a copy: a label may land meanwhile
        waiting.sort(key=lambda item: self._confidence.get(item, (0, None))[0])
        first = waiting[:n]
        rest = min(n - len(first), len(s.pool) - s.n_labels)
        return first + (s.next(rest, at_random=at_random) if rest > 0 else [])

    def wanted(self, item_id: Hashable) -> int:
        """How many annotators label ``item_id``: 2 in the overlap, or when the model was unsure of it (as the
        first annotator was shown it: their label's score, or before it, the confidence it is on screen with)."""
        first = self._confidence.get(item_id)
        confidence = first[1] if first is not None else self.session.shown_confidence(item_id)
        return self.book.wanted(item_id, confidence)

    @property
    def n_waiting(self) -> int:
        """Items the team labeled fewer times than they want (an overlap item with its first answer only)."""
        return sum(0 < len(who) < self.wanted(item) for item, who in list(self._labelers.items()))


def _position(ids: Sequence[int]) -> tuple[int, set[int]]:
    """Where a reader of the log stands after reading events ``ids`` (in order): the newest id, and the
    recent ids a look back over the last ``LATE`` events must not read again."""
    newest = ids[-1] if ids else 0
    return newest, {i for i in ids if i > newest - LATE}

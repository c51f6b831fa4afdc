"""TeamLabelQueue: the pool-labeling loop of one annotator of a team, headless.

A :class:`~hitl_widgets.LabelQueue` whose items come from a
:class:`~hitl_widgets.team.TeamQueue`: the item on screen and the few ranked
after it are leased (nobody else gets them while the lease lasts; items
that drop out of the ranking are given back at once), and the model learns
the team's labels as they arrive, then ranks the upcoming items again: on
PostgreSQL as soon as a team member's write commits (``LISTEN``/``NOTIFY``),
and at least every ``poll`` seconds. While the queue is open, a thread of its
own leases what it holds again, ``RENEWALS_PER_LEASE`` times per lease, so an
item stays on one person's screen however long they look at it (and comes
back to the team a lease after their kernel dies). The labelers take one when
given ``annotator=``; a script can run the same loop with no widget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from ..sessions.pool.queue import PREFETCH, LabelQueue
from ..sessions.pool.session import Session
from ..store import LabelRecord
from ..store.notify import follow_changes
from .team_queue import TeamQueue

log = logging.getLogger(__name__)
QUIET_POLLS = 5  # a store away for this many polls in a row is reported (a blip is not)
RENEWALS_PER_LEASE = 4  # leases on screen are taken again this many times per lease: a late renewal still holds


class TeamLabelQueue(LabelQueue):
    """One annotator's queue on a team's pool: leased items, the team's labels learned as they arrive.

    Examples
    --------
    >>> import numpy as np
    >>> from river import naive_bayes
    >>> from hitl_widgets import LabelStore
    >>> X = np.r_[np.zeros((6, 2)), np.ones((6, 2))]
    >>> store = LabelStore(":memory:", namespace="team")
    >>> make = lambda who: Session(X, naive_bayes.GaussianNB(), "margin", store, classes=["a", "b"], annotator=who)
    >>> ana = TeamLabelQueue(make("ana"), prefetch=2, poll=0.05)
    >>> bo = TeamLabelQueue(make("bo"), prefetch=2, poll=0.05)
    >>> ana_sees = {ana.current, *ana.upcoming}
    >>> bo.current in ana_sees, set(bo.upcoming) & ana_sees   # leased: nobody gets another's items
    (False, set())
    >>> _ = ana.label("a"); bo.sync()                          # bo's model learns ana's label
    1
    >>> bo.session.n_labels
    1
    >>> ana.close(); bo.close()
    """

    def __init__(
        self,
        session: Session,
        *,
        lease_seconds: float = 300.0,
        overlap: float = 0.0,
        unsure: float = 0.0,
        poll: float = 1.0,
        batch_size: int = 1,
        prefetch: int = PREFETCH,
        prepare: Callable[[list[Hashable]], None] | None = None,
    ):
        self.team = TeamQueue(session, lease_seconds=lease_seconds, overlap=overlap, unsure=unsure, poll=poll)
        self._team_lock = threading.Lock()  # the team's bookkeeping: one look at the store at a time
        self._held: set[Hashable] = set()
        self._lost: set[Hashable] = set()  # items whose lease ran out and went to others while held here
        self._beyond: set[Hashable] = set()  # items this annotator answered after losing their lease
        self._renewed_at = time.monotonic()  # the last renewal (or claim) of what is held here
        self._closed = threading.Event()
        self._failed_polls = 0
        self._look_queued = threading.Event()  # a look at the team's labels waits in the worker: word that
        # comes meanwhile joins it (eight teammates labeling at once cost one look and one ranking, not eight)
        super().__init__(session, batch_size=batch_size, prefetch=prefetch, prepare=prepare)
        self._poller = threading.Thread(target=self._poll, name="hitl-team-poll", daemon=True)
        self._poller.start()
        self._renewer = threading.Thread(target=self._keep_leases, name="hitl-team-leases", daemon=True)
        self._renewer.start()

    @property
    def annotator(self) -> str:
        return self.team.annotator

    def sync(self) -> int:
        """Learn the labels the team recorded since the last look now, and re-rank (items other annotators held
        may have come back); returns how many labels were new. The view shows the team's labels once this
        returns, also those a look started by PostgreSQL's word of a change learned meanwhile."""
        with self._team_lock:
            n = self.team.sync()
        self.rerank()
        return n

    def _look(self) -> None:
        """A look at the team's labels from the poll: re-rank only if there were any, or if nothing is on
        screen (a re-ranking gives back upcoming items it no longer ranks, so it is not done for nothing)."""
        with self._team_lock:
            n = self.team.sync()
        if n or self._current is None:
            self.rerank()

    def _progress_of(self, figures: dict[str, Any]) -> dict[str, Any]:
        """The queue's counts, with who labels here, how many of the labels are theirs, how many items wait
        for a second opinion, how many of their answers came after their lease on the item was lost
        (``beyond_overlap``: one answer more than the overlap rule asked for), and whether the item on
        screen goes to two annotators (``shared_item``)."""
        current = self._current
        return {
            **super()._progress_of(figures), "annotator": self.annotator, "mine": self.team.n_mine,
            "waiting_second": self.team.n_waiting, "beyond_overlap": len(self._beyond),
            "shared_item": current is not None and self.team.wanted(current) > 1,
        }  # fmt: skip

    def renew(self) -> set[Hashable]:
        """Lease the items on screen and the few after them again now; returns the ones lost meanwhile
        (their lease ran out, say under a frozen kernel, and they went to others).

        The queue's own thread calls this ``RENEWALS_PER_LEASE`` times per lease.
        A lost item leaves the upcoming ones; one on screen stays, and a label
        given to it is kept and counted in ``progress()["beyond_overlap"]``.
        """
        with self._team_lock:
            if self._closed.is_set():
                return set()
            held = sorted((i for i in self._held if not self.team.answered(i)), key=repr)
            lost = set(self.team.book.renew(held))  # others hold or answered them: not a label that just landed
            self._lost = (self._lost - set(held)) | lost  # an item held again is not lost any more
            self._held -= lost
            self._renewed_at = time.monotonic()
            current = self._current
        if lost & set(self._upcoming):
            self._sync_later(rerank=True)
        if current in lost:
            self.error = (
                f"your lease on item {current!r} ran out and it went to another annotator; a label you give "
                "it is kept, as an answer beyond the overlap"
            )
            self._tell("error")
        return lost

    def undo(self) -> LabelRecord | None:
        """Undo this annotator's last label or skip; the item is on screen again, leased again."""
        record = super().undo()
        if record is not None:
            with self._team_lock:
                self.team.reread([record.item_id])
                if not self._closed.is_set():  # a closed queue holds nothing (its leases were given back)
                    claimed = set(self.team.book.claim([record.item_id], 1))
                    self._held |= claimed
                    self._lost -= claimed
        return record

    def close(self) -> None:
        """Stop looking at the store and give back every item this annotator holds."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._team_lock:
            self.team.book.release(sorted(self._held, key=repr))
            self._held = set()

    # --------------------------------------------------------- the loop's hooks
    def _resumed(self) -> Hashable | None:
        return None  # the leases decide what a team member sees first

    def _put_on_screen(self, item: Hashable) -> None:
        """On screen, and not kept in the store: the lease holds the item, and a restart gets what the leases
        give."""
        self.session.shown(item)

    def _pick(self, k: int, exclude: list[Hashable], *, at_random: bool = False) -> list[Hashable]:
        with self._team_lock:
            if self._closed.is_set():
                return []
            picked = self.team.next(k, exclude=exclude, at_random=at_random)
            self._lost -= set(picked)  # leased again
            # what the page may still show until this ranking replaces the upcoming items stays leased
            keep = set(picked) | set(exclude) | set(self._upcoming)
            if self._current is not None:
                keep.add(self._current)
            dropped = {i for i in self._held - keep if not self.team.answered(i)}  # an answer ended its lease
            if dropped:  # ranked out of the upcoming few: others may have them now
                self.team.book.release(sorted(dropped, key=repr))
            self._held = keep
        return picked

    def _record(
        self, answers: dict[Hashable, Hashable | None], next_item: Hashable | None, generation: int
    ) -> list[LabelRecord]:
        """Answers go through the team (its leases and the second opinions), one at a time; then on to the
        next item, and a re-ranking once the session has learned them."""
        self.session.pool.rows_of(list(answers))  # every id checked before any answer is stored
        records = []
        for item, y in answers.items():
            if y is None:
                with self._team_lock:
                    records.append(self.team.skip(item))
                continue
            if time.monotonic() - self._renewed_at > self.team.book.lease_seconds:  # a kernel that slept past
                self.renew()  # its leases (a laptop closed) looks before it answers: was the item given away?
            if item in self._lost:
                self._beyond.add(item)
            records.append(self.team.label(item, y))
        self._upcoming = [i for i in self._upcoming if i not in answers]
        if self._current in answers:
            self._advance(next_item)
        self._rerank_when_learned(generation)
        return records

    def _open_among(self, items: list[Hashable]) -> list[Hashable]:
        return [i for i in items if i != self._current and not self.team.answered(i)]

    def _poll(self) -> None:
        """As soon as PostgreSQL says the log changed, and every ``poll`` seconds anyway: the team's new labels,
        learned in the session's worker, then a re-ranking."""
        store = self.session.store
        follow_changes(store.url, store.namespace, self.team.poll, self._closed, self._sync_later)

    def _sync_later(self, rerank: bool = False) -> bool:
        if not rerank:
            if self._look_queued.is_set():  # the look already waiting reads what this word is about too
                return True
            self._look_queued.set()
        try:
            self.session.then(self.rerank if rerank else self._sync_quietly)
        except RuntimeError:  # the interpreter is shutting down: nothing left to learn for
            return False
        return True

    def _keep_leases(self) -> None:
        """Renew the leases held here until the queue closes (or the kernel dies: then they run out)."""
        every = min(max(self.team.book.lease_seconds / RENEWALS_PER_LEASE, 0.05), 60.0)
        while not self._closed.wait(every):
            try:
                self.renew()
            except Exception as exc:  # the store away: the next renewal tries again (the poll reports it)
                log.debug("renewing leases failed: %s", exc)

    def _sync_quietly(self) -> None:
        self._look_queued.clear()  # word from now on may be about a label this look does not read: a new look
        if self._closed.is_set():
            return
        try:
            self._look()
            self._failed_polls = 0
        except Exception as exc:  # the store went away: say so once it lasts, look again at the next poll
            self._failed_polls += 1
            if self._failed_polls == QUIET_POLLS:
                reason = str(exc).strip().splitlines()[0]
                self.error = f"the team's labels cannot be read ({reason}); looking again every {self.team.poll:g} s"
                self._tell("error")


def labeler_queue(
    session: Session | LabelQueue,
    *,
    batch_size: int,
    annotator: str | None = None,
    overlap: float = 0.0,
    unsure: float = 0.0,
    lease_seconds: float = 300.0,
) -> LabelQueue:
    """The queue a labeler shows: a :class:`TeamLabelQueue` when it labels as ``annotator`` of a team,
    else a :class:`~hitl_widgets.LabelQueue` (``session`` itself when it is a queue already).

    >>> import numpy as np
    >>> from river import naive_bayes
    >>> s = Session(np.zeros((4, 2)), naive_bayes.GaussianNB(), classes=["a", "b"])
    >>> labeler_queue(s, batch_size=1, overlap=0.2)
    Traceback (most recent call last):
    ...
    ValueError: overlap=0.2 shares items between annotators of a team: give annotator= too (e.g. annotator="ana")
    """
    if isinstance(session, LabelQueue):
        return session
    if not isinstance(session, Session):
        raise TypeError(f"session=: a Session or a LabelQueue, got {type(session).__name__}")
    if annotator is None:
        shared = {"overlap": overlap, "unsure": unsure}
        for name, value in shared.items():
            if value:
                raise ValueError(
                    f"{name}={value!r} shares items between annotators of a team: give annotator= too "
                    '(e.g. annotator="ana")'
                )
        return LabelQueue(session, batch_size=batch_size)
    if session.annotator != annotator:
        raise ValueError(f"annotator={annotator!r} but the session labels as {session.annotator!r}")
    return TeamLabelQueue(session, overlap=overlap, unsure=unsure, lease_seconds=lease_seconds, batch_size=batch_size)


def check_annotator(annotator: str | None) -> None:
    """A clear error for an annotator name that cannot tell team members apart.

    >>> check_annotator("  ")
    Traceback (most recent call last):
    ...
    ValueError: annotator must be a non-empty name (e.g. annotator="ana"), got '  '
    """
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        raise ValueError(f'annotator must be a non-empty name (e.g. annotator="ana"), got {annotator!r}')

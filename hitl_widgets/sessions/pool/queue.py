"""LabelQueue: the pool-labeling loop, headless: what is on screen, what comes next, answers, undo, re-ranking.

A :class:`~hitl_widgets.sessions.pool.session.Session` ranks, stores and learns; a
``LabelQueue`` over it holds the item being labeled and the ranked items
after it, takes answers (label, skip, a batch), undoes them, and re-ranks
once the model has learned, keeping only the newest ranking. A ranking that
fails (a learner that cannot predict some item) never stops the loop: the
error is reported, the last good ranking goes on, and when it is used up the
next items are picked at random until the model ranks again. Widgets
(:class:`~hitl_widgets.ImageLabeler`, :class:`~hitl_widgets.Labeler`) are
views of a queue: they render it when it says it changed, and send the
person's answers back. A script can run the same loop with no widget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields
from threading import RLock, local
from typing import Any

from ...store import LabelRecord
from ..labels import class_value
from ..loop import Loop, thin
from .screen import Snapshot
from .session import Session

log = logging.getLogger("hitl_widgets")

PREFETCH = 8  # items ranked ahead of the current one
TRAIL = 200  # answered items a view can step back through


@dataclass(frozen=True)
class QueueView(Snapshot):
    """What a view of a queue shows, read together (:meth:`LabelQueue.snapshot`): the session's
    :class:`~hitl_widgets.sessions.pool.screen.Snapshot` of the items on screen (``rows``: current first), with
    the item on screen and the ranked ones after it, the queue's progress line, and with ``full`` the curve."""

    current: Hashable | None = None
    upcoming: list[Hashable] = field(default_factory=list)
    curve: list[list[float]] | None = None


class LabelQueue(Loop):
    """The item to label now, the ranked items after it, and the answers, over a :class:`Session`.

    ``on_change(listener)`` registers ``listener(event)``, called after the
    change, outside the queue's lock (read :meth:`view` for a consistent
    current-and-upcoming pair): ``"answered"`` (a label
    or skip was stored; the model may still be learning it), ``"ranked"``
    (the model caught up and the upcoming items are ranked again),
    ``"undone"``, ``"classes"`` and ``"error"`` (see :attr:`error`: the model
    failed to learn or to rank; an answer is stored all the same).
    ``prepare(ids)``, if given, runs in the re-ranking thread on the newly
    ranked ids before ``"ranked"`` (a view encodes its images there).

    Examples
    --------
    >>> import numpy as np
    >>> from river import linear_model
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-2, 1, (50, 2)), rng.normal(2, 1, (50, 2))]
    >>> q = LabelQueue(Session(X, linear_model.LogisticRegression(), classes=[False, True]))
    >>> first = q.current
    >>> _ = q.label(bool(X[first, 0] > 0))
    >>> q.wait()
    >>> q.current != first, len(q.upcoming), q.session.n_labels
    (True, 8, 1)
    >>> q.undo().item_id == first, q.current == first
    (True, True)
    """

    def __init__(
        self,
        session: Session,
        *,
        batch_size: int = 1,
        prefetch: int = PREFETCH,
        prepare: Callable[[list[Hashable]], None] | None = None,
    ):
        super().__init__()
        self.check_batch_size(batch_size)
        self.session = session
        self.prefetch = prefetch
        self.error = ""
        self._batch_size = batch_size
        self._prepare = prepare
        self._lock = RLock()
        self._local = local()  # an answer in this thread: a re-ranking it asks for waits until it was told
        self._generation = 0  # re-rankings asked for
        self._finished = 0  # the newest re-ranking that ran (ranked or failed)
        self._fell_back = False  # an item was picked at random since the last "error" event
        self._logged = ""  # the last failure logged as a warning
        self._current: Hashable | None = None
        self._upcoming: list[Hashable] = []
        with self._lock:
            self._advance(self._resumed())
            generation = self._ask_rerank()
        self._notify_fallback()
        self._rerank_when_learned(generation)

    @classmethod
    def over(cls, session: Session | LabelQueue, *, batch_size: int = 1) -> LabelQueue:
        """``session`` itself when it is a queue already, else a new queue over it (what widgets take)."""
        return session if isinstance(session, LabelQueue) else cls(session, batch_size=batch_size)

    # ------------------------------------------------------------- reading
    @property
    def current(self) -> Hashable | None:
        """Id of the item to label now (``None`` when every item is labeled)."""
        return self._current

    @property
    def upcoming(self) -> list[Hashable]:
        """Ids ranked after the current one, best first."""
        return list(self._upcoming)

    def view(self) -> tuple[Hashable | None, list[Hashable]]:
        """``(current, upcoming)`` read together."""
        with self._lock:
            return self._current, list(self._upcoming)

    @property
    def learning(self) -> bool:
        """Whether the model is still learning the latest answers and ranking after them (a page says "learning…")."""
        return self._finished < self._generation

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, k: int) -> None:
        self.check_batch_size(k)
        self._batch_size = k
        self.rerank()

    @staticmethod
    def check_batch_size(k: Any) -> None:
        """Raise ``ValueError`` unless ``k`` is a whole number of at least 1 (items shown at once).

        >>> LabelQueue.check_batch_size(0)
        Traceback (most recent call last):
        ...
        ValueError: batch_size must be a whole number >= 1, got 0
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, got {k!r}")

    def trail(self, last: int = TRAIL) -> list[tuple[Hashable, Any]]:
        """The newest ``last`` answers, oldest first: ``(item id, label)``, ``None`` for a skip."""
        return self.session.answers(last)

    def progress(self) -> dict[str, Any]:
        """Counts for a progress line: labeled, pool, skipped, accuracy, held-out accuracy, predictions made,
        labels the model has learned, and whether it is still learning."""
        return self._progress_of(self.session.progress())

    def curve(self, heldout: bool = False) -> list[list[float]]:
        """``[n_labels, accuracy]`` after each label (held-out or prequential), thinned to a few hundred points."""
        return self._curve_of(self.session.history, heldout)

    def snapshot(self, *, full: bool = False, untrained: bool = False, heldout: bool = False) -> QueueView:
        """What a view shows, read together in one call to the session: the items on screen and their rows,
        the newest answers, the progress line, and with ``full`` the model's probabilities for the items on
        screen (``untrained``: before it has learned a label too) and the curve (``heldout``: held-out accuracy).
        """
        current, upcoming = self.view()
        on_screen = ([current] if current is not None else []) + upcoming
        s = self.session.snapshot(on_screen, trail=TRAIL, predict=full, untrained=untrained, history=full)
        seen = {f.name: getattr(s, f.name) for f in fields(Snapshot)}
        return QueueView(
            **{**seen, "progress": self._progress_of(s.progress), "history": None},
            current=current,
            upcoming=upcoming,
            curve=None if s.history is None else self._curve_of(s.history, heldout),
        )

    def _progress_of(self, figures: dict[str, Any]) -> dict[str, Any]:
        return {**figures, "learning": self.learning}

    @staticmethod
    def _curve_of(history: list[dict[str, Any]], heldout: bool) -> list[list[float]]:
        key = "heldout_accuracy" if heldout else "accuracy"
        return thin([[float(h["n_labels"]), float(h[key])] for h in history if h.get(key) is not None])

    # ------------------------------------------------------------- answers
    def label(self, y: Hashable, item: Hashable | None = None, *, next_item: Hashable | None = None) -> LabelRecord:
        """Label the current item (or ``item``: an earlier one gets a new label) and move on.

        ``next_item``: what the person sees next when it is still open (a
        page that ran ahead), else the best-ranked item.
        """
        records = self.submit({self._target(item): y}, next_item=next_item)
        return records[0]

    def submit(self, answers: Mapping[Hashable, Hashable], *, next_item: Hashable | None = None) -> list[LabelRecord]:
        """Label several items at once (a batch grid): ``{item id: label}``; all are checked before any is stored."""
        return self._answer({self._target(item): self._class_of(y) for item, y in answers.items()}, next_item)

    def skip(self, item: Hashable | None = None, *, next_item: Hashable | None = None) -> LabelRecord:
        """Skip the current item (or ``item``); it comes back when everything else is done."""
        return self._answer({self._target(item): None}, next_item)[0]

    def _answer(self, answers: dict[Hashable, Hashable | None], next_item: Hashable | None) -> list[LabelRecord]:
        """Store ``answers`` (``None``: a skip) and move on to ``next_item`` when it is still open, else the
        best-ranked open item; re-rank once the model has learned them."""
        local = self._local
        local.answering, local.deferred = True, 0
        try:
            with self._lock:
                generation = self._ask_rerank()
                try:
                    records = self._record(answers, next_item, generation)
                except BaseException:  # refused, or the store went away: it asked for no ranking after all, so
                    if self._generation == generation:  # the last answer's re-ranking is still the newest
                        self._generation -= 1
                    raise
        except BaseException:
            local.answering, deferred = False, local.deferred
            if deferred:
                self._rerank(deferred)
            raise
        local.answering, deferred = False, local.deferred  # read now: a listener may answer in turn
        self._tell("answered")
        self._notify_fallback()
        if deferred:  # no worker: the re-ranking the answer asked for runs after "answered" is told
            self._rerank(deferred)
        return records

    def _record(
        self, answers: dict[Hashable, Hashable | None], next_item: Hashable | None, generation: int
    ) -> list[LabelRecord]:
        """Under the lock: the session stores the answers, puts the next item on screen and re-ranks once it
        has learned them, in one call. The next item is chosen first (the re-ranking may start as soon as the
        lock is let go) and chosen again after the call only if it found that item answered elsewhere."""
        before = self._current, self._upcoming
        moving = self._current is not None and self._current in answers
        if moving:  # the item on screen was answered: the page's next one if open, else the best-ranked
            preferred = [next_item] if self._in_pool(next_item) else []
            show = [i for i in preferred + [i for i in self._upcoming if i != next_item] if i not in answers]
            self._current, self._upcoming = (show[0] if show else None), show[1:]
        else:  # earlier items relabeled, or a batch: the item on screen stays
            show = []
            self._upcoming = [i for i in self._upcoming if i not in answers]
        try:
            done = self.session.answer(answers, show=show, then=lambda: self._rerank_after(generation))
        except BaseException:
            self._current, self._upcoming = before  # refused, or the store went away: the screen stays as it was
            raise
        if show and self._finished < generation:  # not re-ranked yet: drop what was answered elsewhere
            self._upcoming = [i for i, ok in zip(show[1:], done.open[1:], strict=True) if ok and i != self._current]
        if moving and (self._current is None or (show and self._current == show[0] and not done.open[0])):
            self._current = None  # nothing ranked is left, or it was answered elsewhere: pick now
            self._advance(None)
        return done.records

    def _in_pool(self, item: Hashable | None) -> bool:
        try:
            return item is not None and item in self.session.pool.index
        except TypeError:  # an unhashable id is in no pool
            return False

    def undo(self) -> LabelRecord | None:
        """Undo the last label or skip: that item is current again and the model forgets the label.

        Returns the undone event, or ``None`` when there was nothing to undo.
        """
        # outside the lock: a re-ranking in the worker takes it, and the session's undo may wait for the worker
        # (a team's undo reads the store again), where a team member's label, or this undo's own notice on
        # PostgreSQL, may have queued a look at the team's labels that re-ranks
        record = self.session.undo()
        if record is None:
            return None
        with self._lock:
            if self._current is not None and self._current != record.item_id:
                self._upcoming.insert(0, self._current)
            self._upcoming = [i for i in self._upcoming if i != record.item_id]
            self._set_current(record.item_id)
            generation = self._ask_rerank()
        self._changed("undone", generation)
        return record

    def add_class(self, name: Hashable) -> None:
        """Add a label to the label set (a name with surrounding spaces is trimmed)."""
        if isinstance(name, str):
            name = name.strip()
            if not name:
                raise ValueError("a label name cannot be empty")
        if any(str(c) == str(name) for c in self.session.classes):
            raise ValueError(f"{name!r} is a label already")
        self.session.add_class(name)
        self._tell("classes")

    def set_strategy(self, name: str) -> None:
        """Rank with another strategy from now on (an unknown name raises and changes nothing)."""
        self.session.set_sampler(name)
        self.rerank()

    def refresh(self) -> None:
        """Move on if the current item was answered outside the queue (a checkpoint, a script); re-rank."""
        with self._lock:
            if self._current is not None and self.session.label_of(self._current) is not None:
                self._current = None
                self._advance(None)
            generation = self._ask_rerank()
        self._changed("answered", generation)

    # ------------------------------------------------------------ re-ranking
    def rerank(self) -> None:
        """Re-rank once the labels given so far are learned; only the newest request runs."""
        with self._lock:
            generation = self._ask_rerank()
        self._rerank_when_learned(generation)

    def wait(self) -> None:
        """Block until every label is learned and the queue is re-ranked (a failure to learn is raised here
        too; the queue itself only reports it, in :attr:`error`)."""
        self.session.wait()

    def close(self) -> None:
        """Stop: nothing to give back for one person (a team's queue gives back its leased items)."""

    def _ask_rerank(self) -> int:
        """A new re-ranking's number (under the lock): :attr:`learning` from now until it has run."""
        self._generation += 1
        return self._generation

    def _rerank_when_learned(self, generation: int) -> None:
        self.session.then(lambda: self._rerank_after(generation))

    def _rerank_after(self, generation: int) -> None:
        """The re-ranking an answer or a change asked for, once the model has learned; with no worker it would
        run inside the answer's own call: it waits until the listeners were told "answered" (the newest asked)."""
        if getattr(self._local, "answering", False):
            self._local.deferred = max(self._local.deferred, generation)
        else:
            self._rerank(generation)

    def _changed(self, event: str, generation: int) -> None:
        """After an undo or a refresh (outside the lock): tell the listeners, then re-rank."""
        self._tell(event)
        self._notify_fallback()
        self._rerank_when_learned(generation)

    def _rerank(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer answer asked for another ranking after this one
        try:
            exclude = [] if self._current is None else [self._current]
            ranked = self._pick(max(self.prefetch, 2 * self._batch_size), exclude)
            if self._prepare is not None:
                self._prepare(ranked)
        except Exception as exc:  # a worker thread has no one else to tell; the last good ranking stays
            with self._lock:
                self.error = f"re-ranking failed: {type(exc).__name__}: {exc}"
                self._finished = max(self._finished, generation)
                if self._current is None:  # nothing left on screen: go on with a random pick
                    self._advance(None)
            self._log_failure(exc)
            self._fell_back = False
            self._tell("error")
            return
        with self._lock:
            if generation != self._generation:
                return
            self._finished = generation
            self.error = self.session.learning_error
            self._upcoming = self._open_among(ranked)
            if self._current is None and self._upcoming:
                self._advance(None)
        self._tell("ranked")
        if self.error:
            self._tell("error")

    # ------------------------------------------------------------- internals
    def _class_of(self, y: Hashable) -> Hashable:
        s = self.session
        try:
            return class_value(y, s.classes, open_classes=s.open_classes)
        except ValueError as exc:
            raise ValueError(f"{exc}. Add it first with add_class({y!r}), or by typing it in a labeler") from None

    def _target(self, item: Hashable | None) -> Hashable:
        if item is not None:
            return item  # the session's answer refuses an unknown id, naming it
        if self._current is None:
            raise ValueError("every item is labeled; nothing is on screen")
        return self._current

    def _advance(self, preferred: Hashable | None) -> None:
        """The next item on screen: ``preferred`` when it is still open, else the best-ranked open one."""
        pool = self.session.pool
        candidates = ([preferred] if preferred is not None and preferred in pool else []) + self._upcoming
        open_items = self._open_among(candidates)
        if open_items:
            item = open_items[0]
            self._upcoming = [i for i in self._open_among(self._upcoming) if i != item]
        else:
            picked = self._pick_or_fall_back(1)
            item = picked[0] if picked else None
        self._set_current(item)

    def _pick_or_fall_back(self, k: int) -> list[Hashable]:
        """The model's ``k`` best items; when it cannot rank, ``k`` picked at random and the error reported
        (an answer is stored before this runs: it must not raise)."""
        try:
            return self._pick(k, [])
        except Exception as exc:
            self.error = f"ranking failed: {type(exc).__name__}: {exc}; the next items are picked at random"
            self._log_failure(exc)
            self._fell_back = True
        try:
            return self._pick(k, [], at_random=True)
        except Exception as exc:  # even a random pick failed (a team's store away): the next re-ranking fills in
            self.error += f"; picking at random failed too: {type(exc).__name__}: {exc}"
            return []

    def _log_failure(self, exc: Exception) -> None:
        """Log :attr:`error` with its traceback: a warning the first time, then (the same failure at every
        label) at debug level, so a notebook is not filled with it."""
        repeated = self.error == self._logged
        self._logged = self.error
        log.log(logging.DEBUG if repeated else logging.WARNING, "%s", self.error, exc_info=exc)

    def _notify_fallback(self) -> None:
        """Say ``"error"`` once for a random pick made under the lock since the last time."""
        if self._fell_back:
            self._fell_back = False
            self._tell("error")

    def _set_current(self, item: Hashable | None) -> None:
        self._current = item
        if item is not None:
            self._put_on_screen(item)

    def _resumed(self) -> Hashable | None:
        """The item to show first: the one on screen when this pool was last open (a restart comes back to it)."""
        return self.session.last_shown

    def _put_on_screen(self, item: Hashable) -> None:
        """The item is on screen (its time counts from now), kept in the store for a restart."""
        self.session.keep_on_screen(item)

    # the session answers for one person; a team's queue answers through its leases instead
    def _pick(self, k: int, exclude: list[Hashable], *, at_random: bool = False) -> list[Hashable]:
        """The ``k`` items to show next, best first, none of ``exclude`` (``at_random``: without the model)."""
        s = self.session
        k = min(k, len(s.pool) - s.n_labels - sum(y is None for y in s.labels_of(exclude)))
        return s.next(k, exclude=exclude, at_random=at_random) if k > 0 else []

    def _open_among(self, items: list[Hashable]) -> list[Hashable]:
        """``items`` neither on screen nor labeled, in order (one look at the answers for all of them)."""
        labels = self.session.labels_of(items)
        return [i for i, y in zip(items, labels, strict=True) if i != self._current and y is None]

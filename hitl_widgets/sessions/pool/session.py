"""The headless labeling loop: a pool, a learner, a sampler and a label store.

Widgets watch a Session and render it; everything here works in a script or a
test. Every label is committed to the store before the learner sees it, so a
reopened session rebuilds the same model by replaying the store. Undo and
relabel go back through copies of the model (:mod:`hitl_widgets.sessions.pool.learning_log`)
instead of replaying every label.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ...data import Pool
from ...learners.protocol import plain_label, pretrained_classes
from ...samplers import PoolSampler, UniformSampler
from ...samplers import get as get_sampler
from ...store import LabelRecord, LabelStore
from ..background import Background
from ..labels import check_store_labels
from .answers import Answers
from .learning import Learning
from .namespace import open_pool_store
from .ranking import RANK_SLICE, SliceRanking, pick
from .screen import Answered, Screen, Snapshot

log = logging.getLogger("hitl_widgets")


class Session:
    """Rank the pool with the current model, take labels, learn online, keep score.

    Parameters
    ----------
    pool
        A :class:`~hitl_widgets.data.Pool` or an array of feature rows.
    learner
        Any river-style classifier (``learn_one``/``predict_proba_one``).
    sampler
        A sampler name (see :func:`hitl_widgets.samplers.get`) or instance.
    store
        A :class:`LabelStore`, a SQLite path or a SQLAlchemy URL; ``None``: the
        default store, ``labels.db`` in the working folder, shared by every
        pool labeled there. A label belongs to its item's content: the same
        pool reopened (or grown) resumes the session (labels, skips, and the
        model by replay); a store given that holds another pool's labels is
        refused (:func:`~hitl_widgets.sessions.pool.namespace.open_pool_store`).
    classes
        The label set; ``None`` leaves it open (any label starts a class).
    test
        ``(X_test, y_test)`` for held-out accuracy after every label.
    background
        Learn in a worker thread so ``label`` returns as soon as the label is
        stored; ``wait()`` blocks until the model has caught up.
    fast_undo
        Keep copies of the model before recent labels, so undo and relabel
        restore one instead of replaying every label. ``False`` saves that
        copy per label where nobody goes back (the strategy explorer's panels).
    rank_slice
        In a pool of more than twice this many items, margin, entropy and least
        confidence score this many per re-rank (the next slice of a fixed random
        order) plus the best of the last re-rank, not the whole pool: a label at
        1,000,000 items then costs tens of ms, not hundreds, and an item's score is
        at most ``ceil(N / rank_slice)`` labels old. ``None``: the whole pool, always.

    Examples
    --------
    >>> import numpy as np
    >>> from river import linear_model
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-2, 1, (50, 2)), rng.normal(2, 1, (50, 2))]
    >>> truth = ["left"] * 50 + ["right"] * 50
    >>> s = Session(X, linear_model.LogisticRegression(), classes=[False, True])
    >>> for _ in range(10):
    ...     (item,) = s.next()
    ...     _ = s.label(item, truth[item] == "right")
    >>> s.n_labels, round(s.history[-1]["n_labels"])
    (10, 10)
    >>> _ = s.undo()
    >>> s.n_labels
    9
    """

    def __init__(
        self,
        pool: Pool | Any,
        learner: Any,
        sampler: str | PoolSampler = "margin",
        store: LabelStore | str | None = ":memory:",
        *,
        classes: Sequence[Hashable] | None = None,
        test: tuple[Any, Sequence[Hashable]] | None = None,
        embeddings: np.ndarray | None = None,
        annotator: str = "user",
        background: bool = False,
        fast_undo: bool = True,
        rank_slice: int | None = RANK_SLICE,
        seed: int = 0,
    ):
        self.pool = pool if isinstance(pool, Pool) else Pool.from_array(pool)
        self.sampler = get_sampler(sampler, seed=seed) if isinstance(sampler, str) else sampler
        self.strategy = sampler if isinstance(sampler, str) else type(sampler).__name__
        self.store = open_pool_store(store, self.pool)
        self.classes: list[Hashable] = [plain_label(c) for c in classes] if classes is not None else []
        self.open_classes = classes is None
        self.embeddings = self.pool.features if embeddings is None else np.asarray(embeddings, dtype=float)
        self.annotator = annotator
        self.seed = seed
        self.fast_undo = fast_undo
        self._team_labels = False  # labels a team member recorded were learned here (undo then reloads)
        self._pretrained = set(pretrained_classes(learner))  # a pretrained model ranks from the first pick
        self._cold_start = UniformSampler(seed=seed)
        self._lock = threading.RLock()  # the model and the ranking
        # the answers and their writes to the store: a label waits for another label, never for a ranking or
        # for learning (taken after _lock where both are held, never before it)
        self._answers_lock = threading.RLock()
        self._background = Background(background)
        self.rank_slice = rank_slice
        self._load_state()
        self._screen = Screen(self.pool, self.store, annotator)  # what is on screen, and what it was shown with
        self._model = Learning(
            learner, self.pool, classes=self.classes, labels_from=self._labels_from, test=test,
            copies=fast_undo, lock=self._lock,
        )  # fmt: skip
        self._model.relearn()

    # --------------------------------------------------------------- state
    def _load_state(self) -> None:
        """Labels, skips and their order from the pool's own labels and the store's events.

        An item labeled twice keeps its latest label, learned at the place of
        its first one; events about ids the pool does not hold are kept in the
        store and left out here, with one warning.
        """
        with self._lock, self._answers_lock:  # no label lands between the read and the new answers
            events, ids = self.store.read_log()
            rows = self.pool.match((e.item_id, e.item_hash) for e in events)
            if not self.open_classes:
                mine = [e for e, row in zip(events, rows, strict=True) if row is not None]
                check_store_labels(mine, self.classes, self.store.address)
            self._answers = Answers.from_log(self.pool, events, rows)
            self.log_ids = ids  # the events this load read: a team member's later ones come through changes_since
            for y in self._answers.labels.values():
                if y not in self.classes:
                    self.classes.append(y)

    @property
    def history(self) -> list[dict[str, Any]]:
        """One entry per label learned: ``n_labels``, prequential ``accuracy``, ``heldout_accuracy`` with a test set."""
        return self._model.log.history

    @property
    def learner(self) -> Any:
        """The current model."""
        return self._model.learner

    @property
    def trail(self) -> list[Hashable]:
        """Ids of the items labeled or skipped in this store, in the order they were first answered."""
        with self._answers_lock:
            return [self.pool.ids[row] for row in self._answers.trail]

    def label_of(self, item_id: Hashable) -> Any:
        """The current label of an item (``None`` when unlabeled)."""
        return self._answers.labels.get(self.pool.index_of(item_id))

    def labels_of(self, item_ids: Sequence[Hashable]) -> list[Any]:
        """The current labels of many items in one call (``None`` for each unlabeled one)."""
        rows = self.pool.rows_of(item_ids)
        with self._answers_lock:
            labels = self._answers.labels
            return [labels.get(r) for r in rows]

    def is_skipped(self, item_id: Hashable) -> bool:
        return self.pool.index_of(item_id) in self._answers.skipped

    @property
    def n_labels(self) -> int:
        return len(self._answers.labels)

    @property
    def has_test(self) -> bool:
        """Whether a held-out set was given (``history`` then holds ``heldout_accuracy``)."""
        return self._model.has_test

    @property
    def n_learned(self) -> int:
        """Labels the current model has learned (behind ``n_labels`` while the background worker catches up)."""
        return self._model.n_learned

    @property
    def skipped(self) -> list[Hashable]:
        """Ids of the items skipped and not labeled since."""
        with self._answers_lock:
            return [self.pool.ids[row] for row in self._answers.skipped]

    def answers(self, last: int | None = None) -> list[tuple[Hashable, Any]]:
        """``(item id, label)`` of the answered items in the order first answered (``None``: skipped).

        ``last`` keeps only the newest ``last`` of them. This never waits for the model to learn or rank.
        """
        with self._answers_lock:
            rows = list(self._answers.trail) if last is None else self._newest(last)
            return [(self.pool.ids[row], self._answers.labels.get(row)) for row in rows]

    def _newest(self, last: int) -> list[int]:
        """The rows of the newest ``last`` answers, oldest first, without walking the whole trail (under the
        answers' lock)."""
        return list(itertools.islice(reversed(self._answers.trail), max(last, 0)))[::-1]

    @property
    def labels(self) -> dict[Hashable, Any]:
        """{item id: label} for everything labeled (the pool's own labels included)."""
        with self._answers_lock:
            return {self.pool.ids[row]: y for row, y in self._answers.labels.items()}

    def accuracy(self) -> float | None:
        """Prequential accuracy: the prediction shown for each item vs the label it got."""
        return self._model.log.accuracy()

    def progress(self) -> dict[str, Any]:
        """The session's figures for a progress line, read together: labeled, pool, skipped, accuracy,
        held-out accuracy, predictions made, labels the model has learned (``learned``)."""
        with self._answers_lock:
            labeled, skipped = len(self._answers.labels), len(self._answers.skipped)
        log = self._model.log
        last = log.history[-1] if log.history else {}
        return {
            "labeled": labeled,
            "pool": len(self.pool.ids),
            "skipped": skipped,
            "accuracy": log.accuracy(),
            "heldout": last.get("heldout_accuracy"),
            "n_predicted": last.get("n_predicted", 0),
            "learned": log.n_learned,
        }

    # ------------------------------------------------------------- ranking
    def next(
        self,
        k: int = 1,
        *,
        exclude: Sequence[Hashable] = (),
        reopen: Sequence[Hashable] = (),
        at_random: bool = False,
    ) -> list[Hashable]:
        """The ``k`` items to label next, ranked by the sampler with the current model.

        Skipped items come back only when nothing else is left; ``exclude``
        (items already on screen, say) are never picked; ``reopen``: labeled
        items ranked again (a team's overlap item that another annotator
        labeled). Before the model knows two classes, picks are uniform.
        ``at_random``: uniform picks that never ask the model (what a
        :class:`~hitl_widgets.LabelQueue` goes on with while the model cannot rank).
        """
        with self._lock:
            rows, proba, known = self._rank(k, exclude, reopen, at_random)
            shown = proba[rows] if proba is not None else self.predict_proba(rows) if known else None
            predictions = [
                (self.classes[int(np.argmax(p))], float(np.max(p))) if known else (None, None)
                for p in (shown if known else [None] * len(rows))
            ]
            self._screen.ranked(rows, predictions)
            return [self.pool.ids[int(r)] for r in rows]

    def predict_proba(self, rows: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """(n, len(classes)) class probabilities of pool rows (all rows for ``None``)."""
        return self._model.predict_proba(rows)

    def shown(self, item_id: Hashable) -> None:
        """Note that ``item_id`` is on screen from now on (the annotator's time counts from here)."""
        self._screen.put(self.pool.index_of(item_id), self._model.predict)

    def shown_confidence(self, item_id: Hashable) -> float | None:
        """The model's confidence in its prediction for ``item_id`` as it was put on screen (what its label
        is recorded with, as ``score``); ``None`` when it was not shown, or the model could not predict yet."""
        return self._screen.confidence(self.pool.index_of(item_id))

    def keep_on_screen(self, item_id: Hashable) -> None:
        """Note that ``item_id`` is on screen from now on (as :meth:`shown`) and keep in the store that it
        is, so that this pool's session reopened after a restart shows it again (:attr:`last_shown`).

        Written in the worker, after what is being learned; of several items
        put on screen meanwhile only the last is written.
        """
        if self._screen.put(self.pool.index_of(item_id), self._model.predict):
            self._run(self._screen.keep)

    @property
    def last_shown(self) -> Hashable | None:
        """The item that was on screen when this pool's session was last open (kept in the store), if it is
        still unanswered: where a reopened labeler goes on."""
        found = self._screen.last
        if found is None or found not in self.pool or self.label_of(found) is not None:
            return None
        return found

    def set_sampler(self, sampler: str | PoolSampler) -> None:
        """Rank with another strategy from the next call of :meth:`next` on."""
        chosen = get_sampler(sampler, seed=self.seed) if isinstance(sampler, str) else sampler
        with self._lock:
            self.sampler = chosen
            self.strategy = sampler if isinstance(sampler, str) else type(sampler).__name__

    def add_class(self, y: Hashable) -> None:
        """Add a label to the label set (allowed even when the set was given)."""
        y = plain_label(y)
        with self._lock:
            if y not in self.classes:
                self.classes.append(y)

    def _seen_classes(self) -> set[Hashable]:
        with self._answers_lock:
            return self._answers.classes_seen()

    # ------------------------------------------------------------- actions
    def answer(
        self,
        answers: Mapping[Hashable, Hashable | None],
        *,
        show: Sequence[Hashable] = (),
        then: Callable[[], None] | None = None,
    ) -> Answered:
        """Record answers (``{item id: label}``, ``None`` for a skip), all checked before any is stored; put
        the first item of ``show`` that is still open on screen; learn them; run ``then`` once learned.

        What a key press asks of the session, in one call (a
        :class:`~hitl_widgets.LabelQueue` makes it): the events are committed
        before this returns; learning, keeping the item on screen in the store
        and ``then`` run in the worker when in the background. An unknown id,
        a label outside a given label set or a skip of a labeled item raises
        and stores nothing. Once stored, a model that fails to learn says so in
        :attr:`learning_error` (:meth:`wait` raises it); this never raises then.

        >>> import numpy as np
        >>> from river import linear_model
        >>> s = Session(np.arange(8.0).reshape(4, 2), linear_model.LogisticRegression(), classes=[False, True])
        >>> done = s.answer({0: True, 1: None}, show=[0, 2, 3])
        >>> [r.kind for r in done.records], done.open
        (['label', 'skip'], [False, True, True])
        >>> s.labels, s.skipped, s.n_learned
        ({0: True}, [1], 1)
        """
        return self._answer(answers, show, then)

    def label(self, item_id: Hashable, y: Hashable, *, recorded: LabelRecord | None = None) -> LabelRecord:
        """Record the label (committed before this returns), then learn it (see :meth:`answer`).

        Labeling an item again replaces its label, and the model is rebuilt
        without the old one. ``recorded``: a label a team member already put
        in this store, learned here and not written again. In the background it
        waits for no ranking and no learning, except to predict for an item that
        was never put on screen, or to add a new label to an open label set.
        """
        if y is None:
            raise ValueError(f"Session.label: no label given for item {item_id!r}")
        return self._answer({item_id: y}, (), None, recorded=recorded).records[0]

    def skip(self, item_id: Hashable) -> LabelRecord:
        """Record that the item was skipped; it comes back after everything else."""
        return self._answer({item_id: None}, (), None).records[0]

    def _answer(
        self,
        answers: Mapping[Hashable, Hashable | None],
        show: Sequence[Hashable],
        then: Callable[[], None] | None,
        *,
        recorded: LabelRecord | None = None,
    ) -> Answered:
        items = list(answers)
        if not items:
            raise ValueError("Session.answer: no answers given")
        rows = self.pool.rows_of([*items, *show])  # every id checked in one look
        rows, show_rows = rows[: len(items)], rows[len(items) :]
        given = [None if answers[i] is None else self._checked_label(i, answers[i]) for i in items]
        with self._answers_lock:
            self._refuse_skips_of_labeled(items, rows, given)
        hashes = [self.pool.item_hash(r) for r in rows]  # what each answer belongs to (an image file: read here)
        seen = [self._screen.take(r) for r in rows]
        if recorded is not None:  # what the team member was shown, as a reload from the store reads it
            seen = [(recorded.predicted, None, None)]
        else:  # a label for an item never put on screen is recorded with what the model predicts now
            seen = [
                (self._model.predict(r), None, None) if e is None and y is not None else e
                for r, y, e in zip(rows, given, seen, strict=True)
            ]
        records: list[LabelRecord] = []
        relabeled: list[int] = []
        learn, epoch = False, self._background.epoch
        try:
            with self._answers_lock:
                epoch = self._background.epoch
                self._refuse_skips_of_labeled(items, rows, given)  # again, with the writes: a label may have come
                for item, row, y, item_hash, entry in zip(items, rows, given, hashes, seen, strict=True):
                    predicted, score, shown_at = entry or (None, None, None)
                    if y is None:
                        skip = self.store.record_skip(
                            item, annotator=self.annotator, strategy=self.strategy, item_hash=item_hash
                        )
                        records.append(skip)
                        self._answers.add_skip(row)
                        continue
                    records.append(
                        recorded
                        or self.store.record_label(
                            item,
                            y,
                            annotator=self.annotator,
                            strategy=self.strategy,
                            predicted=predicted,
                            score=score,
                            seconds=None if shown_at is None else time.time() - shown_at,
                            item_hash=item_hash,
                        )
                    )
                    before, relabel = self._answers.labels.get(row), row in self._answers.labels
                    self._answers.add_label(row, y, predicted)
                    if relabel and before != y:
                        relabeled.append(row)
                    learn = learn or not relabel
                still_open = [r not in self._answers.labels for r in show_rows]
        except BaseException:  # the store went away part-way: what was stored is learned all the same
            self._background.run_each(self._learning_jobs(relabeled, learn, epoch))
            raise
        for y in given:
            if y is not None and y not in self.classes:  # an open label set's new label, before the model learns it
                self.add_class(y)
        self._team_labels = self._team_labels or recorded is not None
        jobs = self._learning_jobs(relabeled, learn, epoch)
        on_screen = next((r for r, ok in zip(show_rows, still_open, strict=True) if ok), None)
        if on_screen is not None and self._screen.put(on_screen, self._model.predict):
            jobs.append((self._screen.keep, None))
        if then is not None:
            jobs.append((then, None))
        self._background.run_each(jobs)
        return Answered(records, still_open)

    def _learning_jobs(
        self, relabeled: list[int], learn: bool, epoch: int
    ) -> list[tuple[Callable[[], Any], int | None]]:
        """The learning the stored answers ask for: the model from the first relabel's place on, or the new
        labels (a relabel's replay queued before may have learned these)."""
        if relabeled:
            aside = self._background.enabled
            first = lambda: min(self._place_of(r) for r in relabeled)  # noqa: E731  read when the job runs
            return [(self._model.job(lambda: self._model.relearn_from(first(), aside=aside)), epoch)]
        return [(self._model.job(self._model.catch_up), epoch)] if learn else []

    def _refuse_skips_of_labeled(self, items: list[Hashable], rows: list[int], given: list[Any]) -> None:
        """A skip (``None``) of a labeled item is refused, before anything is stored (under the answers' lock)."""
        for item, row, y in zip(items, rows, given, strict=True):
            if y is None and row in self._answers.labels:
                raise ValueError(f"Session.skip: item {item!r} is labeled already ({self._answers.labels[row]!r})")

    def _checked_label(self, item_id: Hashable, y: Hashable) -> Hashable:
        y = plain_label(y)
        if y is None or (isinstance(y, float) and np.isnan(y)):
            raise ValueError(f"Session.label: no label given for item {item_id!r}")
        if y not in self.classes and not self.open_classes:
            raise ValueError(f"Session.label: {y!r} is not one of the classes {self.classes}")
        return y

    def snapshot(
        self,
        items: Sequence[Hashable],
        *,
        trail: int = 0,
        predict: bool = False,
        untrained: bool = False,
        history: bool = False,
    ) -> Snapshot:
        """What a view shows, read in one call: the pool rows of ``items`` (ids this session gave out), the
        newest ``trail`` answers, the progress figures, the label set, and when asked the model's probabilities
        for ``items`` (``predict``: once it has learned a label, or at once when ``untrained`` is true, as for a
        pretrained model) and the learning history.

        >>> import numpy as np
        >>> from river import linear_model
        >>> s = Session(np.arange(8.0).reshape(4, 2), linear_model.LogisticRegression(), classes=[False, True])
        >>> _ = s.label(3, True)
        >>> view = s.snapshot([1, 2], trail=5, predict=True)
        >>> view.rows, view.trail, view.progress["labeled"], view.probs.shape
        ([1, 2], [(3, 3, True)], 1, (2, 2))
        """
        index = self.pool.index
        rows = [index[i] for i in items]
        with self._answers_lock:
            labels = self._answers.labels
            newest = [(r, self.pool.ids[r], labels.get(r)) for r in self._newest(trail)]
        progress = self.progress()
        probs, predicted = None, predict
        if predict and rows and (progress["learned"] or untrained):
            try:
                probs = self.predict_proba(rows)
            except Exception:  # a model that cannot predict these: a ranking reports it; the view keeps its bars
                predicted = False
        return Snapshot(rows, newest, progress, list(self.classes), probs, predicted, self.history if history else None)

    def undo(self) -> LabelRecord | None:
        """Undo the last label or skip; the model goes back to one that never learned that label
        (also after the model failed to learn it: see :attr:`learning_error`)."""
        self.wait(raise_error=False)
        with self._lock, self._answers_lock:
            record = self.store.undo(self.annotator, refuse=self._not_in_pool)
            if record is None:
                return None
            row = self.pool.row_of(record.item_id, record.item_hash)
            record = replace(record, item_id=self.pool.ids[row])  # where the item is now, if it moved
            if not self._team_labels:
                place = self._answers.order_of(row) if row in self._answers.labels else None
                before, after = self._answers.undo(row)
                if record.kind == "label" and before != after and place is not None:
                    self._model.relearn_from(place)
                return record
        # an item may hold others' answers too: read them back from the store, outside the lock (the reload
        # waits for the worker, where a look at the team's labels queued meanwhile may need the lock)
        self.reload()
        return record

    def _not_in_pool(self, record: LabelRecord) -> str | None:
        """Why the store's last answer is not this session's to undo (about an item not in its pool)."""
        if self.pool.row_of(record.item_id, record.item_hash) is not None:
            return None
        return (
            f"Session.undo: the last answer in the store, a {record.kind} of item {record.item_id!r}, is about an "
            "item that is not in this pool (or whose content at that id changed): nothing was undone. Open the "
            "pool with the items as they were to undo it"
        )

    def reload(self) -> None:
        """Read the store again and learn its labels afresh (a team member took one back)."""
        self.wait(raise_error=False)
        with self._lock:
            with self._answers_lock:  # a label recorded from now on is learned after this epoch began
                self._background.new_epoch()  # learning queued before now is in what is learned here
                self._load_state()
            self._model.relearn()

    def then(self, job: Any) -> None:
        """Run ``job()`` once everything learned so far is learned (in the worker when in the background)."""
        self._run(job)

    def wait(self, *, raise_error: bool = True) -> None:
        """Block until every label handed to the background worker is learned.

        A label the model failed to learn (see :attr:`learning_error`) is
        raised here, once; ``raise_error=False`` only waits.
        """
        self._background.wait(raise_error=raise_error)

    @property
    def learning_error(self) -> str:
        """Why the model failed to learn the latest labels (they stay stored); ``""`` once learning works again."""
        return self._model.error

    def close(self) -> None:
        self._background.close()

    def _run(self, job: Any, epoch: int | None = None) -> None:
        self._background.run(job, epoch)

    # ---------------------------------------------------------------- export
    def to_dataframe(self):
        """Every stored event (labels and skips) as a DataFrame."""
        return self.store.to_dataframe()

    def _labels_from(self, place: int) -> list[tuple[int, Any, Any, bool]]:
        """(row, label, prediction shown, scored) of the current labels from ``place`` of the learning order on."""
        with self._answers_lock:
            labels, predicted = self._answers.labels, self._answers.predicted
            rows = self._answers.labeled_from(place)
            return [(r, labels[r], predicted.get(r), not self.pool.came_labeled(r)) for r in rows]

    def _place_of(self, row: int) -> int:
        """The row's place in the learning order (read under the lock: the answers change meanwhile)."""
        with self._answers_lock:
            return self._answers.order_of(row)

    @property
    def rank_slice(self) -> int | None:
        """Items a re-rank scores in a very large pool (see the class's parameters); settable, ``None``: all."""
        return self._slice_size

    @rank_slice.setter
    def rank_slice(self, size: int | None) -> None:
        big = size is not None and len(self.pool) > 2 * size
        with self._lock:  # not while the worker ranks
            self._slice_size = size
            self._slices = SliceRanking(len(self.pool), size, seed=self.seed) if big else None

    def _rank(
        self, k: int, exclude: Sequence[Hashable], reopen: Sequence[Hashable], at_random: bool = False
    ) -> tuple[np.ndarray, Any, bool]:
        """The sampler's ``k`` rows, the probabilities it ranked with, and whether to predict for them
        (two classes known, and not ``at_random``: uniform picks that never ask the model)."""
        with self._answers_lock:  # what is answered now: a label may land while this ranks
            answered, skipped = list(self._answers.labels), list(self._answers.skipped)
        labeled = np.zeros(len(self.pool), dtype=bool)
        labeled[answered] = True
        labeled[[self.pool.index_of(i) for i in reopen]] = False
        labeled[[self.pool.index_of(i) for i in exclude]] = True
        n_open = int((~labeled).sum())
        if not isinstance(k, (int, np.integer)) or not 1 <= k <= n_open:
            raise ValueError(f"Session.next: k must be between 1 and {n_open} (unlabeled items), got {k!r}")
        known = [c for c in self.classes if c in self._seen_classes() or c in self._pretrained]
        if at_random:
            known = []
        rows, proba = pick(
            self.sampler if len(known) >= 2 else self._cold_start,
            k,
            labeled=labeled,
            skipped=skipped,
            predict_proba=self.predict_proba if self.classes else None,
            embeddings=self.embeddings,
            slices=self._slices,
        )
        return rows, proba, bool(known)

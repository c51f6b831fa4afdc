"""The headless labeling loop: a pool, a learner, a sampler and a label store.

Widgets watch a Session and render it; everything here works in a script or a
test. Every label is committed to the store before the learner sees it, so a
reopened session rebuilds the same model by replaying the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

from .data import Pool
from .learners.protocol import accuracy, fresh_copy, learn_row, plain_label, proba_matrix
from .samplers import PoolSampler, UniformSampler
from .samplers import get as get_sampler
from .store import LabelRecord, LabelStore


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
        A :class:`LabelStore`, a SQLite path or a SQLAlchemy URL. The same store
        reopened resumes the session: labels, skips, and the model by replay.
    classes
        The label set; ``None`` leaves it open (any label starts a class).
    test
        ``(X_test, y_test)`` for held-out accuracy after every label.
    background
        Learn in a worker thread so ``label`` returns as soon as the label is
        stored; ``wait()`` blocks until the model has caught up.

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
        store: LabelStore | str = ":memory:",
        *,
        classes: Sequence[Hashable] | None = None,
        test: tuple[Any, Sequence[Hashable]] | None = None,
        embeddings: np.ndarray | None = None,
        annotator: str = "user",
        background: bool = False,
        seed: int = 0,
    ):
        self.pool = pool if isinstance(pool, Pool) else Pool.from_array(pool)
        self.sampler = get_sampler(sampler, seed=seed) if isinstance(sampler, str) else sampler
        self.strategy = sampler if isinstance(sampler, str) else type(sampler).__name__
        self.store = store if isinstance(store, LabelStore) else LabelStore(store)
        self.classes: list[Hashable] = [plain_label(c) for c in classes] if classes is not None else []
        self.open_classes = classes is None
        self.embeddings = self.pool.features if embeddings is None else np.asarray(embeddings, dtype=float)
        self.annotator = annotator
        self._template = learner
        self._cold_start = UniformSampler(seed=seed)
        self._lock = threading.RLock()
        self._worker = ThreadPoolExecutor(max_workers=1) if background else None
        self._pending: list[Future] = []
        self._shown: dict[int, tuple[Any, float | None, float]] = {}
        if test is not None:
            self._X_test = np.asarray(test[0], dtype=float)
            self._y_test = [plain_label(y) for y in test[1]]
        else:
            self._X_test, self._y_test = None, None
        self._rebuild()

    # --------------------------------------------------------------- state
    def _rebuild(self) -> None:
        """(Re)build the model from the pool's known labels and the store, in order."""
        with self._lock:
            self.learner = fresh_copy(self._template)
            self._labels: dict[int, Any] = {}
            self._skipped: set[int] = set()
            self.history: list[dict[str, Any]] = []
            self._n_predicted = self._n_correct = 0
            for row, y in self.pool.known.items():
                self._learn(row, plain_label(y))
            for event in self.store.events():
                row = self.pool.index_of(event.item_id)
                if event.kind == "skip":
                    self._skipped.add(row)
                else:
                    self._skipped.discard(row)
                    self._apply_label(row, event.label, predicted=event.predicted)

    @property
    def n_labels(self) -> int:
        return len(self._labels)

    @property
    def labels(self) -> dict[Hashable, Any]:
        """{item id: label} for everything labeled (the pool's own labels included)."""
        return {self.pool.ids[row]: y for row, y in self._labels.items()}

    def accuracy(self) -> float | None:
        """Prequential accuracy: the prediction shown for each item vs the label it got."""
        return self._n_correct / self._n_predicted if self._n_predicted else None

    # ------------------------------------------------------------- ranking
    def next(self, k: int = 1) -> list[Hashable]:
        """The ``k`` items to label next, ranked by the sampler with the current model.

        Skipped items come back only when nothing else is left. Before the
        model knows two classes, picks are uniform.
        """
        with self._lock:
            labeled = np.zeros(len(self.pool), dtype=bool)
            labeled[list(self._labels)] = True
            n_open = int((~labeled).sum())
            if not isinstance(k, (int, np.integer)) or not 1 <= k <= n_open:
                raise ValueError(f"Session.next: k must be between 1 and {n_open} (unlabeled items), got {k!r}")
            avoid = labeled.copy()
            avoid[list(self._skipped)] = True
            if int((~avoid).sum()) < k:
                avoid = labeled
            known = [c for c in self.classes if c in self._seen_classes()]
            sampler = self.sampler if len(known) >= 2 else self._cold_start
            everywhere = _uses_proba(sampler) and bool(self.classes)
            proba = proba_matrix(self.learner, self.pool.features, self.classes) if everywhere else None
            rows = sampler.select(k, proba=proba, embeddings=self.embeddings, labeled=avoid)
            if known:  # what the model says about each shown item, kept for the store
                shown = (
                    proba[rows]
                    if proba is not None
                    else proba_matrix(self.learner, self.pool.features[rows], self.classes)
                )
            now = time.time()
            for i, row in enumerate(rows):
                predicted = self.classes[int(np.argmax(shown[i]))] if known else None
                confidence = float(np.max(shown[i])) if known else None
                self._shown[int(row)] = (predicted, confidence, now)
            return [self.pool.ids[int(r)] for r in rows]

    def _seen_classes(self) -> set[Hashable]:
        return set(self._labels.values())

    # ------------------------------------------------------------- actions
    def label(self, item_id: Hashable, y: Hashable) -> LabelRecord:
        """Record the label (committed before this returns), then learn it."""
        row = self.pool.index_of(item_id)
        y = plain_label(y)
        if y is None or (isinstance(y, float) and np.isnan(y)):
            raise ValueError(f"Session.label: no label given for item {item_id!r}")
        if y not in self.classes and not self.open_classes:
            raise ValueError(f"Session.label: {y!r} is not one of the classes {self.classes}")
        with self._lock:
            predicted, score, shown_at = self._shown.pop(row, (self._predict(row), None, None))
            record = self.store.record_label(
                item_id,
                y,
                annotator=self.annotator,
                strategy=self.strategy,
                predicted=predicted,
                score=score,
                seconds=None if shown_at is None else time.time() - shown_at,
            )
            self._skipped.discard(row)
        if self._worker is None:
            self._apply_label(row, y, predicted)
        else:
            self._pending.append(self._worker.submit(self._apply_label, row, y, predicted))
        return record

    def skip(self, item_id: Hashable) -> LabelRecord:
        """Record that the item was skipped; it comes back after everything else."""
        row = self.pool.index_of(item_id)
        with self._lock:
            self._shown.pop(row, None)
            self._skipped.add(row)
            return self.store.record_skip(item_id, annotator=self.annotator, strategy=self.strategy)

    def undo(self) -> LabelRecord | None:
        """Undo the last label or skip; the model is rolled back by replaying the store."""
        self.wait()
        with self._lock:
            record = self.store.undo()
            if record is not None:
                self._rebuild()
            return record

    def wait(self) -> None:
        """Block until every label handed to the background worker is learned."""
        for future in self._pending:
            future.result()
        self._pending.clear()

    def close(self) -> None:
        self.wait()
        if self._worker is not None:
            self._worker.shutdown()

    # ------------------------------------------------------------ learning
    def _predict(self, row: int) -> Any:
        if len(self._seen_classes()) == 0:
            return None
        p = proba_matrix(self.learner, self.pool.features[row : row + 1], self.classes)
        return self.classes[int(np.argmax(p[0]))]

    def _apply_label(self, row: int, y: Any, predicted: Any) -> None:
        with self._lock:
            if y not in self.classes:
                self.classes.append(y)
            if predicted is not None:
                self._n_predicted += 1
                self._n_correct += predicted == y
            self._learn(row, y)
            entry = {"n_labels": len(self._labels), "accuracy": self.accuracy(), "n_predicted": self._n_predicted}
            if self._X_test is not None:
                entry["heldout_accuracy"] = accuracy(self.learner, self._X_test, self._y_test, self.classes)
            self.history.append(entry)

    def _learn(self, row: int, y: Any) -> None:
        if y not in self.classes:
            self.classes.append(y)
        x = self.pool.features[row]
        learn_row(self.learner, x, y)
        self._labels[row] = y

    # ---------------------------------------------------------------- export
    def to_dataframe(self):
        """Every stored event (labels and skips) as a DataFrame."""
        return self.store.to_dataframe()


def _uses_proba(sampler: PoolSampler) -> bool:
    """Whether a sampler (or any sampler inside a mixture or bandit) ranks by class probabilities."""
    children = getattr(sampler, "samplers", {})
    return "proba" in sampler.needs or any(_uses_proba(c) for c in children.values())

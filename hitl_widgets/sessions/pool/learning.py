"""A pool session's model: learned from the answers in their order, rebuilt from a copy on undo and relabel.

:class:`Learning` owns the model and its log (:class:`~hitl_widgets.sessions.pool.learning_log.LearningLog`:
the copies an undo goes back to, the history), learns what the session's answers say it has not learned yet,
and predicts. A learner that fails to learn is said in :attr:`Learning.error`, never raised by the answer
that stored the label (the worker's :meth:`~hitl_widgets.sessions.background.Background.wait` raises it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from ...data import Pool
from ...learners.protocol import accuracy, proba_matrix
from .inputs import held_out_rows, learner_rows, take_rows
from .learning_log import LearningLog

log = logging.getLogger("hitl_widgets")

#: (row, label, prediction shown, scored) of each label to learn, in the learning order
Todo = list[tuple[int, Any, Any, bool]]


class Learning:
    """The model of a pool session and how it learns.

    ``labels_from(place)`` gives the current labels from ``place`` of the
    learning order on (the session reads its answers); ``classes`` is the
    session's label set, the same list; ``lock`` the session's model lock,
    which ranking takes too.

    >>> import numpy as np
    >>> from river import linear_model
    >>> from hitl_widgets.data import Pool
    >>> labels = {0: False, 3: True}
    >>> todo = lambda place: [(r, y, None, True) for r, y in list(labels.items())[place:]]
    >>> m = Learning(linear_model.LogisticRegression(), Pool.from_array(np.arange(8.0).reshape(4, 2)),
    ...              classes=[False, True], labels_from=todo)
    >>> m.relearn(); m.n_learned, m.predict(3) is True
    (2, True)
    """

    def __init__(
        self,
        template: Any,
        pool: Pool,
        *,
        classes: list[Hashable],
        labels_from: Callable[[int], Todo],
        test: tuple[Any, Sequence[Hashable]] | None = None,
        copies: bool = True,
        lock: threading.RLock | None = None,
    ):
        self.template = template
        self.pool = pool
        self.classes = classes
        self.copies = copies
        self.lock = lock or threading.RLock()
        self.error = ""  # why the model failed to learn the latest labels; "" once it learns again
        self._labels_from = labels_from
        self._features = learner_rows(pool, template)
        self._X_test, self._y_test = held_out_rows(pool, test)
        self.log = LearningLog(template, copies=copies)

    @property
    def has_test(self) -> bool:
        return self._X_test is not None

    @property
    def learner(self) -> Any:
        return self.log.learner

    @property
    def n_learned(self) -> int:
        return self.log.n_learned

    def predict_proba(self, rows: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """(n, len(classes)) class probabilities of pool rows (all rows for ``None``)."""
        with self.lock:
            X = self._features if rows is None else take_rows(self._features, rows)
            return proba_matrix(self.learner, X, self.classes)

    def predict(self, row: int) -> Any:
        """The class a label is recorded with as the model's prediction; ``None`` when it cannot make one (a
        ranking reports that failure: a label is stored without the prediction, not refused)."""
        if not self.n_learned:
            return None
        try:
            p = self.predict_proba([row])
        except Exception:
            return None
        return self.classes[int(np.argmax(p[0]))]

    def job(self, learn: Callable[[], Any]) -> Callable[[], None]:
        """``learn`` as a job for the worker (or now): a failure is kept in :attr:`error` and raised again for
        the worker to keep (a learner that fails fails at every label: it is logged as a warning once)."""

        def run() -> None:
            try:
                learn()
            except Exception as exc:
                error = f"learning failed: {type(exc).__name__}: {exc}"
                repeated = error == self.error
                self.error = error
                log.log(logging.DEBUG if repeated else logging.WARNING, "%s", error, exc_info=exc)
                raise
            self.error = ""

        return run

    def relearn(self) -> None:
        """A fresh model that learns every current label again, in order (a new process does this)."""
        with self.lock:
            self.log = LearningLog(self.template, copies=self.copies)
            self.catch_up()

    def catch_up(self) -> None:
        """Learn the labels given since the model last learned."""
        with self.lock:
            self._learn_into(self.log, self._labels_from(self.log.n_learned))

    def relearn_from(self, index: int, *, aside: bool = False) -> None:
        """The model as if the labels from place ``index`` on had always been what they are now.

        ``aside`` (the worker does this): the labels after the copy it goes back
        to are learned again on a branch of the log, outside the lock, so
        labeling and ranking go on with the current model meanwhile; the branch
        then takes its place (labels given meanwhile are learned by their own
        jobs, queued after this one).
        """
        with self.lock:
            if not aside:
                if self.log.rewind(index):
                    self.catch_up()
                else:
                    self.relearn()
                return
            branch = self.log.branch(index) or LearningLog(self.template, copies=self.copies)
            todo = self._labels_from(branch.n_learned)
        self._learn_into(branch, todo)
        with self.lock:
            self.log = branch

    def _learn_into(self, log: LearningLog, todo: Todo) -> None:
        heldout = None
        if self._X_test is not None:
            X_test, y_test = self._X_test, self._y_test
            heldout = lambda learner: accuracy(learner, X_test, y_test, self.classes)  # noqa: E731
        until = log.n_learned + len(todo)
        pool = self.pool
        for row, y, predicted, scored in todo:
            x = pool.inputs[row] if pool.inputs is not None else pool.features[row]
            log.learn(row, x, y, predicted, record=scored, heldout=heldout, until=until)

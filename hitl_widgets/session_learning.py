"""How a :class:`~hitl_widgets.Session` keeps its model in step with the answers.

The answers (labels in the order first given) are the truth; the model is
what a fresh learner becomes by learning them in that order. A new label is
learned by a catch-up (whatever the model has not learned yet), so a label
learned already by a relabel's replay is not learned twice. A changed label
sends the model back to a copy taken before it (:class:`LearningLog`) and
learns the labels after it again; in the background worker that replay runs
on a branch of the log, outside the session's lock.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from .answers import Answers
from .data import Pool
from .learners.protocol import accuracy
from .learning_log import LearningLog


class KeepsModelInStep:
    """Mixin of :class:`~hitl_widgets.Session`: learning, relearning and catching up."""

    # provided by Session
    pool: Pool
    classes: list[Any]
    fast_undo: bool
    _answers: Answers
    _log: LearningLog
    _lock: threading.RLock
    _answers_lock: threading.RLock
    _template: Any
    _X_test: np.ndarray | None
    _y_test: list[Any] | None

    def _relearn(self) -> None:
        """A fresh model that learns every current label again, in order (a new process does this)."""
        with self._lock:
            self._log = LearningLog(self._template, copies=self.fast_undo)
            self._catch_up()

    def _catch_up(self) -> None:
        """Learn the labels given since the model last learned."""
        with self._lock:
            self._learn_into(self._log, self._labels_from(self._log.n_learned))

    def _relearn_from(self, index: int, *, aside: bool = False) -> None:
        """The model as if the labels from place ``index`` on had always been what they are now.

        ``aside`` (the worker does this): the labels after the copy it goes back
        to are learned again on a branch of the log, outside the session's lock,
        so labeling and ranking go on with the current model meanwhile; the
        branch then takes its place (labels given meanwhile are learned by their
        own jobs, queued after this one).
        """
        with self._lock:
            if not aside:
                if self._log.rewind(index):
                    self._catch_up()
                else:
                    self._relearn()
                return
            branch = self._log.branch(index) or LearningLog(self._template, copies=self.fast_undo)
            todo = self._labels_from(branch.n_learned)
        self._learn_into(branch, todo)
        with self._lock:
            self._log = branch

    def _labels_from(self, place: int) -> list[tuple[int, Any, Any, bool]]:
        """(row, label, prediction shown, scored) of the current labels from ``place`` of the learning order on."""
        with self._answers_lock:
            labels, predicted = self._answers.labels, self._answers.predicted
            rows = self._answers.labeled_from(place)
            return [(r, labels[r], predicted.get(r), not self.pool.came_labeled(r)) for r in rows]

    def _learn_into(self, log: LearningLog, todo: list[tuple[int, Any, Any, bool]]) -> None:
        heldout = None
        if self._X_test is not None:
            X_test, y_test = self._X_test, self._y_test
            heldout = lambda learner: accuracy(learner, X_test, y_test, self.classes)  # noqa: E731
        until = log.n_learned + len(todo)
        for row, y, predicted, scored in todo:
            log.learn(row, self._learner_input(row), y, predicted, record=scored, heldout=heldout, until=until)

    def _place_of(self, row: int) -> int:
        """The row's place in the learning order (read under the lock: the answers change meanwhile)."""
        with self._answers_lock:
            return self._answers.order_of(row)

    def _learner_input(self, row: int) -> Any:
        return self.pool.inputs[row] if self.pool.inputs is not None else self.pool.features[row]

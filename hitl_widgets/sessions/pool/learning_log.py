"""The labels a model learned, in order, with copies of the model taken before recent ones.

Undo and relabel change a label the model has already learned. Replaying
every label from a fresh model (what a new process does) costs time in
proportion to all labels: 5.8 s at 3,000 labels for a torch head. Instead,
:class:`LearningLog` copies the learner before each of the last ``DENSE``
labels and before every ``SPARSE``-th label up to ``FAR`` back: an undo
restores the copy taken before the last label (the model is then exactly one
that never saw it), and a relabel ``d`` labels back restores the nearest copy
at or before it and learns the ``d`` or so labels after it again. The cost
depends on how far back the change is, not on how many labels there are.
While labels are learned again, only the copies that will still be kept when
the replay ends are taken (a copy of a river model costs several times the
learning step).

A learner with ``snapshot()`` and ``restore(state)`` (like
:class:`~hitl_widgets.TorchClassifier`) copies only what learning changes,
cheaply, and keeps ``DENSE`` recent copies; any other (river models) is
deep-copied and keeps ``DENSE_DEEPCOPY`` (a relabel there restores a copy up
to ``SPARSE - 1`` labels earlier and learns those again: cheaper than copying).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...learners.protocol import fresh_copy, learn_row
from ..prequential import Prequential

DENSE = 64  # a copy before each of the last DENSE labels, for a learner with a cheap snapshot()
DENSE_DEEPCOPY = 4  # the same for a learner that is deep-copied (several times the cost of learning a label)
SPARSE = 16  # and before every SPARSE-th label up to FAR back (a relabel learns at most SPARSE - 1 extra)
FAR = 1024


def keeps_copy(position: int, n_learned: int, dense: int = DENSE) -> bool:
    """Whether the copy taken before label ``position`` is kept once ``n_learned`` labels are learned.

    >>> [p for p in range(40) if keeps_copy(p, 40, dense=4)]
    [0, 16, 32, 36, 37, 38, 39]
    """
    back = n_learned - position
    return back <= dense or (position % SPARSE == 0 and back <= FAR)


@dataclass
class Saved:
    """The learner and the bookkeeping before one label was learned."""

    learner: Any
    n_history: int


class LearningLog:
    """A model, the rows it learned in order, prequential counts, and copies of it for going back.

    Examples
    --------
    >>> from river import linear_model
    >>> log = LearningLog(linear_model.LogisticRegression())
    >>> for i, (x, y) in enumerate([({"a": 1.0}, True), ({"a": -1.0}, False), ({"a": 2.0}, True)]):
    ...     log.learn(i, x, y, predicted=None)
    >>> log.rewind(2)  # back to before the third label
    True
    >>> log.rows, log.n_learned
    ([0, 1], 2)
    """

    def __init__(self, template: Any, *, copies: bool = True):
        self.template = template
        self.copies = copies  # False: no copies (every undo replays from a fresh model)
        self.learner = fresh_copy(template)
        self.rows: list[int] = []
        self.history: list[dict[str, Any]] = []
        self.prequential = Prequential()  # the prediction shown with each label against the label
        self._scored: list[tuple[Any, Any] | None] = []  # per learned row: (label, prediction) when scored
        self._saved: dict[int, Saved] = {}
        self.dense = DENSE if _knows_snapshots(self.learner) else DENSE_DEEPCOPY

    @property
    def n_learned(self) -> int:
        return len(self.rows)

    @property
    def n_predicted(self) -> int:
        """Labels that came with a prediction shown (they count in the prequential accuracy)."""
        return self.prequential.n

    def accuracy(self) -> float | None:
        """Prequential accuracy: the prediction shown with each label against the label."""
        return self.prequential.value

    def learn(
        self,
        row: int,
        x: Any,
        y: Any,
        predicted: Any,
        *,
        record: bool = True,
        heldout: Callable[[Any], float] | None = None,
        until: int | None = None,
    ) -> None:
        """Copy the learner (for going back), learn ``(x, y)``, and add the label's history entry.

        ``until``: how many labels will be learned once the replay this label
        is part of ends; a copy that would be dropped by then is not taken.
        """
        position = len(self.rows)
        if self.copies and keeps_copy(position, max(until or 0, position + 1), self.dense):
            self._saved[position] = Saved(_snapshot(self.learner), len(self.history))
        learn_row(self.learner, x, y)
        self.rows.append(row)
        self._forget_far()
        scored = record and predicted is not None
        self._scored.append((y, predicted) if scored else None)
        if not record:  # a label the pool came with: learned, not scored
            return
        if scored:
            self.prequential.score(y, predicted)
        entry = {"n_labels": len(self.rows), "accuracy": self.accuracy(), "n_predicted": self.n_predicted}
        if heldout is not None:
            entry["heldout_accuracy"] = heldout(self.learner)
        self.history.append(entry)

    def branch(self, index: int) -> LearningLog | None:
        """A copy of this log gone back to the nearest copy at or before ``index``; this log is unchanged.

        The labels after that copy can then be learned again on the branch
        while this log's model goes on serving predictions. ``None`` when no
        copy is that far back.

        >>> from river import linear_model
        >>> log = LearningLog(linear_model.LogisticRegression())
        >>> for i, x in enumerate([1.0, -1.0, 2.0]):
        ...     log.learn(i, {"a": x}, x > 0, predicted=None)
        >>> other = log.branch(1)
        >>> other.rows, log.rows
        ([0], [0, 1, 2])
        """
        if not any(i <= index for i in self._saved):
            return None
        other = copy.copy(self)
        if _knows_snapshots(self.learner):
            other.learner = copy.deepcopy(self.learner)  # the branch restores its own in place
        other.rewind(index, shared=True)
        return other

    def __copy__(self) -> LearningLog:
        """A log that learns and rewinds on its own; the model and its saved copies are shared."""
        other = LearningLog.__new__(LearningLog)
        vars(other).update(vars(self))
        vars(other).update(
            rows=list(self.rows),
            history=list(self.history),
            prequential=copy.deepcopy(self.prequential),
            _scored=list(self._scored),
            _saved=dict(self._saved),
        )
        return other

    def rewind(self, index: int, *, shared: bool = False) -> bool:
        """Go back to before the label at ``index`` was learned, or the nearest copy before it.

        Returns False (and changes nothing) when no copy is that far back;
        :attr:`rows` then ends where the restored copy was taken, and the
        caller learns the labels after it again. ``shared``: another log holds
        the same saved copies, so a deep-copied model is copied again, not taken.
        """
        kept = [i for i in self._saved if i <= index]
        if not kept:
            return False
        at = max(kept)
        saved = self._saved[at]
        self.learner = _restore(self.learner, saved.learner, shared)
        for pair in reversed(self._scored[at:]):
            if pair is not None:
                self.prequential.unscore(*pair)
        del self._scored[at:]
        del self.history[saved.n_history :]
        del self.rows[at:]
        for i in [i for i in self._saved if i >= at]:
            del self._saved[i]
        return True

    def _forget_far(self) -> None:
        """Drop the copies that one more label moved out of the dense window or past ``FAR``."""
        n = len(self.rows)
        for position in (n - self.dense - 1, n - FAR - 1):
            if position in self._saved and not keeps_copy(position, n, self.dense):
                del self._saved[position]


def _knows_snapshots(learner: Any) -> bool:
    return hasattr(learner, "snapshot") and hasattr(learner, "restore")


def _snapshot(learner: Any) -> Any:
    return learner.snapshot() if _knows_snapshots(learner) else copy.deepcopy(learner)


def _restore(learner: Any, saved: Any, shared: bool = False) -> Any:
    """The learner as it was (restored in place when it knows how, else the saved copy or a copy of it)."""
    if _knows_snapshots(learner):
        learner.restore(saved)
        return learner
    return copy.deepcopy(saved) if shared else saved

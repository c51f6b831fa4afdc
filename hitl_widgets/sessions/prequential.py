"""The one prequential accuracy every loop keeps (see :mod:`hitl_widgets.sessions.loop`)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from river import metrics


class Prequential:
    """Prequential accuracy (river's progressive validation): each prediction scored against its label before
    the model learns it; the last scores can be taken back, as an undo takes back a label.

    ``running``: keep the value after each score (a canvas's curve); a stream keeps its own thinned curve.

    >>> p = Prequential(running=True)
    >>> p.score("cat", "cat"); p.score("dog", "cat")
    >>> p.value, p.n, p.running
    (0.5, 2, [1.0, 0.5])
    >>> p.unscore("dog", "cat")
    >>> p.value, p.running
    (1.0, [1.0])
    >>> Prequential().value is None  # nothing scored yet
    True
    >>> p.summary()
    {'accuracy': 1.0, 'n_predicted': 1}
    """

    def __init__(self, *, running: bool = False):
        self.metric = metrics.Accuracy()
        self.running: list[float] | None = [] if running else None

    @property
    def n(self) -> int:
        """Predictions scored."""
        return int(self.metric.cm.total_weight)

    @property
    def value(self) -> float | None:
        """The accuracy so far; ``None`` before the first score."""
        return self.metric.get() if self.n else None

    def summary(self) -> dict[str, Any]:
        """``{"accuracy": value, "n_predicted": n}`` read together, as a progress or status line shows them."""
        n = self.n
        return {"accuracy": self.metric.get() if n else None, "n_predicted": n}

    def score(self, label: Hashable, predicted: Hashable) -> None:
        self.metric.update(label, predicted)
        if self.running is not None:
            self.running.append(self.metric.get())

    def unscore(self, label: Hashable, predicted: Hashable) -> None:
        """Take back the last score of ``(label, predicted)``."""
        self.metric.revert(label, predicted)
        if self.running is not None:
            self.running.pop()

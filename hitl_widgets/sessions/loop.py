"""The loop contract, written once: what every headless loop offers the view that watches it.

A loop is the part of a session family that a widget renders: :class:`~hitl_widgets.LabelQueue`
(a pool), :class:`~hitl_widgets.StreamRunner` (a stream), :class:`~hitl_widgets.GMMSession` (clicked
points) and :class:`~hitl_widgets.explorer.runner.ExplorationRunner` (strategies side by side). Each

- tells its listeners of every change: ``on_change(listener)``, then ``listener(event)`` with the
  event's name (``"answered"``, ``"ranked"``, ``"undone"``, ``"checked"``, ...), from whichever thread
  made the change;
- takes back the last action with ``undo()``;
- gives its learning curve for a chart with ``curve()``: ``[[n_labels, accuracy], ...]`` thinned by
  :func:`thin` to :data:`CURVE_POINTS` (the explorer gives one such curve per strategy);
- scores its model with one :class:`Prequential` accuracy: each prediction against its label (or the
  stream's truth) before the model learns it, undoable.

What a view shows besides (progress, status) is each family's own: it differs by what the loop is.

>>> class Counter(Loop):
...     def __init__(self):
...         super().__init__()
...         self.n = 0
...     def add(self):
...         self.n += 1
...         self._tell("added")
...     def undo(self):
...         self.n -= 1
...         self._tell("undone")
...     def curve(self):
...         return thin([[i, 1.0] for i in range(self.n)])
>>> c = Counter()
>>> c.on_change(print)
>>> c.add(); c.undo()
added
undone
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from river import metrics

Listener = Callable[[str], None]

CURVE_POINTS = 200  # points a curve keeps for a chart, the newest always among them


class Loop(ABC):
    """A headless loop a view watches: listeners of its changes, an undo, a curve (see the module)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def on_change(self, listener: Listener) -> None:
        """Call ``listener(event)`` after every change, from the thread that made it."""
        self._listeners.append(listener)

    def _tell(self, event: str) -> None:
        for listener in list(self._listeners):  # a listener may add another meanwhile
            listener(event)

    @abstractmethod
    def undo(self) -> Any:
        """Take back the last action."""

    @abstractmethod
    def curve(self) -> Any:
        """The learning curve a chart draws, thinned by :func:`thin`."""


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

    def score(self, label: Hashable, predicted: Hashable) -> None:
        self.metric.update(label, predicted)
        if self.running is not None:
            self.running.append(self.metric.get())

    def unscore(self, label: Hashable, predicted: Hashable) -> None:
        """Take back the last score of ``(label, predicted)``."""
        self.metric.revert(label, predicted)
        if self.running is not None:
            self.running.pop()


def thin(points: Sequence[Any], most: int = CURVE_POINTS) -> list[Any]:
    """At most about ``most`` evenly spaced points of a curve, always ending with the newest.

    >>> thin(list(range(10)), 4)
    [0, 3, 6, 9]
    """
    points = list(points)
    if len(points) <= most:
        return points
    step = -(-len(points) // most)
    return points[::-1][::step][::-1]

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
- scores its model with one :class:`~hitl_widgets.sessions.prequential.Prequential` accuracy: each
  prediction against its label (or the stream's truth) before the model learns it, undoable.

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
from collections.abc import Callable, Sequence
from typing import Any

from .prequential import Prequential

__all__ = ["CURVE_POINTS", "Listener", "Loop", "Prequential", "thin"]  # Prequential: its own module now

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

"""How a GMM canvas's points were scored: the prediction made for each before it was learned, and the time it took.

:class:`Board` is the part of :class:`~hitl_widgets.GMMSession` that is not the
model: the points themselves are kept once, in the classifier's mixtures,
whose journal is the one undo stack; the board follows its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..prequential import Prequential

MAX_CLASSES = 9  # keys 1-9


@dataclass
class Board:
    """Per point learned, in order: the prediction made before learning it (``None``: the model could not
    predict yet) and the update's milliseconds; and the prequential accuracy over the predictions."""

    predictions: list[tuple[int, int] | None] = field(default_factory=list)
    prequential: Prequential = field(default_factory=lambda: Prequential(running=True))  # after each prediction
    update_ms: list[float] = field(default_factory=list)
    n: int = 0  # points scored (one per point learned)

    def add(self, labels: list[int], predicted: list[int | None], ms: float) -> None:
        """Points of classes ``labels``, the prediction made for each, and the update's time per point."""
        for y, guess in zip(labels, predicted, strict=True):
            scored = guess is not None
            self.predictions.append((y, guess) if scored else None)
            if scored:
                self.prequential.score(y, guess)
        self.update_ms.extend([ms] * len(labels))
        self.n = len(self.predictions)

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` points' scores (an undo took the others back)."""
        while len(self.predictions) > n:
            scored = self.predictions.pop()
            if scored is not None:
                self.prequential.unscore(*scored)
        del self.update_ms[n:]
        self.n = len(self.predictions)

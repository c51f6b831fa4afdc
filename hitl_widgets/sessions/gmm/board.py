"""What a GMM canvas holds besides its model: the clicked points, their classes and the running accuracy.

:class:`Board` is the part of :class:`~hitl_widgets.GMMSession` that ``clear``
puts away whole and ``undo`` brings back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...learners import GMMClassifier, OnlineGMM
from ..loop import Prequential

MAX_CLASSES = 9  # keys 1-9


@dataclass
class Board:
    """The points (grown by doubling), their class indices, river's prequential accuracy and the classifier."""

    classifier: GMMClassifier
    xy: np.ndarray = field(default_factory=lambda: np.zeros((64, 2)))  # rows [:n], grown by doubling
    labels: np.ndarray = field(default_factory=lambda: np.zeros(64, dtype=np.uint8))
    n: int = 0
    # per point: (class, prediction) when the model predicted it, else None
    predictions: list[tuple[int, int] | None] = field(default_factory=list)
    prequential: Prequential = field(default_factory=lambda: Prequential(running=True))  # after each prediction
    update_ms: list[float] = field(default_factory=list)

    def add(self, points: np.ndarray, labels: np.ndarray, predicted: list[int | None]) -> None:
        """Points with their classes, and the prediction made for each before it was learned (None: the model
        could not predict yet)."""
        while self.n + len(points) > len(self.xy):
            self.xy = np.concatenate([self.xy, np.zeros_like(self.xy)])
            self.labels = np.concatenate([self.labels, np.zeros_like(self.labels)])
        self.xy[self.n : self.n + len(points)] = points
        self.labels[self.n : self.n + len(points)] = labels
        self.n += len(points)
        for y, guess in zip(labels.tolist(), predicted, strict=True):
            scored = guess is not None
            self.predictions.append((y, guess) if scored else None)
            if scored:
                self.prequential.score(y, guess)

    def drop_last(self, count: int) -> None:
        self.n -= count
        for _ in range(count):
            scored = self.predictions.pop()
            if scored is not None:
                self.prequential.unscore(*scored)


def class_index(label: Any, where: str) -> int:
    """``label`` as a class index 0-8, or a ``ValueError`` that names ``where``.

    >>> class_index(2, "f")
    2
    """
    if isinstance(label, bool) or not (isinstance(label, (int, np.integer)) and 0 <= label < MAX_CLASSES):
        raise ValueError(f"{where}: label must be a class index 0-{MAX_CLASSES - 1}, got {label!r}")
    return int(label)


def describe_mixtures(models: dict[int, OnlineGMM]) -> list[dict[str, Any]]:
    """Per class: prior (its share of the points), weights, means, covariances."""
    total = sum(m.n_points for m in models.values()) or 1
    out = []
    for c, m in sorted(models.items()):
        p = m.params()
        out.append(
            {
                "label": c,
                "prior": m.n_points / total,
                "weights": p["weights"],
                "means": p["means"],
                "covariances": p["covariances"],
            }
        )
    return out

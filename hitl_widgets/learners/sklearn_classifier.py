"""A scikit-learn estimator with ``partial_fit`` behind the river protocol."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ..base import Estimator
from .protocol import plain_label


class SklearnClassifier(Estimator):
    """``learn_one(x, y)`` as ``partial_fit([x], [y])``; the label set must be known up front.

    scikit-learn's incremental estimators fix their classes at the first
    ``partial_fit``, so ``classes`` is required and an unknown label is refused.

    Examples
    --------
    >>> from sklearn.linear_model import SGDClassifier
    >>> clf = SklearnClassifier(SGDClassifier(loss="log_loss", random_state=0), classes=["no", "yes"])
    >>> clf.predict_proba_one([0.0, 1.0])
    {}
    >>> for x, y in [([0, 1], "yes"), ([1, 0], "no")] * 20:
    ...     clf.learn_one(x, y)
    >>> clf.predict_one([0, 1])
    'yes'
    """

    def __init__(self, estimator: Any, classes: Sequence[Hashable]):
        if not hasattr(estimator, "partial_fit"):
            raise ValueError(
                f"SklearnClassifier: {type(estimator).__name__} has no partial_fit; it cannot learn online"
            )
        if len(set(classes)) < 2:
            raise ValueError(f"SklearnClassifier: give at least two classes, got {list(classes)}")
        self.estimator = estimator
        self.classes = [plain_label(c) for c in classes]
        self._fitted: Any = None

    def learn_one(self, x: Any, y: Hashable) -> None:
        y = plain_label(y)
        if y not in self.classes:
            raise ValueError(f"SklearnClassifier: unknown label {y!r}; the classes are {self.classes}")
        if self._fitted is None:
            from sklearn.base import clone

            self._fitted = clone(self.estimator)
            self._fitted.partial_fit(_row(x), [y], classes=self.classes)
        else:
            self._fitted.partial_fit(_row(x), [y])

    def predict_proba_many(self, X: Any) -> np.ndarray:
        """(N, C) probabilities in the order of :attr:`classes` (empty columns before any label)."""
        X = np.asarray(X, dtype=float)
        if self._fitted is None:
            return np.zeros((len(X), 0))
        p = self._fitted.predict_proba(X)
        order = [list(self._fitted.classes_).index(c) for c in self.classes]
        return p[:, order]

    def predict_proba_one(self, x: Any) -> dict[Hashable, float]:
        p = self.predict_proba_many(_row(x))
        return dict(zip(self.classes, p[0].tolist(), strict=True)) if p.shape[1] else {}

    def predict_one(self, x: Any) -> Hashable | None:
        proba = self.predict_proba_one(x)
        return max(proba, key=proba.__getitem__) if proba else None


def _row(x: Any) -> np.ndarray:
    if isinstance(x, dict):
        x = list(x.values())
    return np.asarray(x, dtype=float).reshape(1, -1)

"""What the samplers need from any learner: an (N, C) matrix of class probabilities."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np


def plain_label(y: Any) -> Hashable:
    """A label as a plain Python value (numpy scalars become str/int/float).

    >>> type(plain_label(np.str_("cat"))).__name__, type(plain_label(np.int64(3))).__name__
    ('str', 'int')
    """
    return y.item() if isinstance(y, np.generic) else y


def as_river_features(row: np.ndarray) -> dict[int, float]:
    """A feature row as the dict a river model expects.

    >>> as_river_features(np.array([0.5, 2.0]))
    {0: 0.5, 1: 2.0}
    """
    return dict(enumerate(np.asarray(row, dtype=float).tolist()))


def proba_matrix(learner: Any, X: np.ndarray, classes: Sequence[Hashable]) -> np.ndarray:
    """(N, len(classes)) probabilities of ``learner`` on the rows of ``X``.

    Learners with ``predict_proba_many`` over arrays (this package's) are asked
    once; any other river-style learner is asked row by row with dict features.
    Classes the learner has not seen get probability 0; rows where it knows
    nothing yet are uniform.

    >>> class Constant:
    ...     def predict_proba_one(self, x):
    ...         return {"a": 0.75, "b": 0.25}
    >>> proba_matrix(Constant(), np.zeros((2, 3)), ["b", "a", "c"]).tolist()
    [[0.25, 0.75, 0.0], [0.25, 0.75, 0.0]]
    """
    n, c = len(X), len(classes)
    if c == 0:
        return np.zeros((n, 0))
    many = getattr(learner, "predict_proba_many", None)
    learner_classes = getattr(learner, "classes", None)
    if many is not None and learner_classes is not None and not _is_river(learner):
        out = np.zeros((n, c))
        p = np.asarray(many(X)) if len(learner_classes) else np.zeros((n, 0))
        if p.shape[1] == len(learner_classes):  # otherwise nothing is learned yet
            for j, cls in enumerate(learner_classes):
                if cls in classes:
                    out[:, list(classes).index(cls)] = p[:, j]
    else:
        index = {cls: j for j, cls in enumerate(classes)}
        out = np.zeros((n, c))
        for i, row in enumerate(X):
            for cls, p in learner.predict_proba_one(as_river_features(row)).items():
                if cls in index:
                    out[i, index[cls]] = p
    empty = out.sum(axis=1) == 0
    out[empty] = 1.0 / c
    return out


def _is_river(learner: Any) -> bool:
    return type(learner).__module__.startswith("river")

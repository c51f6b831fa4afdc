"""What the samplers need from any learner: an (N, C) matrix of class probabilities."""

from __future__ import annotations

import copy
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from .river_text import WordCounts, linear_proba


def plain_label(y: Any) -> Hashable:
    """A label as a plain Python value (numpy scalars become str/int/float).

    >>> type(plain_label(np.str_("cat"))).__name__, type(plain_label(np.int64(3))).__name__
    ('str', 'int')
    """
    return y.item() if isinstance(y, np.generic) else y


def as_river_features(row: Any) -> Any:
    """A feature row as the dict a river model expects; a text or a dict item is passed as it is.

    >>> as_river_features(np.array([0.5, 2.0])), as_river_features("free prize")
    ({0: 0.5, 1: 2.0}, 'free prize')
    """
    if isinstance(row, (str, Mapping)):
        return row
    return dict(enumerate(np.asarray(row, dtype=float).tolist()))


def proba_matrix(learner: Any, X: np.ndarray, classes: Sequence[Hashable]) -> np.ndarray:
    """(N, len(classes)) probabilities of ``learner`` on the rows of ``X``.

    Learners with ``predict_proba_many`` over arrays (this package's) are asked
    once, and so is river's bag of words with logistic regression over a pool's
    :class:`~hitl_widgets.learners.river_text.WordCounts`; any other river-style
    learner is asked row by row with dict features.
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
    if isinstance(X, WordCounts):  # a pool's texts counted once: scored at once, if the model allows
        scored = linear_proba(learner, X)
        if scored is not None:
            return _in_order(*scored, classes)
        X = X.texts
    many = getattr(learner, "predict_proba_many", None)
    learner_classes = getattr(learner, "classes", None)
    if many is not None and learner_classes is not None and not is_river(learner):
        p = np.asarray(many(X)) if len(learner_classes) else np.zeros((n, 0))
        return _in_order(list(learner_classes), p, classes)
    index = {cls: j for j, cls in enumerate(classes)}
    out = np.zeros((n, c))
    for i, row in enumerate(X):
        for cls, p in learner.predict_proba_one(as_river_features(row)).items():
            if cls in index:
                out[i, index[cls]] = p
    return _uniform_where_empty(out)


def _in_order(learner_classes: list[Hashable], p: np.ndarray, classes: Sequence[Hashable]) -> np.ndarray:
    """A learner's ``(n, its classes)`` probabilities as ``(n, classes)``: in that order, 0 for a class
    it does not know, uniform where it knows nothing yet."""
    if p.shape[1] == len(classes) and set(learner_classes) == set(classes):
        # the common case: the same classes, maybe in another order; softmax rows are never all zero
        if list(learner_classes) == list(classes):
            return p
        order = {cls: j for j, cls in enumerate(learner_classes)}
        return p[:, [order[cls] for cls in classes]]
    out = np.zeros((len(p), len(classes)))
    if p.shape[1] == len(learner_classes):  # otherwise nothing is learned yet
        for j, cls in enumerate(learner_classes):
            if cls in classes:
                out[:, list(classes).index(cls)] = p[:, j]
    return _uniform_where_empty(out)


def _uniform_where_empty(out: np.ndarray) -> np.ndarray:
    empty = out.sum(axis=1) == 0
    out[empty] = 1.0 / out.shape[1]
    return out


def torch_rows(X: np.ndarray) -> Any:
    """Feature rows as a float32 torch tensor (learners with ``takes_tensors`` read them without a copy)."""
    import torch

    return torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))


def pretrained_classes(learner: Any) -> list[Hashable]:
    """The classes a learner can tell apart before any label: those of a pretrained model, else none.

    >>> from river import linear_model
    >>> pretrained_classes(linear_model.LogisticRegression())
    []
    """
    return [plain_label(c) for c in getattr(learner, "classes", [])] if getattr(learner, "pretrained", False) else []


def is_river(learner: Any) -> bool:
    """Whether ``learner`` is a river model (it takes dict features)."""
    return type(learner).__module__.startswith("river")


def learn_row(learner: Any, x: np.ndarray, y: Hashable) -> None:
    """``learn_one`` with a feature row in the form the learner takes (a dict for river)."""
    learner.learn_one(as_river_features(x) if is_river(learner) else x, y)


def fresh_copy(learner: Any) -> Any:
    """An unfitted copy with the same parameters (river and this package's learners clone)."""
    return learner.clone() if hasattr(learner, "clone") else copy.deepcopy(learner)


def accuracy(learner: Any, X: np.ndarray, y: Sequence[Hashable], classes: Sequence[Hashable]) -> float:
    """Share of the rows of ``X`` whose most probable class is their label."""
    predicted = np.asarray(classes, dtype=object)[proba_matrix(learner, X, classes).argmax(axis=1)]
    return float(np.mean(predicted == np.asarray(y, dtype=object)))

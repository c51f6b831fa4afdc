"""Data and learner presets of the strategy explorer: generated offline, seeded, two dimensions.

Every data set is scaled to about [-3, 3] on both axes, so one covariance
prior, one grid and one learning rate suit them all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from ..base import Estimator
from ..learners.protocol import plain_label


def _blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array([[-2.0, -1.5], [2.0, -1.5], [0.0, 2.0]])
    y = rng.integers(0, 3, n)
    return centres[y] + rng.normal(0, 0.9, (n, 2)), y


def _moons(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, 2, n)
    t = rng.uniform(0, np.pi, n)
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return (X - [0.5, 0.25]) * 2.2 + rng.normal(0, 0.35, (n, 2)), y


def _circles(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, 2, n)
    t = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(y == 0, 2.5, 1.2)
    return radius[:, None] * np.c_[np.cos(t), np.sin(t)] + rng.normal(0, 0.3, (n, 2)), y


def _xor(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-3, 3, (n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def _spiral(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, 2, n)
    t = np.sqrt(rng.uniform(0.05, 1, n)) * 3 * np.pi
    X = (t / np.pi)[:, None] * np.c_[np.cos(t + np.pi * y), np.sin(t + np.pi * y)]
    return X + rng.normal(0, 0.2, (n, 2)), y


def _imbalanced(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = (rng.uniform(size=n) < 0.1).astype(int)  # one item in ten is the rare class
    centres = np.array([[-0.8, 0.0], [1.5, 0.8]])
    return centres[y] + rng.normal(0, 1.0, (n, 2)) * np.where(y[:, None] == 1, 0.5, 1.0), y


def _noisy(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X, y = _moons(n, rng)
    flip = rng.uniform(size=n) < 0.15  # 15% of the true labels are wrong
    return X, np.where(flip, 1 - y, y)


DATA_PRESETS: dict[str, Callable[[int, np.random.Generator], tuple[np.ndarray, np.ndarray]]] = {
    "blobs": _blobs,
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "spiral": _spiral,
    "imbalanced": _imbalanced,
    "noisy": _noisy,
}


def make_preset(name: str, n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of a named two-dimensional data set: ``n`` points, the same for the same seed.

    >>> X, y = make_preset("moons", n=200, seed=3)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 2), [0, 1])
    >>> make_preset("bananas")
    Traceback (most recent call last):
    ...
    ValueError: unknown preset 'bananas'; choose one of: blobs, moons, circles, xor, spiral, imbalanced, noisy
    """
    if name not in DATA_PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of: {', '.join(DATA_PRESETS)}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 20:
        raise ValueError(f"a preset needs n of at least 20 points, got {n!r}")
    X, y = DATA_PRESETS[name](int(n), np.random.default_rng(seed))
    return X.astype(np.float64), y.astype(np.int64)


class NearestNeighbours(Estimator):
    """k nearest neighbours that learn online: the labeled points are the model.

    Probabilities are the neighbours' votes, smoothed so no class is ever
    certain from a handful of labels.

    >>> knn = NearestNeighbours(k=3)
    >>> for x, y in [([0, 0], "a"), ([0, 1], "a"), ([5, 5], "b"), ([5, 6], "b")]:
    ...     knn.learn_one(x, y)
    >>> knn.predict_proba_many(np.array([[0.0, 0.5]])).round(2).tolist(), knn.classes
    ([[0.6, 0.4]], ['a', 'b'])
    """

    def __init__(self, k: int = 5):
        self.k = k
        self.classes: list[Hashable] = []
        self._X: list[np.ndarray] = []
        self._y: list[int] = []

    def learn_one(self, x: Any, y: Hashable) -> None:
        y = plain_label(y)
        if y not in self.classes:
            self.classes.append(y)
        self._X.append(np.asarray(list(x.values()) if isinstance(x, dict) else x, dtype=float))
        self._y.append(self.classes.index(y))

    def predict_proba_many(self, X: Any) -> np.ndarray:
        """(N, C) neighbour votes (plus one each) in the order of :attr:`classes`."""
        X = np.asarray(X, dtype=float)
        if not self._X:
            return np.zeros((len(X), 0))
        train, labels = np.stack(self._X), np.asarray(self._y)
        k = min(self.k, len(train))
        d2 = (X * X).sum(1)[:, None] - 2.0 * (X @ train.T) + (train * train).sum(1)[None, :]
        nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
        neighbours = labels[nearest]
        votes = 1.0 + np.stack([(neighbours == c).sum(1) for c in range(len(self.classes))], 1)
        return votes / votes.sum(1, keepdims=True)

    def predict_proba_one(self, x: Any) -> dict[Hashable, float]:
        p = self.predict_proba_many(np.asarray(list(x.values()) if isinstance(x, dict) else x, dtype=float)[None])
        return dict(zip(self.classes, p[0].tolist(), strict=True)) if p.shape[1] else {}

    def predict_one(self, x: Any) -> Hashable | None:
        proba = self.predict_proba_one(x)
        return max(proba, key=proba.__getitem__) if proba else None


LEARNER_PRESETS = ("logistic", "knn", "mlp", "gmm")


def make_learner(name: str, n_features: int, classes: Sequence[Hashable], seed: int = 0) -> Any:
    """A fresh learner by preset name: ``"logistic"`` (a linear softmax), ``"knn"``, ``"mlp"`` (a small
    torch net: curved boundaries) or ``"gmm"`` (one online Gaussian mixture per class).

    >>> type(make_learner("mlp", 2, [0, 1])).__name__
    'TorchClassifier'
    """
    if name == "logistic":
        import torch
        from torch import nn

        from ..learners.torch_classifier import TorchClassifier

        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            head = nn.Linear(n_features, max(2, len(classes)))
        # one Adam step per label at a larger rate: within a point of the labelers' three steps at 0.05 in
        # area under the curve on moons, blobs and imbalanced (5 seeds), at a third of the time a step takes
        return TorchClassifier(head, output_classes=classes, lr=0.15, steps=1, replay=32, seed=seed)
    if name == "knn":
        return NearestNeighbours(k=5)
    if name == "mlp":
        import torch
        from torch import nn

        from ..learners.torch_classifier import TorchClassifier

        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            net = nn.Sequential(nn.Linear(n_features, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh())
            net.append(nn.Linear(32, max(2, len(classes))))
        return TorchClassifier(net, output_classes=classes, lr=0.05, steps=5, replay=64, seed=seed)
    if name == "gmm":
        from ..learners.gmm.classifier import GMMClassifier

        return GMMClassifier(n_components="auto", seed=seed, prior_scale=0.5)
    raise ValueError(f"unknown learner {name!r}; choose one of: {', '.join(LEARNER_PRESETS)}, or pass a learner")

"""A generative classifier: one online Gaussian mixture per class."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from ..base import Estimator
from .online_gmm import OnlineGMM
from .protocol import plain_label


class GMMClassifier(Estimator):
    """``p(y | x)`` proportional to ``p(y) p(x | y)``, each ``p(x | y)`` an :class:`OnlineGMM`.

    Follows the river protocol: ``learn_one(x, y)``, ``predict_proba_one(x)``,
    ``predict_one(x)``. Classes may appear at any time.

    Parameters
    ----------
    n_components
        Components per class.
    seed
        Seed of every class's mixture.
    prior_scale
        Passed to each :class:`OnlineGMM`.
    gmm_params
        Further :class:`OnlineGMM` parameters.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> clf = GMMClassifier(n_components=2)
    >>> correct = 0
    >>> for i in range(200):
    ...     y = "left" if i % 2 else "right"
    ...     x = rng.normal(-2 if y == "left" else 2, 0.7, size=2)
    ...     correct += i > 0 and clf.predict_one(x) == y   # predict first, then learn
    ...     clf.learn_one(x, y)
    >>> correct / 199 > 0.95
    True
    >>> sorted(clf.classes)
    ['left', 'right']
    """

    def __init__(
        self, n_components: int = 3, *, seed: int = 0, prior_scale: float = 1.0, gmm_params: dict | None = None
    ):
        self.n_components = n_components
        self.seed = seed
        self.prior_scale = prior_scale
        self.gmm_params = gmm_params
        self.mixtures: dict[Hashable, OnlineGMM] = {}
        self._order: list[Hashable] = []  # the class of each learned point, for undo

    @property
    def classes(self) -> list[Hashable]:
        """Classes seen so far, in order of first appearance."""
        return list(self.mixtures)

    @property
    def n_points(self) -> int:
        return len(self._order)

    def _new_mixture(self) -> OnlineGMM:
        return OnlineGMM(self.n_components, seed=self.seed, prior_scale=self.prior_scale, **(self.gmm_params or {}))

    def learn_one(self, x: Any, y: Hashable) -> None:
        """Learn point ``x`` of class ``y`` (a new class starts its own mixture)."""
        y = plain_label(y)
        mixture = self.mixtures.get(y)
        if mixture is None:
            mixture = self._new_mixture()
            mixture.learn_one(x)  # validates first: a bad point adds no class
            self.mixtures[y] = mixture
        else:
            mixture.learn_one(x)
        self._order.append(y)

    def undo(self) -> Hashable:
        """Forget the last learned point exactly; returns its class."""
        if not self._order:
            raise ValueError("GMMClassifier.undo: nothing to undo")
        y = self._order.pop()
        self.mixtures[y].undo()
        if self.mixtures[y].n_points == 0:
            del self.mixtures[y]
        return y

    def log_priors(self) -> dict[Hashable, float]:
        """``log p(y)`` from class counts."""
        n = len(self._order)
        return {y: float(np.log(m.n_points / n)) for y, m in self.mixtures.items()}

    def predict_proba_many(self, X: Any) -> np.ndarray:
        """(N, C) class probabilities, columns in the order of :attr:`classes`."""
        if not self.mixtures:
            raise ValueError("GMMClassifier: no class learned yet")
        joint = self._log_joint(X)
        p = np.exp(joint - joint.max(1, keepdims=True))
        return p / p.sum(1, keepdims=True)

    def predict_proba_one(self, x: Any) -> dict[Hashable, float]:
        """Class probabilities of one point (empty before any label, as river does)."""
        if not self.mixtures:
            return {}
        p = self.predict_proba_many(np.asarray(x, dtype=float)[None, :])[0]
        return dict(zip(self.mixtures, p.tolist(), strict=True))

    def predict_one(self, x: Any) -> Hashable | None:
        """The most probable class, or None before any label."""
        proba = self.predict_proba_one(x)
        return max(proba, key=proba.__getitem__) if proba else None

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-density of the whole data, ``log sum_y p(y) p(x | y)``."""
        joint = self._log_joint(X)
        top = joint.max(1)
        return top + np.log(np.exp(joint - top[:, None]).sum(1))

    def _log_joint(self, X: Any) -> np.ndarray:
        """(N, C) ``log p(y) + log p(x | y)``, columns in the order of :attr:`classes`."""
        priors = self.log_priors()
        return np.stack([m.score_samples(X) + priors[y] for y, m in self.mixtures.items()], 1)

"""A generative classifier: one online Gaussian mixture per class."""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial
from typing import Any

import numpy as np

from ...base import Estimator
from ..protocol import plain_label
from ..validation import as_matrix
from .online import OnlineGMM
from .prior import Spread


class GMMClassifier(Estimator):
    """``p(y | x)`` proportional to ``p(y) p(x | y)``, each ``p(x | y)`` an :class:`OnlineGMM`.

    Follows the river protocol: ``learn_one(x, y)``, ``predict_proba_one(x)``,
    ``predict_one(x)``. Classes may appear at any time.

    Parameters
    ----------
    n_components
        The most components per class, or ``"auto"``.
    seed
        Seed of every class's mixture.
    prior_scale
        Passed to each :class:`OnlineGMM`. Unset, every class's prior follows
        the spread of all the points learned (:meth:`spread`), not of its
        class alone: a class of three points gets the data's scale at once.
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
        self,
        n_components: int | str = "auto",
        *,
        seed: int = 0,
        prior_scale: float | None = None,
        gmm_params: dict | None = None,
    ):
        self.n_components = n_components
        self.seed = seed
        self.prior_scale = prior_scale
        self.gmm_params = gmm_params
        self.new_mixture()  # a bad n_components or prior fails here, not at the first point
        self.mixtures: dict[Hashable, OnlineGMM] = {}
        self._steps: list[tuple[Hashable, ...]] = []  # the classes each learn_one/learn_many touched, for undo

    @property
    def classes(self) -> list[Hashable]:
        """Classes seen so far, in order of first appearance."""
        return list(self.mixtures)

    @property
    def n_points(self) -> int:
        return sum(m.n_points for m in self.mixtures.values())

    def new_mixture(self) -> OnlineGMM:
        """An empty mixture with this classifier's settings (the model of a class not seen yet)."""
        mixture = OnlineGMM(self.n_components, seed=self.seed, prior_scale=self.prior_scale, **(self.gmm_params or {}))
        mixture.peers = partial(self._spread_besides, mixture)  # an unset prior follows every class's points
        return mixture

    def learn_one(self, x: Any, y: Hashable) -> None:
        """Learn point ``x`` of class ``y`` (a new class starts its own mixture)."""
        y = plain_label(y)
        mixture = self.mixtures.get(y)
        if mixture is None:
            mixture = self.new_mixture()
            mixture.learn_one(x)  # validates first: a bad point adds no class
            self.mixtures[y] = mixture
        else:
            mixture.learn_one(x)
        self._steps.append((y,))

    def learn_many(self, X: Any, y: Any) -> None:
        """Learn the rows of ``X`` with classes ``y`` as one step (one ``undo`` takes them all back)."""
        dims = {m.points.shape[1] for m in self.mixtures.values()}
        rows = as_matrix(X, dims.pop() if dims else None, where="GMMClassifier.learn_many").numpy()
        labels = [plain_label(v) for v in y]
        if len(labels) != len(rows):
            raise ValueError(f"GMMClassifier.learn_many: {len(rows)} rows but {len(labels)} classes")
        touched = list(dict.fromkeys(labels))
        for c in touched:
            self.mixtures.setdefault(c, self.new_mixture()).learn_many(rows[[lab == c for lab in labels]])
        if touched:
            self._steps.append(tuple(touched))

    def spread(self) -> Spread:
        """How all the points learned spread (every class's, about their means and components)."""
        spreads = [m.spread() for m in self.mixtures.values()]
        return sum(spreads[1:], spreads[0]) if spreads else Spread(0.0, np.zeros(0), 0.0, 0.0)

    def _spread_besides(self, mixture: OnlineGMM) -> Spread | None:
        """The spread of every class's points but ``mixture``'s (``None`` while no other class has any)."""
        spreads = [m.spread() for m in self.mixtures.values() if m is not mixture and m.n_points]
        return sum(spreads[1:], spreads[0]) if spreads else None

    def undo(self) -> tuple[Hashable, ...]:
        """Forget the last ``learn_one`` or ``learn_many`` exactly; returns the classes it touched."""
        if not self._steps:
            raise ValueError("GMMClassifier.undo: nothing to undo")
        touched = self._steps.pop()
        for y in touched:
            self.mixtures[y].undo()
            if self.mixtures[y].n_points == 0:
                del self.mixtures[y]
        return touched

    def params(self) -> dict[str, Any]:
        """Per class: its prior and its mixture's :meth:`OnlineGMM.params` (weights, means, covariances, stddevs)."""
        n = self.n_points or 1
        return {
            "classes": self.classes,
            "priors": {y: m.n_points / n for y, m in self.mixtures.items()},
            "mixtures": {y: m.params() for y, m in self.mixtures.items()},
        }

    def log_priors(self) -> dict[Hashable, float]:
        """``log p(y)`` from class counts."""
        n = self.n_points
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

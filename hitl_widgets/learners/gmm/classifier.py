"""A generative classifier: one online Gaussian mixture per class, with one undo journal for all of them."""

from __future__ import annotations

import copy
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from ...base import Estimator
from ..protocol import plain_label
from ..validation import as_matrix
from .check import Proposal
from .online import OnlineGMM
from .prior import Spread


class Order:
    """The class of every point held, in the order learned: codes in a growing array, so that a canvas
    redrawing 10,000 points in order at every click reads them with numpy, not a Python loop.

    >>> o = Order(); o.add(["b", "a", "b"]); o.drop(1)
    >>> o.labels().tolist(), o.codes_of("a"), len(o)
    (['b', 'a'], 1, 2)
    """

    def __init__(self) -> None:
        self.codes = np.empty(64, dtype=np.int32)
        self.n = 0
        self.classes: list[Hashable] = []  # code -> class
        self._code: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return self.n

    def add(self, labels: list[Hashable]) -> None:
        codes = [self._code.setdefault(y, len(self._code)) for y in labels]
        if len(self._code) > len(self.classes):
            self.classes = list(self._code)
        while self.n + len(codes) > len(self.codes):
            self.codes = np.concatenate([self.codes, np.empty_like(self.codes)])
        self.codes[self.n : self.n + len(codes)] = codes
        self.n += len(codes)

    def drop(self, k: int) -> None:
        """Forget the last ``k`` points' classes."""
        self.n -= k

    def codes_of(self, y: Hashable) -> int:
        return self._code[y]

    def labels(self, start: int = 0) -> np.ndarray:
        """The class of each point from place ``start`` on, in order (an int array when the classes are ints)."""
        lookup = np.asarray(self.classes)
        if lookup.dtype.kind not in "iub":
            lookup = np.empty(len(self.classes), dtype=object)
            lookup[:] = self.classes
        return lookup[self.codes[start : self.n]]

    def copy(self) -> Order:
        other = Order()
        other.codes, other.n, other.classes, other._code = (
            self.codes.copy(),
            self.n,
            list(self.classes),
            dict(self._code),
        )
        return other


@dataclass
class Step:
    """One entry of the classifier's undo journal: what one ``undo`` takes back.

    ``kind``: ``"learned"`` (``classes``: the class each ``learn_one`` or
    ``learn_many`` of the step went to, in order; ``n_points`` the points it
    added; ``join`` its tag), ``"cleared"`` or ``"adopted"`` (``saved``: the
    mixtures before). ``memo``: what the caller gave with the step, given back
    by the ``undo`` that takes it back (a canvas's own state at a clear, say).
    """

    kind: str
    classes: list[Hashable] = field(default_factory=list)
    n_points: int = 0
    join: Hashable | None = None
    saved: tuple[dict[Hashable, OnlineGMM], Order] | None = None
    memo: Any = None


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

    Every change it makes is one step of one journal: ``undo`` takes back a
    point, a stroke (points learned with the same ``join``), a ``learn_many``,
    a ``clear`` or an ``adopt``, exactly.

    >>> clf.learn_one([0, 0], "left", join=7); clf.learn_one([0, 1], "right", join=7)
    >>> clf.undo().n_points, clf.n_points
    (2, 200)
    >>> _ = clf.clear(); clf.n_points, clf.undo().kind, clf.n_points
    (0, 'cleared', 200)
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
        self.order = Order()  # the class of every point held, in the order learned
        self.journal: list[Step] = []  # what undo takes back, newest last

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

    def learn_one(self, x: Any, y: Hashable, *, join: Hashable | None = None) -> None:
        """Learn point ``x`` of class ``y`` (a new class starts its own mixture).

        ``join``: points learned one after another with the same tag are one
        step of the journal (a brush stroke: one ``undo`` takes it back).
        """
        y = plain_label(y)
        mixture = self.mixtures.get(y)
        if mixture is None:
            mixture = self.new_mixture()
            mixture.learn_one(x)  # validates first: a bad point adds no class
            self.mixtures[y] = mixture
        else:
            mixture.learn_one(x)
        self.order.add([y])
        last = self.journal[-1] if self.journal else None
        if join is not None and last is not None and last.kind == "learned" and last.join == join:
            last.classes.append(y)
            last.n_points += 1
        else:
            self.journal.append(Step("learned", [y], 1, join))

    def test_then_learn(self, x: Any, y: Hashable, *, join: Hashable | None = None) -> Hashable | None:
        """Predict ``x`` (with two classes or more; else ``None``), then learn it: one prequential step."""
        predicted = self.predict_one(x) if len(self.mixtures) >= 2 else None
        self.learn_one(x, y, join=join)
        return predicted

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
            self.order.add(labels)
            self.journal.append(Step("learned", touched, len(labels)))

    def clear(self, *, memo: Any = None) -> int:
        """Put every class's mixture away (``undo`` brings them back); returns how many points they held."""
        n = self.n_points
        self.journal.append(Step("cleared", n_points=n, saved=(self.mixtures, self.order), memo=memo))
        self.mixtures, self.order = {}, Order()
        return n

    def adopt(self, fits: dict[Hashable, Any], *, memo: Any = None) -> None:
        """Make ``fits`` (per class, a mixture fitted from scratch, or its ``params()``) the classes' mixtures,
        as one step of the journal (the mixtures before are kept for ``undo``)."""
        # the copies' peers (partial(self._spread_besides, m)) point at this classifier, not at a copy of it and its
        # journal: a copy that held the journal would hold every earlier adoption's copy, each twice the last
        saved = copy.deepcopy(self.mixtures, {id(self): self})
        self.journal.append(Step("adopted", saved=(saved, self.order.copy()), memo=memo))
        for y, fitted in fits.items():
            if y in self.mixtures:
                params = fitted if isinstance(fitted, dict) else fitted.params()
                self.mixtures[y].adopt(Proposal.from_params(params), margin=-np.inf)

    def points_in_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Every point held, ``(N, D)``, in the order learned, and the class of each (one copy, built from the
        mixtures: the points are kept once, there)."""
        return self.points_since(0)

    def points_since(self, start: int) -> tuple[np.ndarray, np.ndarray]:
        """The points learned from place ``start`` on, in order, and their classes: what a view that holds the
        first ``start`` lacks (costs the new points, not all of them).

        >>> clf = GMMClassifier(prior_scale=0.5)
        >>> for x, y in [([0, 0], "a"), ([5, 5], "b"), ([0, 1], "a")]:
        ...     clf.learn_one(x, y)
        >>> xy, labels = clf.points_since(1)
        >>> xy.tolist(), labels.tolist()
        ([[5.0, 5.0], [0.0, 1.0]], ['b', 'a'])
        """
        codes = self.order.codes[: len(self.order)]
        tail = codes[start:]
        dims = {m.points_between(0, 0).shape[1] for m in self.mixtures.values()}
        out = np.empty((len(tail), dims.pop() if dims else 2))
        for y, m in self.mixtures.items():
            code = self.order.codes_of(y)
            mine = tail == code
            if mine.any():
                before = int(np.count_nonzero(codes[:start] == code))  # the class's points before start
                out[mine] = m.points_between(before, before + int(np.count_nonzero(mine)))
        return out, self.order.labels(start)

    def spread(self) -> Spread:
        """How all the points learned spread (every class's, about their means and components)."""
        spreads = [m.spread() for m in self.mixtures.values()]
        return sum(spreads[1:], spreads[0]) if spreads else Spread(0.0, np.zeros(0), 0.0, 0.0)

    def _spread_besides(self, mixture: OnlineGMM) -> Spread | None:
        """The spread of every class's points but ``mixture``'s (``None`` while no other class has any)."""
        spreads = [m.spread() for m in self.mixtures.values() if m is not mixture and m.n_points]
        return sum(spreads[1:], spreads[0]) if spreads else None

    def undo(self) -> Step:
        """Take back the journal's last step exactly (a point, a stroke, a ``learn_many``, a ``clear`` or an
        ``adopt``); returns it."""
        if not self.journal:
            raise ValueError("GMMClassifier.undo: nothing to undo")
        step = self.journal.pop()
        if step.saved is not None:
            self.mixtures, self.order = step.saved
            return step
        for y in reversed(step.classes):
            self.mixtures[y].undo()
        self.order.drop(step.n_points)
        kept = self.order.codes[: len(self.order)]
        for y in set(step.classes):
            m = self.mixtures[y]
            held = int(np.count_nonzero(kept == self.order.codes_of(y)))
            while m.n_points > held:  # a step past the mixture's undo depth: its last points are forgotten instead
                m.forget(m.n_points - 1)
            if m.n_points == 0:
                del self.mixtures[y]
        return step

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

    def snapshot(self, start: int = 0) -> dict[str, Any]:
        """What a view of the classifier draws, read in one call: ``points`` ``(N - start, D)`` and ``labels``
        in the order learned from place ``start`` on (a view holding the first ``start`` gets only the new
        ones), ``mixtures`` (see :func:`describe`), and the components (``k``) and waiting candidates
        (``candidates``) of all the classes."""
        points, labels = self.points_since(start)
        k, candidates = self.counts()
        mixtures = describe(self.mixtures)
        return {"points": points, "labels": labels, "mixtures": mixtures, "k": k, "candidates": candidates}

    def counts(self) -> tuple[int, int]:
        """Components in use and far points waiting as candidates, over every class."""
        mixtures = self.mixtures.values()
        return sum(m.n_components_used for m in mixtures), sum(m.n_candidates for m in mixtures)


def describe(models: dict[Hashable, OnlineGMM]) -> list[dict[str, Any]]:
    """Per class, in class order: its prior (share of the points), weights, means, covariances (plain floats,
    for drawing).

    >>> clf = GMMClassifier(prior_scale=0.5)
    >>> clf.learn_one([0, 0], 0); clf.learn_one([1, 1], 0); clf.learn_one([5, 5], 1)
    >>> [(d["label"], round(d["prior"], 2), len(d["weights"])) for d in describe(clf.mixtures)]
    [(0, 0.67, 1), (1, 0.33, 1)]
    """
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

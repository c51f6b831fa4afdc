"""The headless state behind the GMM canvas: clicked points, the online mixtures, the batch reference.

One :class:`~hitl_widgets.learners.GMMClassifier` holds one
:class:`~hitl_widgets.learners.OnlineGMM` per class. With two or more classes
each new point is first predicted, then learned (prequential accuracy).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from .learners import GMMClassifier, OnlineGMM
from .learners._validation import as_point
from .metrics import compare_mixtures

MAX_CLASSES = 9  # keys 1-9


class GMMSession:
    """Points with class indices, learned online, compared with a from-scratch fit.

    Examples
    --------
    >>> s = GMMSession(n_components=2, prior_scale=0.5)
    >>> for x in ([0, 0], [0.2, 0.1], [5, 5], [5.1, 4.8]):
    ...     s.add(x)
    >>> s.n_points, s.model.params()["n_components"]
    (4, 2)
    >>> s.undo()
    True
    >>> s.n_points
    3
    >>> sorted(s.compare())[:4]
    ['batch_ms', 'batch_n', 'components', 'kl']
    """

    def __init__(self, n_components: int = 5, *, prior_scale: float = 1.0, seed: int = 0, n_classes: int = 1):
        self.n_components = n_components
        self.prior_scale = prior_scale
        self.seed = seed
        self.n_classes = n_classes
        self.clear()

    # ----------------------------------------------------------------- edits
    def clear(self) -> None:
        """Forget every point, the models and the history."""
        self._classifier = GMMClassifier(self.n_components, seed=self.seed, prior_scale=self.prior_scale)
        self._n = 0
        self._xy = np.zeros((64, 2))  # grow by doubling; rows [:n] are the points and their classes
        self._labels = np.zeros(64, dtype=np.uint8)
        self._hits: list[bool | None] = []  # per point: was the prediction right (None: no prediction)
        self._accuracy: list[float] = []  # running accuracy after each predicted point
        self._n_correct = 0
        self._update_ms: list[float] = []
        self.batch: dict[int, OnlineGMM] = {}
        self.batch_mixtures: list[dict[str, Any]] = []  # the batch fit described once, for drawing
        self.batch_ms = 0.0
        self.batch_n = 0

    def add(self, x: Any, label: int = 0) -> bool | None:
        """Predict the class of ``x`` (with two classes or more), then learn it.

        Returns whether the prediction was right (None when nothing was predicted).
        Raises ``ValueError`` for a non-finite point or a label outside 0-8;
        nothing changes then.
        """
        point = as_point(x, 2, where="GMMSession.add")
        if not (isinstance(label, (int, np.integer)) and 0 <= label < MAX_CLASSES):
            raise ValueError(f"GMMSession.add: label must be a class index 0-{MAX_CLASSES - 1}, got {label!r}")
        label = int(label)
        hit = None
        if len(self._classifier.mixtures) >= 2:
            hit = self._classifier.predict_one(point.numpy()) == label
        t0 = time.perf_counter()
        self._classifier.learn_one(point.numpy(), label)
        self._update_ms.append((time.perf_counter() - t0) * 1e3)
        n = self._n
        if n == len(self._xy):
            self._xy = np.concatenate([self._xy, np.zeros_like(self._xy)])
            self._labels = np.concatenate([self._labels, np.zeros_like(self._labels)])
        self._xy[n], self._labels[n] = point.numpy(), label
        self._n += 1
        self._hits.append(hit)
        if hit is not None:
            self._n_correct += hit
            self._accuracy.append(self._n_correct / (len(self._accuracy) + 1))
        self.n_classes = max(self.n_classes, label + 1)
        return hit

    def undo(self) -> bool:
        """Forget the last point exactly (the model is restored too). False when empty."""
        if not self._n:
            return False
        self._classifier.undo()
        hit = self._hits.pop()
        if hit is not None:
            self._n_correct -= hit
            self._accuracy.pop()
        self._n -= 1
        self._update_ms.pop()
        return True

    # --------------------------------------------------------------- reading
    @property
    def n_points(self) -> int:
        return self._n

    @property
    def points(self) -> np.ndarray:
        """(N, 2) float64 coordinates (a copy)."""
        return self._xy[: self.n_points].copy()

    @property
    def labels(self) -> np.ndarray:
        """(N,) class indices."""
        return self._labels[: self._n].astype(int)

    @property
    def is_classifier(self) -> bool:
        return self.n_classes >= 2 or len(self._classifier.mixtures) >= 2

    @property
    def model(self) -> OnlineGMM | GMMClassifier:
        """The OnlineGMM when there is one class, the per-class classifier otherwise."""
        if self.is_classifier:
            return self._classifier
        mixtures = self._classifier.mixtures
        return mixtures[0] if 0 in mixtures else self._classifier._new_mixture()

    @property
    def classifier(self) -> GMMClassifier:
        return self._classifier

    def prequential_accuracy(self) -> list[float]:
        """Running accuracy after each predicted point."""
        return list(self._accuracy)

    def mixtures(self) -> list[dict[str, Any]]:
        """The online model per class: prior, weights, means, covariances (plain floats, for drawing)."""
        return _describe(self._classifier.mixtures)

    def status(self) -> dict[str, Any]:
        """N, K, last update ms, online-vs-batch closeness, accuracy."""
        acc = self._accuracy
        st: dict[str, Any] = {
            "n": self.n_points,
            "k": sum(m.n_components_used for m in self._classifier.mixtures.values()),
            "update_ms": self._update_ms[-1] if self._update_ms else None,
            "accuracy": acc[-1] if acc else None,
            "n_predicted": len(acc),
            "batch_n": self.batch_n if self.batch else None,
            "ll_gap": None,
        }
        if self.batch and self.n_points:
            st["ll_gap"] = self._ll_gap()
        return st

    # ---------------------------------------------------------- batch fits
    def fit_batch(self) -> dict[int, OnlineGMM]:
        """Fit every class from scratch (batch EM, several starts) on all its points."""
        if not self._n:
            raise ValueError("GMMSession.fit_batch: no points yet; add some first")
        t0 = time.perf_counter()
        pts, lab = self.points, self.labels
        self.batch = {
            c: OnlineGMM(self.n_components, seed=self.seed, prior_scale=self.prior_scale, n_init=5).fit(pts[lab == c])
            for c in np.unique(lab).tolist()
        }
        self.batch_ms = (time.perf_counter() - t0) * 1e3
        self.batch_n = self.n_points
        self.batch_mixtures = _describe(self.batch)
        return self.batch

    def _ll_gap(self) -> float:
        """Mean log-likelihood per point, batch minus online, each point under its own class."""
        pts, lab = self.points, self.labels
        gap = 0.0
        for c, m in self._classifier.mixtures.items():
            if c in self.batch:
                sel = pts[lab == c]
                gap += float(np.sum(self.batch[c].score_samples(sel) - m.score_samples(sel)))
        return gap / len(pts)

    def compare(self, *, refit: bool = True, n_samples: int = 20_000) -> dict[str, Any]:
        """Online vs from-scratch: ``ll_gap``, ``kl``, ``online_ms``, ``batch_ms`` and matched components.

        Classes are weighted by their share of the points (the KL of the joint
        distributions, since both models use the same class counts).
        """
        if refit or not self.batch or self.batch_n != self.n_points:
            self.fit_batch()
        pts, lab = self.points, self.labels
        kl = 0.0
        components = {}
        for c, online in self._classifier.mixtures.items():
            share = float(np.mean(lab == c))
            res = compare_mixtures(self.batch[c], online, pts[lab == c], n_samples=n_samples, seed=self.seed)
            kl += share * res["kl"]
            components[c] = res["components"]
        return {
            "ll_gap": self._ll_gap(),
            "kl": kl,
            "online_ms": statistics.median(self._update_ms),
            "online_last_ms": self._update_ms[-1],
            "batch_ms": self.batch_ms,
            "batch_n": self.batch_n,
            "n": self.n_points,
            "components": components if self.is_classifier else components.get(0, []),
        }


def _describe(models: dict[int, OnlineGMM]) -> list[dict[str, Any]]:
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

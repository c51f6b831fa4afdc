"""How close is the online mixture to a from-scratch fit?

* ``ll_gap``: mean log-likelihood per point of the batch fit minus the online
  model (nats; > 0 means the batch fit explains the points better);
* ``kl``: Monte Carlo KL(batch || online) from samples of the batch model;
* matched components (Hungarian assignment on the means) with their weight,
  mean and covariance differences.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from scipy.optimize import linear_sum_assignment


class DensityModel(Protocol):
    def score_samples(self, X: Any) -> np.ndarray: ...
    def params(self) -> dict[str, Any]: ...


def match_components(reference: dict[str, Any], other: dict[str, Any]) -> list[dict[str, float]]:
    """Pair each reference component with one of ``other`` (Hungarian on mean distance).

    >>> a = {"weights": [0.5, 0.5], "means": [[0, 0], [5, 5]], "covariances": [[[1, 0], [0, 1]]] * 2}
    >>> b = {"weights": [0.4, 0.6], "means": [[5, 4], [0, 0]], "covariances": [[[1, 0], [0, 1]]] * 2}
    >>> [(m["reference"], m["other"], m["mean_distance"]) for m in match_components(a, b)]
    [(0, 1, 0.0), (1, 0, 1.0)]
    """
    ma, mb = np.asarray(reference["means"], float), np.asarray(other["means"], float)
    if len(ma) == 0 or len(mb) == 0:
        return []
    cost = np.linalg.norm(ma[:, None, :] - mb[None, :, :], axis=-1)
    rows, cols = linear_sum_assignment(cost)
    ca, cb = np.asarray(reference["covariances"], float), np.asarray(other["covariances"], float)
    wa, wb = np.asarray(reference["weights"], float), np.asarray(other["weights"], float)
    return [
        {
            "reference": int(i),
            "other": int(j),
            "weight_difference": float(wb[j] - wa[i]),
            "mean_distance": float(cost[i, j]),
            "covariance_distance": float(np.linalg.norm(cb[j] - ca[i])),
        }
        for i, j in zip(rows, cols, strict=True)
    ]


def compare_mixtures(
    batch: DensityModel, online: DensityModel, X: Any, *, n_samples: int = 20_000, seed: int = 0
) -> dict[str, Any]:
    """``ll_gap`` on ``X``, Monte Carlo ``kl`` (batch || online), matched components.

    ``batch`` must be able to ``sample(n, seed)``.
    """
    X = np.asarray(X, float)
    ll_gap = float(np.mean(batch.score_samples(X)) - np.mean(online.score_samples(X)))
    samples = batch.sample(n_samples, seed=seed)  # type: ignore[attr-defined]
    kl = float(np.mean(batch.score_samples(samples) - online.score_samples(samples)))
    return {
        "ll_gap": ll_gap,
        "kl": kl,  # a Monte Carlo estimate: can dip just below 0 when the two agree
        "components": match_components(batch.params(), online.params()),
    }

"""Structural moves of the online mixture: is a component two clusters, and what does a merge cost?

A split is proposed by fitting two Gaussians to a sample of one component's
points (EM started from the two sides of its principal axis); its *gain* is
how much better they explain the component's points than one Gaussian, in
nats over all of them. A merge's cost is Runnalls' bound
(:func:`gmm_math.merge_costs`). Moves are taken when they pay more than the
price of a component (:func:`component_penalty`), so the number of
components follows the data, as a batch fit that chooses K would.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import gmm_math as gm
from .gmm_batch import Prior

SPLIT_ITERATIONS = 3
FIXED_K_PRICE = 1.0  # nats per parameter when K is given (AIC)
AUTO_PRICE = 0.3  # times log N: nats per parameter with "auto" (BIC: 0.5)
BIC_PRICE = 0.5  # times log N: what a check from scratch pays per parameter with "auto"


@dataclass
class Split:
    """Two halves fitted to one component's points and the log-likelihood they gain (nats, all its points)."""

    gain: float
    halves: gm.Mixture


def parameter_price(n_points: int, auto: bool) -> float:
    """What one free parameter costs in nats: ``0.3 log N`` with ``auto``, else AIC's 1.

    A fixed K asks for K components, as batch EM uses them, so any
    well-supported split is taken. ``"auto"`` asks for more evidence, a little
    less than BIC's ``0.5 log N``: clusters that overlap were merged too often
    with BIC's price (``benchmarks/gmm.py``).

    >>> round(parameter_price(100, auto=True), 3), parameter_price(100, auto=False)
    (1.382, 1.0)
    """
    return AUTO_PRICE * math.log(max(n_points, 2)) if auto else FIXED_K_PRICE


def check_price(n_points: int, auto: bool) -> float:
    """What one free parameter costs when a check from scratch picks K: BIC's ``0.5 log N`` with ``auto``.

    A fit from scratch sees every point at once, so it can afford BIC's
    evidence, the same the batch reference asks for; the online moves keep
    :func:`parameter_price`, cheaper, because they see a cluster arrive
    piece by piece.

    >>> round(check_price(100, auto=True), 3), check_price(100, auto=False)
    (2.303, 1.0)
    """
    return BIC_PRICE * math.log(max(n_points, 2)) if auto else FIXED_K_PRICE


def component_penalty(
    dim: int, n_points: int, auto: bool = True, price: Callable[[int, bool], float] = parameter_price
) -> float:
    """The price of one more component: its free parameters times ``price`` (:func:`parameter_price`, or
    :func:`check_price` for a check from scratch).

    >>> round(component_penalty(2, 100), 2), component_penalty(2, 100, auto=False)
    (8.29, 6.0)
    """
    return gm.n_parameters(dim) * price(n_points, auto)


def propose_split(phi: np.ndarray, w: np.ndarray, count: float, dim: int, prior: Prior) -> Split | None:
    """Fit two Gaussians to points ``phi`` (features) weighted by ``w``, a sample of a component of ``count`` points.

    Returns ``None`` when the points do not fall on both sides of their principal axis.

    >>> rng = np.random.default_rng(0)
    >>> two = np.concatenate([rng.normal(-3, 0.5, (40, 2)), rng.normal(3, 0.5, (40, 2))])
    >>> one = rng.normal(0, 1.0, (80, 2))
    >>> prior = Prior(scale=1.0, count=1.0, reg=1e-6)
    >>> split = lambda X: propose_split(gm.features(X), np.ones(len(X)), len(X), 2, prior)
    >>> bool(split(two).gain > component_penalty(2, 80) > split(one).gain)
    True
    """
    total = float(w.sum())
    if total < 2.0:
        return None
    one = gm.m_step((w @ phi)[None], dim, prior.scale, prior.count, prior.reg)
    X = phi[:, 1 : 1 + dim]
    _, vectors = np.linalg.eigh(one.covariances[0])
    side = (X - one.means[0]) @ vectors[:, -1] > 0.0
    if side.all() or not side.any():
        return None
    q = np.stack([~side, side], 1).astype(np.float64)
    for _ in range(SPLIT_ITERATIONS):
        halves = gm.m_step((w[:, None] * q).T @ phi, dim, prior.scale, prior.count, prior.reg)
        q, ll_two = gm.softmax_rows(halves.log_joint(phi))
    ll_one = one.log_joint(phi)[:, 0]
    return Split(gain=float(w @ (ll_two - ll_one)) * count / total, halves=halves)


def cheapest_pair(costs: np.ndarray, exclude: int | None = None) -> tuple[int, int, float]:
    """The pair ``(i, j)``, ``i < j``, with the lowest merge cost, optionally not involving ``exclude``.

    >>> cheapest_pair(np.array([[np.inf, 5.0, 1.0], [np.inf, np.inf, 2.0], [np.inf] * 3]), exclude=2)
    (0, 1, 5.0)
    """
    c = costs.copy()
    if exclude is not None:
        c[exclude, :] = np.inf
        c[:, exclude] = np.inf
    flat = int(np.argmin(c))
    i, j = divmod(flat, c.shape[1])
    return i, j, float(c[i, j])

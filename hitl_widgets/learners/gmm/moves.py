"""Structural moves of the online mixture: is a component two clusters, and what does a merge cost?

A split is proposed by fitting two Gaussians to a sample of one component's
points (EM from three ways to cut them in two, the best kept); its *gain* is
how much better they explain the component's points than one Gaussian, in
nats over all of them. A merge's cost is Runnalls' bound
(:func:`maths.merge_costs`). Moves are taken when they pay more than the
price of a component (:func:`component_penalty`), so the number of
components follows the data, as a batch fit that chooses K would.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import maths as gm
from .batch import Prior

SPLIT_ITERATIONS = 4  # EM iterations of a proposed split (its three starts at once)
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


def propose_split(
    phi: np.ndarray, w: np.ndarray, count: float, dim: int, prior: Prior, *, n_starts: int = 3
) -> Split | None:
    """Fit two Gaussians to points ``phi`` (features) weighted by ``w``, a sample of a component of ``count`` points.

    EM runs from up to ``n_starts`` starts at once (the two sides of the
    principal axis, of the minor axis, and the points nearer each of the two
    farthest apart) and the split that gains most is returned: one start
    alone missed the split of a component that held two clusters side by
    side or three in a row (clicks in random order). ``None`` when no start
    puts points on both sides.

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
    starts = _split_starts(phi[:, 1 : 1 + dim], w, one)[:n_starts]
    if not starts:
        return None
    n_pairs = len(starts)
    # the starts' pairs side by side as one mixture of 2 x n_pairs components (columns 2s and 2s + 1); each
    # pair's responsibilities are normalised within the pair, so the pairs run their EM independently in the
    # same array calls
    q = np.concatenate([np.stack([~side, side], 1) for side in starts], 1).astype(np.float64)
    for _ in range(SPLIT_ITERATIONS):
        S = (w[:, None] * q).T @ phi
        log_joint = gm.m_step(S, dim, prior.scale, prior.count, prior.reg).log_joint(phi)
        first, second = log_joint[:, 0::2], log_joint[:, 1::2]
        with np.errstate(over="ignore"):  # exp overflows to inf for a point far on one side: its share is 0
            q[:, 1::2] = 1.0 / (1.0 + np.exp(first - second))  # a softmax over two
        q[:, 0::2] = 1.0 - q[:, 1::2]
    # each pair's weights were shared with the other pairs' (1 / n_pairs of its points each): log n_pairs back
    ll_two = np.logaddexp(first, second) + math.log(n_pairs)
    gains = (w @ (ll_two - one.log_joint(phi)[:, :1])) * count / total
    best = int(np.argmax(gains))
    halves = gm.m_step(S[2 * best : 2 * best + 2], dim, prior.scale, prior.count, prior.reg)
    return Split(gain=float(gains[best]), halves=halves)


def _split_starts(X: np.ndarray, w: np.ndarray, one: gm.Mixture) -> list[np.ndarray]:
    """Ways to cut points ``X`` in two (a side per point) to start a split's EM from."""
    _, vectors = np.linalg.eigh(one.covariances[0])
    centred = X - one.means[0]
    held = w > 0.5  # the two farthest apart among points the component holds, not its faint tails
    a = int(np.argmax((centred**2).sum(1) * held))
    to_a = ((X - X[a]) ** 2).sum(1)
    b = int(np.argmax(to_a * held))
    starts = [centred @ vectors[:, -1] > 0.0, centred @ vectors[:, 0] > 0.0, ((X - X[b]) ** 2).sum(1) < to_a]
    return [side for side in starts if side.any() and not side.all()]


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

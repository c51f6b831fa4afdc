"""Gaussian-mixture maths shared by the online learner, its structural moves and batch EM.

Shapes: ``X`` (N, D), ``weights`` (K,), ``means`` (K, D), ``covariances``
(K, D, D). Every point is stored as its sufficient-statistic features
``[1, x, vec(x x^T)]``, so the statistics of a mixture are one product,
``S = R.T @ features(X)``, and an E-step is another (``log_joint``).

The M-step is a MAP estimate with a conjugate-style prior that pulls every
component towards ``prior_scale**2 * I``::

    Sigma_k = (S2_k - S0_k mu_k mu_k^T + (1 + nu0) s^2 I) / (S0_k + nu0) + reg I

so a component holding one point has covariance ``s^2 I`` and the prior fades
as ``1 / S0_k``. Degenerate data (one point, duplicates, collinear points)
never gives a singular covariance.

The per-click path works on a handful of numbers, where numpy costs ~0.5 us
an operation and torch's dispatch ~3 us, so the M-step and E-step
coefficients are numpy; batch EM, densities and sampling run in torch.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

LOG_2PI = math.log(2.0 * math.pi)
DTYPE = torch.float64


def birth_threshold(dim: int, quantile: float) -> float:
    """Squared Mahalanobis distance beyond which a point starts a new component.

    The ``quantile`` of the chi-squared distribution with ``dim`` degrees of
    freedom: exact for ``dim`` 1 and 2, Wilson-Hilferty otherwise.

    >>> round(birth_threshold(2, 0.999), 2)
    13.82
    >>> round(birth_threshold(1, 0.95), 3)
    3.841
    """
    if dim == 2:
        return -2.0 * math.log1p(-quantile)
    z = float(torch.special.ndtri(torch.tensor((1.0 + quantile) / 2 if dim == 1 else quantile)))
    if dim == 1:
        return z * z
    a = 2.0 / (9.0 * dim)
    return dim * (1.0 - a + z * math.sqrt(a)) ** 3


def features(X: np.ndarray) -> np.ndarray:
    """Per-point sufficient-statistic features ``[1, x, vec(x x^T)]``, shape (N, 1 + D + D*D).

    >>> features(np.array([[2.0, 3.0]])).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 6.0, 9.0]]
    """
    n, dim = X.shape
    return np.concatenate([np.ones((n, 1)), X, (X[:, :, None] * X[:, None, :]).reshape(n, dim * dim)], 1)


def n_parameters(dim: int) -> int:
    """Free parameters one component adds: its weight, mean and covariance.

    >>> n_parameters(2)
    6
    """
    return 1 + dim + dim * (dim + 1) // 2


@dataclass
class Mixture:
    """A mixture and its E-step coefficients: ``log(pi_k N(x|k)) = h_k - features(x) . Q_k / 2``.

    ``counts`` are the soft point counts behind the weights (the statistics' S0).
    """

    counts: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    logdet: np.ndarray
    Q: np.ndarray
    h: np.ndarray

    def log_joint(self, phi: np.ndarray) -> np.ndarray:
        """(N, K) ``log(pi_k N(x_i | k))`` of points given by their features."""
        return self.h - 0.5 * (phi @ self.Q.T)

    def maha(self, phi: np.ndarray) -> np.ndarray:
        """(N, K) squared Mahalanobis distances (from the expanded form: fine near the origin)."""
        return phi @ self.Q.T


def m_step(S: np.ndarray, dim: int, prior_scale: float, prior_count: float, reg: float) -> Mixture:
    """Weights, means, covariances and E-step coefficients from stacked statistics ``S`` (K, F).

    >>> S = features(np.array([[2.0, 3.0], [4.0, 3.0]])).sum(0, keepdims=True)
    >>> mix = m_step(S, 2, prior_scale=1.0, prior_count=1.0, reg=0.0)
    >>> mix.means.tolist(), mix.covariances[0].round(4).tolist()
    ([[3.0, 3.0]], [[1.3333, 0.0], [0.0, 0.6667]])
    """
    if dim == 2 and S.shape[0]:
        fast = _m_step_2d(S, prior_scale, prior_count, reg)
        if fast is not None:
            return fast
    counts = np.maximum(S[:, 0], 0.0)  # incremental deltas can leave -1e-17
    safe = np.maximum(counts, 1e-10)[:, None]
    means = S[:, 1 : 1 + dim] / safe
    psi = prior_scale**2 * (1.0 + prior_count)
    outer = (means[:, :, None] * means[:, None, :]).reshape(-1, dim * dim)
    flat = (S[:, 1 + dim :] - safe * outer + psi * _flat_eye(dim)) / (safe + prior_count) + reg * _flat_eye(dim)
    cov = flat.reshape(-1, dim, dim)
    floor = _floor(prior_scale, reg)
    prec, logdet = _precision_and_logdet(cov, floor)
    if prec is None:  # round-off far from the origin made a covariance indefinite
        cov = make_positive_definite(cov, 2.0 * floor)  # above the floor: the check below is strict
        prec, logdet = _precision_and_logdet(cov, floor)
    weights = np.maximum(counts, 1e-12)
    weights = weights / weights.sum() if len(weights) else weights
    return _with_coefficients(counts, weights, means, cov, prec, logdet)


def _m_step_2d(S: np.ndarray, prior_scale: float, prior_count: float, reg: float) -> Mixture | None:
    """The 2-D M-step in closed form, column by column (it runs several times per click).

    ``None`` when a covariance came out indefinite (the general path repairs it).
    """
    counts = np.maximum(S[:, 0], 0.0)
    safe = np.maximum(counts, 1e-10)
    mx, my = S[:, 1] / safe, S[:, 2] / safe
    psi = prior_scale**2 * (1.0 + prior_count)
    shrink = 1.0 / (safe + prior_count)
    # (S2 - n mu mu^T + psi I) / (n + nu0) + reg I = [[a, b], [b, c]]
    a = (S[:, 3] - safe * mx * mx + psi) * shrink + reg
    b = (S[:, 4] - safe * mx * my) * shrink
    c = (S[:, 6] - safe * my * my + psi) * shrink + reg
    det = a * c - b * b
    floor = _floor(prior_scale, reg)
    if min(a.min() - floor, det.min() - floor * floor) <= 0.0:
        return None
    inv_det = 1.0 / det
    pa, pb, pc = c * inv_det, -b * inv_det, a * inv_det  # the precision matrix
    pmx, pmy = pa * mx + pb * my, pb * mx + pc * my
    k = S.shape[0]
    Q = np.empty((k, 7))  # filled by columns: np.stack costs more than the arithmetic here
    Q[:, 0], Q[:, 1], Q[:, 2] = pmx * mx + pmy * my, -2.0 * pmx, -2.0 * pmy
    Q[:, 3], Q[:, 4], Q[:, 5], Q[:, 6] = pa, pb, pb, pc
    cov = np.empty((k, 2, 2))
    cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 0], cov[:, 1, 1] = a, b, b, c
    means = np.empty((k, 2))
    means[:, 0], means[:, 1] = mx, my
    weights = np.maximum(counts, 1e-12)
    weights /= weights.sum()
    logdet = np.log(det)
    h = np.log(weights) - LOG_2PI - 0.5 * logdet
    return Mixture(counts, weights, means, cov, logdet, Q, h)


def _floor(prior_scale: float, reg: float) -> float:
    """The smallest variance a covariance may have: the ridge, and never below a trillionth of the prior's."""
    return max(reg, 1e-12 * prior_scale * prior_scale)


def mixture_from_parameters(weights: np.ndarray, means: np.ndarray, cov: np.ndarray) -> Mixture:
    """A :class:`Mixture` (with E-step coefficients) from parameters, e.g. a fit from elsewhere."""
    cov = np.asarray(cov, dtype=np.float64)
    prec, logdet = _precision_and_logdet(cov, 1e-12)
    if prec is None:
        cov = make_positive_definite(cov, 1e-12)
        prec, logdet = _precision_and_logdet(cov, 1e-12)
    w = np.asarray(weights, dtype=np.float64)
    return _with_coefficients(w.copy(), w / w.sum(), np.asarray(means, dtype=np.float64), cov, prec, logdet)


def _with_coefficients(counts, weights, means, cov, prec, logdet) -> Mixture:
    dim = means.shape[1]
    pm = np.einsum("kde,ke->kd", prec, means)
    Q = np.concatenate([(pm * means).sum(1, keepdims=True), -2.0 * pm, prec.reshape(-1, dim * dim)], 1)
    with np.errstate(divide="ignore"):
        h = np.log(weights) - 0.5 * (dim * LOG_2PI + logdet)
    return Mixture(counts, weights, means, cov, logdet, Q, h)


@functools.cache
def _flat_eye(dim: int) -> np.ndarray:
    """The identity, flattened as the features' second moments are (read-only, shared)."""
    return np.eye(dim).ravel()


def _precision_and_logdet(cov: np.ndarray, floor: float) -> tuple[np.ndarray | None, np.ndarray]:
    """Inverses and log-determinants (closed form in 2-D); ``None`` if a covariance is not positive definite."""
    if cov.shape[0] == 0:
        return cov.copy(), np.zeros(0)
    if cov.shape[-1] == 2:
        a, b, c = cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 1]
        det = a * c - b * b
        if min((a - floor).min(), (det - floor * floor).min()) <= 0.0:
            return None, det
        prec = np.stack([c, -b, -b, a], 1).reshape(-1, 2, 2) / det[:, None, None]
        return prec, np.log(det)
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        return None, np.zeros(cov.shape[0])
    return np.linalg.inv(cov), 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(1)


def make_positive_definite(cov: np.ndarray, floor: float = 1e-12) -> np.ndarray:
    """Clip eigenvalues at ``floor`` where round-off made a covariance indefinite.

    >>> fixed = make_positive_definite(np.array([[[1.0, 2.0], [2.0, 1.0]]]), 0.1)
    >>> np.linalg.eigvalsh(fixed).round(6).tolist()
    [[0.1, 3.0]]
    """
    evals, evecs = np.linalg.eigh(cov)
    return evecs @ (np.maximum(evals, floor)[..., None] * np.swapaxes(evecs, 1, 2))


def softmax_rows(lp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Responsibilities and per-row log-sum-exp of (N, K) joint log-probabilities."""
    top = lp.max(1, keepdims=True)
    e = np.exp(lp - top)
    total = e.sum(1, keepdims=True)
    return e / total, (top + np.log(total))[:, 0]


def merge_costs(mix: Mixture, *, lower_bound: bool = False) -> np.ndarray:
    """Runnalls (2007) cost, in nats over all points, of merging each pair (K, K).

    ``B(i, j) = 0.5 [n_ij log|S_ij| - n_i log|S_i| - n_j log|S_j|]`` with soft
    counts ``n`` and ``S_ij`` the moment-matched covariance: an upper bound on
    the log-likelihood the points lose. ``lower_bound`` subtracts
    ``n_ij H(n_i / n_ij)``, the loss were every point assigned to one
    component (exact for well-separated ones). The lower triangle is ``inf``.

    >>> mix = mixture_from_parameters(np.array([10.0, 10.0, 10.0]), np.array([[0, 0], [0.1, 0], [9, 9]]),
    ...                               np.stack([np.eye(2)] * 3))
    >>> c = merge_costs(mix)
    >>> bool(c[0, 1] < 1.0 < c[0, 2])   # near neighbours are cheap to merge, far ones are not
    True
    """
    n, mu, cov, logdet = mix.counts, mix.means, mix.covariances, mix.logdet
    nij = n[:, None] + n[None, :]
    safe = np.maximum(nij, 1e-12)
    d = mu[:, None, :] - mu[None, :, :]
    merged = (n[:, None, None, None] * cov[:, None] + n[None, :, None, None] * cov[None, :]) / safe[..., None, None]
    merged = merged + (n[:, None] * n[None, :] / safe**2)[..., None, None] * d[..., :, None] * d[..., None, :]
    costs = 0.5 * (nij * _logdets(merged) - n[:, None] * logdet[:, None] - n[None, :] * logdet[None, :])
    if lower_bound:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = n[:, None] / safe
            entropy = -(share * np.log(share) + (1 - share) * np.log1p(-share))
        costs = costs - nij * np.nan_to_num(entropy)
    costs[_lower_triangle(len(n))] = np.inf
    return costs


def _logdets(cov: np.ndarray) -> np.ndarray:
    """``log |det|`` of a stack of covariances (closed form in 2-D, where ``slogdet``'s set-up dominates)."""
    if cov.shape[-1] == 2:
        return np.log(np.abs(cov[..., 0, 0] * cov[..., 1, 1] - cov[..., 0, 1] * cov[..., 1, 0]))
    return np.linalg.slogdet(cov)[1]


@functools.cache
def _lower_triangle(k: int) -> np.ndarray:
    """Mask of the diagonal and below of a (k, k) matrix (cached: it is asked for on every merge test)."""
    return np.tril(np.ones((k, k), dtype=bool))


# ---------------------------------------------------------------- torch side
def log_density(X: torch.Tensor, weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    """(N,) mixture log-density.

    >>> X = torch.zeros(1, 2, dtype=DTYPE)
    >>> w = torch.ones(1, dtype=DTYPE); mu = torch.zeros(1, 2, dtype=DTYPE)
    >>> round(float(log_density(X, w, mu, torch.eye(2, dtype=DTYPE)[None])[0]), 4)  # -log(2 pi)
    -1.8379
    """
    # direct differences x - mu, not the expanded features form used in EM: scoring
    # points far from the means must not lose digits to cancellation
    chol = torch.linalg.cholesky(cov)
    d = X[:, None, :] - means[None, :, :]
    z = torch.linalg.solve_triangular(chol[None], d[..., None], upper=False)[..., 0]
    logdet = 2.0 * chol.diagonal(dim1=-2, dim2=-1).log().sum(-1)
    lp = torch.log(weights) - 0.5 * (X.shape[1] * LOG_2PI + logdet + (z * z).sum(-1))
    return torch.logsumexp(lp, dim=1)


def sample_mixture(
    n: int, weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """Draw ``n`` points from the mixture."""
    z = torch.multinomial(weights, n, replacement=True, generator=generator)
    chol = torch.linalg.cholesky(cov)
    eps = torch.randn(n, means.shape[1], dtype=means.dtype, generator=generator)
    return means[z] + torch.einsum("nde,ne->nd", chol[z], eps)

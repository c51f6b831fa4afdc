"""Gaussian-mixture maths shared by the online and the batch learner.

Pure torch functions on float64 tensors. Shapes: ``X`` (N, D), ``weights`` (K,),
``means`` (K, D), ``covariances`` (K, D, D), ``precisions`` (K, D, D).

The covariance estimate is a MAP estimate with a conjugate-style prior that
pulls every component towards ``prior_scale**2 * I``::

    Sigma_k = (S2_k - S0_k mu_k mu_k^T + (1 + nu0) s^2 I) / (S0_k + nu0) + reg I

so a component holding one point has covariance ``s^2 I`` and the prior fades
as ``1 / S0_k``. Degenerate data (one point, duplicates, collinear points)
therefore never gives a singular covariance.
"""

from __future__ import annotations

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


def features(X: torch.Tensor) -> torch.Tensor:
    """Per-point sufficient-statistic features ``[1, x, vec(x x^T)]``, shape (N, 1 + D + D*D).

    With them the statistics of a mixture are one product, ``S = R.T @ features(X)``,
    and the E-step is another, ``features(X) @ coefficients.T``.

    >>> features(torch.tensor([[2.0, 3.0]], dtype=DTYPE)).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 6.0, 9.0]]
    """
    n, dim = X.shape
    return torch.cat([torch.ones(n, 1, dtype=X.dtype), X, (X[:, :, None] * X[:, None, :]).reshape(n, dim * dim)], 1)


def split_statistics(S: torch.Tensor, dim: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Views (S0 (K,), S1 (K, D), S2 (K, D, D)) of stacked statistics."""
    return S[:, 0], S[:, 1 : 1 + dim], S[:, 1 + dim :].reshape(-1, dim, dim)


def map_estimate(
    S: torch.Tensor, dim: int, prior_scale: float, prior_count: float, reg: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Weights, means and covariances from stacked statistics ``S`` (the M-step).

    >>> S = features(torch.tensor([[2.0, 3.0]], dtype=DTYPE))
    >>> w, mu, cov = map_estimate(S, 2, prior_scale=0.5, prior_count=1.0, reg=0.0)
    >>> mu.tolist(), cov[0].diagonal().tolist()
    ([[2.0, 3.0]], [0.25, 0.25])
    """
    s0, s1, s2 = split_statistics(S, dim)
    counts = s0.clamp_min(0.0)  # incremental deltas can leave -1e-17
    safe = counts.clamp_min(1e-10)
    means = s1 / safe[:, None]
    denom = (safe + prior_count)[:, None, None]
    psi = prior_scale**2 * (1.0 + prior_count)
    # s2 and mu mu^T are exactly symmetric, so cov is too
    cov = (s2 - safe[:, None, None] * (means[:, :, None] * means[:, None, :]) + psi * _eye(dim)) / denom
    cov = cov + reg * _eye(dim)
    weights = counts.clamp_min(1e-12)
    return weights / weights.sum(), means, cov


_EYES: dict[int, torch.Tensor] = {}


def _eye(dim: int) -> torch.Tensor:
    if dim not in _EYES:
        _EYES[dim] = torch.eye(dim, dtype=DTYPE)
    return _EYES[dim]


def make_positive_definite(cov: torch.Tensor, floor: float = 1e-12) -> torch.Tensor:
    """Clip eigenvalues at ``floor`` where round-off made a covariance indefinite.

    Cancellation in ``S2 - S0 mu mu^T`` far from the origin can do that.

    >>> fixed = make_positive_definite(torch.tensor([[[1.0, 2.0], [2.0, 1.0]]], dtype=DTYPE), 0.1)
    >>> torch.linalg.eigvalsh(fixed).round(decimals=6).tolist()
    [[0.1, 3.0]]
    """
    evals, evecs = torch.linalg.eigh(cov)
    return evecs @ torch.diag_embed(evals.clamp_min(floor)) @ evecs.transpose(1, 2)


def precision_and_logdet(cov: torch.Tensor, floor: float = 1e-12) -> tuple[torch.Tensor, torch.Tensor]:
    """Inverse and log-determinant of each covariance (closed form in 2-D).

    An indefinite covariance (round-off far from the origin) is first made
    positive definite, so neither output is ever NaN.
    """
    if cov.shape[0] == 0:
        return cov, cov.new_zeros(0)
    if cov.shape[-1] == 2:
        a, b, c = cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 1]
        det = a * c - b * b
        if float(torch.minimum(a - floor, det - floor * floor).min()) <= 0.0:
            return precision_and_logdet(make_positive_definite(cov, floor), floor)
        prec = torch.stack([c, -b, -b, a], 1).view(-1, 2, 2) / det[:, None, None]
        return prec, torch.log(det)
    chol, info = torch.linalg.cholesky_ex(cov)
    if bool((info != 0).any()):
        chol = torch.linalg.cholesky(make_positive_definite(cov, floor))
    return torch.cholesky_inverse(chol), 2.0 * chol.diagonal(dim1=-2, dim2=-1).log().sum(-1)


@dataclass
class MixtureState:
    """A mixture and its E-step coefficients: ``log(pi_k N(x|k)) = h_k - features(x) . Q_k / 2``."""

    weights: torch.Tensor
    means: torch.Tensor
    covariances: torch.Tensor
    logdet: torch.Tensor
    Q: torch.Tensor
    h: torch.Tensor


def m_step(S: torch.Tensor, dim: int, prior_scale: float, prior_count: float, reg: float) -> MixtureState:
    """The M-step and the E-step coefficients in one pass (few ops in 2-D: it runs per click).

    >>> S = features(torch.tensor([[2.0, 3.0], [4.0, 3.0]], dtype=DTYPE)).sum(0, keepdim=True)
    >>> st = m_step(S, 2, prior_scale=1.0, prior_count=1.0, reg=0.0)
    >>> st.means.tolist(), [round(v, 4) for v in st.covariances[0].flatten().tolist()]
    ([[3.0, 3.0]], [1.3333, 0.0, 0.0, 0.6667])
    """
    if dim != 2 or S.shape[0] == 0:
        return mixture_state(*map_estimate(S, dim, prior_scale, prior_count, reg), floor=max(reg, 1e-12))
    # K x 7 numbers: numpy on a zero-copy view costs ~0.5 us per operation where
    # torch's dispatch costs ~3 us, and this runs on every click
    floor = max(reg, 1e-12)
    Sn = S.numpy()
    counts = np.maximum(Sn[:, 0], 0.0)
    safe = np.maximum(counts, 1e-10)[:, None]
    mu = Sn[:, 1:3] / safe
    psi = prior_scale**2 * (1.0 + prior_count)
    # flat covariances [a, b, b, c]: (S2 - n mu mu^T + psi I) / (n + nu0) + reg I
    flat = (Sn[:, 3:7] - safe * (mu[:, _I00_11] * mu[:, _I01_01]) + psi * _FLAT_EYE) / (safe + prior_count)
    flat += reg * _FLAT_EYE
    a, b, c = flat[:, 0], flat[:, 1], flat[:, 3]
    det = a * c - b * b
    if min(a.min() - floor, det.min() - floor * floor) <= 0.0:
        return _m_step_repaired(S, prior_scale, prior_count, reg)
    prec = flat[:, _I_ADJ] * _SIGNS / det[:, None]
    logdet = np.log(det)
    pm = np.stack([prec[:, 0] * mu[:, 0] + prec[:, 1] * mu[:, 1], prec[:, 2] * mu[:, 0] + prec[:, 3] * mu[:, 1]], 1)
    Q = np.concatenate([(pm * mu).sum(1, keepdims=True), -2.0 * pm, prec], 1)
    w = np.maximum(counts, 1e-12)
    w /= w.sum()
    h = np.log(w) - 0.5 * (2 * LOG_2PI + logdet)
    t = torch.from_numpy
    return MixtureState(t(w), t(mu), t(flat).view(-1, 2, 2), t(logdet), t(Q), t(h))


_FLAT_EYE = np.array([1.0, 0.0, 0.0, 1.0])
_SIGNS = np.array([1.0, -1.0, -1.0, 1.0])
_I00_11, _I01_01, _I_ADJ = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([3, 1, 2, 0])


def _m_step_repaired(S: torch.Tensor, prior_scale: float, prior_count: float, reg: float) -> MixtureState:
    """The general path, whose inverse repairs an indefinite covariance (round-off far from the origin)."""
    w, mu, cov = map_estimate(S, 2, prior_scale, prior_count, reg)
    return mixture_state(w, mu, make_positive_definite(cov, max(reg, 1e-12)), floor=max(reg, 1e-12))


def mixture_state(weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor, floor: float = 1e-12) -> MixtureState:
    """A mixture with its E-step coefficients (the general path; any dimension)."""
    prec, logdet = precision_and_logdet(cov, floor)
    h = torch.log(weights) - 0.5 * (means.shape[1] * LOG_2PI + logdet)
    return MixtureState(weights, means, cov, logdet, quadratic_coefficients(means, prec), h)


def quadratic_coefficients(means: torch.Tensor, precisions: torch.Tensor) -> torch.Tensor:
    """(K, 1 + D + D*D) rows ``Q_k`` with ``features(X) @ Q.T`` = squared Mahalanobis distances.

    ``(x - mu)^T P (x - mu) = mu^T P mu - 2 (P mu)^T x + vec(P) . vec(x x^T)``.
    """
    pm = (precisions @ means[:, :, None])[:, :, 0]
    return torch.cat([(pm * means).sum(1, keepdim=True), -2.0 * pm, precisions.flatten(1)], 1)


def squared_mahalanobis(X: torch.Tensor, means: torch.Tensor, precisions: torch.Tensor) -> torch.Tensor:
    """(N, K) squared Mahalanobis distances of each row to each component."""
    d = X[:, None, :] - means[None, :, :]
    return torch.einsum("nkd,kde,nke->nk", d, precisions, d)


def joint_log_prob(maha: torch.Tensor, weights: torch.Tensor, logdet: torch.Tensor, dim: int) -> torch.Tensor:
    """(N, K) log(pi_k N(x | k)) from squared Mahalanobis distances."""
    return torch.log(weights) - 0.5 * (dim * LOG_2PI + logdet + maha)


def log_density(X: torch.Tensor, weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    """(N,) mixture log-density.

    >>> X = torch.zeros(1, 2, dtype=DTYPE)
    >>> w = torch.ones(1, dtype=DTYPE); mu = torch.zeros(1, 2, dtype=DTYPE)
    >>> cov = torch.eye(2, dtype=DTYPE)[None]
    >>> round(float(log_density(X, w, mu, cov)[0]), 4)  # -log(2 pi)
    -1.8379
    """
    # direct differences x - mu, not the expanded features form used in EM: scoring
    # points far from the means must not lose digits to cancellation
    prec, logdet = precision_and_logdet(cov)
    lp = joint_log_prob(squared_mahalanobis(X, means, prec), weights, logdet, X.shape[1])
    return torch.logsumexp(lp, dim=1)


def sample_mixture(
    n: int, weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """Draw ``n`` points from the mixture."""
    z = torch.multinomial(weights, n, replacement=True, generator=generator)
    chol = torch.linalg.cholesky(cov)
    eps = torch.randn(n, means.shape[1], dtype=means.dtype, generator=generator)
    return means[z] + torch.einsum("nde,ne->nd", chol[z], eps)


def merge_costs(weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor, logdet: torch.Tensor) -> torch.Tensor:
    """Runnalls (2007) upper bound on the KL cost of merging each pair (K, K).

    ``B(i, j) = 0.5 [(w_i + w_j) log|S_ij| - w_i log|S_i| - w_j log|S_j|]``,
    ``S_ij`` the moment-matched covariance; the lower triangle is ``inf``.
    """
    w = weights
    wij = w[:, None] + w[None, :]
    d = means[:, None, :] - means[None, :, :]
    merged = (w[:, None, None, None] * cov[:, None] + w[None, :, None, None] * cov[None, :]) / wij[..., None, None] + (
        w[:, None] * w[None, :] / wij**2
    )[..., None, None] * d[..., :, None] * d[..., None, :]
    costs = 0.5 * (wij * torch.linalg.slogdet(merged)[1] - w[:, None] * logdet[:, None] - w[None, :] * logdet[None, :])
    k = len(w)
    mask = torch.ones(k, k, dtype=torch.bool).tril()
    return costs.masked_fill(mask, math.inf)


@dataclass
class BatchFit:
    """Result of batch EM: the mixture, its responsibilities and mean log-likelihood."""

    weights: torch.Tensor
    means: torch.Tensor
    covariances: torch.Tensor
    responsibilities: torch.Tensor
    mean_log_likelihood: float
    n_iter: int


def kmeans_plus_plus(X: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """k-means++ seeding: ``k`` rows of ``X`` spread out by D^2 sampling."""
    n = X.shape[0]
    first = int(torch.randint(n, (1,), generator=generator))
    centres = [X[first]]
    d2 = ((X - X[first]) ** 2).sum(1)
    for _ in range(1, k):
        total = float(d2.sum())
        if total <= 0.0:  # all remaining points coincide with a centre
            nxt = int(torch.randint(n, (1,), generator=generator))
        else:
            nxt = int(torch.multinomial(d2 / total, 1, generator=generator))
        centres.append(X[nxt])
        d2 = torch.minimum(d2, ((X - X[nxt]) ** 2).sum(1))
    return torch.stack(centres)


def batch_em(
    X: torch.Tensor,
    k: int,
    *,
    prior_scale: float,
    prior_count: float,
    reg: float,
    n_init: int,
    generator: torch.Generator,
    max_iter: int = 200,
    tol: float = 1e-6,
    init_means: torch.Tensor | None = None,
) -> BatchFit:
    """EM from scratch with the MAP covariance prior; the best of several starts.

    Starts: ``n_init`` k-means++ seedings, plus ``init_means`` when given (a
    warm start from the online model). ``k`` is capped at the number of points.
    """
    k = max(1, min(k, X.shape[0]))
    starts = [kmeans_plus_plus(X, k, generator) for _ in range(n_init)]
    if init_means is not None and init_means.shape[0] == k:
        starts.append(init_means)
    best: BatchFit | None = None
    for means0 in starts:
        fit = _em_from_means(X, means0, prior_scale, prior_count, reg, max_iter, tol)
        if best is None or fit.mean_log_likelihood > best.mean_log_likelihood:
            best = fit
    assert best is not None
    return best


def _em_from_means(
    X: torch.Tensor, means0: torch.Tensor, prior_scale: float, prior_count: float, reg: float, max_iter: int, tol: float
) -> BatchFit:
    dim = X.shape[1]
    phi = features(X)
    # hard assignment to the nearest seed, then alternate M and E steps
    resp = torch.nn.functional.one_hot(torch.cdist(X, means0).argmin(1), means0.shape[0]).to(X.dtype)
    previous = -math.inf
    it = 0
    for it in range(1, max_iter + 1):
        weights, means, cov = map_estimate(resp.T @ phi, dim, prior_scale, prior_count, reg)
        lp = phi @ log_prob_coefficients(weights, means, cov).T
        ll = torch.logsumexp(lp, dim=1, keepdim=True)
        resp = torch.exp(lp - ll)
        mean_ll = float(ll.mean())
        if mean_ll - previous < tol:
            break
        previous = mean_ll
    weights, means, cov = map_estimate(resp.T @ phi, dim, prior_scale, prior_count, reg)
    mean_ll = float(torch.logsumexp(phi @ log_prob_coefficients(weights, means, cov).T, 1).mean())
    return BatchFit(weights, means, cov, resp, mean_ll, it)


def log_prob_coefficients(weights: torch.Tensor, means: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    """(K, 1 + D + D*D) rows ``G_k`` with ``features(X) @ G.T`` = log(pi_k N(x | k))."""
    state = mixture_state(weights, means, cov)
    g = -0.5 * state.Q
    g[:, 0] += state.h
    return g

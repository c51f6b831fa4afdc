"""Batch EM from scratch: the reference the online mixture is compared with, and the idle-time check.

The same MAP M-step as the online learner (:func:`maths.m_step`), with
E-steps over all points in torch. Several k-means++ starts run on a
subsample of at most ``SUBSAMPLE`` points and the best is polished on all
of them, so a fit of 10,000 points costs a few polishing passes, not
``n_init`` full fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from . import maths as gm

SUBSAMPLE = 2048  # starts are fitted on at most this many points, the best is polished on all
SELECT_SAMPLE = 1024  # K is chosen on at most this many points
START_TOL = 1e-3  # starts run to scikit-learn's tolerance (nats per point); the best is polished to 1e-6


@dataclass
class BatchFit:
    """A fitted mixture, its responsibilities (N, K) and mean log-likelihood per point."""

    mixture: gm.Mixture
    responsibilities: torch.Tensor
    mean_log_likelihood: float
    n_iter: int

    @property
    def n_components(self) -> int:
        return int(self.mixture.weights.shape[0])

    def criterion(self, n: int, dim: int, price: float) -> float:
        """Penalised negative log-likelihood on ``n`` points, ``price`` nats per free parameter (lower is better).

        ``price = log(n) / 2`` is BIC (halved), ``price = 1`` is AIC (halved).
        """
        k = self.n_components
        return -self.mean_log_likelihood * n + price * (k * gm.n_parameters(dim) - 1)


@dataclass(frozen=True)
class Prior:
    """The covariance prior and ridge every fit shares with the online model (frozen: a fit in another
    thread keeps the one it was given while the online model's prior follows new points)."""

    scale: float
    count: float
    reg: float


def kmeans_plus_plus(X: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """Greedy k-means++ seeding, as scikit-learn seeds: ``k`` rows of ``X`` spread out by D^2 sampling.

    Each step draws ``2 + log k`` candidates and keeps the one that lowers
    the k-means cost most; plain k-means++ (one candidate) lands in a poor
    start far more often on curved or elongated clusters.
    """
    n = X.shape[0]
    trials = 2 + int(math.log(k))
    first = int(torch.randint(n, (1,), generator=generator))
    centres = [X[first]]
    d2 = ((X - X[first]) ** 2).sum(1)
    for _ in range(1, k):
        total = float(d2.sum())
        if total <= 0.0:
            candidates = torch.randint(n, (trials,), generator=generator)
        else:
            candidates = torch.multinomial(d2 / total, trials, replacement=True, generator=generator)
        reach = torch.minimum(d2[None, :], torch.cdist(X[candidates], X) ** 2)  # (trials, N)
        best = int(torch.argmin(reach.sum(1)))
        centres.append(X[candidates[best]])
        d2 = reach[best]
    return torch.stack(centres)


def em(
    X: torch.Tensor,
    resp: torch.Tensor,
    prior: Prior,
    *,
    max_iter: int = 200,
    tol: float = 1e-6,
    phi: torch.Tensor | None = None,
) -> BatchFit:
    """EM from starting responsibilities ``resp`` (N, K) until the log-likelihood gains less than ``tol``."""
    dim = X.shape[1]
    phi = torch.from_numpy(gm.features(X.numpy())) if phi is None else phi
    previous, it, ll = -math.inf, 0, None
    mix = None
    for it in range(1, max_iter + 1):
        mix = gm.m_step((resp.T @ phi).numpy(), dim, prior.scale, prior.count, prior.reg)
        lp = torch.from_numpy(mix.h) - 0.5 * (phi @ torch.from_numpy(mix.Q).T)
        ll = torch.logsumexp(lp, dim=1, keepdim=True)
        resp = torch.exp(lp - ll)
        if float(ll.mean()) - previous < tol:
            break
        previous = float(ll.mean())
    mix = gm.m_step((resp.T @ phi).numpy(), dim, prior.scale, prior.count, prior.reg)
    lp = torch.from_numpy(mix.h) - 0.5 * (phi @ torch.from_numpy(mix.Q).T)
    ll = torch.logsumexp(lp, dim=1, keepdim=True)
    return BatchFit(mix, torch.exp(lp - ll), float(ll.mean()), it)


def responsibilities_under(X: torch.Tensor, mixture: gm.Mixture) -> torch.Tensor:
    """(N, K) responsibilities of ``X`` under a mixture (one E-step)."""
    phi = torch.from_numpy(gm.features(X.numpy()))
    lp = torch.from_numpy(mixture.h) - 0.5 * (phi @ torch.from_numpy(mixture.Q).T)
    return torch.softmax(lp, dim=1)


def _nearest(X: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.one_hot(torch.cdist(X, means).argmin(1), means.shape[0]).to(X.dtype)


def kmeans(X: torch.Tensor, k: int, generator: torch.Generator, iterations: int = 20) -> torch.Tensor:
    """Hard assignments (N, k) of Lloyd's k-means from a k-means++ seeding (EM starts from them)."""
    resp = _nearest(X, kmeans_plus_plus(X, k, generator))
    for _ in range(iterations):
        counts = resp.sum(0)
        keep = counts > 0
        centres = (resp.T @ X)[keep] / counts[keep, None]
        new = _nearest(X, centres)
        if new.shape == resp.shape and torch.equal(new, resp):
            break
        resp = new
    if resp.shape[1] < k:  # a centre lost every point: pad with empty columns (EM's prior keeps them finite)
        resp = torch.cat([resp, resp.new_zeros(resp.shape[0], k - resp.shape[1])], 1)
    return resp


def batch_em(
    X: torch.Tensor,
    k: int,
    prior: Prior,
    *,
    n_init: int,
    generator: torch.Generator,
    warm: gm.Mixture | None = None,
) -> BatchFit:
    """The best of ``n_init`` k-means starts (and ``warm``, a current mixture, when given), as scikit-learn starts.

    Each start runs to scikit-learn's tolerance; only the best is run on to
    convergence, so ``n_init`` starts cost little more than one full fit.

    ``k`` is capped at the number of points.
    """
    n = X.shape[0]
    k = max(1, min(k, n))
    sample = X if n <= SUBSAMPLE else X[torch.randperm(n, generator=generator)[:SUBSAMPLE]]
    best = _best_of(sample, k, prior, n_init, generator, tol=START_TOL)
    # polish the best start on every point
    start = best.responsibilities if sample is X else responsibilities_under(X, best.mixture)
    best = em(X, start, prior)
    if warm is not None and warm.weights.shape[0] == k:
        fit = em(X, responsibilities_under(X, warm), prior)
        if fit.mean_log_likelihood > best.mean_log_likelihood:
            best = fit
    return best


def batch_em_select(
    X: torch.Tensor,
    ks: range | list[int],
    prior: Prior,
    *,
    price: float,
    n_init: int,
    generator: torch.Generator,
    warm: gm.Mixture | None = None,
) -> BatchFit:
    """Batch EM with the number of components in ``ks`` that gives the best penalised likelihood.

    ``price`` is what each free parameter costs in nats: ``log(n) / 2`` picks K
    as BIC does, ``1`` as AIC does. With many points, K is chosen on a
    subsample of ``SELECT_SAMPLE`` (looser fits, fewer starts) and only the
    chosen K is fitted in full.
    """
    n, dim = X.shape
    ks = sorted({max(1, min(k, n)) for k in ks})
    if len(ks) > 1 and n > SELECT_SAMPLE:
        sample = X[torch.randperm(n, generator=generator)[:SELECT_SAMPLE]]
        quick = [_best_of(sample, k, prior, min(n_init, 3), generator, tol=1e-4) for k in ks]
        ks = [min(quick, key=lambda f: f.criterion(SELECT_SAMPLE, dim, price)).n_components]
    fits = [batch_em(X, k, prior, n_init=n_init, generator=generator, warm=warm) for k in ks]
    return min(fits, key=lambda f: f.criterion(n, dim, price))


def _best_of(X: torch.Tensor, k: int, prior: Prior, n_init: int, generator: torch.Generator, tol: float) -> BatchFit:
    fits = [em(X, kmeans(X, k, generator), prior, tol=tol) for _ in range(n_init)]
    return max(fits, key=lambda f: f.mean_log_likelihood)

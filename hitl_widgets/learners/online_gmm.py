"""Online Gaussian mixture: incremental EM over the stored points, in torch.

The design (Neal & Hinton 1998, with the birth/merge and batch check measured
best in RESEARCH.md):

* exact sufficient statistics S0, S1, S2 per component, and each stored point's
  responsibilities R, all float64 around a fixed origin (the first point), so
  a new point costs O(K D^2) plus a refresh of ``refresh`` random old points -
  never a refit from scratch;
* a point far from every component (squared Mahalanobis distance above the
  chi-squared ``birth_quantile``) starts a component; at ``n_components`` it
  waits in a candidate slot until it holds ``merge_after`` points, then the
  cheapest pair (Runnalls 2007) is merged, so one outlier never forces a merge;
* when N reaches a power of two, and 32 points after a merge, batch EM from
  scratch runs and is adopted if it explains the points better;
* ``undo()`` restores the state from before the last ``learn_one`` exactly
  (a journal of what each step changed); ``forget(i)`` removes any point's
  contribution from the sums exactly.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from ..base import Estimator
from . import gmm_math as gm
from ._validation import as_matrix, as_point

ADOPT_MARGIN = 1e-3  # nats per point a from-scratch fit must gain to be adopted
CHECK_AFTER_MERGE = 32
# points far from every component that found no free slot: this many means the
# mixture misfits (e.g. a stale candidate blocks births), so fit from scratch
CHECK_AFTER_FAR_POINTS = 16


@dataclass
class _UndoRecord:
    """What one ``learn_one`` changed, enough to restore the state before it."""

    n: int
    k: int
    stats: torch.Tensor
    rng_state: dict[str, Any]
    counters: tuple[int, int | None, int, int]
    origin: torch.Tensor
    refreshed: tuple[torch.Tensor, torch.Tensor] | None = None
    all_responsibilities: torch.Tensor | None = field(default=None, repr=False)


class OnlineGMM(Estimator):
    """A Gaussian mixture that learns one point at a time.

    Parameters
    ----------
    n_components
        Maximum number of components K.
    seed
        Seed of the refresh sampling and of the batch fits.
    prior_scale
        Standard deviation (data units) that the covariance prior pulls
        towards; a one-point component has covariance ``prior_scale**2 * I``.
        About 5% of the data's span works well.
    prior_count
        Strength of that prior in pseudo-points.
    reg
        Ridge added to every covariance.
    refresh
        Stored points whose responsibilities are recomputed per new point.
    birth_quantile
        Chi-squared quantile of the birth distance.
    merge_after
        Points a candidate component must gather before a pair is merged.
    batch_check
        Run the periodic from-scratch check (and adopt a better fit).
    n_init
        Starts of every batch EM fit (``fit`` and the batch check).
    undo_depth
        How many ``learn_one`` calls ``undo`` restores exactly.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 0.5, (100, 2)), rng.normal(3, 0.5, (100, 2))])
    >>> gmm = OnlineGMM(n_components=2, seed=0)
    >>> for x in rng.permutation(X):
    ...     gmm.learn_one(x)
    >>> p = gmm.params()
    >>> sorted(round(m[0]) for m in p["means"])
    [-3, 3]
    >>> batch = OnlineGMM(n_components=2, seed=0).fit(X)
    >>> gap = batch.score_samples(X).mean() - gmm.score_samples(X).mean()
    >>> bool(abs(gap) < 0.01)
    True
    >>> gmm.undo()  # the last point is forgotten, the model is as before it
    >>> gmm.n_points
    199
    """

    def __init__(
        self,
        n_components: int = 5,
        *,
        seed: int = 0,
        prior_scale: float = 1.0,
        prior_count: float = 1.0,
        reg: float = 1e-6,
        refresh: int = 64,
        birth_quantile: float = 0.999,
        merge_after: float = 3.0,
        batch_check: bool = True,
        n_init: int = 3,
        undo_depth: int = 256,
    ):
        if n_components < 1:
            raise ValueError(f"n_components must be at least 1, got {n_components}")
        if prior_scale <= 0:
            raise ValueError(f"prior_scale must be positive, got {prior_scale}")
        self.n_components = n_components
        self.seed = seed
        self.prior_scale = prior_scale
        self.prior_count = prior_count
        self.reg = reg
        self.refresh = refresh
        self.birth_quantile = birth_quantile
        self.merge_after = merge_after
        self.batch_check = batch_check
        self.n_init = n_init
        self.undo_depth = undo_depth
        self._dim: int | None = None
        self.last_update_ms = 0.0
        self.last_fit_ms = 0.0

    # ------------------------------------------------------------------ state
    def _init_state(self, dim: int, origin: torch.Tensor) -> None:
        slots = self.n_components + 1  # one spare slot for a candidate component
        self._dim = dim
        self._n = 0
        self._k = 0
        # S[k] = sum_i R[i, k] * features(x_i): soft count, sum of x, sum of x x^T
        self._S = torch.zeros(slots, 1 + dim + dim * dim, dtype=gm.DTYPE)
        self._phi = torch.zeros(64, self._S.shape[1], dtype=gm.DTYPE)  # features of the stored points
        self._R = torch.zeros(64, slots, dtype=gm.DTYPE)
        self._origin = origin.clone()
        self._rng = np.random.default_rng(self.seed)
        self._journal: deque[_UndoRecord] = deque(maxlen=self.undo_depth)
        self._record: _UndoRecord | None = None
        self._n_merges = 0
        self._check_due_at: int | None = None
        self._n_adopted = 0
        self._n_far = 0
        self._birth_d2 = gm.birth_threshold(dim, self.birth_quantile)
        self._m_step()

    @property
    def n_points(self) -> int:
        """Number of points the model holds."""
        return self._n if self._dim is not None else 0

    @property
    def points(self) -> np.ndarray:
        """The stored points, shape (N, D), in the caller's coordinates."""
        if self._dim is None:
            return np.zeros((0, 0))
        return (self._X + self._origin).numpy().copy()

    @property
    def n_components_used(self) -> int:
        """Components the mixture has now (at most ``n_components``; fewer until the data asks for more)."""
        return int(self._mixture()[0].shape[0]) if self._dim is not None else 0

    @property
    def n_merges(self) -> int:
        """How many times two components were merged."""
        return self._n_merges if self._dim is not None else 0

    # --------------------------------------------------------------- learning
    def learn_one(self, x: Iterable[float] | Mapping[Any, float]) -> None:
        """Add one point and update the mixture (O(K D^2) plus the refresh)."""
        xt = as_point(x, self._dim, where="OnlineGMM.learn_one")
        t0 = time.perf_counter()
        if self._dim is None:
            self._init_state(xt.shape[0], xt)
        self._record = _UndoRecord(
            n=self._n,
            k=self._k,
            stats=self._S.clone(),
            rng_state=self._rng.bit_generator.state,
            counters=(self._n_merges, self._check_due_at, self._n_adopted, self._n_far),
            origin=self._origin,
        )
        try:
            self._add(xt - self._origin)
            if self.refresh and self._n > 1:
                m = min(self.refresh, self._n - 1)
                self._refresh(np.unique(self._rng.integers(0, self._n - 1, size=m)))
            self._maybe_merge()
            if self.batch_check and self._due_for_batch_check():
                self._run_batch_check()
        finally:
            self._journal.append(self._record)
            self._record = None
        self.last_update_ms = (time.perf_counter() - t0) * 1e3

    def learn_many(self, X: Any) -> None:
        """``learn_one`` for each row of ``X``, in order."""
        for row in as_matrix(X, self._dim, where="OnlineGMM.learn_many"):
            self.learn_one(row)

    @property
    def _X(self) -> torch.Tensor:
        """Stored points (centred), read off their features."""
        return self._phi[: self._n, 1 : 1 + self._dim]

    def _add(self, xc: torch.Tensor) -> None:
        i, k = self._n, self._k
        if i == self._phi.shape[0]:
            self._phi = torch.cat([self._phi, torch.zeros_like(self._phi)])
            self._R = torch.cat([self._R, torch.zeros_like(self._R)])
        phi = _point_features(xc)
        self._phi[i] = phi
        self._R[i] = 0.0
        maha = self._Q @ phi if k else None
        far = maha is None or float(maha.min()) > self._birth_d2
        if far and k > self.n_components:
            self._n_far += 1
        if far and k <= self.n_components:
            self._S[k] = phi
            self._R[i, k] = 1.0
            self._k += 1
            self._n += 1
            self._m_step()
            return
        r = torch.softmax(self._h - 0.5 * maha, 0)
        self._R[i, :k] = r
        self._S[:k] += r[:, None] * phi
        self._n += 1
        if not (self.refresh and self._n > 1):
            self._m_step()  # otherwise the refresh's M-step covers this point too

    def _refresh(self, idx: np.ndarray) -> None:
        """Partial E-step on stored points ``idx``: swap their old share of the statistics for the new."""
        k = self._k
        it = torch.from_numpy(idx)
        phi = self._phi.index_select(0, it)
        rows = self._R.index_select(0, it)
        if self._record is not None and self._record.refreshed is None:
            self._record.refreshed = (it, rows.clone())
        r = torch.softmax(self._h - 0.5 * (phi @ self._Q.T), 1)
        self._S[:k] += (r - rows[:, :k]).T @ phi
        rows[:, :k] = r
        self._R.index_copy_(0, it, rows)
        self._m_step()

    def _m_step(self) -> None:
        """Parameters and E-step coefficients from the statistics."""
        st = gm.m_step(self._S[: self._k], self._dim, self.prior_scale, self.prior_count, self.reg)
        self._weights, self._means, self._cov, self._logdet = st.weights, st.means, st.covariances, st.logdet
        self._Q, self._h = st.Q, st.h
        self._view: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None

    # ------------------------------------------------ merges and batch checks
    def _before_structural_change(self) -> None:
        """Journal all responsibilities once per step before a merge or an adoption rewrites them."""
        if self._record is not None and self._record.all_responsibilities is None:
            self._record.all_responsibilities = self._R[: self._n].clone()

    def _maybe_merge(self) -> None:
        if self._k == self.n_components + 1 and float(self._S[self.n_components, 0]) >= self.merge_after:
            self._before_structural_change()
            i, j = _cheapest_pair(self._weights, self._means, self._cov, self._logdet)
            n, last = self._n, self._k - 1
            self._S[i] += self._S[j]
            self._S[j] = self._S[last]
            self._S[last] = 0.0
            self._R[:n, i] += self._R[:n, j]
            self._R[:n, j] = self._R[:n, last]
            self._R[:n, last] = 0.0
            self._k -= 1
            self._n_merges += 1
            if self._check_due_at is None:  # later merges do not postpone the check
                self._check_due_at = n + CHECK_AFTER_MERGE
            self._m_step()

    def _due_for_batch_check(self) -> bool:
        n = self._n
        return (
            (n >= 8 and n & (n - 1) == 0)
            or (self._check_due_at is not None and n >= self._check_due_at)
            or self._n_far >= CHECK_AFTER_FAR_POINTS
        )

    def _run_batch_check(self) -> bool:
        self._n_far = 0
        self._check_due_at = None
        X = self._X
        current = float(gm.log_density(X, *self._mixture()).mean())
        warm = self._mixture()[1] if self._k == self.n_components else None
        fit = self._batch_fit(X, int(self._rng.integers(2**62)), init_means=warm)
        if fit.mean_log_likelihood <= current + ADOPT_MARGIN:
            return False
        self._before_structural_change()
        self._adopt(fit)
        self._n_adopted += 1
        return True

    def _batch_fit(self, X: torch.Tensor, seed: int, init_means: torch.Tensor | None = None) -> gm.BatchFit:
        """Batch EM from scratch with this model's prior and ``n_init`` starts."""
        return gm.batch_em(
            X,
            self.n_components,
            prior_scale=self.prior_scale,
            prior_count=self.prior_count,
            reg=self.reg,
            n_init=self.n_init,
            generator=torch.Generator().manual_seed(seed),
            init_means=init_means,
        )

    def _adopt(self, fit: gm.BatchFit) -> None:
        n, k = self._n, fit.weights.shape[0]
        self._R[:n] = 0.0
        self._R[:n, :k] = fit.responsibilities
        self._S.zero_()
        self._S[:k] = fit.responsibilities.T @ self._phi[:n]
        self._k = k
        # a start that split a blob can leave a component with (almost) no points: not worth drawing
        self._drop_empty_components(min_count=1e-3)
        self._m_step()

    def check_against_batch(self) -> bool:
        """Fit from scratch now (e.g. when the user is idle); adopt it if better. Returns whether adopted."""
        self._require_fitted("check_against_batch")
        adopted = self._run_batch_check()
        if adopted:
            self._journal.clear()  # earlier records describe responsibilities that no longer exist
        return adopted

    # ------------------------------------------------------------- batch fit
    def fit(self, X: Any) -> OnlineGMM:
        """Batch EM from scratch on ``X`` (``n_init`` starts); the reference for the online model.

        The points are stored, so ``learn_one`` can go on from the fitted state.
        """
        Xt = as_matrix(X, None, where="OnlineGMM.fit")
        if Xt.shape[0] == 0:
            raise ValueError("OnlineGMM.fit: X has no rows; need at least one point")
        t0 = time.perf_counter()
        self._init_state(Xt.shape[1], Xt.mean(0))
        Xc = Xt - self._origin
        self._phi = torch.zeros(max(64, 2 * Xc.shape[0]), self._S.shape[1], dtype=gm.DTYPE)
        self._R = torch.zeros(self._phi.shape[0], self.n_components + 1, dtype=gm.DTYPE)
        self._phi[: Xc.shape[0]] = gm.features(Xc)
        self._n = Xc.shape[0]
        self._adopt(self._batch_fit(Xc, self.seed))
        self.last_fit_ms = (time.perf_counter() - t0) * 1e3
        return self

    # -------------------------------------------------------- undo / forget
    def undo(self) -> None:
        """Restore the model exactly as it was before the last ``learn_one``.

        Past ``undo_depth`` steps (or after ``forget``/``fit``) the last point's
        contribution is removed from the statistics instead (see ``forget``).
        """
        self._require_fitted("undo")
        if not self._journal:
            self.forget(self._n - 1)
            return
        rec = self._journal.pop()
        if rec.n == 0:
            self._dim = None
            return
        if rec.all_responsibilities is not None:  # taken with the new point already stored
            self._R[: rec.all_responsibilities.shape[0]] = rec.all_responsibilities
        if rec.refreshed is not None:
            self._R[rec.refreshed[0]] = rec.refreshed[1]
        self._S = rec.stats
        self._n, self._k = rec.n, rec.k
        self._rng.bit_generator.state = rec.rng_state
        self._n_merges, self._check_due_at, self._n_adopted, self._n_far = rec.counters
        self._origin = rec.origin
        self._m_step()

    def forget(self, index: int) -> None:
        """Remove stored point ``index`` exactly: subtract its share of the sums.

        A component left without points is dropped. Clears the undo journal
        (the stored rows shift).
        """
        self._require_fitted("forget")
        n = self._n
        if not -n <= index < n:
            raise IndexError(f"OnlineGMM.forget: index {index} out of range for {n} points")
        i = index % n
        k = self._k
        self._S[:k] -= self._R[i, :k, None] * self._phi[i]
        self._phi[i : n - 1] = self._phi[i + 1 : n].clone()
        self._R[i : n - 1] = self._R[i + 1 : n].clone()
        self._n -= 1
        self._journal.clear()
        if self._n == 0:
            self._dim = None
            return
        self._drop_empty_components()
        self._m_step()

    def _drop_empty_components(self, min_count: float = 1e-8) -> None:
        keep = [c for c in range(self._k) if float(self._S[c, 0]) > min_count]
        if len(keep) == self._k:
            return
        order = torch.tensor(keep + [c for c in range(self._S.shape[0]) if c not in keep])
        self._S, self._R = self._S[order], self._R[:, order]
        self._k = len(keep)
        self._S[self._k :] = 0.0

    # ------------------------------------------------------------- reading
    def _require_fitted(self, what: str) -> None:
        if self._dim is None:
            raise ValueError(f"OnlineGMM.{what}: the model holds no points yet; call learn_one or fit first")

    def _mixture(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(weights, means, covariances) with at most ``n_components``: a pending candidate is merged in a copy."""
        if self._view is None:
            if self._k <= self.n_components:
                self._view = (self._weights, self._means, self._cov)
            else:
                i, j = _cheapest_pair(self._weights, self._means, self._cov, self._logdet)
                S = self._S[: self._k].clone()
                S[i] += S[j]
                keep = [c for c in range(self._k) if c != j]
                self._view = gm.map_estimate(S[keep], self._dim, self.prior_scale, self.prior_count, self.reg)
        return self._view

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-density of each row of ``X`` under the mixture, shape (N,)."""
        self._require_fitted("score_samples")
        Xt = as_matrix(X, self._dim, where="OnlineGMM.score_samples")
        return gm.log_density(Xt - self._origin, *self._mixture()).numpy()

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """Draw ``n`` points from the mixture, shape (n, D)."""
        self._require_fitted("sample")
        w, mu, cov = self._mixture()
        g = torch.Generator().manual_seed(seed)
        return (gm.sample_mixture(n, w, mu, cov, g) + self._origin).numpy()

    def params(self) -> dict[str, Any]:
        """The mixture as plain floats.

        ``covariances`` are full matrices with the **variances** on the
        diagonal; ``stddevs`` are the per-axis **standard deviations** (their
        square roots). ``means`` are in the caller's coordinates.
        """
        if self._dim is None:
            return {"n_components": 0, "n_points": 0, "weights": [], "means": [], "covariances": [], "stddevs": []}
        w, mu, cov = self._mixture()
        return {
            "n_components": int(w.shape[0]),
            "n_points": self._n,
            "weights": w.tolist(),
            "means": (mu + self._origin).tolist(),
            "covariances": cov.tolist(),
            "stddevs": cov.diagonal(dim1=1, dim2=2).sqrt().tolist(),
        }


def _point_features(xc: torch.Tensor) -> torch.Tensor:
    """``features`` of one point, in numpy (cheaper than torch for 7 numbers)."""
    x = xc.numpy()
    return torch.from_numpy(np.concatenate(([1.0], x, np.outer(x, x).ravel())))


def _cheapest_pair(weights, means, cov, logdet) -> tuple[int, int]:
    costs = gm.merge_costs(weights, means, cov, logdet)
    flat = int(torch.argmin(costs))
    return divmod(flat, costs.shape[1])

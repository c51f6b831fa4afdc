"""Online Gaussian mixture: incremental EM with split and merge moves, one point at a time.

The design (measured in ``benchmarks/gmm.py``, cluster after cluster as people click):

* exact sufficient statistics per component and each stored point's
  responsibilities (Neal & Hinton 1998): a new point costs O(K D^2) plus a
  partial E-step on ``refresh`` random stored points, never a refit;
* a point far from every component (squared Mahalanobis distance above the
  chi-squared ``birth_quantile``) starts one. With every slot taken it waits
  as a *candidate*, not a component of the drawn mixture, until it holds
  ``merge_after`` points (the drawn mixture counts its points in components
  that could have drawn them, a cluster's tail): one stray click never
  stretches an ellipse or forces a merge;
* the component that gained most points since its last test is tested for
  a split (two Gaussians fitted to a sample of its points). A split that
  gains more than BIC's price of a component is taken, merging the cheapest
  other pair (Runnalls 2007) when no slot is free; a pair that costs less
  than that price to merge is merged. So the mixture repairs itself when two
  clusters share a component, and the number of components follows the data
  up to ``n_components`` (or ``max_components`` with ``"auto"``);
* a fit from scratch never runs on the click path: :meth:`propose_from_scratch`
  (any thread) and :meth:`adopt` (under the caller's lock) let an idle-time
  check adopt a better model;
* ``undo()`` restores the state before the last ``learn_one``/``learn_many``
  bit for bit, through births, merges, splits and adopted fits;
* without a ``prior_scale`` the covariance prior follows the points' spread
  (:mod:`~hitl_widgets.learners.gmm.prior`), so the model of points in
  pixels is the model of the same points in metres, scaled.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import torch

from ...base import Estimator
from ..validation import as_matrix, as_point
from . import maths as gm
from .batch import Prior
from .check import Proposal, ScratchFit
from .journal import Journal, distinct_draws, hashed_draws
from .moves import check_price, component_penalty
from .prior import Spacing, Spread, ridge_for, unknown_scale
from .state import MixtureStatistics
from .structure import Structure

SPARE_SLOTS = 3  # candidates waiting for points while every component slot is taken
BULK = 256  # learn_many fits from scratch from this many new rows on
SALT_REFRESH = 1
SALT_FIT = 4
ADOPT_MARGIN = 1e-3  # nats per point a fit from scratch must gain to be adopted
AUTO_WINDOW = 3  # a check from scratch tries K-3 .. K+3 components
FEW_POINTS = 1000  # up to this many points a check is cheap enough for twice the starts


class OnlineGMM(Estimator):
    """A Gaussian mixture that learns one point at a time.

    Parameters
    ----------
    n_components
        The most components the mixture may use, or ``"auto"`` (up to
        ``max_components``). Fewer are used while the data supports no more.
    max_components
        The cap with ``"auto"``.
    seed
        Seed of the refresh sampling, the split tests and the fits from scratch.
    prior_scale
        Standard deviation (data units) the covariance prior pulls towards; a
        one-point component has covariance ``prior_scale**2 * I``.
        ``GMMCanvas`` passes 3.5% of its view. Unset, it follows the points
        as they arrive (:mod:`~hitl_widgets.learners.gmm.prior`: half a
        typical component's spread, never below 15% of the spread of all
        the points or twice their spacing), so the same clicks in pixels or
        in thousandths give the same model, scaled; :attr:`prior_sd` reads
        the value in use.
    prior_count
        Strength of that prior in pseudo-points.
    reg
        Ridge added to every covariance. Unset: 1e-6 with a given
        ``prior_scale``; with the data-following prior, the same share of its
        variance as 1e-6 is of the canvas's 0.7 squared.
    refresh
        Stored points whose responsibilities are recomputed per new point.
    birth_quantile
        Chi-squared quantile of the birth distance.
    merge_after
        Points a candidate must gather before it becomes a component.
    n_init
        Starts of every fit from scratch (``fit``, ``propose_from_scratch``).
    undo_depth
        How many steps ``undo`` restores exactly.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> left, right = rng.normal(-3, 0.5, (100, 2)), rng.normal(3, 0.5, (100, 2))
    >>> gmm = OnlineGMM(n_components="auto", seed=0)
    >>> for x in np.concatenate([left, right]):   # cluster after cluster, as people click
    ...     gmm.learn_one(x)
    >>> sorted(round(m[0]) for m in gmm.params()["means"])
    [-3, 3]
    >>> gmm.undo()  # the last point is forgotten, the model is exactly as before it
    >>> gmm.n_points
    199

    The same points a thousand times smaller give the same mixture, scaled:

    >>> tiny = OnlineGMM(n_components="auto", seed=0)
    >>> for x in np.concatenate([left, right]) / 1000:
    ...     tiny.learn_one(x)
    >>> sorted(round(m[0] * 1000) for m in tiny.params()["means"]), round(gmm.prior_sd / tiny.prior_sd)
    ([-3, 3], 1000)
    """

    def __init__(
        self,
        n_components: int | str = 5,
        *,
        max_components: int = 12,
        seed: int = 0,
        prior_scale: float | None = None,
        prior_count: float = 1.0,
        reg: float | None = None,
        refresh: int = 64,
        birth_quantile: float = 0.999,
        merge_after: float = 3.0,
        n_init: int = 5,
        undo_depth: int = 256,
    ):
        _check_components(n_components, max_components)
        for name, value, low in (("refresh", refresh, 0), ("n_init", n_init, 1), ("undo_depth", undo_depth, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"OnlineGMM: {name} must be a whole number of at least {low}, got {value!r}")
        if prior_scale is not None and not prior_scale > 0:
            raise ValueError(f"OnlineGMM: prior_scale must be a positive number, got {prior_scale!r}")
        if not 0 < birth_quantile < 1:
            raise ValueError(f"OnlineGMM: birth_quantile must be between 0 and 1, got {birth_quantile!r}")
        self.n_components = n_components
        self.max_components = max_components
        self.seed = seed
        self.prior_scale = prior_scale  # None (unset) stays None for repr and clone: the prior follows the data
        self.prior_count = prior_count
        self.reg = reg
        self.refresh = refresh
        self.birth_quantile = birth_quantile
        self.merge_after = merge_after
        self.n_init = n_init
        self.undo_depth = undo_depth
        # the spread of other points an unset prior follows too (a classifier's other classes), or None
        self.peers: Callable[[], Spread | None] | None = None
        self._state: MixtureStatistics | None = None
        self._structure: Structure | None = None  # the moves over _state (made with it)
        self._adopted = 0
        self._far_point = False  # the step's point started a candidate (read by the next structural test)
        self.last_update_ms = 0.0
        self.last_fit_ms = 0.0
        self.last_adoption: dict[str, Any] | None = None

    # ------------------------------------------------------------- reading
    @property
    def auto(self) -> bool:
        """Whether the number of components is chosen from the data (``n_components="auto"``)."""
        return self.n_components == "auto"

    @property
    def prior_sd(self) -> float:
        """A one-point component's standard deviation now: ``prior_scale``, or the value the points gave it.

        NaN while an unset prior has no points to follow.
        """
        if self._state is not None:
            return self._state.prior.scale
        return math.nan if self.prior_scale is None else float(self.prior_scale)

    @property
    def capacity(self) -> int:
        """The most components the mixture may use."""
        return self.max_components if self.auto else int(self.n_components)

    @property
    def n_points(self) -> int:
        """Number of points the model holds."""
        return self._state.n if self._state is not None else 0

    @property
    def points(self) -> np.ndarray:
        """The stored points, shape (N, D), in the caller's coordinates."""
        if self._state is None:
            return np.zeros((0, 0))
        return self._state.X + self._state.origin

    def points_between(self, start: int, stop: int) -> np.ndarray:
        """Stored points ``start`` to ``stop`` (a slice of :attr:`points`, without copying the rest)."""
        if self._state is None:
            return np.zeros((0, 0))
        st = self._state
        return st.X[start:stop] + st.origin

    @property
    def n_components_used(self) -> int:
        """Components the mixture has now (candidates waiting for points not counted)."""
        return self._state.k_real if self._state is not None else 0

    @property
    def n_candidates(self) -> int:
        """Far points waiting, outside the mixture, to gather enough company to become a component."""
        return self._state.n_pending if self._state is not None else 0

    @property
    def n_merges(self) -> int:
        """How many times two components were merged."""
        return self._structure.merges if self._structure is not None else 0

    @property
    def n_splits(self) -> int:
        """How many times a component was split in two."""
        return self._structure.splits if self._structure is not None else 0

    @property
    def n_adopted(self) -> int:
        """How many fits from scratch were adopted (see :meth:`adopt`)."""
        return self._adopted

    # ------------------------------------------------------------ learning
    def learn_one(self, x: Iterable[float] | Mapping[Any, float]) -> None:
        """Add one point and update the mixture (O(K D^2), a partial E-step and at most one test)."""
        point = as_point(x, self._state.dim if self._state else None, where="OnlineGMM.learn_one")
        t0 = time.perf_counter()
        if self._state is None:
            self._start(point.shape[0], point)
        self._begin_step()
        self._learn(point - self._state.origin)
        self._maintain()
        self._follow_data()
        self.last_update_ms = (time.perf_counter() - t0) * 1e3

    def learn_many(self, X: Any) -> None:
        """Add the rows of ``X`` as one step (one ``undo`` takes them all back).

        Fewer than ``BULK`` new rows are learned one by one; more are stored
        and the mixture is fitted from scratch on every point (as :meth:`fit`
        chooses K; the current model is one of the starts): 10,000 points take about a second.
        """
        rows = as_matrix(X, self._state.dim if self._state else None, where="OnlineGMM.learn_many").numpy()
        if rows.shape[0] == 0:
            return
        t0 = time.perf_counter()
        if self._state is None:
            self._start(rows.shape[1], rows.mean(0))
        self._begin_step()
        st = self._state
        self._journal.keep_all_rows(st.R[: st.n])
        if rows.shape[0] < BULK and st.n > 0:
            for x in rows - st.origin:
                self._learn(x)
                self._maintain()
                self._follow_data()
        else:
            n_before = st.n
            for phi in gm.features(rows - st.origin):
                st.store(phi)
            held = np.concatenate([st.S[: st.k], st.phi[n_before : st.n].sum(0, keepdims=True)])
            self._follow_data(held)  # the new rows as one group: a fit must not choose its own prior
            self._adopt_now(self.propose_from_scratch(), margin=-np.inf)
            self._follow_data()
        self.last_update_ms = (time.perf_counter() - t0) * 1e3

    def _start(self, dim: int, origin: np.ndarray) -> None:
        origin = origin.astype(np.float64).copy()
        self._spacing = Spacing()
        self._scale_known = self.prior_scale is not None  # an unset prior has no scale before the points spread
        if self.prior_scale is not None:
            prior = Prior(self.prior_scale, self.prior_count, 1e-6 if self.reg is None else self.reg)
        else:
            prior = self._following(unknown_scale(origin))
        self._state = MixtureStatistics(dim, self.capacity, SPARE_SLOTS, origin, prior)
        slots, width = self._state.S.shape
        self._journal = Journal(self.undo_depth, slots, width, self.refresh)
        self._adopted = 0
        self._birth_d2 = gm.birth_threshold(dim, self.birth_quantile)
        self._structure = Structure(
            self._state, merge_after=self.merge_after, seed=self.seed, auto=self.auto, birth_d2=self._birth_d2,
            before_change=self._before_structural_change,
        )  # fmt: skip
        self.last_adoption = None

    def _counters(self) -> tuple[int, ...]:
        st = self._state
        moves = self._structure
        return (st.n, st.k, st.n_pending, moves.merges, moves.splits, self._adopted, moves.tests, self._scale_known)

    def _begin_step(self) -> None:
        self._journal.begin(self._state.S, self._state.since, self._counters(), self._state.prior.scale)

    # ------------------------------------------------- the data-following prior
    def spread(self) -> Spread:
        """How the points spread (about their mean and about their components): what an unset prior follows."""
        self._require_fitted("spread")
        return self._spread_of(self._state.S[: self._state.k])

    def _spread_of(self, statistics: np.ndarray) -> Spread:
        """The spread of points with these sufficient statistics, about the data's own origin."""
        st = self._state
        self._spacing.update(st.X)
        spread = Spread.of_statistics(statistics, st.dim, self._spacing.value())
        return Spread(spread.n, spread.mean + st.origin, spread.total_ss, spread.within_ss, spread.spacing)

    def _follow_spread(self, spread: Spread) -> None:
        """Rescale an unset prior to ``spread`` (nothing while it has none)."""
        scale = spread.prior_scale()
        if self.prior_scale is not None or self._state is None or not scale > 0.0:
            return
        self._scale_known = True
        self._state.prior = self._following(scale)
        self._state.update()

    def _following(self, scale: float) -> Prior:
        return Prior(scale, self.prior_count, ridge_for(scale) if self.reg is None else self.reg)

    def _follow_data(self, statistics: np.ndarray | None = None) -> None:
        """After a step: an unset prior follows the points (``statistics``: theirs before a fit has any), and
        those of :attr:`peers` (a classifier's other classes) with them."""
        if self.prior_scale is None:
            spread = self.spread() if statistics is None else self._spread_of(statistics)
            others = self.peers() if self.peers is not None else None
            self._follow_spread(spread if others is None else spread + others)

    def _maintain(self) -> None:
        """After a step: at most one structural test (:class:`~hitl_widgets.learners.gmm.structure.Structure`)."""
        self._structure.maintain(self._far_point)
        self._far_point = False

    def _before_structural_change(self) -> None:
        """Journal every responsibility once per step, before a move rewrites many of them."""
        self._journal.keep_all_rows(self._state.R[: self._state.n])

    def _learn(self, xc: np.ndarray) -> None:
        """Store a centred point, assign it (or start a component or candidate), refresh old points, M-step."""
        st = self._state
        i = st.store(gm.features(xc[None])[0])
        if st.k == 0:
            st.open_slot(i, pending=False)
            st.update()
            return
        phi = st.phi[i : i + 1]
        if self._scale_known and float(st.mix.maha(phi).min()) > self._birth_d2:
            if st.n_pending == SPARE_SLOTS:  # the emptiest candidate was a stray click: let it go
                self._before_structural_change()
                st.drop(st.k_real + int(np.argmin(st.S[st.k_real : st.k, 0])))
            st.open_slot(i, pending=True)
            st.update()
            self._far_point = True
        else:
            r, _ = gm.softmax_rows(st.mix.log_joint(phi))
            st.assign(i, r[0])
        if self.refresh and st.n > 1:
            rows = distinct_draws(self.seed, st.n, SALT_REFRESH, min(self.refresh, st.n - 1), st.n - 1)
            self._journal.refreshed(rows, st.refresh(rows))
        st.update()

    def fit(self, X: Any) -> OnlineGMM:
        """Fit from scratch on ``X`` (the reference for the online model), forgetting earlier points.

        The number of components is chosen as a check from scratch chooses it:
        up to ``n_components`` (or ``max_components`` with ``"auto"``), by BIC
        with ``"auto"`` and by AIC with a fixed K.

        The points are stored, so ``learn_one`` can go on from the fitted state.
        """
        rows = as_matrix(X, None, where="OnlineGMM.fit").numpy()
        if rows.shape[0] == 0:
            raise ValueError("OnlineGMM.fit: X has no rows; need at least one point")
        t0 = time.perf_counter()
        self._state = None
        self._start(rows.shape[1], rows.mean(0))
        st = self._state
        for phi in gm.features(rows - st.origin):
            st.store(phi)
        # the prior of the points as one group: a fit that chose its own would shrink it with every component
        self._follow_data(st.phi[: st.n].sum(0, keepdims=True))
        self._adopt_now(self.prepare_check(ks=range(1, self.capacity + 1), seed=self.seed).run(), margin=-np.inf)
        self._follow_data()
        self._journal.clear()
        self.last_fit_ms = (time.perf_counter() - t0) * 1e3
        return self

    # ------------------------------------------------ checks from scratch
    def prepare_check(self, *, ks: range | None = None, seed: int | None = None) -> ScratchFit:
        """A fit from scratch of the points as they are now, to run in any thread (:meth:`ScratchFit.run`).

        The number of components is chosen among K - 3 .. K + 3 around the
        current K (all up to the cap while there are few points), by BIC with
        ``"auto"`` (as the batch reference chooses), by AIC with a fixed K;
        up to ``FEW_POINTS`` points it tries twice ``n_init`` starts. Call
        this under the lock that guards ``learn_one``; run the fit outside it.
        The fit keeps the model's prior as it is now.
        """
        self._require_fitted("prepare_check")
        st = self._state
        k_now = st.k_real
        if ks is None:
            low, high = (1, self.capacity) if st.n <= 64 else (k_now - AUTO_WINDOW, k_now + AUTO_WINDOW)
            ks = range(max(1, low), min(self.capacity, high) + 1)
        mix = st.components()
        if seed is None:  # a new seed for each check, the same after an undo
            seed = int(hashed_draws(self.seed, st.n, SALT_FIT + self._adopted, 1, 2**62)[0])
        return ScratchFit(
            points=self.points,
            ks=list(ks),
            prior=st.prior,
            price=check_price(st.n, self.auto),
            n_init=self.n_init * (2 if st.n <= FEW_POINTS else 1),  # on few points, poor starts are common
            seed=seed,
            warm=(mix.weights.copy(), mix.means + st.origin, mix.covariances.copy()) if k_now else None,
        )

    def propose_from_scratch(self) -> Proposal:
        """Fit from scratch now (:meth:`prepare_check` and its ``run`` in one call)."""
        return self.prepare_check().run()

    def adopt(self, proposal: Proposal, *, margin: float = ADOPT_MARGIN) -> bool:
        """Adopt ``proposal`` if it explains every stored point better, by ``margin`` nats per point.

        Better: a higher log-likelihood less the price of any extra components
        (BIC's with ``"auto"``, AIC's with a fixed K).

        Points learned since the proposal was fitted count too. The step is
        journaled: ``undo`` afterwards restores the model before the last point.
        """
        self._require_fitted("adopt")
        return self._adopt_now(proposal, margin=margin)

    def _adopt_now(self, proposal: Proposal, *, margin: float) -> bool:
        st = self._state
        n = st.n
        mix = gm.mixture_from_parameters(proposal.weights, proposal.means - st.origin, proposal.covariances)
        r, ll = gm.softmax_rows(mix.log_joint(st.phi[:n]))
        if margin > -np.inf:
            _, ll_now = gm.softmax_rows(self._structure.component_mixture().log_joint(st.phi[:n]))
            extra = len(proposal.weights) - st.k_real
            price = component_penalty(st.dim, n, self.auto, price=check_price)
            gain = (ll.sum() - ll_now.sum() - price * extra) / n
            if not gain > margin:
                return False
        self._before_structural_change()
        st.adopt(r)
        self._structure.drop_empty()
        if margin > -np.inf:
            self._adopted += 1
            self.last_adoption = {"n_points": n, "gain": float(gain), "n_components": st.k_real}
        return True

    def check_against_batch(self) -> bool:
        """Fit from scratch now and adopt the fit if it is better; returns whether it was adopted."""
        return self.adopt(self.propose_from_scratch())

    # ------------------------------------------------------ undo / forget
    def undo(self) -> None:
        """Restore the model exactly as it was before the last ``learn_one`` or ``learn_many``.

        Past ``undo_depth`` steps (or after ``forget``/``fit``) the last point's
        contribution is removed from the statistics instead (see ``forget``).
        """
        self._require_fitted("undo")
        if not self._journal:
            self.forget(self._state.n - 1)
            return
        record = self._journal.pop()
        if record.counters["n"] == 0:
            self._state = None
            return
        st = self._state
        self._journal.restore_rows(st.R, record)
        c = record.counters
        st.restore(c["n"], c["k"], c["n_pending"], record.S, record.since)
        moves = self._structure
        moves.merges, moves.splits, self._adopted, moves.tests = c["merges"], c["splits"], c["adopted"], c["tests"]
        self._spacing.truncate(c["n"])
        if self.prior_scale is None:
            self._scale_known = bool(c["scale_known"])
            st.prior = self._following(record.prior_scale)

    def forget(self, index: int) -> None:
        """Remove stored point ``index`` exactly: subtract its share of the sums.

        A component left without points is removed. Clears the undo journal
        (the stored rows shift).
        """
        self._require_fitted("forget")
        st = self._state
        n = st.n
        if not -n <= index < n:
            raise IndexError(f"OnlineGMM.forget: index {index} out of range for {n} points")
        i = index % n
        st.S[: st.k] -= st.R[i, : st.k, None] * st.phi[i]
        st.phi[i : n - 1] = st.phi[i + 1 : n].copy()
        st.R[i : n - 1] = st.R[i + 1 : n].copy()
        st.n -= 1
        self._journal.clear()
        if st.n == 0:
            self._state = None
            return
        self._spacing.truncate(i)
        self._structure.drop_empty()
        self._follow_data()

    # ------------------------------------------------------------- scoring
    def _require_fitted(self, what: str) -> None:
        if self._state is None:
            raise ValueError(f"OnlineGMM.{what}: the model holds no points yet; call learn_one or fit first")

    def _parameters(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mix = self._state.components()
        t = torch.from_numpy
        return t(mix.weights), t(mix.means), t(mix.covariances)

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-density of each row of ``X`` under the mixture, shape (N,)."""
        self._require_fitted("score_samples")
        Xt = as_matrix(X, self._state.dim, where="OnlineGMM.score_samples")
        return gm.log_density(Xt - torch.from_numpy(self._state.origin), *self._parameters()).numpy()

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """Draw ``n`` points from the mixture, shape (n, D)."""
        self._require_fitted("sample")
        g = torch.Generator().manual_seed(seed)
        return (gm.sample_mixture(n, *self._parameters(), g) + torch.from_numpy(self._state.origin)).numpy()

    def params(self) -> dict[str, Any]:
        """The mixture as plain floats.

        ``covariances`` are full matrices with the **variances** on the
        diagonal; ``stddevs`` are the per-axis **standard deviations** (their
        square roots). ``means`` are in the caller's coordinates.
        """
        if self._state is None:
            return {"n_components": 0, "n_points": 0, "weights": [], "means": [], "covariances": [], "stddevs": []}
        mix = self._state.components()
        return {
            "n_components": int(mix.weights.shape[0]),
            "n_points": self._state.n,
            "weights": mix.weights.tolist(),
            "means": (mix.means + self._state.origin).tolist(),
            "covariances": mix.covariances.tolist(),
            "stddevs": np.sqrt(np.diagonal(mix.covariances, axis1=1, axis2=2)).tolist(),
        }


def _check_components(n_components: Any, max_components: Any) -> None:
    """Clear errors for a number of components that cannot work (0, 2.5, True, "three")."""
    if not isinstance(max_components, (int, np.integer)) or isinstance(max_components, bool) or max_components < 1:
        raise ValueError(f"OnlineGMM: max_components must be a whole number of at least 1, got {max_components!r}")
    if n_components == "auto":
        return
    if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) or n_components < 1:
        raise ValueError(f'n_components must be a whole number of at least 1 or "auto", got {n_components!r}')

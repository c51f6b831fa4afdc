"""The structural moves of :class:`~hitl_widgets.learners.OnlineGMM`: candidates, splits, merges.

After each new point at most one test runs, so a click stays cheap:

* a candidate (a far point that found no free slot) rejoins a component
  whose reach now covers it, or becomes a component once it holds
  ``merge_after`` points: in a free slot, in the slot of a component that
  holds a stray click, or in one freed by the cheapest merge;
* the component that gained most points since its last test is tested in
  turn for a split (two Gaussians fitted to a sample of its points; with
  every slot taken, together with the cheapest merge, so a component that
  straddles two clusters hands one back), for a redundant pair to merge, and
  for a candidate to absorb (points along a thin cluster).

A move is taken when it pays more than a component's price (BIC's with
``"auto"``, AIC's with a fixed K); a few full EM passes then settle the
mixture.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import maths as gm
from .journal import distinct_draws
from .moves import cheapest_pair, component_penalty, propose_split
from .state import MixtureStatistics

SPLIT_TEST_AFTER = 4.0  # points a component gains before it is tested again ...
SPLIT_TEST_GROWTH = 0.1  # ... or this share of its size, when that is more
TEST_SAMPLE = 96  # points of a component (or pair) a test looks at
SWAP_MARGIN = 0.25  # a split-and-merge must gain this share of a component's price (K stays the same)
SWEEPS_AFTER_MOVE = 2  # E+M passes that settle the mixture after a move ...
SETTLE_ROWS = 1000  # ... over every point up to this many, else over this many drawn
EMPTY = 0.5  # a component holding less than half a point's responsibility is removed
SALT_SPLIT, SALT_MERGE, SALT_SETTLE = 2, 3, 1000


class Structure:
    """The moves that change which components a mixture has (candidates, splits, merges) and the settling after
    one, over one model's statistics; it counts the moves it made.

    ``before_change()`` runs before a move rewrites many responsibilities (the
    model journals them once per step). ``merges``, ``splits`` and ``tests``
    count what it did; an undo sets them back.
    """

    def __init__(
        self,
        state: MixtureStatistics,
        *,
        merge_after: float,
        seed: int,
        auto: bool,
        birth_d2: float,
        before_change: Callable[[], None],
    ):
        self.state = state
        self.merge_after = merge_after
        self.seed = seed
        self.auto = auto
        self.birth_d2 = birth_d2
        self._before_change = before_change
        self.merges = self.splits = self.tests = 0

    def maintain(self, far_point: bool) -> None:
        """After a step: candidates first; otherwise one test: a split every other time, else a merge (or a
        candidate to absorb). ``far_point``: the step's point started a candidate."""
        st = self.state
        changed = self._dissolve_reached_candidates()
        if not changed and st.n_pending:
            j = st.k_real + int(np.argmax(st.S[st.k_real : st.k, 0]))
            if st.S[j, 0] > self.merge_after - 0.5:  # soft counts: 3 points may hold 2.99
                self._before_change()
                self._resolve_candidate(j)
                changed = True
        if not changed and far_point and st.k_real > 1:
            # a click far from everything usually starts the next cluster: the last one is complete,
            # the moment to see whether its components are one
            changed = self._merge_redundant()
        elif not changed and st.k_real:
            c = int(np.argmax(st.since[: st.k_real]))
            if st.since[c] >= max(SPLIT_TEST_AFTER, SPLIT_TEST_GROWTH * st.S[c, 0]):
                st.since[c] = 0.0
                self.tests += 1
                if self.tests % 2 or st.k_real < 2:
                    changed = self._try_split(c)
                elif st.n_pending and self.tests % 4 == 0:
                    changed = self._absorb_candidate()
                else:
                    changed = self._merge_redundant()
        if changed:
            self._settle()

    def penalty(self) -> float:
        """The log-likelihood a move must gain: a component's price (BIC's with "auto", AIC's with a fixed K)."""
        return component_penalty(self.state.dim, self.state.n, self.auto)

    def component_mixture(self) -> gm.Mixture:
        return self.state.components()

    def _sample(self, rows: np.ndarray, salt: int) -> np.ndarray:
        if rows.size <= TEST_SAMPLE:
            return rows
        return rows[distinct_draws(self.seed, self.state.n, salt, TEST_SAMPLE, rows.size)]

    # ------------------------------------------------------------ candidates
    def _dissolve_reached_candidates(self) -> bool:
        """A candidate whose centre a component now reaches was its tail: its points rejoin (a partial E-step)."""
        st = self.state
        if not st.n_pending:
            return False
        centres = st.mix.means[st.k_real :]
        # a component's shape does not depend on the other slots: the active mixture's rows serve
        maha = st.mix.maha(gm.features(centres))[:, : st.k_real].min(1)
        near = np.flatnonzero(maha < self.birth_d2)
        if not near.size:
            return False
        self._before_change()
        for j in sorted(near + st.k_real, reverse=True):
            st.drop(int(j))
        return True

    def _absorb_candidate(self, j: int | None = None) -> bool:
        """A candidate (the emptiest) merges into its likeliest established partner if that costs less
        than a component."""
        st = self.state
        if j is None:
            j = st.k_real + int(np.argmin(st.S[st.k_real : st.k, 0]))
        costs = gm.merge_costs(st.mix, lower_bound=True)
        costs = np.minimum(costs[:, j], costs[j, :])
        young = np.flatnonzero(st.S[: st.k_real, 0] < 2 * self.merge_after)
        costs[young] = np.inf  # a cluster's first few points are no established component to stretch
        a = int(np.argmin(costs))
        if not np.isfinite(costs[a]) or self._merge_loss(a, j) >= self.penalty():
            return False
        self._before_change()
        st.merge(min(a, j), max(a, j))
        st.promote()
        return True

    def _resolve_candidate(self, j: int) -> None:
        """Candidate ``j`` has enough points: it joins a component or takes a free, stray or merged slot."""
        st = self.state
        if self._absorb_candidate(j):  # the far end of a component after all
            return
        if st.k_real < st.capacity:
            st.promote()
            return
        weak = int(np.argmin(st.S[: st.k_real, 0]))
        if st.S[weak, 0] < self.merge_after - 0.5:  # a stray click held a slot: it becomes the candidate
            st.swap_roles(weak, j)
            return
        slots = [*range(st.k_real), j]
        mix = st.mix
        counts = mix.counts[slots].copy()
        # a candidate is a cluster in the making: price merging it as if it had grown to a typical size
        counts[-1] = max(counts[-1], float(np.median(counts[:-1])))
        sub = gm.mixture_from_parameters(counts, mix.means[slots], mix.covariances[slots])
        a, b, _ = cheapest_pair(gm.merge_costs(sub))
        st.merge(slots[a], slots[b])
        st.promote()
        self.merges += 1

    # ---------------------------------------------------------------- splits
    def _try_split(self, c: int) -> bool:
        """Split component ``c`` if two Gaussians explain its points better by more than a component's price.

        With every slot taken, the split goes with the cheapest merge among the
        components and the two halves (one half may join a neighbour: a
        component that straddled two clusters hands its share back), taken
        when the split gains more than that merge costs.
        """
        st = self.state
        if st.S[c, 0] < 2 * self.merge_after:
            return False
        rows = self._sample(np.flatnonzero(st.R[: st.n, c] > 0.01), SALT_SPLIT)
        # "auto" asks for evidence of a new cluster: the best of several starts on the same points overstates it
        # (a brush stroke of one cluster was split); a fixed K wants every slot used, so every start is tried
        n_starts = 1 if self.auto else 3
        split = propose_split(st.phi[rows], st.R[rows, c], float(st.S[c, 0]), st.dim, st.prior, n_starts=n_starts)
        if split is None:
            return False
        if st.k_real < st.capacity:
            if split.gain <= self.penalty():
                return False
            self._before_change()
            self._free_a_column()
            st.split(c, split.halves)
            self.splits += 1
            return True
        a, b, cost = cheapest_pair(self._costs_after_split(c, split.halves))
        if split.gain - cost <= max(2.0, SWAP_MARGIN * self.penalty()):
            return False
        self._before_change()
        self._free_a_column()
        st.split(c, split.halves)
        st.merge(a, b)
        self.merges += 1
        self.splits += 1
        return True

    def _free_a_column(self) -> None:
        """With every slot in use (components and candidates), the emptiest candidate lets go of its points."""
        st = self.state
        if st.k == st.S.shape[0]:
            st.drop(st.k_real + int(np.argmin(st.S[st.k_real : st.k, 0])))

    def _costs_after_split(self, c: int, halves: gm.Mixture) -> np.ndarray:
        """Merge costs among the components with ``c`` replaced by its halves (at ``c`` and at the end)."""
        mix = self.component_mixture()
        count = mix.counts[c] * halves.weights
        counts = np.concatenate([mix.counts, count[1:]])
        counts[c] = count[0]
        means = np.concatenate([mix.means, halves.means[1:]])
        means[c] = halves.means[0]
        cov = np.concatenate([mix.covariances, halves.covariances[1:]])
        cov[c] = halves.covariances[0]
        costs = gm.merge_costs(gm.mixture_from_parameters(counts, means, cov))
        costs[c, -1] = np.inf  # not the halves again
        return costs

    # ---------------------------------------------------------------- merges
    def _merge_redundant(self) -> bool:
        """Merge the likeliest redundant pair if its points lose less than a component's price by it."""
        st = self.state
        if st.k_real < 2:
            return False
        a, b, _ = cheapest_pair(gm.merge_costs(self.component_mixture(), lower_bound=True))
        if self._merge_loss(a, b) >= self.penalty():
            return False
        self._before_change()
        st.merge(a, b)
        st.promote()
        self.merges += 1
        return True

    def _merge_loss(self, a: int, b: int) -> float:
        """Log-likelihood the points of slots ``a`` and ``b`` lose if they merge (a sample of them, scaled).

        Scored under the active slots, candidates included.
        """
        st = self.state
        rows = np.flatnonzero(st.R[: st.n, a] + st.R[: st.n, b] > 0.01)
        sample = self._sample(rows, SALT_MERGE)
        phi = st.phi[sample]
        p = st.prior
        S = st.S[: st.k].copy()
        S[a] += S[b]
        merged = gm.m_step(np.delete(S, b, 0), st.dim, p.scale, p.count, p.reg)
        _, before = gm.softmax_rows(st.mix.log_joint(phi))
        _, after = gm.softmax_rows(merged.log_joint(phi))
        return float((before - after).sum()) * rows.size / max(sample.size, 1)

    # ----------------------------------------------------------- settling
    def _settle(self) -> None:
        """A few EM passes after a move; components left (almost) empty are removed.

        Up to ``SETTLE_ROWS`` points a pass is a full E- and M-step; beyond, a
        partial E-step on that many points drawn afresh each pass (the move
        itself already shared out the responsibilities), so a move costs the
        same at 10,000 points as at 1,000.
        """
        st = self.state
        for sweep in range(SWEEPS_AFTER_MOVE):
            if st.n <= SETTLE_ROWS:
                st.sweep()
            else:
                st.refresh(distinct_draws(self.seed, st.n, SALT_SETTLE + sweep, SETTLE_ROWS, st.n))
                st.update()
        self.drop_empty()

    def drop_empty(self) -> None:
        """Remove the components left (almost) empty; the mixture is updated."""
        st = self.state
        while st.k > 1 and (empty := np.flatnonzero(st.S[: st.k, 0] < EMPTY)).size:
            st.drop(int(empty[0]))
        st.promote()
        st.update()

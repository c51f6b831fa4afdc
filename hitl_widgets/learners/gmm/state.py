"""The exact bookkeeping of incremental EM: stored points, responsibilities, sufficient statistics.

Invariant: ``S[:k] == R[:n, :k].T @ phi[:n]`` (up to round-off). Every
operation here keeps it, so a model can always be read off ``S``, and a point
or a component can be removed by subtracting exactly what it added.

Columns are *slots*. The first ``k_real`` are the mixture's components; the
last ``n_pending`` hold candidates: points far from every component that
arrived when no slot was free. A candidate is not a component of the mixture
a user sees and scores; it becomes one once it has gathered a few points.
Until then its points count there in the components that could have drawn
them (a cluster's far tail, which left out would narrow its ellipse) and
not at all where none could (one stray click must not stretch an ellipse).
"""

from __future__ import annotations

import numpy as np

from . import maths as gm
from .batch import Prior

TRACE = 1e-6  # a responsibility this small is a softmax's trace, not a share of the point
STRAY_QUANTILE = 1 - 1e-9  # a point beyond this chi-squared quantile of every component is no component's


class MixtureStatistics:
    """Points (as features), responsibilities ``R`` and statistics ``S`` of a mixture with spare slots."""

    def __init__(self, dim: int, capacity: int, spare: int, origin: np.ndarray, prior: Prior):
        self.dim = dim
        self.capacity = capacity  # component slots; ``spare`` more hold candidates
        slots = capacity + spare
        self.prior = prior
        self.origin = origin
        self._stray_d2 = gm.birth_threshold(dim, STRAY_QUANTILE)
        width = 1 + dim + dim * dim
        self.S = np.zeros((slots, width))
        self.phi = np.zeros((64, width))
        self.R = np.zeros((64, slots))
        self.since = np.zeros(slots)  # responsibility mass each slot gained since its last split test
        self.n = 0
        self.k = 0
        self.n_pending = 0
        self.update()

    # ------------------------------------------------------------- reading
    @property
    def k_real(self) -> int:
        return self.k - self.n_pending

    @property
    def X(self) -> np.ndarray:
        """Stored points around ``origin`` (a view of their features)."""
        return self.phi[: self.n, 1 : 1 + self.dim]

    def update(self) -> None:
        """Mark the statistics changed: the next read of :attr:`mix` runs the M-step.

        Lazy because a structural move updates several times before anything
        reads the mixture; each M-step costs about as much as the rest of a click.
        """
        self._mix: gm.Mixture | None = None
        self._components: gm.Mixture | None = None

    @property
    def mix(self) -> gm.Mixture:
        """The M-step over every active slot (components and candidates), from ``S`` as it is when first
        read after :meth:`update`."""
        if self._mix is None:
            p = self.prior
            self._mix = gm.m_step(self.S[: self.k], self.dim, p.scale, p.count, p.reg)
        return self._mix

    def components(self) -> gm.Mixture:
        """The mixture without candidates: what is drawn and scored (see the module's docstring)."""
        if self.n_pending == 0:
            return self.mix
        if self._components is None:
            self._components = self._candidates_shared_out()
        return self._components

    def _candidates_shared_out(self) -> gm.Mixture:
        """The components with the candidates' points shared out among them by a partial E-step, except
        points no component could have drawn (squared Mahalanobis distance beyond ``STRAY_QUANTILE``)."""
        p, kr = self.prior, self.k_real
        alone = gm.m_step(self.S[:kr], self.dim, p.scale, p.count, p.reg)
        held = self.R[: self.n, kr : self.k].sum(1)  # each point's share in the candidates
        rows = np.flatnonzero(held > TRACE)
        phi = self.phi[rows]
        share = held[rows] * (alone.maha(phi).min(1) < self._stray_d2)
        if not share.any():
            return alone
        q, _ = gm.softmax_rows(alone.log_joint(phi))
        S = self.S[:kr] + (q * share[:, None]).T @ phi
        return gm.m_step(S, self.dim, p.scale, p.count, p.reg)

    def restore(self, n: int, k: int, n_pending: int, S: np.ndarray, since: np.ndarray) -> None:
        """Go back to journaled statistics (the rows are restored by the journal)."""
        self.n, self.k, self.n_pending = n, k, n_pending
        self.S[:] = S
        self.since[:] = since
        self.update()

    # ------------------------------------------------------------ one point
    def store(self, phi: np.ndarray) -> int:
        """Append a point's features with no responsibility yet; returns its row."""
        if self.n == self.phi.shape[0]:
            self.phi = np.concatenate([self.phi, np.zeros_like(self.phi)])
            self.R = np.concatenate([self.R, np.zeros_like(self.R)])
        i = self.n
        self.phi[i] = phi
        self.R[i] = 0.0
        self.n += 1
        return i

    def assign(self, i: int, r: np.ndarray) -> None:
        """Give stored point ``i`` responsibilities ``r`` over the active slots."""
        self.R[i, : self.k] = r
        self.S[: self.k] += r[:, None] * self.phi[i]
        self.since[: self.k] += r

    def open_slot(self, i: int, *, pending: bool) -> None:
        """Start a component (or a candidate, after the components) holding point ``i`` alone."""
        at = self.k
        self.k += 1
        if pending:
            self.n_pending += 1
        elif self.n_pending:  # components stay in front of the candidates
            self._permute([*range(self.k_real - 1), at, *range(self.k_real - 1, at)])
            at = self.k_real - 1
        self.R[i, at] = 1.0
        self.S[at] = self.phi[i]
        self.since[at] = 1.0

    def refresh(self, rows: np.ndarray) -> np.ndarray:
        """Partial E-step on stored ``rows``: swap their old share of the statistics for the new one.

        Returns their old responsibilities (for undo).
        """
        k = self.k
        phi = self.phi[rows]
        old = self.R[rows]
        r, _ = gm.softmax_rows(self.mix.log_joint(phi))
        self.S[:k] += (r - old[:, :k]).T @ phi
        self.R[rows, :k] = r
        return old

    def sweep(self) -> float:
        """A full E-step and M-step over every point (structural changes settle in a few); mean log-likelihood."""
        n, k = self.n, self.k
        r, ll = gm.softmax_rows(self.mix.log_joint(self.phi[:n]))
        self.R[:n, :k] = r
        self.S[:k] = r.T @ self.phi[:n]
        self.update()
        return float(ll.mean())

    # ---------------------------------------------------------- structure
    def _permute(self, order: list[int]) -> None:
        """Reorder (and drop) active slots: slot ``order[j]`` becomes slot ``j``."""
        o = np.asarray(order, dtype=np.intp)
        m, n = len(o), self.n
        self.S[:m] = self.S[o]
        self.S[m:] = 0.0
        self.R[:n, :m] = self.R[:n, o]
        self.R[:n, m:] = 0.0
        self.since[:m] = self.since[o]
        self.since[m:] = 0.0
        self.k = m
        self.update()

    def merge(self, i: int, j: int) -> None:
        """Merge slot ``j`` into slot ``i`` (exact: statistics and responsibilities add)."""
        self.S[i] += self.S[j]
        self.R[: self.n, i] += self.R[: self.n, j]
        self.since[i] += self.since[j]
        if j >= self.k_real:
            self.n_pending -= 1
        self._permute([c for c in range(self.k) if c != j])

    def promote(self) -> None:
        """Candidates fill free component slots, the fullest first."""
        while self.n_pending and self.k_real < self.capacity:
            pend = list(range(self.k_real, self.k))
            best = max(pend, key=lambda c: self.S[c, 0])
            rest = [c for c in pend if c != best]
            self._permute([*range(self.k_real), best, *rest])
            self.n_pending -= 1

    def swap_roles(self, component: int, candidate: int) -> None:
        """A candidate becomes a component and a weak component a candidate."""
        order = [c for c in range(self.k_real) if c != component] + [candidate]
        order += [component] + [c for c in range(self.k_real, self.k) if c != candidate]
        self._permute(order)

    def split(self, c: int, halves: gm.Mixture) -> None:
        """Split slot ``c`` in two: its points' responsibility is shared by the posterior of ``halves``."""
        rows = np.flatnonzero(self.R[: self.n, c] > TRACE)  # a point's trace in ``c`` stays there
        q, _ = gm.softmax_rows(halves.log_joint(self.phi[rows]))
        new = self.k
        self.k += 1
        self.R[rows, new] = self.R[rows, c] * q[:, 1]
        self.R[rows, c] *= q[:, 0]
        self.S[new] = self.R[rows, new] @ self.phi[rows]
        self.S[c] -= self.S[new]
        self.since[c] = self.since[new] = 0.0
        if self.n_pending:  # the new component goes in front of the candidates
            kr = self.k_real - 1
            self._permute([*range(kr), new, *range(kr, new)])
        else:
            self.update()

    def drop(self, j: int) -> None:
        """Remove slot ``j``; its points' responsibility goes to the other slots (a partial E-step).

        A point that gave ``j`` no more than ``TRACE`` of itself passes that
        trace to the fullest slot instead: exact bookkeeping, and a drop
        costs the points ``j`` held, not every point (a softmax leaves every
        slot a trace of every point).
        """
        keep = np.array([c for c in range(self.k) if c != j], dtype=np.intp)
        held = self.R[: self.n, j]
        self._pass_traces(np.flatnonzero((held > 0.0) & (held <= TRACE)), j, keep)
        rows = np.flatnonzero(held > TRACE)
        if rows.size:
            p = self.prior
            rest = gm.m_step(self.S[keep], self.dim, p.scale, p.count, p.reg)
            phi = self.phi[rows]
            r, _ = gm.softmax_rows(rest.log_joint(phi))
            old = self.R[rows][:, keep]
            self.S[keep] += (r - old).T @ phi
            self.R[rows, j] = 0.0
            self.R[rows[:, None], keep] = r
        if j >= self.k_real:
            self.n_pending -= 1
        self._permute(keep)

    def _pass_traces(self, rows: np.ndarray, j: int, keep: np.ndarray) -> None:
        """Points ``rows`` give their (tiny) responsibility in slot ``j`` to the fullest slot in ``keep``."""
        if not rows.size or not keep.size:
            return
        to = int(keep[np.argmax(self.S[keep, 0])])
        share = self.R[rows, j]
        self.R[rows, to] += share
        self.R[rows, j] = 0.0
        self.S[to] += share @ self.phi[rows]

    def adopt(self, responsibilities: np.ndarray) -> None:
        """Replace every responsibility (a fit from elsewhere, all slots components)."""
        n, k = responsibilities.shape
        self.R[:n] = 0.0
        self.R[:n, :k] = responsibilities
        self.S[:] = 0.0
        self.S[:k] = responsibilities.T @ self.phi[:n]
        self.since[:] = 0.0
        self.k, self.n_pending = k, 0
        self.update()

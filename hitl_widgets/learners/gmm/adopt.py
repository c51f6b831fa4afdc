"""Checks from scratch for the online mixture: prepare a fit, run it anywhere, adopt it if it is better.

A mixin of :class:`~hitl_widgets.learners.gmm.online.OnlineGMM`: the fit
itself (:class:`~hitl_widgets.learners.gmm.check.ScratchFit`) touches no
learner state, so an idle-time thread runs it while clicks go on, and
:meth:`ScratchChecks.adopt` takes the result under the caller's lock.
"""

from __future__ import annotations

import numpy as np

from . import maths as gm
from .check import Proposal, ScratchFit
from .journal import hashed_draws
from .moves import check_price, component_penalty

ADOPT_MARGIN = 1e-3  # nats per point a fit from scratch must gain to be adopted
AUTO_WINDOW = 3  # a check from scratch tries K-3 .. K+3 components
SALT_FIT = 4
FEW_POINTS = 1000  # up to this many points a check is cheap enough for twice the starts


class ScratchChecks:
    """Fits from scratch of the stored points, and adopting one when it explains them better."""

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
            _, ll_now = gm.softmax_rows(self._component_mixture().log_joint(st.phi[:n]))
            extra = len(proposal.weights) - st.k_real
            price = component_penalty(st.dim, n, self.auto, price=check_price)
            gain = (ll.sum() - ll_now.sum() - price * extra) / n
            if not gain > margin:
                return False
        self._before_structural_change()
        st.adopt(r)
        self._drop_empty()
        if margin > -np.inf:
            self._count(adopted=1)
            self.last_adoption = {"n_points": n, "gain": float(gain), "n_components": st.k_real}
        return True

    def check_against_batch(self) -> bool:
        """Fit from scratch now and adopt the fit if it is better; returns whether it was adopted."""
        return self.adopt(self.propose_from_scratch())

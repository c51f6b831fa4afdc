"""Fits from scratch for the online mixture's checks: prepared under a lock, run in any thread.

:meth:`OnlineGMM.prepare_check` copies what a fit needs (the points, the
current mixture as one of the starts, the numbers of components to try) into
a :class:`ScratchFit`; its :meth:`~ScratchFit.run` touches no learner state,
so a background thread can run it while clicks go on, and
:meth:`OnlineGMM.adopt` then takes the result under the lock if it is better.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from . import maths as gm
from .batch import Prior, batch_em_select


@dataclass
class Proposal:
    """A mixture fitted from scratch, in the caller's coordinates, and how many points it saw."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    n_points: int
    seconds: float

    @classmethod
    def from_params(cls, params: dict) -> Proposal:
        """A proposal from a fitted model's ``params()`` (e.g. the fit from scratch a user chose to adopt)."""
        return cls(
            np.asarray(params["weights"], dtype=np.float64),
            np.asarray(params["means"], dtype=np.float64),
            np.asarray(params["covariances"], dtype=np.float64),
            int(params["n_points"]),
            0.0,
        )


@dataclass
class ScratchFit:
    """Everything a fit from scratch needs, copied: the points, the starts, the numbers of components."""

    points: np.ndarray
    ks: list[int]
    prior: Prior
    price: float  # nats per free parameter when choosing K
    n_init: int
    seed: int
    warm: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # the current mixture, a start

    def run(self) -> Proposal:
        """Batch EM from ``n_init`` k-means starts (and the current mixture) for each K; the best by the price."""
        t0 = time.perf_counter()
        X = self.points
        centre = X.mean(0)  # fit around the data's centre: no digits lost far from the origin
        warm = None
        if self.warm is not None:
            w, mu, cov = self.warm
            warm = gm.mixture_from_parameters(w, mu - centre, cov)
        fit = batch_em_select(
            torch.from_numpy(X - centre),
            self.ks,
            self.prior,
            price=self.price,
            n_init=self.n_init,
            generator=torch.Generator().manual_seed(self.seed),
            warm=warm,
        )
        m = fit.mixture
        return Proposal(m.weights, m.means + centre, m.covariances, X.shape[0], time.perf_counter() - t0)

"""The online mixture against a fit from scratch: how much better the fit explains the points, whether to adopt
it, and the two compared component by component. Functions of the models and the points: the session calls
them under its lock.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from ...learners import OnlineGMM
from ...learners.gmm.metrics import compare_mixtures
from ...learners.gmm.prior import ridge_for

ADOPT_MIN_GAIN = 5e-4  # nats/point: a gain the status line shows (three decimals) is worth adopting


def batch_model(n_components: int | str, seed: int, prior_scale: float | None, online_prior: float) -> OnlineGMM:
    """A model to fit from scratch with the online class's prior (given, or what its points made it)."""
    if prior_scale is not None:
        return OnlineGMM(n_components, seed=seed, prior_scale=prior_scale)
    return OnlineGMM(n_components, seed=seed, prior_scale=online_prior, reg=ridge_for(online_prior))


def ll_gap(
    batch: dict[Hashable, OnlineGMM], online: dict[Hashable, OnlineGMM], points: np.ndarray, labels: np.ndarray
) -> float:
    """Mean log-likelihood per point, fit from scratch minus online, each point under its own class."""
    gap = 0.0
    for c, m in online.items():
        if c in batch:
            sel = points[labels == c]
            gap += float(np.sum(batch[c].score_samples(sel) - m.score_samples(sel)))
    return gap / len(points)


def adoption_advice(fitted: bool, batch_n: int, gap: float | None) -> dict[str, Any]:
    """Whether to adopt the fit from scratch (``{"ok", "why"}``): only one made on every point (``gap`` is
    ``None`` otherwise) that is better by at least :data:`ADOPT_MIN_GAIN`.

    >>> adoption_advice(True, 40, 0.01)["ok"], adoption_advice(True, 40, None)["why"]
    (True, 'the fit from scratch is from N = 40: press b to fit again')
    """
    if not fitted:
        return {"ok": False, "why": "press b to fit from scratch first"}
    if gap is None:
        return {"ok": False, "why": f"the fit from scratch is from N = {batch_n}: press b to fit again"}
    shown = f"{gap:+.3f}".replace("-0.000", "+0.000")
    if gap < ADOPT_MIN_GAIN:
        return {"ok": False, "why": f"the fit from scratch is not better than the online model ({shown} nats/pt)"}
    return {"ok": True, "why": f"the fit from scratch is better by {shown} nats/pt: make it the online model"}


def compare_fits(
    batch: dict[Hashable, OnlineGMM],
    online: dict[Hashable, OnlineGMM],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    seed: int,
    n_samples: int,
) -> tuple[float, dict[Hashable, Any]]:
    """The KL divergence of the online model from the fit from scratch (classes weighted by their share of the
    points: the joint distributions' KL, both using the same class counts) and the matched components per
    class."""
    kl = 0.0
    components = {}
    for c, m in online.items():
        share = float(np.mean(labels == c))
        res = compare_mixtures(batch[c], m, points[labels == c], n_samples=n_samples, seed=seed)
        kl += share * res["kl"]
        components[c] = res["components"]
    return kl, components

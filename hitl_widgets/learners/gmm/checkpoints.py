"""How far an online mixture is from batch EM after every completed cluster of a click sequence.

The yardstick the benchmark, the tests and notebook 01 share: feed a
:class:`~hitl_widgets.data.clicks.ClickSequence` to a learner point by point;
after each completed cluster, fit scikit-learn's ``GaussianMixture`` from
scratch (``n_init=5``) on the points so far and score both on held-out points
of the clusters clicked so far. The gap is batch minus online, in nats per
point (> 0: batch EM explains fresh points better).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ...data.clicks import ClickSequence

WITHIN = 0.05  # nats per point: the online model is as good as batch EM


def reference_log_likelihood(
    points: np.ndarray, held_out: np.ndarray, k: int | str, *, seed: int = 0, reg_covar: float = 1e-6
) -> float:
    """Held-out mean log-likelihood of scikit-learn's ``GaussianMixture(k, n_init=5)`` fitted on ``points``.

    ``k="auto"`` fits every K from 1 to 12 and keeps the one with the lowest BIC. ``reg_covar`` is
    scikit-learn's ridge, in squared data units: 1e-6 times the square of a scale factor fits
    scaled points as the reference fits the originals.

    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 0.5, (50, 2)), rng.normal(3, 0.5, (50, 2))])
    >>> round(reference_log_likelihood(X, X, 2), 1)
    -2.0
    """
    from sklearn.mixture import GaussianMixture

    n = len(points)
    ks = range(1, min(12, n - 1) + 1) if k == "auto" else [min(int(k), n)]
    fits = [GaussianMixture(j, n_init=5, random_state=seed, reg_covar=reg_covar).fit(points) for j in ks]
    best = min(fits, key=lambda f: f.bic(points))
    return float(best.score_samples(held_out).mean())


def checkpoint_gaps(
    make_model: Callable[[], Any],
    sequence: ClickSequence,
    k: int | str,
    *,
    seed: int = 0,
    idle_check: bool = False,
    scale: float = 1.0,
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Learn ``sequence`` point by point; after each completed cluster, the gap to batch EM.

    Returns one record per checkpoint (``n``, ``gap``, ``components``, and with
    ``idle_check`` the ``gap_after_check`` once :meth:`check_against_batch`
    ran, as it does when a person pauses) and the milliseconds of every
    ``learn_one`` call. ``scale`` multiplies every point (clicks and held-out)
    and the reference's ridge by its square: the same test on data in other units.
    """
    model = make_model()
    times = np.empty(len(sequence.points))
    records = []
    checkpoints = set(sequence.checkpoints)
    points = sequence.points * scale
    for i, x in enumerate(points):
        t0 = time.perf_counter()
        model.learn_one(x)
        times[i] = (time.perf_counter() - t0) * 1e3
        if i + 1 not in checkpoints:
            continue
        held_out = sequence.heldout_so_far(i + 1) * scale
        reference = reference_log_likelihood(points[: i + 1], held_out, k, seed=seed, reg_covar=1e-6 * scale**2)
        record = {
            "n": i + 1,
            "gap": reference - float(model.score_samples(held_out).mean()),
            "components": model.n_components_used,
        }
        if idle_check:
            model.check_against_batch()
            record["gap_after_check"] = reference - float(model.score_samples(held_out).mean())
        records.append(record)
    return records, times

"""Quality half of ``benchmarks/gmm.py``: the gap to batch EM after every completed cluster.

For every layout of :mod:`hitl_widgets.data.clicks` (the ones the learner was
tuned on and the curved ones where a mixture fits poorly), every order
(random, cluster after cluster, brush) and K, over seeds: feed the clicks to
``OnlineGMM(K)`` and ``OnlineGMM("auto")`` one by one and, after each
completed cluster, score them and scikit-learn's ``GaussianMixture(n_init=5)``
fitted on the points so far (K components; for "auto" the K with the best BIC)
on held-out points of the clusters clicked so far. The same checkpoint is
scored again after ``check_against_batch`` (what the canvas does when the
clicks pause), and the challenge's gradient descent is fitted there too on a
share of the runs. scikit-learn's fit with other random starts is scored as
well: on few points the yardstick itself moves by more than the target.

With a ``scale`` (``gmm.py --scales``) the learner runs with its defaults (no
``prior_scale``: the prior follows the points) on the clicks multiplied by the
scale, and the reference's ridge is multiplied by its square, so the
reference is the same fit at every scale.
"""

from __future__ import annotations

import torch
from threadpoolctl import threadpool_limits

from hitl_widgets import OnlineGMM, fit_gradient
from hitl_widgets.data.clicks import CURVED_LAYOUTS, GAUSSIAN_LAYOUTS, click_sequence
from hitl_widgets.learners.gmm.metrics import reference_log_likelihood

PRIOR_SCALE = 0.7  # what GMMCanvas uses on its default 20 x 16 view (3.5% of the span)
RESEED = 1000  # scikit-learn's fit again with random_state seed + RESEED: how far the yardstick moves by itself


def runs(seeds: int, auto_seeds: int, gd_seeds: int) -> list[tuple]:
    """(layout, order, K, seed, with "auto", with gradient descent) for every run."""
    out = []
    for layout in GAUSSIAN_LAYOUTS + CURVED_LAYOUTS:
        ks = (2, 3, 4, 5, 6, 8) if layout in GAUSSIAN_LAYOUTS else (3, 5, 8)
        for order in ("random", "cluster", "brush"):
            for k in ks:
                for seed in range(seeds):
                    out.append((layout, order, k, seed, seed < auto_seeds and k in (2, 3, 5, 8), seed < gd_seeds))
    return out


def one_run(spec: tuple, yardstick: bool = True, scale: float | None = None) -> list[dict]:
    """Every checkpoint of one run, as rows.

    Two copies of each model learn the same clicks: one never pauses (the
    online learner alone), the other pauses after each cluster, when the
    canvas's idle check fits from scratch and adopts a better fit, and goes on
    from there. ``yardstick=False`` leaves out the columns that do not depend
    on the learner (the reference reseeded, gradient descent). ``scale``: the
    clicks times ``scale`` and the learner's defaults (see the module's docstring).
    """
    layout, order, k, seed, with_auto, with_gd = spec
    prior = PRIOR_SCALE if scale is None else None
    torch.set_num_threads(1)
    with threadpool_limits(1):
        seq = click_sequence(layout, order, n_clusters=k, seed=seed)
        modes = ["fixed", "auto"] if with_auto else ["fixed"]
        models = {
            (mode, paused): OnlineGMM(k if mode == "fixed" else "auto", seed=seed, prior_scale=prior)
            for mode in modes
            for paused in (False, True)
        }
        rows = []
        checkpoints = set(seq.checkpoints)
        for i, x in enumerate(seq.points * (scale or 1.0)):
            for m in models.values():
                m.learn_one(x)
            if i + 1 in checkpoints:
                rows += _score(seq, i + 1, k, seed, models, with_gd, yardstick, scale or 1.0)
        extra = {} if scale is None else {"scale": scale}
        return [{"layout": layout, "order": order, "k": k, "seed": seed, **extra, **r} for r in rows]


def _score(
    seq, n: int, k: int, seed: int, models: dict, with_gd: bool, yardstick: bool, scale: float = 1.0
) -> list[dict]:
    points, held_out = seq.points[:n] * scale, seq.heldout_so_far(n) * scale
    ridge = 1e-6 * scale**2
    rows = []
    for mode in dict.fromkeys(mode for mode, _ in models):
        k_ref = "auto" if mode == "auto" else k
        reference = reference_log_likelihood(points, held_out, k_ref, seed=seed, reg_covar=ridge)
        online, paused = models[(mode, False)], models[(mode, True)]
        paused.check_against_batch()  # the pause after this cluster
        row = {
            "mode": mode,
            "n": n,
            "gap": reference - online.score_samples(held_out).mean(),
            "gap_paused": reference - paused.score_samples(held_out).mean(),
            "components": online.n_components_used,
            "prior": online.prior_sd / scale,
        }
        if yardstick:  # the yardstick's own spread: the same scikit-learn fit with other random starts
            row["gap_reseeded"] = reference - reference_log_likelihood(points, held_out, k_ref, seed=seed + RESEED)
        if yardstick and with_gd and mode == "fixed":
            gd = fit_gradient(points, n_components=min(k, n), epochs=500, seed=seed)
            row["gap_gradient"] = reference - gd.score_samples(held_out).mean()
        rows.append(row)
    return rows

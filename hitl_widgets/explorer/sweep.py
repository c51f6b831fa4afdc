"""An exploration's strategies over many seeds: learning-curve bands, area under the curve, labels to reach.

One run of the explorer is one seed; whether margin beats uniform on this
data is a question over seeds. :func:`sweep` runs the same settings through
:func:`~hitl_widgets.simulate` (the oracle answers every pick) for ``seeds``
seeds, and :func:`summary` says what each strategy bought against uniform.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from ..learners.protocol import fresh_copy
from .exploration import YOU, Exploration
from .presets import make_learner
from .simulation import labels_to_reach, simulate


def sweep(
    ex: Exploration, seeds: int = 10, budget: int | None = None, progress: bool | Callable[[int, int], None] = False
) -> Any:
    """Learning curves of ``ex``'s strategies ("you" left out) over seeds ``ex.seed`` .. ``ex.seed + seeds - 1``.

    Returns :func:`simulate`'s DataFrame (strategy, seed, labels, accuracy).

    >>> ex = Exploration.from_preset("blobs", ["margin"], n=200, warm_start=6, budget=20, batch_size=7)
    >>> df = sweep(ex, seeds=2)
    >>> sorted(df.strategy.unique()), sorted(df.seed.unique().tolist()), sorted(df.labels.unique().tolist())
    (['margin', 'uniform'], [0, 1], [6, 13, 20])
    """
    if isinstance(seeds, bool) or not isinstance(seeds, (int, np.integer)) or seeds < 1:
        raise ValueError(f"sweep: seeds must be a whole number of at least 1, got {seeds!r}")
    learner, seeds_of_learners = ex.learner, itertools.count(ex.seed)
    if isinstance(learner, str):
        name, dim, classes = learner, ex.X.shape[1], ex.classes

        def factory() -> Any:  # a learner seeded anew for every run, as the runs' splits are
            return make_learner(name, dim, classes, seed=next(seeds_of_learners))
    else:

        def factory() -> Any:
            return fresh_copy(learner)

    return simulate(
        ex.X,
        ex.y,
        [s for s in ex.strategies if s != YOU],
        factory,
        warm_start=ex.warm_start,
        batch_size=ex.batch_size,
        budget=budget or ex.budget,
        seeds=range(ex.seed, ex.seed + int(seeds)),
        test_size=ex.test_size,
        progress=progress,
    )


def summary(df: Any) -> dict[str, dict[str, float]]:
    """Per strategy: ``auc`` (mean held-out accuracy over the label range, averaged over seeds) and
    ``labels_to_reach`` (median labels to reach uniform's final mean accuracy; ``inf`` when never).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"strategy": ["uniform"] * 3 + ["margin"] * 3, "seed": 0,
    ...                    "labels": [10, 20, 30] * 2, "accuracy": [0.5, 0.6, 0.7, 0.5, 0.7, 0.8]})
    >>> summary(df)["margin"]
    {'auc': 0.675, 'labels_to_reach': 20.0}
    """
    target = df[df.strategy == "uniform"].groupby("seed").accuracy.last().mean()
    reach = labels_to_reach(df, float(target))
    out = {}
    for name, group in df.groupby("strategy", sort=False):
        areas = [_mean_over_labels(run.labels.to_numpy(), run.accuracy.to_numpy()) for _, run in group.groupby("seed")]
        out[name] = {"auc": round(float(np.mean(areas)), 4), "labels_to_reach": reach[name]}
    return out


def _mean_over_labels(labels: np.ndarray, accuracy: np.ndarray) -> float:
    """The area under the curve (trapezoids) over its label range: a mean accuracy."""
    if len(labels) < 2:
        return float(accuracy[0])
    area = float(((accuracy[1:] + accuracy[:-1]) / 2 * np.diff(labels)).sum())
    return area / float(labels[-1] - labels[0])


def bands(df: Any) -> list[dict[str, Any]]:
    """Per strategy: labels, mean, and mean +- one standard deviation over seeds (what the chart shades)."""
    out = []
    for name, group in df.groupby("strategy", sort=False):
        stats = group.groupby("labels").accuracy.agg(["mean", "std"]).fillna(0.0)
        out.append({
            "name": name,
            "labels": stats.index.astype(int).tolist(),
            "mean": stats["mean"].round(4).tolist(),
            "low": (stats["mean"] - stats["std"]).round(4).tolist(),
            "high": (stats["mean"] + stats["std"]).round(4).tolist(),
        })  # fmt: skip
    return out

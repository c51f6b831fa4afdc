"""Sorted real data with an over-specified K: the online mixture against batch EM, at any scale.

The issue's case: a small real two-feature data set, put on a 500 px canvas,
its rows sorted by one feature (so one cluster arrives whole before the
next), fitted with more components than it has clusters. Data sets:
scikit-learn's bundled iris (petal length and width), wine (flavanoids and
proline; OD280/OD315 and hue), breast cancer (worst area and worst concave
points), and a generated Old-Faithful-like table (eruption minutes to three
decimals, waiting minutes as whole numbers: two clusters of 97 and 175).

For every data set, sort feature, scale and K, the online model learns the
rows one by one with its defaults (no ``prior_scale``: the prior follows
the points). Every 5 points it is scored on the points so far against
batch EM from scratch with the same prior (``OnlineGMM(K, prior_scale=the
online model's, reg=its ridge).fit``: the fit the canvas's ``b`` compares
with), as mean log-likelihood per point. ``first cluster``: the checkpoints
before the first row of another class arrives; ``whole``: every checkpoint.
The row ``0.7 (before)``: the same at 1x with the earlier default prior
(0.7 in data units, with the ridge 1e-6).

The whole stream is scored at 1x only (the model at 0.01x and 100x is the
same, scaled: the first clusters' rows show it).

Run: ``python benchmarks/gmm_sorted.py`` (``--first-only``: the first
clusters alone, 2 minutes on 2 cores); writes ``benchmarks/results/gmm_sorted.md``
and its rows in ``gmm_sorted.csv``.
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn import datasets

from hitl_widgets import OnlineGMM
from hitl_widgets.learners.gmm.prior import ridge_for

CANVAS = 500.0  # pixels: the span of the canvas the rows are put on (times the scale)
KS = (2, 3, 5, "auto")
SCALES = (0.01, 1.0, 100.0)
EVERY = 5
WITHIN = 0.05


def data_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Two features and the class of every row, per data set."""
    iris, wine, bc = datasets.load_iris(), datasets.load_wine(), datasets.load_breast_cancer()
    wn, bn = list(wine.feature_names), list(bc.feature_names)
    rng = np.random.default_rng(0)
    short = rng.multivariate_normal([2.0, 54.5], [[0.07, 0.4], [0.4, 34.0]], 97)
    long = rng.multivariate_normal([4.3, 80.0], [[0.17, 0.9], [0.9, 35.0]], 175)
    both = np.concatenate([short, long])
    return {
        "iris petal": (iris.data[:, [2, 3]], (iris.target > 0).astype(int)),
        "wine flavanoids-proline": (wine.data[:, [wn.index("flavanoids"), wn.index("proline")]], wine.target),
        "wine od280-hue": (wine.data[:, [wn.index("od280/od315_of_diluted_wines"), wn.index("hue")]], wine.target),
        "breast cancer area-concave": (
            bc.data[:, [bn.index("worst area"), bn.index("worst concave points")]],
            bc.target,
        ),
        "faithful-like": (np.c_[np.round(both[:, 0], 3), np.round(both[:, 1])], np.r_[np.zeros(97), np.ones(175)]),
    }


def on_canvas(X: np.ndarray, scale: float) -> np.ndarray:
    """The rows put on a ``CANVAS``-pixel canvas (both features over their largest span), times ``scale``."""
    lo = X.min(0)
    return (X - lo) / (X.max(0) - lo).max() * CANVAS * scale


def one_case(name: str, feature: int, scale: float, k: int | str, before: bool, first_only: bool) -> list[dict]:
    """Every checkpoint of one sorted stream."""
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    X, y = data_sets()[name]
    P = on_canvas(X, scale)
    order = np.argsort(P[:, feature], kind="stable")
    P, y = P[order], y[order]
    first = int(np.argmax(y != y[0])) or len(y)
    end = first if first_only else len(P)
    model = OnlineGMM(k, seed=0, prior_scale=0.7 if before else None)
    rows = []
    for i, x in enumerate(P[:end]):
        model.learn_one(x)
        n = i + 1
        if n < 10 or not (n % EVERY == 0 or n in (first, end)):
            continue
        prior = model.prior_sd
        reg = 1e-6 if before else ridge_for(prior)
        batch = OnlineGMM(k, seed=0, prior_scale=prior, reg=reg).fit(P[:n])
        gap = float(batch.score_samples(P[:n]).mean() - model.score_samples(P[:n]).mean())
        rows.append(
            {"data": name, "feature": feature, "scale": scale, "k": str(k), "before": before, "n": n,
             "first": n <= first, "whole": not first_only, "gap": gap, "prior": prior / scale,
             "components": model.n_components_used}
        )  # fmt: skip
    return rows


def table(df: pd.DataFrame) -> str:
    def cells(d: pd.DataFrame) -> str:
        if d.empty:
            return "- | - | -"
        return f"{len(d)} | {(d.gap <= WITHIN).mean():.1%} | {d.gap.max():+.3f}"

    out = [
        "| prior | scale | K | first cluster, n >= 20: checkpoints | within 0.05 | worst "
        "| first cluster, n 10-19: checkpoints | within 0.05 | worst "
        "| whole stream: checkpoints | within 0.05 | worst |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (before, scale, k), d in df.groupby(["before", "scale", "k"], sort=True):
        f = d[d["first"]]
        whole = cells(d) if d.whole.all() else "- | - | -"
        out.append(
            f"| {'0.7 (before)' if before else 'follows the points'} | {scale:g}x | {k} | {cells(f[f.n >= 20])} "
            f"| {cells(f[f.n < 20])} | {whole} |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--first-only", action="store_true", help="the checkpoints of the first cluster alone")
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    jobs = [
        (name, feature, scale, k, False, args.first_only or scale != 1.0)  # the whole stream at 1x
        for name in data_sets()
        for feature in (0, 1)
        for scale in SCALES
        for k in KS
    ]
    jobs += [(name, feature, 1.0, k, True, args.first_only) for name in data_sets() for feature in (0, 1) for k in KS]
    jobs.sort(key=lambda job: job[5])  # the long jobs first
    with Pool(args.processes) as pool:
        df = pd.DataFrame([r for rows in pool.starmap(one_case, jobs) for r in rows])
    minutes = (time.perf_counter() - t0) / 60
    worst = df[df["first"] & (df.n >= 20) & ~df.before].groupby(["data", "feature", "k"]).gap.max().unstack("k")
    worst_rows = [
        f"| data | sorted by | {' | '.join(f'K={k}' for k in worst.columns)} |",
        "|---|---|" + "---|" * len(worst.columns),
    ]
    worst_rows += [
        f"| {name} | feature {feature} | " + " | ".join(f"{v:+.3f}" for v in row) + " |"
        for (name, feature), row in worst.iterrows()
    ]
    report = (
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}; "
        f"{minutes:.1f} min on {args.processes} processes.\n\n"
        "Gap = batch EM's mean log-likelihood of the points so far minus the online model's (nats/point; "
        "batch EM from scratch with the online model's prior). Sorted by each of the two features, "
        f"{len(data_sets())} data sets, K = {', '.join(map(str, KS))}.\n\n"
        + table(df)
        + "\n\n## Worst gap during the first cluster (n >= 20), the prior following the points, every scale\n\n"
        + "\n".join(worst_rows)
        + "\n"
    )
    print(report)
    out = Path(__file__).parent / "results"
    df.to_csv(out / ("gmm_sorted_first.csv" if args.first_only else "gmm_sorted.csv"), index=False)
    name = "gmm_sorted_first.md" if args.first_only else "gmm_sorted.md"
    (out / name).write_text("# benchmarks/gmm_sorted.py\n\n" + report)


if __name__ == "__main__":
    main()

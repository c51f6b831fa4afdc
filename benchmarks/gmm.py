"""Online GMM vs refitting from scratch vs the challenge's gradient descent (1 thread).

For N = 200, 1,000, 10,000 points from five tilted blobs, in random order and
cluster by cluster, over several seeds:

* per-point update time of ``OnlineGMM.learn_one`` (median, p95, max) against
  one scikit-learn ``GaussianMixture`` refit from scratch at that N (what a
  refit-per-click design pays per click);
* held-out log-likelihood gap (nats/point) of the online model to batch EM
  (our MAP EM with 5 starts), and the number of runs worse than 0.05 nats
  (two clusters merged); scikit-learn's fit is scored too, as a check on the
  reference;
* the same gap for the challenge's gradient descent (Adam, 500 epochs, diagonal).

Run: ``python benchmarks/gmm.py`` (``--quick`` for 2 seeds); writes
``benchmarks/results/gmm.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from hitl_widgets import OnlineGMM, fit_gradient
from hitl_widgets.data import five_blobs

MERGED = 0.05  # nats/point: a gap above this means two clusters were merged


def online_run(X: np.ndarray, seed: int) -> tuple[OnlineGMM, np.ndarray]:
    g = OnlineGMM(5, seed=seed)
    times = np.empty(len(X))
    for i, x in enumerate(X):
        t0 = time.perf_counter()
        g.learn_one(x)
        times[i] = time.perf_counter() - t0
    return g, times * 1e3


def sklearn_refit_ms(X: np.ndarray, repeats: int = 3) -> float:
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        GaussianMixture(5, covariance_type="full", n_init=1, random_state=r).fit(X)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def run(sizes: list[int], seeds: int) -> str:
    rows, quality = [], []
    for n in sizes:
        per_point = {"random": [], "cluster": []}
        gaps = {"random": [], "cluster": []}
        gd_gaps, sk_gaps, refit = [], [], []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            X, z = five_blobs(n, rng)
            X_test, _ = five_blobs(5000, rng)
            ref = OnlineGMM(5, seed=seed, n_init=5).fit(X).score_samples(X_test).mean()
            sk = GaussianMixture(5, n_init=5, random_state=seed, reg_covar=1e-6).fit(X)
            sk_gaps.append(ref - sk.score_samples(X_test).mean())
            for order, data in (("random", X), ("cluster", X[np.argsort(z, kind="stable")])):
                g, t = online_run(data, seed)
                per_point[order].append(t)
                gaps[order].append(ref - g.score_samples(X_test).mean())
            gd = fit_gradient(X, n_components=5, epochs=500, seed=seed)
            gd_gaps.append(ref - gd.score_samples(X_test).mean())
            refit.append(sklearn_refit_ms(X))
        sk_ms = statistics.median(refit)
        for order in ("random", "cluster"):
            t = np.concatenate(per_point[order])
            med, p95 = np.median(t), np.percentile(t, 95)
            g = np.array(gaps[order])
            rows.append(
                f"| {n:,} | {order} | {med:.3f} | {p95:.3f} | {t.max():.0f} | {sk_ms:.1f} | "
                f"{sk_ms / p95:.0f}x | {np.median(g):+.4f} | {g.max():+.4f} | {(g > MERGED).sum()}/{len(g)} |"
            )
        gd = np.array(gd_gaps)
        # its diagonal covariances cost a floor (its best run); runs well above that merged blobs
        quality.append(
            f"| {n:,} | {gd.min():+.3f} | {np.median(gd):+.3f} | {gd.max():+.3f} | "
            f"{(gd > gd.min() + MERGED).sum()}/{len(gd)} | {np.median(sk_gaps):+.4f} |"
        )
    head = (
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"torch {torch.__version__}, 1 thread, {seeds} seeds.\n\n"
    )
    table = (
        "| N | order | online median ms | online p95 ms | online max ms | sklearn refit ms | refit / online p95 "
        "| median gap nats | worst gap | runs > 0.05 |\n|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )
    gd_table = (
        "\n\nGradient descent (the challenge's model: Adam, 500 epochs, diagonal covariances) and "
        "scikit-learn's batch fit, held-out gap to our batch EM:\n\n"
        "| N | GD best run (diagonal floor) | GD median | GD worst | GD runs > best + 0.05 (merged) "
        "| sklearn n_init=5 median gap |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(quality)
    )
    return head + table + gd_table + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 10_000])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="2 seeds")
    args = ap.parse_args()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        report = run(args.sizes, 2 if args.quick else args.seeds)
    print(report)
    out = Path(__file__).parent / "results" / "gmm.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("# benchmarks/gmm.py\n\n" + report)


if __name__ == "__main__":
    main()

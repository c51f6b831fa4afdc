"""Speed half of ``benchmarks/gmm.py``: what one click costs at every N up to 10,000, on every layout.

10,000 clicks per run, cluster after cluster (curved layouts along their
path), one thread: ``learn_one`` times by N bucket, beside one scikit-learn
``GaussianMixture`` refit at 10,000 points (what a refit-per-click design pays
per click) and one fit of the challenge's gradient descent. The end of each
run is scored against scikit-learn's batch EM with the same K (held-out),
before and after an idle-time check; and 10,000 points from code go through
``learn_many`` and ``GMMCanvas.add_points``.
"""

from __future__ import annotations

import statistics
import time
import timeit

import numpy as np
import torch
from gmm_quality import PRIOR_SCALE
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from hitl_widgets import GMMCanvas, OnlineGMM, fit_gradient
from hitl_widgets.data.clicks import click_sequence
from hitl_widgets.learners.gmm.metrics import reference_log_likelihood

BUCKETS = [(1, 100), (100, 1000), (1000, 3000), (3000, 10_000)]
RUNS = [  # (label, layout, order, K)
    ("blobs, cluster after cluster", "blobs", "cluster", 5),
    ("blobs, brush", "blobs", "brush", 5),
    ("blobs, random order", "blobs", "random", 5),
    ("broad cloud, K = 5", "cloud", "cluster", 5),
    ("two moons, K = 5", "moons", "cluster", 5),
    ("uniform square, K = 5", "square", "cluster", 5),
    ("noisy line, K = 5", "line", "cluster", 5),
    ("ring, K = 5", "ring", "cluster", 5),
    ("blobs, auto", "blobs", "cluster", "auto"),
    ("ring, auto", "ring", "cluster", "auto"),
]


def click_times(layout: str, order: str, k: int | str, seed: int, n: int = 10_000) -> dict:
    """Per-click milliseconds of one 10,000-click run and its end-of-run gaps."""
    per_cluster = n // 5
    seq = click_sequence(layout, order, n_clusters=5, sizes=(per_cluster, per_cluster), seed=seed)
    g = OnlineGMM(k, seed=seed, prior_scale=PRIOR_SCALE)
    times, cpu = np.empty(len(seq.points)), np.empty(len(seq.points))
    for i, x in enumerate(seq.points):
        c0, t0 = time.thread_time(), time.perf_counter()
        g.learn_one(x)
        times[i] = time.perf_counter() - t0
        cpu[i] = time.thread_time() - c0  # without the time the machine took the thread away
    held_out = seq.heldout_so_far(len(seq.points))
    reference = reference_log_likelihood(seq.points, held_out, k, seed=seed)
    gap = reference - g.score_samples(held_out).mean()
    t0 = time.perf_counter()
    g.check_against_batch()
    check_s = time.perf_counter() - t0
    return {
        "times_ms": times * 1e3,
        "cpu_ms": cpu * 1e3,
        "gap_end": gap,
        "gap_after_check": reference - g.score_samples(held_out).mean(),
        "check_s": check_s,
        "components": g.n_components_used,
    }


def refit_ms(X: np.ndarray, k: int, repeats: int = 3) -> float:
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        GaussianMixture(k, covariance_type="full", n_init=1, random_state=r).fit(X)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def bulk_seconds(seed: int) -> dict:
    """10,000 points from code: learn_many (fixed K and auto) and GMMCanvas.add_points (one synced update)."""
    seq = click_sequence("blobs", "random", n_clusters=5, sizes=(2000, 2000), seed=seed)
    out = {}
    for name, make in (
        ("learn_many, K = 5", lambda: OnlineGMM(5, seed=seed, prior_scale=PRIOR_SCALE)),
        ("learn_many, auto", lambda: OnlineGMM("auto", seed=seed, prior_scale=PRIOR_SCALE)),
    ):
        g = make()
        t0 = time.perf_counter()
        g.learn_many(seq.points)
        out[name] = time.perf_counter() - t0
    canvas = GMMCanvas(idle_check=False)
    t0 = time.perf_counter()
    canvas.add_points(seq.points)
    out["GMMCanvas.add_points, auto"] = time.perf_counter() - t0
    canvas.close()
    return out


def cold_start() -> dict:
    """The first 100 clicks of the process: what a fresh kernel pays once (lazy imports, first allocations)."""
    times = click_times("blobs", "cluster", 5, seed=99, n=500)["times_ms"][:100]
    return {"first_ms": float(times[0]), "p95_ms": float(np.percentile(times, 95)), "max_ms": float(times.max())}


def machine_probe_us() -> float:
    """Microseconds of a fixed tiny numpy expression: how fast this (shared, virtual) machine is right now.

    3.4 us on the machine of earlier runs when it was quiet, twice that in its slow spells (when every click
    took twice as long too), 2.4 us on a faster one. Each run's rows say what the probe read around them.
    """
    x = np.ones(64)
    return min(timeit.repeat(lambda: (x * 2 + 1).sum(), number=5000, repeat=3)) / 5000 * 1e6


def timed_run(layout: str, order: str, k: int | str, seed: int) -> dict:
    """:func:`click_times` with the machine probe read before and after."""
    before = machine_probe_us()
    out = click_times(layout, order, k, seed)
    out["probe_us"] = max(before, machine_probe_us())
    return out


def run(seeds: int) -> dict:
    torch.set_num_threads(1)
    with threadpool_limits(1):
        cold = cold_start()  # the timed runs below start warm, as every click after a kernel's first does
        runs = {label: [timed_run(layout, order, k, s) for s in range(seeds)] for label, layout, order, k in RUNS}
        X = click_sequence("blobs", "random", n_clusters=5, sizes=(2000, 2000), seed=0).points
        t0 = time.perf_counter()
        fit_gradient(X, n_components=5, epochs=500, seed=0)
        gd_ms = (time.perf_counter() - t0) * 1e3
        return {"cold": cold, "runs": runs, "refit_ms": refit_ms(X, 5), "gradient_ms": gd_ms, "bulk": bulk_seconds(0)}


def bucket_stats(times_ms: np.ndarray) -> list[tuple[float, float, float]]:
    """(median, p95, max) of the clicks that took N from each bucket's low to high."""
    out = []
    for lo, hi in BUCKETS:
        t = times_ms[lo - 1 : hi]
        out.append((float(np.median(t)), float(np.percentile(t, 95)), float(t.max())))
    return out

"""A million-item pool: one label in ImageLabeler, ranking a slice at a time against the whole pool.

* **per label**: ``ImageLabeler`` over 1,000,000 noisy 8x8 digits (the default
  head, margin, a SQLite file): ``w.label(y)`` then ``w.wait()`` (commit,
  learner update, re-rank, the next images encoded), timed over ``--labels``
  labels after 20 warm-up labels; first with the default ranking (a slice of
  65,536 items and the best 1,024 of the last re-rank), then with
  ``w.session.rank_slice = None`` (the whole pool, as before). Memory: the
  process's peak resident size, and what the pool's arrays take.
* **learning curve**: ``simulate()`` on a pool of ``--curve-pool`` noisy digits
  (70% to label, 30% held out), margin and entropy, ``--seeds`` seeds, 300
  labels in batches of 10: slices of 16,384 items (about as many re-ranks
  per full pass, 18, as 65,536 at 1,000,000 items) against the whole pool.

1 torch/BLAS thread. Run ``python benchmarks/big_pool.py [--labels 100] [--seeds 3]``;
writes ``benchmarks/results/big_pool.md``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from image_labeler import digit_pool  # noqa: E402

from hitl_widgets import ImageLabeler, simulate  # noqa: E402
from hitl_widgets.sessions.pool.ranking import SliceRanking  # noqa: E402

CURVE_SLICE = 16_384
CHECKPOINTS = (50, 100, 200, 300)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_label(w: ImageLabeler, truth: np.ndarray, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        w.label(int(truth[w.current]))
        w.wait()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def label_times(n_pool: int, n_labels: int) -> dict:
    before = peak_mb()
    images, truth = digit_pool(n_pool)
    with tempfile.TemporaryDirectory() as tmp:
        w = ImageLabeler(images, labels=list(range(10)), store=str(Path(tmp) / "labels.db"))
        w.wait()
        per_label(w, truth, 20)  # warm-up: two classes known, so margin ranks
        sliced = per_label(w, truth, n_labels)
        features_mb = w.session.pool.features.nbytes / 2**20
        features_dtype = str(w.session.pool.features.dtype)
        w.session.rank_slice = None
        whole = per_label(w, truth, max(10, n_labels // 4))
        w.session.close()
    return {
        "sliced": sliced,
        "whole": whole,
        "peak_mb": peak_mb(),
        "growth_mb": peak_mb() - before,
        "images_mb": images.nbytes / 2**20,
        "features_mb": features_mb,
        "features_dtype": features_dtype,
        "rounds": SliceRanking(n_pool, 65_536).rounds,
    }


def curves(n_pool: int, seeds: int) -> dict:
    images, truth = digit_pool(n_pool, seed=1)
    X = images.reshape(n_pool, -1) / 16.0
    run = dict(warm_start=20, batch_size=10, budget=300, seeds=list(range(seeds)), progress=False)
    out = {}
    for name, size in (("slices", CURVE_SLICE), ("whole pool", None)):
        t0 = time.perf_counter()
        df = simulate(X, truth, ["margin", "entropy"], rank_slice=size, **run)
        out[name] = (df, time.perf_counter() - t0)
    return out


def stats(xs: list[float]) -> str:
    return f"{statistics.median(xs):.1f} / {np.percentile(xs, 95):.1f}"


def report(lab: dict, cur: dict, n_pool: int, curve_pool: int) -> str:
    lines = [
        "# benchmarks/big_pool.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}, "
        "1 thread. `python benchmarks/big_pool.py`",
        "",
        f"## One label in ImageLabeler, {n_pool:,} images",
        "",
        "| ranking | labels timed | median / p95 ms |",
        "|---|---|---|",
        f"| a slice of 65,536 + the best 1,024 of the last re-rank (default) | {len(lab['sliced'])} | "
        f"{stats(lab['sliced'])} |",
        f"| the whole pool (`rank_slice=None`, as before) | {len(lab['whole'])} | {stats(lab['whole'])} |",
        "",
        f"Memory: peak resident size {lab['peak_mb']:,.0f} MB, {lab['growth_mb']:,.0f} MB of it from making the "
        f"pool and the labeler; the arrays: the images {lab['images_mb']:,.0f} MB (float64, the caller's) and the "
        f"session's features {lab['features_mb']:,.0f} MB ({lab['features_dtype']}, which the torch head reads "
        "without a copy). "
        f"An item's score is at most {lab['rounds']} labels old "
        "(a full pass of the slices); the best 1,024 are scored again after every label.",
        "",
        f"## Learning curves: `simulate()` on {curve_pool:,} noisy digits, slices of {CURVE_SLICE:,} against "
        "the whole pool",
        "",
        "| strategy | ranking | " + " | ".join(f"accuracy at {c}" for c in CHECKPOINTS) + " | seconds |",
        "|---|---|" + "---|" * len(CHECKPOINTS) + "---|",
    ]
    for strategy in ("margin", "entropy", "uniform"):
        for name, (df, seconds) in cur.items():
            mean = df[df["strategy"] == strategy].groupby("labels")["accuracy"].mean()
            cells = " | ".join(f"{mean.get(c, float('nan')):.3f}" for c in CHECKPOINTS)
            lines.append(f"| {strategy} | {name} | {cells} | {seconds:.0f} |")
    lines.append("")
    lines.append(
        "Mean held-out accuracy over seeds; seconds are for the whole sweep of a row's ranking (uniform runs in "
        "both: it does not rank)."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", type=int, default=1_000_000)
    ap.add_argument("--labels", type=int, default=100)
    ap.add_argument("--curve-pool", type=int, default=400_000)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        lab = label_times(args.pool, args.labels)
        print({k: v for k, v in lab.items() if not isinstance(v, list)}, stats(lab["sliced"]), stats(lab["whole"]))
        cur = curves(args.curve_pool, args.seeds)
    text = report(lab, cur, args.pool, args.curve_pool)
    print(text)
    (Path(__file__).parent / "results" / "big_pool.md").write_text(text)


if __name__ == "__main__":
    main()

"""A strategy sweep, serial against two workers: 5 strategies x 10 seeds on digits.

``simulate()`` runs margin, entropy, k-center greedy, informative-diverse and
Exp3 (and uniform beside them) with 10 seeds each on scikit-learn's bundled
digits (the default online linear head; 20 warm-start labels, batches of 20,
a budget of 200): one after another in this process, then with
``n_jobs=2`` through joblib's process pool (loky), then on a
``dask.distributed.LocalCluster`` with two worker processes through joblib's
Dask backend. Every figure is one process or worker per core with one BLAS
thread each (this machine has 2 cores). Each parallel frame is checked
against the serial one, row for row.

Run ``python benchmarks/sweep.py [--seeds 10]``; writes ``benchmarks/results/sweep.md``.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # before numpy loads: the Dask workers inherit it

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from hitl_widgets import simulate  # noqa: E402

STRATEGIES = ["margin", "entropy", "kcenter", "informative_diverse", "exp3"]
SETTINGS = {"warm_start": 20, "batch_size": 20, "budget": 200, "progress": False}


def timed(run) -> tuple[pd.DataFrame, float]:
    t0 = time.perf_counter()
    df = run()
    return df, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    seeds = list(range(args.seeds))
    sweep = lambda **how: simulate(X, y, STRATEGIES, seeds=seeds, **SETTINGS, **how)  # noqa: E731
    serial, t_serial = timed(sweep)
    loky, t_loky = timed(lambda: sweep(n_jobs=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster):
            dask, t_dask = timed(lambda: sweep(n_jobs=2, backend="dask"))
    for name, df in (("loky", loky), ("dask", dask)):
        pd.testing.assert_frame_equal(df, serial)  # the same curves, however the runs are spread
    n_runs = len(seeds) * (len(STRATEGIES) + 1)
    rows = [
        ("serial, this process", t_serial),
        ("joblib, 2 processes (loky)", t_loky),
        ("joblib's Dask backend, LocalCluster of 2 worker processes", t_dask),
    ]
    table = "\n".join(
        f"| {name} | {t:.1f} | {n_runs / t:.2f} | {t_serial / t:.2f}x | {'-' if t is t_serial else 'yes'} |"
        for name, t in rows
    )
    report = (
        f"# benchmarks/sweep.py\n\nMachine: {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, one BLAS thread per process. `python benchmarks/sweep.py --seeds {args.seeds}`\n\n"
        f"{len(STRATEGIES)} strategies ({', '.join(STRATEGIES)}) and uniform x {len(seeds)} seeds = {n_runs} runs "
        "on digits, 200 labels each in batches of 20.\n\n"
        "| how | seconds | runs per second | speed-up | frame equal to the serial one |\n|---|---|---|---|---|\n"
        + table
        + "\n"
    )
    print(report)
    (Path(__file__).parent / "results" / "sweep.md").write_text(report)


if __name__ == "__main__":
    main()

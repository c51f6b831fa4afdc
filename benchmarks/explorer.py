"""What one StrategyExplorer step costs in the kernel, and what it sends to the page.

* **4 panels on 2,000 points** (moons; uniform, margin, k-center, entropy; batch 5): one step = every
  panel labels its picks (the store, the online update, the held-out score), re-ranks the pool, and
  the widget computes the decision grids it draws (48 x 48) and encodes them; with the utility
  shading on, the utility grids too. Median and p95 over 40 steps, for each learner preset.
* **k-center on 20,000 points**: the same step with one k-center panel (and the uniform baseline).
* **bytes per step**: the state update a step sends (binary buffers and JSON), measured on the comm.

1 torch/BLAS thread. Run ``python benchmarks/explorer.py [--quick]``; writes
``benchmarks/results/explorer.md``. Targets (issue 13): 4 panels on 2,000 points <= 30 ms median;
k-center on 20,000 <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import comm
import numpy as np
import torch
from comm.base_comm import BaseComm
from threadpoolctl import threadpool_limits

from hitl_widgets import StrategyExplorer


class CountingComm(BaseComm):
    """Counts the bytes of every message the widget would send."""

    def __init__(self, **kw):
        self.bytes = 0
        super().__init__(**kw)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        binary = sum(memoryview(b).nbytes for b in buffers or [])
        self.bytes += len(json.dumps(data or {}, default=str)) + binary


def step_times(strategies: list[str], n: int, learner: str, steps: int, utility: bool) -> dict:
    ex = StrategyExplorer.from_preset("moons", strategies=strategies, n=n, seed=0, learner=learner,
                                      budget=10 + 5 * (steps + 5), batch_size=5)  # fmt: skip
    ex.show_utility = utility
    for _ in range(3):
        ex.step()  # warm
    times, sent = [], []
    for _ in range(steps):
        before = ex.comm.bytes
        t0 = time.perf_counter()
        ex.step()
        times.append((time.perf_counter() - t0) * 1e3)
        sent.append(ex.comm.bytes - before)
    ex.close()
    return {"median": float(np.median(times)), "p95": float(np.percentile(times, 95)), "kb": np.median(sent) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10 steps instead of 40")
    args = ap.parse_args()
    steps = 10 if args.quick else 40
    comm.create_comm = lambda **kw: CountingComm(**kw)
    torch.set_num_threads(1)
    four = ["uniform", "margin", "kcenter", "entropy"]
    rows = []
    with threadpool_limits(1):
        for learner in ("logistic", "knn", "mlp", "gmm"):
            for utility in (False, True):
                r = step_times(four, 2000, learner, steps, utility)
                rows.append((f"4 panels, 2,000 points, {learner}" + (", utility on" if utility else ""), r))
        r = step_times(["kcenter"], 20_000, "logistic", steps, False)
        rows.append(("k-center (+ uniform), 20,000 points, logistic", r))
    table = "\n".join(f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['kb']:.0f} |" for name, r in rows)
    report = (
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}, "
        f"1 thread, {steps} steps of batch 5 per run.\n\n"
        "| step | median ms | p95 ms | KiB sent |\n|---|---|---|---|\n" + table + "\n"
    )
    print(report)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "explorer.md").write_text("# benchmarks/explorer.py\n\n" + report)


if __name__ == "__main__":
    main()

"""What the prior that follows the points costs per click: ``learn_one`` with no ``prior_scale`` beside the
canvas's 0.7, on 10,200 clicks (six clusters clicked one after another, K = 5), twice each, in one process.

Run: ``python benchmarks/gmm_prior_speed.py`` (about a minute); prints median / p95 / max ms per range of N.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from hitl_widgets import OnlineGMM

RANGES = ((0, 100), (100, 1000), (1000, 3000), (3000, None))


def main() -> None:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    centres = rng.uniform(-8, 8, (6, 2))
    X = np.concatenate([rng.normal(c, 0.6, (1700, 2)) for c in centres])
    print(
        "| prior | round | " + " | ".join(f"N {lo}-{hi or len(X)}: median / p95 / max ms" for lo, hi in RANGES) + " |"
    )
    print("|---|---|" + "---|" * len(RANGES))
    for round_ in (1, 2):
        for prior in (0.7, None):
            g = OnlineGMM(5, seed=0, prior_scale=prior)
            t = np.empty(len(X))
            for i, x in enumerate(X):
                t0 = time.perf_counter()
                g.learn_one(x)
                t[i] = (time.perf_counter() - t0) * 1e3
            cells = [
                f"{np.median(t[lo:hi]):.2f} / {np.percentile(t[lo:hi], 95):.2f} / {t[lo:hi].max():.1f}"
                for lo, hi in RANGES
            ]
            name = "follows the points" if prior is None else "0.7 (the canvas's)"
            print(f"| {name} | {round_} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

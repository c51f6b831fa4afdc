"""Learning curves on scikit-learn's bundled digits: margin, entropy, k-center and uniform.

The learner is the default online linear head (``TorchClassifier``). For each
seed, the same learner trained online on the whole pool sets the reference;
the table gives the labels each strategy needs to reach 90% of that accuracy
(median over seeds). Run: ``python benchmarks/strategies.py [--seeds 5]``;
writes ``benchmarks/results/strategies.md`` and ``strategies.png``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from hitl_widgets import plot_learning_curves, simulate
from hitl_widgets.explorer.simulation import default_learner, labels_to_reach
from hitl_widgets.learners.protocol import accuracy

TEST_SIZE = 0.3


def full_data_accuracy(X: np.ndarray, y: np.ndarray, seed: int) -> float:
    """The same learner, trained online on every pool item once (in random order)."""
    X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=seed, stratify=y)
    learner = default_learner(X.shape[1])
    for i in np.random.default_rng(seed).permutation(len(X_pool)):
        learner.learn_one(X_pool[i], int(y_pool[i]))
    return accuracy(learner, X_test, y_test, sorted(set(y.tolist())))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=int, default=500)
    args = ap.parse_args()
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    seeds = list(range(args.seeds))
    t0 = time.perf_counter()
    df = simulate(
        X,
        y,
        ["margin", "entropy", "kcenter"],
        seeds=seeds,
        warm_start=20,
        batch_size=20,
        budget=args.budget,
        test_size=TEST_SIZE,
        progress=True,
    )
    elapsed = time.perf_counter() - t0
    full = [full_data_accuracy(X, y, s) for s in seeds]
    target = 0.9 * float(np.median(full))
    reach = labels_to_reach(df, target)
    curves = df.groupby(["strategy", "labels"])["accuracy"].mean().unstack(0)

    def at(name: str, labels: int) -> float:  # NaN where the budget stopped short of that many labels
        return float(curves[name].get(labels, float("nan")))

    rows = "\n".join(
        f"| {name} | {reach[name]:.0f} | {at(name, 100):.3f} | {at(name, 200):.3f} | {curves[name].iloc[-1]:.3f} |"
        for name in ["margin", "entropy", "kcenter", "uniform"]
    )
    report = (
        f"digits ({len(X)} images, 30% held out), online linear head, warm start 20, batches of 20, "
        f"{len(seeds)} seeds, {elapsed:.0f} s.\n"
        f"Trained on the whole pool the learner reaches {np.median(full):.3f}; 90% of that is {target:.3f}.\n\n"
        "| strategy | labels to reach 90% (median) | accuracy at 100 | at 200 | at "
        f"{int(df['labels'].max())} |\n|---|---|---|---|---|\n{rows}\n"
    )
    print(report)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "strategies.md").write_text("# benchmarks/strategies.py\n\n" + report + "\n![curves](strategies.png)\n")
    ax = plot_learning_curves(df)
    ax.axhline(target, color="0.6", linewidth=0.8)
    ax.set_title("digits: held-out accuracy against labels")
    ax.figure.savefig(out / "strategies.png", dpi=90, bbox_inches="tight")


if __name__ == "__main__":
    main()

"""Undo and relabel against the number of labels: copies of the model (now) beside replaying every label (before).

A :class:`~hitl_widgets.Session` over noisy 8x8 digits labels ``N`` items
(100 to 10,000) in random order, with the default torch head
(``default_learner``: a linear softmax head, 3 Adam steps with replay of 32
per label) and with river (one-vs-rest logistic regression). Then, timed:

* **undo**: label one more item and undo it (the model goes back to the
  copy taken before that label); 30 times; median and p95 of the undo.
* **relabel d back**: change the label of the item answered ``d`` labels ago
  (d = 1, 10, 50, 200; the page's trail reaches 200 back), then undo it;
  median and p95 of the relabel.
* **relabel in the background**: the same relabel 200 back with
  ``Session(background=True)``, as the labelers run it: how long ``label``
  blocks (the key press's share), how long the next label given at once
  blocks (the worker is still learning the labels after the relabel again,
  on a branch of the model, outside the session's lock), and how long until
  the worker has caught up (``wait``).
* **replay**: what undo and relabel cost before: a fresh model learning all
  ``N`` labels again (``Learning.relearn``); timed once per N (it is slow).
* **label**: the cost of one label now (it includes the copy of the model).

1 torch/BLAS thread. Run ``python benchmarks/undo.py [--quick]``; writes
``benchmarks/results/undo.md``.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import torch
from river import linear_model, multiclass, optim
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from hitl_widgets import Session
from hitl_widgets.learners.torch_classifier import default_learner

LABELS = list(range(10))
DISTANCES = (1, 10, 50, 200)
BACKGROUND_D = 200


def digit_pool(n: int, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    d = load_digits()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(d.images), n)
    X = np.clip(d.data[idx] + rng.normal(0, 0.7, (n, 64)), 0, 16) / 16.0
    return X, d.target[idx].tolist()


LEARNERS = {
    "torch head": lambda: default_learner(64, LABELS, seed=0),
    "river OvR logistic": lambda: multiclass.OneVsRestClassifier(
        linear_model.LogisticRegression(optimizer=optim.SGD(0.1))
    ),
}


def ms(f) -> float:
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1e3


def q(xs: list[float], p: float) -> float:
    return float(np.percentile(xs, p))


def one(make, n: int, repeats: int, replay: bool) -> dict[str, float]:
    X, y = digit_pool(n + repeats + 10)
    s = Session(X, make(), "uniform", classes=LABELS, seed=0)
    order = np.random.default_rng(1).permutation(n).tolist()
    label_ms = [ms(lambda r=r: s.label(r, y[r])) for r in order]
    out = {"label median": q(label_ms[-500:], 50)}
    spare = list(range(n, n + repeats))
    undo_ms = []
    for r in spare:
        s.label(r, y[r])
        undo_ms.append(ms(s.undo))
    out["undo median"], out["undo p95"] = q(undo_ms, 50), q(undo_ms, 95)
    for d in DISTANCES:
        if d > n:
            continue
        times = []
        for k in range(repeats):
            row = order[-d - (k % 3)]  # a few different items about d back
            times.append(ms(lambda row=row: s.label(row, (y[row] + 1) % 10)))
            s.undo()
        out[f"relabel {d} median"], out[f"relabel {d} p95"] = q(times, 50), q(times, 95)
    if n >= BACKGROUND_D:
        out.update(background_relabel(make, X, y, order, repeats))
    if replay:
        out["replay"] = ms(s._model.relearn)  # today's undo: every label learned again
    return out


def background_relabel(make, X: np.ndarray, y: list[int], order: list[int], repeats: int) -> dict[str, float]:
    """A relabel ``BACKGROUND_D`` back in a background session: the blocking call, the next label given at
    once (while the worker learns the labels after the relabel again), and the catch-up."""
    s = Session(X, make(), "uniform", classes=LABELS, seed=0, background=True)
    for r in order:
        s.label(r, y[r])
    s.wait()
    calls, next_label, caught_up = [], [], []
    spare = len(order)  # an item not labeled yet
    for k in range(repeats):
        row = order[-BACKGROUND_D - (k % 3)]
        t0 = time.perf_counter()
        s.label(row, (y[row] + 1) % 10)
        calls.append((time.perf_counter() - t0) * 1e3)
        next_label.append(ms(lambda: s.label(spare, y[spare])))
        s.wait()
        caught_up.append((time.perf_counter() - t0) * 1e3)
        s.undo()  # the spare label
        s.undo()  # the relabel
    s.close()
    return {"bg call p95": q(calls, 95), "bg next p95": q(next_label, 95), "bg caught up median": q(caught_up, 50)}


def table(rows: list[tuple[str, int, dict[str, float]]]) -> str:
    head = (
        "| learner | N labels | undo median / p95 ms | "
        + " | ".join(f"relabel {d} back median / p95 ms" for d in DISTANCES)
        + f" | relabel {BACKGROUND_D} back in the background: call p95 / next label at once p95 / model caught up"
        " median ms"
        + " | replay all (before) ms | replay / undo p95 | one label ms |\n|---|---|---|"
        + "---|" * len(DISTANCES)
        + "---|---|---|---|\n"
    )
    lines = []
    for name, n, r in rows:
        relabels = " | ".join(
            f"{r[f'relabel {d} median']:.1f} / {r[f'relabel {d} p95']:.1f}" if f"relabel {d} median" in r else "-"
            for d in DISTANCES
        )
        replay = r.get("replay")
        bg = (
            f"{r['bg call p95']:.1f} / {r['bg next p95']:.1f} / {r['bg caught up median']:.0f}"
            if "bg call p95" in r
            else "-"
        )
        relabels = f"{relabels} | {bg}"
        lines.append(
            f"| {name} | {n:,} | {r['undo median']:.1f} / {r['undo p95']:.1f} | {relabels} | "
            f"{replay:.0f} | {replay / r['undo p95']:.0f}x | {r['label median']:.2f} |"
            if replay is not None
            else f"| {name} | {n:,} | {r['undo median']:.1f} / {r['undo p95']:.1f} | {relabels} | - | - | "
            f"{r['label median']:.2f} |"
        )
    return head + "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="N up to 1,000, 10 repeats")
    args = ap.parse_args()
    sizes, repeats = ((100, 300, 1000), 10) if args.quick else ((100, 300, 1000, 3000, 10000), 30)
    torch.set_num_threads(1)
    rows = []
    t0 = time.perf_counter()
    with threadpool_limits(1):
        for name, make in LEARNERS.items():
            for n in sizes:
                rows.append((name, n, one(make, n, repeats, replay=True)))
                print(name, n, {k: round(v, 2) for k, v in rows[-1][2].items()}, flush=True)
    report = (
        f"# benchmarks/undo.py\n\nMachine: {platform.machine()}, Python {platform.python_version()}, "
        f"torch {torch.__version__}, 1 thread; {repeats} repeats per figure; took "
        f"{(time.perf_counter() - t0) / 60:.0f} min. `python benchmarks/undo.py`\n\n"
        + table(rows)
        + "\n\nUndo restores the copy of the model taken before the last label; a relabel d back restores the "
        "nearest copy at or before that label and learns the labels after it again, so it grows with d, not with "
        "N. Copies: before each of the last 64 labels for the torch head (its snapshot copies only what learning "
        "changes), the last 4 for river (a deep copy costs about four labels' learning), and every 16th label "
        "up to 1,024 back; while a relabel learns labels again, it takes only the copies kept afterwards. "
        "Before, both replayed every label from a fresh model. The labelers run the session in the background: "
        "a relabel's call returns once the label is committed, and the worker learns the labels after it again "
        "while the person goes on.\n"
    )
    print(report)
    out = Path(__file__).parent / "results" / "undo.md"
    out.write_text(report)


if __name__ == "__main__":
    main()

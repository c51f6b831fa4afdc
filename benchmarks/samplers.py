"""Query-strategy speed side by side with modAL and scikit-activeml (1 thread, probabilities given).

* top-100 least-confidence, margin and entropy on 10k, 100k and 1M rows of
  10-class probabilities;
* k-center greedy picking 100 from 10k and 100k rows of 64-d embeddings
  (10 items labeled, so no pick is random);
* a plain-numpy reference for each (the figures in RESEARCH.md to stay under).

Every library must pick the identical items (compared as sets for top-k, in
order for k-center). Medians of interleaved rounds. Run:
``python benchmarks/samplers.py [--quick]``; writes ``benchmarks/results/samplers.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from hitl_widgets import samplers

K = 100


class GivenProba:
    """modAL asks a classifier for predict_proba(X); here X already is the probabilities."""

    def predict_proba(self, X):
        return X


def skactiveml_given_proba(n_classes: int):
    from skactiveml.base import SkactivemlClassifier

    class Given(SkactivemlClassifier):
        def fit(self, X, y, sample_weight=None):
            return self

        def predict_proba(self, X):
            return X

    return Given(classes=np.arange(n_classes))


def numpy_reference(method: str, proba: np.ndarray) -> np.ndarray:
    """The K smallest of a "certainty" score, as a hand-written numpy loop would do it."""
    if method == "least_confidence":
        s = proba.max(1)
    elif method == "margin":
        two = np.partition(proba, -2, axis=1)[:, -2:]
        s = two[:, 1] - two[:, 0]
    else:
        s = (proba * np.log(proba)).sum(1)
    return np.argpartition(s, K - 1)[:K]


def modal_query(method: str, proba: np.ndarray) -> np.ndarray:
    from modAL.uncertainty import entropy_sampling, margin_sampling, uncertainty_sampling

    fn = {"least_confidence": uncertainty_sampling, "margin": margin_sampling, "entropy": entropy_sampling}[method]
    idx = fn(GivenProba(), proba, n_instances=K)
    return idx[0] if isinstance(idx, tuple) else idx


def skactiveml_query(method: str, proba: np.ndarray) -> np.ndarray:
    from skactiveml.pool import UncertaintySampling

    name = {"least_confidence": "least_confident", "margin": "margin_sampling", "entropy": "entropy"}[method]
    y = np.full(len(proba), np.nan)
    return UncertaintySampling(method=name, random_state=0).query(
        proba, y, skactiveml_given_proba(proba.shape[1]), fit_clf=False, batch_size=K
    )


def kcenter_numpy(X: np.ndarray, labeled: np.ndarray) -> np.ndarray:
    """The textbook loop: running minimum of Euclidean distances (no norm caching)."""
    min_d = np.full(len(X), np.inf)
    for c in np.flatnonzero(labeled):
        np.minimum(min_d, np.linalg.norm(X - X[c], axis=1), out=min_d)
    picks = []
    for _ in range(K):
        i = int(np.argmax(min_d))
        picks.append(i)
        np.minimum(min_d, np.linalg.norm(X - X[i], axis=1), out=min_d)
    return np.array(picks)


def kcenter_skactiveml(X: np.ndarray, labeled: np.ndarray) -> np.ndarray:
    from skactiveml.pool import CoreSet

    y = np.full(len(X), np.nan)
    y[labeled] = 0
    return CoreSet(random_state=0).query(X, y, batch_size=K)


def race(contenders: dict[str, Callable[[], np.ndarray]], rounds: int, ordered: bool) -> tuple[dict[str, float], bool]:
    """Median ms per contender over interleaved rounds, and whether all picked the same items."""
    ms: dict[str, list[float]] = {name: [] for name in contenders}
    picks = {}
    for _ in range(rounds):  # each round runs every contender once
        for name, fn in contenders.items():
            t0 = time.perf_counter()
            out = np.asarray(fn()).tolist()
            ms[name].append((time.perf_counter() - t0) * 1e3)
            picks[name] = tuple(out) if ordered else frozenset(out)
    return {name: statistics.median(v) for name, v in ms.items()}, len(set(picks.values())) == 1


def run(quick: bool) -> str:
    rng = np.random.default_rng(0)
    rows = []
    for n in [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]:
        proba = rng.dirichlet(np.ones(10), size=n)
        for method in ("least_confidence", "margin", "entropy"):
            contenders = {
                "hitl_widgets": partial(samplers.get(method).select, K, proba=proba),
                "numpy": partial(numpy_reference, method, proba),
                "modAL": partial(modal_query, method, proba),
                "scikit-activeml": partial(skactiveml_query, method, proba),
            }
            med, same = race(contenders, 3 if n >= 1_000_000 else 5, ordered=False)
            rows.append(_row(f"{method} top-{K}", n, med, same))
    for n in [10_000] if quick else [10_000, 100_000]:
        X = rng.normal(size=(n, 64))
        labeled = np.zeros(n, dtype=bool)
        labeled[rng.choice(n, 10, replace=False)] = True
        contenders = {
            "hitl_widgets": partial(samplers.KCenterGreedySampler().select, K, embeddings=X, labeled=labeled),
            "numpy": partial(kcenter_numpy, X, labeled),
            "scikit-activeml": partial(kcenter_skactiveml, X, labeled),
        }
        med, same = race(contenders, 3, ordered=True)
        rows.append(_row(f"k-center greedy {K} (64-d)", n, med, same))
    head = (
        f"Machine: {platform.machine()}, numpy {np.__version__}, 1 thread; medians of interleaved rounds (ms).\n\n"
        "| task | N | hitl_widgets | plain numpy | modAL | scikit-activeml | modAL / ours | scikit-activeml / ours "
        "| identical picks |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n"


def _row(task: str, n: int, med: dict[str, float], same: bool) -> str:
    ours = med["hitl_widgets"]

    def cell(name):
        return f"{med[name]:.1f}" if name in med else "-"

    def ratio(name):
        return f"{med[name] / ours:.1f}x" if name in med else "-"

    return (
        f"| {task} | {n:,} | {ours:.1f} | {cell('numpy')} | {cell('modAL')} | {cell('scikit-activeml')} | "
        f"{ratio('modAL')} | {ratio('scikit-activeml')} | {'yes' if same else 'NO'} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 1M and 100k k-center rows")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    with threadpool_limits(1):
        report = run(args.quick)
    print(report)
    out = Path(__file__).parent / "results" / "samplers.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("# benchmarks/samplers.py\n\n" + report)


if __name__ == "__main__":
    main()

"""Strategy simulation: an oracle answers the queries, learning curves show what each strategy buys.

Random sampling (``"uniform"``) always runs beside the strategies asked for:
gains over random are often small and fragile (Munjal et al., CVPR 2022), so
a curve means little without it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..learners.protocol import accuracy, fresh_copy, learn_row, plain_label
from ..learners.torch_classifier import default_learner
from ..samplers import get as get_sampler
from ..sessions.pool.ranking import RANK_SLICE
from ..sessions.pool.session import Session


def simulate(
    X: Any,
    y: Sequence[Hashable],
    strategies: Sequence[str] = ("margin",),
    learner: Any | Callable[[], Any] | None = None,
    *,
    warm_start: int | float = 10,
    batch_size: int | float = 10,
    budget: int | float = 0.5,
    label_noise: float = 0.0,
    seeds: Sequence[int] = (0, 1, 2),
    test_size: float | int = 0.3,
    selection_learner: Any | Callable[[], Any] | None = None,
    progress: bool | Callable[[int, int], None] = True,
    n_jobs: int | None = None,
    backend: str | None = None,
    rank_slice: int | None = RANK_SLICE,
) -> Any:
    """Run each strategy with an oracle and return a tidy DataFrame (strategy, seed, labels, accuracy).

    ``warm_start``, ``batch_size`` and ``budget`` are counts (int) or fractions
    of the training pool (float), as in the active-learning playground.
    ``label_noise`` flips that fraction of the oracle's answers to another
    class. ``progress``: a bar (tqdm) when true, or a function called with
    ``(runs done, runs in all)`` after every run. ``selection_learner`` ranks the pool while ``learner`` is scored
    (a different model to select than to score). ``learner`` may be an
    unfitted learner or a factory; every run starts from a fresh copy.

    ``n_jobs``: runs (strategy x seed) at once through joblib (``-1``: one per
    core; ``None`` or 1: one after another in this process). ``backend``: a
    joblib backend, e.g. ``"dask"`` to run them on the workers of a Dask cluster
    (a ``dask.distributed.Client`` must be open), or set it with
    ``joblib.parallel_config``. Every run depends only on its seed (and on
    the learner given: an object, or a factory that seeds itself), so the
    frame is the same, row for row, however the runs are spread.
    ``rank_slice``: as :class:`~hitl_widgets.Session`'s (a pool of more than
    twice this many items is ranked a slice at a time; ``None``: the whole pool).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> df = simulate(X, y, ["margin"], seeds=[0], budget=30, batch_size=10, progress=False)
    >>> sorted(df["strategy"].unique()), int(df["labels"].max())
    (['margin', 'uniform'], 30)

    ``n_jobs=2`` (or ``-1``: one run per core) gives the same frame, row for row.
    """
    import pandas as pd

    X = np.asarray(X, dtype=float)
    y = np.asarray([plain_label(v) for v in y], dtype=object)
    if len(X) != len(y):
        raise ValueError(f"simulate: {len(X)} rows but {len(y)} labels")
    if not 0 <= label_noise < 1:
        raise ValueError(f"simulate: label_noise must be in [0, 1), got {label_noise}")
    sweep = Sweep(X, y, learner, selection_learner, warm_start, batch_size, budget, label_noise, test_size, rank_slice)
    names = list(dict.fromkeys([*strategies, "uniform"]))
    runs = [(name, seed) for seed in seeds for name in names]
    # a bad count or strategy name fails here, before any run, not in a worker
    n_test = test_size if isinstance(test_size, (int, np.integer)) else int(np.ceil(test_size * len(X)))
    sweep.counts(len(X) - n_test)
    for name in names:
        get_sampler(name, seed=0)
    rows = []
    bar = _progress(len(runs), progress)
    with contextlib.closing(_each_run(sweep, runs, n_jobs, backend)) as results:  # the backend's config ends here
        for run_rows in results:
            rows.extend(run_rows)
            bar.update(1)
    bar.close()
    return pd.DataFrame(rows, columns=["strategy", "seed", "labels", "accuracy"])


@dataclass
class Sweep:
    """What every run of a :func:`simulate` sweep shares (sent to each worker once per run)."""

    X: np.ndarray
    y: np.ndarray
    learner: Any
    selection_learner: Any
    warm_start: int | float
    batch_size: int | float
    budget: int | float
    label_noise: float
    test_size: float
    rank_slice: int | None = RANK_SLICE

    @property
    def classes(self) -> list[Hashable]:
        return sorted(set(self.y.tolist()), key=str)

    def counts(self, n_pool: int) -> tuple[int, int, int]:
        """Warm start, batch size and budget as counts of a pool of ``n_pool`` items."""
        return tuple(
            _count(v, n_pool, what)
            for v, what in ((self.warm_start, "warm_start"), (self.batch_size, "batch_size"), (self.budget, "budget"))
        )

    def run(self, name: str, seed: int) -> list[dict[str, Any]]:
        """One strategy with one seed: the held-out accuracy after the warm start and after every batch."""
        from sklearn.model_selection import train_test_split

        X, y, classes = self.X, self.y, self.classes
        stratify = y if min(np.unique(y, return_counts=True)[1]) >= 2 else None
        X_pool, X_test, y_pool, y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=seed, stratify=stratify
        )
        n_pool = len(X_pool)
        warm, batch, stop = self.counts(n_pool)
        selector = _make(self.selection_learner, X.shape[1]) if self.selection_learner is not None else None
        scorer = _make(self.learner, X.shape[1])
        model = selector if selector is not None else scorer
        session = Session(X_pool, model, name, classes=classes, seed=seed, rank_slice=self.rank_slice)
        if selector is None:
            scorer = session.learner  # the session trains its own fresh copy: score that one
        oracle = np.random.default_rng(seed + 10_000)
        rng = np.random.default_rng(seed)
        noise = self.label_noise
        for item in rng.choice(n_pool, size=min(warm, stop), replace=False).tolist():
            _answer(session, scorer, selector, item, y_pool[item], classes, noise, oracle, X_pool)
        rows = [_score(name, seed, session.n_labels, scorer, X_test, y_test, classes)]
        while session.n_labels < stop:
            k = min(batch, stop - session.n_labels)
            for item in session.next(k):
                _answer(session, scorer, selector, item, y_pool[item], classes, noise, oracle, X_pool)
            rows.append(_score(name, seed, session.n_labels, scorer, X_test, y_test, classes))
            # bandits learn from the batch's gain in held-out accuracy (x10 into [0, 1]); others ignore it
            session.sampler.update(10 * (rows[-1]["accuracy"] - rows[-2]["accuracy"]))
        return rows


def _each_run(sweep: Sweep, runs: list[tuple[str, int]], n_jobs: int | None, backend: str | None):
    """Each run's rows, in the order of ``runs``: here one after another, or through joblib."""
    if n_jobs in (None, 1) and backend is None:
        yield from (sweep.run(name, seed) for name, seed in runs)
        return
    from joblib import Parallel, delayed, parallel_config

    # parallel_config, not Parallel(backend=...): it is what registers joblib's Dask backend
    with parallel_config(backend=backend) if backend is not None else contextlib.nullcontext():
        yield from Parallel(n_jobs=n_jobs, return_as="generator")(delayed(sweep.run)(n, s) for n, s in runs)


def _answer(session, scorer, selector, item, truth, classes, noise, oracle, X_pool) -> None:
    answer = truth
    if noise and oracle.random() < noise:
        answer = oracle.choice([c for c in classes if c != truth])
    session.label(item, plain_label(answer))
    session.wait()  # a learner that failed to learn the answer raises here: a sweep never scores a half-taught model
    if selector is not None:  # the session trains the selector; the scored model learns the same label
        learn_row(scorer, X_pool[item], plain_label(answer))


def _score(name, seed, n_labels, learner, X_test, y_test, classes) -> dict[str, Any]:
    return {"strategy": name, "seed": seed, "labels": n_labels, "accuracy": accuracy(learner, X_test, y_test, classes)}


def _make(learner, n_features: int) -> Any:
    if learner is None:
        return default_learner(n_features)
    if callable(learner) and not hasattr(learner, "learn_one"):
        return learner()
    return fresh_copy(learner)


def _count(value: int | float, n: int, what: str) -> int:
    if isinstance(value, float):
        if not 0 < value <= 1:
            raise ValueError(f"simulate: {what} as a fraction must be in (0, 1], got {value}")
        return max(1, int(round(value * n)))
    if value < 1 or value > n:
        raise ValueError(f"simulate: {what} must be between 1 and the pool size {n}, got {value}")
    return int(value)


def _progress(total: int, show: bool | Callable[[int, int], None]):
    if callable(show):
        return _Callback(show, total)
    if show:
        try:
            from tqdm.auto import tqdm

            return tqdm(total=total, desc="simulating", unit="run")
        except ImportError:
            pass

    class _Silent:
        def update(self, _n: int) -> None: ...
        def close(self) -> None: ...

    return _Silent()


class _Callback:
    """Progress told to a function: ``tell(done, total)`` after every run."""

    def __init__(self, tell: Callable[[int, int], None], total: int):
        self.tell, self.total, self.done = tell, total, 0

    def update(self, n: int) -> None:
        self.done += n
        self.tell(self.done, self.total)

    def close(self) -> None: ...


def plot_learning_curves(df: Any, ax: Any = None, *, band: str = "std"):
    """Mean accuracy against labels per strategy, with a band over seeds; uniform drawn dashed.

    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if "uniform" not in set(df["strategy"]):
        raise ValueError("plot_learning_curves: the frame has no 'uniform' runs; show random beside the strategies")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for name, group in df.groupby("strategy", sort=False):
        stats = group.groupby("labels")["accuracy"].agg(["mean", "std", "min", "max"]).fillna(0.0)
        low, high = (
            (stats["mean"] - stats["std"], stats["mean"] + stats["std"])
            if band == "std"
            else (stats["min"], stats["max"])
        )
        style = {"linestyle": "--", "color": "0.35"} if name == "uniform" else {}
        (line,) = ax.plot(stats.index, stats["mean"], label=f"{name}", **style)
        ax.fill_between(stats.index, low, high, alpha=0.15, color=line.get_color())
    ax.set_xlabel("labels")
    ax.set_ylabel("held-out accuracy")
    n_seeds = df["seed"].nunique()
    # learning curves rise to the upper left: the legend goes to the lower right, out of their way
    ax.legend(title=f"mean ± {band} over {n_seeds} seed{'s' if n_seeds > 1 else ''}", loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def labels_to_reach(df: Any, target: float) -> dict[str, float]:
    """Per strategy, the median over seeds of the first label count whose accuracy reaches ``target``."""
    out = {}
    for name, group in df.groupby("strategy", sort=False):
        firsts = []
        for _, run in group.groupby("seed"):
            hit = run[run["accuracy"] >= target]
            firsts.append(hit["labels"].min() if len(hit) else np.inf)
        out[name] = float(np.median(firsts))
    return out

"""simulate(): an oracle, warm start, batches, label noise, a separate selection model; learning curves."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from river import naive_bayes
from sklearn.datasets import load_digits

from hitl_widgets import plot_learning_curves, simulate
from hitl_widgets.explorer.simulation import labels_to_reach


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_tidy_frame_with_uniform_always_beside(digits):
    X, y = digits
    df = simulate(
        X, y, ["margin", "kcenter"], seeds=[0, 1], warm_start=0.02, batch_size=0.02, budget=0.1, progress=False
    )
    assert list(df.columns) == ["strategy", "seed", "labels", "accuracy"]
    assert set(df["strategy"]) == {"margin", "kcenter", "uniform"} and set(df["seed"]) == {0, 1}
    n_pool = int(round(len(X) * 0.7))
    for _, run in df.groupby(["strategy", "seed"]):
        labels = run["labels"].tolist()
        assert labels[0] == round(0.02 * n_pool) and labels[-1] == round(0.1 * n_pool)
        assert labels == sorted(labels)
    assert df.groupby("strategy")["accuracy"].last().min() > 0.6  # it learns
    # same seeds, same curves
    again = simulate(
        X, y, ["margin", "kcenter"], seeds=[0, 1], warm_start=0.02, batch_size=0.02, budget=0.1, progress=False
    )
    np.testing.assert_allclose(again["accuracy"], df["accuracy"])


def test_label_noise_hurts(digits):
    X, y = digits
    clean = simulate(X, y, [], seeds=[0], budget=200, batch_size=50, progress=False)
    noisy = simulate(X, y, [], seeds=[0], budget=200, batch_size=50, label_noise=0.4, progress=False)
    assert noisy["accuracy"].iloc[-1] < clean["accuracy"].iloc[-1] - 0.05


@pytest.mark.slow
def test_a_different_model_can_select_than_is_scored(digits):
    X, y = digits
    X, y = X[:400], y[:400]
    args = {"seeds": [0], "budget": 60, "batch_size": 20, "progress": False}
    alone = simulate(X, y, ["margin"], learner=naive_bayes.GaussianNB(), **args)
    split = simulate(X, y, ["margin"], learner=naive_bayes.GaussianNB(), selection_learner=_torch(), **args)
    # uniform picks do not depend on any model: the scored model saw the same labels either way
    pd.testing.assert_frame_equal(alone[alone.strategy == "uniform"], split[split.strategy == "uniform"])
    # margin picks come from the other model now, so the scored model's curve changes
    assert not np.allclose(alone[alone.strategy == "margin"]["accuracy"], split[split.strategy == "margin"]["accuracy"])


def _torch():
    from hitl_widgets.explorer.simulation import default_learner

    return default_learner(64)


def test_bad_arguments_are_explained(digits):
    X, y = digits
    with pytest.raises(ValueError, match="label_noise"):
        simulate(X, y, label_noise=1.5, progress=False)
    with pytest.raises(ValueError, match="budget as a fraction"):
        simulate(X, y, budget=1.5, progress=False)
    with pytest.raises(ValueError, match="rows but"):
        simulate(X, y[:10], progress=False)
    told = []  # checked before any run starts, also when the runs would go to workers
    with pytest.raises(ValueError, match="unknown sampler 'bogus'"):
        simulate(X, y, ["margin", "bogus"], n_jobs=2, progress=lambda done, total: told.append(done))
    with pytest.raises(ValueError, match="budget must be between 1 and the pool size 1297"):
        simulate(X, y, budget=2000, test_size=500, n_jobs=2, progress=lambda done, total: told.append(done))
    assert told == []


def test_plot_and_labels_to_reach(digits, tmp_path):
    X, y = digits
    df = simulate(X, y, ["margin"], seeds=[0, 1], budget=120, batch_size=30, progress=False)
    ax = plot_learning_curves(df)
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"margin", "uniform"}
    ax.figure.savefig(tmp_path / "curves.png")
    reach = labels_to_reach(df, 0.0)
    assert reach == {"margin": 10.0, "uniform": 10.0}
    assert labels_to_reach(df, 1.01)["margin"] == np.inf
    with pytest.raises(ValueError, match="no 'uniform' runs"):
        plot_learning_curves(df[df["strategy"] == "margin"])


@pytest.mark.slow
def test_a_sweep_on_a_dask_cluster_gives_the_serial_frame(digits):
    """Strategies x seeds on a real LocalCluster with two worker processes, through joblib's Dask backend."""
    distributed = pytest.importorskip("dask.distributed")
    X, y = digits
    sweep = dict(strategies=["margin", "exp3"], seeds=[0, 1], warm_start=20, batch_size=20, budget=100)
    serial = simulate(X, y, **sweep, progress=False)
    told = []
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
    ):
        on_dask = simulate(X, y, **sweep, progress=lambda done, total: told.append((done, total)), n_jobs=2,
                           backend="dask")  # fmt: skip
        workers = set(client.scheduler_info()["workers"])
    pd.testing.assert_frame_equal(on_dask, serial)  # the same rows, in the same order, to the last digit
    assert told == [(i, 6) for i in range(1, 7)]  # 3 strategies (uniform beside) x 2 seeds, each told once
    ran_on = {t["worker"] for t in tasks.data}
    assert ran_on and ran_on <= workers and len(workers) == 2  # the runs ran in the cluster's worker processes


@pytest.mark.slow
def test_a_sweep_over_local_processes_gives_the_serial_frame(digits):
    X, y = digits
    sweep = dict(strategies=["entropy"], seeds=[3, 4], warm_start=20, batch_size=40, budget=100, progress=False)
    pd.testing.assert_frame_equal(simulate(X, y, **sweep, n_jobs=2), simulate(X, y, **sweep))


class LearnerThatBreaks:
    def learn_one(self, x, y):
        raise RuntimeError("the learner broke")

    def predict_proba_one(self, x):
        return {}

    def clone(self):
        return LearnerThatBreaks()


def test_a_learner_that_fails_to_learn_stops_the_sweep_with_its_error():
    X = np.random.default_rng(0).normal(size=(60, 2))
    with pytest.raises(RuntimeError, match="the learner broke"):  # not a curve of a model that learned nothing
        simulate(X, (X[:, 0] > 0).astype(int), ["margin"], seeds=[0], learner=LearnerThatBreaks())

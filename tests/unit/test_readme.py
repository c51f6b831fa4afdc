"""Every Python example in the README runs, in order, as a reader would paste them into one notebook.

The README leaves a few names to the reader (``images``, ``labels``, ``X``, ``y``, ``df``, ``truth``,
``my_river_pipeline``, ``my_river_model``); :func:`givens` defines each with real data. Two lines name
machines a reader has and this test does not (a PostgreSQL host ``db``, a Dask scheduler): they are
pointed at a PostgreSQL server this test starts and at a local Dask cluster, and nothing else is changed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)
pytestmark = pytest.mark.slow  # widgets, a stream walk, simulate with joblib and Dask: about a minute


def givens() -> dict:
    """The names the README's examples take as given, as a reader would have them."""
    from river import compose, feature_extraction, naive_bayes
    from sklearn.datasets import load_digits, make_blobs

    digits = load_digits()
    X, blob = make_blobs(300, centers=[[0, 0], [4, 4]], cluster_std=1.0, random_state=0)
    rows = pd.DataFrame({"amount": np.round(np.random.default_rng(0).gamma(2, 30, 120), 2)})
    rows["country"] = np.where(np.arange(120) % 3 == 0, "FR", "DE")
    rows.loc[5, "amount"] = np.nan  # a real table has holes
    return {
        "images": digits.images[:200],
        "labels": list(range(10)),
        "truth": ["cat" if d < 5 else "dog" for d in digits.target[:200]],
        "X": X,
        "y": np.where(blob == 0, "cat", "dog"),
        "df": rows,
        "my_river_pipeline": compose.Pipeline(feature_extraction.BagOfWords(), naive_bayes.MultinomialNB()),
        "my_river_model": naive_bayes.GaussianNB(),
    }


def test_the_readme_has_the_examples_this_test_runs():
    assert len(BLOCKS) >= 9, f"found {len(BLOCKS)} python blocks in the README"


def test_every_readme_example_runs_in_order(tmp_path, monkeypatch, postgres_url):
    from dask.distributed import LocalCluster

    shutil.copy(README.parent / "notebooks" / "study.toml", tmp_path / "study.toml")
    monkeypatch.chdir(tmp_path)
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
    machines = {
        '"postgresql+psycopg://ana@db/labels"': repr(postgres_url),
        '"tcp://scheduler:8786"': repr(cluster.scheduler_address),
    }
    namespace = givens()
    try:
        for i, block in enumerate(BLOCKS, 1):
            for theirs, ours in machines.items():
                block = block.replace(theirs, ours)
            try:
                exec(compile(block, f"README.md python block {i}", "exec"), namespace)
            except Exception as e:  # say which example broke, with its first line
                raise AssertionError(f"README example {i} ({block.splitlines()[0]!r}) failed: {e!r}") from e
    finally:
        if "client" in namespace:
            namespace["client"].close()
        cluster.close()
    # what the examples did is there: the labels pressed from code, the curves, the study's files
    assert isinstance(namespace["df"], pd.DataFrame) and set(namespace["df"]["strategy"]) >= {"margin", "uniform"}
    assert (tmp_path / "labels.csv").exists() and (tmp_path / "study_results" / "events.csv").exists()

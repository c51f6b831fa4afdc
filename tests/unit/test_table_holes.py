"""Tables with holes where they meet the default row model, the samplers and the loop.

The tables are scikit-learn's bundled ones (wine, breast cancer, diabetes) with
15% of the cells knocked out at random (NaN in numbers, None in an added string
column), one column missing in every seventh row and one row with no value at all.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import frontend
from sklearn import datasets

from hitl_widgets import Labeler, LabelQueue, Pool, item_session
from hitl_widgets.learners.river_defaults import default_stream_learner, table_features_pipeline
from hitl_widgets.sessions.stream.session import StreamSession

EMPTY_ROW = 3  # the row of every table with no value at all


def holey_table(name: str, seed: int = 0, share: float = 0.15) -> tuple[pd.DataFrame, list[str]]:
    """A bundled table with holes, and its truth as strings."""
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True, as_frame=True)
    rng = np.random.default_rng(seed)
    df = X.copy()
    df["group"] = pd.Series(rng.choice(["north", "south", "east"], len(df)), dtype=object)
    holes = rng.random(df.shape) < share
    df = df.astype(object).mask(holes, None)
    for column in X.columns:
        df[column] = pd.to_numeric(df[column])  # holes in numbers are NaN, in strings None
    df.loc[df.index[::7], X.columns[1]] = np.nan
    df.iloc[EMPTY_ROW] = None
    truth = (y > y.median()).map({True: "high", False: "low"}) if name == "diabetes" else y.map("class {}".format)
    return df, list(truth)


def finite_proba(p: dict) -> bool:
    return bool(p) and all(math.isfinite(v) for v in p.values()) and abs(sum(p.values()) - 1) < 1e-6


@pytest.mark.parametrize("strategy", ["margin", "entropy", "kcenter"])
@pytest.mark.parametrize("name", ["wine", "breast_cancer", "diabetes"])
def test_rows_with_holes_label_and_rank_like_any_others(name, strategy):
    df, truth = holey_table(name)
    assert df.isna().to_numpy().mean() > 0.15 and df.iloc[EMPTY_ROW].isna().all()
    s = item_session(df, labels=sorted(set(truth)), sampler=strategy, store=":memory:")
    q = LabelQueue(s)
    for _ in range(35):
        q.label(truth[q.current])
    assert q.error == "" and s.n_labels == 35 == len(s.store.events())
    proba = s.predict_proba()
    assert np.isfinite(proba).all() and np.allclose(proba.sum(axis=1), 1)
    with_holes = df.isna().any(axis=1)
    assert sum(with_holes[i] for i in s.labels) >= 10  # the sampler ranks rows with holes among the others
    hits = np.mean([s.classes[k] == t for k, t in zip(proba.argmax(axis=1), truth, strict=True)])
    assert hits > 0.65
    assert finite_proba(s.learner.predict_proba_one(s.pool.inputs[EMPTY_ROW]))


@pytest.mark.usefixtures("recording_comm")
def test_the_labeler_labels_a_dataframe_with_holes_through_the_page():
    df, truth = holey_table("breast_cancer", seed=1)
    w = Labeler(df, labels=["class 0", "class 1"], store=":memory:")
    for n in range(1, 36):
        key = w.item["key"]
        page_label = {"type": "label", "key": key, "cls": w.classes.index(truth[key]), "next": None, "seq": n}
        frontend(w, {"method": "custom", "content": page_label})
        w.wait()
    assert w.error == "" and w._ack == 35 and not w.progress["learning"]
    assert len(w.labels) == 35 == len(w.session.store.events())
    assert all(len(e["probs"]) == 2 and all(math.isfinite(p) for p in e["probs"]) for e in [w.item, *w.queue])


def test_a_prediction_on_a_row_with_holes_is_finite():
    df, truth = holey_table("wine")
    rows = df.to_dict("records")
    model = default_stream_learner(rows[0], rows)
    for row, y in list(zip(rows, truth, strict=True))[::3]:
        model.learn_one(row, y)
    full = df.iloc[0].to_dict()
    for holey in (
        {**full, "alcohol": float("nan"), "group": None},
        {**full, "alcohol": pd.NA, "magnesium": pd.NaT},
        {k: v for k, v in full.items() if k != "alcohol"},  # a field absent from the dict
        {},
    ):
        assert finite_proba(model.predict_proba_one(holey))


def test_a_missing_string_is_its_indicator_not_a_category_none():
    steps = table_features_pipeline({"amount": "number", "country": "text"})
    for row in ({"amount": 10.0, "country": "NL"}, {"amount": 30.0, "country": "None"}, {"amount": 20.0}):
        steps.learn_one(row)
    missing = steps.transform_one({"amount": 12.0, "country": None})
    named_none = steps.transform_one({"amount": 12.0, "country": "None"})
    assert missing[("missing", "country")] == 1.0 and not any(missing.get(f"country_{c}") for c in ("NL", "None"))
    assert named_none["country_None"] == 1 and ("missing", "country") not in named_none


def test_an_infinite_value_is_refused_before_anything_starts_naming_row_and_column(tmp_path):
    df = pd.DataFrame({"amount": np.linspace(1.0, 50.0, 30), "country": ["NL", None, "DE"] * 10})
    df.loc[17, "amount"], df.loc[20, "amount"] = np.inf, -np.inf
    store = tmp_path / "labels.db"
    with pytest.raises(ValueError, match=r"row 17, column 'amount' holds inf; row 20, column 'amount' holds -inf;"):
        item_session(df, labels=["ok", "fraud"], store=str(store))
    assert not store.exists()  # refused before the store was opened
    rows = [{"amount": 1.0}, {"amount": 2.0, "fee": float("inf")}]
    with pytest.raises(ValueError, match=r"row 'b', column 'fee' holds inf"):
        item_session(rows, labels=["ok", "fraud"], ids=["a", "b"], store=":memory:")


def test_a_pool_from_arrays_names_the_rows_and_features_that_hold_nan_or_inf():
    X = np.ones((40, 4))
    X[17, 2], X[30, 0], X[30, 3] = np.inf, np.nan, -np.inf
    cells = r"row 17, feature 2 \(inf\); row 30, feature 0 \(nan\); row 30, feature 3 \(-inf\)"
    with pytest.raises(ValueError, match=rf"2 row\(s\) hold NaN or infinite features: {cells}; a model cannot learn"):
        Pool.from_array(X)
    df = pd.DataFrame(X, columns=["a", "b", "amount", "d"], index=range(100, 140))
    with pytest.raises(ValueError, match=r"row 17, column 'amount' \(inf\)"):
        Pool.from_dataframe(df)


def stream_of(df: pd.DataFrame, truth: list[str]) -> list[tuple[dict, str]]:
    """Rows as dicts: holes as NaN, None, or a field left out (every fifth row has no 'group' key)."""
    rows = df.to_dict("records")
    for row in rows[::5]:
        row.pop("group")
    return list(zip(rows, truth, strict=True))


def test_a_stream_of_dicts_with_holes_is_learned_without_nan():
    df, truth = holey_table("wine", seed=2)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(df))
    items = [stream_of(df, truth)[i] for i in order]
    s = StreamSession(items, classes=sorted(set(truth)), store=":memory:", warm_up=20)
    asked = 0
    while s.walk() == "ask":
        s.answer(s.pending.truth)
        asked += 1
    assert s.error == "" and s.ended and asked >= 20
    assert all(finite_proba(s.learner.predict_proba_one(x)) for x, _ in items)
    assert s.metrics.accuracy > 0.6


def test_a_stream_item_with_inf_stops_the_walk_on_it_naming_the_field():
    items = [({"amount": float(i), "country": "NL"}, "ok" if i % 2 else "fraud") for i in range(30)]
    items[12] = ({"amount": float("inf"), "country": "NL"}, "ok")
    s = StreamSession(items, classes=["ok", "fraud"], store=":memory:", warm_up=30)
    for _ in range(12):
        assert s.walk() == "ask"
        s.answer(s.pending.truth)
    assert s.walk() == "error" and s.position == 12
    assert "item 12" in s.error and "field 'amount' holds inf" in s.error

"""Agreement figures equal the reference libraries' on the same labels; final labels by majority or by an
adjudicator; undone labels do not count."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

from hitl_widgets import LabelStore, agreement
from hitl_widgets.team import final_labels


def team_labels(seed: int = 0) -> pd.DataFrame:
    """60 items, 4 annotators, each item labeled by 2 or 3 of them, right 80% of the time."""
    rng = np.random.default_rng(seed)
    rows = []
    for item in range(60):
        truth = rng.choice(["cat", "dog", "fox"])
        for who in rng.choice(["ana", "bo", "cy", "di"], size=3 if item % 4 == 0 else 2, replace=False):
            y = truth if rng.random() < 0.8 else rng.choice(["cat", "dog", "fox"])
            rows.append({"item": item, "annotator": str(who), "label": str(y)})
    return pd.DataFrame(rows)


def test_the_figures_equal_the_reference_libraries_on_the_same_labels():
    df = team_labels()
    store = LabelStore(":memory:", session="team")
    for r in df.itertuples():
        store.record_label(r.item, "fox" if r.label != "fox" else "cat", annotator=r.annotator)
        store.undo()  # an undone label does not count
        store.record_label(r.item, r.label, annotator=r.annotator)
    result = agreement(store)

    wide = df.pivot(index="item", columns="annotator", values="label")
    for p in result.pairs.itertuples():
        both = wide[[p.annotator_a, p.annotator_b]].dropna()
        assert p.items == len(both) and p.agreed == int((both.iloc[:, 0] == both.iloc[:, 1]).sum())
        assert p.cohen_kappa == pytest.approx(cohen_kappa_score(both.iloc[:, 0], both.iloc[:, 1]))
    codes = {"cat": 0, "dog": 1, "fox": 2}
    matrix = wide.T.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    assert result.alpha == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert result.alpha_items == 60 and result.annotators == ["ana", "bo", "cy", "di"]
    two = wide[wide.notna().sum(axis=1) == 2]  # Fleiss on the items with the most common number of labels: 2
    counts = np.array([[int((row.dropna() == c).sum()) for c in codes] for _, row in two.iterrows()])
    assert result.fleiss_items == len(two) == 45 and result.fleiss_raters == 2
    assert result.fleiss_kappa == pytest.approx(fleiss_kappa(counts))
    assert set(result.disagreements) == {i for i, row in wide.iterrows() if row.dropna().nunique() > 1}
    assert "Krippendorff's alpha" in repr(result)


def test_final_labels_come_from_the_majority_or_an_adjudicator_and_keep_every_answer(tmp_path):
    store = LabelStore(tmp_path / "team.db")
    for who, y in [("ana", "cat"), ("bo", "cat"), ("cy", "dog")]:
        store.record_label("a", y, annotator=who)
    store.record_label("b", "cat", annotator="ana")
    store.record_label("b", "dog", annotator="bo")
    assert final_labels(store) == {"a": "cat", "b": None}  # a tie waits for the adjudicator
    store.record_final("b", "dog", annotator="judge")
    assert final_labels(LabelStore(tmp_path / "team.db")) == {"a": "cat", "b": "dog"}
    kinds = store.to_dataframe()[["item_id", "annotator", "kind", "label"]].values.tolist()
    assert kinds[-1] == ["b", "judge", "final", "dog"] and len(kinds) == 6  # every answer kept, and the final one
    assert agreement(store).disagreements == ["a", "b"]

"""The strategy explorer's headless layer: picks, steps, the "you" panel, the human oracle, state strings."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from hitl_widgets.explorer import (
    YOU,
    Exploration,
    ExplorerState,
    Grid,
    decision_grid,
    make_preset,
    utility_grid,
)
from hitl_widgets.samplers import get as get_sampler


def moons(**kwargs) -> Exploration:
    settings = dict(n=300, seed=3, warm_start=6, batch_size=4, budget=40)
    settings.update(kwargs)
    strategies = settings.pop("strategies", ["margin", "kcenter", "entropy"])
    return Exploration.from_preset("moons", strategies, **settings)


def open_rows(ex: Exploration, name: str) -> list[int]:
    """Pool rows panel ``name`` has no label for."""
    return [int(r) for r in ex.pool_rows if int(r) not in set(ex.labeled_rows(name))]


def pool_mask(ex: Exploration, name: str) -> np.ndarray:
    mask = np.zeros(len(ex.pool_rows), dtype=bool)
    mask[list(ex.panels[name].labels)] = True
    return mask


@pytest.mark.parametrize("name", ["margin", "kcenter", "entropy"])
def test_each_panel_picks_what_its_sampler_selects_given_its_model_and_labeled_set(name):
    ex = moons()
    ex.step(3)
    panel = ex.panels[name]
    expected = get_sampler(name, seed=ex.seed).select(
        ex.batch_size, proba=panel.predict_proba(None), embeddings=ex.X[ex.pool_rows], labeled=pool_mask(ex, name)
    )
    assert ex.picks[name] == [int(ex.pool_rows[p]) for p in expected]
    assert ex.picks["margin"] != ex.picks["kcenter"]  # different strategies ask different things


def test_a_step_labels_exactly_the_picks_shown_before_it():
    ex = moons()
    shown = ex.picks
    ex.step()
    for name, rows in shown.items():
        assert ex.labeled_rows(name)[-len(rows) :] == rows
        assert not set(ex.picks[name]) & set(ex.labeled_rows(name))
    assert list(ex.panels) == ["margin", "kcenter", "entropy", "uniform"]  # uniform added as the baseline
    warm = ex.labeled_rows("margin")[: ex.warm_start]
    assert all(ex.labeled_rows(s)[: ex.warm_start] == warm for s in ex.panels)  # one warm start for all


def test_the_budget_stops_every_panel_and_curves_count_every_label():
    ex = moons(budget=20)
    ex.step(10)
    assert all(ex.n_labels(s) == 20 and ex.done(s) for s in ex.panels)
    assert ex.picks == {s: [] for s in ex.panels}
    curves = ex.curves
    assert list(curves.columns) == ["strategy", "n_labels", "accuracy", "seed"]
    margin = curves[curves.strategy == "margin"]
    assert margin.n_labels.tolist() == [6, 10, 14, 18, 20]  # after the warm start and after every batch
    assert margin.accuracy.between(0, 1).all() and margin.accuracy.iloc[-1] > 0.7


def test_the_strategies_running_out_leaves_you_its_budget_and_a_step_then_says_what_is_left():
    ex = moons(strategies=["margin", YOU], budget=20)
    ex.step(10)
    assert ex.strategies_done and not ex.finished  # "you" is at its warm start: 6 of 20
    with pytest.raises(ValueError, match="every strategy has used its budget of 20 labels; 'you' has 14 left"):
        ex.step()
    for row in open_rows(ex, YOU)[:14]:
        ex.choose(row)
    assert ex.finished
    with pytest.raises(ValueError, match="every panel has used its budget of 20 labels"):
        ex.step()


def test_a_click_picks_the_nearest_open_point_and_a_click_away_from_every_point_says_so():
    ex = moons(strategies=[YOU])
    rows = open_rows(ex, YOU)
    a, b = rows[0], rows[1]
    x, y = ex.plane[a]
    assert ex.choose_near(x, y, 1e-9) == a and ex.labeled_rows(YOU)[-1] == a
    with pytest.raises(ValueError, match="labeled in 'you' already"):
        ex.choose_near(x, y, 1e-9)
    bx, by = ex.plane[b]
    assert ex.choose_near(bx + 1e-4, by, (1e-3, 1e-9)) == b  # a radius per axis: pixels on a view not square
    n = ex.n_labels(YOU)
    far = ex.plane[ex.pool_rows].max(0) + 10
    with pytest.raises(ValueError, match="no point near the click"):
        ex.choose_near(far[0], far[1], 0.5)
    with pytest.raises(ValueError, match="finite coordinates"):
        ex.choose_near(float("nan"), 0.0, 0.5)
    assert ex.n_labels(YOU) == n  # a refused click changes nothing


def test_the_same_state_string_reproduces_the_picks_and_the_curves():
    ex = moons(strategies=["margin", "kcenter", YOU])
    ex.step(2)
    first, second = open_rows(ex, YOU)[5], open_rows(ex, YOU)[17]
    ex.choose(first)
    ex.choose(second)
    ex.step()
    again = Exploration.from_state(ex.state)
    assert again.picks == ex.picks and again.steps == 3
    assert again.labeled_rows(YOU) == ex.labeled_rows(YOU)
    assert again.curves.equals(ex.curves)
    assert len(ex.state) < 300  # short enough for a link


def test_the_you_panel_learns_the_points_a_person_chooses():
    ex = moons(strategies=["margin", YOU], budget=8)
    assert ex.picks[YOU] == []
    ex.step()
    assert ex.n_labels(YOU) == ex.warm_start  # steps do not pick for a person
    row, other, third, fourth = open_rows(ex, YOU)[:4]
    ex.choose(row)
    assert ex.labeled_rows(YOU)[-1] == row and ex.panels[YOU].label_of(ex._position[row]) == ex.y[row]
    with pytest.raises(ValueError, match=f"row {row} is labeled in 'you' already"):
        ex.choose(row)
    with pytest.raises(ValueError, match="not in the pool"):
        ex.choose(int(ex.test_rows[0]))  # held-out points are never labeled
    ex.choose(other)
    with pytest.raises(ValueError, match="has used its budget of 8 labels"):
        ex.choose(third)
    with pytest.raises(ValueError, match="not a panel whose picks a person chooses"):
        ex.choose(fourth, panel="margin")


def test_a_human_oracle_answers_every_pick_and_the_answers_replay():
    ex = moons(strategies=["margin"], oracle="human")
    picks = ex.picks
    ex.step()
    assert ex.pending == [("margin", r) for r in picks["margin"]] + [("uniform", r) for r in picks["uniform"]]
    with pytest.raises(ValueError, match="picks still wait for an answer"):
        ex.step()
    with pytest.raises(ValueError, match="'bird' is not a class"):
        ex.answer("bird")
    answers = []
    while ex.pending:
        name, row = ex.pending[0]
        answers.append(1 - ex.y[row])  # a teacher who gets every answer wrong
        ex.answer(answers[-1])
    assert ex.labeled_rows("margin")[-4:] == picks["margin"]
    assert [ex.panels["margin"].label_of(ex._position[r]) for r in picks["margin"]] == answers[:4]
    again = Exploration.from_state(ex.state)
    assert again.picks == ex.picks and not again.pending
    assert again.curves.equals(ex.curves)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Exploration.from_preset("bananas"), "unknown preset 'bananas'; choose one of: blobs, moons"),
        (lambda: moons(strategies=["best"]), "unknown sampler 'best'"),
        (lambda: Exploration(np.arange(10.0), [0, 1] * 5), r"at least two columns, got shape \(10,\)"),
        (lambda: Exploration(np.zeros((40, 2)), [1] * 40), "a single class"),
        (lambda: Exploration(np.full((40, 2), np.nan), [0, 1] * 20), "NaN"),
        (lambda: Exploration(np.zeros((40, 2)), [0, 1] * 10), "X has 40 rows but y has 20 labels"),
        (
            lambda: moons(strategies=["margin", "entropy", "kcenter", "least_confidence", "you", "graph_density"]),
            "at most 6 panels",
        ),
        (lambda: moons(learner="forest"), "unknown learner 'forest'"),
        (lambda: moons(batch_size=0), "batch_size must be a whole number of at least 1"),
        (lambda: Exploration.from_state("not-a-state"), "not an explorer state string"),
    ],
)
def test_bad_input_gets_a_clear_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_state_string_is_json_checked_field_by_field():
    good = ExplorerState("preset:moons:300:3", ["margin"], "logistic", 4, 6, 40, 3)
    forged = good.to_string()
    assert ExplorerState.from_string(forged) == good
    bad = ExplorerState("preset:moons:300:3", ["margin"], "logistic", "4", 6, 40, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size has the wrong type"):
        ExplorerState.from_string(bad.to_string())


def test_data_given_as_arrays_must_be_passed_again_to_reproduce_a_state():
    X, y = make_preset("xor", n=200, seed=1)
    ex = Exploration(X, y, ["margin"], warm_start=6, budget=30)
    ex.step()
    with pytest.raises(ValueError, match="pass the same X and y again"):
        Exploration.from_state(ex.state)
    with pytest.raises(ValueError, match="not the data this state was made on"):
        Exploration.from_state(ex.state, X + 1.0, y)
    assert Exploration.from_state(ex.state, X, y).picks == ex.picks


def test_decision_and_utility_grids_show_where_each_strategy_would_ask():
    ex = moons(strategies=["margin", "kcenter"], n=400)
    ex.step(3)
    grid = Grid.around(ex.plane, 32)
    proba = decision_grid(ex, "margin", grid)
    assert proba.shape == (32, 32, 2) and np.allclose(proba.sum(-1), 1)
    margin = utility_grid(ex, "margin", grid)
    near_boundary = np.abs(proba[..., 0] - 0.5) < 0.1
    assert margin[near_boundary].mean() > 0.8 > margin[~near_boundary].mean()  # margin asks at the boundary
    kcenter = utility_grid(ex, "kcenter", grid)
    labeled = ex.plane[ex.labeled_rows("kcenter")]
    cells = grid.centres()
    far = np.sqrt(((cells[:, None] - labeled[None]) ** 2).sum(-1)).min(1).argmax()
    assert kcenter.ravel()[far] == 1.0  # k-center asks in the emptiest corner
    assert utility_grid(ex, "uniform", grid) is None


def test_data_of_many_dimensions_is_shown_through_pca_or_the_xy_given():
    digits = load_digits()
    X, y = digits.data[:400] / 16.0, digits.target[:400]
    ex = Exploration(X, y, ["margin"], warm_start=20, budget=60, batch_size=10)
    ex.step()
    assert ex.plane.shape == (400, 2)
    grid = Grid.around(ex.plane, 16)
    assert decision_grid(ex, "margin", grid).shape == (16, 16, 10)
    projected = Exploration(X, y, ["margin"], warm_start=20, budget=60, xy=X[:, :2])
    assert decision_grid(projected, "margin", Grid.around(projected.plane, 16)) is None
    with pytest.raises(ValueError, match=r"xy must be finite, one \(x, y\) per row of X"):
        Exploration(X, y, ["margin"], xy=X[:10, :2])


@pytest.mark.parametrize("learner", ["logistic", "knn", "mlp", "gmm"])
def test_every_learner_preset_learns_a_preset(learner):
    ex = Exploration.from_preset("blobs", ["margin"], n=300, seed=0, learner=learner, budget=40, batch_size=10)
    ex.step(3)
    assert ex.curves.groupby("strategy").accuracy.last().min() > 0.6


def test_a_human_run_with_a_you_panel_replays_in_the_order_things_were_done():
    ex = moons(strategies=["margin", YOU], oracle="human", budget=16)
    rows = open_rows(ex, YOU)
    ex.choose(rows[0])  # picked, not answered yet
    ex.answer(1)
    ex.choose(rows[1])
    with pytest.raises(ValueError, match="1 picks still wait for an answer"):
        ex.step()  # refused while the you pick waits
    ex.answer(0)
    with pytest.raises(ValueError, match="take one step at a time"):
        ex.step(2)
    ex.step()
    ex.choose(rows[2])  # between a step's answers
    while len(ex.pending) > 1:
        ex.answer(0)
    again = Exploration.from_state(ex.state)
    assert again.pending == ex.pending and again.picks == ex.picks
    assert again.labeled(YOU) == ex.labeled(YOU) and again.labeled("margin") == ex.labeled("margin")


def test_picks_waiting_for_an_answer_count_against_the_budget():
    ex = moons(strategies=[YOU], oracle="human", budget=8)
    first, second, third = open_rows(ex, YOU)[:3]
    ex.choose(first)
    ex.choose(second)  # 6 labels + 2 waiting = the budget
    with pytest.raises(ValueError, match="has used its budget of 8 labels"):
        ex.choose(third)
    assert len(ex.pending) == 2 and ex.n_labels(YOU) == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"actions": [["s", 10_000]]}, "10000 steps are more than the budget of 40 allows"),
        ({"actions": [["x", 1]]}, r"\['x', 1\] is not an action"),
        ({"actions": [["c", "nobody", 3]]}, "is not an action"),
        ({"learner": "custom"}, "pass the same learner= again"),
    ],
)
def test_a_state_that_cannot_be_replayed_is_refused_with_a_reason(change, message):
    state = ExplorerState("preset:moons:300:3", ["margin", "uniform"], "logistic", 4, 6, 40, 3)
    for key, value in change.items():
        setattr(state, key, value)
    with pytest.raises(ValueError, match=message):
        Exploration.from_state(state.to_string())


def test_a_state_with_a_field_missing_says_so():
    import base64
    import json
    import zlib

    raw = json.dumps({"v": 2, "data": "preset:moons:300:3", "strategies": ["margin"]}).encode()
    text = base64.urlsafe_b64encode(zlib.compress(raw)).decode()
    with pytest.raises(ValueError, match="explorer state: .*missing"):
        Exploration.from_state(text)


def test_a_river_classifier_is_a_learner_too():
    from river import linear_model, multiclass, preprocessing

    model = preprocessing.StandardScaler() | multiclass.OneVsRestClassifier(linear_model.LogisticRegression())
    X, y = make_preset("blobs", n=200, seed=1)
    ex = Exploration(X, y, ["margin"], learner=model, warm_start=9, batch_size=3, budget=30)
    ex.step(3)
    panel = ex.panels["margin"]
    expected = get_sampler("margin", seed=ex.seed).select(
        3, proba=panel.predict_proba(None), embeddings=ex.X[ex.pool_rows], labeled=pool_mask(ex, "margin")
    )
    assert ex.picks["margin"] == [int(ex.pool_rows[p]) for p in expected]
    assert ex.curves.groupby("strategy").accuracy.last().min() > 0.6
    assert model.predict_proba_one({0: 0.0, 1: 0.0}) == {}  # the caller's model is copied, never trained
    with pytest.raises(ValueError, match="pass the same learner= again"):
        Exploration.from_state(ex.state, X, y)
    assert Exploration.from_state(ex.state, X, y, learner=model).picks == ex.picks

"""StrategyExplorer driven through the comm as a page drives it: steps, Play, the "you" panel, a human oracle."""

from __future__ import annotations

import threading

import pytest
from conftest import frontend

from hitl_widgets import StrategyExplorer
from hitl_widgets.widgets._codec import from_wire

pytestmark = pytest.mark.usefixtures("recording_comm")


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def explorer(**kwargs) -> StrategyExplorer:
    settings = dict(strategies=["margin", "kcenter", "you"], n=300, seed=3, warm_start=6, batch_size=4, budget=30)
    settings.update(kwargs)
    return StrategyExplorer.from_preset("moons", **settings)


def sent_buffers(w) -> int:
    return sum(len(buffers) for kind, _, buffers in w.comm.sent if kind == "comm_msg")


def test_a_step_from_the_page_shows_new_picks_models_and_curves_in_one_acknowledged_update():
    w = explorer()
    before = {p["name"]: p["picks"] for p in w.panels}
    assert before["margin"] == w.picks["margin"] and before["you"] == []
    buffers = sent_buffers(w)
    msg(w, type="step", n=1, seq=1)
    assert w._ack == 1 and w.status["steps"] == 1 and not w.error
    panels = {p["name"]: p for p in w.panels}
    assert panels["margin"]["n_labels"] == 10 and panels["you"]["n_labels"] == 6
    labeled = from_wire(panels["margin"]["labeled"]).tolist()
    assert labeled[-4:] == before["margin"]  # the picks shown are the points asked
    assert (
        from_wire(panels["margin"]["shade"]).shape == (w.grid_side, w.grid_side, 2)
        and panels["margin"]["utility"] is None
    )
    assert [line["name"] for line in w.curve_lines] == ["margin", "kcenter", "you", "uniform"]
    assert sent_buffers(w) > buffers  # points and grids travel as binary buffers, not JSON lists
    w.show_utility = True
    assert {p["name"]: p["utility"] is not None for p in w.panels} == {
        "margin": True,
        "kcenter": True,
        "you": False,
        "uniform": False,
    }


def test_a_click_in_the_you_panel_labels_that_point_and_bad_rows_are_refused():
    w = explorer()
    row = next(int(r) for r in w.exploration.pool_rows if int(r) not in w.exploration.labeled_rows("you"))
    msg(w, type="choose", row=row, seq=1)
    you = next(p for p in w.panels if p["name"] == "you")
    assert you["n_labels"] == 7 and from_wire(you["labeled"])[-1] == row
    msg(w, type="choose", row=row, seq=2)
    assert "labeled in 'you' already" in w.error and w._ack == 2
    msg(w, type="choose", row=int(w.exploration.test_rows[0]), seq=3)
    assert "not in the pool" in w.error
    msg(w, type="choose", row="7", seq=4)
    assert "a row number was expected" in w.error
    assert next(p for p in w.panels if p["name"] == "you")["n_labels"] == 7  # nothing changed


def test_a_click_in_the_you_panel_goes_up_as_plane_coordinates_and_a_click_away_from_points_says_so():
    w = explorer()
    ex = w.exploration
    row = next(int(r) for r in ex.pool_rows if int(r) not in ex.labeled_rows("you"))
    x, y = (float(v) for v in ex.plane[row])
    msg(w, type="choose_at", x=x + 0.001, y=y, rx=0.01, ry=0.01, seq=1)
    assert not w.error and ex.labeled_rows("you")[-1] == row
    x0, x1, y0, y1 = w.extent
    msg(w, type="choose_at", x=x1 + 5.0, y=y1 + 5.0, rx=0.01, ry=0.01, seq=2)
    assert w._ack == 2 and "no point near the click" in w.error
    msg(w, type="choose_at", x="1", y=0, rx=0.01, ry=0.01, seq=3)
    assert "a click needs numbers" in w.error
    assert next(p for p in w.panels if p["name"] == "you")["n_labels"] == 7


def test_play_runs_in_the_background_and_leaves_the_kernel_free():
    w = explorer(budget=40)
    msg(w, type="play", speed=5.0, seq=1)
    assert w._ack == 1 and w.status["playing"] and w.status["steps"] < 6  # the page's message returned at once
    other_cell = threading.Event()
    threading.Thread(target=other_cell.set).start()
    assert other_cell.wait(1.0)  # another cell runs while the explorer plays
    msg(w, type="speed", speed=30.0, seq=2)
    assert w.settings["speed"] == 30.0
    msg(w, type="speed", speed=float("inf"), seq=3)
    assert "speed must be a number of steps per second" in w.error
    w.wait(timeout=60)
    assert w.status["strategies_done"] and not w.status["playing"]
    assert not w.status["finished"]  # "you" is at 6 of 40: the run is not over
    assert all(p["n_labels"] == 40 for p in w.panels if p["name"] != "you")
    steps = w.status["steps"]
    msg(w, type="step", n=1, seq=4)  # nothing left to ask: a step changes nothing and says what is left
    assert w.status["steps"] == w.exploration.steps == steps
    assert "'you' has 34 left: click points in the 'you' panel" in w.error


def test_reset_takes_new_settings_and_bad_settings_say_why():
    w = explorer()
    w.step(2)
    msg(w, type="reset", settings={"batch_size": 2, "seed": 9, "learner": "knn"}, seq=1)
    assert w.status["steps"] == 0 and w.settings["batch_size"] == 2 and w.settings["seed"] == 9
    assert w.settings["learner"] == "knn" and len(w.picks["margin"]) == 2
    msg(w, type="reset", settings={"batch_size": 0}, seq=2)
    assert "batch_size must be a whole number of at least 1" in w.error and w.settings["batch_size"] == 2


def test_a_human_oracle_answers_each_pick_by_key():
    w = explorer(strategies=["margin"], oracle="human")
    msg(w, type="step", n=1, seq=1)
    pending = w.status["pending"]
    assert pending["panel"] == "margin" and w.status["n_pending"] == 8
    msg(w, type="play", seq=2)
    assert "oracle='human'" in w.error
    for seq in range(3, 11):
        msg(w, type="answer", cls=1, seq=seq)
    assert w.status["pending"] is None and not w.error
    assert all(y == 1 for _, y in w.exploration.labeled("margin")[-4:])


def test_the_state_string_reopens_the_same_run():
    w = explorer()
    w.step(3)
    again = StrategyExplorer.from_state(w.state_string)
    assert again.picks == w.picks and again.status["steps"] == 3
    assert [p["n_labels"] for p in again.panels] == [p["n_labels"] for p in w.panels]


def test_points_drawn_with_classes_on_a_gmm_canvas_become_the_pool():
    from hitl_widgets import GMMCanvas
    from hitl_widgets.explorer import make_preset

    X, y = make_preset("blobs", n=120, seed=2)
    canvas = GMMCanvas(classes=["a", "b", "c"], idle_check=False)
    canvas.add_points(X, labels=[["a", "b", "c"][v] for v in y])
    ex = StrategyExplorer.from_canvas(canvas, strategies=["margin"])
    assert ex.exploration.classes == ["a", "b", "c"] and len(ex.exploration.X) == 120
    ex.step()
    assert ex.status["steps"] == 1 and ex.curves.strategy.unique().tolist() == ["margin", "uniform"]
    canvas.clear()
    canvas.add_points(X[:10], labels=["a"] * 10)
    with pytest.raises(ValueError, match="at least two classes"):
        StrategyExplorer.from_canvas(canvas)
    canvas.close()


def test_a_run_over_seeds_fills_in_bands_and_a_summary_in_the_background():
    w = explorer(strategies=["margin", "you"], budget=22)
    msg(w, type="run_seeds", seeds=3, seq=1)
    assert w._ack == 1 and not w.error
    w.wait(timeout=120)
    status = w.seeds_status
    assert not status["running"] and status["done"] == status["total"] == 6  # 2 strategies x 3 seeds, no "you"
    assert set(status["summary"]) == {"margin", "uniform"}
    assert all(0 < row["auc"] <= 1 for row in status["summary"].values())
    bands = {b["name"]: b for b in w.seed_bands}
    assert bands["margin"]["labels"] == [6, 10, 14, 18, 22]
    margin = bands["margin"]
    assert all(lo <= m <= hi for lo, m, hi in zip(margin["low"], margin["mean"], margin["high"], strict=True))
    assert sorted(w.seeds_frame.seed.unique()) == [3, 4, 5]
    msg(w, type="run_seeds", seeds=500, seq=2)
    assert "seeds must be a whole number from 1 to 100" in w.error
    w.reset(seed=4)
    assert w.seed_bands == [] and w.seeds_status["summary"] is None  # they were for the old settings
    w.run(seeds=20)
    w.reset(seed=5)  # during a run over seeds: it is cancelled, nothing of it comes back
    assert not w.seeds_status["running"] and w.seeds_frame is None
    w.run(seeds=2)  # a new one may start at once
    w.wait(timeout=120)
    assert sorted(w.seeds_frame.seed.unique()) == [5, 6] and {b["name"] for b in w.seed_bands} == {"margin", "uniform"}


def test_digit_images_go_to_the_page_for_the_hover_and_bad_images_are_refused():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y, images = digits.data[:200] / 16, digits.target[:200], digits.images[:200]
    w = StrategyExplorer(X, y, ["margin"], warm_start=20, budget=40, batch_size=10, images=images)
    assert w.images["dtype"] == "uint8" and w.images["shape"] == [200, 8, 8]  # the shape travels with the bytes
    row = from_wire(w.images)[5]
    assert row.max() <= 255 and (row > 0).sum() == (images[5] > 0).sum()  # the same strokes, scaled
    with pytest.raises(ValueError, match=r"one per row of X: shape \(200, H, W\), got \(10, 8, 8\)"):
        StrategyExplorer(X, y, ["margin"], warm_start=20, images=images[:10])

"""GMMCanvas driven the way the browser drives it: messages in through the comm, state out as traits."""

from __future__ import annotations

import re
from importlib import resources

import numpy as np
import pytest
from conftest import frontend

from hitl_widgets import GMMCanvas, GMMClassifier, OnlineGMM

pytestmark = pytest.mark.usefixtures("recording_comm")


def add(w, points, label=0, seq=1):
    frontend(w, {"method": "custom", "content": {"type": "add", "points": points, "label": label, "seq": seq}})


def updates(w):
    """(trait names, buffer paths) of each state update sent to the browser."""
    return [(set(d["state"]), d.get("buffer_paths", [])) for _, d, _ in w.comm.sent if d.get("method") == "update"]


def points_messages(w):
    """The "points" messages sent to the page: (message, buffers)."""
    return [
        (d["content"], buffers)
        for _, d, buffers in w.comm.sent
        if d.get("method") == "custom" and d["content"].get("type") == "points"
    ]


def page_points(w, held=None):
    """The points a page holds after the "points" messages sent so far, applied as js/src/gmm_canvas/points.js
    applies them (keep the first ``base``, append the rest): what the page draws."""
    xy, labels = held if held is not None else (np.zeros((0, 2), np.float32), np.zeros(0, np.uint8))
    for message, buffers in points_messages(w):
        assert message["base"] <= len(labels), "a gap: the page would ask for every point again"
        new_xy = np.frombuffer(buffers[message["xy"]["buffer"]], "<f4").reshape(message["xy"]["shape"])
        new_labels = np.frombuffer(buffers[message["labels"]["buffer"]], np.uint8)
        xy = np.concatenate([xy[: message["base"]], new_xy.reshape(-1, 2)])
        labels = np.concatenate([labels[: message["base"]], new_labels])
        assert message["n"] == len(labels)
    return xy, labels


def test_a_click_sends_its_own_point_and_one_update_of_model_and_ack():
    w = GMMCanvas(n_components=3)
    frontend(w, {"method": "custom", "content": {"type": "want", "seq": 1}})  # the page opens: every point
    add(w, [[0.0, 0.0]], seq=2)
    held = page_points(w)
    w.comm.sent.clear()
    add(w, [[1.0, 2.0]], seq=5)
    np.testing.assert_array_equal(w.points, [[0.0, 0.0], [1.0, 2.0]])
    assert isinstance(w.model, OnlineGMM) and w.model.n_points == 2
    ((message, buffers),) = points_messages(w)  # the click's own point, as float32 bytes, not JSON
    assert message["base"] == 1 and message["xy"] == {"dtype": "float32", "shape": [1, 2], "buffer": 0}
    assert bytes(buffers[0]) == np.array([1, 2], "<f4").tobytes()
    ((names, buffer_paths),) = updates(w)  # hold_sync: one update carries everything a redraw needs
    assert {"mixtures", "status", "_ack"} <= names and w._ack == 5 and not buffer_paths  # no points in it
    xy, labels = page_points(w, held)
    np.testing.assert_allclose(xy, w.points, rtol=1e-6)
    assert labels.tolist() == [0, 0]
    assert w.status["n"] == 2 and w.status["update_ms"] > 0


def test_what_a_click_sends_does_not_grow_with_the_points_on_the_canvas():
    sizes = {}
    for n in (100, 10_000):
        w = GMMCanvas(classes=["a", "b"], idle_check=False)
        rng = np.random.default_rng(0)
        w.add_points(np.r_[rng.normal(-3, 1, (n // 2, 2)), rng.normal(3, 1, (n // 2, 2))], ["a", "b"] * (n // 2))
        frontend(w, {"method": "custom", "content": {"type": "want", "seq": 1}})
        held = page_points(w)
        w.comm.sent.clear()
        add(w, [[3.5, 2.5]], label=1, seq=2)
        sizes[n] = sum(len(b) for _, _, bufs in w.comm.sent for b in bufs)
        assert page_points(w, held)[0].shape == (n + 1, 2)
    assert sizes[100] == sizes[10_000] == 9  # one point (8 bytes) and its class (1 byte), at any N


def test_the_page_follows_undo_clear_and_a_reload_through_the_points_messages():
    w = GMMCanvas(idle_check=False)
    frontend(w, {"method": "custom", "content": {"type": "want", "seq": 1}})
    for i, p in enumerate([[0, 0], [1, 1], [2, 2]], start=2):
        add(w, [p], seq=i)
    w.undo()  # cut to two: no point is sent again
    assert points_messages(w)[-1][0]["base"] == 2 and points_messages(w)[-1][0]["xy"]["shape"] == [0, 2]
    w.clear()
    w.undo()  # the cleared points come back: all of them (base 0)
    assert points_messages(w)[-1][0]["base"] == 0
    xy, _ = page_points(w)
    np.testing.assert_allclose(xy, [[0, 0], [1, 1]])
    w.comm.sent.clear()
    frontend(w, {"method": "custom", "content": {"type": "want", "seq": 9}})  # a reloaded page holds none
    np.testing.assert_allclose(page_points(w)[0], w.points)


def test_brush_batches_points_and_the_model_keeps_up():
    w = GMMCanvas(n_components=2)
    rng = np.random.default_rng(0)
    add(w, rng.normal([-5, 0], 0.5, (30, 2)).tolist(), seq=1)
    add(w, rng.normal([5, 0], 0.5, (30, 2)).tolist(), seq=2)
    assert len(w.points) == 60 and w._ack == 2
    assert sorted(round(m[0]) for m in w.model.params()["means"]) == [-5, 5]


def test_bad_points_in_a_message_are_refused_with_a_message_and_nothing_is_lost():
    w = GMMCanvas()
    add(w, [[0.0, 0.0]], seq=1)
    add(w, [[float("nan"), 1.0], [2.0, 2.0]], seq=2)
    assert "finite" in w.error and w._ack == 2
    np.testing.assert_array_equal(w.points, [[0.0, 0.0], [2.0, 2.0]])
    add(w, [[3.0, 3.0]], seq=3)
    assert w.error == ""
    with pytest.raises(ValueError, match="finite"):
        w.add_point(float("inf"), 0)


def test_undo_clear_and_keys_through_messages():
    w = GMMCanvas(n_components=2)
    add(w, [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], seq=1)
    before = w.model.params()
    add(w, [[4.0, 4.0]], seq=2)
    frontend(w, {"method": "custom", "content": {"type": "undo", "seq": 3}})
    assert len(w.points) == 3 and w.model.params() == before  # forgotten exactly
    frontend(w, {"method": "custom", "content": {"type": "fit_batch", "seq": 4}})
    assert w.show == "both" and w.batch_mixtures and w.status["ll_gap"] is not None
    frontend(w, {"method": "custom", "content": {"type": "params", "seq": 5}})
    assert w.show_params
    frontend(w, {"method": "custom", "content": {"type": "clear", "seq": 6}})
    assert len(w.points) == 0 and w.mixtures == [] and w._ack == 6
    frontend(w, {"method": "custom", "content": {"type": "undo", "seq": 7}})  # nothing to undo: no error
    assert w.error == "" and w._ack == 7


def test_class_keys_make_a_classifier_with_prequential_accuracy():
    w = GMMCanvas(n_components=2)
    # key 2 in the browser: a numbered setting
    frontend(
        w, {"method": "custom", "content": {"type": "set", "name": "current_class", "value": 1, "seq": 1}}
    )  # key 2
    assert w.class_names == ["class 1", "class 2"]
    rng = np.random.default_rng(0)
    for i in range(40):
        label = i % 2
        add(w, [rng.normal(-4 if label == 0 else 4, 1, 2).tolist()], label=label, seq=i + 1)
    assert isinstance(w.model, GMMClassifier)
    assert list(w.labels[:2]) == ["class 1", "class 2"]
    assert w.status["accuracy"] > 0.9 and len(w.accuracy_curve) == w.status["n_predicted"] == 38
    w.undo()
    assert w.status["n_predicted"] == 37
    res = w.compare()
    assert {"ll_gap", "kl", "online_ms", "batch_ms"} <= set(res) and set(res["components"]) == {0, 1}


def test_named_classes_are_a_closed_set():
    w = GMMCanvas(classes=["cat", "dog"])
    assert not w.open_classes
    w.add_point(1, 1, label="dog")
    assert list(w.labels) == ["dog"]
    with pytest.raises(ValueError, match="unknown class 'cow'"):
        w.add_point(0, 0, label="cow")
    with pytest.raises(ValueError, match="only 2 classes"):
        w.add_point(0, 0, label=2)
    add(w, [[0.0, 0.0]], label=5, seq=9)
    assert "only 2 classes" in w.error and len(w.points) == 1
    with pytest.raises(ValueError, match="1 to 9 class names"):
        GMMCanvas(classes=[str(i) for i in range(10)])


def test_public_python_api_and_parameters():
    w = GMMCanvas(n_components=5)
    for x, y in [(-5, -5), (-5.2, -4.9), (5, 5), (5.1, 4.7), (0, 6)]:
        w.add_point(x, y)
    assert w.points.shape == (5, 2) and len(w.labels) == 5
    shown = w.show_parameters()
    assert w.show_params and {"weights", "means", "covariances", "stddevs"} <= set(shown)
    batch = w.fit_batch()
    assert isinstance(batch, OnlineGMM) and batch.n_points == 5
    res = w.compare()
    assert res["n"] == 5 and np.isfinite(res["kl"])
    w.clear()
    assert w.points.shape == (0, 2)


def test_the_wheel_ships_the_bundle_and_it_imports_nothing_from_the_network():
    static = resources.files("hitl_widgets") / "static"
    js = (static / "gmm_canvas.js").read_text()
    assert "export default" in js or "export {" in js
    assert not re.search(r"""(from|import\()\s*['"]https?://""", js)
    assert "hitl-gmm" in (static / "gmm_canvas.css").read_text()
    assert "render" in str(GMMCanvas._esm)


@pytest.mark.parametrize("kind", ["undo", "clear", "fit_batch", "params"])
def test_each_key_action_sends_one_state_update(kind):
    w = GMMCanvas(n_components=2)
    add(w, [[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], seq=1)
    w.comm.sent.clear()
    frontend(w, {"method": "custom", "content": {"type": kind, "seq": 2}})
    assert len(updates(w)) == 1 and w._ack == 2


def test_batch_fit_with_no_points_says_so():
    w = GMMCanvas()
    frontend(w, {"method": "custom", "content": {"type": "fit_batch", "seq": 1}})
    assert "no points yet" in w.error and w._ack == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_components": 0}, "n_components must be a whole number of at least 1"),
        ({"n_components": 2.5}, "n_components must be a whole number"),
        ({"classes": ["a", "a"]}, "distinct"),
        ({"width": 0}, "width must be a whole number"),
        ({"height": 300.5}, "height must be a whole number"),
        ({"seed": "x"}, "seed must be a whole number"),
    ],
)
def test_arguments_that_cannot_work_are_refused_by_the_constructor(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GMMCanvas(**kwargs)


def test_add_points_takes_ten_thousand_points_in_one_update_and_one_undo():
    import time

    w = GMMCanvas(idle_check=False)
    X = np.concatenate([np.random.default_rng(s).normal(c, 0.8, (2500, 2)) for s, c in enumerate([-6, -2, 2, 6])])
    w.comm.sent.clear()
    t0 = time.perf_counter()
    w.add_points(X)
    seconds = time.perf_counter() - t0
    assert len(updates(w)) == 1 and len(w.points) == 10_000
    assert 2 <= w.model.n_components_used <= 6
    assert seconds < 10  # about a second here; the figure is in benchmarks/gmm.py
    w.undo()
    assert len(w.points) == 0
    with pytest.raises(ValueError, match="2 labels"):
        w.add_points(X[:3], labels=["class 1", "class 1"])


def test_parameters_read_the_same_way_with_one_class_and_with_several():
    w = GMMCanvas(idle_check=False)
    w.add_points([[-4, 0], [-4.2, 0.3], [-3.8, -0.2]])
    assert w.model.params()["n_components"] == 1
    w.add_points([[4, 0], [4.1, 0.3], [3.9, -0.2]], labels=[1, 1, 1])
    assert isinstance(w.model, GMMClassifier)
    p = w.model.params()
    assert p["classes"] == [0, 1] and p["mixtures"][1]["n_components"] == 1
    assert w.show_parameters() == p and w.class_names == ["class 1", "class 2"]


def test_clear_adopt_and_a_brush_stroke_come_back_with_undo_from_the_page():
    w = GMMCanvas(n_components=3, idle_check=False)
    rng = np.random.default_rng(3)
    for i, p in enumerate(rng.normal([-4, 0], 0.5, (5, 2)).tolist(), start=1):
        add(w, [p], seq=i)
    before = w.model.params()
    stroke = rng.normal([4, 0], 0.5, (16, 2)).tolist()
    frontend(
        w, {"method": "custom", "content": {"type": "add", "points": stroke[:8], "label": 0, "seq": 6, "stroke": 9}}
    )
    frontend(
        w, {"method": "custom", "content": {"type": "add", "points": stroke[8:], "label": 0, "seq": 7, "stroke": 9}}
    )
    frontend(w, {"method": "custom", "content": {"type": "adopt", "seq": 8}})
    assert "press b" in w.error and w._ack == 8  # nothing to adopt yet
    frontend(w, {"method": "custom", "content": {"type": "fit_batch", "seq": 9}})
    frontend(w, {"method": "custom", "content": {"type": "adopt", "seq": 10}})
    assert "Not adopted: the fit from scratch is not better" in w.error and w.status["adopted"] is None
    w.adopt()  # from code it adopts any fit (a teacher may show a worse one)
    assert w.error == "" and "you adopted" not in w.status  # the status carries the adoption itself
    assert w.status["adopted"]["by"] == "you"
    frontend(w, {"method": "custom", "content": {"type": "clear", "seq": 11}})
    assert len(w.points) == 0 and w.status["cleared"] == 21
    for seq in (12, 13):  # the clear, then the adoption
        frontend(w, {"method": "custom", "content": {"type": "undo", "seq": seq}})
    assert len(w.points) == 21
    frontend(w, {"method": "custom", "content": {"type": "undo", "seq": 14}})  # the whole stroke
    assert len(w.points) == 5 and w.model.params() == before


@pytest.mark.parametrize(
    ("n_components", "seed", "better"), [(3, 0, True), ("auto", 1, False)], ids=["scratch better", "scratch worse"]
)
def test_adopt_is_offered_only_for_a_better_fit_from_scratch_and_says_why_not(n_components, seed, better):
    from hitl_widgets.data.clicks import click_sequence

    w = GMMCanvas(n_components=n_components, idle_check=False)
    points = click_sequence("moons", "cluster", n_clusters=3, seed=seed).points
    for x in points:  # clicked one by one
        w.add_point(*x)
    assert w.status["adopt"] == {"ok": False, "why": "press b to fit from scratch first"}
    frontend(w, {"method": "custom", "content": {"type": "fit_batch", "seq": 1}})
    gap = w.status["ll_gap"]
    assert (gap > 0.01) == better and (gap < -0.01) == (not better), gap  # both cases, clearly
    assert w.status["adopt"]["ok"] == better
    assert ("better by" if better else "not better than the online model") in w.status["adopt"]["why"]
    frontend(w, {"method": "custom", "content": {"type": "adopt", "seq": 2}})
    assert (w.status["adopted"] is not None) == better and (w.error == "") == better
    if better:  # adopted: the fit from scratch is now the online model, no better than itself
        assert not w.status["adopt"]["ok"] and "(+0.000 nats/pt)" in w.status["adopt"]["why"]
    w.add_point(0.0, 0.0)  # a point since: the fit is from fewer points
    why = f"the fit from scratch is from N = {len(points)}: press b to fit again"
    assert w.status["adopt"] == {"ok": False, "why": why}


def test_an_idle_time_adoption_reaches_the_page_from_the_background_thread():
    import threading

    from hitl_widgets.data.clicks import click_sequence

    seq = click_sequence("moons", "cluster", n_clusters=3, seed=0)
    w = GMMCanvas(n_components=3, idle_check=False)  # the pause is run by hand below
    for x in seq.points:
        w.add_point(*x)
    means_before = [m["means"] for m in w.mixtures]
    w.comm.sent.clear()
    idle = threading.Thread(target=w.session.check_from_scratch)  # what the idle check's thread runs
    idle.start()
    idle.join()
    assert w.model.n_adopted == 1
    assert len(updates(w)) == 1  # one synced update carries the new model and the status
    assert [m["means"] for m in w.mixtures] != means_before
    assert w.status["adopted"]["by"] == "idle check" and w.status["adopted"]["n"] == len(seq.points)


def test_a_ping_is_acknowledged_and_changes_nothing():
    w = GMMCanvas(idle_check=False)
    add(w, [[1.0, 1.0]], seq=1)
    w.comm.sent.clear()
    frontend(w, {"method": "custom", "content": {"type": "ping", "seq": 2}})
    ((names, _),) = updates(w)
    assert names == {"_ack"} and w._ack == 2 and len(w.points) == 1 and not points_messages(w)


def test_an_undo_and_a_click_in_one_update_reach_the_page_as_a_cut_and_a_point():
    w = GMMCanvas(idle_check=False)
    frontend(w, {"method": "custom", "content": {"type": "want", "seq": 1}})
    for i, p in enumerate([[0, 0], [1, 1], [2, 2]], start=2):
        add(w, [p], seq=i)
    with w.pushing():  # one update: the same count of points, not the same points
        w.session.undo()
        w.add_point(5, 5)
    np.testing.assert_allclose(page_points(w)[0], [[0, 0], [1, 1], [5, 5]])

"""GMMSession: undo of every kind of action, bulk adds, adoption, and the idle-time check in its thread."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from hitl_widgets import GMMSession
from hitl_widgets.data.clicks import click_sequence


def moons_session(**kwargs) -> tuple[GMMSession, np.ndarray]:
    """Points where the online mixture ends behind a fit from scratch (a curved layout, clicked in order)."""
    seq = click_sequence("moons", "cluster", n_clusters=3, seed=0)
    s = GMMSession(3, prior_scale=0.5, **kwargs)
    for x in seq.points:
        s.add(x)
    return s, seq.points


def test_undo_takes_back_a_click_a_stroke_a_bulk_add_a_clear_and_an_adoption():
    s = GMMSession(prior_scale=0.5, idle_check=False)
    rng = np.random.default_rng(0)
    for x in rng.normal([-4, 0], 0.5, (10, 2)):
        s.add(x)
    after_clicks = s.params()
    for x in rng.normal([4, 0], 0.5, (12, 2)):
        s.add(x, stroke=7)  # one drag of the brush
    s.add_many(rng.normal([0, 5], 0.5, (300, 2)))
    assert s.n_points == 322
    s.fit_batch()
    assert s.adopt_batch() and s.status()["adopted"]["by"] == "you"
    with_adoption = s.params()
    assert s.clear() == 322 and s.n_points == 0
    assert s.status()["cleared"] == 322
    assert s.undo() and s.n_points == 322 and s.params() == with_adoption  # the clear
    assert s.undo() and s.n_points == 322 and s.status()["adopted"] is None  # the adoption
    assert s.undo() and s.n_points == 22  # the bulk add
    assert s.undo() and s.n_points == 10  # the whole stroke
    assert s.params() == after_clicks  # exactly the model before
    while s.undo():
        pass
    assert s.n_points == 0 and not s.status()["can_undo"]


def test_add_many_predicts_each_row_before_learning_and_refuses_bad_rows_whole():
    s = GMMSession(prior_scale=0.5, idle_check=False)
    rng = np.random.default_rng(1)
    left, right = rng.normal([-4, 0], 0.5, (50, 2)), rng.normal([4, 0], 0.5, (50, 2))
    s.add_many(np.concatenate([left, right]), np.repeat([0, 1], 50))
    assert s.is_classifier and s.status()["n_predicted"] == 0  # no model before the first batch
    s.add_many(np.concatenate([left, right]) + 0.1, np.repeat([0, 1], 50))
    assert s.status()["n_predicted"] == 100 and s.status()["accuracy"] > 0.95
    params = s.params()
    assert set(params["classes"]) == {0, 1} and set(params["mixtures"][0]) >= {"weights", "means", "covariances"}
    with pytest.raises(ValueError, match="NaN"):
        s.add_many([[0.0, 0.0], [np.nan, 1.0]])
    with pytest.raises(ValueError, match="class index"):
        s.add_many([[0.0, 0.0]], [12])
    assert s.n_points == 200


def test_prequential_accuracy_counts_each_prediction_before_learning_and_undo_takes_it_back():
    s = GMMSession(prior_scale=0.5, idle_check=False)
    rng = np.random.default_rng(2)
    clicks = [(0, x) for x in rng.normal([-4, 0], 0.6, (8, 2))] + [(1, x) for x in rng.normal([4, 0], 0.6, (8, 2))]
    clicks += [(0, [-4.2, 0.3]), (1, [3.8, -0.2]), (1, [-3.9, 0.1]), (0, [0.5, 0.0])]
    hits = [s.add(x, c) for c, x in clicks]
    assert hits[:9] == [None] * 9  # one class known: nothing to predict
    assert hits[-4:-1] == [True, True, False]  # class 1 clicked inside class 0's cluster is mispredicted
    scored = [h for h in hits if h is not None]
    expected = [sum(scored[: i + 1]) / (i + 1) for i in range(len(scored))]
    assert s.prequential_accuracy() == pytest.approx(expected)
    assert s.status()["n_predicted"] == len(scored) and s.status()["accuracy"] == pytest.approx(expected[-1])
    s.undo()
    s.undo()
    assert s.prequential_accuracy() == pytest.approx(expected[:-2])
    assert s.status()["n_predicted"] == len(scored) - 2 and s.status()["accuracy"] == pytest.approx(expected[-3])


def test_the_idle_check_adopts_a_better_fit_when_the_clicks_pause_and_says_so():
    s, points = moons_session(idle_after=0.05)
    changes = []
    s.on_change(lambda _event: changes.append(s.status()["adopted"]))
    before = s.model.score_samples(points).mean()
    assert s.wait_idle(timeout=30)
    after = s.model.score_samples(points).mean()
    assert s.model.n_adopted == 1 and after > before
    assert changes and changes[-1]["by"] == "idle check" and changes[-1]["n"] == len(points)
    s.close()


def test_the_idle_check_never_changes_the_model_while_a_click_is_learned():
    """Clicks hold the session's lock; the fit runs outside it, but adopting waits until the click is done."""
    s, points = moons_session(idle_after=0.01)
    started = threading.Event()
    original = s.check_from_scratch

    def watched():
        started.set()
        return original()

    s._idle._check = watched  # see when the background fit starts
    with s.lock:  # a click in progress
        params = s.params()
        assert started.wait(10)
        time.sleep(1.5)  # the fit from scratch has finished by now and wants to adopt
        assert s.params() == params and s.model.n_adopted == 0
    assert s.wait_idle(timeout=30)
    assert s.model.n_adopted == 1
    s.close()


def test_a_stale_fit_from_scratch_is_refitted_when_the_clicks_pause():
    s = GMMSession(prior_scale=0.5, idle_after=0.05)
    rng = np.random.default_rng(2)
    for x in rng.normal(0, 1, (30, 2)):
        s.add(x)
    s.fit_batch()
    assert s.status()["ll_gap"] is not None
    s.add([0.5, 0.5])
    st = s.status()
    assert st["ll_gap"] is None and st["batch_n"] == 30  # the comparison says which N it is from
    assert s.wait_idle(timeout=30)
    st = s.status()
    assert st["batch_n"] == 31 and st["ll_gap"] is not None
    s.close()


@pytest.mark.parametrize("bad", [0, 2.5, -1, True, "three", None])
def test_a_number_of_components_that_cannot_work_is_refused_at_once(bad):
    with pytest.raises(ValueError, match="n_components"):
        GMMSession(bad)


def test_undo_of_add_many_after_more_clicks_than_the_journal_holds_keeps_points_and_model_together():
    s = GMMSession(prior_scale=0.5, idle_check=False)
    rng = np.random.default_rng(0)
    s.add_many(rng.normal(0, 1, (300, 2)))
    for x in rng.normal(0, 1, (300, 2)):  # more than a mixture's undo depth (256)
        s.add(x)
    for _ in range(301):
        assert s.undo()
    assert s.n_points == len(s.points) == len(s.labels) == s.classifier.n_points == 0
    s.add([0.5, 0.5])
    assert s.points.tolist() == [[0.5, 0.5]] and s.view()["n"] == 1


def test_every_adoption_keeps_one_copy_of_the_model_not_of_every_earlier_copy():
    s = GMMSession(prior_scale=0.5, idle_check=False)
    s.add_many(np.random.default_rng(0).normal(0, 1, (200, 2)))
    for _ in range(6):
        s.fit_batch()
        assert s.adopt_batch()
    for step in s.classifier.journal:
        for m in (step.saved or ({}, None))[0].values():
            assert m.peers.func.__self__ is s.classifier  # the live classifier, not a copy holding the journal
    for _ in range(6):
        assert s.undo()
    assert s.last_adoption is None and s.n_points == 200

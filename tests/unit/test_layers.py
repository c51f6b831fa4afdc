"""The house's rules, checked: the loop contract every headless loop keeps, the layers, the old module paths."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from hitl_widgets import GMMSession, LabelQueue, Session, StreamRunner, StreamSession, sms_spam
from hitl_widgets.explorer import Exploration
from hitl_widgets.explorer.runner import ExplorationRunner
from hitl_widgets.sessions.loop import CURVE_POINTS, Loop


def _pool_queue():
    from river import naive_bayes

    X, y = make_blobs(400, centers=[[0, 0], [5, 5]], random_state=1)
    queue = LabelQueue(Session(X, naive_bayes.GaussianNB(), classes=["a", "b"], store=":memory:"))
    truth = dict(enumerate(np.where(y == 0, "a", "b")))
    return queue, lambda: queue.label(truth[queue.current])


def _stream_runner():
    runner = StreamRunner(StreamSession(sms_spam(20_000), classes=["ham", "spam"], store=":memory:"), background=False)
    rng = np.random.default_rng(0)  # answers at random keep the model unsure, so it keeps asking
    return runner, lambda: runner.answer(rng.choice(["ham", "spam"]))


def _gmm_session():
    s = GMMSession(n_classes=2, idle_check=False)
    rng = np.random.default_rng(0)

    def act():
        c = int(rng.integers(2))
        s.add(rng.normal(c * 4.0, 0.5, 2), label=c)

    return s, act


def _exploration_runner():
    preset = Exploration.from_preset("blobs", ["margin"], n=1200, warm_start=4, budget=600, batch_size=1)
    runner = ExplorationRunner(preset)
    return runner, lambda: runner.step()


@pytest.mark.parametrize("make", [_pool_queue, _stream_runner, _gmm_session, _exploration_runner])
def test_every_loop_keeps_the_one_contract(make):
    loop, act = make()
    assert isinstance(loop, Loop)
    events: list[str] = []
    loop.on_change(events.append)
    n = 60 if isinstance(loop, LabelQueue) else CURVE_POINTS + 60  # more than a chart keeps (a pool re-ranks: fewer)
    for _ in range(n):
        act()
    assert events and all(isinstance(e, str) for e in events)
    curve = loop.curve()
    curves = curve.values() if isinstance(curve, dict) else [curve]
    for c in curves:
        assert 2 <= len(c) <= CURVE_POINTS + 1, len(c)
        assert all(0.0 <= p[1] <= 1.0 for p in c if p[1] is not None and p[1] == p[1])
        assert [p[0] for p in c] == sorted(p[0] for p in c)  # in order along the x axis
    before = len(events)
    assert loop.undo() not in (False, None)  # something was taken back
    assert "undone" in events[before:] or isinstance(loop, GMMSession)


def test_the_explorer_undo_is_the_run_without_its_last_step():
    runner, _ = _exploration_runner()
    twin, _ = _exploration_runner()
    runner.step(3)
    twin.step(2)
    assert runner.undo()
    assert runner.exploration.picks == twin.exploration.picks
    assert runner.curve() == twin.curve()
    while runner.undo():
        pass
    assert runner.exploration.steps == 0 and runner.undo() is False


def test_the_study_layer_loads_no_widget_and_the_layers_contract_holds():
    code = (
        "import sys, hitl_widgets.study, hitl_widgets.team, hitl_widgets.explorer;"
        "print(any(m.startswith('hitl_widgets.widgets') for m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"
    lint = subprocess.run([sys.executable, "-m", "importlinter.cli", "--no-cache"], capture_output=True, text=True)
    if lint.returncode != 0 and "No module named" in lint.stderr:
        lint = subprocess.run(["lint-imports", "--no-cache"], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout[-2000:]


def test_study_participant_is_made_from_the_study_either_way():
    from hitl_widgets import Study, StudyParticipant

    study = Study.demo(plan=[("MT", 2)], store=":memory:")
    a, b = study.participant("P01"), StudyParticipant(study, "P02")
    assert isinstance(a, StudyParticipant) and isinstance(b, StudyParticipant)
    assert a.screen["participant"] == "P01" and b.screen["participant"] == "P02"


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("hitl_widgets.session", "Session", "hitl_widgets.sessions.pool.session"),
        ("hitl_widgets.simulation", "labels_to_reach", "hitl_widgets.explorer.simulation"),
        ("hitl_widgets.metrics", "checkpoint_gaps", "hitl_widgets.learners.gmm.metrics"),
        ("hitl_widgets.learners.online_gmm", "OnlineGMM", "hitl_widgets.learners.gmm.online"),
    ],
)
def test_an_old_module_path_still_imports_and_says_where_it_went(old, name, new):
    import importlib

    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(importlib.import_module(new), name)
    if old != "hitl_widgets.metrics":  # a module: the same object, so a patch through the old path takes effect
        assert sys.modules[old] is importlib.import_module(new)
    assert any(f"{old} moved to {new}" in str(w.message) and w.category is DeprecationWarning for w in caught)


def test_a_canvas_over_a_session_follows_what_a_script_does_to_the_session():
    from hitl_widgets import GMMCanvas

    s = GMMSession(idle_check=False)
    w = GMMCanvas(session=s)
    s.add([1.0, 2.0])
    s.add([1.5, 2.5])
    assert w.status["n"] == 2 and w.mixtures == s.mixtures()
    s.undo()
    assert w.status["n"] == 1 and w.mixtures == s.mixtures()
    with pytest.raises(TypeError, match="GMMSession"):
        GMMCanvas(session="not a session")


def test_the_session_owns_the_class_names_and_the_canvas_shows_them():
    from hitl_widgets import GMMCanvas

    s = GMMSession(idle_check=False)  # open classes: a key 2-9 starts one
    w = GMMCanvas(session=s)
    events: list[str] = []
    s.on_change(events.append)
    s.open_class(2)  # key 3 on the page
    assert s.class_names == ["class 1", "class 2", "class 3"] == w.class_names and events == ["classes"]
    s.add([1.0, 1.0], label=4)  # a point of a class not named yet names it
    assert s.class_names[-1] == "class 5" == w.class_names[-1] and list(w.labels) == ["class 5"]
    closed = GMMSession(classes=["cat", "dog"], idle_check=False)
    with pytest.raises(ValueError, match=r"only 2 classes \(cat, dog\)"):
        closed.add([0.0, 0.0], label=2)
    with pytest.raises(ValueError, match="names its own classes"):
        GMMCanvas(session=closed, classes=["a", "b"])
    assert GMMCanvas(classes=["x", "y"], idle_check=False).session.class_names == ["x", "y"]


def test_every_widget_takes_its_headless_object_as_session():
    from hitl_widgets import StrategyExplorer

    run = Exploration.from_preset("blobs", ["margin"], n=200, warm_start=6, budget=20)
    a, b = StrategyExplorer(session=run), StrategyExplorer(exploration=run)  # the older name still works
    assert a.exploration is run and b.exploration is run
    with pytest.raises(ValueError, match="not both"):
        StrategyExplorer(session=run, exploration=run)
    with pytest.raises(TypeError, match="an Exploration or its runner"):
        StrategyExplorer(session="blobs")


def test_the_store_namespace_has_its_own_name_and_the_old_one_still_works(tmp_path):
    from hitl_widgets import LabelStore, TeamDashboard

    new, old = LabelStore(tmp_path / "a.db", namespace="team"), LabelStore(tmp_path / "a.db", session="team")
    assert new.namespace == old.namespace == new.session == "team"
    assert LabelStore(":memory:").namespace == "default"
    with pytest.raises(ValueError, match="not both"):
        LabelStore(":memory:", namespace="a", session="b")
    board = TeamDashboard(str(tmp_path / "a.db"), namespace="team", refresh=0)
    assert (
        board.store.namespace == "team"
        and TeamDashboard(str(tmp_path / "a.db"), "team", refresh=0).store.namespace == "team"
    )

"""LabelQueue: the pool-labeling loop with no widget, as a script drives it."""

from __future__ import annotations

import copy
import threading

import numpy as np
import pytest
from river import linear_model, multiclass, optim

from hitl_widgets import LabelQueue, Session

RNG = np.random.default_rng(0)
X = np.r_[RNG.normal(-2, 1, (60, 2)), RNG.normal(2, 1, (60, 2))]
TRUTH = ["left"] * 60 + ["right"] * 60


def session(**kw):
    model = multiclass.OneVsRestClassifier(linear_model.LogisticRegression(optimizer=optim.SGD(0.1)))
    kw.setdefault("classes", ["left", "right"])
    return Session(X, model, store=":memory:", **kw)


def test_a_script_labels_with_margin_and_the_queue_follows_the_model():
    q = LabelQueue(session())
    events = []
    q.on_change(events.append)
    for _ in range(20):
        q.label(TRUTH[q.current])
    q.wait()
    assert q.session.n_labels == 20 and q.current not in q.session.labels
    assert len(q.upcoming) == 8 and not set(q.upcoming) & set(q.session.labels)
    assert events.count("answered") == 20 and events[-1] == "ranked"
    # margin: after 20 labels the queue holds items near the boundary x = 0, not the far blobs
    assert np.abs(X[q.upcoming, 0]).mean() < np.abs(X[:, 0]).mean()
    assert q.progress()["labeled"] == 20 and len(q.trail()) == 20 and q.curve()[-1][0] == 20


def test_undo_skip_and_a_batch():
    q = LabelQueue(session(), batch_size=4)
    first = q.current
    q.label(TRUTH[first])
    skipped = q.current
    q.skip()
    assert q.session.skipped == [skipped] and q.trail()[-1] == (skipped, None)
    assert q.undo().item_id == skipped and q.current == skipped and q.session.skipped == []
    assert q.undo().item_id == first and q.current == first and q.session.n_labels == 0
    assert q.undo() is None
    batch = [q.current, *q.upcoming[:3]]
    q.submit({i: TRUTH[i] for i in batch})
    assert set(q.session.labels) == set(batch) and q.current not in batch


def test_a_label_outside_the_set_names_the_fix_and_changes_nothing():
    q = LabelQueue(session())
    with pytest.raises(ValueError, match=r"'middle' is not a label; the labels are \['left', 'right'\]\. Add it first"):
        q.label("middle")
    with pytest.raises(ValueError, match="unknown item id 999"):
        q.label("left", item=999)
    assert q.session.n_labels == 0


def test_answers_from_elsewhere_move_the_queue_on_and_prepare_runs_in_the_worker():
    seen_threads = []
    s = session(background=True)
    q = LabelQueue(s, prepare=lambda ids: seen_threads.append(threading.current_thread().name))
    q.wait()
    s.label(q.current, "left")  # a script (or a checkpoint) answers the item on screen
    q.refresh()
    q.wait()
    assert q.current not in s.labels
    assert seen_threads and all(name != threading.main_thread().name for name in seen_threads)


class CannotPredictSome:
    """A river model with a bug a user could have: once it has learned ``after`` labels it raises on items
    whose first feature is below ``-3`` (while ``broken`` is set), or fails to learn the label ``bad_label``."""

    def __init__(self, after: int = 4, broken: threading.Event | None = None, bad_label: str | None = None):
        self.after, self.broken, self.bad_label = after, broken or threading.Event(), bad_label
        self.model = linear_model.LogisticRegression(optimizer=optim.SGD(0.1))
        self.n = 0

    def learn_one(self, x, y):
        if y == self.bad_label:
            raise ValueError(f"cannot learn the label {y!r}")
        self.model.learn_one(dict(enumerate(x)), y == "right")
        self.n += 1

    def predict_proba_one(self, x):
        if self.n >= self.after and self.broken.is_set() and x[0] < -3:
            raise ValueError(f"cannot predict an item with x0 = {x[0]:.2f}")
        p = self.model.predict_proba_one(x)
        return {"left": p.get(False, 0.5), "right": p.get(True, 0.5)}

    def clone(self):
        return CannotPredictSome(self.after, self.broken, self.bad_label)

    def __deepcopy__(self, memo):  # the session's copies for undo share the test's switch
        twin = self.clone()
        twin.model, twin.n = copy.deepcopy(self.model, memo), self.n
        return twin


def stored_labels(s: Session) -> int:
    return sum(r.kind == "label" for r in s.store.events())


@pytest.mark.parametrize("background", [False, True])
def test_a_failing_ranking_never_stops_the_queue_and_the_last_good_ranking_goes_on(background):
    broken = threading.Event()
    broken.set()
    learner = CannotPredictSome(after=4, broken=broken)
    q = LabelQueue(Session(X, learner, store=":memory:", classes=["left", "right"], background=background))
    events = []
    q.on_change(events.append)
    for _ in range(3):
        q.label(TRUTH[q.current])
        q.wait()
    assert q.error == "" and not q.learning
    last_good = [q.current, *q.upcoming]
    q.label(TRUTH[q.current])  # the 4th label: from now on the model cannot rank the pool
    q.wait()
    assert q.error.startswith("re-ranking failed: ValueError: cannot predict an item with x0 = ")
    assert events[-1] == "error" and not q.learning  # a page says what failed, not "learning..."
    shown = [q.current]
    given = 4
    for _ in range(len(last_good) + 5):  # through the rest of the last good ranking, then random picks
        q.label(TRUTH[q.current])  # never raises: the label is stored, the queue moves on
        given += 1
        q.wait()
        shown.append(q.current)
    assert shown[: len(last_good) - 1] == last_good[1:]  # the last good ranking, in its order
    assert len(set(shown)) == len(shown) and None not in shown  # then other items: it goes on
    assert "the next items are picked at random" in q.error or q.error.startswith("re-ranking failed")
    s = q.session
    assert s.n_labels == given == stored_labels(s) and len(s.labels) == given
    broken.clear()  # the model can rank again: the next re-ranking clears the error
    q.label(TRUTH[q.current])
    q.wait()
    assert q.error == "" and events[-1] == "ranked" and len(q.upcoming) == 8


@pytest.mark.parametrize("background", [False, True])
def test_a_label_the_model_fails_to_learn_is_stored_reported_and_undone(background):
    learner = CannotPredictSome(bad_label="left")
    s = Session(X, learner, store=":memory:", classes=["left", "right"], background=background)
    q = LabelQueue(s)
    right = next(i for i in [q.current, *q.upcoming] if TRUTH[i] == "right")
    q.label("right", item=right)
    record = q.label("left")  # stored, then learning fails: label() returns all the same
    q.session.wait(raise_error=False)
    assert record.label == "left" and s.n_labels == 2 == stored_labels(s)
    assert q.error == "learning failed: ValueError: cannot learn the label 'left'" and not q.learning
    assert q.undo().item_id == record.item_id  # undo is the way out, and does not trip over the failure
    with pytest.raises(ValueError, match="cannot learn the label 'left'"):
        q.wait()  # a script that waits hears of it, once
    q.wait()
    q.label("right")
    q.wait()
    assert q.error == "" and s.n_labels == 2 == s.n_learned


def test_a_teams_queue_goes_on_through_a_failing_ranking_and_keeps_its_leases(tmp_path):
    from hitl_widgets import LabelStore
    from hitl_widgets.team import TeamLabelQueue

    broken = threading.Event()
    broken.set()
    url = str(tmp_path / "team.db")

    def queue(who):
        store = LabelStore(url, session="team")
        learner = CannotPredictSome(after=3, broken=broken)
        s = Session(X, learner, store=store, classes=["left", "right"], annotator=who)
        return TeamLabelQueue(s, prefetch=4, poll=0.05)

    ana, bo = queue("ana"), queue("bo")
    try:
        given = {"ana": [], "bo": []}
        for _ in range(12):
            for who, q in (("ana", ana), ("bo", bo)):
                item = q.current
                assert item is not None and item not in given["ana"] + given["bo"]  # never another's item
                q.label(TRUTH[item])  # never raises, though the model cannot rank after 3 labels
                given[who].append(item)
                q.wait()
        assert "failed: ValueError: cannot predict" in ana.error + bo.error
        mine = {w: [r.item_id for r in ana.session.store.events() if r.annotator == w] for w in given}
        assert sorted(mine["ana"]) == sorted(given["ana"]) and sorted(mine["bo"]) == sorted(given["bo"])
        assert ana.current not in {bo.current, *bo.upcoming}  # what is on screen stays leased to one annotator
    finally:
        ana.close(), bo.close()


@pytest.mark.parametrize("background", [False, True])
def test_a_refused_answer_stores_nothing_and_the_last_answer_is_still_ranked_after(background):
    q = LabelQueue(session(background=background))
    events = []
    q.on_change(events.append)
    first = q.current
    q.label(TRUTH[first])
    with pytest.raises(ValueError, match="labeled already"):
        q.skip(item=first)  # refused: nothing stored, and the re-ranking the label asked for still runs
    q.wait()
    assert not q.learning and q.session.n_labels == 1 and "ranked" in events
    assert first not in q.upcoming and q.current != first

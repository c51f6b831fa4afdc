"""LabelQueue: the pool-labeling loop with no widget, as a script drives it."""

from __future__ import annotations

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

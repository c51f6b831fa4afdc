"""Session: the labeling loop over a real SQLite store with real river and torch learners."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
from river import linear_model, naive_bayes
from sklearn.datasets import load_digits
from torch import nn

from hitl_widgets import LabelStore, Pool, Session, TorchClassifier
from hitl_widgets.learners import proba_matrix


def blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = np.array(["a", "b", "c"])[np.arange(n) % 3]
    centres = {"a": (-3, 0), "b": (3, 0), "c": (0, 4)}
    X = np.array([rng.normal(centres[c], 1.0) for c in y])
    return X, list(y)


def run(session, truth, n):
    for _ in range(n):
        (item,) = session.next()
        session.label(item, truth[item])


def test_loop_learns_and_everything_is_in_the_store(tmp_path):
    X, truth = blobs()
    X_test, y_test = blobs(60, seed=1)
    s = Session(
        X, naive_bayes.GaussianNB(), "margin", tmp_path / "l.db", classes=["a", "b", "c"], test=(X_test, y_test)
    )
    run(s, truth, 30)
    assert s.n_labels == 30 and len(s.history) == 30
    assert s.history[-1]["heldout_accuracy"] > 0.9
    # prequential accuracy on the items margin chose is lower: it asks where the model is unsure
    assert 0 < s.accuracy() < s.history[-1]["heldout_accuracy"]
    df = s.to_dataframe()
    assert len(df) == 30 and set(df["strategy"]) == {"margin"} and df["seconds"].notna().all()
    assert df["predicted"].notna().sum() >= 25  # what the model said when the item was shown


def test_reopening_the_store_resumes_exactly(tmp_path):
    X, truth = blobs()
    s1 = Session(X, linear_model.SoftmaxRegression(), "entropy", tmp_path / "l.db", classes=["a", "b", "c"])
    run(s1, truth, 20)
    s1.skip(s1.next()[0])
    expected_next = s1.next(3)
    p1 = proba_matrix(s1.learner, X, s1.classes)
    s1.close()
    s2 = Session(X, linear_model.SoftmaxRegression(), "entropy", tmp_path / "l.db", classes=["a", "b", "c"])
    assert s2.labels == s1.labels and s2.skipped == s1.skipped
    np.testing.assert_allclose(proba_matrix(s2.learner, X, s2.classes), p1)  # the model, rebuilt by replay
    assert s2.next(3) == expected_next  # the queue too
    assert [h["n_labels"] for h in s2.history] == [h["n_labels"] for h in s1.history]


@pytest.mark.parametrize("fast_undo", [True, False])
def test_undo_rolls_the_model_back(fast_undo):
    X, truth = blobs()
    s = Session(X, naive_bayes.GaussianNB(), classes=["a", "b", "c"], fast_undo=fast_undo)
    run(s, truth, 12)
    before = proba_matrix(s.learner, X, s.classes)
    (item,) = s.next()
    s.label(item, truth[item])
    assert s.undo().item_id == item
    np.testing.assert_allclose(proba_matrix(s.learner, X, s.classes), before)
    assert s.n_labels == 12 and len(s.history) == 12


def test_skipped_items_come_back_last():
    X, truth = blobs(9)
    s = Session(X, naive_bayes.GaussianNB(), "uniform", classes=["a", "b", "c"])
    first = s.next()[0]
    s.skip(first)
    seen = []
    for _ in range(8):
        (item,) = s.next()
        seen.append(item)
        s.label(item, truth[item])
    assert first not in seen and s.next() == [first]


def test_bad_input_is_refused_and_the_store_is_unchanged(tmp_path):
    X, truth = blobs(30)
    store = LabelStore(tmp_path / "l.db")
    s = Session(X, naive_bayes.GaussianNB(), store=store, classes=["a", "b", "c"])
    s.label(0, "a")
    n_events = len(store.events(include_undone=True))
    with pytest.raises(ValueError, match="unknown item id 999"):
        s.label(999, "a")
    with pytest.raises(ValueError, match="'zebra' is not one of the classes"):
        s.label(1, "zebra")
    with pytest.raises(ValueError, match="k must be between 1 and 29"):
        s.next(30)
    assert len(store.events(include_undone=True)) == n_events and s.n_labels == 1
    bad = X.copy()
    bad[4] = np.nan
    with pytest.raises(ValueError, match=r"1 row\(s\) hold NaN or infinite features: row 4, feature 0 \(nan\); row 4"):
        Session(bad, naive_bayes.GaussianNB())
    with pytest.raises(ValueError, match="empty"):
        Session(np.zeros((0, 2)), naive_bayes.GaussianNB())


def test_open_label_set_takes_new_classes():
    X, truth = blobs(30)
    s = Session(X, naive_bayes.GaussianNB())
    s.label(0, "a")
    s.label(1, "something new")
    assert s.classes == ["a", "something new"]


def test_background_learning_applies_every_label_once():
    X, truth = blobs(150)
    fg = Session(X, naive_bayes.GaussianNB(), "uniform", classes=["a", "b", "c"], seed=3)
    bg = Session(X, naive_bayes.GaussianNB(), "uniform", classes=["a", "b", "c"], seed=3, background=True)
    items = fg.next(60)
    for item in items:
        fg.label(item, truth[item])
        bg.label(item, truth[item])
    bg.wait()
    assert len(bg.history) == 60 == bg.n_labels
    np.testing.assert_allclose(proba_matrix(bg.learner, X, bg.classes), proba_matrix(fg.learner, X, fg.classes))
    bg.close()


def test_a_label_given_while_a_relabel_waits_in_the_worker_is_learned_once():
    X, truth = blobs(150)
    fg = Session(X, naive_bayes.GaussianNB(), "uniform", classes=["a", "b", "c"], seed=3)
    bg = Session(X, naive_bayes.GaussianNB(), "uniform", classes=["a", "b", "c"], seed=3, background=True)
    items = fg.next(40)
    for s in (fg, bg):
        for item in items[:30]:
            s.label(item, truth[item])
    bg.wait()
    started = threading.Event()
    release = threading.Event()
    bg.then(lambda: (started.set(), release.wait(5)))  # the worker is busy: what follows waits in its queue
    started.wait(5)
    slip = "b" if truth[items[0]] != "b" else "c"
    for s in (fg, bg):
        s.label(items[0], slip)  # a relabel 30 back: its replay is queued
        s.label(items[30], truth[items[30]])  # the next label, given before the replay ran
    release.set()
    bg.wait()
    assert bg.n_learned == fg.n_learned == 31 == len(bg.history)
    np.testing.assert_allclose(proba_matrix(bg.learner, X, bg.classes), proba_matrix(fg.learner, X, fg.classes))
    bg.close()


class GatedHead(TorchClassifier):
    """A torch head that, while ``GATE`` is closed, stops in ``learn_one`` (and says so)."""

    GATE = threading.Event()
    STOPPED = threading.Event()

    def learn_one(self, x, y):
        if not self.GATE.is_set():
            self.STOPPED.set()
            self.GATE.wait(10)
        super().learn_one(x, y)


def test_labeling_and_ranking_go_on_while_the_worker_learns_a_relabel_again():
    X = load_digits().data[:300] / 16.0
    y = load_digits().target[:300].tolist()
    classes = list(range(10))
    GatedHead.GATE.set()
    head = nn.Linear(64, 10)  # each learner trains its own copy, from the same weights
    bg = Session(X, GatedHead(head, output_classes=classes), "margin", classes=classes, background=True)
    fg = Session(X, TorchClassifier(head, output_classes=classes), "margin", classes=classes)
    for s in (fg, bg):
        for row in range(60):
            s.label(row, y[row])
    bg.wait()
    GatedHead.STOPPED.clear()
    GatedHead.GATE.clear()
    try:
        bg.label(10, (y[10] + 1) % 10)  # 50 back: the worker learns the 49 after it again, and stops at the first
        assert GatedHead.STOPPED.wait(10)
        done = threading.Event()
        go_on = threading.Thread(target=lambda: (bg.label(60, y[60]), bg.next(3), done.set()), daemon=True)
        go_on.start()
        assert done.wait(5), "a label and a ranking waited for the worker's replay"
        assert bg.n_labels == 61 and bg.n_learned == 60  # the model in use meanwhile: the one before the relabel
    finally:
        GatedHead.GATE.set()
    bg.wait()
    fg.label(10, (y[10] + 1) % 10)
    fg.label(60, y[60])
    assert bg.n_learned == 61 == len(bg.history)
    np.testing.assert_array_equal(bg.predict_proba(list(range(100, 140))), fg.predict_proba(list(range(100, 140))))
    bg.close()


def test_labels_in_the_pool_count_as_labeled():
    X, truth = blobs(30)
    df = pd.DataFrame(X, columns=["x", "y"])
    df["label"] = [truth[i] if i < 6 else None for i in range(30)]
    s = Session(Pool.from_dataframe(df, label_column="label"), naive_bayes.GaussianNB())
    assert s.n_labels == 6 and set(s.next(24)).isdisjoint(range(6))


def test_torch_learner_on_digits_with_kcenter():
    X, y = load_digits(return_X_y=True)
    X = X[:400] / 16.0
    s = Session(X, TorchClassifier(nn.Linear(64, 10), seed=0), "kcenter", classes=list(range(10)))
    for _ in range(60):
        (item,) = s.next()
        s.label(item, int(y[item]))
    assert s.accuracy() is not None
    p = proba_matrix(s.learner, X, s.classes)
    assert (p.argmax(1) == y[:400]).mean() > 0.8


SESSION_WRITER = """
import sys
import numpy as np
from river import naive_bayes
from hitl_widgets import Session
rng = np.random.default_rng(0)
X = rng.normal(size=(500, 2))
s = Session(X, naive_bayes.GaussianNB(), "uniform", sys.argv[1], classes=["a", "b"])
while True:
    (item,) = s.next()
    s.label(item, "a" if X[item, 0] < 0 else "b")
    print("ACK", item, flush=True)
"""


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_a_killed_session_resumes_with_every_acknowledged_label(tmp_path):
    path = tmp_path / "s.db"
    proc = subprocess.Popen([sys.executable, "-c", SESSION_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    acked: list[int] = []
    deadline = time.monotonic() + 90
    while len(acked) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("ACK"):
            acked.append(int(line.split()[1]))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(acked) >= 40
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 2))
    s = Session(X, naive_bayes.GaussianNB(), "uniform", path, classes=["a", "b"])
    assert set(acked) <= set(s.labels)
    assert len(s.labels) <= len(acked) + 1
    (item,) = s.next()  # and it goes on
    s.label(item, "a")

"""Undo and relabel go back through copies of the model: exactly the model that never saw the old label."""

from __future__ import annotations

import numpy as np
import pytest
from river import linear_model, multiclass, optim
from sklearn.datasets import load_digits

from hitl_widgets import Session
from hitl_widgets.learners.torch_classifier import default_learner
from hitl_widgets.sessions.pool.learning_log import DENSE_DEEPCOPY, FAR, keeps_copy

DIGITS = load_digits()
X, Y = DIGITS.data[:1500] / 16.0, DIGITS.target[:1500].tolist()
LABELS = list(range(10))


def torch_head():
    return default_learner(X.shape[1], LABELS, seed=0)


def river_head():
    return multiclass.OneVsRestClassifier(linear_model.LogisticRegression(optimizer=optim.SGD(0.1)))


def labeled(make, answers):
    """A session that learned ``answers`` ({row: label}, in order), as a new process would replay them."""
    s = Session(X, make(), "uniform", classes=LABELS)
    for row, y in answers.items():
        s.label(row, y)
    return s


@pytest.mark.parametrize("make", [torch_head, river_head], ids=["torch head", "river"])
def test_undo_and_relabel_equal_a_model_that_never_saw_the_old_label(make):
    order = list(range(0, 1500, 3))[:400]
    s = labeled(make, {row: Y[row] for row in order})
    probe = list(range(1, 60))
    # undo the last label: the model of the first 399
    s.undo()
    np.testing.assert_array_equal(
        s.predict_proba(probe), labeled(make, {r: Y[r] for r in order[:399]}).predict_proba(probe)
    )
    # relabel an item 30 labels back (a slip noticed late) and one 300 back
    for back in (30, 300):
        row = order[399 - back]
        s.label(row, (Y[row] + 1) % 10)
        want = {r: Y[r] for r in order[:399]}
        want[row] = (Y[row] + 1) % 10
        for earlier in (30, 300):
            if earlier < back:
                want[order[399 - earlier]] = (Y[order[399 - earlier]] + 1) % 10
        twin = labeled(make, want)
        np.testing.assert_array_equal(s.predict_proba(probe), twin.predict_proba(probe))
        # one history entry per label learned (prequential accuracy keeps the predictions shown at the time)
        assert [h["n_labels"] for h in s.history] == [h["n_labels"] for h in twin.history]
    # undo the relabel: back to the label it had
    s.undo()
    want[order[99]] = Y[order[99]]
    np.testing.assert_array_equal(s.predict_proba(probe), labeled(make, want).predict_proba(probe))


def test_a_change_further_back_than_any_copy_replays_everything_and_is_still_exact():
    n = FAR + 100
    rows = list(range(n))
    answers = {r: Y[r % 1500] for r in rows[: min(n, 1500)]}
    s = labeled(river_head, answers)
    first = rows[0]
    s.label(first, (Y[first] + 1) % 10)
    answers[first] = (Y[first] + 1) % 10
    probe = list(range(10))
    np.testing.assert_array_equal(s.predict_proba(probe), labeled(river_head, answers).predict_proba(probe))


def test_undoing_the_label_that_grew_a_torch_head_shrinks_it_back():
    from torch import nn

    from hitl_widgets import TorchClassifier

    module = nn.Linear(64, 1)  # one output: it grows as classes appear (each learner trains its own copy)

    def growing():
        return TorchClassifier(module, seed=0)

    rows = [r for r in range(300) if Y[r] in (0, 1, 2)][:40]
    new_class = next(r for r in range(300) if Y[r] == 7)
    s = Session(X, growing(), "uniform")  # an open label set
    for r in rows:
        s.label(r, Y[r])
    s.label(new_class, 7)
    assert len(s.learner.classes) == 4
    s.undo()
    twin = Session(X, growing(), "uniform")
    for r in rows:
        twin.label(r, Y[r])
    assert len(s.learner.classes) == 3 and s.learner.classes == twin.learner.classes
    np.testing.assert_array_equal(s.learner.predict_proba_many(X[:20]), twin.learner.predict_proba_many(X[:20]))
    for r in [r for r in range(300, 600) if Y[r] in (0, 1, 2)][:5]:  # and both go on learning alike
        s.label(r, Y[r])
        twin.label(r, Y[r])
    np.testing.assert_array_equal(s.learner.predict_proba_many(X[:20]), twin.learner.predict_proba_many(X[:20]))


def test_prequential_accuracy_after_an_undo_is_what_it_was_before_the_label():
    s = Session(X, river_head(), "margin", classes=LABELS)
    for _ in range(30):
        (item,) = s.next()
        s.label(item, Y[item])
    before = (s.accuracy(), s.history[-1])
    (item,) = s.next()
    s.label(item, (Y[item] + 1) % 10)  # a slip: a prediction shown, then a wrong label
    assert s.accuracy() != before[0]
    s.undo()
    assert (s.accuracy(), s.history[-1]) == before


@pytest.mark.parametrize("make", [torch_head, river_head], ids=["torch head", "river"])
def test_undo_after_undo_past_the_dense_copies_is_still_exact(make):
    order = list(range(0, 600, 3))[:150]
    s = labeled(make, {row: Y[row] for row in order})
    n_undos = s._model.log.dense + 6  # the later undos restore an earlier sparse copy and learn the labels after it
    for _ in range(n_undos):
        s.undo()
    twin = labeled(make, {row: Y[row] for row in order[: 150 - n_undos]})
    probe = list(range(1, 40, 2))
    np.testing.assert_array_equal(s.predict_proba(probe), twin.predict_proba(probe))
    assert s.history == twin.history


def test_a_relabel_takes_only_the_copies_kept_after_it():
    order = list(range(300))
    s = labeled(river_head, {row: Y[row] for row in order})
    s.label(order[100], (Y[order[100]] + 1) % 10)  # 200 back: 200 labels learned again
    assert sorted(s._model.log._saved) == [p for p in range(300) if keeps_copy(p, 300, DENSE_DEEPCOPY)]

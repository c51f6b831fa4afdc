"""One check suite over every learner the engine accepts, then the torch adapter's own guarantees."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch
from river import linear_model, naive_bayes
from sklearn.linear_model import SGDClassifier
from torch import nn

from hitl_widgets.learners import GMMClassifier, SklearnClassifier, TorchClassifier, proba_matrix
from hitl_widgets.learners.protocol import as_river_features
from hitl_widgets.learners.torch_classifier import default_learner


def small_cnn():
    """A 4-feature 'image' (2x2) CNN, to show that any module fits."""
    return nn.Sequential(nn.Unflatten(1, (1, 2, 2)), nn.Conv2d(1, 4, 1), nn.ReLU(), nn.Flatten(), nn.Linear(16, 2))


def seeded(make_module):
    """Modules initialise from torch's global generator: seed it, as a user who wants repeatable runs would."""
    torch.manual_seed(0)
    return make_module()


LEARNERS = {
    "river-softmax": lambda: linear_model.SoftmaxRegression(),
    "river-gaussian-nb": lambda: naive_bayes.GaussianNB(),
    "torch-linear": lambda: TorchClassifier(seeded(lambda: nn.Linear(4, 2)), seed=1),
    "torch-cnn": lambda: TorchClassifier(seeded(small_cnn), seed=1),
    "sklearn-sgd": lambda: SklearnClassifier(SGDClassifier(loss="log_loss", random_state=1), classes=["a", "b"]),
    "gmm": lambda: GMMClassifier(2, seed=1),
}


def stream(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = np.array(["a", "b"])[rng.integers(0, 2, n)]
    X = rng.normal(0, 1, (n, 4)) + np.where(y == "a", -1.5, 1.5)[:, None]
    return X, y


def feed(learner, X, y):
    river = type(learner).__module__.startswith("river")
    hits = 0
    for i, (x, label) in enumerate(zip(X, y, strict=True)):
        features = as_river_features(x) if river else x
        hits += i >= len(X) // 2 and learner.predict_one(features) == label
        learner.learn_one(features, label)
    return hits / (len(X) - len(X) // 2)


@pytest.mark.parametrize("name", LEARNERS)
def test_learner_contract(name):
    X, y = stream()
    X_before = X.copy()
    learner = LEARNERS[name]()
    accuracy = feed(learner, X, y)
    assert accuracy > 0.85, accuracy  # predicted before learned: prequential accuracy
    np.testing.assert_array_equal(X, X_before)  # inputs not mutated
    p = proba_matrix(learner, X[:20], ["a", "b"])
    np.testing.assert_allclose(p.sum(1), 1.0)
    assert (p[y[:20] == "a", 0] > 0.5).mean() > 0.8
    # the same seed and stream give the same model; a pickled copy predicts the same
    twin = LEARNERS[name]()
    feed(twin, X, y)
    np.testing.assert_allclose(proba_matrix(twin, X[:20], ["a", "b"]), p, rtol=1e-6, atol=1e-9)
    copy = pickle.loads(pickle.dumps(learner))
    np.testing.assert_allclose(proba_matrix(copy, X[:20], ["a", "b"]), p, rtol=1e-6, atol=1e-9)
    # a clone has the same parameters and has learned nothing (sessions rebuild models from clones)
    fresh = learner.clone()
    assert type(fresh) is type(learner)
    np.testing.assert_allclose(proba_matrix(fresh, X[:5], ["a", "b"]), 0.5)


def test_proba_matrix_before_any_label_is_uniform():
    for make in LEARNERS.values():
        p = proba_matrix(make(), np.zeros((3, 4)), ["a", "b"])
        np.testing.assert_allclose(p, 0.5)


def test_torch_classes_may_appear_late_and_the_head_grows():
    X, y = stream(100)
    clf = TorchClassifier(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), seed=0)
    clf.learn_many(X, y)
    rng = np.random.default_rng(1)
    third = rng.normal(0, 0.3, (60, 4)) + [0, 6, 0, 0]
    for x in third:
        clf.learn_one(x, "c")
    assert sorted(clf.classes) == ["a", "b", "c"] and clf.classes[-1] == "c"  # in order of appearance
    assert clf.predict_one(third[0]) == "c" and clf.predict_one(X[y == "a"][0]) == "a"
    assert clf.predict_proba_many(X[:5]).shape == (5, 3)


def test_torch_checkpoint_round_trip_and_no_code_runs_on_load(tmp_path):
    X, y = stream(80)
    clf = TorchClassifier(nn.Linear(4, 2), seed=0)
    clf.learn_many(X, y)
    clf.save(tmp_path / "model.pt")
    other = TorchClassifier(nn.Linear(4, 2), seed=5).load(tmp_path / "model.pt")
    np.testing.assert_allclose(other.predict_proba_many(X), clf.predict_proba_many(X))
    assert other.classes == clf.classes and all(type(c) is str for c in other.classes)

    class Payload:
        def __reduce__(self):
            return (print, ("code from a checkpoint ran",))

    torch.save({"state_dict": {}, "classes": [], "x": Payload()}, tmp_path / "evil.pt")
    with pytest.raises(Exception, match="(?i)weights only|unpickl"):
        TorchClassifier(nn.Linear(4, 2)).load(tmp_path / "evil.pt")


def test_the_default_heads_packed_weights_stay_its_own_through_copies_restores_and_growth():
    """The default head learns in memory its tensors view (linear_step.LinearAdam): a deep copy, a
    restored snapshot and a grown head each get their own, and learning gives the same numbers."""
    X, y = stream(120)
    a = default_learner(4, ["a", "b"], seed=0)
    a.learn_many(X[:60], y[:60])
    b = copy.deepcopy(a)
    saved = a.snapshot()
    a.learn_many(X[60:], y[60:])
    before = a.predict_proba_many(X)
    b.learn_many(X[60:], y[60:])  # the copy learns the same labels in its own memory
    np.testing.assert_array_equal(b.predict_proba_many(X), before)
    np.testing.assert_array_equal(a.predict_proba_many(X), before)  # and left the original as it was
    a.restore(saved)
    a.learn_many(X[60:], y[60:])
    np.testing.assert_array_equal(a.predict_proba_many(X), before)
    a.learn_one(X[0] + 5.0, "c")  # a third class grows the head: new tensors, packed again
    assert a.predict_proba_many(X).shape == (120, 3) and a.classes == ["a", "b", "c"]
    w = a.state()["state_dict"]
    assert np.isfinite(w["0.weight"].numpy()).all() and w["0.weight"].shape == (3, 4)


@pytest.mark.parametrize("fused", [True, False], ids=["fused kernel", "numpy"])
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no bias"])
def test_the_default_heads_written_out_adam_steps_match_torch_adam(monkeypatch, fused, bias):
    """LinearAdam (torch's fused Adam kernel, or numpy where there is none) against autograd and
    torch.optim.Adam on the same batches, over many steps, with and without a bias."""
    from hitl_widgets.learners import linear_step

    if not fused:
        monkeypatch.setattr(linear_step, "_FUSED_ADAM", None)
    elif linear_step._FUSED_ADAM is None:
        pytest.skip("this torch has no fused CPU Adam kernel")
    torch.manual_seed(0)
    head, twin = nn.Linear(6, 4, bias=bias), nn.Linear(6, 4, bias=bias)
    twin.load_state_dict(head.state_dict())
    opt, opt2 = torch.optim.Adam(head.parameters(), lr=0.05), torch.optim.Adam(twin.parameters(), lr=0.05)
    X, y = torch.randn(40, 6), torch.randint(0, 3, (40,))  # three classes on a four-output head
    rng = np.random.default_rng(0)
    fast = None
    for _ in range(20):
        batches = [rng.choice(40, size=9, replace=False) for _ in range(3)]
        fast = linear_step.LinearAdam.for_head(head, opt, fast)
        fast.steps(X.numpy(), y.numpy(), batches, 3)
        for idx in batches:
            loss = nn.functional.cross_entropy(twin(X[idx])[:, :3], y[idx])
            opt2.zero_grad()
            loss.backward()
            opt2.step()
    for mine, theirs in zip(head.parameters(), twin.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs, atol=2e-5, rtol=1e-4)
        moments, moments2 = opt.state[mine], opt2.state[theirs]
        torch.testing.assert_close(moments["exp_avg_sq"], moments2["exp_avg_sq"], atol=1e-6, rtol=1e-4)
        assert float(moments["step"]) == float(moments2["step"]) == 60.0
    assert not torch.equal(head.weight, twin.weight.new_zeros(4, 6))


def test_a_torch_learner_asked_for_no_steps_keeps_its_weights():
    clf = default_learner(3, ["a", "b"], seed=0)
    clf.steps = 0
    before = clf.predict_proba_many(np.eye(3))
    for i in range(40):
        clf.learn_one(np.eye(3)[i % 3], "ab"[i % 2])
    np.testing.assert_array_equal(clf.predict_proba_many(np.eye(3)), before)
    assert clf.n_labels == 40


def test_adapters_refuse_what_they_cannot_learn():
    with pytest.raises(ValueError, match="unknown label 'c'"):
        SklearnClassifier(SGDClassifier(), classes=["a", "b"]).learn_one([0, 0], "c")
    with pytest.raises(ValueError, match="no partial_fit"):
        from sklearn.svm import SVC

        SklearnClassifier(SVC(), classes=["a", "b"])
    with pytest.raises(ValueError, match="finite"):
        TorchClassifier(nn.Linear(2, 2)).learn_one([np.nan, 0.0], "a")
    with pytest.raises(ValueError, match="nn.Linear output layer"):
        TorchClassifier(nn.Sequential(nn.Flatten())).learn_one([0.0, 1.0], "a")

"""GMMClassifier, the gradient-descent GMM of the original challenge, closeness measures, GMMSession."""

from __future__ import annotations

import numpy as np
import pytest

from hitl_widgets import GMMClassifier, GMMSession, OnlineGMM, fit_gradient
from hitl_widgets.learners.gmm.metrics import compare_mixtures


def test_classifier_predicts_then_learns_and_undoes_exactly():
    rng = np.random.default_rng(1)
    clf = GMMClassifier(2)
    assert clf.predict_proba_one([0, 0]) == {} and clf.predict_one([0, 0]) is None
    for i in range(100):
        y = i % 2
        clf.learn_one(rng.normal(-3 if y else 3, 1, size=2), y)
    proba = clf.predict_proba_one([-3, -3])
    assert proba[1] > 0.99 and abs(sum(proba.values()) - 1) < 1e-12
    before = clf.predict_proba_one([0.1, 0.2])
    clf.learn_one([0.0, 0.0], 0)
    assert clf.undo().classes == [0]
    assert clf.predict_proba_one([0.1, 0.2]) == before
    with pytest.raises(ValueError):
        clf.learn_one([np.nan, 0], 5)
    assert clf.classes == [0, 1]  # a refused point adds no class


def test_gradient_gmm_standardises_safely_and_reports_explicit_params():
    one = fit_gradient(np.array([[2.0, 3.0]]), n_components=1, epochs=50)
    assert np.isfinite(one.score_samples([[2.0, 3.0]])).all()
    same = fit_gradient(np.tile([[1.0, 1.0]], (10, 1)), n_components=2, epochs=50)
    assert np.isfinite(np.array(same.params()["stddevs"])).all()
    rng = np.random.default_rng(0)
    X = rng.normal(0, 2, size=(300, 2))
    m = fit_gradient(X, n_components=1, epochs=400)
    p = m.params()
    np.testing.assert_allclose(np.array(p["stddevs"])[0] ** 2, np.diag(p["covariances"][0]))
    np.testing.assert_allclose(p["stddevs"][0], X.std(0), rtol=0.05)
    # densities are in the caller's units: same scale as the EM model on the same data
    em = OnlineGMM(1).fit(X)
    assert abs(m.score_samples(X).mean() - em.score_samples(X).mean()) < 0.02


def test_compare_identical_models_is_zero_and_different_is_positive():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-4, 1, (200, 2)), rng.normal(4, 1, (200, 2))])
    a = OnlineGMM(2, seed=0).fit(X)
    same = compare_mixtures(a, a, X, n_samples=2000)
    assert same["ll_gap"] == 0 and abs(same["kl"]) < 1e-12
    one = OnlineGMM(1).fit(X)  # merges the two blobs
    diff = compare_mixtures(a, one, X, n_samples=2000)
    assert diff["ll_gap"] > 0.5 and diff["kl"] > 0.5
    assert [m["mean_distance"] < 1e-9 for m in same["components"]] == [True, True]


def test_session_compare_and_status():
    s = GMMSession(3, prior_scale=0.5)
    with pytest.raises(ValueError, match="no points"):
        s.fit_batch()
    rng = np.random.default_rng(0)
    for x in rng.normal(0, 1, size=(40, 2)):
        s.add(x)
    res = s.compare(n_samples=2000)
    assert {"ll_gap", "kl", "online_ms", "batch_ms"} <= set(res)
    assert abs(res["ll_gap"]) < 0.05 and res["online_ms"] > 0 and res["batch_ms"] > 0
    assert s.status()["batch_n"] == 40
    with pytest.raises(ValueError, match="class index"):
        s.add([0, 0], label=12)
    assert s.n_points == 40

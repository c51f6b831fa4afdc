"""OnlineGMM: learning, exact undo and forget, degenerate input, batch reference."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from hitl_widgets import OnlineGMM
from hitl_widgets.data import five_blobs
from hitl_widgets.learners import gmm_math as gm


def blobs(n_per=100, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-5.0, -4.0], [5.0, 4.0], [0.0, 5.0]])
    X = np.concatenate([rng.normal(c, [1.0, 0.5], size=(n_per, 2)) for c in centres])
    return rng.permutation(X), centres


def state_of(g: OnlineGMM):
    n = g._n
    return (g._S.clone(), g._R[:n].clone(), g._phi[:n].clone(), g._k, n, g._rng.bit_generator.state)


def assert_sums_match_points(g: OnlineGMM):
    """The invariant of incremental EM: the statistics are exactly the responsibilities' sums."""
    S = g._R[: g._n].T @ g._phi[: g._n]
    torch.testing.assert_close(g._S, S, rtol=1e-9, atol=1e-8)


def test_recovers_blobs_and_matches_batch_em():
    X, centres = blobs()
    g = OnlineGMM(n_components=3, seed=0)
    g.learn_many(X)
    means = np.array(g.params()["means"])
    for c in centres:
        assert np.min(np.linalg.norm(means - c, axis=1)) < 0.3
    batch = OnlineGMM(n_components=3, seed=0, n_init=5).fit(X)
    assert abs(batch.score_samples(X).mean() - g.score_samples(X).mean()) < 0.01
    assert_sums_match_points(g)


def test_params_say_variances_and_stddevs_explicitly():
    X, _ = blobs(50)
    p = OnlineGMM(3).fit(X).params()
    cov, sd = np.array(p["covariances"]), np.array(p["stddevs"])
    np.testing.assert_allclose(sd**2, np.diagonal(cov, axis1=1, axis2=2))
    assert abs(sum(p["weights"]) - 1) < 1e-12 and p["n_points"] == len(X)
    assert all(isinstance(v, float) for v in p["weights"])


def test_undo_restores_the_model_bit_for_bit_through_births_merges_and_checks():
    X, _ = blobs(60, seed=3)
    X = X[np.argsort(X[:, 0])]  # left to right: births, merges and batch checks all happen
    g = OnlineGMM(n_components=2, seed=1)
    snapshots = []
    for x in X:
        snapshots.append((state_of(g) if g.n_points else None, g.params()))
        g.learn_one(x)
    assert g.n_merges > 0 and g._n_adopted > 0
    for before, params in reversed(snapshots[-150:]):
        g.undo()
        assert g.params() == params
        S, R, phi, k, n, rng = before
        assert torch.equal(g._S, S) and torch.equal(g._R[:n], R) and torch.equal(g._phi[:n], phi)
        assert (g._k, g._n, g._rng.bit_generator.state) == (k, n, rng)


def test_undo_past_the_journal_forgets_the_point_exactly():
    X, _ = blobs(20)
    g = OnlineGMM(3, undo_depth=5)
    g.learn_many(X)
    for _ in range(8):
        g.undo()
    assert g.n_points == len(X) - 8
    np.testing.assert_allclose(g.points, X[: len(X) - 8], atol=1e-12)
    assert_sums_match_points(g)


def test_forget_any_point_and_undo_to_empty():
    X, _ = blobs(10)
    g = OnlineGMM(3)
    g.learn_many(X)
    g.forget(4)
    assert g.n_points == len(X) - 1
    np.testing.assert_allclose(g.points, np.delete(X, 4, axis=0), atol=1e-12)
    assert_sums_match_points(g)
    while g.n_points:
        g.undo()
    assert g.params()["n_components"] == 0
    with pytest.raises(ValueError, match="holds no points"):
        g.undo()


coords = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coords, coords), min_size=1, max_size=40), st.integers(0, 3))
def test_any_finite_points_give_finite_parameters_and_consistent_sums(points, n_dupes):
    g = OnlineGMM(n_components=3, seed=0)
    for p in points + [points[0]] * n_dupes:
        g.learn_one(p)
    p = g.params()
    for key in ("weights", "means", "covariances", "stddevs"):
        assert np.isfinite(np.array(p[key])).all(), key
    assert np.isfinite(g.score_samples(np.array(points))).all()
    assert_sums_match_points(g)


@pytest.mark.parametrize(
    "X",
    [
        np.array([[1.0, 2.0]]),  # one point
        np.tile([[3.0, -1.0]], (500, 1)),  # duplicates
        np.c_[np.linspace(-5, 5, 200), 2 * np.linspace(-5, 5, 200) + 1],  # collinear
        np.array([[0.0, 0.0], [1e9, -1e9], [1e9 + 1, -1e9], [-3e8, 7e8]]),  # far outside the canvas
    ],
    ids=["one", "duplicates", "collinear", "far"],
)
def test_degenerate_input_never_gives_nan(X):
    g = OnlineGMM(n_components=4)
    g.learn_many(X)
    assert np.isfinite(np.array(g.params()["covariances"])).all()
    assert np.isfinite(g.score_samples(X)).all()
    batch = OnlineGMM(n_components=4).fit(X)
    assert np.isfinite(batch.score_samples(X)).all()


@pytest.mark.parametrize("bad", [[np.nan, 1.0], [1.0, np.inf], [1.0], [1.0, 2.0, 3.0], "ab"])
def test_bad_points_are_refused_and_change_nothing(bad):
    g = OnlineGMM(3)
    g.learn_many(blobs(5)[0])
    before = g.params()
    with pytest.raises(ValueError, match="OnlineGMM.learn_one"):
        g.learn_one(bad)
    assert g.params() == before


def test_fit_refuses_nan_rows_and_names_them():
    X = blobs(5)[0]
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"1 row\(s\) hold NaN .*\[3\]"):
        OnlineGMM(2).fit(X)


def test_update_cost_does_not_grow_with_n():
    """Each update touches O(refresh) stored points: the statistics never get a full pass."""
    g = OnlineGMM(3, batch_check=False)
    g.learn_many(blobs(400)[0])
    calls = []
    original = g._refresh
    g._refresh = lambda idx: (calls.append(len(idx)), original(idx))[1]
    g.learn_one([0.0, 0.0])
    assert calls and max(calls) <= g.refresh


def test_clone_pickle_and_seeding():
    X, _ = blobs(30)
    a, b = OnlineGMM(3, seed=7), OnlineGMM(3, seed=7)
    a.learn_many(X)
    b.learn_many(X)
    assert a.params() == b.params()
    c = pickle.loads(pickle.dumps(a))
    assert c.params() == a.params()
    c.learn_one([0, 0])
    assert a.n_points == len(X)  # the copy is independent
    assert a.clone().n_points == 0 and a.clone(seed=1).seed == 1
    X_before = X.copy()
    OnlineGMM(3).fit(X)
    np.testing.assert_array_equal(X, X_before)  # input not mutated
    assert copy.deepcopy(a).params() == a.params()


def test_batch_em_helpers_agree_with_direct_formulas():
    X = torch.randn(50, 2, dtype=gm.DTYPE)
    fit = gm.batch_em(
        X, 2, prior_scale=1.0, prior_count=1.0, reg=1e-6, n_init=2, generator=torch.Generator().manual_seed(0)
    )
    ll = gm.log_density(X, fit.weights, fit.means, fit.covariances).mean()
    assert abs(float(ll) - fit.mean_log_likelihood) < 1e-9
    np.testing.assert_allclose(fit.responsibilities.sum(1).numpy(), 1.0)


def test_an_idle_time_check_adopts_a_better_fit_from_scratch():
    X, z = five_blobs(600, seed=1)
    X = X[np.argsort(z, kind="stable")]  # cluster by cluster, the hard order
    g = OnlineGMM(n_components=5, seed=0, batch_check=False)  # no periodic checks: blobs get merged
    g.learn_many(X)
    reference = OnlineGMM(5, seed=0, n_init=5).fit(X).score_samples(X).mean()
    assert reference - g.score_samples(X).mean() > 0.1
    assert g.check_against_batch()
    assert reference - g.score_samples(X).mean() < 0.005
    assert_sums_match_points(g)
    g.undo()  # after an adoption the journal is gone: undo forgets the last point exactly instead
    assert g.n_points == len(X) - 1
    assert_sums_match_points(g)

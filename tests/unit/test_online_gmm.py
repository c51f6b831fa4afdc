"""OnlineGMM: learning, exact undo and forget, degenerate input, fits from scratch, structural moves."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from hitl_widgets import OnlineGMM
from hitl_widgets.data.clicks import click_sequence
from hitl_widgets.learners.gmm import batch as gmm_batch
from hitl_widgets.learners.gmm import maths as gmm_math


def blobs(n_per=100, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-5.0, -4.0], [5.0, 4.0], [0.0, 5.0]])
    X = np.concatenate([rng.normal(c, [1.0, 0.5], size=(n_per, 2)) for c in centres])
    return rng.permutation(X), centres


def state_of(g: OnlineGMM):
    """Everything that defines the model, as plain arrays (bit-for-bit comparisons)."""
    s = g._state
    return (s.S.copy(), s.R[: s.n].copy(), s.phi[: s.n].copy(), s.since.copy(), s.n, s.k, s.n_pending, g._counters())


def same_state(a, b) -> bool:
    return all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y for x, y in zip(a, b, strict=True))


def assert_sums_match_points(g: OnlineGMM):
    """The invariant of incremental EM: the statistics are exactly the responsibilities' sums."""
    s = g._state
    np.testing.assert_allclose(s.S[: s.k], s.R[: s.n, : s.k].T @ s.phi[: s.n], rtol=1e-9, atol=1e-8)
    assert np.allclose(s.R[: s.n, : s.k].sum(1), 1.0)


def test_recovers_blobs_and_matches_batch_em():
    X, centres = blobs()
    g = OnlineGMM(n_components=3, seed=0)
    for x in X:
        g.learn_one(x)
    means = np.array(g.params()["means"])
    for c in centres:
        assert np.min(np.linalg.norm(means - c, axis=1)) < 0.3
    batch = OnlineGMM(n_components=3, seed=0).fit(X)
    assert abs(batch.score_samples(X).mean() - g.score_samples(X).mean()) < 0.01
    assert_sums_match_points(g)


def test_auto_finds_the_number_of_well_separated_clusters_clicked_one_after_another():
    for k, seed in [(1, 0), (2, 1), (3, 2), (5, 3), (7, 4)]:
        seq = click_sequence("blobs", "cluster", n_clusters=k, sizes=(30, 60), seed=seed)
        g = OnlineGMM("auto", seed=seed, prior_scale=0.5)
        for x in seq.points:
            g.learn_one(x)
        assert g.n_components_used == k, (k, seed)
        centres = np.array([seq.points[seq.cluster == c].mean(0) for c in range(k)])
        means = np.array(g.params()["means"])
        assert np.linalg.norm(centres[:, None] - means[None], axis=2).min(1).max() < 0.5


def test_params_say_variances_and_stddevs_explicitly():
    X, _ = blobs(50)
    p = OnlineGMM(3).fit(X).params()
    cov, sd = np.array(p["covariances"]), np.array(p["stddevs"])
    np.testing.assert_allclose(sd**2, np.diagonal(cov, axis1=1, axis2=2))
    assert abs(sum(p["weights"]) - 1) < 1e-12 and p["n_points"] == len(X) and p["n_components"] == 3
    assert all(isinstance(v, float) for v in p["weights"])


def undo_all_the_way(g: OnlineGMM, points: np.ndarray, adopt_at: tuple[int, ...]) -> set[str]:
    """Learn ``points`` (with idle-time checks after ``adopt_at``), then undo every step; the moves seen."""
    before, moves = [], set()
    for i, x in enumerate(points):
        before.append((state_of(g) if g.n_points else None, g.params()))
        counts = (g.n_merges, g.n_splits, g.n_candidates)
        g.learn_one(x)
        after = (g.n_merges, g.n_splits, g.n_candidates)
        moves |= {name for name, a, b in zip(("merge", "split", "candidate"), counts, after, strict=True) if b > a}
        if i in adopt_at and g.check_against_batch():  # journaled with the last click
            moves.add("adoption")
    for state, params in reversed(before):
        g.undo()
        if state is None:
            assert g.n_points == 0
            break
        assert same_state(state_of(g), state) and g.params() == params
    return moves


def test_undo_restores_the_model_bit_for_bit_through_births_merges_splits_and_adoptions():
    moves = set()
    for seed, layout in enumerate(["overlapping", "square", "moons"]):
        seq = click_sequence(layout, "brush", n_clusters=5, sizes=(15, 40), seed=seed)
        g = OnlineGMM(n_components=4, seed=1, prior_scale=0.5, undo_depth=400)
        moves |= undo_all_the_way(g, seq.points, adopt_at=(60, 90))
    assert {"merge", "split", "candidate", "adoption"} <= moves, moves


def test_an_adopted_fit_is_undone_with_the_last_point():
    seq = click_sequence("moons", "cluster", n_clusters=3, seed=0)
    g = OnlineGMM(3, seed=0, prior_scale=0.5)
    for x in seq.points[:-1]:
        g.learn_one(x)
    before = state_of(g)
    g.learn_one(seq.points[-1])
    ll = g.score_samples(seq.points).mean()
    adopted = g.check_against_batch()
    assert g.score_samples(seq.points).mean() >= ll - 1e-9  # never worse on the points it saw
    assert adopted == (g.n_adopted == 1) and g.last_adoption is not None or not adopted
    g.undo()
    assert same_state(state_of(g), before)


def test_undo_past_the_journal_forgets_the_point_exactly():
    X, _ = blobs(20)
    g = OnlineGMM(3, undo_depth=5)
    for x in X:
        g.learn_one(x)
    for _ in range(8):
        g.undo()
    assert g.n_points == len(X) - 8
    np.testing.assert_allclose(g.points, X[: len(X) - 8], atol=1e-12)
    assert_sums_match_points(g)


def test_learn_many_is_one_step_and_fits_large_batches_from_scratch():
    X, centres = blobs(400)
    g = OnlineGMM("auto", seed=0)
    g.learn_one([0.0, 0.0])
    before = state_of(g)
    g.learn_many(X)  # 1,200 rows: stored, then fitted from scratch (K by BIC)
    assert g.n_points == len(X) + 1 and g.n_components_used == 3
    assert_sums_match_points(g)
    g.undo()
    assert same_state(state_of(g), before)
    g.learn_many(X[:20])  # a few rows: learned one by one, still one step
    g.undo()
    assert same_state(state_of(g), before)


def test_forget_any_point_and_undo_to_empty():
    X, _ = blobs(10)
    g = OnlineGMM(3)
    for x in X:
        g.learn_one(x)
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
@given(st.lists(st.tuples(coords, coords), min_size=1, max_size=40), st.integers(0, 3), st.sampled_from([3, "auto"]))
def test_any_finite_points_give_finite_parameters_and_consistent_sums(points, n_dupes, k):
    g = OnlineGMM(n_components=k, seed=0)
    for p in points + [points[0]] * n_dupes:
        g.learn_one(p)
    p = g.params()
    for key in ("weights", "means", "covariances", "stddevs"):
        assert np.isfinite(np.array(p[key])).all(), key
    assert np.isfinite(g.score_samples(np.array(points))).all()
    assert 1 <= p["n_components"] <= g.capacity
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
    for x in X:
        g.learn_one(x)
    assert np.isfinite(np.array(g.params()["covariances"])).all()
    assert np.isfinite(g.score_samples(X)).all()
    batch = OnlineGMM(n_components=4).fit(X)
    assert np.isfinite(batch.score_samples(X)).all()


@pytest.mark.parametrize("bad", [[np.nan, 1.0], [1.0, np.inf], [1.0], [1.0, 2.0, 3.0], "ab"])
def test_bad_points_are_refused_and_change_nothing(bad):
    g = OnlineGMM(3)
    for x in blobs(5)[0]:
        g.learn_one(x)
    before = g.params()
    with pytest.raises(ValueError, match="OnlineGMM.learn_one"):
        g.learn_one(bad)
    assert g.params() == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_components": 0}, "n_components must be a whole number of at least 1"),
        ({"n_components": 2.5}, "n_components must be a whole number"),
        ({"n_components": True}, "n_components must be a whole number"),
        ({"n_components": "three"}, 'or "auto"'),
        ({"max_components": 0}, "max_components"),
        ({"prior_scale": 0}, "prior_scale must be a positive number"),
        ({"undo_depth": 0}, "undo_depth must be a whole number"),
    ],
)
def test_bad_constructor_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        OnlineGMM(**kwargs)


def test_fit_refuses_nan_rows_and_names_them():
    X = blobs(5)[0]
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"1 row\(s\) hold NaN .*\[3\]"):
        OnlineGMM(2).fit(X)


def test_a_click_rewrites_only_a_bounded_number_of_responsibilities():
    """Each update touches the new point and ``refresh`` others: no pass over all N points."""
    X, _ = blobs(400)
    g = OnlineGMM(3, refresh=32)
    for x in X:
        g.learn_one(x)
    changed = []
    for x in blobs(5, seed=9)[0]:
        before = g._state.R[: g.n_points].copy()
        merges, splits = g.n_merges, g.n_splits
        g.learn_one(x)
        if (g.n_merges, g.n_splits) == (merges, splits):
            changed.append(int((g._state.R[: len(before)] != before).any(1).sum()))
    assert changed and max(changed) <= 32


def test_one_stray_click_does_not_stretch_a_cluster():
    """A click in a corner, then three clusters with K = 3: the stray click waits outside the mixture."""
    rng = np.random.default_rng(5)
    centres = np.array([[-5.0, -4.0], [4.0, -3.0], [-1.0, 4.0]])
    clusters = [rng.normal(c, 0.6, size=(40, 2)) for c in centres]
    g = OnlineGMM(3, seed=0, prior_scale=0.5)
    for x in np.concatenate([[[9.5, 7.5]], *clusters]):
        g.learn_one(x)
    assert g.n_components_used == 3 and g.n_candidates == 1
    assert np.array(g.params()["stddevs"]).max() < 0.9
    batch = OnlineGMM(3).fit(np.concatenate(clusters))  # the clusters alone, no stray click
    held_out = np.concatenate([rng.normal(c, 0.6, size=(200, 2)) for c in centres])
    assert batch.score_samples(held_out).mean() - g.score_samples(held_out).mean() < 0.02


def test_a_clusters_far_tail_waiting_as_a_candidate_still_counts_in_its_ellipse():
    """With every slot taken, a point 4.5 sd out waits as a candidate; the drawn component counts it (a batch
    fit with K components would), while a stray click far beyond any component's reach still does not."""
    rng = np.random.default_rng(3)
    cluster = rng.normal(0.0, 1.0, size=(60, 2))
    tail = np.array([[4.5, 0.0]])

    def drawn(points):
        g = OnlineGMM(1, seed=0, prior_scale=0.5)
        for x in points:
            g.learn_one(x)
        return g, np.array(g.params()["covariances"][0])

    _, without = drawn(cluster)
    g, with_tail = drawn(np.concatenate([cluster, tail]))
    assert g.n_candidates == 1 and g.n_components_used == 1
    _, batch = drawn(np.concatenate([tail, cluster]))  # first, the tail point starts the component itself
    assert with_tail[0, 0] > without[0, 0] + 0.2
    np.testing.assert_allclose(with_tail, batch, atol=0.05)
    g, with_stray = drawn(np.concatenate([cluster, [[40.0, 30.0]]]))
    assert g.n_candidates == 1
    np.testing.assert_array_equal(with_stray, without)


def test_a_split_test_finds_two_long_clusters_side_by_side():
    """Two long parallel clusters in one component: cut along the principal axis, EM stays in the wrong
    split; the minor axis's start finds them (the split a fixed K takes)."""
    from hitl_widgets.learners.gmm.moves import component_penalty, propose_split

    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal([0, 1], [5, 0.3], (48, 2)), rng.normal([0, -1], [5, 0.3], (48, 2))])
    phi, prior = gmm_math.features(X), gmm_batch.Prior(scale=0.5, count=1.0, reg=1e-6)
    one_start = propose_split(phi, np.ones(96), 96, 2, prior, n_starts=1)
    three = propose_split(phi, np.ones(96), 96, 2, prior)
    assert one_start.gain < component_penalty(2, 96, auto=False) < three.gain
    assert sorted(np.round(three.halves.means[:, 1]).tolist()) == [-1.0, 1.0]


def test_clone_pickle_and_seeding():
    X, _ = blobs(30)
    a, b = OnlineGMM(3, seed=7), OnlineGMM(3, seed=7)
    for x in X:
        a.learn_one(x)
        b.learn_one(x)
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
    X = torch.randn(50, 2, dtype=torch.float64)
    prior = gmm_batch.Prior(scale=1.0, count=1.0, reg=1e-6)
    fit = gmm_batch.batch_em(X, 2, prior, n_init=2, generator=torch.Generator().manual_seed(0))
    m = fit.mixture
    t = torch.from_numpy
    ll = gmm_math.log_density(X, t(m.weights), t(m.means), t(m.covariances)).mean()
    assert abs(float(ll) - fit.mean_log_likelihood) < 1e-9
    np.testing.assert_allclose(fit.responsibilities.sum(1).numpy(), 1.0)


def test_a_check_from_scratch_adopts_a_better_fit_and_reports_it():
    seq = click_sequence("moons", "cluster", n_clusters=3, seed=0)
    g = OnlineGMM(3, seed=0, prior_scale=0.5)
    for x in seq.points:
        g.learn_one(x)
    held_out = seq.heldout_so_far(len(seq.points))
    before = g.score_samples(held_out).mean()
    proposal = g.propose_from_scratch()
    assert proposal.n_points == len(seq.points) and proposal.seconds > 0
    assert g.adopt(proposal)
    assert g.n_adopted == 1 and g.last_adoption["n_points"] == len(seq.points)
    assert g.score_samples(held_out).mean() > before
    assert_sums_match_points(g)
    assert not g.adopt(proposal)  # the same fit again gains nothing


@pytest.mark.parametrize(
    "layout, order, k, seed",
    [
        ("blobs", "cluster", 3, 0),
        ("blobs", "brush", 5, 1),
        ("elongated", "cluster", 4, 2),
        ("elongated", "brush", 2, 3),
        ("overlapping", "cluster", 5, 4),
        ("overlapping", "brush", 3, 5),
        ("outlier", "cluster", 4, 6),
        ("blobs", "cluster", 8, 7),
    ],
)
def test_clicked_cluster_after_cluster_it_stays_within_batch_em_after_every_cluster(layout, order, k, seed):
    """The issue's target on fixed seeds: <= 0.05 nats/point behind scikit-learn's batch EM after each cluster."""
    from hitl_widgets.learners.gmm.metrics import checkpoint_gaps

    seq = click_sequence(layout, order, n_clusters=k, seed=seed)
    records, _ = checkpoint_gaps(lambda: OnlineGMM(k, seed=seed, prior_scale=0.7), seq, k, seed=seed)
    assert len(records) == k
    assert max(r["gap"] for r in records) <= 0.05, records


@pytest.mark.slow
def test_auto_meets_the_target_against_a_bic_chosen_batch_em():
    """With "auto" the reference picks K by BIC: >= 95% of checkpoints within 0.05 nats/point, none above 0.25."""
    from hitl_widgets.learners.gmm.metrics import checkpoint_gaps

    gaps = []
    for seed, (layout, order, k) in enumerate(
        [
            (lay, order, k)
            for lay in ("blobs", "elongated", "overlapping")
            for order in ("cluster", "brush")
            for k in (3, 5)
        ]
    ):
        seq = click_sequence(layout, order, n_clusters=k, seed=seed)
        records, _ = checkpoint_gaps(lambda s=seed: OnlineGMM("auto", seed=s, prior_scale=0.7), seq, "auto", seed=seed)
        gaps += [r["gap"] for r in records]
    gaps = np.array(gaps)
    assert len(gaps) == 48 and np.mean(gaps <= 0.05) >= 0.95 and gaps.max() <= 0.25, np.round(np.sort(gaps)[-5:], 3)


@pytest.mark.parametrize("layout, k, seed, every", [("ring", 4, 4, 5), ("square", 3, 4, 5), ("square", 4, 1, 3)])
def test_stray_clicks_among_clusters_with_every_slot_taken_keep_the_model_consistent(layout, k, seed, every):
    """Stray clicks between brush strokes: candidates fill every spare slot while K is full, and splits still run.

    (These sequences once made a split look for a column that no longer existed.)
    """
    seq = click_sequence(layout, "brush", n_clusters=5, sizes=(40, 80), seed=seed)
    rng = np.random.default_rng(seed)
    g = OnlineGMM(k, seed=0, prior_scale=0.5)
    for i, x in enumerate(seq.points):
        g.learn_one(rng.uniform(-10, 10, 2) if i % every == every - 1 else x)
        assert g.n_components_used <= k and g.n_candidates <= 3
    assert_sums_match_points(g)
    assert np.isfinite(g.score_samples(seq.points)).all()

"""One check suite run over every sampler, then each strategy against a brute-force reference."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from hitl_widgets import samplers
from hitl_widgets.samplers import scores

NAMES = [*samplers.SAMPLERS, "bandit", "mixture_of_samplers-margin-0.5-kcenter-0.5"]


def pool(n=60, c=4, d=5, seed=0):
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.ones(c), size=n)
    embeddings = rng.normal(size=(n, d))
    labeled = np.zeros(n, dtype=bool)
    labeled[rng.choice(n, size=n // 5, replace=False)] = True
    return proba, embeddings, labeled


@pytest.mark.parametrize("name", NAMES)
def test_generic_contract(name):
    proba, embeddings, labeled = pool()
    copies = proba.copy(), embeddings.copy(), labeled.copy()
    a = samplers.get(name, seed=3)
    picks = a.select(7, proba=proba, embeddings=embeddings, labeled=labeled)
    assert picks.dtype == np.int64 and len(picks) == 7 and len(set(picks.tolist())) == 7
    assert not labeled[picks].any()
    for before, after in zip(copies, (proba, embeddings, labeled), strict=True):
        np.testing.assert_array_equal(before, after)  # inputs not mutated
    # the same seed gives the same picks; so do a clone and a pickled copy of a fresh sampler
    again = samplers.get(name, seed=3).select(7, proba=proba, embeddings=embeddings, labeled=labeled)
    np.testing.assert_array_equal(picks, again)
    fresh = samplers.get(name, seed=3)
    for twin in (fresh.clone(), pickle.loads(pickle.dumps(fresh))):
        np.testing.assert_array_equal(twin.select(7, proba=proba, embeddings=embeddings, labeled=labeled), picks)
    # index arrays work as well as masks
    by_index = samplers.get(name, seed=3).select(7, proba=proba, embeddings=embeddings, labeled=np.flatnonzero(labeled))
    np.testing.assert_array_equal(by_index, picks)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 40), k_frac=st.floats(0.01, 1.0), labeled_frac=st.floats(0.0, 0.9), seed=st.integers(0, 99))
def test_any_pool_gives_distinct_unlabeled_picks(name, n, k_frac, labeled_frac, seed):
    proba, embeddings, _ = pool(n, seed=seed)
    rng = np.random.default_rng(seed)
    labeled = rng.random(n) < labeled_frac
    if labeled.all():
        labeled[0] = False
    k = max(1, int(k_frac * (~labeled).sum()))
    picks = samplers.get(name, seed=seed).select(k, proba=proba, embeddings=embeddings, labeled=labeled)
    assert len(picks) == k == len(set(picks.tolist())) and not labeled[picks].any()


def test_bad_input_is_refused_with_a_clear_message():
    proba, embeddings, labeled = pool()
    margin = samplers.MarginSampler()
    with pytest.raises(ValueError, match="positive integer"):
        margin.select(0, proba=proba)
    with pytest.raises(ValueError, match="asked for 49 items but only 48 are unlabeled"):
        margin.select(49, proba=proba, labeled=labeled)
    with pytest.raises(ValueError, match="the pool is empty"):
        margin.select(1, proba=np.zeros((0, 4)))
    with pytest.raises(ValueError, match="disagree on the pool size"):
        margin.select(1, proba=proba, embeddings=embeddings[:10])
    with pytest.raises(ValueError, match=r"labeled indices must lie in \[0, 60\)"):
        margin.select(1, proba=proba, labeled=np.array([3, 60]))
    bad = proba.copy()
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match=r"proba holds NaN or infinite values \(first rows: \[5\]\)"):
        margin.select(1, proba=bad)
    bad_x = embeddings.copy()
    bad_x[7, 0] = np.inf
    with pytest.raises(ValueError, match="embeddings holds NaN"):
        samplers.KCenterGreedySampler().select(1, embeddings=bad_x)


def test_missing_inputs_and_unknown_names_are_explained():
    proba, embeddings, _ = pool()
    with pytest.raises(ValueError, match="needs embeddings="):
        samplers.KCenterGreedySampler().select(2, proba=proba)
    with pytest.raises(ValueError, match="needs proba="):
        samplers.EntropySampler().select(2, embeddings=embeddings)
    with pytest.raises(ValueError, match="unknown sampler 'marginal'"):
        samplers.get("marginal")
    with pytest.raises(ValueError, match="sum to 0.900"):
        samplers.get("mixture_of_samplers-margin-0.5-uniform-0.4")


@pytest.mark.parametrize("name", ["least_confidence", "margin", "entropy"])
def test_uncertainty_picks_match_a_full_sort(name):
    proba, _, labeled = pool(n=5000, c=10, seed=1)
    s = {"least_confidence": 1 - proba.max(1), "margin": None, "entropy": -(proba * np.log(proba)).sum(1)}[name]
    if s is None:
        top2 = np.sort(proba, axis=1)[:, -2:]
        s = top2[:, 0] - top2[:, 1]
    expected = [i for i in np.argsort(-s, kind="stable") if not labeled[i]][:50]
    picks = samplers.get(name).select(50, proba=proba, labeled=labeled)
    assert picks.tolist() == expected


def test_kcenter_matches_the_textbook_greedy():
    _, X, labeled = pool(n=400, d=8, seed=2)
    picks = samplers.KCenterGreedySampler().select(20, embeddings=X, labeled=labeled)
    centres, expected = list(np.flatnonzero(labeled)), []
    for _ in range(20):
        d = cdist(X, X[centres + expected]).min(1)
        d[centres + expected] = -1
        expected.append(int(np.argmax(d)))
    assert picks.tolist() == expected


def test_informative_diverse_keeps_cluster_shares():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-6, 1, (300, 2)), rng.normal(6, 1, (100, 2))])
    proba = np.tile([0.9, 0.1], (400, 1))
    proba[:300] = [0.55, 0.45]  # the big cluster is the uncertain one
    picks = samplers.InformativeDiverseSampler(seed=0).select(20, proba=proba, embeddings=X)
    assert (picks >= 300).sum() == 5  # 100 / 400 of the batch, though margin alone would take none
    assert (samplers.MarginSampler().select(20, proba=proba) >= 300).sum() == 0


def test_graph_density_prefers_dense_regions_and_spreads():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 0.3, (50, 2)), rng.normal(8, 0.3, (50, 2)), rng.uniform(-20, 20, (20, 2))])
    picks = samplers.GraphDensitySampler(n_neighbors=8).select(2, embeddings=X)
    assert sorted(int(p) // 50 for p in picks) == [0, 1]  # one per dense blob, none from the sparse noise


def test_exp3_moves_towards_the_rewarded_sampler():
    proba, embeddings, _ = pool()
    bandit = samplers.get("bandit", samplers=["margin", "uniform"], gamma=0.2, seed=0)
    for _ in range(40):
        bandit.select(1, proba=proba, embeddings=embeddings)
        used = list(bandit.samplers)[bandit._arm]
        bandit.update(1.0 if used == "margin" else 0.0)
    assert bandit.probabilities()["margin"] > 0.8


def test_active_sampling_percentage_shares_the_batch_with_uniform():
    proba, _, _ = pool(n=100)
    mix = samplers.get("margin", active_sampling_percentage=0.7, seed=0)
    picks = mix.select(10, proba=proba)
    np.testing.assert_array_equal(picks[:7], samplers.MarginSampler().select(7, proba=proba))


def test_threshold_gate_respects_its_budget_and_adapts():
    gate = samplers.ThresholdGate(threshold=0.9, budget=0.2)
    rng = np.random.default_rng(0)
    asked = [gate.ask({"a": p, "b": 1 - p}) for p in rng.uniform(0.5, 1.0, 2000)]
    assert 0.15 <= np.mean(asked) <= 0.2 + 1e-9
    assert gate.current_threshold != 0.9
    with pytest.raises(ValueError, match="budget"):
        samplers.ThresholdGate(budget=0)


def test_top_k_breaks_ties_by_index():
    s = np.zeros(1000)
    assert scores.top_k(s, 5).tolist() == [0, 1, 2, 3, 4]


def test_river_entropy_sampler_and_our_gate_run_the_same_stream_loop():
    from river import active, feature_extraction, linear_model

    def run(make_gate):
        model = feature_extraction.BagOfWords() | linear_model.LogisticRegression()
        gate = make_gate(model)
        river_gate = isinstance(gate, active.EntropySampler)  # it wraps the model and learns through it
        asked = correct = 0
        for x, y in _toy_stream():
            y_pred, ask = samplers.decide(gate, model, x)
            correct += y_pred == y
            if ask:
                asked += 1
                (gate if river_gate else model).learn_one(x, y)
        return asked, correct

    river_asked, river_correct = run(lambda m: active.EntropySampler(m, discount_factor=3, seed=0))
    ours_asked, ours_correct = run(lambda m: samplers.ThresholdGate(threshold=0.8, budget=0.3))
    for asked, correct in [(river_asked, river_correct), (ours_asked, ours_correct)]:
        assert 0 < asked < 400 and correct > 300  # asks for few labels and still predicts well
    assert ours_asked <= 0.3 * 400 + 1  # the budget holds


def _toy_stream(n=400, seed=0):
    rng = np.random.default_rng(seed)
    spam, ham = ["win", "free", "prize", "cash", "now"], ["lunch", "meeting", "tomorrow", "see", "you"]
    for _ in range(n):
        is_spam = bool(rng.random() < 0.4)
        words = rng.choice(spam if is_spam else ham, size=4).tolist() + rng.choice(spam + ham, size=1).tolist()
        yield " ".join(words), is_spam

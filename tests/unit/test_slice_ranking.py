"""A very large pool ranked a slice at a time: every item is looked at within a bounded number of re-ranks,
the best so far is carried, and with the model unchanged the pick is the whole pool's best by then."""

from __future__ import annotations

import numpy as np
from river import linear_model

from hitl_widgets import Session
from hitl_widgets.samplers import scores
from hitl_widgets.sessions.pool.ranking import SliceRanking


def test_every_row_is_scored_within_the_rounds_and_the_best_is_carried():
    ranking = SliceRanking(10_000, size=1_000, carry=5, seed=3, block=64)
    avoid = np.zeros(10_000, dtype=bool)
    avoid[::7] = True  # labeled or skipped
    seen = set()
    for _ in range(ranking.rounds):
        rows = ranking.candidates(avoid)
        assert len(rows) == len(set(rows.tolist())) and not avoid[rows].any()
        assert set(ranking.best.tolist()) - set(np.flatnonzero(avoid).tolist()) <= set(rows.tolist())
        ranking.keep(rows[::-1])
        seen |= set(rows.tolist())
    assert seen == set(np.flatnonzero(~avoid).tolist())  # nobody waits longer than `rounds` re-ranks


def blobs(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(-1, 1, (n // 2, 2)), rng.normal(1, 1, (n // 2, 2))]
    return X, [False] * (n // 2) + [True] * (n // 2)


def test_a_session_ranks_slices_of_a_large_pool_and_finds_the_best_within_the_rounds():
    X, truth = blobs(6_000)
    sliced = Session(X, linear_model.LogisticRegression(), "margin", classes=[False, True], rank_slice=1_000)
    whole = Session(X, linear_model.LogisticRegression(), "margin", classes=[False, True], rank_slice=None)
    for s in (sliced, whole):
        for row in (0, 1, 5_999, 5_998, 17, 4_000):
            s.label(row, truth[row])
    assert sliced.rank_slice == 1_000 and whole.rank_slice is None
    best = whole.next(3)
    margin = scores.margin(whole.predict_proba())
    margin[[0, 1, 5_999, 5_998, 17, 4_000]] = -np.inf
    assert best == scores.top_k(margin, 3).tolist()  # the whole pool: the three least sure
    rounds = SliceRanking(6_000, 1_000).rounds  # 6,000 items in slices of 1,024 (two blocks of 512)
    assert rounds == 6
    picks = [sliced.next(3) for _ in range(rounds)]
    for pick in picks:
        assert len(set(pick)) == 3 and not set(pick) & {0, 1, 5_999, 5_998, 17, 4_000}
    assert picks[-1] == best  # the same model: by the last slice the carried best is the whole pool's best
    assert picks[0] != best  # (and not from the first slice alone)
    sliced.rank_slice = None  # back to the whole pool, at once
    assert sliced.next(3) == best

"""Which items come next: the sampler's pick (:func:`pick`), and a very large pool ranked a slice at a time.

Scoring every item after every label costs time in proportion to the pool:
about 300 ms at 1,000,000 items for the default head (the forward pass, the
softmax, the margin). For a sampler that scores items one by one (margin,
entropy, least confidence), a re-rank can instead score, with the current
model, the next slice of the pool (whole blocks of 512 consecutive items, the
blocks in a fixed random order) together with the items ranked best last
time; it picks from those and carries the new best on.

What the user gives up: an item outside the carried best is scored again
only when its slice comes round, at most ``ceil(N / size)`` re-ranks later
(16 at 1,000,000 items in slices of 65,536), so a pick is the best of about
``size + carry`` items scored with the current model, not of the whole pool.
The items near the top are scored again after every label.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ...samplers import PoolSampler
from ...samplers.uncertainty import ScoreSampler

RANK_SLICE = 65_536  # items a re-rank scores in pools of more than twice this (None: the whole pool)
CARRY = 1_024  # the best items carried from one re-rank to the next
BLOCK = 512  # a slice is whole blocks of this many consecutive items: read from memory in runs, not one by one


class SliceRanking:
    """Which rows of a pool a re-rank scores: the next slice of the pool's blocks in a fixed random order,
    and the best rows of the last re-rank.

    >>> ranking = SliceRanking(10, size=4, carry=2, seed=0, block=2)
    >>> first = ranking.candidates(np.zeros(10, dtype=bool))
    >>> ranking.keep(first[[3, 1]])          # the sampler ranked these two best
    >>> second = ranking.candidates(np.zeros(10, dtype=bool))
    >>> len(first), len(second), set(first[[3, 1]]) <= set(second), ranking.rounds
    (4, 6, True, 3)
    """

    def __init__(self, n_items: int, size: int = RANK_SLICE, carry: int = CARRY, seed: int = 0, block: int = BLOCK):
        if size < 1 or carry < 0 or block < 1:
            raise ValueError(f"SliceRanking: size and block must be >= 1, carry >= 0; got {size}, {block}, {carry}")
        self.n_items, self.block, self.carry = n_items, block, carry
        n_blocks = math.ceil(n_items / block)
        self.order = np.random.default_rng(seed).permutation(n_blocks)
        self.per_slice = min(math.ceil(size / block), n_blocks)
        self.start = 0
        self.best = np.empty(0, dtype=np.intp)

    @property
    def rounds(self) -> int:
        """Re-ranks it takes to score every item once: the most labels an item's score can lag."""
        return math.ceil(len(self.order) / self.per_slice)

    def candidates(self, avoid: np.ndarray) -> np.ndarray:
        """The rows to score now, in pool order: the next slice and the carried best, less those ``avoid`` marks."""
        picks = np.arange(self.start, self.start + self.per_slice)
        blocks = np.sort(np.take(self.order, picks, mode="wrap"))  # the last slice wraps round
        self.start = (self.start + self.per_slice) % len(self.order)
        rows = (blocks[:, None] * self.block + np.arange(self.block)).ravel()
        rows = rows[rows < self.n_items]  # the last block may be short
        in_slice = np.zeros(len(self.order), dtype=bool)
        in_slice[blocks] = True
        rows = np.concatenate([rows, self.best[~in_slice[self.best // self.block]]])
        rows.sort()  # in pool order: ties go to the lower index, as when the whole pool is ranked
        return rows[~avoid[rows]]

    def keep(self, ranked: np.ndarray) -> None:
        """The rows the sampler ranked best this time, best first: the first ``carry`` are scored next time."""
        self.best = np.asarray(ranked[: self.carry], dtype=np.intp)


def pick(
    sampler: PoolSampler,
    k: int,
    *,
    labeled: np.ndarray,
    skipped: list[int],
    predict_proba: Callable[[np.ndarray | None], np.ndarray] | None,
    embeddings: np.ndarray | None,
    slices: SliceRanking | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The sampler's ``k`` rows, best first, and the probabilities of the whole pool it ranked with (``None``
    when it ranked a slice, or read none).

    ``labeled`` marks the rows never picked (labeled, or on screen); the
    ``skipped`` rows come back only after every other open one, ranked among
    themselves. ``predict_proba(rows)`` (``None``: every row) is asked only
    when the sampler reads the model; ``slices``: a very large pool's slice
    ranking, used by a sampler that scores items one by one.

    >>> from hitl_widgets.samplers import get
    >>> labeled = np.array([True, False, False, False])
    >>> rows, _ = pick(get("uniform", seed=0), 3, labeled=labeled, skipped=[1], predict_proba=None, embeddings=None)
    >>> sorted(rows[:2].tolist()), int(rows[2])      # the skipped row comes last
    ([2, 3], 1)
    """
    avoid = labeled.copy()
    avoid[skipped] = True
    n_fresh = int((~avoid).sum())
    if slices is not None and isinstance(sampler, ScoreSampler) and n_fresh >= k and predict_proba is not None:
        rows = slices.candidates(avoid)
        if len(rows) >= k:  # else too few of the slice are open: the whole pool is ranked
            ranked = rows[sampler.select(min(len(rows), max(k, slices.carry)), proba=predict_proba(rows))]
            slices.keep(ranked)
            return ranked[:k], None
    proba = predict_proba(None) if sampler.reads_proba and predict_proba is not None else None
    fresh = sampler.select(min(k, n_fresh), proba=proba, embeddings=embeddings, labeled=avoid) if n_fresh else []
    rows = np.asarray(fresh, dtype=int)
    if len(rows) < k:  # skipped items come back, ranked among themselves, after everything else
        again = labeled.copy()
        again[rows] = True
        rows = np.concatenate([rows, sampler.select(k - len(rows), proba=proba, embeddings=embeddings, labeled=again)])
    return rows, proba

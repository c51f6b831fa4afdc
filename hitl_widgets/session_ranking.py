"""How a :class:`~hitl_widgets.Session` ranks its pool: the sampler over the current model's probabilities.

Skipped items come back only when nothing else is open. In a very large pool
a score-per-item sampler (margin, entropy, least confidence) scores a slice
of it per re-rank plus the best of the last one (:mod:`.slice_ranking`).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from .answers import Answers
from .data import Pool
from .samplers import PoolSampler
from .samplers.uncertainty import ScoreSampler
from .slice_ranking import SliceRanking


class RanksThePool:
    """Mixin of :class:`~hitl_widgets.Session`: which items to ask about next."""

    # provided by Session
    pool: Pool
    classes: list[Hashable]
    seed: int
    sampler: PoolSampler
    embeddings: np.ndarray
    _answers: Answers
    _lock: threading.RLock
    _answers_lock: threading.RLock
    _cold_start: PoolSampler
    _pretrained: set[Hashable]
    _slices: SliceRanking | None
    # and the methods predict_proba(rows) and _seen_classes()

    @property
    def rank_slice(self) -> int | None:
        """Items a re-rank scores in a very large pool (see the class's parameters); settable, ``None``: all."""
        return self._slice_size

    @rank_slice.setter
    def rank_slice(self, size: int | None) -> None:
        big = size is not None and len(self.pool) > 2 * size
        with self._lock:  # not while the worker ranks
            self._slice_size = size
            self._slices = SliceRanking(len(self.pool), size, seed=self.seed) if big else None

    def _rank(
        self, k: int, exclude: Sequence[Hashable], reopen: Sequence[Hashable], at_random: bool = False
    ) -> tuple[np.ndarray, Any, bool]:
        """The sampler's ``k`` rows, the probabilities it ranked with, and whether to predict for them
        (two classes known, and not ``at_random``: uniform picks that never ask the model)."""
        with self._answers_lock:  # what is answered now: a label may land while this ranks
            answered, skipped = list(self._answers.labels), list(self._answers.skipped)
        labeled = np.zeros(len(self.pool), dtype=bool)
        labeled[answered] = True
        labeled[[self.pool.index_of(i) for i in reopen]] = False
        labeled[[self.pool.index_of(i) for i in exclude]] = True
        n_open = int((~labeled).sum())
        if not isinstance(k, (int, np.integer)) or not 1 <= k <= n_open:
            raise ValueError(f"Session.next: k must be between 1 and {n_open} (unlabeled items), got {k!r}")
        avoid = labeled.copy()
        avoid[skipped] = True
        n_fresh = int((~avoid).sum())
        known = [c for c in self.classes if c in self._seen_classes() or c in self._pretrained]
        if at_random:
            known = []
        sampler = self.sampler if len(known) >= 2 else self._cold_start
        if self._slices is not None and isinstance(sampler, ScoreSampler) and n_fresh >= k:
            rows = self._rank_slice(self._slices, sampler, k, avoid)
            if rows is not None:
                return rows, None, bool(known)
        proba = self.predict_proba(None) if sampler.reads_proba and self.classes else None
        rows = np.asarray(
            sampler.select(min(k, n_fresh), proba=proba, embeddings=self.embeddings, labeled=avoid) if n_fresh else [],
            dtype=int,
        )
        if len(rows) < k:  # skipped items come back, ranked among themselves, after everything else
            labeled[rows] = True
            more = sampler.select(k - len(rows), proba=proba, embeddings=self.embeddings, labeled=labeled)
            rows = np.concatenate([rows, more])
        return rows, proba, bool(known)

    def _rank_slice(self, slices: SliceRanking, sampler: ScoreSampler, k: int, avoid: np.ndarray) -> np.ndarray | None:
        """The ``k`` best of this re-rank's slice of a very large pool and the best carried from the last one
        (``None`` when fewer than ``k`` of them are open: the whole pool is ranked then)."""
        rows = slices.candidates(avoid)
        if len(rows) < k:
            return None
        proba = self.predict_proba(rows)
        ranked = rows[sampler.select(min(len(rows), max(k, slices.carry)), proba=proba)]
        slices.keep(ranked)
        return ranked[:k]

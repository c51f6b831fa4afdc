"""Uniform sampling and the uncertainty samplers: least confidence, margin, entropy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import scores
from .base import PoolSampler, require_finite


class UniformSampler(PoolSampler):
    """Random unlabeled items: the baseline every strategy must beat.

    >>> UniformSampler(seed=0).select(3, proba=np.full((10, 2), 0.5)).tolist()
    [5, 9, 6]
    """

    needs = ()

    def _select(self, k, *, proba, embeddings, labeled):
        candidates = np.flatnonzero(~labeled)
        return self.rng.choice(candidates, size=k, replace=False)


class ScoreSampler(PoolSampler):
    """Ranks the pool by an uncertainty score of the model's class probabilities."""

    score: Callable[[np.ndarray], np.ndarray]

    def _select(self, k, *, proba, embeddings, labeled):
        s = type(self).score(proba)
        require_finite(s, "proba", type(self).__name__)
        return scores.top_k(s, k, exclude=labeled)


class LeastConfidenceSampler(ScoreSampler):
    """Items whose most probable class is least probable.

    >>> p = np.array([[0.9, 0.1], [0.6, 0.4], [0.5, 0.5]])
    >>> LeastConfidenceSampler().select(2, proba=p).tolist()
    [2, 1]
    """

    score = staticmethod(scores.least_confidence)


class MarginSampler(ScoreSampler):
    """Items with the smallest gap between the two most probable classes (the default).

    >>> p = np.array([[0.5, 0.3, 0.2], [0.4, 0.39, 0.21], [0.8, 0.1, 0.1]])
    >>> MarginSampler().select(2, proba=p, labeled=np.array([False, False, True])).tolist()
    [1, 0]
    """

    score = staticmethod(scores.margin)


class EntropySampler(ScoreSampler):
    """Items whose class distribution has the highest entropy.

    >>> p = np.array([[0.5, 0.3, 0.2], [0.34, 0.33, 0.33], [0.98, 0.01, 0.01]])
    >>> EntropySampler().select(1, proba=p).tolist()
    [1]
    """

    score = staticmethod(scores.entropy)

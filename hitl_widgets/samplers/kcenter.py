"""k-center greedy (core-set, Sener & Savarese 2018): cover the embedding space."""

from __future__ import annotations

import numpy as np

from .base import PoolSampler, require_finite

CHUNK = 1024  # labeled centres per distance block: bounded memory for large labeled sets


class KCenterGreedySampler(PoolSampler):
    """Repeatedly picks the item farthest from everything labeled or picked so far.

    Distances are squared Euclidean from ``|x|^2 - 2 x.c + |c|^2``, one
    matrix-vector product per pick; norms are computed once. With nothing
    labeled, the first pick is random (seeded).

    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [10.0, 0.0]])
    >>> KCenterGreedySampler().select(2, embeddings=X, labeled=np.array([0])).tolist()
    [3, 2]
    """

    needs = ("embeddings",)

    def _select(self, k, *, proba, embeddings, labeled):
        X = np.asarray(embeddings)
        require_finite(X, "embeddings", type(self).__name__)
        sq = np.einsum("ij,ij->i", X, X)
        centres = np.flatnonzero(labeled)
        min_d = np.full(len(X), np.inf)
        for start in range(0, len(centres), CHUNK):
            c = centres[start : start + CHUNK]
            d = sq[:, None] - 2.0 * (X @ X[c].T) + sq[c][None, :]
            np.minimum(min_d, d.min(axis=1), out=min_d)
        min_d[labeled] = -np.inf
        picks = []
        for _ in range(k):
            if not len(centres) and not picks:
                i = int(self.rng.choice(np.flatnonzero(~labeled)))
            else:
                i = int(np.argmax(min_d))
            picks.append(i)
            np.minimum(min_d, sq - 2.0 * (X @ X[i]) + sq[i], out=min_d)
            min_d[i] = -np.inf
        return np.array(picks)

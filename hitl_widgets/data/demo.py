"""Offline demo data, generated in code (nothing is downloaded)."""

from __future__ import annotations

import numpy as np


def five_blobs(n: int, seed: int | np.random.Generator = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` 2-D points from five blobs of different sizes, shapes and tilts in [-10, 10]^2, and their blob.

    The test bed of the GMM learner: tilted blobs need full covariances, and
    clicking them cluster by cluster is the hard order for online learning.

    >>> X, z = five_blobs(1000, seed=0)
    >>> X.shape, np.bincount(z).tolist()
    ((1000, 2), [277, 238, 218, 171, 96])
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    means = np.array([[-5.0, -4.0], [-4.5, 5.0], [0.5, 0.0], [6.0, 4.5], [5.5, -5.0]])
    shapes = [(2.0, 0.6, 30), (1.2, 1.2, 0), (1.5, 0.4, -45), (0.5, 0.5, 0), (2.2, 0.8, 80)]
    z = rng.choice(5, size=n, p=[0.30, 0.25, 0.20, 0.15, 0.10])
    X = np.empty((n, 2))
    for k, (sx, sy, deg) in enumerate(shapes):
        t = np.deg2rad(deg)
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        X[z == k] = means[k] + (rng.normal(size=((z == k).sum(), 2)) * (sx, sy)) @ rot.T
    return X, z

"""Uncertainty scores of class-probability rows, and fast top-k selection.

Pure numpy functions. Every score is "higher = ask first", so one top-k
serves all strategies.
"""

from __future__ import annotations

import numpy as np


def least_confidence(proba: np.ndarray) -> np.ndarray:
    """``1 - max_c p(c|x)`` per row.

    >>> least_confidence(np.array([[0.9, 0.1], [0.5, 0.5]])).round(3).tolist()
    [0.1, 0.5]
    """
    return 1.0 - proba.max(axis=1)


def margin(proba: np.ndarray) -> np.ndarray:
    """Minus the gap between the two most probable classes (a small gap scores high).

    >>> margin(np.array([[0.7, 0.2, 0.1], [0.4, 0.35, 0.25]])).round(3).tolist()
    [-0.5, -0.05]
    """
    if proba.shape[1] == 1:
        return -proba[:, 0].copy()
    two = np.partition(proba, proba.shape[1] - 2, axis=1)[:, -2:]
    return two[:, 0] - two[:, 1]


def entropy(proba: np.ndarray) -> np.ndarray:
    """Shannon entropy (nats) per row; zero probabilities contribute nothing.

    >>> entropy(np.array([[1.0, 0.0], [0.5, 0.5]])).round(4).tolist()
    [0.0, 0.6931]
    """
    logs = np.log(proba, out=np.zeros_like(proba), where=proba > 0)
    return 0.0 - np.einsum("ij,ij->i", proba, logs)  # 0.0 - x: no -0.0 for certain rows


def top_k(scores: np.ndarray, k: int, exclude: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``k`` highest scores, best first, skipping ``exclude`` (a boolean mask).

    Ties go to the lower index, so the result does not depend on partition order.

    >>> top_k(np.array([0.1, 0.9, 0.5, 0.9]), 2).tolist()
    [1, 3]
    >>> top_k(np.array([0.1, 0.9, 0.5, 0.9]), 2, exclude=np.array([False, True, False, False])).tolist()
    [3, 2]
    """
    if exclude is not None and exclude.any():
        scores = np.where(exclude, -np.inf, scores)
    n = scores.shape[0]
    if k >= n:
        candidates = np.arange(n)
    else:
        candidates = np.argpartition(-scores, k - 1)[:k]
        # bring in every index tied with the k-th score, so the lowest indices win ties
        kth = scores[candidates].min()
        candidates = np.union1d(candidates[scores[candidates] > kth], np.flatnonzero(scores == kth))
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:k]

"""The one shape every pool sampler has: ``select(k, *, proba, embeddings, labeled) -> indices``."""

from __future__ import annotations

import numpy as np

from ..base import Estimator


class PoolSampler(Estimator):
    """Base of the pool samplers: checks the inputs, then ranks in ``_select``.

    ``proba`` (N, C) holds the current model's class probabilities for every
    pool item, ``embeddings`` (N, D) their features, ``labeled`` which items
    are labeled already (a boolean mask or an index array). ``select`` returns
    ``k`` distinct unlabeled indices, the one to ask first first. Inputs are
    never modified.
    """

    needs: tuple[str, ...] = ("proba",)  # what _select uses: "proba" and/or "embeddings"

    def __init__(self, seed: int = 0):
        self.seed = seed

    @property
    def reads_proba(self) -> bool:
        """Whether ranking reads class probabilities (its own ``needs``, or any sampler inside a mixture)."""
        children = getattr(self, "samplers", {})
        return "proba" in self.needs or any(c.reads_proba for c in children.values())

    @property
    def rng(self) -> np.random.Generator:
        """This sampler's own generator (no global random state)."""
        if getattr(self, "_rng", None) is None:
            self._rng = np.random.default_rng(self.seed)
        return self._rng

    def select(
        self,
        k: int,
        *,
        proba: np.ndarray | None = None,
        embeddings: np.ndarray | None = None,
        labeled: np.ndarray | None = None,
    ) -> np.ndarray:
        """The ``k`` unlabeled pool indices to ask about next, best first."""
        n = _pool_size(proba, embeddings, labeled, type(self).__name__)
        mask = labeled_mask(labeled, n)
        n_unlabeled = n - int(mask.sum())
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"{type(self).__name__}.select: k must be a positive integer, got {k!r}")
        if k > n_unlabeled:
            raise ValueError(f"{type(self).__name__}.select: asked for {k} items but only {n_unlabeled} are unlabeled")
        for name in self.needs:
            value = proba if name == "proba" else embeddings
            if value is None:
                raise ValueError(f"{type(self).__name__}.select needs {name}= (an array with one row per pool item)")
            _check_shape(value, name, type(self).__name__)
        picks = self._select(k, proba=proba, embeddings=embeddings, labeled=mask)
        return np.asarray(picks, dtype=np.int64)

    def _select(self, k: int, *, proba, embeddings, labeled: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def update(self, reward: float) -> None:
        """Feedback after a batch was labeled (used by bandits; a no-op here)."""


def labeled_mask(labeled: np.ndarray | None, n: int) -> np.ndarray:
    """A boolean mask of length ``n`` from a mask, an index array or None."""
    if labeled is None:
        return np.zeros(n, dtype=bool)
    labeled = np.asarray(labeled)
    if labeled.dtype == bool:
        if labeled.shape != (n,):
            raise ValueError(f"labeled mask has shape {labeled.shape}, expected ({n},)")
        return labeled
    mask = np.zeros(n, dtype=bool)
    if labeled.size:
        if labeled.min() < 0 or labeled.max() >= n:
            raise ValueError(f"labeled indices must lie in [0, {n}), got {labeled.min()}..{labeled.max()}")
        mask[labeled] = True
    return mask


def _pool_size(proba, embeddings, labeled, who: str) -> int:
    sizes = {name: len(a) for name, a in (("proba", proba), ("embeddings", embeddings)) if a is not None}
    if labeled is not None and np.asarray(labeled).dtype == bool:
        sizes["labeled"] = len(labeled)
    if not sizes:
        raise ValueError(f"{who}.select: give proba= or embeddings= so the pool size is known")
    if len(set(sizes.values())) > 1:
        raise ValueError(f"{who}.select: inputs disagree on the pool size: {sizes}")
    n = next(iter(sizes.values()))
    if n == 0:
        raise ValueError(f"{who}.select: the pool is empty")
    return n


def _check_shape(a: np.ndarray, name: str, who: str) -> None:
    if a.ndim != 2:
        raise ValueError(f"{who}.select: {name} must be 2-D (one row per pool item), got shape {a.shape}")


def require_finite(values: np.ndarray, name: str, who: str) -> None:
    """Raise a clear error naming the rows of ``name`` that hold NaN or infinity.

    Scores are checked rather than whole matrices: NaN in a row reaches its score,
    and one pass over N scores is cheaper than one over N x C probabilities.
    """
    if not np.isfinite(values).all():
        bad = ~np.isfinite(values) if values.ndim == 1 else ~np.isfinite(values).all(axis=1)
        rows = np.flatnonzero(bad)[:5].tolist()
        raise ValueError(f"{who}.select: {name} holds NaN or infinite values (first rows: {rows})")

"""What a panel shades over the plane: the model's decision regions, and the strategy's own utility.

The grid covers the drawn points (with a margin). In 2-D the model reads the
grid's points directly; data of more dimensions reaches them through the
inverse of its PCA projection (a slice through the data's mean); with ``xy``
given there is no way back to features, so nothing is shaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..learners.protocol import proba_matrix
from ..samplers import scores
from .exploration import Exploration

UTILITY = {
    "margin": scores.margin,
    "least_confidence": scores.least_confidence,
    "entropy": scores.entropy,
}
GRID = 48  # cells per side


@dataclass
class Grid:
    """A square grid over the plane: ``extent`` (x0, x1, y0, y1) and its cell centres, row by row from y0."""

    extent: tuple[float, float, float, float]
    resolution: int

    @classmethod
    def around(cls, plane: np.ndarray, resolution: int = GRID) -> Grid:
        """A grid over ``plane``'s points with 5% to spare on each side.

        >>> Grid.around(np.array([[0.0, 0.0], [10.0, 20.0]]), 4).extent
        (-0.5, 10.5, -1.0, 21.0)
        """
        lo, hi = plane.min(0), plane.max(0)
        pad = 0.05 * np.maximum(hi - lo, 1e-9)
        lo, hi = lo - pad, hi + pad
        return cls((float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])), resolution)

    def centres(self) -> np.ndarray:
        """(R * R, 2) cell centres, x fastest."""
        x0, x1, y0, y1 = self.extent
        r = self.resolution
        xs = x0 + (np.arange(r) + 0.5) * (x1 - x0) / r
        ys = y0 + (np.arange(r) + 0.5) * (y1 - y0) / r
        gx, gy = np.meshgrid(xs, ys)
        return np.c_[gx.ravel(), gy.ravel()]


def grid_features(ex: Exploration, grid: Grid) -> np.ndarray | None:
    """The model's input at each cell centre, or ``None`` when the plane cannot be mapped back."""
    points = grid.centres()
    if ex.projection is not None:
        return ex.projection.inverse_transform(points)
    return points if ex.X.shape[1] == 2 and ex.plane is ex.X else None


def decision_grid(ex: Exploration, name: str, grid: Grid) -> np.ndarray | None:
    """(R, R, C) class probabilities of panel ``name``'s model over the grid (``None``: not shadable)."""
    features = grid_features(ex, grid)
    if features is None:
        return None
    proba = proba_matrix(ex.panels[name].learner, features, ex.classes)
    return proba.reshape(grid.resolution, grid.resolution, len(ex.classes))


def utility_grid(ex: Exploration, name: str, grid: Grid, proba: np.ndarray | None = None) -> np.ndarray | None:
    """(R, R) the strategy's own score over the plane, scaled to [0, 1] (1: asked first).

    Uncertainty strategies score the model's probabilities; k-center scores
    the distance to the nearest labeled point on the plane (the sampler
    measures it in feature space: the same in 2-D); others (uniform, "you",
    mixtures) have no utility to show. ``proba``: the panel's :func:`decision_grid`, when the caller has it.
    """
    if name in UTILITY:
        proba = decision_grid(ex, name, grid) if proba is None else proba
        if proba is None:
            return None
        score = UTILITY[name](proba.reshape(-1, proba.shape[-1]))
    elif name == "kcenter":
        labeled = ex.plane[ex.labeled_rows(name)]
        d2 = ((grid.centres()[:, None, :] - labeled[None, :, :]) ** 2).sum(-1).min(1)
        score = np.sqrt(d2)
    else:
        return None
    lo, hi = float(score.min()), float(score.max())
    scaled = (score - lo) / (hi - lo) if hi > lo else np.zeros_like(score)
    return scaled.reshape(grid.resolution, grid.resolution)

"""The covariance prior when no ``prior_scale`` is given: it follows the spread of the points seen so far.

A one-point component has covariance ``s**2 * I``; on the canvas ``s`` is
3.5% of the view (0.7 on the default 20 x 16 view). Without a view, ``s`` is
the largest of

* ``WITHIN_SHARE`` of the components' pooled standard deviation (the spread
  of the points around their own components: a typical cluster's size, what
  the canvas's value is on its own layouts);
* ``SPREAD_SHARE`` of the standard deviation of all the points (so that a
  mixture of many tight components cannot talk the prior down to nothing);
* ``SPACING_TIMES`` the points' spacing: the lower quartile of each point's
  distance, on arrival, to the nearest earlier point that differs from it.
  Data on a grid (measurements rounded to 0.1, integer minutes) has no
  spread below the grid's step, and a prior narrower than that lets a fit
  put a needle on a row of equal values.

Every term scales with the data, so a mixture of points multiplied by 100
is the mixture of the points multiplied by 100. The shares were chosen on
``benchmarks/gmm.py``'s layouts at the canvas's scale (``benchmarks/results/
gmm_scales.md``) and on sorted real data (``tests/unit/test_gmm_prior.py``).

Examples
--------
>>> import numpy as np
>>> from hitl_widgets.learners.gmm import maths as gm
>>> X = np.random.default_rng(0).normal(0, 2.0, (200, 2))
>>> S = gm.features(X).sum(0, keepdims=True)       # one component holding every point
>>> spread = Spread.of_statistics(S, 2)
>>> round(spread.total_sd, 1), round(spread.within_sd, 1)
(2.0, 2.0)
>>> round(spread.prior_scale(), 1)                  # half the spread of the one cluster
1.0
>>> bigger = Spread.of_statistics(gm.features(100 * X).sum(0, keepdims=True), 2)   # the same points x 100
>>> round(bigger.prior_scale() / spread.prior_scale(), 6)
100.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WITHIN_SHARE = 0.5
SPREAD_SHARE = 0.15
SPACING_TIMES = 2.0
SPACING_QUANTILE = 0.25
SPACING_POINTS = 1024  # the spacing is read from the first this many points, then stays
CANVAS_PRIOR = 0.7  # the canvas's prior on its default view ...
CANVAS_RIDGE = 1e-6  # ... and the ridge every covariance gets there: the ridge keeps that share of the prior


UNKNOWN_SHARE = 0.035  # before the points spread: this share of the first point's largest coordinate
SMALLEST = 1e-30  # no prior below this: a 2-D covariance's determinant would underflow


def unknown_scale(point: np.ndarray) -> float:
    """The prior of points that do not spread yet (one point, or copies of it).

    Nothing says how far the next point will be; a share of the point's
    largest coordinate keeps the model on the data's scale for coordinates
    that start at zero, as pixels and most measurements do. The first point
    that differs replaces it, and until then no point starts a component.

    >>> unknown_scale(np.array([250.0, 100.0])), unknown_scale(np.zeros(2))
    (8.75, 1.0)
    """
    largest = float(np.abs(point).max())
    return max(UNKNOWN_SHARE * largest, SMALLEST) if largest > 0.0 else 1.0


def ridge_for(scale: float) -> float:
    """The ridge added to every covariance with a data-following prior of ``scale``: 1e-6 at the canvas's 0.7.

    >>> ridge_for(0.7), ridge_for(70.0)
    (1e-06, 0.01)
    """
    return CANVAS_RIDGE * (scale / CANVAS_PRIOR) ** 2


@dataclass(frozen=True)
class Spread:
    """How far points spread: their count and mean, and sums of squares about the mean and about their components.

    ``total_ss`` and ``within_ss`` are traces (summed over the axes), so
    spreads of several mixtures add up (:meth:`__add__`): a classifier's
    classes follow the spread of all its points.
    """

    n: float
    mean: np.ndarray
    total_ss: float
    within_ss: float
    spacing: float = 0.0

    @classmethod
    def of_statistics(cls, S: np.ndarray, dim: int, spacing: float = 0.0) -> Spread:
        """The spread of points held as stacked statistics ``S`` (rows ``[count, sum x, sum x x^T]``)."""
        counts = S[:, 0]
        n = float(counts.sum())
        if n <= 0.0:
            return cls(0.0, np.zeros(dim), 0.0, 0.0, spacing)
        sums = S[:, 1 : 1 + dim]
        squares = S[:, 1 + dim :][:, :: dim + 1].sum(1)  # the trace of each row's sum of x x^T
        mean = sums.sum(0) / n
        total = float(squares.sum() - n * mean @ mean)
        live = counts > 1e-12
        within = float((squares[live] - (sums[live] ** 2).sum(1) / counts[live]).sum())
        return cls(n, mean, max(total, 0.0), max(within, 0.0), spacing)

    def __add__(self, other: Spread) -> Spread:
        n = self.n + other.n
        if n <= 0.0:
            return self
        mean = (self.n * self.mean + other.n * other.mean) / n
        between = self.n * float((self.mean - mean) @ (self.mean - mean))
        between += other.n * float((other.mean - mean) @ (other.mean - mean))
        spacing = (self.n * self.spacing + other.n * other.spacing) / n
        return Spread(n, mean, self.total_ss + other.total_ss + between, self.within_ss + other.within_ss, spacing)

    @property
    def total_sd(self) -> float:
        """Standard deviation of all the points, per axis (the root of the mean variance over the axes)."""
        return math.sqrt(self.total_ss / (self.n * self.mean.size)) if self.n else 0.0

    @property
    def within_sd(self) -> float:
        """Standard deviation of the points about their components, per axis."""
        return math.sqrt(self.within_ss / (self.n * self.mean.size)) if self.n else 0.0

    def prior_scale(self) -> float:
        """A one-point component's standard deviation for points that spread so; 0.0 while they do not spread."""
        scale = max(WITHIN_SHARE * self.within_sd, SPREAD_SHARE * self.total_sd, SPACING_TIMES * self.spacing)
        return max(scale, SMALLEST) if scale > 0.0 else 0.0


class Spacing:
    """Each of the first ``SPACING_POINTS`` points' distance, on arrival, to the nearest earlier point that differs.

    Read with :meth:`value` (the lower quartile). Rows are kept in arrival
    order, so going back to fewer points (undo) is forgetting the last rows.

    >>> sp = Spacing()
    >>> sp.update(np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 2.0], [3.0, 0.0]]))
    >>> sp.value()  # a duplicate has no distance; 1, 2 and 2 do
    1.5
    """

    def __init__(self) -> None:
        self._d = np.full(SPACING_POINTS, np.nan)
        self._upto = 0

    def truncate(self, n: int) -> None:
        """Forget the rows from ``n`` on (the points were taken back)."""
        self._upto = min(self._upto, n)

    def update(self, X: np.ndarray) -> None:
        """Read the rows of ``X`` (all stored points, in arrival order) not read yet, up to ``SPACING_POINTS``."""
        n = min(X.shape[0], SPACING_POINTS)
        for i in range(max(self._upto, 1), n):
            diff = X[:i] - X[i]
            d2 = np.einsum("ij,ij->i", diff, diff)
            d2 = d2[d2 > 0.0]
            self._d[i] = math.sqrt(float(d2.min())) if d2.size else np.nan
        self._upto = max(self._upto, n)

    def value(self) -> float:
        """The lower quartile of the distances read so far (0.0 before two distinct points)."""
        d = self._d[1 : self._upto]
        d = d[np.isfinite(d)]
        return float(np.quantile(d, SPACING_QUANTILE)) if d.size else 0.0

"""Input checks shared by the learners: clear errors, nothing changed on bad input."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

from .gmm_math import DTYPE


def as_point(x: Any, dim: int | None, *, where: str) -> np.ndarray:
    """One finite point as a new float64 array of shape (D,) (a click's path: no tensor round trip).

    >>> as_point([1, 2], None, where="f").tolist()
    [1.0, 2.0]
    >>> as_point([float("nan"), 2], 2, where="f")
    Traceback (most recent call last):
    ...
    ValueError: f: coordinates must be finite numbers, got [nan, 2.0]
    """
    if isinstance(x, Mapping):
        x = list(x.values())
    try:
        arr = np.array(x, dtype=np.float64)  # a copy: the caller's array (or tensor) stays theirs
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: expected a point (a sequence of numbers), got {x!r}") from exc
    if arr.ndim != 1 or arr.shape[0] == 0:
        raise ValueError(f"{where}: expected one point as a flat sequence of numbers, got shape {arr.shape}")
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{where}: expected a point with {dim} coordinates, got {arr.shape[0]}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{where}: coordinates must be finite numbers, got {arr.tolist()}")
    return arr


def as_matrix(X: Any, dim: int | None, *, where: str) -> torch.Tensor:
    """Rows of finite points as a float64 tensor of shape (N, D)."""
    arr = X.detach().cpu().numpy() if isinstance(X, torch.Tensor) else X
    try:
        arr = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: expected a 2-D array of numbers") from exc
    if arr.ndim == 1 and dim is not None and arr.shape[0] == dim:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{where}: expected a 2-D array (N, D), got shape {arr.shape}")
    if dim is not None and arr.shape[1] != dim:
        raise ValueError(f"{where}: expected {dim} columns, got {arr.shape[1]}")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)[:5].tolist()
        raise ValueError(f"{where}: {int(bad.sum())} row(s) hold NaN or infinite values (first: {rows})")
    return torch.from_numpy(np.ascontiguousarray(arr)).to(DTYPE)


DEFAULT_PRIOR_SCALE = 0.7  # the canvas's on its default 20 x 16 view
# When an unset prior_scale is compared with the points' span: (points held, the widest share of the span it may
# be). The first 20 points may be one brush stroke of one cluster of many to come (none is too wide for it), and
# a person may spray 100 or more into a cluster before the next: by 300, a prior half their span is certainly wrong.
PRIOR_CHECKS = ((20, math.inf), (300, 0.5))
PRIOR_NARROWEST = 0.002


def resolve_prior_scale(prior_scale: float | None) -> float:
    """A one-point component's standard deviation: ``prior_scale``, or the default when it is not given."""
    return DEFAULT_PRIOR_SCALE if prior_scale is None else prior_scale


def prior_scale_mismatch(points: np.ndarray, prior_scale: float, widest: float = 0.5) -> str | None:
    """Why the default ``prior_scale`` does not suit ``points``, or ``None`` when it may.

    The prior is a one-point component's standard deviation, in data units;
    the mixture does well with 3-5% of the span the data covers (what
    ``GMMCanvas`` sets from its view). Measured on clusters clicked in order,
    a prior of 1.0 left 4-44% of checkpoints within 0.05 nats of batch EM
    on data spanning 1.5 to 4 units and 81% on data spanning 760.

    >>> prior_scale_mismatch(np.random.default_rng(0).uniform(0, 10, (20, 2)), 0.7) is None
    True
    >>> print(prior_scale_mismatch(np.random.default_rng(0).uniform(0, 0.5, (20, 2)), 0.7))  # doctest: +ELLIPSIS
    OnlineGMM: the default prior_scale=0.7 is too wide for these points, which span 0.489: ...
    """
    span = float(np.ptp(points, axis=0).max()) if len(points) else 0.0
    if span <= 0.0:
        return None
    share = prior_scale / span
    if PRIOR_NARROWEST <= share <= widest:
        return None
    word = "wide" if share > widest else "narrow"
    return (
        f"OnlineGMM: the default prior_scale={prior_scale!r} is too {word} for these points, which span "
        f"{span:.3g}: a one-point component's standard deviation would be {share:.1%} of that, and the mixture "
        f"fits poorly. Pass prior_scale of about 3-5% of the span your data covers (about {0.04 * span:.3g} "
        "for these points; more if more clusters will come)."
    )


class PriorCheck:
    """The one-time comparison of an unset ``prior_scale`` with the points' span, as a learner grows."""

    def __init__(self, *, unset: bool):
        self.due = list(PRIOR_CHECKS) if unset else []

    def after(self, n_points: int, points: Callable[[], np.ndarray], prior_sd: float) -> None:
        """Warn (once) if a check is due at ``n_points`` and the prior is far off the points' span."""
        if not self.due or n_points < self.due[0][0]:
            return
        while self.due and n_points >= self.due[0][0]:  # learn_many may pass both at once: the later one judges
            _, widest = self.due.pop(0)
        problem = prior_scale_mismatch(points(), prior_sd, widest)
        if problem:
            self.due.clear()
            warnings.warn(problem, UserWarning, stacklevel=3)

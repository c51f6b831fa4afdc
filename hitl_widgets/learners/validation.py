"""Input checks shared by the learners: clear errors, nothing changed on bad input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from .gmm.maths import DTYPE


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

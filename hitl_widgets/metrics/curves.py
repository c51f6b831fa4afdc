"""Curves for plots: thinned to what a chart can show, the newest point always kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def thin(points: Sequence[Any], most: int) -> list[Any]:
    """At most about ``most`` evenly spaced points of a curve, always ending with the newest.

    >>> thin(list(range(10)), 4)
    [0, 3, 6, 9]
    """
    points = list(points)
    if len(points) <= most:
        return points
    step = -(-len(points) // most)
    return points[::-1][::step][::-1]

"""Arrays to and from the binary buffers the widgets sync (no base64, no long JSON lists)."""

from __future__ import annotations

import numpy as np


def points_to_bytes(points: np.ndarray) -> bytes:
    """(N, 2) float -> little-endian float32 bytes (the browser reads them as a Float32Array).

    >>> np.frombuffer(points_to_bytes(np.array([[1.5, -2.0]])), "<f4").tolist()
    [1.5, -2.0]
    """
    return np.ascontiguousarray(points, dtype="<f4").tobytes()


def labels_to_bytes(labels: np.ndarray) -> bytes:
    """Class indices (0-255) -> uint8 bytes."""
    return np.ascontiguousarray(labels, dtype=np.uint8).tobytes()

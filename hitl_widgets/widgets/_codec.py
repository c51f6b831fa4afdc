"""Arrays as they cross the wire: their dtype and shape travel beside their bytes (no base64, no long JSON lists).

Every array a widget syncs is ``{"dtype": ..., "shape": [...], "data": bytes}``; ipywidgets sends the
bytes as a binary buffer, and ``js/src/codec.js`` reads them back into a typed array of that dtype
(refusing any other), so no side has to know a shape the other implied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

DTYPES = ("float32", "uint8", "uint32")  # what the page reads (js/src/codec.js): float64 goes as float32


def wire_array(values: Any, dtype: str) -> dict[str, Any]:
    """``values`` as ``dtype`` (little-endian), with its shape, for a trait or a message.

    >>> a = wire_array([[1.5, -2.0]], "float32")
    >>> a["dtype"], a["shape"], np.frombuffer(a["data"], "<f4").tolist()
    ('float32', [1, 2], [1.5, -2.0])
    >>> wire_array([1, 2], "float64")
    Traceback (most recent call last):
    ...
    ValueError: wire_array: dtype must be one of ('float32', 'uint8', 'uint32'), got 'float64'
    """
    if dtype not in DTYPES:
        raise ValueError(f"wire_array: dtype must be one of {DTYPES}, got {dtype!r}")
    array = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(array.shape), "data": array.tobytes()}


def from_wire(message: dict[str, Any]) -> np.ndarray:
    """The array a :func:`wire_array` message holds (what the page reads, for tests and checks).

    >>> from_wire(wire_array(np.arange(6).reshape(2, 3), "uint8")).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    if not message:
        return np.zeros(0)
    return np.frombuffer(message["data"], dtype=np.dtype(message["dtype"]).newbyteorder("<")).reshape(message["shape"])


def array_message(kind: str, arrays: Mapping[str, tuple[Any, str]], **fields: Any) -> tuple[dict[str, Any], list]:
    """A custom message of type ``kind`` with arrays in it: each array is ``{"dtype", "shape", "buffer": i}`` in
    the message and its bytes the ``i``-th binary buffer (``decodeMessageArray`` in ``js/src/common/codec.js``
    reads it back); ``fields`` ride along. For what goes by message, not by trait (a click's new points).

    >>> message, buffers = array_message("points", {"xy": ([[1.0, 2.0]], "float32")}, base=4)
    >>> message, len(buffers[0])
    ({'type': 'points', 'base': 4, 'xy': {'dtype': 'float32', 'shape': [1, 2], 'buffer': 0}}, 8)
    """
    message: dict[str, Any] = {"type": kind, **fields}
    buffers = []
    for name, (values, dtype) in arrays.items():
        wired = wire_array(values, dtype)
        message[name] = {"dtype": wired["dtype"], "shape": wired["shape"], "buffer": len(buffers)}
        buffers.append(wired["data"])
    return message, buffers

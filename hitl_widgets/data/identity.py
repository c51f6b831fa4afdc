"""What a label belongs to: an item's content, hashed.

A label is stored with its item's id *and* a hash of the item's content, so
that a store read back with other items at those ids (a list that was
edited, shuffled or replaced) never attaches an old label to a new item. The
hash is of the item as given: a text's characters, a row's fields and values,
an image's pixels or file bytes, a feature row's numbers.

Hashing costs about a microsecond per text or small image, and is done for
an item only when it is answered or when a stored answer is read back; only
a stored answer whose item is no longer at its id makes the whole pool
hashed once (to find where that content went).
"""

from __future__ import annotations

import hashlib
import json
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

HASH_BYTES = 16  # 128 bits: no two different items of any pool share a hash by chance


def content_bytes(item: Any) -> bytes:
    """The bytes that stand for an item's content, tagged by its kind (a text ``"1"`` is not the number 1).

    >>> content_bytes("free prize")
    b't:free prize'
    >>> content_bytes({"b": 2, "a": float("nan")}) == content_bytes({"b": 2.0})  # a table's row, as pandas may give it
    True
    >>> content_bytes(np.array([1.0, 2.0])) == content_bytes(np.array([1.0, 2.0], dtype=np.float32))
    False
    """
    if isinstance(item, str):
        return b"t:" + item.encode("utf-8", "surrogatepass")
    if isinstance(item, (bytes, bytearray, memoryview)):
        return b"b:" + bytes(item)
    if isinstance(item, Mapping):  # a row: its present fields, numbers as numbers (1 is 1.0; a hole is no field)
        fields = {str(k): _number(plain_value(v)) for k, v in item.items() if not is_missing(v)}
        return b"r:" + json.dumps(fields, sort_keys=True, default=repr).encode()
    if hasattr(item, "detach"):  # a torch tensor
        item = item.detach().cpu().numpy()
    if hasattr(item, "tobytes") and hasattr(item, "mode") and hasattr(item, "size"):  # a PIL image
        return f"p:{item.mode}:{item.size}:".encode() + item.tobytes()
    array = np.ascontiguousarray(item)
    if array.dtype == object:
        return b"o:" + repr(item).encode()
    return f"a:{array.dtype.str}:{array.shape}:".encode() + array.tobytes()


def content_hash(item: Any) -> str:
    """A short hex hash of an item's content (see :func:`content_bytes`).

    >>> content_hash("free prize") == content_hash("free prize"), content_hash("free prize") == content_hash("free")
    (True, False)
    >>> len(content_hash(np.zeros((8, 8))))
    32
    """
    return hashlib.blake2b(content_bytes(item), digest_size=HASH_BYTES).hexdigest()


def hash_head(item_hash: str) -> int:
    """The first 8 bytes of a hash as a number: a compact key to look hashes up by (a million rows: 8 MB).

    >>> hash_head("00000000000000ff" + "0" * 16)
    255
    """
    return int(item_hash[:16], 16)


def plain_value(value: Any) -> Any:
    """A cell as Python gives it: numpy scalars as Python numbers (an int64 7 is the 7 a list gives).

    >>> plain_value(np.int64(7)), plain_value("a")
    (7, 'a')
    """
    return value.item() if isinstance(value, np.generic) else value


def is_missing(v: Any) -> bool:
    """Whether a cell is missing: None, NaN, pandas' NA or NaT (numpy's NaT too).

    >>> [is_missing(v) for v in (None, float("nan"), np.float32("nan"), np.datetime64("NaT"), 0.0, "", "None")]
    [True, True, True, True, False, False, False]
    """
    if v is None:
        return True
    if isinstance(v, (float, np.floating)):
        return bool(v != v)
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(v))
    return type(v).__name__ in ("NAType", "NaTType")


def _number(v: Any) -> Any:
    """A number as a float (a column pandas turned from int to float holds the same row), where exact."""
    if isinstance(v, numbers.Real) and not isinstance(v, bool) and (not isinstance(v, int) or abs(v) < 2**53):
        return float(v)
    return v

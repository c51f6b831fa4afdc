"""Stream items: ``x`` or ``(x, y)``, and how each kind of ``x`` is shown (text, a small table, an image).

Everything shown is data for the page to put in ``textContent`` or an
``<img>`` from PNG bytes: the page never parses an item as HTML.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

from .given import describe_given, short_text
from .image_source import _as_hwc, _is_pil, _plain_mode, encode_image

NO_TRUTH: Any = type("NoTruth", (), {"__repr__": lambda self: "NO_TRUTH"})()  # a stream item given without its truth
MAX_TEXT = 4000  # characters of a text item shown (the rest is cut, and the cut is said)
MAX_ROWS = 40  # fields of a dict item shown


def split_item(raw: Any) -> tuple[Any, Any]:
    """``(x, y)`` from a stream item: a 2-tuple is ``(x, truth)``, anything else is ``x`` with no truth.

    >>> split_item(("free prize", "spam"))
    ('free prize', 'spam')
    >>> split_item("see you at 7")
    ('see you at 7', NO_TRUTH)
    """
    if type(raw) is tuple and len(raw) == 2:
        y = raw[1]
        return raw[0], (y.item() if isinstance(y, np.generic) else y)
    return raw, NO_TRUTH


STREAM = (
    "an iterable of items (texts, dicts of features, images) or of (item, truth) pairs, a DataFrame (its rows), "
    "or a function returning an iterable"
)


def stream_source(stream: Any) -> Any:
    """What a stream session reads: ``stream`` itself, or a DataFrame's rows as dicts; a ``ValueError`` that
    says what was given and what is expected for what cannot be a stream.

    >>> list(stream_source(["free prize", "see you at 7"]))
    ['free prize', 'see you at 7']
    >>> stream_source("free prize")
    Traceback (most recent call last):
    ...
    ValueError: got the string 'free prize' as the stream: it would stream its characters one by one; give ...
    """
    given = describe_given(stream)
    if stream is None:
        raise ValueError(f"got no stream (None); give {STREAM}")
    if isinstance(stream, (str, bytes)):
        raise ValueError(
            f"got {given} as the stream: it would stream its characters one by one; give a list of texts, "
            f"e.g. [{short_text(str(stream))!r}, ...], or {STREAM}"
        )
    if isinstance(stream, Mapping):
        raise ValueError(
            f"got {given}: a stream walks its items, not a dict's keys; for dicts of features give a list of "
            "dicts (one per item), or a DataFrame"
        )
    if type(stream).__name__ == "DataFrame" and hasattr(stream, "to_dict"):
        if len(stream) == 0:
            raise ValueError(f"got {given}; give at least one row")
        return functools.partial(iter, stream.to_dict(orient="records"))  # read again on a reset or a resume
    if hasattr(stream, "__len__") and not callable(stream) and len(stream) == 0:
        raise ValueError(f"got {given}: the stream is empty; give at least one item")
    return stream


def check_default_input(x: Any) -> None:
    """Refuse a first item the default learner cannot read (a number, a row of an array), saying what to give.

    >>> check_default_input(3.5)
    Traceback (most recent call last):
    ...
    ValueError: the first item is the number 3.5: the default model reads a text, a dict of features or an image; ...
    """
    if not isinstance(x, str) and item_kind(x) == "text":
        raise ValueError(
            f"the first item is {describe_given(x)}: the default model reads a text, a dict of features or an "
            "image; give dicts ({'x': 1.5, ...}) or a DataFrame for numbers, or pass learner="
        )


def item_kind(x: Any) -> str:
    """``"text"``, ``"table"`` (a dict of features) or ``"image"`` (an array, tensor or PIL image).

    >>> item_kind("hello"), item_kind({"age": 3}), item_kind(np.zeros((8, 8)))
    ('text', 'table', 'image')
    """
    if isinstance(x, str):
        return "text"
    if isinstance(x, Mapping):
        return "table"
    if _is_pil(x) or (hasattr(x, "shape") and len(x.shape) in (2, 3) and min(x.shape[:2]) > 1):
        return "image"
    return "text"


def describe(x: Any) -> tuple[dict[str, Any], bytes | None]:
    """What the page shows for ``x``: a JSON payload and, for an image, PNG bytes.

    >>> describe("<b>hi</b>")[0]
    {'kind': 'text', 'text': '<b>hi</b>', 'cut': 0}
    >>> describe({"amount": 12.5, "country": "NL"})[0]["rows"]
    [['amount', '12.5'], ['country', 'NL']]
    """
    kind = item_kind(x)
    if kind == "image":
        data, mime = encode_image(as_pil(x))
        return {"kind": "image", "mime": mime}, data
    if kind == "table":
        rows = [[str(k), _cell(v)] for k, v in list(x.items())[:MAX_ROWS]]
        return {"kind": "table", "rows": rows, "cut": max(0, len(x) - MAX_ROWS)}, None
    text = x if isinstance(x, str) else repr(x)
    return {"kind": "text", "text": text[:MAX_TEXT], "cut": max(0, len(text) - MAX_TEXT)}, None


def as_pil(x: Any) -> Any:
    """An image item as a PIL image: uint8 as is, floats in [0, 1] scaled, other ranges stretched."""
    from PIL import Image

    if _is_pil(x):
        return _plain_mode(x)
    arr = _as_hwc(x)
    if arr.dtype != np.uint8:
        arr = arr.astype(np.float64)
        top = float(arr.max(initial=0))
        scale = 255.0 if top <= 1.0 else 255.0 / top
        arr = np.clip(np.rint(arr * scale), 0, 255).astype(np.uint8)
    return Image.fromarray(arr)


def label_text(y: Hashable) -> str:
    return "" if y is None or y is NO_TRUTH else str(y)


def _cell(v: Any) -> str:
    if isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(float(v)) and float(v) != int(v):
        return f"{float(v):.6g}"
    return str(v)[:200]

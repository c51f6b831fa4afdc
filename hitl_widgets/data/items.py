"""Pools of texts and table rows: the items as the learner reads them, and features the samplers can measure.

A text or table pool keeps the items themselves as the learner's inputs
(river pipelines read a text or a dict) and adds numeric features for the
samplers that need distances (k-center, density): hashed word counts for
texts, scaled numbers and one-hot strings for rows (holes imputed, with a
missing-indicator). Images have their own
path (:mod:`hitl_widgets.data.image_features`).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .given import describe_given, looked_up, short_text
from .identity import is_missing, plain_value
from .pool import SHOWN, UNLABELED, Pool

TEXT_FEATURES = 256  # hashed word counts per text (for distances only; the learner reads the text)
MAX_CATEGORIES = 32  # one-hot columns per string field for distances (rarer values share one: an id-like field
# of 100,000 distinct strings would otherwise make a dense 100,000 x 100,000 matrix)
ITEMS = (
    "texts (a list of strings), table rows (a list of dicts, or a DataFrame) or images (a folder, a CSV file "
    "of image paths, a list of image paths, an array (N, H, W[, C]), PIL images or a torch Dataset)"
)


def items_kind(items: Any) -> str:
    """``"text"``, ``"table"`` or ``"image"`` for what a labeler is given; a ``ValueError`` that says what
    was given and what is expected for anything else.

    A list of strings is texts unless every one ends like an image file; a
    string is a folder or a CSV file of images; a 1-D array or a Series of
    strings is texts; anything indexable that is none of these may be an image
    data set (:meth:`~hitl_widgets.data.image_source.ImageSource.from_any` decides).

    >>> items_kind(["free prize", "see you"]), items_kind([{"age": 3}]), items_kind(np.zeros((4, 8, 8)))
    ('text', 'table', 'image')
    >>> items_kind([1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: got a list of 3 numbers: a number alone is not an item to label; give texts (a list of ...
    """
    given = describe_given(items)
    if _is_dataframe(items):
        if len(items) == 0:
            raise ValueError(f"got {given}; give at least one row")
        return "table"
    if isinstance(items, (str, os.PathLike)):
        path, is_dir, exists = looked_up(items)
        if is_dir or path.suffix.lower() == ".csv":
            return "image"
        what = "is not a folder or a .csv file" + ("" if exists else " (no such path)")
        raise ValueError(
            f"got {given}, which {what}; a string is read as a folder or a CSV file of images. To label "
            f"texts, give a list of them, e.g. [{short_text(str(items))!r}, ...]"
        )
    if items is None or isinstance(items, Mapping):
        hint = " (a dict of columns: pandas.DataFrame(it))" if isinstance(items, Mapping) else ""
        raise ValueError(f"got {given}; give {ITEMS}{hint}")
    if isinstance(items, Iterator):
        raise ValueError(f"got {given}: a pool needs all its items at once; give list(...) of them: {ITEMS}")
    if isinstance(items, np.ndarray) and items.ndim == 2:
        raise ValueError(
            f"got {given}: rows of numbers? Give pandas.DataFrame(X) to label them as table rows; an image "
            "array is (N, H, W) or (N, H, W, C)"
        )
    one_d = type(items).__name__ == "Series" or (isinstance(items, np.ndarray) and items.ndim == 1)
    if one_d or isinstance(items, (list, tuple, range)):
        first = items.iloc[:100].tolist() if type(items).__name__ == "Series" else list(items[:100])
        if not first:
            raise ValueError(f"got {given}; give at least one item: {ITEMS}")
        if all(isinstance(x, str) for x in first):
            return "image" if not one_d and _looks_like_paths(first) else "text"
        if all(isinstance(x, Mapping) for x in first):
            return "table"
        if all(isinstance(x, numbers.Number) for x in first):
            raise ValueError(f"got {given}: a number alone is not an item to label; give {ITEMS}")
        if one_d or any(isinstance(x, (str, Mapping, numbers.Number)) or x is None for x in first):
            raise ValueError(f"got {given}; give items of one kind: {ITEMS}")
    return "image"


def item_pool(items: Any, kind: str, ids: Sequence[Hashable] | None = None) -> Pool:
    """A pool over texts or table rows: the items as inputs, numeric features for distances.

    Rows may have holes (None, NaN, pandas' NA or NaT, a missing key); an
    infinite number is refused here, before anything starts, naming its row and column.
    """
    rows = _rows(items) if kind == "table" else [str(x) for x in items]
    if not rows:
        raise ValueError("the pool is empty; give at least one item")
    if ids is None and type(items).__name__ in ("DataFrame", "Series") and hasattr(items, "index"):
        ids = list(items.index)
    if kind == "table":
        columns = table_columns(rows)
        check_finite(rows, columns, ids if ids is not None else range(len(rows)))
        features = table_features(rows, columns)
    else:
        features = text_features(rows)
    return Pool(features, ids if ids is not None else [], [UNLABELED] * len(rows), inputs=rows)


def text_features(texts: Sequence[str], n_features: int = TEXT_FEATURES) -> np.ndarray:
    """Hashed, L2-normalised word counts (N, n_features), float32.

    >>> X = text_features(["free prize now", "free prize", "see you at 7"])
    >>> X.shape, bool(X[0] @ X[1] > X[0] @ X[2])
    ((3, 256), True)
    """
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(n_features=n_features, alternate_sign=False, norm="l2")
    return vectorizer.transform(texts).toarray().astype(np.float32)


def table_features(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str] | None = None) -> np.ndarray:
    """Features for distances (N, D), float32: numbers mean-imputed with a missing-indicator, strings
    one-hot (a missing string is its own category), all standardised (scikit-learn's pieces).

    ``columns``: :func:`table_columns` of the rows, when known already.

    >>> X = table_features([{"amount": 10.0, "country": "NL"}, {"amount": None, "country": "DE"}, {"country": None}])
    >>> X.shape, bool(np.isfinite(X).all())
    ((3, 5), True)
    """
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    columns = table_columns(rows) if columns is None else columns
    numeric = [c for c, kind in columns.items() if kind == "number"]
    nominal = [c for c, kind in columns.items() if kind in ("text", "mixed")]
    parts = []
    if numeric:
        X = np.array([[np.nan if is_missing(v := r.get(c)) else float(v) for c in numeric] for r in rows])
        parts.append(SimpleImputer(strategy="mean", add_indicator=True).fit_transform(X))
    if nominal:
        cells = [[None if is_missing(v := r.get(c)) else str(v) for c in nominal] for r in rows]
        encoder = OneHotEncoder(sparse_output=False, handle_unknown="ignore", max_categories=MAX_CATEGORIES)
        parts.append(encoder.fit_transform(np.array(cells, dtype=object)))
    if not parts:
        return np.zeros((len(rows), 1), dtype=np.float32)
    return StandardScaler().fit_transform(np.hstack(parts)).astype(np.float32)


def table_columns(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each field's kind over all rows, in the order first seen: ``"number"``, ``"text"``, ``"mixed"``
    (numbers and strings), ``"missing"`` (no row has a value) or ``"other"`` (dates, lists: not features).

    >>> table_columns([{"amount": 1.5, "country": None}, {"amount": None, "country": "NL", "note": None}])
    {'amount': 'number', 'country': 'text', 'note': 'missing'}
    """
    seen: dict[str, set[str]] = {}
    for row in rows:
        for k, v in row.items():
            kinds = seen.setdefault(k, set())
            if not is_missing(v):
                kinds.add("number" if isinstance(v, numbers.Real) else "text" if isinstance(v, str) else "other")
    names = {frozenset(): "missing", frozenset({"number"}): "number", frozenset({"text"}): "text"}
    return {k: names.get(frozenset(s), "mixed" if s == {"number", "text"} else "other") for k, s in seen.items()}


def check_finite(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str], ids: Sequence[Hashable]) -> None:
    """Refuse infinite numbers, naming the rows (by id) and columns: no model can learn from them.

    >>> check_finite([{"amount": 1.0}, {"amount": float("inf")}], {"amount": "number"}, ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: row 'b', column 'amount' holds inf; a model cannot learn from an infinite value: replace it ...
    """
    numeric = [c for c, kind in columns.items() if kind in ("number", "mixed")]
    bad = [
        (ids[i], c, v)
        for i, row in enumerate(rows)
        for c in numeric
        if isinstance(v := row.get(c), numbers.Real) and math.isinf(v)
    ]
    if bad:
        cells = [f"row {i!r}, column {c!r} holds {v}" for i, c, v in bad[:SHOWN]]
        more = f" (and {len(bad) - SHOWN} more cells)" if len(bad) > SHOWN else ""
        raise ValueError(
            "; ".join(cells) + more + "; a model cannot learn from an infinite value: replace it with a "
            "finite number, or with NaN or None to mark it missing"
        )


def _rows(items: Any) -> list[dict[str, Any]]:
    if _is_dataframe(items):
        return [{str(k): plain_value(v) for k, v in row.items()} for row in items.to_dict(orient="records")]
    return [{str(k): plain_value(v) for k, v in dict(x).items()} for x in items]


def _is_dataframe(x: Any) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "to_dict")


def _looks_like_paths(items: Sequence[str]) -> bool:
    from .images import IMAGE_EXTENSIONS

    return all(str(x).lower().endswith(tuple(IMAGE_EXTENSIONS)) for x in items[:100])

"""Pools of texts and table rows: the items as the learner reads them, and features the samplers can measure.

A text or table pool keeps the items themselves as the learner's inputs
(river pipelines read a text or a dict) and adds numeric features for the
samplers that need distances (k-center, density): hashed word counts for
texts, scaled numbers and one-hot strings for rows. Images have their own
path (:mod:`hitl_widgets.data.image_features`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from .pool import UNLABELED, Pool

TEXT_FEATURES = 256  # hashed word counts per text (for distances only; the learner reads the text)


def items_kind(items: Any) -> str:
    """``"text"``, ``"table"`` or ``"image"`` for what a labeler is given.

    >>> items_kind(["free prize", "see you"]), items_kind([{"age": 3}]), items_kind(np.zeros((4, 8, 8)))
    ('text', 'table', 'image')
    """
    if _is_dataframe(items):
        return "table"
    if isinstance(items, (list, tuple)) and items:
        if all(isinstance(x, str) for x in items[:100]):
            return "text" if not _looks_like_paths(items) else "image"
        if all(isinstance(x, Mapping) for x in items[:100]):
            return "table"
    return "image"


def item_pool(items: Any, kind: str, ids: Sequence[Hashable] | None = None) -> Pool:
    """A pool over texts or table rows: the items as inputs, numeric features for distances."""
    rows = _rows(items) if kind == "table" else [str(x) for x in items]
    if not rows:
        raise ValueError("the pool is empty; give at least one item")
    if ids is None and _is_dataframe(items):
        ids = list(items.index)
    features = table_features(rows) if kind == "table" else text_features(rows)
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


def table_features(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Numbers standardised and strings one-hot (N, D), float32; missing fields are 0.

    >>> table_features([{"amount": 10.0, "country": "NL"}, {"amount": 30.0, "country": "DE"}]).shape
    (2, 3)
    """
    from sklearn.feature_extraction import DictVectorizer

    clean = [{str(k): v for k, v in r.items() if isinstance(v, (int, float, str)) and v == v} for r in rows]
    X = DictVectorizer(sparse=False).fit_transform(clean)
    spread = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    return X.astype(np.float32) if X.shape[1] else np.zeros((len(rows), 1), dtype=np.float32)


def _rows(items: Any) -> list[dict[str, Any]]:
    if _is_dataframe(items):
        return [{str(k): _plain(v) for k, v in row.items()} for row in items.to_dict(orient="records")]
    return [{str(k): _plain(v) for k, v in dict(x).items()} for x in items]


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _is_dataframe(x: Any) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "to_dict")


def _looks_like_paths(items: Sequence[str]) -> bool:
    from .images import IMAGE_EXTENSIONS

    return all(str(x).lower().endswith(tuple(IMAGE_EXTENSIONS)) for x in items[:100])

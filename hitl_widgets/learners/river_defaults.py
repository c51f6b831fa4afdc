"""Default river learners for a stream or a pool, by the kind of item: text, a dict of features, or an image.

Dicts may have holes (None, NaN, pandas' NA or NaT, a missing key): a
missing number is imputed with its running mean (river's ``StatImputer``)
before it is scaled, a missing string leaves its one-hot block empty, and a
missing-indicator feature per field says the value was missing. An infinite
number raises, naming its field: no model can learn from it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from river import base

from ..data.identity import is_missing
from ..data.items import table_columns
from ..data.stream_items import as_pil, item_kind

IMAGE_SIDE = 16  # images are learned from 16 x 16 grey thumbnails


def default_stream_learner(x: Any, rows: Sequence[Mapping[str, Any]] | None = None) -> Any:
    """A river pipeline for items like ``x``, ending in logistic regression (one-vs-rest, so any labels work).

    Text: bag of words. Dicts: numbers imputed (running mean) and scaled,
    strings one-hot encoded, and a missing-indicator per field with a hole.
    Images: a 16 x 16 grey thumbnail, scaled.

    ``rows``: for dicts, all the rows known up front (a pool's), from which
    the fields and their kinds are read; a stream's come from its first item
    (a field that has no number there is not imputed: when it is missing the
    scaled value is left out, which for the linear head is the same as imputing
    the scaler's mean).

    >>> model = default_stream_learner("win a prize")
    >>> model.learn_one("win a prize now", "spam"); model.learn_one("see you at 7", "ham")
    >>> sorted(model.predict_proba_one("prize"))
    ['ham', 'spam']
    >>> rows = [{"amount": 10.0, "country": "NL"}, {"amount": 900.0, "country": None}, {"country": "DE"}]
    >>> model = default_stream_learner(rows[0], rows)
    >>> model.learn_one(rows[0], "ok"); model.learn_one(rows[1], "fraud")
    >>> p = model.predict_proba_one({"amount": float("nan")})
    >>> sorted(p), all(0 < v < 1 for v in p.values())
    (['fraud', 'ok'], True)
    """
    from river import compose, feature_extraction, linear_model, multiclass, optim, preprocessing

    kind = item_kind(x)
    # river's default step (0.01) keeps probabilities near 50% for hundreds of labels, so the gate
    # asks about nearly everything; on the bundled SMS data 0.5 asked 132 of 4,000 (0.01: 1,404)
    step = 0.5 if kind == "text" else 0.1
    head = multiclass.OneVsRestClassifier(linear_model.LogisticRegression(optimizer=optim.SGD(step)))
    if kind == "table":
        return table_features_pipeline(table_columns(rows if rows is not None else [x])) | head
    if kind == "image":
        return compose.FuncTransformer(thumbnail_features) | preprocessing.StandardScaler() | head
    return feature_extraction.BagOfWords(lowercase=True) | head


def table_features_pipeline(columns: Mapping[str, str]) -> Any:
    """river's pieces for dict rows with holes: imputed and scaled numbers, one-hot strings, missing-indicators.

    ``columns``: ``{field: kind}`` (:func:`~hitl_widgets.data.items.table_columns`);
    its ``"number"`` fields are imputed by a running mean.

    >>> steps = table_features_pipeline({"amount": "number", "country": "text"})
    >>> steps.learn_one({"amount": 10.0, "country": "NL"}); steps.learn_one({"amount": 30.0, "country": "DE"})
    >>> out = steps.transform_one({"amount": None})
    >>> out["amount"], out[("missing", "amount")], out[("missing", "country")]
    (0.0, 1.0, 1.0)
    """
    from river import compose, preprocessing, stats

    numeric = [c for c, kind in columns.items() if kind == "number"]
    impute = preprocessing.StatImputer(*[(c, stats.Mean()) for c in numeric])
    scaled = compose.SelectType(numbers.Number) | preprocessing.StandardScaler()
    one_hot = compose.SelectType(str) | preprocessing.OneHotEncoder()
    indicator = compose.FuncTransformer(missing_indicator)
    return MarkMissing(tuple(columns)) | ((impute | (scaled + one_hot)) + indicator)


class MarkMissing(base.Transformer):
    """Holes as river's missing value, ``None``: NaN, pandas' NA and NaT become ``None``, and each of
    ``columns`` absent from a row is added as ``None`` (river's imputers expect every field they impute).

    An infinite number raises a ``ValueError`` naming its field.

    >>> MarkMissing(("amount", "country")).transform_one({"amount": float("nan")})
    {'amount': None, 'country': None}
    """

    def __init__(self, columns: tuple[Any, ...] = ()):
        self.columns = columns

    def transform_one(self, x: Mapping[Any, Any]) -> dict[Any, Any]:
        out = dict.fromkeys(self.columns)
        for k, v in x.items():
            kind = type(v)
            # the common cells first: this runs for every row at every re-ranking (ABC checks cost 2x)
            if kind is str or kind is int or (kind is float and v - v == 0.0):  # a finite float: NaN, inf fail
                out[k] = v
            elif isinstance(v, numbers.Real) and math.isinf(v):
                raise ValueError(
                    f"field {k!r} holds {v}; a model cannot learn from an infinite value: replace it with a "
                    "finite number, or with NaN or None to mark it missing"
                )
            else:
                out[k] = None if is_missing(v) else v
        return out


def missing_indicator(x: Mapping[Any, Any]) -> dict[tuple[str, Any], float]:
    """``{("missing", field): 1.0}`` for each field that is ``None`` (a tuple key: no clash with a field's name).

    >>> missing_indicator({"amount": None, "country": "NL"})
    {('missing', 'amount'): 1.0}
    """
    return {("missing", k): 1.0 for k, v in x.items() if v is None}


def thumbnail_features(x: Any) -> dict[int, float]:
    """The pixels of a 16 x 16 grey thumbnail of an image item, in [0, 1], as river features."""
    from PIL import Image

    thumb = as_pil(x).convert("L").resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.BILINEAR)
    return dict(enumerate((np.asarray(thumb, dtype=np.float64).ravel() / 255.0).tolist()))

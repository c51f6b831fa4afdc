"""Default river learners for a stream, by the kind of item: text, a dict of features, or an image."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..data.stream_items import as_pil, item_kind

IMAGE_SIDE = 16  # images are learned from 16 x 16 grey thumbnails


def default_stream_learner(x: Any) -> Any:
    """A river pipeline for items like ``x``, ending in logistic regression (one-vs-rest, so any labels work).

    Text: bag of words. Dicts: numbers scaled, strings one-hot encoded.
    Images: a 16 x 16 grey thumbnail, scaled.

    >>> model = default_stream_learner("win a prize")
    >>> model.learn_one("win a prize now", "spam"); model.learn_one("see you at 7", "ham")
    >>> sorted(model.predict_proba_one("prize"))
    ['ham', 'spam']
    """
    from river import compose, feature_extraction, linear_model, multiclass, optim, preprocessing

    kind = item_kind(x)
    # river's default step (0.01) keeps probabilities near 50% for hundreds of labels, so the gate
    # asks about nearly everything; on the bundled SMS data 0.5 asked 132 of 4,000 (0.01: 1,404)
    step = 0.5 if kind == "text" else 0.1
    head = multiclass.OneVsRestClassifier(linear_model.LogisticRegression(optimizer=optim.SGD(step)))
    if kind == "table":
        numeric = compose.SelectType(numbers.Number) | preprocessing.StandardScaler()
        nominal = compose.SelectType(str) | preprocessing.OneHotEncoder()
        return (numeric + nominal) | head
    if kind == "image":
        return compose.FuncTransformer(thumbnail_features) | preprocessing.StandardScaler() | head
    return feature_extraction.BagOfWords(lowercase=True) | head


def thumbnail_features(x: Any) -> dict[int, float]:
    """The pixels of a 16 x 16 grey thumbnail of an image item, in [0, 1], as river features."""
    from PIL import Image

    thumb = as_pil(x).convert("L").resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.BILINEAR)
    return dict(enumerate((np.asarray(thumb, dtype=np.float64).ravel() / 255.0).tolist()))

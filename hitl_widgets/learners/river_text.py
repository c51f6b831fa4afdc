"""A pool of texts scored by river's bag of words and linear head at once, not text by text.

The text labelers' default model (:func:`~hitl_widgets.learners.river_defaults.default_stream_learner`)
is river's ``BagOfWords | OneVsRestClassifier(LogisticRegression)``. Asked
text by text, a ranking of 1,500 SMS messages tokenises every message again
and walks river's dicts: ~35 ms per re-rank on this machine, which a team's
annotators pay on every teammate's label. The words of a pool never change,
so :class:`WordCounts` counts them once (river's own ``BagOfWords``, so the
tokens are the model's), as a sparse matrix; a ranking then reads each
class's weights over that vocabulary and scores the pool in one sparse
product, the same probabilities as river's ``predict_proba_one`` (to rounding).

A pipeline of another shape (another head, more steps, a stateful
vectoriser such as TF-IDF) is scored text by text, as before.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

EXP_LIMIT = 30.0  # river's sigmoid: 0 below -30, 1 above 30


class WordCounts:
    """The word counts of a pool's texts under a river ``BagOfWords``: a sparse (texts, words) matrix.

    ``texts`` stays at hand for a model that cannot be scored from the counts.

    >>> from river import feature_extraction
    >>> counts = WordCounts(feature_extraction.BagOfWords(), ["Free prize", "free free call"])
    >>> counts.vocabulary, counts.matrix.toarray().tolist()
    ({'free': 0, 'prize': 1, 'call': 2}, [[1.0, 1.0, 0.0], [2.0, 0.0, 1.0]])
    >>> counts.take([1]).texts
    ['free free call']
    """

    def __init__(self, bag: Any, texts: Sequence[str]):
        from scipy import sparse

        self.texts = list(texts)
        vocabulary: dict[Hashable, int] = {}
        rows, cols, values = [], [], []
        for i, text in enumerate(self.texts):
            for word, n in bag.transform_one(text).items():
                rows.append(i)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                values.append(float(n))
        shape = (len(self.texts), len(vocabulary))
        self.matrix = sparse.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)
        self.vocabulary = vocabulary  # word -> column

    def __len__(self) -> int:
        return len(self.texts)

    def take(self, rows: Sequence[int] | np.ndarray) -> WordCounts:
        """The counts of some of the texts (the same vocabulary)."""
        index = np.asarray(rows, dtype=np.intp)
        part = object.__new__(WordCounts)
        part.texts = [self.texts[i] for i in index]
        part.matrix, part.vocabulary = self.matrix[index], self.vocabulary
        return part


def counted_texts(learner: Any, texts: Sequence[str]) -> WordCounts | None:
    """The texts counted by ``learner``'s bag of words, when the learner can be scored from counts
    (:func:`linear_proba`); else ``None``."""
    parts = _parts(learner)
    return None if parts is None else WordCounts(parts[0], texts)


def linear_proba(learner: Any, counts: WordCounts) -> tuple[list[Hashable], np.ndarray] | None:
    """``(classes, probabilities)`` of the counted texts, as river's ``predict_proba_one`` gives them
    (one-vs-rest sigmoids, normalised), or ``None`` for a learner of another shape.

    >>> from river import feature_extraction, linear_model, multiclass
    >>> model = feature_extraction.BagOfWords() | multiclass.OneVsRestClassifier(linear_model.LogisticRegression())
    >>> for text, y in [("free prize now", "spam"), ("see you at home", "ham")] * 20:
    ...     model.learn_one(text, y)
    >>> texts = ["free prize", "at home now", "nothing known"]
    >>> classes, p = linear_proba(model, counted_texts(model, texts))
    >>> river = [[model.predict_proba_one(t)[c] for c in classes] for t in texts]
    >>> bool(np.allclose(p, river, atol=1e-12))
    True
    """
    parts = _parts(learner)
    if parts is None:
        return None
    heads = parts[1].classifiers
    classes = list(heads)
    if not classes:
        return classes, np.zeros((len(counts), 0))
    weights = np.zeros((len(counts.vocabulary), len(classes)))
    for j, head in enumerate(heads.values()):
        for word, value in head.weights.items():  # the words it learned: a few of the pool's, early on
            column = counts.vocabulary.get(word)
            if column is not None:
                weights[column, j] = value
    intercepts = np.array([float(head.intercept) for head in heads.values()])
    logits = counts.matrix @ weights + intercepts
    p = 1.0 / (1.0 + np.exp(-np.clip(logits, -2 * EXP_LIMIT, 2 * EXP_LIMIT)))
    p[logits < -EXP_LIMIT], p[logits > EXP_LIMIT] = 0.0, 1.0
    total = p.sum(axis=1, keepdims=True)
    uniform = np.full_like(p, 1.0 / len(classes))
    return classes, np.where(total > 0, p / np.where(total > 0, total, 1.0), uniform)


def _parts(learner: Any) -> tuple[Any, Any] | None:
    """``(bag of words, one-vs-rest logistic regression)`` of a two-step river pipeline, else ``None``."""
    from river import compose, feature_extraction, linear_model, multiclass

    if not isinstance(learner, compose.Pipeline) or len(learner.steps) != 2:
        return None
    bag, head = learner.steps.values()
    # TF-IDF learns document frequencies: its counts change as it learns, so they cannot be kept
    if type(bag) is not feature_extraction.BagOfWords or bag.on is not None:
        return None
    if not isinstance(head, multiclass.OneVsRestClassifier):
        return None
    if not all(type(clf) is linear_model.LogisticRegression for clf in [head.classifier, *head.classifiers.values()]):
        return None
    if not all(type(clf.loss).__name__ == "Log" for clf in [head.classifier, *head.classifiers.values()]):
        return None
    return bag, head

"""What a session's learner reads: the pool's rows in the learner's form, and a held-out set of the pool's kind."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ...data import Pool
from ...data.pool import object_rows
from ...learners.protocol import plain_label, torch_rows
from ...learners.river_text import WordCounts, counted_texts


def learner_rows(pool: Pool, learner: Any) -> Any:
    """The items themselves (texts, dicts; texts counted once for river's bag of words with logistic
    regression, which then scores them at once), or the feature rows (float32 tensors, without a copy per
    ranking, for learners that take tensors)."""
    if pool.inputs is not None:
        counts = counted_texts(learner, pool.inputs) if all(isinstance(x, str) for x in pool.inputs) else None
        return pool.inputs if counts is None else counts
    if getattr(learner, "takes_tensors", False):
        return torch_rows(pool.features)
    return pool.features


def held_out_rows(pool: Pool, test: tuple[Any, Sequence[Hashable]] | None) -> tuple[Any, list[Hashable] | None]:
    """``(X_test, y_test)`` of the pool's kind (texts and dicts as objects, else feature rows), or ``(None, None)``."""
    if test is None:
        return None, None
    X = object_rows(test[0]) if pool.inputs is not None else np.asarray(test[0], dtype=float)
    return X, [plain_label(y) for y in test[1]]


def take_rows(inputs: Any, rows: Sequence[int] | np.ndarray) -> Any:
    """Some rows of a learner's inputs (an array or a tensor), gathered in one call.

    Indexing a torch tensor with a numpy array is several times slower than
    ``index_select`` (18 ms against 4 ms for 66,000 rows of 64 features).

    >>> take_rows(np.arange(10).reshape(5, 2), [3, 0]).tolist()
    [[6, 7], [0, 1]]
    """
    index = np.asarray(rows, dtype=np.intp)
    if isinstance(inputs, WordCounts):
        return inputs.take(index)
    if isinstance(inputs, np.ndarray):
        return inputs.take(index, axis=0)
    import torch

    if isinstance(inputs, torch.Tensor):
        return torch.index_select(inputs, 0, torch.from_numpy(index.astype(np.int64)))
    return inputs[index]

"""What a session's learner reads: the pool's rows in the learner's form, and a held-out set of the pool's kind."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from .data import Pool
from .data.pool import object_rows
from .learners.protocol import plain_label, torch_rows


def learner_rows(pool: Pool, learner: Any) -> Any:
    """The items themselves (texts, dicts), or the feature rows (float32 tensors, without a copy per
    ranking, for learners that take tensors)."""
    if pool.inputs is not None:
        return pool.inputs
    if getattr(learner, "takes_tensors", False):
        return torch_rows(pool.features)
    return pool.features


def held_out_rows(pool: Pool, test: tuple[Any, Sequence[Hashable]] | None) -> tuple[Any, list[Hashable] | None]:
    """``(X_test, y_test)`` of the pool's kind (texts and dicts as objects, else feature rows), or ``(None, None)``."""
    if test is None:
        return None, None
    X = object_rows(test[0]) if pool.inputs is not None else np.asarray(test[0], dtype=float)
    return X, [plain_label(y) for y in test[1]]

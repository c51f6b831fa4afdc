"""The examples an online learner replays: rows and class indices in growing numpy arrays."""

from __future__ import annotations

import numpy as np


class ReplayMemory:
    """Every example learned so far, in order; a mini-batch is a gather, not a stack of tensors.

    The arrays double when full, so an append is amortised constant time;
    :meth:`truncate` forgets the newest examples (an undo).

    >>> memory = ReplayMemory()
    >>> for i in range(5):
    ...     memory.append(np.full(3, i, dtype=np.float32), i % 2)
    >>> len(memory), memory.rows[[4, 0]].tolist(), memory.labels[[4, 0]].tolist()
    (5, [[4.0, 4.0, 4.0], [0.0, 0.0, 0.0]], [0, 0])
    >>> memory.truncate(2); len(memory)
    2
    """

    def __init__(self) -> None:
        self._rows: np.ndarray | None = None
        self._labels = np.zeros(0, dtype=np.int64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def rows(self) -> np.ndarray:
        """The examples, (n, ...) float32 (a view: valid until the next append)."""
        if self._rows is None:
            return np.zeros((0,), dtype=np.float32)
        return self._rows[: self._n]

    @property
    def labels(self) -> np.ndarray:
        """Their class indices, (n,) int64 (a view)."""
        return self._labels[: self._n]

    def append(self, row: np.ndarray, label: int) -> None:
        row = np.asarray(row, dtype=np.float32)
        if self._rows is None:
            self._rows = np.empty((16, *row.shape), dtype=np.float32)
            self._labels = np.empty(16, dtype=np.int64)
        elif row.shape != self._rows.shape[1:]:
            raise ValueError(
                f"ReplayMemory: an example of shape {row.shape} among examples of shape {self._rows.shape[1:]}"
            )
        if self._n == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
            self._labels = np.concatenate([self._labels, np.empty_like(self._labels)])
        self._rows[self._n] = row
        self._labels[self._n] = label
        self._n += 1

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` examples."""
        self._n = min(self._n, n)

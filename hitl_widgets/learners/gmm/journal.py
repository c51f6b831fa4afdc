"""The undo journal of the online mixture: what each step changed, in preallocated numpy rings.

A step keeps the statistics and counters from before it, the rows a partial
E-step rewrote (with their old responsibilities), and, when a structural move
rewrote many responsibilities, a copy of all of them. Storing these in fixed
numpy arrays rather than an object per step means a long session promotes
nothing to the garbage collector's oldest generation, whose full passes
would otherwise pause a click for tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COUNTERS = ("n", "k", "n_pending", "merges", "splits", "adopted", "tests", "scale_known")


@dataclass
class Record:
    """One step read back from the journal (views into its rings)."""

    S: np.ndarray
    since: np.ndarray
    counters: dict[str, int]
    prior_scale: float  # a data-following prior changes with the points
    refreshed_rows: np.ndarray
    refreshed_old: np.ndarray
    all_rows: np.ndarray | None
    all_rows_first: bool


class Journal:
    """A ring of the last ``depth`` steps."""

    def __init__(self, depth: int, slots: int, width: int, refresh: int):
        self.depth = depth
        self.S = np.zeros((depth, slots, width))
        self.since = np.zeros((depth, slots))
        self.prior_scale = np.zeros(depth)
        self.counters = np.zeros((depth, len(COUNTERS)), dtype=np.int64)
        self.n_refreshed = np.zeros(depth, dtype=np.intp)
        self.rows = np.zeros((depth, max(refresh, 1)), dtype=np.intp)
        self.old = np.zeros((depth, max(refresh, 1), slots))
        self.all_rows: dict[int, tuple[np.ndarray, bool]] = {}  # ring position -> (R[:n] copy, taken first)
        self.top = -1  # ring position of the newest step
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def clear(self) -> None:
        self.size = 0
        self.all_rows.clear()

    def begin(self, S: np.ndarray, since: np.ndarray, counters: tuple[int, ...], prior_scale: float) -> None:
        """Open a step: the statistics, counters and prior before it."""
        self.top = (self.top + 1) % self.depth
        self.size = min(self.size + 1, self.depth)
        t = self.top
        self.S[t] = S
        self.since[t] = since
        self.counters[t] = counters
        self.prior_scale[t] = prior_scale
        self.n_refreshed[t] = 0
        self.all_rows.pop(t, None)

    def refreshed(self, rows: np.ndarray, old: np.ndarray) -> None:
        """The first partial E-step of the open step: its rows and their old responsibilities."""
        t = self.top
        if self.size and self.n_refreshed[t] == 0 and rows.size:
            m = rows.size
            self.rows[t, :m] = rows
            self.old[t, :m] = old
            self.n_refreshed[t] = m

    def keep_all_rows(self, R: np.ndarray) -> None:
        """Every responsibility, once per step, before a move rewrites many of them."""
        t = self.top
        if self.size and t not in self.all_rows:
            self.all_rows[t] = (R.copy(), self.n_refreshed[t] == 0)

    def pop(self) -> Record:
        """Close and return the newest step."""
        if not self.size:
            raise IndexError("the journal is empty")
        t = self.top
        m = int(self.n_refreshed[t])
        rows, first = self.all_rows.pop(t, (None, False))
        record = Record(
            S=self.S[t].copy(),
            since=self.since[t].copy(),
            counters=dict(zip(COUNTERS, self.counters[t].tolist(), strict=True)),
            prior_scale=float(self.prior_scale[t]),
            refreshed_rows=self.rows[t, :m],
            refreshed_old=self.old[t, :m],
            all_rows=rows,
            all_rows_first=first,
        )
        self.top = (self.top - 1) % self.depth
        self.size -= 1
        return record

    def restore_rows(self, R: np.ndarray, record: Record) -> None:
        """Put back the responsibilities a step rewrote, in the reverse order of the changes."""
        if record.all_rows is not None and record.all_rows_first:
            R[: record.all_rows.shape[0]] = record.all_rows  # taken before anything else changed
            return
        if record.all_rows is not None:
            R[: record.all_rows.shape[0]] = record.all_rows
        if record.refreshed_rows.size:
            R[record.refreshed_rows] = record.refreshed_old


def hashed_draws(seed: int, step: int, salt: int, m: int, high: int) -> np.ndarray:
    """``m`` pseudo-random integers in ``[0, high)`` from (seed, step, salt) alone (splitmix64).

    Stateless: the same step draws the same rows after an undo, so there is no
    generator state to journal.

    >>> hashed_draws(0, 10, 1, 5, 100).tolist() == hashed_draws(0, 10, 1, 5, 100).tolist()
    True
    >>> int(hashed_draws(0, 10, 1, 1000, 7).max()) < 7
    True
    """
    key = (_mix64_int(seed) + _mix64_int(step) + _mix64_int(salt)) & _MASK
    x = np.arange(m, dtype=np.uint64)
    x += np.uint64(key)
    _mix64(x)
    x %= np.uint64(high)
    return x.astype(np.intp)


def distinct_draws(seed: int, step: int, salt: int, m: int, high: int) -> np.ndarray:
    """:func:`hashed_draws`, sorted, each row once (what ``np.unique`` gives, at a quarter of its cost).

    >>> distinct_draws(0, 10, 1, 50, 20).tolist() == np.unique(hashed_draws(0, 10, 1, 50, 20)).tolist()
    True
    """
    rows = np.sort(hashed_draws(seed, step, salt, m, high))
    if rows.size < 2:
        return rows
    keep = np.empty(rows.size, dtype=bool)
    keep[0] = True
    np.not_equal(rows[1:], rows[:-1], out=keep[1:])
    return rows[keep]


_GOLDEN, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_MASK = (1 << 64) - 1


def _mix64_int(x: int) -> int:
    """splitmix64's finaliser on one Python int (what :func:`_mix64` does to each array element)."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * _M1) & _MASK
    x = ((x ^ (x >> 27)) * _M2) & _MASK
    return x ^ (x >> 31)


def _mix64(x: np.ndarray) -> None:
    """splitmix64's finaliser, in place on a uint64 array (it wraps as the scalar version masks)."""
    x += _U_GOLDEN
    x ^= x >> _U30
    x *= _U_M1
    x ^= x >> _U27
    x *= _U_M2
    x ^= x >> _U31


_U_GOLDEN, _U_M1, _U_M2 = np.uint64(_GOLDEN), np.uint64(_M1), np.uint64(_M2)
_U30, _U27, _U31 = np.uint64(30), np.uint64(27), np.uint64(31)

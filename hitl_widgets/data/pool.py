"""The pool of items to label: features for the learner, ids for people, optional known labels."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .identity import content_hash, hash_head

UNLABELED = None  # a pool row that came without a label
SHOWN = 5  # cells an error names


@dataclass
class Pool:
    """Items with feature rows (N, D), ids, and labels already known (``None`` where unlabeled).

    Rows are float64, or float32 when given as float32. Each item also has
    a content hash (:meth:`item_hash`): what a stored label belongs to, so
    that other content at the same id never takes it (:meth:`row_of`).

    Examples
    --------
    >>> pool = Pool.from_array([[0.0, 1.0], [2.0, 3.0]], ids=["a", "b"])
    >>> len(pool), pool.index_of("b"), pool.features[1].tolist()
    (2, 1, [2.0, 3.0])
    >>> h = pool.item_hash(1)  # what a stored answer about "b" keeps
    >>> moved, other = Pool.from_array([[2.0, 3.0], [0.0, 1.0]]), Pool.from_array([[5.0, 5.0], [2.0, 2.0]])
    >>> pool.row_of("b", h), moved.row_of(1, h), other.row_of(1, h)
    (1, 0, None)
    """

    features: np.ndarray
    ids: list[Hashable] = field(default_factory=list)
    labels: list[Any] = field(default_factory=list)
    inputs: np.ndarray | None = None  # what the learner reads per row when not the features (texts, dicts)
    # the item itself per row, for its hash (an image's pixels or file); default: the input, else the feature row
    content: Callable[[int], Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        X = np.asarray(self.features)
        if X.dtype != np.float32:  # float32 rows (image features, embeddings) stay float32: half the memory
            X = X.astype(float)
        if X.ndim == 1:
            X = X[:, None]
        if X.ndim != 2:
            raise ValueError(f"Pool: features must be 2-D (one row per item), got shape {X.shape}")
        if len(X) == 0:
            raise ValueError("Pool: the pool is empty; give at least one item")
        self.ids = list(self.ids) if len(self.ids) else list(range(len(X)))
        if len(self.ids) != len(X):
            raise ValueError(f"Pool: {len(self.ids)} ids for {len(X)} rows")
        check_finite_features(X, self.ids)
        self.features = X
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("Pool: ids must be unique")
        self.labels = list(self.labels) if len(self.labels) else [UNLABELED] * len(X)
        if len(self.labels) != len(X):
            raise ValueError(f"Pool: {len(self.labels)} labels for {len(X)} rows")
        if self.inputs is not None:
            if len(self.inputs) != len(X):
                raise ValueError(f"Pool: {len(self.inputs)} inputs for {len(X)} rows")
            self.inputs = object_rows(self.inputs)
        #: ``{item id: row}`` (not to be changed): the rows of ids taken from this pool, with no checks;
        #: :meth:`rows_of` gives a clear error for an unknown id
        self.index: dict[Hashable, int] = {item: i for i, item in enumerate(self.ids)}
        self._hashes: dict[int, str] = {}  # the rows hashed one by one (answered items)
        self._by_hash: tuple[np.ndarray, np.ndarray] | None = None  # every row's hash, sorted: built when needed
        self._moved: dict[tuple[Any, str], int | None] = {}
        self._taken: set[int] = set()  # rows answered at their own ids, or given to content that moved there

    def __len__(self) -> int:
        return len(self.features)

    def __contains__(self, item_id: object) -> bool:
        try:
            return item_id in self.index
        except TypeError:  # an unhashable id is not in the pool
            return False

    def index_of(self, item_id: Hashable) -> int:
        """Row of an item id; a clear error for an unknown one."""
        try:
            return self.index[item_id]
        except (KeyError, TypeError):
            raise ValueError(f"unknown item id {item_id!r}; the pool has {len(self)} items") from None

    def rows_of(self, item_ids: Sequence[Hashable]) -> list[int]:
        """Rows of many item ids in one call (a view's entries); a clear error naming the first unknown one.

        >>> Pool(np.zeros((3, 2)), ids=["a", "b", "c"]).rows_of(["c", "a"])
        [2, 0]
        """
        index = self.index
        try:
            return [index[i] for i in item_ids]
        except (KeyError, TypeError):
            unknown = next(i for i in item_ids if not _known(index, i))
            raise ValueError(f"unknown item id {unknown!r}; the pool has {len(self)} items") from None

    def item_hash(self, row: int) -> str:
        """A hash of the item's content at ``row`` (see :mod:`hitl_widgets.data.identity`)."""
        found = self._hashes.get(row)
        if found is None:
            found = self._hashes[row] = content_hash(self._content(row))
        return found

    def row_of(self, item_id: Hashable, item_hash: str | None) -> int | None:
        """The row of an answered item: its id's row when the content there is the one answered, else a row
        the content moved to that no other answer holds (the whole pool is hashed the first time one is
        looked for), else ``None`` (not in this pool). The same answer always gets the same row.

        ``item_hash=None`` (an answer stored before hashes) trusts the id.
        """
        row = self.row_at(item_id, item_hash)
        if row is not None or item_hash is None:
            return row
        key = (_hashable(item_id), item_hash)
        if key not in self._moved:
            free = [r for r in self._rows_with(item_hash) if r not in self._taken]
            self._moved[key] = free[0] if free else None
            self._taken.update(free[:1])
        return self._moved[key]

    def match(self, answered: Iterable[tuple[Hashable, str | None]]) -> list[int | None]:
        """:meth:`row_of` for many answers ``(item id, item hash)`` read back together: the ones at their own
        ids first, so that content that moved never takes a row whose own answers are there (two equal texts
        in one pool)."""
        answered = list(answered)
        direct = [self.row_at(item_id, item_hash) for item_id, item_hash in answered]
        self._taken.update(r for r in direct if r is not None)
        return [row if row is not None else self.row_of(*pair) for row, pair in zip(direct, answered, strict=True)]

    def holds(self, item_hash: str) -> bool:
        """Whether some item of the pool has this content (hashes the whole pool the first time)."""
        return bool(self._rows_with(item_hash))

    def row_at(self, item_id: Hashable, item_hash: str | None) -> int | None:
        """The row of ``item_id`` if the content there is the one answered (``None`` hash: any), else ``None``;
        unlike :meth:`row_of` it never looks elsewhere, so it never hashes the whole pool."""
        if item_id not in self:
            return None
        row = self.index[item_id]
        return row if item_hash is None or self.item_hash(row) == item_hash else None

    def _rows_with(self, item_hash: str) -> list[int]:
        """Every row whose content has this hash, in pool order."""
        if self._by_hash is None:  # 8 bytes of each row's hash, sorted: 16 bytes a row with the order
            heads = np.fromiter((hash_head(content_hash(self._content(r))) for r in range(len(self))), np.uint64)
            order = np.argsort(heads, kind="stable")
            self._by_hash = (heads[order], order)
        heads, order = self._by_hash
        head = np.uint64(hash_head(item_hash))
        lo, hi = np.searchsorted(heads, head, "left"), np.searchsorted(heads, head, "right")
        return [int(r) for r in order[lo:hi] if self.item_hash(int(r)) == item_hash]

    def _content(self, row: int) -> Any:
        if self.content is not None:
            return self.content(row)
        return self.features[row] if self.inputs is None else self.inputs[row]

    def came_labeled(self, row: int) -> bool:
        """Whether the row's label came with the pool (the model learns it; it is not scored)."""
        return self.labels[row] is not UNLABELED

    @property
    def known(self) -> dict[int, Any]:
        """Rows that came with a label: {row: label}."""
        return {i: y for i, y in enumerate(self.labels) if y is not UNLABELED}

    # ---------------------------------------------------------------- loaders
    @classmethod
    def from_array(cls, X: Any, ids: Sequence[Hashable] | None = None, labels: Sequence[Any] | None = None) -> Pool:
        """From an array-like (N, D); a torch tensor works too."""
        if hasattr(X, "detach"):
            X = X.detach().cpu().numpy()
        return cls(np.asarray(X, dtype=float), list(ids or []), list(labels or []))

    @classmethod
    def from_dataframe(cls, df: Any, *, label_column: str | None = None, id_column: str | None = None) -> Pool:
        """From a pandas DataFrame: numeric columns are features; ``label_column`` cells, where set, are labels."""
        import pandas as pd

        missing = [c for c in (label_column, id_column) if c is not None and c not in df.columns]
        if missing:
            raise ValueError(f"Pool: column(s) {missing} not found; the columns are {list(df.columns)}")
        feature_df = df.drop(columns=[c for c in (label_column, id_column) if c is not None])
        numeric = feature_df.select_dtypes("number")
        if numeric.shape[1] == 0:
            raise ValueError(f"Pool: no numeric feature columns among {list(feature_df.columns)}")
        ids = df[id_column].tolist() if id_column else list(range(len(df)))
        check_finite_features(numeric.to_numpy(dtype=float), ids, list(numeric.columns))
        labels = None
        if label_column:
            labels = [UNLABELED if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in df[label_column]]
        return cls(numeric.to_numpy(dtype=float), ids, labels or [])

    @classmethod
    def from_csv(
        cls, path: str | os.PathLike[str], *, label_column: str | None = None, id_column: str | None = None
    ) -> Pool:
        """From a CSV file, with or without a label column (rows with a label count as labeled)."""
        import pandas as pd

        return cls.from_dataframe(pd.read_csv(path), label_column=label_column, id_column=id_column)

    @classmethod
    def from_torch_dataset(cls, dataset: Any, *, with_labels: bool = False) -> Pool:
        """From a torch Dataset of ``x`` or ``(x, y)`` items; each ``x`` is flattened into a feature row."""
        rows, labels = [], []
        for item in dataset:
            x, y = (item[0], item[1]) if isinstance(item, (tuple, list)) else (item, UNLABELED)
            rows.append(np.asarray(x.detach().cpu() if hasattr(x, "detach") else x, dtype=float).ravel())
            labels.append((y.item() if hasattr(y, "item") else y) if with_labels else UNLABELED)
        return cls(np.stack(rows), [], labels)


def _hashable(item_id: Any) -> Any:
    """A dict key for any JSON id (a list id from a store is read back as a list)."""
    try:
        hash(item_id)
    except TypeError:
        return repr(item_id)
    return (type(item_id).__name__, item_id)


def check_finite_features(X: np.ndarray, ids: Sequence[Hashable], columns: Sequence[Any] | None = None) -> None:
    """Refuse NaN and infinite features, naming the first few cells by row id and column (or feature index).

    >>> check_finite_features(np.array([[0.0, 1.0], [np.inf, 2.0]]), ["a", "b"], ["amount", "fee"])
    Traceback (most recent call last):
    ...
    ValueError: Pool: 1 row(s) hold NaN or infinite features: row 'b', column 'amount' (inf); a model cannot ...
    """
    bad = ~np.isfinite(X)
    if not bad.any():
        return
    rows, cols = np.nonzero(bad)  # row by row, the first cells first
    cells = [
        f"row {ids[r]!r}, " + (f"column {columns[c]!r}" if columns is not None else f"feature {c}") + f" ({X[r, c]})"
        for r, c in zip(rows[:SHOWN].tolist(), cols[:SHOWN].tolist(), strict=True)
    ]
    more = f" and {len(rows) - SHOWN} more cell(s)" if len(rows) > SHOWN else ""
    raise ValueError(
        f"Pool: {int(bad.any(axis=1).sum())} row(s) hold NaN or infinite features: {'; '.join(cells)}{more}; "
        "a model cannot learn from them: fill the holes first (sklearn.impute.SimpleImputer, or give the table "
        "to item_session or Labeler, whose row model imputes them) and replace infinite values"
    )


def object_rows(items: Any) -> np.ndarray:
    """A 1-D object array with one item per row (texts, dicts), indexable by an array of rows.

    >>> object_rows([{"a": 1}, "text"]).shape
    (2,)
    """
    rows = np.empty(len(items), dtype=object)  # one object per row, whatever the items are
    rows[:] = list(items)
    return rows


def _known(index: dict, item_id: Any) -> bool:
    try:
        return item_id in index
    except TypeError:  # an unhashable id is no item's
        return False

"""What a person's screen holds: the item on it, what each item was shown with, and what a view reads back.

A :class:`Screen` keeps, per pool row put on screen, the model's prediction
and confidence and the time it appeared (a label is recorded with them),
and keeps the item on screen in the store so that a session reopened after
a restart shows it again. :class:`Answered` and :class:`Snapshot` are what
one call of :meth:`Session.answer <hitl_widgets.sessions.pool.session.Session.answer>`
and :meth:`Session.snapshot <hitl_widgets.sessions.pool.session.Session.snapshot>`
give back: a key press goes down in one call and its view comes back in one.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...data import Pool
from ...learners.protocol import plain_label
from ...store import LabelRecord, LabelStore
from ...store.pools import as_item_id

ON_SCREEN = "on_screen/"  # + the annotator: the store's key for the item on their screen

log = logging.getLogger("hitl_widgets")


@dataclass(frozen=True)
class Answered:
    """What :meth:`Session.answer` did: the stored events in the order given, and for each item it was asked
    to show whether it is still open (unlabeled) after these answers; the first open one is on screen now."""

    records: list[LabelRecord]
    open: list[bool]


@dataclass(frozen=True)
class Snapshot:
    """One consistent read of a session for a view (:meth:`Session.snapshot`).

    ``rows``: pool rows of the items asked about, in order; ``trail``: the
    newest answers, oldest first, as ``(row, item id, label)`` (``None``: a
    skip); ``probs``: their class probabilities when asked for and the model
    has learned (``predicted`` is false when the model failed to predict:
    keep what was shown); ``history``: the learning history when asked for.
    """

    rows: list[int]
    trail: list[tuple[int, Hashable, Any]]
    progress: dict[str, Any]
    classes: list[Hashable]
    probs: np.ndarray | None = None
    predicted: bool = False
    history: list[dict[str, Any]] | None = None


class Screen:
    """The rows put on screen (prediction, confidence, time) and the row kept on screen across restarts."""

    def __init__(self, pool: Pool, store: LabelStore, annotator: str):
        self.pool = pool
        self.store = store
        self.annotator = annotator
        # its own lock: putting an item on screen never waits for the worker to finish learning
        self._shown: dict[int, tuple[Any, float | None, float | None]] = {}
        self._lock = threading.Lock()
        self._keeps = store.url != "sqlite://"  # nothing to come back to in memory
        self._next: int | None = None
        self._written: int | None = None
        self.last = self._read()

    def ranked(self, rows: Any, predictions: list[tuple[Any, float | None]]) -> None:
        """Rows just ranked, with the prediction and confidence each is shown with."""
        now = time.time()
        with self._lock:
            for row, (predicted, confidence) in zip(rows, predictions, strict=True):
                self._shown[int(row)] = (predicted, confidence, now)

    def put(self, row: int, predict: Callable[[int], Any]) -> bool:
        """``row`` is on screen from now on (its time counts from here); ``predict(row)`` when it was never
        ranked. Returns whether the row is to be kept in the store (then :meth:`keep` writes it)."""
        with self._lock:
            entry = self._shown.get(row)
        predicted, confidence = (predict(row), None) if entry is None else entry[:2]
        with self._lock:
            self._shown[row] = (predicted, confidence, time.time())
        if self._keeps:
            self._next = row
        return self._keeps

    def take(self, row: int) -> tuple[Any, float | None, float | None] | None:
        """What ``row`` was shown with (prediction, confidence, time), forgotten: it is being answered."""
        with self._lock:
            return self._shown.pop(row, None)

    def confidence(self, row: int) -> float | None:
        with self._lock:
            entry = self._shown.get(row)
        return None if entry is None else entry[1]

    def keep(self) -> None:
        """Write the row last put on screen to the store (in the worker: of several put meanwhile, the last)."""
        row = self._next
        if row is None or row == self._written or not self._keeps:
            return
        try:
            value = json.dumps({"item": plain_label(self.pool.ids[row]), "item_hash": self.pool.item_hash(row)})
        except (TypeError, ValueError):  # an id that is no JSON: nothing to come back to
            self._keeps = False
            return
        # a role that may only insert and read cannot replace the value: then it is not kept (said once)
        self._keeps = self.store.try_save_state(f"{ON_SCREEN}{self.annotator}", value.encode())
        self._written = row
        if not self._keeps:
            log.info("the item on screen is not kept in %s: the database refused to replace it", self.store.address)

    def _read(self) -> Hashable | None:
        saved = self.store.load_state(f"{ON_SCREEN}{self.annotator}") if self._keeps else None
        if saved is None:
            return None
        found = json.loads(saved)
        row = self.pool.row_of(as_item_id(found["item"]), found["item_hash"])
        return None if row is None else self.pool.ids[row]

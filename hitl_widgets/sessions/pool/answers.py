"""What has been answered in a pool: labels, skips and their order, kept in step with the store's event log.

Built once from the log when a session opens; after that each label, skip
and undo updates it in place (an undo touches only the item it undoes), so
nothing is re-read from the store on the labeling path.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...data import Pool
from ...learners.protocol import plain_label
from ...store import LabelRecord


@dataclass
class Answers:
    """Labels (``labels``: row -> label, in the order first labeled), skips, and the order first answered.

    ``predicted`` keeps the model's prediction shown with each item's first
    label (prequential accuracy counts it once). ``events`` keeps each row's
    own answers, newest last, so an undo knows what the row goes back to.
    """

    labels: dict[int, Any] = field(default_factory=dict)
    predicted: dict[int, Any] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    trail: dict[int, None] = field(default_factory=dict)  # an ordered set: rows in the order first answered
    events: dict[int, list[tuple[str, Any]]] = field(default_factory=dict)
    own: dict[int, Any] = field(default_factory=dict)  # labels the pool came with

    @classmethod
    def from_log(cls, pool: Pool, log: Iterable[LabelRecord], rows: Sequence[int | None] | None = None) -> Answers:
        """The pool's own labels, then every active event of the store that is about an item of this pool.

        An event belongs to the item with its id whose content is the one it
        was given for (or to the row that content moved to; ``rows``: those
        rows, already matched by :meth:`Pool.match <hitl_widgets.data.Pool.match>`).
        Events about other content are kept in the store and left out here,
        with one warning that says which.
        """
        log = list(log)
        rows = pool.match((e.item_id, e.item_hash) for e in log) if rows is None else rows
        own = {row: plain_label(y) for row, y in pool.known.items()}
        answers = cls(labels=dict(own), own=own)
        strangers: dict[str, None] = {}
        for event, row in zip(log, rows, strict=True):
            if row is None:
                strangers.setdefault(repr(event.item_id))
                continue
            if event.kind == "skip":
                answers.add_skip(row)
            else:
                answers.add_label(row, event.label, event.predicted)
        if strangers:
            shown = ", ".join(list(strangers)[:10]) + (", ..." if len(strangers) > 10 else "")
            warnings.warn(
                f"Session: the store holds answers about {len(strangers)} item(s) that are not in this pool, "
                f"or whose content at that id is not what was answered: {shown}. They stay in the store and "
                "are left out here (give the items as they were, or stable ids=, to get them back)",
                stacklevel=4,
            )
        return answers

    def add_label(self, row: int, y: Any, predicted: Any) -> None:
        self.events.setdefault(row, []).append(("label", y))
        self.trail.setdefault(row)
        self.skipped.discard(row)
        self.predicted.setdefault(row, predicted)
        self.labels[row] = y  # a relabel keeps the row's place in the order

    def add_skip(self, row: int) -> None:
        self.events.setdefault(row, []).append(("skip", None))
        self.trail.setdefault(row)
        if row not in self.labels:
            self.skipped.add(row)

    def undo(self, row: int) -> tuple[Any, Any]:
        """Take back the row's newest answer; returns its label before and after (``None``: unlabeled)."""
        before = self.labels.get(row)
        mine = self.events.get(row, [])
        if mine:
            mine.pop()
        earlier = [y for kind, y in mine if kind == "label"]
        if earlier:
            self.labels[row] = earlier[-1]
        elif row in self.own:
            self.labels[row] = self.own[row]
        else:
            self.labels.pop(row, None)
            self.predicted.pop(row, None)
            if any(kind == "skip" for kind, _ in mine):
                self.skipped.add(row)
            else:
                self.skipped.discard(row)
        if not mine:
            self.events.pop(row, None)
            self.trail.pop(row, None)
        return before, self.labels.get(row)

    def order_of(self, row: int) -> int:
        """The place of a labeled row in the order the model learns the labels."""
        if row not in self.labels:
            raise KeyError(row)
        return list(self.labels).index(row)

    def labeled_from(self, place: int) -> list[int]:
        """The labeled rows from ``place`` of the learning order on (read from the end: usually one or two).

        >>> a = Answers(labels={7: "a", 3: "b", 5: "a"})
        >>> a.labeled_from(1), a.labeled_from(3)
        ([3, 5], [])
        """
        newest_first = itertools.islice(reversed(self.labels), max(0, len(self.labels) - place))
        return list(newest_first)[::-1]

    def classes_seen(self) -> set[Hashable]:
        return set(self.labels.values())

"""The pools a label database holds: one namespace (``session``) per pool, each with a sample of its items.

A session opening a store looks here for the namespace that already holds
its items (by id and content hash), so reopening a pool finds its labels
wherever they are, and another pool's labels are never read as its own.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .tables import ANSWERS, events

SAMPLE = 32  # items per namespace looked at to tell whose it is: the newest answered, and the oldest


@dataclass(frozen=True)
class StoredPool:
    """One namespace of a store: its name, its answers (labels, skips and final labels, taken back or
    not), the items they are about, and a sample of those items, newest first: ``(item id, item hash)``."""

    name: str
    n_answers: int
    n_items: int
    sample: tuple[tuple[Hashable, str | None], ...]

    @property
    def hashed(self) -> bool:
        """Whether its answers keep their items' content hashes (a store of an earlier version's do not)."""
        return any(item_hash is not None for _, item_hash in self.sample)

    def describe(self) -> str:
        """A short account for messages: how many items were answered, and a few of their ids.

        >>> StoredPool("default", 7, 6, ((41, "ab"), (3, "cd"))).describe()
        "'default': 7 answers about 6 items (items 41, 3, ...)"
        """
        shown = ", ".join(repr(item) for item, _ in self.sample[:5])
        more = ", ..." if self.n_items > len(self.sample[:5]) else ""
        answers = "1 answer" if self.n_answers == 1 else f"{self.n_answers} answers"
        return f"{self.name!r}: {answers} about {self.n_items} item{'s' * (self.n_items != 1)} (items {shown}{more})"


def stored_pools(engine: sa.engine.Engine, sample: int = SAMPLE, *, only: str | None = None) -> list[StoredPool]:
    """Every namespace with answers in the database (or ``only`` that one), with a sample of its answered
    items: the ``sample`` newest and the ``sample`` oldest, so that a pool that grew or shrank is still told."""
    answers = events.c.kind.in_(ANSWERS)
    if only is not None:
        answers = answers & (events.c.session == only)
    counts = (
        sa.select(events.c.session, sa.func.count(), sa.func.count(sa.distinct(events.c.item_id)))
        .where(answers)
        .group_by(events.c.session)
    )
    out = []
    with engine.connect() as conn:
        for name, n_answers, n_items in conn.execute(counts).all():
            items: dict[tuple[str, str | None], None] = {}
            for order in (sa.func.max(events.c.id).desc(), sa.func.min(events.c.id)):
                picked = (
                    sa.select(events.c.item_id, events.c.item_hash)
                    .where(answers, events.c.session == name)
                    .group_by(events.c.item_id, events.c.item_hash)
                    .order_by(order)
                    .limit(sample)
                )
                items.update(dict.fromkeys(tuple(row) for row in conn.execute(picked).all()))
            decoded = tuple((as_item_id(json.loads(item)), item_hash) for item, item_hash in items)
            out.append(StoredPool(name, n_answers, n_items, decoded))
    return sorted(out, key=lambda p: p.name)


def as_item_id(value: Any) -> Hashable:
    """An item id as read back from JSON: a list (a tuple id, as JSON keeps it) becomes a tuple again.

    >>> as_item_id([1, [2, 3]]), as_item_id("a")
    ((1, (2, 3)), 'a')
    """
    if isinstance(value, list):
        return tuple(as_item_id(v) for v in value)
    return value

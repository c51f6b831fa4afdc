"""The pools a label database holds: one namespace (``session``) per pool, each with a sample of its items.

A session opening a store looks here for the namespace that already holds
its items (by id and content hash), so reopening a pool finds its labels
wherever they are, and another pool's labels are never read as its own.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass

import sqlalchemy as sa

from .tables import ANSWERS, events

SAMPLE = 64  # items per namespace looked at to tell whose it is


@dataclass(frozen=True)
class StoredPool:
    """One namespace of a store: its name, its answers (labels, skips and final labels, taken back or
    not), the items they are about, and a sample of those items, newest first: ``(item id, item hash)``."""

    name: str
    n_answers: int
    n_items: int
    sample: tuple[tuple[Hashable, str | None], ...]

    def describe(self) -> str:
        """A short account for messages: how many items were answered, and a few of their ids.

        >>> StoredPool("default", 7, 6, ((41, "ab"), (3, "cd"))).describe()
        "'default': 7 answers about 6 items (items 41, 3, ...)"
        """
        shown = ", ".join(repr(item) for item, _ in self.sample[:5])
        more = ", ..." if self.n_items > len(self.sample[:5]) else ""
        answers = "1 answer" if self.n_answers == 1 else f"{self.n_answers} answers"
        return f"{self.name!r}: {answers} about {self.n_items} item{'s' * (self.n_items != 1)} (items {shown}{more})"


def stored_pools(engine: sa.engine.Engine, sample: int = SAMPLE) -> list[StoredPool]:
    """Every namespace with answers in the database, with a sample of its newest answered items."""
    answers = events.c.kind.in_(ANSWERS)
    counts = sa.select(
        events.c.session, sa.func.count(), sa.func.count(sa.distinct(events.c.item_id))
    ).where(answers).group_by(events.c.session)
    out = []
    with engine.connect() as conn:
        for name, n_answers, n_items in conn.execute(counts).all():
            newest = (
                sa.select(events.c.item_id, events.c.item_hash)
                .where(answers, events.c.session == name)
                .group_by(events.c.item_id, events.c.item_hash)
                .order_by(sa.func.max(events.c.id).desc())
                .limit(sample)
            )
            items = tuple((json.loads(item), item_hash) for item, item_hash in conn.execute(newest).all())
            out.append(StoredPool(name, n_answers, n_items, items))
    return sorted(out, key=lambda p: p.name)

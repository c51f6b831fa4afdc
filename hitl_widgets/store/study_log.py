"""A study's interactions, appended to the label store's database and committed before they are acknowledged.

One row per interaction (an image shown or hidden, feedback, answers to
questions, a subsession's start and end, a resume), append-only like the
label log. Everything but the columns every row has sits in a JSON ``data``
field, so reading the log back never runs code.
"""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa

from .engine import create_tables
from .label_store import LabelStore

_metadata = sa.MetaData()
study_events = sa.Table(
    "hitl_study_events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("study", sa.String(200), nullable=False, index=True),
    sa.Column("participant", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subsession", sa.Integer),  # the subsession's place in the plan (not in this participant's order)
    sa.Column("created_at", sa.Float, nullable=False),  # kernel wall time, unix seconds
    sa.Column("page_time", sa.Float),  # the page's clock mapped to wall time (performance.timeOrigin + now), s
    sa.Column("data", sa.Text, nullable=False),  # JSON
)
_INSERT = study_events.insert()


class StudyLog:
    """The interactions of one study, in a :class:`LabelStore`'s database (SQLite or PostgreSQL).

    Examples
    --------
    >>> log = StudyLog(LabelStore(":memory:"), study="pilot")
    >>> _ = log.append("P01", "join", order=[1, 0])
    >>> _ = log.append("P01", "feedback", subsession=1, page_time=12.5, label="cat")
    >>> [(e["kind"], e["subsession"]) for e in log.events("P01")]
    [('join', None), ('feedback', 1)]
    >>> log.participants()
    ['P01']
    """

    def __init__(self, store: LabelStore, *, study: str = "study"):
        self.store = store
        self.study = study
        create_tables(_metadata, store.engine)

    def append(
        self,
        participant: str,
        kind: str,
        *,
        subsession: int | None = None,
        page_time: float | None = None,
        **data: Any,
    ) -> dict[str, Any]:
        """Append one interaction; it is committed when this returns."""
        row = {
            "study": self.study,
            "participant": participant,
            "kind": kind,
            "subsession": subsession,
            "created_at": time.time(),
            "page_time": page_time,
            "data": json.dumps(data, default=_plain),
        }
        with self.store.engine.begin() as conn:
            row_id = conn.execute(_INSERT, row).inserted_primary_key[0]
        return _event({**row, "id": row_id})

    def events(self, participant: str | None = None) -> list[dict[str, Any]]:
        """Every interaction in the order it was recorded (one participant's, or everyone's)."""
        query = sa.select(study_events).where(study_events.c.study == self.study).order_by(study_events.c.id)
        if participant is not None:
            query = query.where(study_events.c.participant == participant)
        with self.store.engine.connect() as conn:
            return [_event(dict(row)) for row in conn.execute(query).mappings()]

    def participants(self, kind: str = "join") -> list[str]:
        """Participants in the order they joined (``kind``: in the order of their first event of that kind,
        e.g. ``"consent"``: those who agreed to take part)."""
        query = (
            sa.select(study_events.c.participant)
            .where(study_events.c.study == self.study, study_events.c.kind == kind)
            .order_by(study_events.c.id)
        )
        with self.store.engine.connect() as conn:
            return list(dict.fromkeys(row[0] for row in conn.execute(query)))


def _event(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row.pop("data"))
    return {**row, **data}


def _plain(value: Any) -> Any:
    """numpy scalars and other numbers as plain JSON numbers; anything else as its text."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)

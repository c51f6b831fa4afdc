"""The label database's tables: the event log and the named state blobs beside it.

Every table is keyed by ``session``: a *namespace* in one database. A pool
of items has its own namespace, so one file can hold the labels of many
pools without mixing them (:mod:`hitl_widgets.store.pools`).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
events = sa.Table(
    "hitl_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", sa.String(200), nullable=False, index=True),
    sa.Column("item_id", sa.Text, nullable=False, index=True),  # JSON, so 7 and "7" stay different
    sa.Column("kind", sa.String(8), nullable=False, index=True),  # "label", "skip", "final", "undo" or "reset"
    sa.Column("label", sa.Text),  # JSON
    sa.Column("annotator", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),  # unix seconds
    sa.Column("strategy", sa.String(200)),
    sa.Column("predicted", sa.Text),  # JSON: the model's prediction when the item was shown
    sa.Column("score", sa.Float),  # the model's confidence in that prediction
    sa.Column("seconds", sa.Float),  # time the annotator took
    sa.Column("undone", sa.Boolean, nullable=False, default=False),  # never set now; read for old stores
    # a hash of the item's content when it was answered: a label belongs to that content, not to a position
    # (NULL in stores written before it: such events belong to their id)
    sa.Column("item_hash", sa.String(32)),
)
# events that take others back (the log is never updated): an undo names the event's id in its label
# column; a reset takes back everything before it. Stores written before these kept an `undone` flag.
UNDO, RESET = "undo", "reset"
ANSWERS = ("label", "skip", "final")  # the events that say something about an item

# Named blobs beside the log: a widget's saved state (a stream's model, gate,
# metrics and position). One row per (session, key); saving a key replaces it.
states = sa.Table(
    "hitl_state",
    metadata,
    sa.Column("session", sa.String(200), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)


ADD_ITEM_HASH = "ALTER TABLE hitl_events ADD COLUMN item_hash VARCHAR(32)"


def add_missing_columns(engine: sa.engine.Engine) -> None:
    """Give a log written by an earlier version the columns added since (``item_hash``).

    Only a column that may be NULL is added, so old events stay valid as they
    are. A role that may not alter the table gets an error that says what the
    database's owner has to run once.
    """
    if "item_hash" in {c["name"] for c in sa.inspect(engine).get_columns("hitl_events")}:
        return
    statement = ADD_ITEM_HASH
    if engine.dialect.name == "postgresql":  # several annotators may open an old store at once
        statement = statement.replace("ADD COLUMN", "ADD COLUMN IF NOT EXISTS")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
    except sa.exc.SQLAlchemyError as exc:
        if "duplicate column" in str(exc).lower():  # another process added it meanwhile (SQLite)
            return
        raise ValueError(
            f"this label database was written by an earlier version of hitl_widgets and needs one column "
            f"added, which this database role may not do ({exc.__class__.__name__}). Run once as the "
            f"database's owner: {statement};"
        ) from exc

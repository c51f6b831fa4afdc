"""A team's database, set up once by its owner: every table the team features use, and the grants an
annotator's role needs (``SELECT`` and ``INSERT``: the log and the leases are append-only).

From a shell::

    python -m hitl_widgets.team init postgresql+psycopg://owner@db/labels --role annotator

prints what it made and the ``GRANT`` statements (``--apply`` runs them as the owner).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

import sqlalchemy as sa

from ..store import LabelStore
from ..store.label_store import namespace_of
from ..store.leases import LeaseBook

TEAM_TABLES = ("hitl_events", "hitl_state", "hitl_leases")  # the label log, saved state, leases
SEQUENCES = ("hitl_events_id_seq", "hitl_leases_id_seq")  # the ids an INSERT draws
_ROLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def init_team_store(store: LabelStore | str, *, namespace: str | None = None, session: str | None = None) -> LabelStore:
    """Make every table a team uses (those missing) in ``store`` (a store, a path or a URL); returns it.

    >>> store = init_team_store(":memory:")
    >>> sorted(sa.inspect(store.engine).get_table_names())
    ['hitl_events', 'hitl_leases', 'hitl_state']
    """
    store = LabelStore.of(store, namespace_of(namespace, session, "init_team_store"))
    LeaseBook(store, "setup")  # makes hitl_leases
    return store


def annotator_grants(store: LabelStore, role: str) -> list[str]:
    """The statements that let database role ``role`` label, lease, undo and adjudicate (none for SQLite).

    >>> annotator_grants(LabelStore(":memory:"), "annotator")
    []
    """
    if not _ROLE.fullmatch(role) or role.lower() == "public":
        raise ValueError(
            f"role must be a plain database role name (letters, digits, _; not public, which is every role), "
            f"got {role!r}"
        )
    if store.engine.dialect.name != "postgresql":
        return []
    with store.engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one_or_none()
    if schema is None:
        raise ValueError("the database has no current schema to make the team's tables in (check search_path)")
    quote = store.engine.dialect.identifier_preparer.quote
    tables = ", ".join(f"{quote(schema)}.{t}" for t in TEAM_TABLES)
    sequences = ", ".join(f"{quote(schema)}.{s}" for s in SEQUENCES)
    return [
        f"GRANT USAGE ON SCHEMA {quote(schema)} TO {role};",
        f"GRANT SELECT, INSERT ON {tables} TO {role};",
        f"GRANT USAGE ON SEQUENCE {sequences} TO {role};",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hitl_widgets.team", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="make the team's tables and print the grants an annotator's role needs")
    init.add_argument("url", help="the database: a SQLAlchemy URL (postgresql+psycopg://...) or a SQLite path")
    init.add_argument("--role", default="annotator", help="the annotators' database role (default: annotator)")
    init.add_argument("--apply", action="store_true", help="run the grants now (as the owner connecting by url)")
    args = ap.parse_args(argv)
    try:
        store = init_team_store(args.url)
        grants = annotator_grants(store, args.role)
        where = store.engine.url.render_as_string(hide_password=True)
        print(f"The team's tables are in {where}: {', '.join(TEAM_TABLES)}.")
        if not grants:
            print("A SQLite file has no roles: whoever may write the file may label.")
            return 0
        if args.apply:
            with store.engine.begin() as conn:
                for statement in grants:
                    conn.exec_driver_sql(statement)
            print(f"Granted to {args.role}:")
        else:
            print(f"An annotator's role needs (run as the owner, or again with --apply; {args.role} must exist):")
        print("\n".join(grants))
    except (sa.exc.SQLAlchemyError, ValueError, OSError) as exc:
        print(f"python -m hitl_widgets.team init: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    return 0

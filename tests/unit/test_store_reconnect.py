"""A PostgreSQL restart in the middle of a team session: the labeler says the store is away, keeps the item on
screen, labels again once the server is back, and the store holds every acknowledged label exactly once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import frontend
from postgres_server import postgres_server

from hitl_widgets import Labeler, LabelStore
from hitl_widgets.store import StoreUnavailable

pytestmark = pytest.mark.usefixtures("recording_comm")
TEXTS = [f"{'win cash now' if i % 2 else 'see you at seven'} #{i}" for i in range(30)]


def press(w, seq: int) -> None:
    """The page's label action for the item on screen, as a key press sends it."""
    row = w.pool.index_of(w.current)
    frontend(w, {"method": "custom", "content": {"type": "label", "key": row, "cls": row % 2, "seq": seq}})


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_a_server_restart_loses_no_acknowledged_label():
    pytest.importorskip("psycopg")
    with postgres_server() as server:
        w = Labeler(TEXTS, labels=["ham", "spam"], store=LabelStore(server.url, session="restart"), annotator="ana",
                    background=False)  # fmt: skip
        acknowledged = []
        for seq in (1, 2, 3):
            item = w.current
            press(w, seq)
            assert w.error == "" and w._ack == seq
            acknowledged.append(item)

        server.stop()
        server.start()  # a restart: every pooled connection was cut
        item = w.current
        press(w, 4)
        assert w.error == "" and w._ack == 4  # a fresh connection, nobody noticed
        acknowledged.append(item)

        server.stop()  # the server is away for longer than the retries
        item = w.current
        press(w, 5)
        assert w._ack == 5 and "cannot be reached" in w.error and "was not saved" in w.error
        assert w.current == item  # still on screen: nothing moved on without being saved

        server.start()
        press(w, 6)
        assert w.error == "" and w._ack == 6
        acknowledged.append(item)
        events = [r.item_id for r in LabelStore(server.url, session="restart").events() if r.kind == "label"]
        assert events == acknowledged  # every acknowledged label, once, in order
        w.close()


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_the_store_says_a_write_was_not_saved_when_the_server_is_gone():
    pytest.importorskip("psycopg")
    with postgres_server() as server:
        store = LabelStore(server.url, session="gone")
        store.record_label(1, "cat")
        server.stop()
        with pytest.raises(StoreUnavailable, match="The label was not saved"):
            store.record_label(2, "dog")
        server.start()
        store.record_label(2, "dog")
        assert store.labels() == {1: "cat", 2: "dog"}


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_after_a_restart_the_pool_hands_out_no_cut_connection():
    """Reads are not retried, so the pool must not hand out a connection the restart cut; nor should a write
    spend its first try on one. The connections are looked at, not pinged (no round trip per checkout)."""
    pytest.importorskip("psycopg")
    with postgres_server() as server:
        store = LabelStore(server.url, session="cut")
        store.record_label(1, "cat")
        pings = []
        ping = store.engine.dialect.do_ping
        store.engine.dialect.do_ping = lambda conn: pings.append(1) or ping(conn)
        with store.engine.connect(), store.engine.connect():
            pass
        assert store.engine.pool.checkedin() == 2  # two pooled connections, both cut by the restart
        server.stop()
        server.start()
        assert store.labels() == {1: "cat"}  # a read at once, on a fresh connection
        tries = []
        sa.event.listen(store.engine, "before_cursor_execute", lambda *a: tries.append(1))
        store.record_label(2, "dog")
        assert len(tries) == 1 and not pings  # the write's first try went through; nothing was pinged

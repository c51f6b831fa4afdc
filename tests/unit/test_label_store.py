"""LabelStore on a real SQLite file: durability, undo, resume, export, a process killed mid-way."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from hitl_widgets.store import LabelStore

WRITER = """
import sys
from hitl_widgets.store import LabelStore
store = LabelStore(sys.argv[1], session="crash")
for i in range(100000):
    store.record_label(i, "cat" if i % 2 else "dog", seconds=0.1)
    print("ACK", i, flush=True)
"""


def test_labels_survive_reopening_with_types_kept(tmp_path):
    path = tmp_path / "labels.db"
    with LabelStore(path) as store:
        store.record_label(7, "cat", annotator="ana", strategy="margin", predicted="dog", score=-0.1, seconds=2.0)
        store.record_label("7", 1)  # a string id is another item
        store.record_label(np.int64(9), np.int64(0))  # numpy scalars are stored as plain numbers
        store.record_label(7, "lynx")  # a relabel: the latest wins
        store.record_skip(11)
    with LabelStore(path) as again:
        assert again.labels() == {7: "lynx", "7": 1, 9: 0}
        assert again.skipped() == {11}
        first = again.events()[0]
        assert (first.annotator, first.strategy, first.predicted, first.score, first.seconds) == (
            "ana",
            "margin",
            "dog",
            -0.1,
            2.0,
        )
        with sa.create_engine(again.url).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_undo_is_logged_not_deleted_and_persists(tmp_path):
    path = tmp_path / "labels.db"
    store = LabelStore(path)
    store.record_label(1, "a")
    store.record_label(2, "b")
    assert store.undo().item_id == 2
    store.close()
    store = LabelStore(path)
    assert store.labels() == {1: "a"}
    assert [r.undone for r in store.events(include_undone=True)] == [False, True]
    assert store.undo().item_id == 1 and store.undo() is None


def test_undo_and_reset_are_new_events_and_stores_with_the_old_undone_flag_still_read(tmp_path):
    path = tmp_path / "labels.db"
    store = LabelStore(path)
    for i in range(70):  # more than one page back
        store.record_label(i, "a")
    store.record_skip(70)
    for _ in range(66):
        store.undo()
    assert store.labels() == {i: "a" for i in range(5)} and store.skipped() == set()
    assert store.undo_all() == 5 and store.labels() == {} and store.undo() is None
    store.record_label(99, "b")
    assert store.labels() == {99: "b"} and store.undo().item_id == 99 and store.undo() is None
    with sa.create_engine(store.url).connect() as conn:
        kinds = [k for (k,) in conn.exec_driver_sql("SELECT kind FROM hitl_events ORDER BY id")]
        assert kinds.count("undo") == 67 and kinds.count("reset") == 1 and kinds.count("label") == 71
        conn.exec_driver_sql("INSERT INTO hitl_events (session, item_id, kind, label, annotator, created_at, undone)"
                             " VALUES ('default', '7', 'label', '\"c\"', 'user', 0, 1)")  # fmt: skip
        conn.commit()  # an event a store of an earlier version marked undone in place
    assert LabelStore(path).labels() == {}


def test_an_annotators_undo_leaves_others_answers_and_the_adjudicators_final_label(tmp_path):
    store = LabelStore(tmp_path / "team.db", session="team")
    store.record_label(1, "cat", annotator="ana")
    store.record_label(1, "dog", annotator="bo")
    store.record_final(1, "cat", annotator="judge")
    assert store.undo("ana").annotator == "ana"  # bo's newer label and the final one stay
    assert [(r.annotator, r.kind) for r in store.events()] == [("bo", "label"), ("judge", "final")]
    assert store.undo().annotator == "bo" and store.undo() is None  # a final label is not undone


def test_sessions_share_a_file_without_mixing(tmp_path):
    a, b = LabelStore(tmp_path / "x.db", session="a"), LabelStore(tmp_path / "x.db", session="b")
    a.record_label(1, "yes")
    b.record_label(1, "no")
    b.undo()
    assert a.labels() == {1: "yes"} and b.labels() == {}


def test_bad_values_are_refused_and_nothing_is_written(tmp_path):
    store = LabelStore(tmp_path / "l.db")
    store.record_label(1, "ok")
    with pytest.raises(ValueError, match="label must be a string, number or bool"):
        store.record_label(2, object())
    with pytest.raises(ValueError, match="item_id must be"):
        store.record_label({1, 2}, "x")
    assert store.labels() == {1: "ok"} and len(store.events(include_undone=True)) == 1


def test_unreachable_database_is_explained(tmp_path):
    with pytest.raises(ValueError, match="cannot open"):
        LabelStore(tmp_path / "missing-folder" / "l.db")


def test_exports_hold_every_field(tmp_path):
    store = LabelStore(tmp_path / "l.db")
    store.record_label("img-1", "cat", strategy="margin", predicted="dog", score=0.2, seconds=1.0)
    store.record_skip("img-2")
    df = store.to_dataframe()
    assert list(df["item_id"]) == ["img-1", "img-2"] and list(df["kind"]) == ["label", "skip"]
    assert {"annotator", "created_at", "strategy", "predicted", "score", "seconds"} <= set(df.columns)
    store.to_csv(tmp_path / "l.csv")
    assert pd.read_csv(tmp_path / "l.csv")["label"].iloc[0] == "cat"
    store.to_json(tmp_path / "l.json")
    assert json.loads((tmp_path / "l.json").read_text())[0]["predicted"] == "dog"


def test_the_dataframe_keeps_integer_labels_and_shows_times_as_timestamps():
    store = LabelStore(":memory:")
    store.record_label(412, 7, predicted=4)
    store.record_skip(413)
    store.record_label(414, 0)
    df = store.to_dataframe()
    assert df["label"].tolist() == [7, None, 0] and all(type(v) is int for v in df["label"].dropna())
    assert df["predicted"].tolist() == [4, None, None]
    assert str(df["created_at"].dtype) == "datetime64[ns, UTC]"
    assert (pd.Timestamp.now(tz="UTC") - df["created_at"].iloc[0]).total_seconds() < 60
    assert "7.0" not in df.to_string() and "e+09" not in df.to_string()


def test_a_killed_labeling_process_loses_no_acknowledged_label(tmp_path):
    path = tmp_path / "crash.db"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    acked = -1
    deadline = time.monotonic() + 60
    while acked < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("ACK"):
            acked = int(line.split()[1])
    proc.send_signal(signal.SIGKILL)  # mid-way: no cleanup, no flush, no close
    proc.wait()
    assert acked >= 200
    labels = LabelStore(path, session="crash").labels()
    assert all(i in labels for i in range(acked + 1))  # everything acknowledged is there
    assert len(labels) <= acked + 2  # at most the one in flight besides
    assert labels[acked] == ("cat" if acked % 2 else "dog")

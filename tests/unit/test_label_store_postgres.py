"""The same LabelStore on a real PostgreSQL server that the test starts (a team labeling one pool)."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest
from postgres_server import INITDB

from hitl_widgets import LabelStore

pytestmark = pytest.mark.skipif(not os.path.exists(INITDB), reason="PostgreSQL server binaries not installed")


def test_labels_undo_and_resume_on_postgres(postgres_url):
    store = LabelStore(postgres_url, session="team")
    store.record_label("img-1", "cat", annotator="ana", strategy="margin", predicted="dog", score=0.4, seconds=1.2)
    store.record_label(2, "dog", annotator="bo")
    store.record_skip(3)
    assert store.undo().item_id == 3
    store.close()
    again = LabelStore(postgres_url, session="team")
    assert again.labels() == {"img-1": "cat", 2: "dog"}
    assert again.to_dataframe()["annotator"].tolist() == ["ana", "bo"]


def test_two_annotators_write_at_once_and_nothing_is_lost(postgres_url):
    def annotate(name):
        store = LabelStore(postgres_url, session="shared")
        for i in range(50):
            store.record_label(f"{name}-{i}", name, annotator=name)
        store.close()

    threads = [threading.Thread(target=annotate, args=(n,)) for n in ("ana", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    labels = LabelStore(postgres_url, session="shared").labels()
    assert len(labels) == 100 and sum(v == "ana" for v in labels.values()) == 50


def test_a_study_records_every_interaction_on_postgres(postgres_url):
    """A lab's study on PostgreSQL: participants' interactions land in the same tables as on SQLite."""
    from hitl_widgets import Study
    from hitl_widgets.study import simulate_study

    study = Study.demo(plan=[("MT", 5), ("ALMT", 5)], store=postgres_url, order="counterbalanced", name="lab")
    simulate_study(study, 3)
    run = study.run("P99")
    run.advance()
    run.advance()
    run.show(page_time=1.0)
    again = Study.demo(plan=[("MT", 5), ("ALMT", 5)], store=postgres_url, order="counterbalanced", name="lab")
    assert again.participants() == ["S01", "S02", "S03", "P99"]
    resumed = again.run("P99")
    assert (resumed.phase, resumed.position, resumed.order) == ("stream", 0, [1, 0])  # the 4th: the other order
    table = again.results()
    assert (table.kind == "hidden").sum() == 30 and (table.kind == "subsession_end").sum() == 6


def test_an_annotator_who_may_only_insert_and_select_labels_skips_undoes_and_relabels(postgres_url):
    """The log is append-only at the database level: an undo is a new event, so that role is enough."""
    import sqlalchemy as sa
    from river import naive_bayes

    from hitl_widgets import Session

    admin = LabelStore(postgres_url, session="roles")  # the tables, made by whoever owns the database
    with admin.engine.begin() as conn:
        conn.exec_driver_sql("CREATE ROLE annotator LOGIN")
        conn.exec_driver_sql("GRANT SELECT, INSERT ON hitl_events, hitl_state TO annotator")
        conn.exec_driver_sql("GRANT USAGE ON SEQUENCE hitl_events_id_seq TO annotator")
    url = postgres_url.replace("//postgres@", "//annotator@")
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (30, 2)), rng.normal(2, 1, (30, 2))]
    truth = ["a"] * 30 + ["b"] * 30
    s = Session(X, naive_bayes.GaussianNB(), "margin", store=LabelStore(url, session="roles"), classes=["a", "b"])
    for _ in range(12):
        (item,) = s.next()
        s.label(item, truth[item])
    s.skip(s.next()[0])
    assert s.undo().kind == "skip"
    first = s.trail[0]
    s.label(first, "b" if truth[first] == "a" else "a")  # a relabel far back
    s.undo()
    s.store.undo_all()
    s.label(5, "a")
    again = Session(X, naive_bayes.GaussianNB(), "margin", store=LabelStore(url, session="roles"), classes=["a", "b"])
    assert again.labels == {5: "a"} and again.n_labels == 1
    with sa.create_engine(url).connect() as conn:
        for sql in ("UPDATE hitl_events SET undone = true", "DELETE FROM hitl_events"):
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.exec_driver_sql(sql)
            conn.rollback()


def test_under_an_insert_and_select_role_the_item_on_screen_is_kept_once_and_labeling_goes_on(postgres_url):
    """The item on screen is kept by replacing a value, which that role may not do: labeling never fails for it."""
    from river import naive_bayes

    from hitl_widgets import LabelQueue, Session

    admin = LabelStore(postgres_url, session="screen")
    with admin.engine.begin() as conn:
        conn.exec_driver_sql("CREATE ROLE viewer LOGIN")
        conn.exec_driver_sql("GRANT SELECT, INSERT ON hitl_events, hitl_state TO viewer")
        conn.exec_driver_sql("GRANT USAGE ON SEQUENCE hitl_events_id_seq TO viewer")
    url = postgres_url.replace("//postgres@", "//viewer@")
    X = np.random.default_rng(1).normal(size=(40, 2))

    def queue():
        store = LabelStore(url, session="screen")
        session = Session(X, naive_bayes.GaussianNB(), store=store, classes=["a", "b"], background=True)
        return LabelQueue(session)

    q = queue()
    given = []
    for _ in range(5):
        given.append(q.current)
        q.label("a" if X[q.current, 0] < 0 else "b")
        q.wait()  # the refused replacement is not an error of the worker's
    assert q.session.n_labels == 5 and sorted(LabelStore(url, session="screen").labels()) == sorted(given)
    again = queue()
    assert again.current is not None and again.session.label_of(again.current) is None

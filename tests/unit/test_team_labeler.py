"""Annotators of a team in labelers on one store (PostgreSQL started by the test run, and a SQLite file):
different items on screen, everyone's labels learned within about a second, the overlap to two, leases given
back on close and taken again on undo."""

from __future__ import annotations

import time

import pytest

from hitl_widgets import Labeler, LabelStore, agreement
from hitl_widgets.store.leases import LeaseBook, in_overlap

SPAM = ["win cash now", "free prize call", "claim your reward", "cheap pills online", "you won a cruise"]
HAM = ["see you at 7", "lunch tomorrow?", "call mum back", "meeting moved to 3", "thanks for the notes"]


def texts(n: int = 40) -> tuple[list[str], list[str]]:
    items = [f"{(SPAM if i % 2 else HAM)[i % 5]} #{i}" for i in range(n)]
    return items, ["spam" if i % 2 else "ham" for i in range(n)]


def on_screen(w: Labeler) -> set:
    return {w.current, *w.upcoming} - {None}


def labeler(items, team_store, who: str, **kw) -> Labeler:
    return Labeler(items, labels=["ham", "spam"], store=team_store(), annotator=who, **kw)


@pytest.fixture(params=["sqlite", "postgresql"])
def team_store(request, tmp_path):
    """Opens the team's store as one more annotator's kernel would (its own connection), a session per test."""
    url = str(tmp_path / "team.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    name = request.node.name
    return lambda: LabelStore(url, session=name)


def test_two_annotators_see_different_items_and_learn_each_others_labels(team_store):
    items, truth = texts()
    ana, bo = labeler(items, team_store, "ana"), labeler(items, team_store, "bo")
    try:
        ana.wait(), bo.wait()
        assert on_screen(ana) and on_screen(bo) and not on_screen(ana) & on_screen(bo)
        given = {"ana": [], "bo": []}
        for _ in range(8):
            for who, w in (("ana", ana), ("bo", bo)):
                item = w.current
                assert item not in given["ana"] + given["bo"]  # nobody is shown what another labeled
                w.label(truth[item])
                given[who].append(item)
                w.wait()
                assert not on_screen(ana) & on_screen(bo)
        t0 = time.monotonic()
        while min(ana.session.n_labels, bo.session.n_labels) < 16 and time.monotonic() - t0 < 5:
            time.sleep(0.05)
        assert ana.session.n_labels == bo.session.n_labels == 16  # one model from everyone ...
        assert time.monotonic() - t0 < 3  # ... within about a second (the poll), not at the next reload
        assert set(bo.session.labels) == set(given["ana"]) | set(given["bo"])
        store = team_store()
        by = {r.item_id: r.annotator for r in store.events() if r.kind == "label"}
        assert {i for i, who in by.items() if who == "ana"} == set(given["ana"])
    finally:
        ana.close(), bo.close()


def test_closing_gives_items_back_and_undo_takes_the_item_again(team_store):
    items, truth = texts()
    ana, bo = labeler(items, team_store, "ana"), labeler(items, team_store, "bo")
    ana.wait()
    book = LeaseBook(team_store(), "carl")
    held = {i for i, who in book.held().items() if "ana" in who}
    assert held == on_screen(ana)
    first = ana.current
    ana.label(truth[first])
    ana.wait()
    ana.undo()
    assert ana.current == first and "ana" in book.held()[first]  # on screen again, leased again
    assert first not in on_screen(bo)
    ana.close()
    assert not {i for i, who in book.held().items() if "ana" in who}  # closing gives every item back
    bo.close()


def test_the_overlap_goes_to_two_annotators_and_agreement_reads_it(team_store):
    items, truth = texts(30)
    ana, bo = labeler(items, team_store, "ana", overlap=0.5), labeler(items, team_store, "bo", overlap=0.5)
    try:
        for _ in range(60):
            done = True
            for w in (ana, bo):
                w.wait()
                if w.current is not None:
                    w.label(truth[w.current])
                    done = False
            if done:
                break
        labeled_by: dict = {}
        for r in team_store().events():
            if r.kind == "label":
                labeled_by.setdefault(r.item_id, []).append(r.annotator)
        assert set(labeled_by) == set(range(30))
        for item, who in labeled_by.items():
            assert len(who) == len(set(who))  # never twice to one person
            assert len(who) == (2 if in_overlap(item, 0.5) else 1)
        report = agreement(team_store())
        shared = sum(in_overlap(i, 0.5) for i in range(30))
        assert report.alpha_items == shared and report.alpha == pytest.approx(1.0) and not report.disagreements
    finally:
        ana.close(), bo.close()


def test_team_arguments_are_checked():
    items, _ = texts(6)
    with pytest.raises(ValueError, match="give annotator= too"):
        Labeler(items, labels=["ham", "spam"], store=":memory:", overlap=0.2)
    with pytest.raises(ValueError, match="annotator must be a non-empty name"):
        Labeler(items, labels=["ham", "spam"], store=":memory:", annotator=" ")
    with pytest.raises(ValueError, match=r"overlap: the share of items"):
        Labeler(items, labels=["ham", "spam"], store=":memory:", annotator="ana", overlap=1.5)


def test_the_labeler_says_who_labels_and_how_many_are_theirs(team_store):
    items, truth = texts(12)
    ana, bo = labeler(items, team_store, "ana", background=False), labeler(items, team_store, "bo", background=False)
    try:
        for w in (ana, bo, ana):
            w.label(truth[w.current])
        bo.label_queue.sync()
        assert (ana.progress["annotator"], ana.progress["mine"]) == ("ana", 2)
        assert (bo.progress["annotator"], bo.progress["mine"], bo.progress["labeled"]) == ("bo", 1, 3)
    finally:
        ana.close(), bo.close()


def test_on_postgresql_a_team_members_label_arrives_at_once_not_at_the_next_poll(postgres_url):
    import numpy as np
    from river import naive_bayes

    from hitl_widgets.sessions.pool.session import Session
    from hitl_widgets.team import TeamLabelQueue

    X = np.r_[np.zeros((20, 2)), np.ones((20, 2))]
    make = lambda who: Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(postgres_url, session="notify"),  # noqa: E731
                               classes=["a", "b"], annotator=who, background=True)  # fmt: skip
    ana = TeamLabelQueue(make("ana"), poll=30.0)  # a poll this slow cannot be what brings the label
    bo = TeamLabelQueue(make("bo"), poll=30.0)
    try:
        time.sleep(0.3)  # both listening
        t0 = time.monotonic()
        ana.label("a")
        while bo.session.n_labels < 1 and time.monotonic() - t0 < 5:
            time.sleep(0.01)
        assert bo.session.n_labels == 1 and time.monotonic() - t0 < 1.0
    finally:
        ana.close(), bo.close()

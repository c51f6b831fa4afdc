"""Leases that live as long as the screen: the item on an annotator's screen (and the few after it) is leased
again while their queue is open, however long they look; a kernel that freezes past its lease loses the item,
and the label it gives afterwards is kept and counted; under load no item gets more answers than the overlap
rule allows; second opinions happen; the team functions take a path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from river import naive_bayes

from hitl_widgets import LabelStore, Session
from hitl_widgets.store.leases import LeaseBook, in_overlap
from hitl_widgets.team import TeamLabelQueue, TeamQueue, adjudicate, agreement, team_table


def blobs(n: int = 120):
    rng = np.random.default_rng(0)
    return np.r_[rng.normal(-2, 1, (n // 2, 2)), rng.normal(2, 1, (n // 2, 2))]


def session(X, url: str, who: str) -> Session:
    return Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(url, session="team"), classes=["a", "b"],
                   annotator=who)  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def team_url(request, tmp_path):
    """A SQLite file, or the test run's PostgreSQL server emptied of the last test's team."""
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    url = request.getfixturevalue("postgres_url")
    store = LabelStore(url, session="team")
    LeaseBook(store, "setup")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM hitl_events WHERE session = 'team'")
        conn.exec_driver_sql("DELETE FROM hitl_leases WHERE session = 'team'")
        conn.exec_driver_sql("DELETE FROM hitl_state WHERE session = 'team'")
    return url


def test_the_items_on_screen_keep_their_lease_however_long_they_are_looked_at(team_url):
    X = blobs()
    ana = TeamLabelQueue(session(X, team_url, "ana"), lease_seconds=0.6, prefetch=2, poll=0.2)
    try:
        shown = [ana.current, *ana.upcoming]
        assert len(shown) == 3
        time.sleep(2.0)  # three leases long: the item is still on ana's screen
        carl = LeaseBook(LabelStore(team_url, session="team"), "carl", lease_seconds=0.6)
        assert carl.claim(shown, 3) == []  # before renewals, carl was given all three
        record = ana.label("a")
        assert record.item_id == shown[0] and ana.progress()["beyond_overlap"] == 0
    finally:
        ana.close()
    released = {json.loads(i) for i, k, who in lease_rows(team_url) if k == "release" and who == "ana"}
    assert set(shown[1:]) <= released  # closed: given back at once, not left to run out
    assert sorted(carl.claim(shown[1:], 2), key=repr) == sorted(shown[1:], key=repr)


def lease_rows(url: str) -> list[tuple[str, str, str]]:
    with LabelStore(url, session="team").engine.connect() as conn:
        return conn.exec_driver_sql("SELECT item_id, kind, annotator FROM hitl_leases WHERE session = 'team'").all()


FROZEN = textwrap.dedent("""
    import sys
    import numpy as np
    from river import naive_bayes
    from hitl_widgets import LabelStore, Session
    from hitl_widgets.team import TeamLabelQueue
    url, lease = sys.argv[1], float(sys.argv[2])
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (60, 2)), rng.normal(2, 1, (60, 2))]
    s = Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(url, session="team"), classes=["a", "b"],
                annotator="ana")
    q = TeamLabelQueue(s, lease_seconds=lease, prefetch=1, poll=0.2)
    print("SHOWN", q.current, flush=True)
    sys.stdin.readline()                      # the test froze this process, gave the item away, thawed it
    said = []
    q.on_change(lambda event: said.append(q.error) if event == "error" else None)
    record = q.label("a")                     # at once: the queue looks before it answers, not only its thread
    lost = [m for m in said if "went to another annotator" in m]
    print("LABELED", record.item_id, q.progress()["beyond_overlap"], repr(lost[:1]), flush=True)
    q.close()
""")


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_a_frozen_kernel_loses_its_item_and_the_label_it_gives_later_is_kept_and_counted(team_url):
    LabelStore(team_url, session="team")
    LeaseBook(LabelStore(team_url, session="team"), "setup")  # the tables, before the process makes them
    proc = subprocess.Popen(
        [sys.executable, "-c", FROZEN, team_url, "1.0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        word, item = proc.stdout.readline().split()
        assert word == "SHOWN"
        item = int(item)
        proc.send_signal(signal.SIGSTOP)  # a kernel that stops answering, its leases no longer renewed
        time.sleep(1.6)
        carl = LeaseBook(LabelStore(team_url, session="team"), "carl", lease_seconds=30.0)
        assert carl.claim([item], 1) == [item]
        proc.send_signal(signal.SIGCONT)
        proc.stdin.write("\n")
        proc.stdin.flush()
        line = proc.stdout.readline().split(maxsplit=3)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert line[0] == "LABELED" and int(line[1]) == item
    assert line[2] == "1" and "went to another annotator" in line[3]  # counted as what it is, and said
    store = LabelStore(team_url, session="team")
    assert [(r.item_id, r.label) for r in store.events() if r.annotator == "ana"] == [(item, "a")]  # kept


LOADED = textwrap.dedent("""
    import random, sys, time
    import numpy as np
    from river import naive_bayes
    from hitl_widgets import LabelStore, Session
    from hitl_widgets.team import TeamLabelQueue
    url, who, n, lease, overlap = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (60, 2)), rng.normal(2, 1, (60, 2))]
    s = Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(url, session="team"), classes=["a", "b"],
                annotator=who)
    q = TeamLabelQueue(s, lease_seconds=lease, overlap=overlap, prefetch=2, poll=0.3)
    think = random.Random(who)
    for _ in range(n):
        if q.current is None:
            break
        time.sleep(think.uniform(0.0, 2.5 * lease))   # some items are looked at longer than a lease
        q.label("a" if think.random() < 0.5 else "b")
        q.wait()
    print("DONE", q.progress()["beyond_overlap"], flush=True)
    q.close()
""")
HOG = "import time\nend = time.time() + 120\nwhile time.time() < end: pass\n"


@pytest.mark.slow
def test_under_load_with_short_leases_no_item_gets_more_answers_than_the_overlap_allows(team_url):
    lease, overlap = 0.8, 0.3
    LabelStore(team_url, session="team")
    LeaseBook(LabelStore(team_url, session="team"), "setup")
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(2)]  # a machine busy with other work
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", LOADED, team_url, f"a{i}", "10", str(lease), str(overlap)],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(4)
    ]
    try:
        outs = [w.communicate(timeout=240)[0] for w in workers]
    finally:
        for p in hogs + workers:
            p.kill()
    assert all(w.returncode == 0 for w in workers), outs
    assert all(out.startswith("DONE ") for out in outs), outs
    labels = [(r.item_id, r.annotator) for r in LabelStore(team_url, session="team").events() if r.kind == "label"]
    assert len(labels) == 40 and len(set(labels)) == 40
    per_item: dict[int, int] = {}
    for item, _ in labels:
        per_item[item] = per_item.get(item, 0) + 1
    over = {i: n for i, n in per_item.items() if n > (2 if in_overlap(i, overlap) else 1)}
    assert not over, (over, outs)
    assert sum(int(out.split()[1]) for out in outs) == 0


def member(X, url: str, who: str, overlap: float) -> TeamQueue:
    return TeamQueue(session(X, url, who), overlap=overlap, poll=0.0)


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_second_opinions_happen_for_nearly_every_overlap_item_with_a_first_answer(tmp_path):
    """Four annotators, overlap 0.3, 300 items, the run stopped with a third of the pool labeled."""
    X = blobs(300)
    url = str(tmp_path / "team.db")
    team = [member(X, url, f"a{i}", 0.3) for i in range(4)]
    rng = np.random.default_rng(1)
    for _ in range(30):
        for q in team:
            (item,) = q.next(1)
            q.label(item, "a" if rng.random() < 0.5 else "b")
    first = team[0]
    first.sync()
    answers: dict[int, int] = {}
    for r in LabelStore(url, session="team").events():
        if r.kind == "label":
            answers[r.item_id] = answers.get(r.item_id, 0) + 1
    overlap = [i for i in answers if in_overlap(i, 0.3)]
    done = sum(answers[i] >= 2 for i in overlap)
    assert len(overlap) >= 20 and done / len(overlap) >= 0.9, (done, len(overlap))
    assert first.n_waiting == len(overlap) - done  # the team sees how many wait


def test_team_functions_take_a_path_a_url_or_a_store(tmp_path):
    path = str(tmp_path / "team.db")
    store = LabelStore(path, session="team")
    for item, (a, b) in enumerate([("ham", "ham"), ("ham", "spam")]):
        store.record_label(item, a, annotator="ana")
        store.record_label(item, b, annotator="bo")
    adjudicate(path, 1, "spam", adjudicator="lee", session="team")
    table = team_table(path, session="team")
    assert table.to_dict("records")[1] == {"item_id": 1, "ana": "ham", "bo": "spam", "final": "spam", "final_by": "lee"}
    assert team_table(store).equals(table) and team_table(f"sqlite:///{path}", session="team").equals(table)
    assert agreement(path, session="team").pairs["items"].tolist() == [2]
    with pytest.raises(TypeError, match="a LabelStore, a path or a database URL"):
        team_table(42)
    assert json.loads(json.dumps(table.to_dict("records")))  # plain values
    assert os.path.exists(path)


def test_a_labeler_says_when_its_item_goes_to_two_annotators_and_how_many_wait(tmp_path):
    X = blobs()
    url = str(tmp_path / "team.db")
    ana = TeamLabelQueue(session(X, url, "ana"), overlap=1.0, prefetch=2, poll=0.1)
    solo = TeamLabelQueue(session(X, str(tmp_path / "solo.db"), "sol"), overlap=0.0, prefetch=2, poll=0.1)
    try:
        assert ana.progress()["shared_item"] and not solo.progress()["shared_item"]
        assert ana.progress()["waiting_second"] == 0
        ana.label("a")
        ana.wait()
        assert ana.progress()["waiting_second"] == 1  # ana's answer waits for a second annotator's
    finally:
        ana.close(), solo.close()


def test_the_first_annotator_is_told_an_item_the_model_is_unsure_of_goes_to_two(tmp_path):
    X = blobs()
    url = str(tmp_path / "team.db")
    seed = session(X, url, "seed")  # two labels: the model predicts, with some confidence, from now on
    seed.label(0, "a"), seed.label(len(X) - 1, "b")
    unsure = TeamLabelQueue(session(X, url, "ana"), unsure=1.0, prefetch=2, poll=0.1)  # below 100%: unsure
    sure = TeamLabelQueue(session(X, url, "bo"), unsure=0.0, prefetch=2, poll=0.1)
    try:
        unsure.wait(), sure.wait()
        assert unsure.session.shown_confidence(unsure.current) is not None
        assert unsure.progress()["shared_item"] and not sure.progress()["shared_item"]
        record = unsure.label("a")
        unsure.wait()
        assert record.score is not None and unsure.team.wanted(record.item_id) == 2  # as its label says
    finally:
        unsure.close(), sure.close()


def test_an_item_one_annotator_labeled_is_final_as_a_single_answer_not_a_majority(tmp_path):
    store = LabelStore(str(tmp_path / "t.db"))
    store.record_label(1, "ham", annotator="ana")
    store.record_label(2, "ham", annotator="ana")
    store.record_label(2, "ham", annotator="bo")
    table = team_table(store).set_index("item_id")
    assert table.loc[1, "final_by"] == "single answer" and table.loc[2, "final_by"] == "majority"


def test_a_team_members_undo_updates_the_others_counts_at_once(tmp_path):
    """After ana's undo, bo's labeler is told (its count was stale until bo's next label)."""
    X = blobs()
    url = str(tmp_path / "team.db")
    ana = TeamLabelQueue(session(X, url, "ana"), prefetch=2, poll=0.1)
    bo = TeamLabelQueue(session(X, url, "bo"), prefetch=2, poll=3600)  # bo looks only when told to
    events = []
    bo.on_change(events.append)
    try:
        ana.label("a")
        ana.wait()
        bo.sync()
        bo.wait()
        assert bo.progress()["labeled"] == 1
        ana.undo()
        ana.wait()
        events.clear()
        bo.sync()
        bo.wait()
        assert bo.progress()["labeled"] == 0 and "ranked" in events
    finally:
        ana.close(), bo.close()


def test_an_item_answered_here_is_neither_renewed_nor_lost():
    store = LabelStore(":memory:", session="team")
    ana = LeaseBook(store, "ana")
    assert ana.claim([1, 2], 2) == [1, 2]
    store.record_label(1, "a", annotator="ana")  # a label that lands between a renewal's look and its lease
    assert ana.renew([1, 2]) == []
    assert LeaseBook(store, "bo").claim([1, 2], 2) == []  # 1 is answered, 2 still ana's


def test_a_team_undo_does_not_wait_on_a_look_at_the_team_queued_while_it_writes(tmp_path):
    """The undo's own notice (PostgreSQL) or a poll queues a job that takes the session's lock; the undo's
    reload waits for that job: it must not hold the lock meanwhile (it hung before)."""
    import threading

    X = blobs()
    url = str(tmp_path / "team.db")
    ana_session = Session(
        X, naive_bayes.GaussianNB(), "margin", LabelStore(url, session="team"), classes=["a", "b"],
        annotator="ana", background=True,
    )  # fmt: skip
    ana, bo = TeamQueue(ana_session, poll=0.0), member(X, url, "bo", 0.0)
    (b_item,) = bo.next(1)
    bo.label(b_item, "b")
    ana.sync()  # ana has learned a teammate's label: her undo reads the store again
    (a_item,) = ana.next(1)
    ana.label(a_item, "a")
    ana_session.wait()
    real_undo = ana_session.store.undo

    def undo_while_a_look_is_queued(*args, **kwargs):
        ana_session.then(lambda: ana_session.next(1))  # what a team sync's re-ranking does, in the worker
        return real_undo(*args, **kwargs)

    ana_session.store.undo = undo_while_a_look_is_queued
    done = threading.Event()
    threading.Thread(target=lambda: (ana_session.undo(), done.set()), daemon=True).start()
    assert done.wait(20), "the undo waited on the worker while holding the lock the worker needs"
    assert ana_session.labels == {b_item: "b"}

"""Two annotators of a team on one store: different items at once, the overlap to both, each model learns
the other's labels, and an undo takes back only one's own label."""

from __future__ import annotations

import numpy as np
import pytest
from river import naive_bayes

from hitl_widgets import LabelStore, Session
from hitl_widgets.store.leases import in_overlap
from hitl_widgets.team import TeamQueue, agreement


def blobs(n: int = 120):
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (n // 2, 2)), rng.normal(2, 1, (n // 2, 2))]
    return X, ["a"] * (n // 2) + ["b"] * (n // 2)


def member(X, path, who: str, overlap: float = 0.0, unsure: float = 0.0) -> TeamQueue:
    session = Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(path, session="team"), classes=["a", "b"],
                      annotator=who)  # fmt: skip
    return TeamQueue(session, overlap=overlap, unsure=unsure, poll=0.0)


def test_two_annotators_label_different_items_and_learn_from_each_other(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana"), member(X, tmp_path / "t.db", "bo")
    given = {"ana": [], "bo": []}
    for _ in range(25):
        for who, q in (("ana", ana), ("bo", bo)):
            (item,) = q.next()
            q.label(item, truth[item])
            given[who].append(item)
    assert not set(given["ana"]) & set(given["bo"]) and len(set(given["ana"])) == 25
    bo.sync()
    assert ana.session.n_labels == 49 and bo.session.n_labels == 50  # ana has not looked since bo's last label
    ana.next()
    assert ana.session.n_labels == 50  # one model from everyone
    np.testing.assert_allclose(ana.session.predict_proba(), bo.session.predict_proba(), atol=1e-9)
    # the predictions the team member was shown count, as a new process reading the store counts them
    fresh = member(X, tmp_path / "t.db", "cy").session
    assert ana.session.accuracy() == bo.session.accuracy() == fresh.accuracy() is not None

    ana.session.undo()  # takes back ana's last label, not bo's newer one
    mine = [r for r in ana.session.store.events() if r.annotator == "ana"]
    assert len(mine) == 24 and given["ana"][-1] not in {r.item_id for r in mine}
    assert len([r for r in bo.session.store.events() if r.annotator == "bo"]) == 25


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_the_overlap_goes_to_both_annotators_and_never_twice_to_one(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana", 0.3), member(X, tmp_path / "t.db", "bo", 0.3)
    rng = np.random.default_rng(1)
    while True:
        items = {who: q.next() for who, q in (("ana", ana), ("bo", bo))}
        if not any(items.values()):
            break
        for who, q in (("ana", ana), ("bo", bo)):
            for item in items[who]:
                q.label(item, truth[item] if rng.random() < 0.9 else "b")
    events = [(r.item_id, r.annotator) for r in ana.session.store.events() if r.kind == "label"]
    assert len(events) == len(set(events))  # nobody labeled an item twice
    twice = {i for i, _ in events if sum(j == i for j, _ in events) == 2}
    assert twice == {i for i in range(120) if in_overlap(i, 0.3)}  # the overlap, all of it, to both
    assert {i for i, _ in events} == set(range(120))
    result = agreement(ana.session.store)
    assert result.alpha_items == len(twice) and result.pairs["items"].tolist() == [len(twice)]


def test_an_undo_reaches_the_others_and_an_overlap_item_keeps_the_other_answer(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana", 1.0), member(X, tmp_path / "t.db", "bo", 1.0)  # all overlap
    (item,) = ana.next()
    ana.label(item, "a")
    bo.sync()
    assert bo.session.labels == {item: "a"}
    assert item in bo.next(120)  # wanted twice: bo is offered it too
    bo.label(item, "b")
    ana.sync()
    ana.session.undo()  # ana's answer goes; bo's stays, in ana's model too
    assert ana.session.labels == {item: "b"} == LabelStore(tmp_path / "t.db", session="team").labels()
    bo.session.undo()
    assert bo.sync() == 0 and bo.session.labels == {}  # the take-back reached bo: the store holds nothing now
    assert ana.sync() == 1 and ana.session.labels == {}  # bo's take-back is one change for ana


def test_an_overlap_item_is_offered_again_when_its_second_answer_is_undone(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana", 1.0), member(X, tmp_path / "t.db", "bo", 1.0)  # all overlap
    (item,) = ana.next()
    ana.label(item, "a")
    assert item in bo.next(120)
    bo.label(item, "a")
    assert item not in bo.next(120)  # bo answered it
    bo.session.undo()
    assert item in bo.next(120)  # ana's answer alone again: wanted twice, bo never answered it now


def test_skipping_an_item_another_annotator_labeled_gives_it_back_without_an_error(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana", 1.0), member(X, tmp_path / "t.db", "bo", 1.0)
    (item,) = ana.next()
    ana.label(item, truth[item])
    bo.sync()
    bo.skip(item)
    assert item not in bo.next(119) and item not in bo.book.held()
    assert bo.session.labels == {item: truth[item]}


def test_an_own_undo_is_not_learned_twice_but_a_team_members_is_learned(tmp_path, monkeypatch):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana"), member(X, tmp_path / "t.db", "bo")
    reloads = []
    real_reload = ana.session.reload
    monkeypatch.setattr(ana.session, "reload", lambda: reloads.append(1) or real_reload())
    first, second = ana.next(2)
    ana.label(first, truth[first])
    ana.label(first, "b" if truth[first] == "a" else "a")  # a relabel ...
    ana.label(second, truth[second])
    ana.session.undo()  # ... the last label taken back by her own session
    ana.session.undo()  # the relabel taken back: her first label is hers again
    ana.sync()
    assert reloads == []  # her session already undid both: nothing to learn again
    assert ana.answered(first) and not ana.answered(second)
    assert ana.session.label_of(first) == truth[first] and ana.session.label_of(second) is None

    (item,) = bo.next()
    bo.label(item, truth[item])
    bo.session.undo()
    ana.sync()
    assert reloads == [1] and ana.session.label_of(item) is None  # a team member's undo is learned


def test_a_label_given_while_a_session_loads_is_learned_at_the_first_look(tmp_path):
    """A team member's label that commits after bo's session read the log and before bo's TeamQueue looked
    (a big store's load and relearn take seconds) reaches bo's model at the first look, once."""
    X, truth = blobs()
    path = tmp_path / "t.db"
    ana = member(X, path, "ana")
    bo_session = Session(X, naive_bayes.GaussianNB(), "margin", LabelStore(path, session="team"), classes=["a", "b"],
                         annotator="bo")  # fmt: skip
    (item,) = ana.next()
    ana.label(item, truth[item])  # committed after bo's session read the log
    bo = TeamQueue(bo_session, poll=0.0)
    bo.next()
    assert bo.session.label_of(item) == truth[item] and bo.session.n_labels == 1
    assert bo.sync() == 0  # not read, nor learned, twice


def test_after_an_own_undo_reloads_the_session_the_team_labels_it_read_are_not_learned_again(tmp_path):
    X, truth = blobs()
    ana, bo = member(X, tmp_path / "t.db", "ana"), member(X, tmp_path / "t.db", "bo")
    (first,) = ana.next()
    ana.label(first, truth[first])
    (mine,) = bo.next()  # bo's look learns ana's first label
    (second,) = ana.next(exclude=[mine])
    ana.label(second, truth[second])  # after bo's look
    bo.label(mine, truth[mine])
    bo.session.undo()  # a session that learned team labels reads the store again: ana's second label too
    assert bo.session.label_of(second) == truth[second]
    assert bo.sync() == 0 and bo.session.n_labels == 2  # nothing read twice


def test_an_item_the_model_was_unsure_of_goes_to_a_second_annotator_and_no_third(tmp_path):
    X, truth = blobs()
    ana, bo, cy = (member(X, tmp_path / "t.db", who, unsure=0.9) for who in ("ana", "bo", "cy"))
    for _ in range(12):
        (item,) = ana.next()
        ana.label(item, truth[item])
    shown = {r.item_id: r.score for r in ana.session.store.events()}  # the model's confidence as ana saw each
    unsure = {item for item, confidence in shown.items() if confidence is not None and confidence < 0.9}
    assert unsure and None in shown.values()  # the cold start's items (no model yet) are not doubled
    got = bo.next(len(X))
    assert set(got) & set(shown) == unsure  # each unsure one again, none of the others
    for item in unsure:
        bo.label(item, truth[item])
    assert not set(cy.next(len(X))) & set(shown)  # two answers each: nobody else gets them


def test_an_unsure_share_outside_0_1_is_refused_by_name(tmp_path):
    X, _ = blobs()
    with pytest.raises(ValueError, match=r"unsure: .* must be in \[0, 1\], got 70"):
        member(X, tmp_path / "t.db", "ana", unsure=70)

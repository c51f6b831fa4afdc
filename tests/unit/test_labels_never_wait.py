"""A label never waits for the model: not for a ranking, not for a look at the team's labels (a burst of them
is one look), and a pool of texts is ranked at once from word counts kept since it opened, to the same
probabilities as river's text-by-text ones."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from river import compose, feature_extraction, linear_model, multiclass, naive_bayes

from hitl_widgets import LabelStore, Session
from hitl_widgets.data.sms import sms_spam
from hitl_widgets.learners.protocol import proba_matrix
from hitl_widgets.learners.river_defaults import default_stream_learner
from hitl_widgets.learners.river_text import WordCounts, counted_texts
from hitl_widgets.samplers import MarginSampler
from hitl_widgets.sessions.pool.builders import item_session
from hitl_widgets.team import TeamLabelQueue


class HeldRanking(MarginSampler):
    """Margin sampling that, once ``hold`` is set, stops in the middle of a ranking until ``go`` is set."""

    def __init__(self):
        super().__init__()
        self.hold, self.inside, self.go = threading.Event(), threading.Event(), threading.Event()

    def _select(self, *args, **kwargs):
        if self.hold.is_set():
            self.inside.set()
            self.go.wait(30)
        return super()._select(*args, **kwargs)


def test_a_label_is_stored_while_a_ranking_is_under_way():
    rng = np.random.default_rng(1)
    X = np.r_[rng.normal(-2, 1, (100, 2)), rng.normal(2, 1, (100, 2))]
    sampler = HeldRanking()
    s = Session(X, naive_bayes.GaussianNB(), sampler, classes=["a", "b"], background=True)  # as labelers run it
    first = s.next(4)
    s.label(first[0], "a")
    s.label(first[1], "b")
    sampler.hold.set()
    ranking = threading.Thread(target=s.next, args=(3,))
    ranking.start()
    assert sampler.inside.wait(10)  # the ranking holds the model now
    t0 = time.perf_counter()
    s.label(first[2], "a")
    s.skip(first[3])
    took = time.perf_counter() - t0
    still_ranking = ranking.is_alive()
    stored = [e.kind for e in s.store.events()]
    sampler.go.set()
    ranking.join(10)
    assert still_ranking and took < 5, f"the label waited {took:.1f} s for the ranking"
    assert stored == ["label", "label", "label", "skip"]  # committed while the ranking was under way
    assert s.label_of(first[2]) == "a" and s.is_skipped(first[3])
    s.wait()
    assert s.n_learned == 3


class CountedLooks(TeamLabelQueue):
    """A team's queue that counts its looks at the team's labels."""

    looks = 0

    def sync(self) -> int:
        self.looks += 1
        return super().sync()


@pytest.mark.slow  # its 1 s window assumes an unloaded machine: the full run (serial) runs it
def test_a_burst_of_teammates_labels_is_one_look_and_one_ranking(postgres_url):
    store = LabelStore(postgres_url, session="burst")
    X = np.r_[np.zeros((30, 2)), np.ones((30, 2))] + np.random.default_rng(2).normal(0, 0.1, (60, 2))

    def session(who: str, background: bool) -> Session:
        return Session(X, naive_bayes.GaussianNB(), "margin", store, classes=["a", "b"], annotator=who,
                       background=background)  # fmt: skip

    ana = CountedLooks(session("ana", True), poll=30.0)  # only word from PostgreSQL makes her look
    bo = session("bo", False)
    try:
        ana.wait()
        busy = threading.Event()
        ana.session.then(lambda: busy.wait(20))  # ana's worker is busy while the team labels
        looks_before = ana.looks
        held = {ana.current, *ana.upcoming}
        theirs = [i for i in range(60) if i not in held][:8]
        for item in theirs:
            bo.label(item, "a" if X[item, 0] < 0.5 else "b")
        time.sleep(1.0)  # the eight words arrive while the worker is busy
        busy.set()
        ana.wait()
        deadline = time.monotonic() + 10
        while ana.session.n_labels < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ana.session.n_labels == 8  # every label learned
        assert ana.looks - looks_before <= 2, f"{ana.looks - looks_before} looks for one burst"
    finally:
        ana.close()
        bo.close()


TEXTS_NOT_MADE_FOR_THIS = [
    "Café crème à 2€, déjà vu!",
    "",
    "!!! ??? ...",
    "URGENT urgent Urgent: call 0800-123-456 NOW",
    "日本語のテキスト with mixed scripts",
    "a" * 400,
    "re-use the well-known e-mail",
    "free free free free free free free free free",
]


def test_texts_are_scored_at_once_to_river_s_own_probabilities():
    messages = sms_spam(600, seed=3) + [(t, "spam" if i % 2 else "ham") for i, t in enumerate(TEXTS_NOT_MADE_FOR_THIS)]
    texts = [t for t, _ in messages]
    s = item_session(texts, labels=["ham", "spam"], store=":memory:")
    counts = counted_texts(s.learner, texts)
    assert isinstance(counts, WordCounts) and counts.matrix.shape[0] == len(texts)
    # before any label, after some, after a relabel, and with a third label none of the texts had before
    for step in range(4):
        if step == 1:
            for i in range(0, 60, 3):
                s.label(i, messages[i][1])
        if step == 2:
            s.label(0, "spam" if messages[0][1] == "ham" else "ham")
        if step == 3:
            s.add_class("other")
            s.label(len(texts) - 1, "other")
        at_once = s.predict_proba()
        one_by_one = proba_matrix(s.learner, texts, s.classes)
        np.testing.assert_allclose(at_once, one_by_one, atol=1e-12)
        part = [len(texts) - 3, 5, 0]
        np.testing.assert_allclose(s.predict_proba(part), one_by_one[part], atol=1e-12)


def test_texts_are_ranked_as_river_ranks_them_one_by_one():
    messages = sms_spam(500, seed=4)
    texts, truth = [t for t, _ in messages], [y for _, y in messages]
    fast = item_session(texts, labels=["ham", "spam"], store=":memory:")
    # the same model with a step that changes nothing: not a shape scored at once, so asked text by text
    bag, head = default_stream_learner(texts[0]).steps.values()
    same = compose.Pipeline(bag, compose.FuncTransformer(dict), head)
    assert counted_texts(same, texts) is None
    slow = Session(fast.pool, same, "margin", classes=["ham", "spam"])
    picks_fast, picks_slow = [], []
    for _ in range(40):
        a, b = fast.next()[0], slow.next()[0]
        picks_fast.append(a)
        picks_slow.append(b)
        fast.label(a, truth[a])
        slow.label(b, truth[b])
    assert picks_fast == picks_slow
    np.testing.assert_allclose(fast.predict_proba(), slow.predict_proba(), atol=1e-12)


@pytest.mark.parametrize(
    ("model", "classes"),
    [
        (feature_extraction.TFIDF() | multiclass.OneVsRestClassifier(linear_model.LogisticRegression()), None),
        (feature_extraction.BagOfWords() | naive_bayes.MultinomialNB(), None),
        (feature_extraction.BagOfWords() | linear_model.LogisticRegression(), [False, True]),
    ],
    ids=["tf-idf", "naive-bayes", "binary-logistic"],
)
def test_models_of_other_shapes_are_scored_text_by_text(model, classes):
    messages = sms_spam(120, seed=5)
    texts = [t for t, _ in messages]
    s = Session(item_session(texts, store=":memory:").pool, model, "margin", classes=classes or ["ham", "spam"])
    assert counted_texts(s.learner, texts) is None
    for i in range(20):
        y = messages[i][1]
        s.label(i, y == "spam" if classes else y)
    np.testing.assert_allclose(s.predict_proba(), proba_matrix(s.learner, texts, s.classes), atol=1e-12)

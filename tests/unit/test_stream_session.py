"""StreamSession: river's active-learning loop with a person as the oracle, undo, resume, bad streams."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from river import active, feature_extraction, linear_model, metrics, multiclass, optim

from hitl_widgets.data.sms import sms_spam
from hitl_widgets.samplers.gates import ThresholdGate
from hitl_widgets.sessions.stream.session import StreamSession

CLASSES = ["ham", "spam"]
DATA = sms_spam(1500, drift_at=800, seed=3)


def oracle_run(session: StreamSession, max_answers: int | None = None) -> StreamSession:
    """Answer every ask with the truth (the item's y), up to ``max_answers``."""
    answered = 0
    while session.walk() == "ask":
        if max_answers is not None and answered >= max_answers:
            break
        session.answer(session.pending.truth)
        answered += 1
    return session


def fingerprint(s: StreamSession) -> tuple:
    probe = [s.learner.predict_proba_one(x) for x, _ in DATA[:20]]
    return s.metrics.as_dict(), list(s.metrics.curve), s.position, [sorted(p.items()) for p in probe]


def text_model():
    return feature_extraction.BagOfWords(lowercase=True) | multiclass.OneVsRestClassifier(
        linear_model.LogisticRegression(optimizer=optim.SGD(0.5))
    )


def test_matches_rivers_own_loop_with_the_truth_as_oracle(tmp_path):
    """Same model, same seeded EntropySampler: the same asks, predictions and progressive accuracy."""
    model = text_model()
    gate = active.EntropySampler(model, discount_factor=3, seed=7)
    accuracy, asked = metrics.Accuracy(), 0
    for x, y in DATA:
        proba, ask = gate.predict_proba_one(x)
        if proba:  # river's progressive validation skips items the model cannot predict yet
            accuracy.update(y, max(proba, key=proba.get))
        if ask or len(proba) < 2:  # our cold start: ask until the model can predict both classes
            asked += 1
            gate.learn_one(x, y)
    twin = text_model()
    s = oracle_run(StreamSession(DATA, twin, active.EntropySampler(twin, seed=7), CLASSES, tmp_path / "s.db"))
    assert s.ended and s.error == ""
    assert s.metrics.labeled == asked and s.metrics.seen == len(DATA)
    assert s.metrics.accuracy == pytest.approx(accuracy.get())
    assert s.metrics.predicted + s.metrics.labeled == len(DATA)
    assert s.metrics.label_rate < 0.2  # the model stops asking about most items
    assert len(s.labels) == asked and s.metrics.answers_agreeing == asked


def test_default_learner_and_gate_and_the_curve():
    s = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"))
    m = s.metrics
    assert m.accuracy > 0.95 and m.labeled < 0.15 * len(DATA)
    seen = [p[0] for p in m.curve]
    assert seen == sorted(seen) and 20 < len(seen) <= 400 and seen[-1] == len(DATA)
    late_rate = m.curve[-1][2]
    assert late_rate < m.curve[len(m.curve) // 10][2]  # asks fade as the model learns


def test_undo_rewinds_model_metrics_and_stream():
    s = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"), max_answers=25)
    ask = s.pending
    before = fingerprint(s)
    s.answer("spam" if ask.truth == "ham" else "ham")  # a wrong answer
    oracle_run(s, max_answers=3)
    s.undo(), s.undo(), s.undo()
    back = s.undo()
    assert back.position == ask.position and fingerprint(s) == before
    assert ask.position not in s.labels
    straight = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"))
    assert fingerprint(oracle_run(s)) == fingerprint(straight)


def test_undo_with_nothing_to_undo_and_an_answer_when_nothing_waits():
    s = StreamSession(DATA, classes=CLASSES, store=":memory:")
    assert s.undo() is None
    with pytest.raises(ValueError, match="no item is waiting"):
        s.answer("ham")
    s.walk()
    with pytest.raises(ValueError, match="not one of the classes"):
        s.answer("eggs")


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_resume_in_a_new_python_process_is_exact(tmp_path):
    """A kernel answers 30 asks and dies (os._exit: no cleanup); a new process goes on as if nothing happened."""
    db = tmp_path / "stream.db"
    script = f"""
        import os
        from hitl_widgets.data.sms import sms_spam
        from hitl_widgets.sessions.stream.session import StreamSession
        s = StreamSession(sms_spam(1500, drift_at=800, seed=3), classes=["ham", "spam"], store={str(db)!r})
        for _ in range(30):
            s.walk()
            s.answer(s.pending.truth)
        s.walk()
        print(s.pending.position, s.metrics.seen, s.metrics.labeled, flush=True)
        os._exit(0)
    """
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, check=True)
    pending, seen, labeled = map(int, out.stdout.split())
    resumed = StreamSession(DATA, classes=CLASSES, store=db)
    assert (resumed.pending.position, resumed.metrics.seen, resumed.metrics.labeled) == (pending, seen, labeled)
    assert len(resumed.labels) == 30
    straight = StreamSession(DATA, classes=CLASSES, store=":memory:")
    oracle_run(straight, max_answers=30)
    assert fingerprint(resumed) == fingerprint(straight)
    assert fingerprint(oracle_run(resumed)) == fingerprint(oracle_run(straight))
    assert resumed.undo() is not None  # undo works across the restart too


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_an_answer_committed_just_before_a_crash_is_learned_once(tmp_path):
    db = tmp_path / "stream.db"
    script = f"""
        import os
        from hitl_widgets.data.sms import sms_spam
        from hitl_widgets.sessions.stream.session import StreamSession
        s = StreamSession(sms_spam(1500, drift_at=800, seed=3), classes=["ham", "spam"], store={str(db)!r})
        for _ in range(12):
            s.walk()
            s.answer(s.pending.truth)
        s.walk()
        s.store.record_label(s.pending.position, s.pending.truth)  # committed ...
        os._exit(0)  # ... and the process dies before learning it
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=True)
    resumed = StreamSession(DATA, classes=CLASSES, store=db)
    assert resumed.pending is None and resumed.metrics.labeled == 13
    straight = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"), max_answers=13)
    straight_state = fingerprint(straight)
    resumed.walk()
    assert fingerprint(resumed) == straight_state


def test_resume_with_another_stream_says_so(tmp_path):
    db = tmp_path / "s.db"
    oracle_run(StreamSession(DATA, classes=CLASSES, store=db), max_answers=5)
    with pytest.raises(ValueError, match="differs from the one saved"):
        StreamSession(sms_spam(1500, seed=99), classes=CLASSES, store=db)
    with pytest.raises(ValueError, match="has only"):
        StreamSession(DATA[:3], classes=CLASSES, store=db)


def test_a_stream_that_raises_stops_with_the_error_and_keeps_every_label(tmp_path):
    def flaky():
        for i, item in enumerate(DATA):
            if i == 300:
                raise ConnectionError("feed went away")
            yield item

    s = StreamSession(flaky, classes=CLASSES, store=tmp_path / "s.db")
    answers = {}
    while (outcome := s.walk()) == "ask":
        answers[s.pending.position] = s.pending.truth
        s.answer(s.pending.truth)
    assert outcome == "error" and "ConnectionError: feed went away" in s.error and "after item 300" in s.error
    assert s.labels == answers and s.metrics.seen == 300
    reopened = StreamSession(DATA, classes=CLASSES, store=tmp_path / "s.db")
    assert reopened.labels == answers and reopened.position == 300
    reopened.error, reopened.ended = "", False  # the feed is back: go on from item 300
    assert reopened.walk() in ("ask", "end")


class Picky:
    """A learner that fails on items with a pound sign."""

    def predict_proba_one(self, x):
        if "£" in x:
            raise KeyError("no pounds")
        return {"ham": 0.5, "spam": 0.5}

    def learn_one(self, x, y):
        pass


def test_a_learner_that_fails_stops_on_that_item():
    s = StreamSession(DATA, Picky(), ThresholdGate(budget=1.0), CLASSES, ":memory:")
    while s.walk() == "ask":
        s.answer("ham")
    assert "the learner failed on item" in s.error and "no pounds" in s.error
    assert "£" in DATA[s.position][0]  # that item is next once the learner is fixed


def test_warm_up_asks_about_the_first_items():
    s = StreamSession(DATA, classes=CLASSES, store=":memory:", warm_up=15)
    reasons = []
    for _ in range(15):
        s.walk()
        reasons.append(s.pending.reason)
        s.answer(s.pending.truth)
    assert reasons == ["warm-up"] * 15 and s.metrics.labeled == 15


def test_the_knob_applies_at_once_and_survives_undo():
    s = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"), max_answers=30)
    assert s.knob[0] == "discount_factor" and s.knob_value == 3.0
    s.set_knob(20.0)
    assert s.gate.discount_factor == 20.0
    s.answer(s.pending.truth)
    s.undo()
    assert s.gate.discount_factor == 20.0
    with pytest.raises(ValueError, match=r"discount_factor must be in \[0.0, 20.0\]"):
        s.set_knob(50)


def test_threshold_gate_budget_caps_the_label_rate():
    s = StreamSession(DATA, gate=ThresholdGate(threshold=0.999, budget=0.05), classes=CLASSES, store=":memory:")
    assert s.knob[0] == "budget"
    oracle_run(s)
    reasons = s.to_dataframe()["reason"].value_counts()
    assert 0 < reasons["gate"] <= 0.05 * len(DATA) + 1  # the gate keeps to its budget ...
    assert reasons["gate"] + reasons["cold start"] == s.metrics.labeled  # ... past the cold start


def test_reset_starts_over_with_a_fresh_model(tmp_path):
    s = oracle_run(StreamSession(DATA, classes=CLASSES, store=tmp_path / "s.db"), max_answers=20)
    s.reset()
    assert s.position == 0 and s.metrics.seen == 0 and s.labels == {}
    assert s.learner.predict_proba_one("free prize") == {}
    assert len(s.store.events(include_undone=True)) == 20  # nothing is deleted
    fresh = oracle_run(StreamSession(DATA, classes=CLASSES, store=":memory:"))
    assert fingerprint(oracle_run(s)) == fingerprint(fresh)


def test_a_one_shot_iterator_works_once_and_reset_explains():
    s = StreamSession(iter(DATA[:200]), classes=CLASSES, store=":memory:")
    oracle_run(s)
    assert s.metrics.seen == 200
    with pytest.raises(ValueError, match="a stream that can be read again"):
        s.reset()


def test_bad_arguments_are_explained():
    model = text_model()
    with pytest.raises(ValueError, match="at least two distinct labels"):
        StreamSession(DATA, classes=["ham"], store=":memory:")
    with pytest.raises(ValueError, match="wraps a different classifier"):
        StreamSession(DATA, text_model(), active.EntropySampler(model), CLASSES, ":memory:")
    with pytest.raises(TypeError, match="gate must be"):
        StreamSession(DATA, gate=object(), classes=CLASSES, store=":memory:")
    with pytest.raises(ValueError, match="the stream is empty"):
        StreamSession([], classes=CLASSES, store=":memory:")

    class Locked(Picky):
        def __init__(self):  # a lock cannot be copied
            self.lock = threading.Lock()

    with pytest.raises(TypeError, match="must copy"):
        StreamSession(DATA, Locked(), ThresholdGate(), CLASSES, ":memory:")


def test_a_lambda_in_the_pipeline_resumes_since_nothing_is_pickled(tmp_path):
    from river import compose

    def model():
        return compose.FuncTransformer(lambda x: x.lower()) | text_model()

    s = oracle_run(StreamSession(DATA, model(), classes=CLASSES, store=tmp_path / "s.db"), max_answers=8)
    resumed = StreamSession(DATA, model(), classes=CLASSES, store=tmp_path / "s.db")
    assert resumed.pending.position == s.pending.position and resumed.metrics.as_dict() == s.metrics.as_dict()


def test_undo_is_refused_past_the_kept_history():
    s = StreamSession(DATA, classes=CLASSES, store=":memory:", max_history=300, undo_depth=100)
    while s.walk() == "ask" and s.position < 1200:
        s.answer(s.pending.truth)
    with pytest.raises(ValueError, match="moved on more than 300 items"):
        for _ in range(100):
            s.undo()
    # what could be undone was, and the store agrees with the model's count
    assert s.pending is not None and len(s.labels) == s.metrics.labeled > 0


def test_dict_and_image_streams_get_a_default_learner():
    rng = np.random.default_rng(0)
    rows = [
        ({"amount": float(a), "country": c}, "fraud" if a > 500 else "ok")
        for a, c in zip(rng.uniform(0, 1000, 400), rng.choice(["NL", "DE"], 400), strict=True)
    ]
    s = oracle_run(StreamSession(rows, classes=["ok", "fraud"], store=":memory:"))
    assert s.metrics.accuracy > 0.8 and s.metrics.labeled < 400
    images = [(np.full((8, 8), 255 * (i % 2), dtype=np.uint8), "white" if i % 2 else "black") for i in range(200)]
    s = oracle_run(StreamSession(images, classes=["black", "white"], store=":memory:"))
    assert s.metrics.accuracy > 0.9
    df = s.to_dataframe()
    assert len(df) == s.metrics.labeled and df["item"].isna().all()  # images are not copied into the store


def test_to_dataframe_holds_the_labeled_text(tmp_path):
    s = oracle_run(StreamSession(DATA, classes=CLASSES, store=tmp_path / "s.db"), max_answers=10)
    df = StreamSession(DATA, classes=CLASSES, store=tmp_path / "s.db").to_dataframe()
    assert len(df) == 10 and (df["label"] == df["truth"]).all()
    assert df["item"].tolist() == [DATA[p][0] for p in df["position"]]
    assert set(df["reason"]) <= {"gate", "cold start"}
    assert pickle.loads(pickle.dumps(s.metrics)).labeled == 10


def test_a_store_answered_with_other_classes_is_refused_and_left_as_it_was(tmp_path):
    db = tmp_path / "stream.db"
    s = StreamSession(DATA, classes=CLASSES, store=db)
    while s.metrics.labeled < 4:
        assert s.walk() == "ask"
        s.answer(s.pending.truth)
    answers = s.to_dataframe()
    s.store.close()
    with pytest.raises(ValueError, match=r"holds labels that are not in the label set \['no', 'yes'\].*Nothing was"):
        StreamSession(DATA, classes=["no", "yes"], store=db)
    again = StreamSession(DATA, classes=CLASSES, store=db)
    assert again.metrics.labeled == 4 and again.to_dataframe().equals(answers)

"""StreamRunner: the background walk of a stream session, driven by a script with no widget."""

from __future__ import annotations

import time

from hitl_widgets import StreamRunner, StreamSession, ThresholdGate
from hitl_widgets.data.sms import sms_spam

CLASSES = ["ham", "spam"]
DATA = sms_spam(2000, seed=2)


def test_a_script_answers_as_fast_as_it_can_and_the_walk_always_goes_on():
    """Answers given the instant an ask appears (before the walking thread has returned) never stall the walk."""
    runner = StreamRunner(StreamSession(DATA, classes=CLASSES, store=":memory:"))
    events = []
    runner.on_change(events.append)
    deadline = time.perf_counter() + 60
    while runner.status != "end" and time.perf_counter() < deadline:
        pending = runner.session.pending
        if pending is not None:
            runner.answer(pending.truth, position=pending.position)
    assert runner.status == "end" and runner.session.metrics.seen == len(DATA)
    labeled = runner.session.metrics.labeled
    assert 0 < labeled < len(DATA) / 4 and events.count("answered") == labeled
    assert runner.session.metrics.accuracy > 0.9


def test_pause_stops_at_once_and_a_stale_answer_changes_nothing():
    confident = [("see you at 7", "ham"), ("WIN a FREE prize", "spam")] * 3 + [("see you at 7", "ham")] * 200_000
    runner = StreamRunner(StreamSession(confident, gate=ThresholdGate(0.9, budget=1.0, variable=False),
                                        classes=CLASSES, store=":memory:"))  # fmt: skip
    deadline = time.perf_counter() + 30
    while runner.session.metrics.seen < 1000 and time.perf_counter() < deadline:
        pending = runner.session.pending
        if pending is not None:
            runner.answer(pending.truth)
            assert runner.answer("ham", position=pending.position) is False  # a second press for the same item
    runner.pause()
    seen = runner.session.metrics.seen
    assert runner.status == "paused" and not runner.running
    time.sleep(0.1)
    assert runner.session.metrics.seen == seen
    runner.play()
    assert runner.status == "walking"
    runner.close()
    assert runner.status == "paused"


def test_a_pause_while_an_item_waits_holds_the_walk_after_the_answer():
    runner = StreamRunner(StreamSession(DATA, classes=CLASSES, store=":memory:"), background=False)
    assert runner.status == "asking"
    events = []
    runner.on_change(events.append)
    runner.pause()  # from code, while asking: the page shows it at once
    assert runner.status == "paused" and events == ["paused"]
    waiting = runner.session.pending
    seen = runner.session.metrics.seen
    assert runner.answer(waiting.truth, position=waiting.position)  # the item can still be answered ...
    assert runner.status == "paused" and runner.session.metrics.seen == seen  # ... and the walk stays put
    runner.play()
    assert runner.status == "asking" and runner.session.metrics.seen > seen


def test_no_accuracy_figure_before_the_model_has_predicted():
    session = StreamSession(DATA, classes=CLASSES, store=":memory:")
    assert session.walk() == "ask"  # the first item: no model yet, so no prediction
    assert session.pending.prediction is None
    assert session.metrics.accuracy is None and session.metrics.as_dict()["with_truth"] == 0

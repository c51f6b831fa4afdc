"""StreamLabeler driven the way the browser drives it: messages in through the comm, state out as traits."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from conftest import frontend
from PIL import Image

from hitl_widgets import StreamLabeler, StreamSession, ThresholdGate, sms_spam

pytestmark = pytest.mark.usefixtures("recording_comm")
CLASSES = ["ham", "spam"]
DATA = sms_spam(1200, seed=5)


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def labeler(stream=DATA, **kw):
    kw.setdefault("store", ":memory:")
    kw.setdefault("classes", CLASSES)
    kw.setdefault("background", False)
    return StreamLabeler(stream, **kw)


def images_sent(w) -> list[tuple[dict, list]]:
    return [(d["content"], [bytes(b) for b in buffers]) for kind, d, buffers in w.comm.sent
            if d.get("method") == "custom" and d["content"].get("type") == "images"]  # fmt: skip


def answer_by_page(w, n):
    """Answer n asks the way the page does: the class index of the truth, for the position on screen, numbered."""
    for _ in range(n):
        w.wait()
        truth = DATA[w.item["position"]][1]
        seq = w._ack + 1
        msg(w, type="label", position=w.item["position"], cls=CLASSES.index(truth), seconds=0.8, seq=seq)
    w.wait()


def test_the_page_answers_and_the_traits_follow():
    w = labeler()
    assert w.status == "asking" and w.item["kind"] == "text" and w.item["text"] == DATA[w.item["position"]][0]
    answer_by_page(w, 12)
    m = w.metrics
    assert m["labeled"] == 12 == len(w.labels) and m["seen"] == m["predicted"] + m["labeled"] + 1
    assert len(w.item["probs"]) == 2 and w.item["prediction"] in CLASSES
    assert abs(sum(w.item["probs"]) - 1) < 1e-9
    assert w.curve and w.curve[-1][0] == m["seen"]
    assert w._ack == 12
    assert w.to_dataframe()["seconds"].eq(0.8).all()


def test_a_stale_or_double_answer_is_ignored_and_a_bad_class_is_explained():
    w = labeler()
    pos = w.item["position"]
    msg(w, type="label", position=pos, cls=0)
    msg(w, type="label", position=pos, cls=0)  # the same key twice before the kernel moved on
    assert w.metrics["labeled"] == 1
    msg(w, type="label", position=w.item["position"], cls=7)
    assert "2 labels; key 8 has none" in w.error and w.metrics["labeled"] == 1
    msg(w, type="warp")
    assert "unknown message" in w.error


def test_accept_takes_the_model_s_prediction():
    w = labeler()
    answer_by_page(w, 15)
    predicted, pos = w.item["prediction"], w.item["position"]
    msg(w, type="accept", position=pos)
    assert w.labels[pos] == predicted


def test_undo_from_the_page_brings_the_item_and_counts_back():
    w = labeler()
    answer_by_page(w, 10)
    before = (dict(w.item), w.metrics["seen"], w.metrics["labeled"])
    answer_by_page(w, 1)
    msg(w, type="undo")
    assert (w.item, w.metrics["seen"], w.metrics["labeled"]) == before
    msg(w, type="undo")
    assert w.metrics["labeled"] == 9
    fresh = labeler()
    assert fresh.undo() is None and fresh.error == "nothing to undo"


def test_the_knob_trait_sets_the_gate_at_once_and_refuses_nonsense():
    w = labeler()
    assert w.knob["name"] == "discount_factor" and w.knob_value == 3.0
    w.knob_value = 9.0
    assert w.gate.discount_factor == 9.0
    with pytest.raises(ValueError, match=r"discount_factor must be in \[0.0, 20.0\], got -5"):
        w.knob_value = -5  # from Python a bad value raises, as the constructor does
    assert w.knob_value == 9.0 and w.gate.discount_factor == 9.0
    t = labeler(gate=ThresholdGate(budget=0.2))
    assert t.knob["name"] == "budget"
    t.knob_value = 0.05
    assert t.gate.budget == 0.05


def test_a_constructor_that_refuses_its_arguments_leaves_no_noise_behind():
    import gc
    import sys

    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        with pytest.raises(ValueError, match="at least two distinct labels"):
            StreamLabeler(["a text"], store=":memory:")
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []  # no "Exception ignored in Widget.__del__" after the clear error


def test_items_are_shown_by_kind_and_markup_stays_text():
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    w = labeler([(evil, "spam"), ("hi", "ham")])
    assert w.item == {**w.item, "kind": "text", "text": evil}
    rows = [
        ({"amount": 12.5, "country": "NL", "note": "<b>x</b>"}, "ok"),
        ({"amount": 3.0, "country": "DE", "note": ""}, "ok"),
    ]
    t = labeler(rows, classes=["ok", "fraud"])
    assert t.item["kind"] == "table" and t.item["rows"] == [["amount", "12.5"], ["country", "NL"], ["note", "<b>x</b>"]]
    pixels = np.arange(64, dtype=np.uint8).reshape(8, 8)
    i = labeler([(pixels, "a"), (pixels, "b")], classes=["a", "b"])
    ((message, (png,)),) = images_sent(i)  # the image went as the labelers' images go: a message, a buffer
    assert i.item["kind"] == "image" and i.item["image"] == message["keys"][0] and i.item["position"] == 0
    assert png[:4] == b"\x89PNG" and Image.open(__import__("io").BytesIO(png)).size == (8, 8)
    frontend(i, {"method": "custom", "content": {"type": "want", "keys": message["keys"], "seq": 1}})  # a reload
    assert len(images_sent(i)) == 2 and images_sent(i)[-1][1][0] == png and i.error == "" and i._ack == 1
    long = labeler([("x" * 10_000, "ham")])
    assert len(long.item["text"]) == 4000 and long.item["cut"] == 6000


def test_a_failing_stream_shows_the_error_and_keeps_the_labels(tmp_path):
    def feed():
        for i, item in enumerate(DATA):
            if i == 150:
                raise OSError("socket closed")
            yield item

    w = labeler(feed, store=tmp_path / "s.db")
    while w.status == "asking":
        answer_by_page(w, 1)
    assert w.status == "error" and "OSError: socket closed" in w.error
    kept = w.labels
    assert len(kept) == w.metrics["labeled"] > 0
    assert StreamLabeler(DATA, classes=CLASSES, store=tmp_path / "s.db", background=False).labels == kept


def test_the_page_pauses_while_an_item_waits_and_space_right_after_an_answer_holds_the_walk():
    w = labeler()
    assert w.status == "asking"
    msg(w, type="pause", seq=1)  # the button is enabled at an ask now, and Space sends this
    assert w.status == "paused" and w._ack == 1 and w.item["position"] is not None
    pos = w.item["position"]
    msg(w, type="label", position=pos, cls=CLASSES.index(DATA[pos][1]), seq=2)
    w.wait()
    assert w.status == "paused" and w.metrics["seen"] == pos + 1  # answered, and the walk did not go on
    msg(w, type="play", seq=3)
    w.wait()
    assert w.status == "asking" and w.item["position"] > pos
    pos = w.item["position"]
    msg(w, type="label", position=pos, cls=CLASSES.index(DATA[pos][1]), seq=4)
    msg(w, type="pause", seq=5)  # Space right after an answer (the page still shows the ask): it pauses
    w.wait()
    assert w.status == "paused" and w._ack == 5


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_fast_forward_runs_in_the_background_and_pauses_at_once(tmp_path):
    warm = [("see you at 7", "ham"), ("WIN a FREE prize, call now", "spam")] * 3
    confident = warm + [("see you at 7", "ham")] * 300_000
    sure = ThresholdGate(threshold=0.9, budget=1.0, variable=False)  # never asks about a confident item
    w = StreamLabeler(confident, gate=sure, classes=CLASSES, store=tmp_path / "s.db")
    w.wait()
    while w.status == "asking":  # the cold start; after it the walk runs on its own thread
        started = time.perf_counter()
        w.label(w.session.pending.truth)
        assert time.perf_counter() - started < 0.5  # the caller is not held up by the walk
        while w.status == "walking" and w.metrics["seen"] < 5000 and time.perf_counter() - started < 30:
            time.sleep(0.01)
    assert w.status == "walking" and w.metrics["seen"] >= 5000  # progress reaches the traits while it runs
    w.pause()
    seen = w.metrics["seen"]
    assert w.status == "paused" and seen < len(confident)
    time.sleep(0.2)
    assert w.metrics["seen"] == seen  # it stopped
    again = ThresholdGate(threshold=0.9, budget=1.0, variable=False)  # reopened with the same gate, replayed
    reopened = StreamSession(confident, gate=again, classes=CLASSES, store=tmp_path / "s.db")
    assert reopened.metrics.seen == seen and reopened.pending is None  # the pause saved the state
    w.play()
    w.wait()
    assert w.status == "end" and w.metrics["seen"] == len(confident)


def test_reset_from_the_page():
    w = labeler()
    answer_by_page(w, 5)
    msg(w, type="reset")
    w.wait()
    assert w.metrics["labeled"] == 0 and w.item["position"] == 0 and w.labels == {}


def test_reloaded_state_is_all_in_the_traits(tmp_path):
    """A second view (or a reloaded page) gets the same item, counts and curve from the traits alone."""
    w = labeler(store=tmp_path / "s.db")
    answer_by_page(w, 8)
    state = w.get_state()
    assert state["item"]["position"] == w.session.pending.position
    assert state["metrics"]["labeled"] == 8 and state["curve"] == w.curve
    again = StreamLabeler(DATA, classes=CLASSES, store=tmp_path / "s.db", background=False)
    assert again.get_state()["item"] == state["item"] and again.metrics["labeled"] == 8


def test_save_keeps_a_pause_and_close_stops_the_walk(tmp_path):
    warm = [("see you at 7", "ham"), ("WIN a FREE prize, call now", "spam")] * 3
    stream = warm + [("see you at 7", "ham")] * 300_000
    sure = ThresholdGate(threshold=0.9, budget=1.0, variable=False)
    w = StreamLabeler(stream, gate=sure, classes=CLASSES, store=tmp_path / "s.db")
    w.wait()
    while w.status == "asking":
        w.label(w.session.pending.truth)
        w.wait(0.05)
    w.play()  # already walking: returns at once
    assert w.status == "walking"
    w.pause()
    msg(w, type="save")
    assert w.status == "paused"  # saving does not start it again
    seen = w.metrics["seen"]
    again = ThresholdGate(threshold=0.9, budget=1.0, variable=False)
    assert StreamSession(stream, gate=again, classes=CLASSES, store=tmp_path / "s.db").metrics.seen == seen
    w.play()
    w.close()
    assert not w.runner.running


NOT_A_STREAM = {  # what a new user tries: (stream, the message that names the labeler, what it got and what it takes)
    "empty list": ([], r"^StreamLabeler: got an empty list: the stream is empty; give at least one item$"),
    "bare string": (
        "hello world",
        r"^StreamLabeler: got the string 'hello world' as the stream: it would stream its characters one by one; "
        r"give a list of texts, e\.g\. \['hello world', \.\.\.\]",
    ),
    "list of numbers": (
        [1, 2.5],
        r"^StreamLabeler: the first item is the number 1: the default model reads a text, a dict of features or an "
        r"image; give dicts",
    ),
    "dict": ({"amount": [1.0, 2.0]}, r"^StreamLabeler: got a dict with 1 key: a stream walks its items, not a dict's"),
    "None": (None, r"^StreamLabeler: got no stream \(None\); give an iterable of items"),
    "1-D array": (np.arange(5.0), r"^StreamLabeler: the first item is the number 0\.0: the default model reads"),
    "2-D array": (np.ones((5, 3)), r"^StreamLabeler: the first item is a 1-D array of 3 float64: the default model"),
    "DataFrame with no rows": (
        pd.DataFrame({"amount": []}),
        r"^StreamLabeler: got a DataFrame with no rows and 1 column; give at least one row$",
    ),
    "Series of numbers": (pd.Series([3.0, 4.0]), r"^StreamLabeler: the first item is the number 3\.0: the default"),
    "empty generator": ((x for x in []), r"^StreamLabeler: the stream is empty$"),
}


@pytest.mark.parametrize(("stream", "message"), NOT_A_STREAM.values(), ids=NOT_A_STREAM)
def test_an_input_that_is_not_a_stream_is_named_with_what_is_expected(stream, message):
    with pytest.raises(ValueError, match=message):
        labeler(stream)


def test_a_dataframe_streams_its_rows_and_a_bad_label_set_speaks_of_the_labeler():
    df = pd.DataFrame({"amount": [10.0, 900.0, None] * 20, "country": ["NL", None, "DE"] * 20})
    w = labeler(df, classes=["ok", "fraud"])
    assert w.item["kind"] == "table" and w.item["rows"][0][0] == "amount"
    w.close()
    with pytest.raises(ValueError, match=r"^StreamLabeler: classes must be at least two distinct labels, got \[\]"):
        labeler(DATA, classes=[])


def test_after_a_reset_the_picture_at_the_same_place_comes_under_its_own_key():
    first, other = np.zeros((8, 8), dtype=np.uint8), np.full((8, 8), 200, dtype=np.uint8)
    opened = []

    def stream():  # a stream opened again by reset() may hold other pictures at the same positions
        opened.append(1)
        return iter([(first if len(opened) == 1 else other, "a"), (other, "b")] * 5)

    w = labeler(stream, classes=["a", "b"])
    before = w.item["image"]
    w.reset()
    assert w.item["position"] == 0 and w.item["image"] != before  # not the old picture's key
    keys = [m["keys"] for m, _ in images_sent(w)]
    assert keys[-1] == [w.item["image"]] and [before] in keys

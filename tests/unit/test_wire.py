"""What crosses the wire: settings go up as numbered actions, checked as a Python assignment is, and acknowledged."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import frontend
from sklearn.datasets import load_digits

from hitl_widgets import GMMCanvas, ImageLabeler, StreamLabeler, sms_spam


def setting(w, name, value, seq):
    frontend(w, {"method": "custom", "content": {"type": "set", "name": name, "value": value, "seq": seq}})


def sent_states(w):
    return [d["state"] for kind, d, _ in w.comm.sent if kind == "comm_msg" and d.get("method") == "update"]


@pytest.fixture
def digits_labeler(recording_comm, tmp_path):
    digits = load_digits()
    w = ImageLabeler(digits.images[:60], labels=list(range(10)), store=str(tmp_path / "l.db"), background=False)
    yield w
    w.close()


def test_a_setting_from_the_page_is_applied_and_acknowledged_in_one_update(digits_labeler):
    w = digits_labeler
    w.comm.sent.clear()
    setting(w, "strategy", "kcenter", seq=1)
    assert w.session.strategy == "kcenter" and w.strategy == "kcenter" and w.error == "" and w._ack == 1
    acked = [s for s in sent_states(w) if s.get("_ack") == 1]
    assert len(acked) == 1 and acked[0].get("strategy") == "kcenter"  # the state and its ack together
    setting(w, "batch_size", 4, seq=2)
    assert w.batch_size == 4 and w._ack == 2


def test_a_refused_setting_changes_nothing_says_why_and_sends_the_kept_value_back(digits_labeler):
    w = digits_labeler
    w.comm.sent.clear()
    setting(w, "strategy", "no-such-strategy", seq=1)
    assert "unknown sampler 'no-such-strategy'" in w.error and w._ack == 1
    assert w.strategy == w.session.strategy == "margin"
    assert any(s.get("strategy") == "margin" for s in sent_states(w))  # the page showed the refused one
    setting(w, "batch_size", 0, seq=2)
    assert "batch_size" in w.error and w.batch_size == 1 and w._ack == 2
    setting(w, "classes", ["a"], seq=3)  # not a setting the page may change
    assert "may not set 'classes'" in w.error and w._ack == 3


def test_the_stream_knob_and_the_canvas_class_keys_are_settings_too(recording_comm):
    w = StreamLabeler(sms_spam(300), classes=["ham", "spam"], store=":memory:")
    try:
        setting(w, "knob_value", 9.0, seq=1)
        assert w.session.knob_value == 9.0 and w._ack == 1
        setting(w, "knob_value", -5, seq=2)
        assert w.error and w.session.knob_value == 9.0 and w.knob_value == 9.0
    finally:
        w.close()
    canvas = GMMCanvas(classes=["cat", "dog"], idle_check=False)
    setting(canvas, "current_class", 1, seq=1)
    assert canvas.current_class == 1 and canvas.error == ""
    setting(canvas, "current_class", 4, seq=2)  # key 5 with two classes
    assert "key 5 has none" in canvas.error and canvas.current_class == 1
    canvas.add_point(0.0, 0.0)
    assert list(canvas.labels) == ["dog"] and np.isfinite(canvas.points).all()

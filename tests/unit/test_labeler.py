"""Labeler over texts and table rows, driven through the comm as a page drives it; the one action protocol."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import frontend
from sklearn.datasets import load_digits

from hitl_widgets import ImageLabeler, Labeler, LabelQueue, image_session, item_session
from hitl_widgets.data.sms import sms_spam

pytestmark = pytest.mark.usefixtures("recording_comm")
SMS = sms_spam(300, seed=1)
TEXTS = [x for x, _ in SMS]
TRUTH = [y for _, y in SMS]
DIGITS = load_digits()


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def updates_until_ack(w, seq):
    """The state updates the kernel sent after the last page action, up to the one carrying ``_ack = seq``."""
    sent = [d["state"] for kind, d, _ in w.comm.sent if kind == "comm_msg" and d.get("method") == "update"]
    for i, state in enumerate(sent):
        if state.get("_ack") == seq:
            return sent[: i + 1]
    raise AssertionError(f"no update acknowledged {seq}")


def test_texts_are_shown_as_text_and_labeled_by_key():
    w = Labeler(TEXTS, labels=["ham", "spam"], store=":memory:")
    w.wait()
    view = w.item["view"]
    assert w.item_kind == "inline" and view == {"kind": "text", "text": TEXTS[w.current], "cut": 0}
    for n in range(1, 41):
        key = w.item["key"]
        msg(w, type="label", key=key, cls=["ham", "spam"].index(TRUTH[key]), next=None, seq=n)
        w.wait()
    assert len(w.labels) == 40 and w._ack == 40 and w.error == ""
    assert w.progress["accuracy"] > 0.6 and len(w.item["probs"]) == 2
    msg(w, type="undo", seq=41)
    assert len(w.labels) == 39 and w._ack == 41


def test_markup_in_a_text_stays_data():
    evil = '<img src=x onerror="alert(1)"> FREE prize'
    w = Labeler([evil, "see you at 7"], labels=["ham", "spam"], store=":memory:")
    w.wait()  # the queue is ranked in the background
    shown = [w.item, *w.queue]
    assert evil in [e["view"]["text"] for e in shown]  # sent as a string for textContent, never as HTML


def test_one_update_per_action_carries_the_state_and_its_acknowledgement():
    w = Labeler(TEXTS, labels=["ham", "spam"], store=":memory:")
    w.wait()
    w.comm.sent.clear()
    key = w.item["key"]
    msg(w, type="label", key=key, cls=0, next=None, seq=7)
    (update,) = updates_until_ack(w, 7)  # nothing before the acknowledgement ...
    assert {"trail", "item", "progress"} <= set(update)  # ... and it holds the answer's state
    assert update["trail"][-1]["key"] == key
    w.comm.sent.clear()
    msg(w, type="label", key=10_000, cls=0, seq=8)
    (refused,) = updates_until_ack(w, 8)
    assert "unknown item key 10000" in refused["error"]


def test_rows_of_a_dataframe_are_a_small_table_and_learn():
    df = pd.DataFrame({"amount": [10.0, 900.0, 25.0, 700.0] * 10, "country": ["NL", "DE", "NL", "FR"] * 10})
    truth = ["ok" if a < 500 else "fraud" for a in df["amount"]]
    w = Labeler(df, labels=["ok", "fraud"], store=":memory:", sampler="uniform")
    view = w.item["view"]
    row = df.iloc[w.current]
    assert view["kind"] == "table" and view["rows"] == [["amount", str(row.amount)], ["country", row.country]]
    for _ in range(12):
        w.label(truth[w.current])
        w.wait()
    p = w.session.predict_proba([1])[0]
    assert w.session.classes == ["ok", "fraud"] and p[1] > 0.5  # 900 -> fraud


def test_a_widget_wraps_an_existing_session_and_a_script_sees_every_answer():
    s = item_session(TEXTS, labels=["ham", "spam"], store=":memory:")
    w = Labeler(TEXTS, session=s)
    w.label("spam")
    assert s.n_labels == 1 and w.session is s
    q = LabelQueue(image_session(DIGITS.images[:100], labels=list(range(10)), store=":memory:").session)
    iw = ImageLabeler(DIGITS.images[:100], session=q)
    iw.label(int(DIGITS.target[iw.current]))
    assert q.session.n_labels == 1 and iw.label_queue is q
    with pytest.raises(ValueError, match="not among the images"):
        ImageLabeler(DIGITS.images[:50], session=q)


def test_images_through_labeler_and_bad_labels_explained():
    w = Labeler(DIGITS.images[:60], labels=list(range(10)), store=":memory:")
    assert w.item_kind == "image" and "view" not in w.item
    with pytest.raises(ValueError, match="labels is the set of class names, each once"):
        Labeler(TEXTS, labels=["a", "a"], store=":memory:")


class FailsOnLargeAmounts:
    """A river pipeline with a user's bug: after 4 labels it cannot predict a row whose amount is over 800."""

    def __init__(self):
        from river import compose, linear_model, multiclass, preprocessing

        head = multiclass.OneVsRestClassifier(linear_model.LogisticRegression())
        self.model = compose.Select("amount") | preprocessing.StandardScaler() | head
        self.n = 0

    def learn_one(self, x, y):
        self.model.learn_one(x, y)
        self.n += 1

    def predict_proba_one(self, x):
        if self.n >= 4 and x["amount"] > 800:
            raise ValueError(f"cannot predict amount {x['amount']}")
        return self.model.predict_proba_one(x)

    def clone(self):
        return FailsOnLargeAmounts()


def test_a_failing_ranking_is_shown_and_labeling_goes_on_through_the_page():
    df = pd.DataFrame({"amount": [10.0, 900.0, 25.0, 700.0, 15.0, 850.0] * 5, "country": ["NL", "DE", "FR"] * 10})
    truth = ["ok" if a < 500 else "fraud" for a in df["amount"]]
    w = Labeler(df, labels=["ok", "fraud"], learner=FailsOnLargeAmounts(), store=":memory:")
    w.wait()
    for n in range(1, 21):
        key = w.item["key"]
        msg(w, type="label", key=key, cls=["ok", "fraud"].index(truth[key]), next=None, seq=n)
        w.label_queue.wait()
        assert w._ack == n and w.item["key"] != key  # acknowledged, and the next item is on screen
        if n >= 4:
            assert "failed: ValueError: cannot predict amount" in w.error and not w.progress["learning"]
    assert len(w.labels) == 20 == len(w.session.store.events()) and w.progress["labeled"] == 20


EXPECTED = r"give texts \(a list of strings\), table rows \(a list of dicts, or a DataFrame\) or images"
NOT_LABELABLE = {  # what a new user tries: (items, the message that names the labeler, what it got and what it takes)
    "empty list": ([], r"^Labeler: got an empty list; give at least one item: texts"),
    "bare string": (
        "hello world",
        r"^Labeler: got the string 'hello world', which is not a folder or a \.csv file \(no such path\); a string "
        r"is read as a folder or a CSV file of images\. To label texts, give a list of them, e\.g\. \['hello world'",
    ),
    "list of numbers": (
        [1, 2.5, 3],
        rf"^Labeler: got a list of 3 numbers: a number alone is not an item to label; {EXPECTED}",
    ),
    "mixed list": (["free", 3], r"^Labeler: got a list of 2 items mixing numbers and strings; give items of one kind"),
    "dict": ({"amount": [1, 2]}, rf"^Labeler: got a dict with 1 key; {EXPECTED}.*pandas\.DataFrame\(it\)"),
    "None": (None, rf"^Labeler: got None; {EXPECTED}"),
    "1-D array": (np.arange(5.0), r"^Labeler: got a 1-D array of 5 float64: a number alone is not an item"),
    "2-D array": (
        np.ones((5, 3)),
        r"^Labeler: got a 2-D array of shape \(5, 3\) \(float64\): rows of numbers\? Give "
        r"pandas\.DataFrame\(X\)",
    ),
    "DataFrame with no rows": (
        pd.DataFrame({"a": []}),
        r"^Labeler: got a DataFrame with no rows and 1 column; give at",
    ),
    "Series of numbers": (pd.Series([1.0, 2.0]), r"^Labeler: got a Series of 2 float64 values: a number alone"),
    "generator": ((t for t in TEXTS), r"^Labeler: got a generator: a pool needs all its items at once; give list"),
}


@pytest.mark.parametrize(("items", "message"), NOT_LABELABLE.values(), ids=NOT_LABELABLE)
def test_an_input_the_labeler_cannot_label_is_named_with_what_is_expected(items, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        Labeler(items, labels=["ham", "spam"], store=str(tmp_path / "l.db"))
    assert not (tmp_path / "l.db").exists()  # refused before the store was opened


@pytest.mark.parametrize("texts", [np.array(TEXTS[:20]), pd.Series(TEXTS[:20])], ids=["array of strings", "Series"])
def test_an_array_or_a_series_of_strings_is_texts(texts):
    w = Labeler(texts, labels=["ham", "spam"], store=":memory:")
    assert w.item["view"]["kind"] == "text" and w.item["view"]["text"] == TEXTS[w.current]


def test_errors_from_the_layers_below_speak_of_the_labeler():
    with pytest.raises(ValueError, match=r"^Labeler: labels is the set of class names, each once"):
        Labeler(TEXTS, labels=["a", "a"], store=":memory:")
    with pytest.raises(ValueError, match=r"^item_session: got a dict with 1 key"):
        item_session({"a": 1}, labels=["ham", "spam"], store=":memory:")
    df = pd.DataFrame({"amount": [1.0, float("inf")]})
    with pytest.raises(ValueError, match=r"^Labeler: row 1, column 'amount' holds inf; a model cannot learn"):
        Labeler(df, labels=["ok", "fraud"], store=":memory:")

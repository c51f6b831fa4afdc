"""Nothing read back from a store runs code: a store whose every saved blob is a crafted pickle opens safely."""

from __future__ import annotations

import pathlib
import pickle

import pytest

from hitl_widgets.data.sms import sms_spam
from hitl_widgets.sessions.stream.session import StreamSession
from hitl_widgets.store import LabelStore

CLASSES = ["ham", "spam"]
DATA = sms_spam(600, seed=5)


class Payload:
    """Unpickling this creates ``marker``: proof that code from the store ran."""

    def __init__(self, marker: pathlib.Path):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def answer_truthfully(s: StreamSession, n: int) -> None:
    for _ in range(n):
        assert s.walk() == "ask"
        s.answer(s.pending.truth)


def test_a_crafted_pickle_in_every_saved_blob_does_not_run(tmp_path):
    db, marker = tmp_path / "stream.db", tmp_path / "payload-ran"
    answer_truthfully(StreamSession(DATA, classes=CLASSES, store=db), 12)
    store = LabelStore(db, session="stream")
    keys = store.state_keys("")
    assert len(keys) >= 2  # the saved place and the labeled texts
    for key in keys:  # someone with write access to the store replaces every blob
        store.save_state(key, pickle.dumps(Payload(marker)))
    assert pickle.loads(store.load_state(keys[0])) is None and marker.exists()  # the payload is live ...
    marker.unlink()

    with pytest.warns(UserWarning, match=r"not loaded \(nothing read from a store is unpickled"):
        s = StreamSession(DATA, classes=CLASSES, store=db)
    df = s.to_dataframe()
    assert not marker.exists()  # ... and opening the store did not run it
    assert len(s.labels) == 12 and s.metrics.labeled == 12 and len(df) == 12  # nothing labeled is lost
    assert df["item"].isna().all()  # the replaced texts are not read back

    straight = StreamSession(DATA, classes=CLASSES, store=":memory:")
    answer_truthfully(straight, 12)
    probe = [x for x, _ in DATA[:30]]
    assert [s.learner.predict_proba_one(x) for x in probe] == [straight.learner.predict_proba_one(x) for x in probe]
    assert s.walk() == straight.walk() == "ask"  # the walk goes on from the last answer
    assert s.pending.position == straight.pending.position

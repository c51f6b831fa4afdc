"""The study participant's widget driven through the comm as its page drives it: ID, screens, a stream with
keys and disabled feedback, a reload in the middle, questions."""

from __future__ import annotations

import pytest
from conftest import frontend

from hitl_widgets import Study

pytestmark = pytest.mark.usefixtures("recording_comm")
PLAN = [("MT", 3), {"strategy": "ALMT", "n_images": 4, "questions": [{"id": "trust", "text": "I trusted it"}]}]


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def test_a_participant_enters_an_id_then_teaches_through_the_page(tmp_path):
    study = Study.demo(plan=PLAN, store=str(tmp_path / "s.db"), step_duration=1.0)
    w = study.participant()
    assert w.screen == {"phase": "id", "participant": ""}
    msg(w, type="advance", seq=1, t=10.0)
    assert w.error == "enter a participant ID first" and w._ack == 1
    msg(w, type="begin", participant="  P07 ", seq=2, t=10.0)
    assert w.screen["phase"] == "instructions" and w.screen["participant"] == "P07" and not w.error
    msg(w, type="advance", seq=3, t=11.0)
    assert w.screen["phase"] == "intro" and w.screen["title"] == "MT" and w.images == []
    msg(w, type="advance", seq=4, t=12.0)
    assert w.screen["phase"] == "stream" and len(w.images) == 3 and w.images[0][:4] == b"\x89PNG"
    truth = study.truth[study.streams[0][0]]
    msg(w, type="show", position=0, seq=5, t=13.0)
    assert w.judged == {"position": 0, "allowed": True, "asked": True}
    msg(w, type="feedback", position=0, label=study.labels.index(truth), via="key", seq=6, t=13.6)
    assert w.judged["given"] == str(truth) and not w.judged["allowed"] and w._ack == 6
    msg(w, type="feedback", position=0, label=0, via="key", seq=7, t=13.7)
    assert "was given already" in w.error
    msg(w, type="feedback", position=0, label=7, via="key", seq=8, t=13.8)
    assert w.error == "there are 2 labels; key 8 has none"
    msg(w, type="hide", position=0, seq=9, t=14.0)
    assert w.screen["position"] == 1 and w.judged == {}
    msg(w, type="hide", position=0, seq=10, t=14.0)  # a late message about an image gone: ignored
    assert w.screen["position"] == 1
    events = study.results()
    fb = events[events.kind == "feedback"].iloc[0]
    assert fb.response_time == pytest.approx(0.6) and fb.via == "key" and fb.page_time == 13.6

    reloaded = Study.demo(plan=PLAN, store=str(tmp_path / "s.db"), step_duration=1.0).participant("P07")
    assert reloaded.screen["phase"] == "stream" and reloaded.screen["position"] == 1  # a new kernel resumes
    seq = reloaded._ack
    for pos in (1, 2):
        seq += 1
        msg(reloaded, type="show", position=pos, seq=seq, t=20.0 + pos)
        seq += 1
        msg(reloaded, type="hide", position=pos, seq=seq, t=21.0 + pos)
    assert reloaded.screen["phase"] == "end"
    for _ in range(3):  # the end message, the pause, the next introduction
        seq += 1
        msg(reloaded, type="advance", seq=seq, t=30.0)
    assert reloaded.screen["phase"] == "stream" and reloaded.screen["strategy"] == "ALMT"
    disabled = 0
    for pos in range(4):
        seq += 1
        msg(reloaded, type="show", position=pos, seq=seq, t=40.0 + pos)
        if not reloaded.judged["allowed"]:
            seq += 1
            msg(reloaded, type="feedback", position=pos, label=0, via="button", seq=seq, t=40.5 + pos)
            assert "the model did not ask" in reloaded.error
            disabled += 1
        seq += 1
        msg(reloaded, type="hide", position=pos, seq=seq, t=41.0 + pos)
    seq += 1
    msg(reloaded, type="advance", seq=seq, t=50.0)
    assert reloaded.screen["phase"] == "questions" and reloaded.screen["questions"][0]["id"] == "trust"
    seq += 1
    msg(reloaded, type="answer", answers={"trust": 4}, seq=seq, t=51.0)
    assert reloaded.screen["phase"] == "done" and not reloaded.error
    kinds = list(study.results().kind)
    assert kinds.count("resumed") == 0 and kinds.count("shown") == 3 + 4  # the reload came between images

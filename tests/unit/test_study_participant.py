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


def images_sent(w) -> list[tuple[list, list[bytes]]]:
    """The "images" messages the page got: (keys, the PNG bytes)."""
    return [(d["content"]["keys"], [bytes(b) for b in buffers]) for kind, d, buffers in w.comm.sent
            if d.get("method") == "custom" and d["content"].get("type") == "images"]  # fmt: skip


def test_a_participant_enters_an_id_then_teaches_through_the_page(tmp_path):
    study = Study.demo(plan=PLAN, store=str(tmp_path / "s.db"), step_duration=1.0)
    w = study.participant()
    assert w.screen == {"phase": "id", "participant": ""}
    msg(w, type="advance", seq=1, t=10.0)
    assert w.error == "enter a participant ID first" and w._ack == 1
    msg(w, type="begin", participant="  P07 ", seq=2, t=10.0)
    assert w.screen["phase"] == "instructions" and w.screen["participant"] == "P07" and not w.error
    msg(w, type="advance", seq=3, t=11.0)
    assert w.screen["phase"] == "intro" and w.screen["title"] == "MT" and not images_sent(w)
    msg(w, type="advance", seq=4, t=12.0)
    keys = w.screen["images"]
    assert w.screen["phase"] == "stream" and len(keys) == 3 and sum((k for k, _ in images_sent(w)), []) == keys
    assert all(png[:4] == b"\x89PNG" for _, pngs in images_sent(w) for png in pngs)  # the labelers' way
    msg(w, type="want", keys=keys[1:], seq=4, t=12.5)  # a page reloaded here asks for what it lacks
    assert images_sent(w)[-1][0] == keys[1:] and not w.error
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


def test_an_id_in_use_is_asked_about_a_kept_one_goes_straight_back_and_the_address_gives_one(tmp_path, monkeypatch):
    study = Study.demo(plan=PLAN, store=str(tmp_path / "s.db"), step_duration=1.0)
    first = study.participant()
    msg(first, type="begin", participant="P01", typed=True, seq=1, t=1.0)
    for seq in (2, 3):
        msg(first, type="advance", seq=seq, t=2.0)
    msg(first, type="show", position=0, seq=4, t=3.0)
    msg(first, type="hide", position=0, seq=5, t=4.0)

    other = study.participant()  # someone types an ID already used: asked, not sent into P01's stream
    msg(other, type="begin", participant="P01", typed=True, seq=1, t=5.0)
    assert other.screen == {"phase": "id_taken", "participant": "P01", "where": "in part 1 of 2, image 2 of 3"}
    msg(other, type="another_id", seq=2, t=5.5)
    assert other.screen == {"phase": "id", "participant": ""}
    msg(other, type="begin", participant="P02", typed=True, seq=3, t=6.0)  # a new ID goes on at once
    assert other.screen["phase"] == "instructions" and other.screen["participant"] == "P02"

    back = study.participant()  # P01 again: confirmed, or kept by the page for a reload: back in the stream
    msg(back, type="begin", participant="P01", typed=True, confirmed=True, seq=1, t=7.0)
    assert back.screen["phase"] == "stream" and back.screen["position"] == 1
    reloaded = study.participant()
    msg(reloaded, type="begin", participant="P01", seq=1, t=8.0)
    assert reloaded.screen["phase"] == "stream" and reloaded.get_ready == 3.0 and reloaded.study_name == "study"
    assert study.place_of("P02") == "at the instructions" and study.place_of("nobody") == "at the instructions"

    monkeypatch.setenv("QUERY_STRING", "PROLIFIC_PID=5f2a9c&STUDY_ID=77&SESSION_ID=abc")
    from_pool = study.participant()  # Voila passes the page's address: no ID screen
    assert from_pool.screen["phase"] == "instructions" and from_pool.screen["participant"] == "5f2a9c"


def test_messages_follow_the_config():
    intro = "{n_images} images, {step_duration:g} s each"  # the 3 images and the check the participant will see
    study = Study.demo(plan=[{"strategy": "MT", "n_images": 3, "checks": 1, "intro": intro}], step_duration=1.5,
                       store=":memory:")  # fmt: skip
    w = study.participant("P01")
    assert "each for 1.5 seconds" in w.screen["text"]  # the default instructions say the study's own duration
    msg(w, type="advance", seq=1, t=1.0)
    assert w.screen["text"] == "4 images, 1.5 s each"


def test_consent_then_the_study_then_the_completion_code_and_the_way_back(tmp_path):
    study = Study.demo(plan=[("MT", 1)], store=str(tmp_path / "s.db"), step_duration=1.0, consent="Do you agree?",
                       completion_code="K9", completion_url="/back?cc={code}&who={participant}")  # fmt: skip
    w = study.participant("P01")
    assert (w.screen["phase"], w.screen["text"]) == ("consent", "Do you agree?")
    msg(w, type="consent", agree="yes", seq=1, t=1.0)
    assert "agree is True or False" in w.error and w.screen["phase"] == "consent"
    msg(w, type="consent", agree=True, seq=2, t=1.5)
    assert w.screen["phase"] == "instructions" and not w.error
    for seq in (3, 4):
        msg(w, type="advance", seq=seq, t=2.0)
    msg(w, type="show", position=0, seq=5, t=3.0)
    msg(w, type="hide", position=0, seq=6, t=4.0)
    msg(w, type="advance", seq=7, t=5.0)
    assert w.screen["phase"] == "done" and w.screen["completion"] == {"code": "K9", "url": "/back?cc=K9&who=P01"}

    no = study.participant("P02")
    msg(no, type="consent", agree=False, seq=1, t=1.0)
    assert no.screen["phase"] == "declined"
    msg(no, type="advance", seq=2, t=2.0)
    assert no.error == "advance: the study is over for P02 (declined)" and no.screen["phase"] == "declined"


def test_the_practice_and_its_messages_through_the_page(tmp_path):
    study = Study.demo(plan=[("MT", 2), ("ALMT", 2)], practice={"n_images": 1, "intro": "{n_images} to try"},
                       store=str(tmp_path / "s.db"), step_duration=1.0)  # fmt: skip
    w = study.participant("P01")
    msg(w, type="advance", seq=1, t=1.0)
    assert w.screen["phase"] == "intro" and w.screen["practice"] and w.screen["part"] == 0
    assert w.screen["text"] == "1 to try" and w.screen["n_parts"] == 2
    msg(w, type="advance", seq=2, t=2.0)
    assert len(w.screen["images"]) == 1 and w.screen["title"] == "Practice"

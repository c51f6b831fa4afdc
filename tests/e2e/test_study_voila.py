"""A participant takes a study in the Voila app: an ID, two short subsessions with keys, the kernel killed
(SIGKILL) in the middle of a stream and the page reloaded (a new kernel resumes from the SQLite file, every
acknowledged interaction in it), questions at the end."""

from __future__ import annotations

import ast
import re
import signal

import psutil
import pytest
from playwright.sync_api import Page, expect
from servers import start_voila
from study_page import ROOT, snapshot

from hitl_widgets import Study

pytest.importorskip("voila")
PLAN = (
    "[('MT', 4), {'strategy': 'ALMT', 'n_images': 4, 'intro': 'Now the model asks.', 'end_message': 'Done!',"
    " 'questions': [{'id': 'trust', 'text': 'I trusted the model'},"
    " {'id': 'note', 'text': 'Anything else?', 'scale': 0}]}]"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("voila_study")
    db = tmp / "study.db"
    cell = (
        "from hitl_widgets import Study\n"
        f"study = Study.demo(plan={PLAN}, step_duration=1.2, pause=1.0, store={str(db)!r})\n"
        "study.participant()"
    )
    srv = start_voila(tmp, cell, artifacts / "voila_study.log")
    srv.db = db
    yield srv
    srv.stop()


def kill_kernels(app) -> None:
    """SIGKILL the Voila server's kernels: nothing is flushed, nothing is said goodbye to."""
    kernels = [p for p in psutil.Process(app.proc.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    assert kernels
    for k in kernels:
        k.send_signal(signal.SIGKILL)
    psutil.wait_procs(kernels, timeout=10)


def enter(page: Page, app, participant: str):
    page.goto(f"{app.base}/?token={app.token}")
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-phase", "id", timeout=60_000)
    widget.locator(".hitl-st-id").fill(participant)
    widget.locator(".hitl-st-go").click()
    return widget


def go_on(widget, phase: str):
    expect(widget).to_have_attribute("data-phase", phase, timeout=30_000)
    widget.locator(".hitl-st-go").click()


def answer_while_allowed(page: Page, widget, key: str) -> int:
    """Press ``key`` on every image the page allows feedback on, until the stream ends; returns the presses."""
    pressed, seen = 0, set()
    while (now := snapshot(widget))["phase"] == "stream":
        if now["feedback"] == "allowed" and now["position"] not in seen:
            seen.add(now["position"])
            page.keyboard.press(key)
            pressed += 1
        page.wait_for_timeout(50)
    return pressed


def test_a_participant_takes_the_study_with_a_reload_in_the_middle(app, page, artifacts):
    widget = enter(page, app, "P07")
    go_on(widget, "instructions")
    go_on(widget, "intro")
    stream = widget.locator(".hitl-st-stream")
    expect(stream).to_have_attribute("data-feedback", "allowed", timeout=30_000)
    page.keyboard.press("1")
    expect(stream).to_have_attribute("data-feedback", "given", timeout=10_000)
    widget.screenshot(path=str(artifacts / "study_stream.png"))
    expect(stream).to_have_attribute("data-position", "1", timeout=10_000)
    # begin, advance x 2, show 0, feedback 0, hide 0, show 1: wait for the kernel to acknowledge them all
    page.wait_for_function(f"() => Number(document.querySelector('{ROOT}').dataset.ack) >= 7", timeout=10_000)
    kill_kernels(app)
    stored = Study.demo(plan=ast.literal_eval(PLAN), store=str(app.db)).results()
    kinds = [(e["kind"], e["position"]) for _, e in stored.iterrows()]
    assert kinds[-4:] == [("shown", 0), ("feedback", 0), ("hidden", 0), ("shown", 1)]  # all acknowledged, stored

    widget = enter(page, app, "P07")  # a reload: a new kernel, the same participant resumes
    expect(widget).to_have_attribute("data-phase", "stream", timeout=60_000)
    stream = widget.locator(".hitl-st-stream")
    expect(stream).to_have_attribute("data-position", re.compile("^[123]$"), timeout=30_000)  # not from the start
    answer_while_allowed(page, widget, "2")
    go_on(widget, "end")
    expect(widget).to_have_attribute("data-phase", "pause", timeout=30_000)
    go_on(widget, "intro")  # the pause moved on by itself
    expect(stream).to_have_attribute("data-feedback", "allowed", timeout=30_000)  # a cold start: it asks
    answer_while_allowed(page, widget, "1")
    go_on(widget, "end")
    expect(widget).to_have_attribute("data-phase", "questions", timeout=30_000)
    widget.locator("[data-question=trust] input[value='4']").check()
    widget.locator(".hitl-st-free").fill("the model learned fast")
    widget.screenshot(path=str(artifacts / "study_questions.png"))
    widget.locator(".hitl-st-go").click()
    expect(widget).to_have_attribute("data-phase", "done", timeout=30_000)
    widget.screenshot(path=str(artifacts / "study_done.png"))

    study = Study.demo(plan=ast.literal_eval(PLAN), store=str(app.db))  # the file, read from the test process
    events = study.results()
    assert (events.kind == "resumed").sum() == 1 and (events.kind == "subsession_end").sum() == 2
    feedback = events[events.kind == "feedback"]
    assert len(feedback) >= 2 and set(feedback.via) == {"key"} and feedback.response_time.between(0, 1.2).all()
    answers = events[events.kind == "answers"].answers.iloc[0]
    assert answers == {"trust": 4, "note": "the model learned fast"}
    hidden = events[events.kind == "hidden"].set_index(["subsession", "position"]).page_time
    shown = events[events.kind == "shown"].groupby(["subsession", "position"]).page_time.last()
    on_screen = (hidden - shown.reindex(hidden.index)).to_numpy()
    assert len(on_screen) == 8 and ((on_screen > 1.1) & (on_screen < 1.3)).all()  # the page's clock paced them
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

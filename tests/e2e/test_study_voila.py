"""A participant takes a study in the Voila app: an ID, Enter on the instructions, two short subsessions with
keys, the kernel killed (SIGKILL) in the middle of a stream and the page reloaded (a new kernel resumes from the
SQLite file, every acknowledged interaction in it, without the ID typed again, after a "get ready"), someone
else typing the same ID in another tab (asked about it), questions at the end."""

from __future__ import annotations

import ast
import re
import signal

import pandas as pd
import psutil
import pytest
from playwright.sync_api import Page, expect
from servers import start_voila
from study_page import ROOT, snapshot

from hitl_widgets import Study

pytest.importorskip("voila")
PRACTICE = {"n_images": 1}
PLAN = (
    "[{'strategy': 'MT', 'n_images': 4, 'checks': 1},"
    " {'strategy': 'ALMT', 'n_images': 4, 'intro': 'Now the model asks.', 'end_message': 'Done!',"
    " 'questions': [{'id': 'trust', 'text': 'I trusted the model'},"
    " {'id': 'note', 'text': 'Anything else?', 'scale': 0}]}]"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("voila_study")
    db = tmp / "study.db"
    cell = (
        "from hitl_widgets import Study\n"
        f"study = Study.demo(plan={PLAN}, practice={PRACTICE}, step_duration=1.2, pause=1.0, get_ready=1.0,\n"
        f"                   store={str(db)!r},\n"
        "                   consent='Taking part is voluntary.', completion_code='VX42',\n"
        "                   completion_url='/after-the-study?cc={code}&p={participant}')\n"
        "study.participant()"
    )
    srv = start_voila(tmp, cell, artifacts / "voila_study.log")
    srv.db = db
    yield srv
    srv.stop()


def stored(app) -> Study:
    """The study the app runs, read from its file in the test process."""
    return Study.demo(plan=ast.literal_eval(PLAN), practice=PRACTICE, store=str(app.db))


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
    expect(widget).to_have_attribute("data-phase", "consent", timeout=30_000)
    expect(widget.locator(".hitl-st-consent")).to_have_text("Taking part is voluntary.")
    widget.locator(".hitl-st-go", has_text="I agree").click()
    expect(widget).to_have_attribute("data-phase", "instructions", timeout=30_000)
    page.keyboard.press("Enter")  # "Continue (Enter)" does what it says, with no click first
    expect(widget).to_have_attribute("data-phase", "intro", timeout=30_000)
    expect(widget.locator(".hitl-st-title")).to_have_text("Practice")
    page.keyboard.press("Enter")
    stream = widget.locator(".hitl-st-stream")
    expect(stream).to_have_attribute("data-ready", "true", timeout=30_000)  # "get ready" before the first image
    expect(widget.locator(".hitl-st-ready")).to_contain_text("Get ready")
    expect(stream).to_have_attribute("data-feedback", "allowed", timeout=30_000)
    page.keyboard.press("2")  # the practice takes feedback too; nothing of it is scored
    go_on(widget, "end")
    expect(widget).to_have_attribute("data-phase", "intro", timeout=30_000)  # no pause after the practice
    expect(widget.locator(".hitl-st-title")).to_have_text("Part 1 of 2: MT")
    page.keyboard.press("Enter")
    stream = widget.locator(".hitl-st-stream")
    expect(stream).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(stream).to_have_attribute("data-feedback", "allowed", timeout=30_000)
    page.keyboard.press("1")
    expect(stream).to_have_attribute("data-feedback", "given", timeout=10_000)
    widget.screenshot(path=str(artifacts / "study_stream.png"))
    expect(stream).to_have_attribute("data-position", "1", timeout=10_000)
    # begin, consent, advance x 2, the practice (show, feedback, hide), advance x 2, show 0, feedback 0, hide 0,
    # show 1: wait for the kernel to acknowledge them all
    page.wait_for_function(f"() => Number(document.querySelector('{ROOT}').dataset.ack) >= 13", timeout=10_000)
    kill_kernels(app)
    kinds = [(e["kind"], e["position"]) for _, e in stored(app).results().iterrows()]
    assert kinds[-4:] == [("shown", 0), ("feedback", 0), ("hidden", 0), ("shown", 1)]  # all acknowledged, stored

    other = page.context.new_page()  # someone else, in another tab, types the same ID: asked, not sent on
    taken = enter(other, app, "P07")
    expect(taken).to_have_attribute("data-phase", "id_taken", timeout=30_000)
    expect(taken).to_contain_text("P07 has taken part already (in part 1 of 2, image 2 of 5)")  # 4 and a check
    taken.screenshot(path=str(artifacts / "study_id_taken.png"))
    taken.locator(".hitl-st-btn", has_text="Use another ID").click()
    expect(taken).to_have_attribute("data-phase", "id", timeout=30_000)
    other.close()

    page.reload()  # the participant's reload: a new kernel, no ID typed again, the same place after "get ready"
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-phase", "stream", timeout=60_000)
    stream = widget.locator(".hitl-st-stream")
    expect(stream).to_have_attribute("data-ready", "true", timeout=30_000)
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
    # the participant pool's page the study sends them back to (a pool's own site, not reachable here)
    page.route("**/after-the-study?*", lambda route: route.fulfill(body="<p id=pool>back at the pool</p>",
                                                                   content_type="text/html"))  # fmt: skip
    widget.locator(".hitl-st-go").click()
    expect(widget).to_have_attribute("data-phase", "done", timeout=30_000)
    expect(widget.locator(".hitl-st-code")).to_have_text("VX42")
    widget.screenshot(path=str(artifacts / "study_done.png"))
    expect(page.locator("#pool")).to_have_text("back at the pool", timeout=15_000)  # 5 s later, on its own
    assert re.search(r"/after-the-study\?cc=VX42&p=P07$", page.url), page.url

    events = stored(app).results()
    assert (events.kind == "resumed").sum() == 1 and (events.kind == "subsession_end").sum() == 3  # with the practice
    feedback = events[events.kind == "feedback"]
    assert len(feedback) >= 2 and set(feedback.via) == {"key"} and feedback.response_time.between(0, 1.2).all()
    answers = events[events.kind == "answers"].answers.iloc[0]
    assert answers == {"trust": 4, "note": "the model learned fast"}
    hidden = events[events.kind == "hidden"].set_index(["subsession", "position"]).page_time
    shown = events[events.kind == "shown"].groupby(["subsession", "position"]).page_time.last()
    on_screen = (hidden - shown.reindex(hidden.index)).to_numpy()
    assert len(on_screen) == 10 and ((on_screen > 1.1) & (on_screen < 1.3)).all()  # the page's clock paced them
    practice, check = events[events.practice], events[events.check & (events.kind == "hidden")]
    assert (practice.kind == "feedback").sum() == 1 and list(check.subsession) == [0]  # practice, one check
    people = pd.read_csv(stored(app).export(artifacts / "study_export") / "participants.csv")
    assert people.to_dict("records")[0] | {"joined_at": 0, "last_active_at": 0} == {
        "participant": "P07",
        "last_phase": "done",
        "finished": True,
        "subsessions_completed": 2,
        "checks": 1,
        "checks_passed": people.checks_passed[0],
        "joined_at": 0,
        "last_active_at": 0,
    }
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

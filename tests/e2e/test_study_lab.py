"""Study mode in a real JupyterLab: a participant's page in a notebook cell, keys on the stream (feedback off
where the ALMT model did not ask), questions, the kernel's record of it, and the dark theme."""

from __future__ import annotations

import json

from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, run_cell
from playwright.sync_api import expect
from study_page import ROOT, go_on_if_asked, snapshot

CELLS = [
    "from hitl_widgets import Study, ThresholdGate\n"
    "gate = ThresholdGate(threshold=0.6, budget=0.25, variable=False)  # asks about a quarter at most\n"
    "study = Study.demo(plan=[('MT', 3), {'strategy': 'ALMT', 'n_images': 8, 'gate': gate, 'questions': ["
    "{'id': 'trust', 'text': 'I trusted the model'}, {'id': 'note', 'text': 'Anything else?', 'scale': 0}]}],"
    " step_duration=0.8, pause=0.5, store=':memory:')\n"
    "study.participant('L01')",
    "import json\n"
    "df = study.results()\n"
    "print('KERNEL', json.dumps({'kinds': df.kind.value_counts().to_dict(),"
    " 'asked': int(df[(df.kind == 'shown') & (df.strategy == 'ALMT')].asked.sum()),"
    " 'answers': df[df.kind == 'answers'].answers.iloc[0]}))",
]


def test_a_participant_page_in_jupyterlab(lab, page, artifacts):
    lab.put_notebook("study.ipynb", CELLS)
    open_notebook(page, lab, "study.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    for phase in ("instructions", "intro"):
        expect(widget).to_have_attribute("data-phase", phase, timeout=60_000)
        widget.locator(".hitl-st-go").click()
    expect(widget).to_have_attribute("data-phase", "stream", timeout=30_000)
    states, pressed = [], set()
    while (now := snapshot(widget))["phase"] in ("intro", "stream", "end", "pause"):
        if now["phase"] in ("end", "intro"):
            go_on_if_asked(widget)
        elif now["phase"] == "stream":
            key = (now["title"], now["position"])
            if now["feedback"] in ("allowed", "disabled") and key not in pressed:
                pressed.add(key)
                states.append((key[0], now["feedback"]))
                if now["feedback"] == "disabled":
                    widget.screenshot(path=str(artifacts / "study_lab_disabled.png"))
                page.keyboard.press("12"[len(pressed) % 2])  # both labels, so the cold start ends
        page.wait_for_timeout(40)
    expect(widget).to_have_attribute("data-phase", "questions", timeout=30_000)
    assert [s for s in states if s[0] == "MT"] == [("MT", "allowed")] * 3
    assert ("ALMT", "allowed") in states and ("ALMT", "disabled") in states  # it asked about some, not all
    widget.locator("[data-question=trust] input[value='2']").check()
    ink, paper = look_in_dark_theme(
        page, widget, str(artifacts / "study_lab_dark.png"), ".hitl-st-qtext", ".hitl-st-free"
    )
    assert ink > 0.6 and paper < 0.3  # light text on a dark field
    widget.locator(".hitl-st-go").click()
    expect(widget).to_have_attribute("data-phase", "done", timeout=30_000)
    widget.screenshot(path=str(artifacts / "study_lab_done.png"))

    run_cell(page, 1)
    kernel = json.loads(" ".join(cell_output_text(page, 1)).split("KERNEL", 1)[1].strip())
    disabled = sum(1 for s in states if s == ("ALMT", "disabled"))
    assert kernel["kinds"]["shown"] == 11 and kernel["kinds"]["feedback"] == len(states) - disabled
    assert kernel["asked"] == 8 - disabled and kernel["answers"] == {"trust": 2, "note": ""}
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

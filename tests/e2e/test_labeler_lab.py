"""Labeler over texts in a real JupyterLab: keys label what is shown as text, ← right after a key, both themes."""

from __future__ import annotations

import json

from lab_helpers import cell_output_text, contrast, look_in_dark_theme, open_notebook, run_cell
from labeler_page import ROOT, wait_settled
from playwright.sync_api import expect

from hitl_widgets.data.sms import sms_spam

DATA = sms_spam(200, seed=4)
EVIL = '<img src=x onerror="window.__pwned=1">FREE <b>prize</b>, call now'
CELLS = [
    "from hitl_widgets import Labeler, sms_spam\n"
    "data = sms_spam(200, seed=4)\n"
    f"texts = [{EVIL!r}] + [x for x, _ in data[1:]]\n"
    "w = Labeler(texts, labels=['ham', 'spam'], store='texts.db')\n"
    "w",
    "import json\nw.wait()\nprint('KERNEL', json.dumps(sorted([int(k), v] for k, v in w.labels.items())))",
]


def shown_text(page) -> tuple[int, str]:
    page.wait_for_function(
        """(sel) => { const r = document.querySelector(sel); const t = r && r.querySelector('.hitl-il-text');
                      return r && r.dataset.key && t && t.offsetParent !== null; }""",
        arg=ROOT,
    )
    root = page.locator(ROOT).first
    return int(root.get_attribute("data-key")), page.locator(f"{ROOT} .hitl-il-stage .hitl-il-text").first.inner_text()


def test_label_texts_with_keys_go_back_at_once_and_read_both_themes(lab, page, artifacts):
    texts = [EVIL] + [x for x, _ in DATA[1:]]
    truth = ["spam"] + [y for _, y in DATA[1:]]
    lab.put_notebook("label_texts.ipynb", CELLS)
    open_notebook(page, lab, "label_texts.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(page.locator(".hitl-il-class")).to_have_count(2)
    widget.focus()
    pressed = []
    for _ in range(12):
        row, text = shown_text(page)
        assert text == texts[row]  # the text on screen is the item's, character for character
        widget.press("1" if truth[row] == "ham" else "2")
        pressed.append(row)
    # a key and ← a few ms later: the page steps back to the text just answered, not the one before
    row, _ = shown_text(page)
    widget.press("1" if truth[row] == "ham" else "2")
    widget.press("ArrowLeft")
    pressed.append(row)
    assert shown_text(page)[0] == row
    expect(page.locator(".hitl-il-caption").first).to_contain_text("answered 13 of 13")
    widget.press("Escape")
    wait_settled(page, 13)
    run_cell(page, 1)
    out = " ".join(cell_output_text(page, 1))
    labels = json.loads(out.split("KERNEL", 1)[1].strip())
    assert labels == sorted([r, truth[r]] for r in pressed)
    assert page.evaluate("window.__pwned") is None  # markup in a text stayed text
    widget.screenshot(path=str(artifacts / "labeler_texts_light.png"))
    dark = str(artifacts / "labeler_texts_dark.png")
    ink, paper = look_in_dark_theme(page, widget, dark, ink=".hitl-il-text", paper=".hitl-il-text")
    assert ink > 0.6 and paper < 0.35, (ink, paper)  # light text on a dark stage
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors


SELECTED_JS = """(root) => { const b = root.querySelector('.hitl-il-class.hitl-active'); const s = getComputedStyle(b);
                              return [s.color, s.backgroundColor, b.textContent]; }"""


def set_theme(page, name: str) -> None:
    light = "true" if name == "JupyterLab Light" else "false"
    page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})")
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
    page.wait_for_timeout(500)


def test_an_undo_takes_the_flash_back_and_the_selected_label_reads_in_both_themes(lab, page, artifacts):
    cells = [
        "from hitl_widgets import Labeler, sms_spam\n"
        "w = Labeler([x for x, _ in sms_spam(60, seed=5)], labels=['ham', 'spam'], store='selected.db')\nw"
    ]
    lab.put_notebook("label_selected.ipynb", cells)
    open_notebook(page, lab, "label_selected.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(page.locator(".hitl-il-class")).to_have_count(2)
    widget.focus()
    flash = widget.locator(".hitl-il-confirm")
    widget.press("2")
    expect(flash).to_contain_text("→ spam")
    widget.press("Backspace")  # the answer it named is gone: so is the line
    expect(flash).to_have_text("")
    wait_settled(page, 0)
    widget.press("1")
    widget.press("ArrowLeft")  # browsing the answer: its label's button is the selected one
    expect(widget.locator(".hitl-il-class.hitl-active")).to_contain_text("ham")
    ratios = {}
    for theme in ("JupyterLab Light", "JupyterLab Dark"):
        set_theme(page, theme)
        fg, bg, _ = widget.evaluate(SELECTED_JS)
        ratios[theme] = contrast(fg, bg)
        shot = "labeler_selected_light.png" if theme.endswith("Light") else "labeler_selected_dark.png"
        widget.screenshot(path=str(artifacts / shot))
    set_theme(page, "JupyterLab Light")
    assert min(ratios.values()) >= 4.5, ratios  # text on the selected button reads in both themes
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

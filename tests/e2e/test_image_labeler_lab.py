"""ImageLabeler in a real JupyterLab: 20 digits labeled with the keyboard, checked in the page and the kernel."""

from __future__ import annotations

import json
import statistics

import numpy as np
from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, run_cell
from labeler_page import ROOT, label_with_keys, shown_key, wait_settled
from playwright.sync_api import expect
from sklearn.datasets import load_digits

LABELS = list(range(10))  # digit labels: the key of each digit is the digit
CELLS = [
    "from sklearn.datasets import load_digits\n"
    "from hitl_widgets import ImageLabeler\n"
    "digits = load_digits()\n"
    f"w = ImageLabeler(digits.images[:400], labels={LABELS}, store='digits_labels.db')\n"
    "w",
    "import json\nw.wait()\n"
    "print('KERNEL', json.dumps(sorted([int(k), int(v)] for k, v in w.labels.items())), len(w.session.history))",
]


def kernel_labels(page, cell: int = 1) -> tuple[list[list[int]], int]:
    run_cell(page, cell)
    out = " ".join(cell_output_text(page, cell))
    payload = out.split("KERNEL", 1)[1].strip()
    labels, n_history = payload.rsplit(" ", 1)
    return json.loads(labels), int(n_history)


def test_label_twenty_digits_with_keys_undo_and_reload(lab, page, artifacts):
    truth = load_digits().target[:400]
    lab.put_notebook("label_digits.ipynb", CELLS)
    open_notebook(page, lab, "label_digits.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-labeled", "0")
    expect(widget).not_to_have_attribute("data-cached", "0", timeout=10_000)  # the images it asked for came
    expect(page.locator(".hitl-il-class")).to_have_count(10)
    expect(page.locator(".hitl-il-class").nth(0)).to_contain_text("0")  # label 0 on key 0
    page.evaluate("globalThis.__hitl_show_ms = []")

    # ten labels, then a reload of the page mid-way: the same state comes back from the kernel
    pressed = label_with_keys(page, truth, LABELS, 10)
    wait_settled(page, 10)
    before_reload = shown_key(page)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.reload()
    page.locator(ROOT).first.wait_for(timeout=60_000)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-labeled", "10", timeout=60_000)
    assert shown_key(page) == before_reload
    expect(page.locator(".hitl-il-progress-text").first).to_contain_text("10 / 400 labeled")

    pressed += label_with_keys(page, truth, LABELS, 10)
    wait_settled(page, 20)
    labels, n_history = kernel_labels(page)
    assert labels == sorted([row, y] for row, y in pressed)  # the store holds exactly the labels pressed
    assert n_history == 20  # and the model learned each one once
    # the learning curve and the prediction bars are drawn from the model
    assert int(page.locator(".hitl-il-curve").first.get_attribute("data-points")) > 0
    expect(page.locator(".hitl-il-curvetitle").first).to_contain_text("prequential accuracy")
    expect(page.locator(".hitl-il-predrow")).to_have_count(10)
    assert page.locator(".hitl-il-prediction").first.get_attribute("data-top") in {str(d) for d in LABELS}
    widths = page.eval_on_selector_all(".hitl-il-predfill", "els => els.map(e => parseFloat(e.style.width))")
    assert abs(sum(widths) - 100) < 1.5 and max(widths) > 10  # probabilities, not a placeholder
    widget.screenshot(path=str(artifacts / "image_labeler_lab.png"))
    dark = str(artifacts / "image_labeler_dark.png")
    ink, paper = look_in_dark_theme(page, widget, dark, ink=".hitl-il-class", paper=".hitl-il-stage")
    assert ink > 0.6 and paper < 0.35, (ink, paper)  # the dark theme: light text on dark panels

    # undo: the last image comes back, the kernel forgets its label
    last_row, _ = pressed[-1]
    widget.press("Backspace")
    assert shown_key(page) == last_row
    wait_settled(page, 19)
    labels, n_history = kernel_labels(page)
    assert [last_row, pressed[-1][1]] not in labels and len(labels) == 19 and n_history == 19
    # label it again with the other key of a wrong guess, then browse back and correct it
    widget.focus()
    wrong = (pressed[-1][1] + 1) % 10
    widget.press(str(wrong))
    expect(page.locator(".hitl-il-confirm").first).to_have_text(f"item {last_row} → {wrong}")
    widget.press("ArrowLeft")  # at once: the page steps back through its own answer before the kernel's trail has it
    expect(page.locator(".hitl-il-caption").first).to_contain_text("answered 20 of 20")
    assert shown_key(page) == last_row
    widget.press(str(pressed[-1][1]))
    expect(page.locator(".hitl-il-caption").first).not_to_contain_text("answered")
    wait_settled(page, 20)
    labels, _ = kernel_labels(page)
    assert labels == sorted([row, y] for row, y in pressed)

    shows = page.evaluate("globalThis.__hitl_show_ms")
    report = (
        f"JupyterLab key -> next image on screen: median {statistics.median(shows):.1f} ms, "
        f"p95 {np.percentile(shows, 95):.1f} ms, n={len(shows)}"
    )
    print("\n[e2e] " + report)
    (artifacts / "image_labeler_lab_show_ms.txt").write_text(report + "\n" + repr(shows) + "\n")
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

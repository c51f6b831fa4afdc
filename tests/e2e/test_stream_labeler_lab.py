"""StreamLabeler in a real JupyterLab: 15 asks answered with the keyboard, counts checked against the kernel,
undo, the knob, a reload, and an item full of markup that must stay text."""

from __future__ import annotations

import json

from lab_helpers import cell_output_text, open_notebook, run_cell
from playwright.sync_api import Page, expect

from hitl_widgets import sms_spam

ROOT = ".hitl-sl"
EVIL = '<img src=x onerror="window.__pwned=1">FREE <script>window.__pwned=2</script> prize, call 0800 now'
CLASSES = ["ham", "spam"]
CELLS = [
    "from hitl_widgets import StreamLabeler, sms_spam\n"
    f"messages = [({EVIL!r}, 'spam')] + sms_spam(5000, seed=11)\n"
    "w = StreamLabeler(messages, classes=['ham', 'spam'], store='stream.db')\n"
    "w",
    "import json\nw.wait()\n"
    "print('KERNEL', json.dumps({k: w.metrics[k] for k in ('seen', 'predicted', 'labeled')}),"
    " json.dumps(sorted([p, y] for p, y in w.labels.items())), w.gate.discount_factor)",
]
MESSAGES = [(EVIL, "spam"), *sms_spam(5000, seed=11)]


def kernel_state(page: Page) -> tuple[dict, list, float]:
    run_cell(page, 1)
    out = " ".join(cell_output_text(page, 1)).split("KERNEL", 1)[1].strip()
    counts, rest = out.split("} ", 1)
    labels, knob = rest.rsplit(" ", 1)
    return json.loads(counts + "}"), json.loads(labels), float(knob)


def page_state(page: Page) -> dict:
    data = page.locator(ROOT).first.evaluate("e => ({...e.dataset})")
    tiles = page.eval_on_selector_all(
        ".hitl-sl-tile", "els => Object.fromEntries(els.map(e => [e.dataset.metric, e.querySelector('.hitl-sl-value').textContent]))"
    )
    return {**data, "tiles": tiles}


def answer_with_keys(page: Page, n: int) -> list[list]:
    """Press the key of the truth for n asks, each time waiting for the next ask to come from the kernel."""
    widget = page.locator(ROOT).first
    pressed = []
    for _ in range(n):
        expect(widget).to_have_attribute("data-status", "asking", timeout=30_000)
        position = widget.get_attribute("data-position")
        truth = MESSAGES[int(position)][1]
        widget.press(str(CLASSES.index(truth) + 1))
        page.wait_for_function(
            f"p => document.querySelector('{ROOT}').dataset.position !== p", arg=position, timeout=30_000
        )
        pressed.append([int(position), truth])
    expect(widget).to_have_attribute("data-status", "asking", timeout=30_000)
    return pressed


def test_answer_fifteen_asks_undo_knob_and_reload(lab, page, artifacts):
    lab.put_notebook("stream.ipynb", CELLS)
    open_notebook(page, lab, "stream.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-status", "asking", timeout=30_000)
    expect(widget).to_have_attribute("data-position", "0")

    # the markup item is the first ask: shown as its literal text, nothing of it runs
    expect(page.locator(".hitl-sl-text").first).to_have_text(EVIL)
    assert page.locator(".hitl-sl-body img, .hitl-sl-body script").count() == 0
    widget.screenshot(path=str(artifacts / "stream_labeler_markup.png"))
    assert page.evaluate("window.__pwned") is None
    expect(page.locator(".hitl-sl-class")).to_have_count(2)
    widget.focus()

    pressed = answer_with_keys(page, 15)
    assert page.evaluate("window.__pwned") is None
    shown = page_state(page)
    counts, labels, _ = kernel_state(page)
    assert labels == sorted(pressed)  # the store holds exactly the answers pressed
    assert counts["labeled"] == 15 and int(shown["labeled"]) == 15
    assert (int(shown["seen"]), int(shown["predicted"])) == (counts["seen"], counts["predicted"])
    assert shown["tiles"]["seen"] == f"{counts['seen']:,}" and shown["tiles"]["predicted"] == f"{counts['predicted']:,}"
    assert counts["predicted"] > 0  # confident items went past without asking
    assert int(page.locator(".hitl-sl-curve").first.get_attribute("data-points")) > 1
    expect(page.locator(".hitl-sl-predrow")).to_have_count(2)
    widget.screenshot(path=str(artifacts / "stream_labeler_lab.png"))

    # undo: the last answered item is back, with the counts of that moment; the kernel forgot the answer
    last = pressed[-1]
    widget.focus()
    widget.press("Backspace")
    expect(widget).to_have_attribute("data-position", str(last[0]), timeout=30_000)
    expect(widget).to_have_attribute("data-labeled", "14")
    counts, labels, _ = kernel_state(page)
    assert counts["labeled"] == 14 and last not in labels and len(labels) == 14
    assert int(widget.get_attribute("data-seen")) == counts["seen"]
    widget.focus()
    pressed[-1:] = answer_with_keys(page, 1)
    assert pressed[-1] == last

    # the knob: the slider sets the gate's discount factor in the kernel at once
    page.locator(".hitl-sl-range").first.evaluate(
        "e => { e.value = '8'; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); }"
    )
    expect(page.locator(".hitl-sl-knobvalue").first).to_have_text("8")
    page.wait_for_timeout(300)
    counts, labels, knob = kernel_state(page)
    assert knob == 8.0 and labels == sorted(pressed)

    # reload: the same item, counts and curve come back from the kernel
    before = page_state(page)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.reload()
    page.locator(ROOT).first.wait_for(timeout=60_000)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-position", before["position"], timeout=60_000)
    after = page_state(page)
    assert {k: after[k] for k in ("seen", "predicted", "labeled", "status")} == {
        k: before[k] for k in ("seen", "predicted", "labeled", "status")
    }
    assert after["tiles"] == before["tiles"]
    expect(page.locator(".hitl-sl-knobvalue").first).to_have_text("8")
    widget.focus()
    pressed += answer_with_keys(page, 2)
    _, labels, _ = kernel_state(page)
    assert labels == sorted(pressed)
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

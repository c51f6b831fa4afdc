"""StreamLabeler in a real JupyterLab: 15 asks answered with the keyboard, counts checked against the kernel,
undo, the knob, a reload, and an item full of markup that must stay text."""

from __future__ import annotations

import json
import re
import time

from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, run_cell
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
        ".hitl-sl-tile",
        "els => Object.fromEntries(els.map(e => [e.dataset.metric, e.querySelector('.hitl-sl-value').textContent]))",
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
    dark = str(artifacts / "stream_labeler_dark.png")
    ink, paper = look_in_dark_theme(page, widget, dark, ink=".hitl-sl-class", paper=".hitl-sl-card")
    assert ink > 0.6 and paper < 0.35, (ink, paper)  # the dark theme: light text on a dark card

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


FAST_CELLS = [
    "from hitl_widgets import StreamLabeler, ThresholdGate\n"
    "warm = [('see you at 7', 'ham'), ('WIN a FREE prize, call 0800 now', 'spam')] * 3\n"
    "stream = warm + [('see you at 7 at the station', 'ham')] * 1_000_000\n"
    "sure = ThresholdGate(threshold=0.9, budget=1.0, variable=False)  # asks about no confident item\n"
    "w = StreamLabeler(stream, gate=sure, classes=['ham', 'spam'], store=':memory:')\n"
    "w",
    "print('CELL', 6 * 7)",
]


def test_fast_forward_shows_progress_and_the_notebook_stays_usable(lab, page, artifacts):
    lab.put_notebook("fast.ipynb", FAST_CELLS)
    open_notebook(page, lab, "fast.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    for _ in range(20):  # the cold start: answer until the model knows both classes
        expect(widget).to_have_attribute("data-status", re.compile("asking|walking"), timeout=30_000)
        if widget.get_attribute("data-status") != "asking":
            break
        position = widget.get_attribute("data-position")
        spam = "WIN" in page.locator(".hitl-sl-text").first.text_content()
        widget.press("2" if spam else "1")
        page.wait_for_function(
            f"p => document.querySelector('{ROOT}').dataset.position !== p || "
            f"document.querySelector('{ROOT}').dataset.status !== 'asking'",
            arg=position,
        )
    expect(widget).to_have_attribute("data-status", "walking", timeout=30_000)

    # progress reaches the page while the kernel walks: the seen count climbs
    counts = []
    for _ in range(4):
        counts.append(int(widget.get_attribute("data-seen")))
        page.wait_for_timeout(250)
    assert counts == sorted(counts) and len(set(counts)) >= 3, counts
    expect(page.locator(".hitl-sl-status").first).to_contain_text("items/s")

    # another cell runs while the walk goes on
    started = time.perf_counter()
    run_cell(page, 1, timeout=20_000)
    cell_seconds = time.perf_counter() - started
    assert "CELL 42" in " ".join(cell_output_text(page, 1))
    assert widget.get_attribute("data-status") == "walking"

    # Pause stops it; Space goes on
    started = time.perf_counter()
    page.locator(".hitl-sl-btn", has_text="Pause").first.click()
    expect(widget).to_have_attribute("data-status", "paused", timeout=10_000)
    pause_seconds = time.perf_counter() - started
    seen = widget.get_attribute("data-seen")
    page.wait_for_timeout(300)
    assert widget.get_attribute("data-seen") == seen
    widget.focus()
    widget.press(" ")
    expect(widget).to_have_attribute("data-status", "walking", timeout=10_000)
    widget.press(" ")
    expect(widget).to_have_attribute("data-status", "paused", timeout=10_000)
    widget.screenshot(path=str(artifacts / "stream_labeler_fast.png"))
    report = (
        f"JupyterLab during a fast-forward: another cell ran in {cell_seconds * 1e3:.0f} ms "
        f"(Shift+Enter to its output), Pause took {pause_seconds * 1e3:.0f} ms to show 'paused'; seen {counts}"
    )
    print("\n[e2e] " + report)
    (artifacts / "stream_labeler_fast.txt").write_text(report + "\n")


IMAGE_CELLS = [
    "from sklearn.datasets import load_digits\n"
    "from hitl_widgets import StreamLabeler\n"
    "d = load_digits()\n"
    "digits = [(image, 'eight' if t == 8 else 'three') for image, t in zip(d.images, d.target) if t in (3, 8)]\n"
    "w = StreamLabeler(digits, classes=['three', 'eight'], store=':memory:')\n"
    "w",
]


def shown_image(page: Page) -> dict:
    """The item's <img> as the browser decoded it: its size, and whether it is the item on screen."""
    return page.locator(".hitl-sl-image").first.evaluate(
        "img => ({w: img.naturalWidth, h: img.naturalHeight, done: img.complete, alt: img.alt})"
    )


def test_image_items_arrive_as_images_messages_and_come_again_after_a_reload(lab, page, artifacts):
    lab.put_notebook("stream_images.ipynb", IMAGE_CELLS)
    open_notebook(page, lab, "stream_images.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-status", "asking", timeout=60_000)
    expect(page.locator(".hitl-sl-image")).to_have_count(1, timeout=10_000)
    page.wait_for_function("() => document.querySelector('.hitl-sl-image').naturalWidth > 0")
    first = shown_image(page)
    assert first["w"] == first["h"] == 8 and first["alt"] == f"item {widget.get_attribute('data-position')}"
    widget.focus()
    position = widget.get_attribute("data-position")
    widget.press("1")
    expect(widget).not_to_have_attribute("data-position", position, timeout=10_000)
    page.wait_for_function("() => document.querySelector('.hitl-sl-image')?.naturalWidth > 0")
    assert shown_image(page)["alt"] == f"item {widget.get_attribute('data-position')}"  # the next item's image
    widget.screenshot(path=str(artifacts / "stream_labeler_image.png"))

    # a reload: the page has the item but not its image; it asks with a numbered "want" and draws it
    position = widget.get_attribute("data-position")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.reload()
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-position", position, timeout=60_000)
    page.wait_for_function("() => document.querySelector('.hitl-sl-image')?.naturalWidth > 0", timeout=10_000)
    assert shown_image(page)["alt"] == f"item {position}"
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

"""StrategyExplorer in a real JupyterLab: steps by key, picks checked against the kernel, a click in the
"you" panel labels that point, utility shading, Play and pause, a reload of the page, the dark theme; and
the real notebook served by Voila, where a link with the run's state opens the same run in a new kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, page_outputs, run_cell
from playwright.sync_api import Page, expect
from servers import serve_with_voila

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_strategy_explorer.ipynb"
ROOT = ".hitl-se"
WIDGET = "widget"
SIZE = 250  # CSS pixels of a panel's canvas
CELLS = [
    "from hitl_widgets import StrategyExplorer\n"
    "ex = StrategyExplorer.from_preset('moons', strategies=['uniform', 'margin', 'kcenter', 'you'], seed=3)\n"
    "ex",
    "import json\n"
    "e = ex.exploration\n"
    "row = next(int(r) for r in e.pool_rows if int(r) not in e.labeled_rows('you'))\n"
    "x0, x1, y0, y1 = ex.extent\n"
    "px = (e.plane[row][0] - x0) / (x1 - x0) * 250; py = 250 - (e.plane[row][1] - y0) / (y1 - y0) * 250\n"
    "print('KERNEL', json.dumps({'picks': ex.picks, 'steps': e.steps, 'you': e.labeled_rows('you'),"
    " 'row': row, 'px': px, 'py': py}))",
]


def kernel_state(page: Page) -> dict:
    run_cell(page, 1)
    return json.loads(" ".join(cell_output_text(page, 1)).split("KERNEL", 1)[1].strip())


def page_picks(widget) -> dict[str, list[int]]:
    found = widget.evaluate(
        "root => Object.fromEntries([...root.querySelectorAll('.hitl-se-panel')]"
        ".map(p => [p.dataset.name, p.dataset.picks]))"
    )
    return {name: [int(v) for v in picks.split(",") if v] for name, picks in found.items()}


def test_explorer_steps_clicks_and_plays_in_jupyterlab(lab, page, artifacts):
    lab.put_notebook("explorer.ipynb", CELLS)
    open_notebook(page, lab, "explorer.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-panels", "uniform,margin,kcenter,you", timeout=60_000)
    widget.click(position={"x": 5, "y": 5})  # the keyboard, without touching a panel
    widget.press(" ")
    widget.press(" ")
    expect(widget).to_have_attribute("data-steps", "2", timeout=30_000)
    state = kernel_state(page)
    assert state["steps"] == 2
    shown = page_picks(widget)
    assert shown == state["picks"]  # the circled picks are the kernel's
    assert shown["margin"] != shown["kcenter"] and shown["you"] == []

    you = widget.locator(".hitl-se-panel").nth(3).locator(".hitl-se-canvas")
    you.scroll_into_view_if_needed()  # running the cell above scrolled the notebook
    box = you.bounding_box()
    page.mouse.click(box["x"] + state["px"], box["y"] + state["py"])  # the point the kernel named
    expect(widget.locator(".hitl-se-panel").nth(3)).to_have_attribute("data-labels", "11", timeout=30_000)
    assert kernel_state(page)["you"][-1] == state["row"]

    widget.focus()
    widget.press("u")
    expect(widget.locator(".hitl-se-toggle input").first).to_be_checked()
    widget.screenshot(path=str(artifacts / "explorer_lab_utility.png"))
    widget.press("u")
    draws = []
    for n in range(3, 8):  # what one step costs the page (four panels redrawn), kept with the screenshots
        widget.press(" ")
        expect(widget).to_have_attribute("data-steps", str(n), timeout=30_000)
        draws.append(float(widget.get_attribute("data-draw-ms")))
    (artifacts / "explorer_draw_ms.txt").write_text(" ".join(f"{d:.1f}" for d in draws))
    widget.press("p")
    expect(widget).to_have_attribute("data-playing", "true", timeout=30_000)
    page.wait_for_function(f"() => Number(document.querySelector('{ROOT}').dataset.steps) >= 9", timeout=30_000)
    widget.press("p")
    expect(widget).to_have_attribute("data-playing", "false", timeout=30_000)
    steps = int(widget.get_attribute("data-steps"))
    page.wait_for_timeout(1500)
    assert int(widget.get_attribute("data-steps")) == steps  # paused: no more steps
    assert kernel_state(page)["steps"] == steps
    widget.screenshot(path=str(artifacts / "explorer_lab.png"))

    page.keyboard.press("Control+s")  # saved, so that the reloaded notebook holds the widget's output
    page.wait_for_timeout(1000)
    page.reload()  # the same kernel: the widget comes back as it was
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-steps", str(steps), timeout=60_000)
    assert page_picks(widget) == kernel_state(page)["picks"]
    dark = str(artifacts / "explorer_lab_dark.png")
    ink, paper = look_in_dark_theme(page, widget, dark, ".hitl-se-status", ".hitl-se-panel")
    assert ink > 0.6 and paper < 0.3  # light text on a dark panel
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors


THEMED_CELLS = [
    CELLS[0],
    "import json\n"
    "e = ex.exploration\nx0, x1, y0, y1 = ex.extent\n"
    "pix = lambda r: [(e.plane[r][0] - x0) / (x1 - x0) * 250, 250 - (e.plane[r][1] - y0) / (y1 - y0) * 250]\n"
    "print('KERNEL', json.dumps({'margin': [pix(r) for r in ex.picks['margin']]}))",
    # a small budget: one step and the strategies are done, "you" is not
    "small = StrategyExplorer.from_preset('moons', strategies=['margin', 'you'], seed=3, budget=14, warm_start=10,"
    " batch_size=4)\nsmall.step()\nsmall",
]

RING_JS = """([panel, points]) => {
  const c = document.querySelectorAll('.hitl-se .hitl-se-panel')[panel].querySelector('.hitl-se-canvas');
  const k = c.width / c.getBoundingClientRect().width, ctx = c.getContext('2d');
  return points.map(([x, y]) => Array.from({length: 24}, (_, i) => {
    const a = 2 * Math.PI * i / 24, d = ctx.getImageData(Math.round((x + 7 * Math.cos(a)) * k),
                                                         Math.round((y + 7 * Math.sin(a)) * k), 1, 1).data;
    return (0.2126 * d[0] + 0.7152 * d[1] + 0.0722 * d[2]) / 255 * d[3] / 255 + (1 - d[3] / 255) * -1;
  }));
}"""


def ring_ink(page: Page, points: list) -> list[float]:
    """Per pick of the margin panel: the luminance of the ring's ink (the brightest sample on a dark theme
    is the ring, the darkest on a light one; transparent samples read -1 and 0 is black)."""
    return page.evaluate(RING_JS, [1, points])


def set_theme(page: Page, name: str) -> None:
    light = "true" if name == "JupyterLab Light" else "false"
    page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})")
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
    page.wait_for_timeout(600)


def test_picks_read_in_both_themes_and_a_click_a_reset_and_the_budget_say_what_happened(lab, page, artifacts):
    lab.put_notebook("explorer_themes.ipynb", THEMED_CELLS)
    open_notebook(page, lab, "explorer_themes.ipynb")
    set_theme(page, "JupyterLab Dark")  # dark before the widget is drawn (a view is drawn before it is attached)
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-panels", "uniform,margin,kcenter,you", timeout=60_000)
    run_cell(page, 1)  # the first picks, as drawn once on the page (in Voila nothing draws them again)
    picks = json.loads(" ".join(cell_output_text(page, 1)).split("KERNEL", 1)[1].strip())["margin"]
    widget.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    dark = [max(samples) for samples in ring_ink(page, picks)]
    widget.locator(".hitl-se-panels").screenshot(path=str(artifacts / "explorer_picks_dark.png"))
    set_theme(page, "JupyterLab Light")
    light = [min(v for v in samples if v >= 0) for samples in ring_ink(page, picks)]
    widget.locator(".hitl-se-panels").screenshot(path=str(artifacts / "explorer_picks_light.png"))
    assert min(dark) > 0.8 and max(light) < 0.2, (dark, light)  # white rings on dark, black rings on light
    widget.click(position={"x": 5, "y": 5})
    widget.press(" ")
    expect(widget).to_have_attribute("data-steps", "1", timeout=30_000)

    # a click in "you" away from every point says so, and changes nothing
    you = widget.locator(".hitl-se-panel").nth(3)
    you.locator(".hitl-se-canvas").click(position={"x": 2, "y": 2})
    expect(widget.locator(".hitl-se-error")).to_contain_text("no point near the click", timeout=30_000)
    expect(you).to_have_attribute("data-labels", "10")

    # r asks; unanswered, the question times out and the button says so; then r asks again, and r r resets
    reset = widget.locator(".hitl-se-btn", has_text="Reset")
    widget.focus()
    widget.press("r")
    expect(reset).to_have_text("Reset? Press r again")
    expect(reset).to_have_text("Reset (r)", timeout=5_000)
    widget.press("r")
    expect(reset).to_have_text("Reset? Press r again")
    assert widget.get_attribute("data-steps") == "1"
    widget.press("r")
    expect(widget).to_have_attribute("data-steps", "0", timeout=30_000)
    expect(reset).to_have_text("Reset (r)")

    # the strategies are done, "you" is not: the line counts "you", Step stays on and says what is left
    run_cell(page, 2)
    small = page.locator(ROOT).nth(1)
    expect(small).to_have_attribute("data-panels", "margin,you,uniform", timeout=60_000)
    expect(small.locator(".hitl-se-status")).to_contain_text("“you” is at 10 of 14")
    step, play = small.locator(".hitl-se-btn").nth(0), small.locator(".hitl-se-btn").nth(1)
    expect(step).to_be_enabled()
    expect(play).to_be_disabled()
    step.click()
    expect(small.locator(".hitl-se-error")).to_contain_text("'you' has 4 left: click points in the 'you' panel")
    small.screenshot(path=str(artifacts / "explorer_strategies_done.png"))
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory, artifacts):
    pytest.importorskip("voila")
    srv = serve_with_voila(tmp_path_factory.mktemp("voila_explorer"), NOTEBOOK, artifacts / "voila_explorer.log")
    yield srv
    srv.stop()


def test_a_link_with_the_state_opens_the_same_run_in_voila(voila_app, page, artifacts):
    page.goto(f"{voila_app.base}/?token={voila_app.token}")
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-steps", "6", timeout=120_000)  # the notebook's six demo steps
    expect(page.locator(ROOT)).to_have_count(3, timeout=120_000)  # every cell has run: the lesson's widgets too
    outputs = page_outputs(page)
    assert outputs and set(outputs) == {WIDGET}, outputs  # no printout of the lesson under the app's widgets
    widget.click(position={"x": 5, "y": 5})
    for n in range(7, 9):
        widget.press(" ")
        expect(widget).to_have_attribute("data-steps", str(n), timeout=30_000)
    picks = page_picks(widget)
    assert picks["margin"] != picks["kcenter"]
    link = widget.locator(".hitl-se-link").input_value()
    assert "state=" in link
    page.goto(link)  # a new kernel, from the link alone
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-steps", "8", timeout=120_000)
    assert page_picks(widget) == picks
    widget.screenshot(path=str(artifacts / "explorer_voila.png"))
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

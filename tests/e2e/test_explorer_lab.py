"""StrategyExplorer in a real JupyterLab: steps by key, picks checked against the kernel, a click in the
"you" panel labels that point, utility shading, Play and pause, a reload of the page, the dark theme; and
the real notebook served by Voila, where a link with the run's state opens the same run in a new kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, run_cell
from playwright.sync_api import Page, expect
from servers import serve_with_voila

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_strategy_explorer.ipynb"
ROOT = ".hitl-se"
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

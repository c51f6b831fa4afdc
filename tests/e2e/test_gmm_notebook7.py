"""GMMCanvas in Jupyter Notebook 7: clicks and keys re-render the density; the kernel has the points."""

from __future__ import annotations

import pytest
from gmm_page import model_canvas, model_ink, points_canvas
from lab_helpers import cell_output_text, run_cell
from playwright.sync_api import expect
from servers import start_notebook7

pytest.importorskip("notebook")

CELLS = [
    "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=3)\nw",
    "print('KERNEL', len(w.points), w.status['batch_n'])",
]


@pytest.fixture(scope="module")
def nb7(tmp_path_factory, artifacts):
    srv = start_notebook7(tmp_path_factory.mktemp("nb7"), artifacts / "notebook7.log")
    yield srv
    srv.stop()


def test_notebook7_clicks_keys_and_kernel(nb7, page, artifacts):
    nb7.put_notebook("nb7.ipynb", CELLS)
    page.goto(f"{nb7.base}/notebooks/nb7.ipynb?token={nb7.token}")
    # Notebook 7 starts the notebook's kernel itself (no dialog); a run waits for it
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    run_cell(page, 0, attempts=4)
    canvas = model_canvas(page)
    expect(canvas).to_have_attribute("data-ack", "1")  # the view asked for the points (none yet): answered
    blank = model_ink(page)
    for i in range(12):
        points_canvas(page).click(position={"x": 150 + (i % 4) * 10, "y": 150 + (i // 4) * 10})
        expect(canvas).to_have_attribute("data-ack", str(i + 2), timeout=10_000)
    assert model_ink(page) > blank + 10_000
    page.locator(".hitl-gmm").first.press("b")
    expect(page.locator(".hitl-gmm-status")).to_contain_text("vs batch", timeout=10_000)
    page.locator(".hitl-gmm").first.screenshot(path=str(artifacts / "gmm_notebook7.png"))
    run_cell(page, 1, attempts=4)
    out = cell_output_text(page, 1)
    assert "KERNEL 12 12" in " ".join(out), out

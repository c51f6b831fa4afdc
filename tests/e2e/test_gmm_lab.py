"""GMMCanvas in a real JupyterLab: clicks, keys and the brush change both the page and the kernel."""

from __future__ import annotations

import statistics

from gmm_page import POINT_CANVAS, model_canvas, model_ink, pixel, points_canvas
from lab_helpers import cell_output_text, open_notebook, run_cell
from playwright.sync_api import expect

CELLS = [
    "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=3)\nw",
    "print('KERNEL', len(w.points), w.model.params()['n_components'], sorted(set(w.labels)))",
]

# three blobs of clicks (CSS pixels on a 560 x 440 canvas)
BLOBS = [(140, 120), (400, 130), (270, 330)]


def blob_clicks(n_per_blob: int):
    import numpy as np

    rng = np.random.default_rng(0)
    for cx, cy in BLOBS:
        for dx, dy in rng.normal(0, 14, size=(n_per_blob, 2)):
            yield float(cx + dx), float(cy + dy)


def test_clicks_render_density_and_reach_the_kernel(lab, page, artifacts):
    lab.put_notebook("gmm.ipynb", CELLS)
    open_notebook(page, lab, "gmm.ipynb")
    run_cell(page, 0)
    canvas = model_canvas(page)
    expect(canvas).to_have_attribute("data-ack", "0")
    blank = model_ink(page)
    page.evaluate("globalThis.__hitl_latencies = []")
    clicks = list(blob_clicks(8))
    for i, (x, y) in enumerate(clicks, start=1):
        points_canvas(page).click(position={"x": x, "y": y})
        expect(canvas).to_have_attribute("data-ack", str(i), timeout=10_000)
    expect(canvas).to_have_attribute("data-n", str(len(clicks)))
    # the page drew a density: the model layer has ink, and the contours exist
    assert model_ink(page) > blank + 10_000
    assert int(canvas.get_attribute("data-levels")) >= 3
    # the clicked point itself is drawn (its class colour, blue)
    r, g, b, a = pixel(page, POINT_CANVAS, *clicks[-1])
    assert a > 200 and b > r, (r, g, b, a)
    run_cell(page, 1)
    out = " ".join(cell_output_text(page, 1))
    assert f"KERNEL {len(clicks)} 3 ['class 1']" in out, out
    lat = page.evaluate("globalThis.__hitl_latencies")
    assert len(lat) == len(clicks)
    page.locator(".hitl-gmm").first.screenshot(path=str(artifacts / "gmm_lab_clicks.png"))
    report = (
        f"JupyterLab click->density redraw: median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms, n={len(lat)}"
    )
    print("\n[e2e] " + report)
    (artifacts / "gmm_lab_latency.txt").write_text(report + "\n" + repr(lat) + "\n")
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors
    # the installed package enabled its server extension (TCP_NODELAY on kernel websockets)
    assert "kernel websockets send without Nagle's delay" in (artifacts / "jupyterlab.log").read_text()

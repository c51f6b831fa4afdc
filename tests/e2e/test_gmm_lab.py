"""GMMCanvas in a real JupyterLab: three clusters clicked one after another give three ellipses, page and kernel."""

from __future__ import annotations

import json
import statistics

from gmm_page import DOTS_CANVAS, model_canvas, model_ink, pixel, points_canvas
from lab_helpers import cell_output_text, open_notebook, run_cell
from playwright.sync_api import expect

CELLS = [
    "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=3)\nw",
    "w.session.wait_idle()\n"
    "print('KERNEL', len(w.points), w.model.params()['n_components'], sorted(set(w.labels)))\n"
    "print('MEANS', [[round(v, 2) for v in m] for m in w.model.params()['means']])",
]

# three clusters of clicks (CSS pixels on the default 560 x 440 canvas showing (-10, 10) x (-8, 8))
BLOBS = [(140, 120), (400, 130), (270, 330)]
PER_BLOB = 12


def to_data(px: float, py: float) -> tuple[float, float]:
    return -10 + px / 560 * 20, 8 - py / 440 * 16


def blob_clicks():
    import numpy as np

    rng = np.random.default_rng(0)
    for cx, cy in BLOBS:  # one cluster after the other, as people click
        for dx, dy in rng.normal(0, 14, size=(PER_BLOB, 2)):
            yield float(cx + dx), float(cy + dy)


def assert_one_mean_per_cluster(means: list, clicks: list) -> None:
    centres = [to_data(*map(statistics.mean, zip(*clicks[i : i + PER_BLOB], strict=True))) for i in (0, 12, 24)]
    assert len(means) == 3, means
    for cx, cy in centres:  # every cluster has its own component, close to its centre
        assert min((mx - cx) ** 2 + (my - cy) ** 2 for mx, my in means) < 0.6**2, (means, centres)


def test_three_clusters_clicked_one_after_another_give_three_ellipses(lab, page, artifacts):
    lab.put_notebook("gmm.ipynb", CELLS)
    open_notebook(page, lab, "gmm.ipynb")
    run_cell(page, 0)
    canvas = model_canvas(page)
    expect(canvas).to_have_attribute("data-ack", "1")  # the view asked for the points (none yet): answered
    expect(page.locator(".hitl-gmm-hint")).to_be_visible()  # the empty canvas says what to do
    blank = model_ink(page)
    page.evaluate("globalThis.__hitl_latencies = []")
    clicks = list(blob_clicks())
    for i, (x, y) in enumerate(clicks, start=2):
        points_canvas(page).click(position={"x": x, "y": y})
        expect(canvas).to_have_attribute("data-ack", str(i), timeout=10_000)
    expect(canvas).to_have_attribute("data-n", str(len(clicks)))
    expect(page.locator(".hitl-gmm-hint")).to_be_hidden()
    # the page drew a density: the model layer has ink, and the contours exist
    assert model_ink(page) > blank + 10_000
    assert int(canvas.get_attribute("data-levels")) >= 3
    # the clicked point itself is drawn (its class colour, blue)
    r, g, b, a = pixel(page, DOTS_CANVAS, *clicks[-1])
    assert a > 200 and b > r, (r, g, b, a)
    # three separate ellipses, one on each cluster: the means the page drew
    assert_one_mean_per_cluster(json.loads(canvas.get_attribute("data-means")), clicks)
    # the kernel holds the same: three components near the clicked centres (after any idle-time check)
    run_cell(page, 1)
    out = " ".join(cell_output_text(page, 1))
    assert f"KERNEL {len(clicks)} 3 ['class 1']" in out, out
    assert_one_mean_per_cluster(json.loads(out.split("MEANS", 1)[1].strip().split("\n")[0]), clicks)
    assert_one_mean_per_cluster(json.loads(canvas.get_attribute("data-means")), clicks)  # the page followed
    lat = page.evaluate("globalThis.__hitl_latencies")
    assert len(lat) == len(clicks)
    widget = page.locator(".hitl-gmm").first
    widget.screenshot(path=str(artifacts / "gmm_lab_clicks.png"))
    # the dark theme: the canvas redraws in the theme's colours
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    page.wait_for_timeout(500)
    widget.screenshot(path=str(artifacts / "gmm_lab_clicks_dark.png"))
    assert int(canvas.get_attribute("data-renders")) >= 2
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")  # the next tests expect light
    report = (
        f"JupyterLab click->density redraw: median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms, n={len(lat)}"
    )
    print("\n[e2e] " + report)
    (artifacts / "gmm_lab_latency.txt").write_text(report + "\n" + repr(lat) + "\n")
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors
    # the installed package enabled its server extension (TCP_NODELAY on kernel websockets)
    assert "kernel websockets send without Nagle's delay" in (artifacts / "jupyterlab.log").read_text()

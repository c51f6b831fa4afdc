"""GMMCanvas as a Voila app: clicks and keys re-render the density; a Python-set label proves the kernel has them."""

from __future__ import annotations

import statistics

import pytest
from gmm_page import model_canvas, model_ink, points_canvas
from playwright.sync_api import expect
from servers import start_voila

pytest.importorskip("voila")

CELL = """\
import ipywidgets as W
from hitl_widgets import GMMCanvas
w = GMMCanvas(n_components=3)
kernel = W.Label('KERNEL 0')
w.observe(lambda ch: setattr(kernel, 'value', f"KERNEL {len(w.points)} batch={w.status.get('batch_n')}"), 'status')
W.VBox([w, kernel])
"""


@pytest.fixture(scope="module")
def voila(tmp_path_factory, artifacts):
    srv = start_voila(tmp_path_factory.mktemp("voila"), CELL, artifacts / "voila.log")
    yield srv
    srv.stop()


def test_voila_clicks_and_batch_key(voila, page, artifacts):
    page.goto(f"{voila.base}/?token={voila.token}")
    canvas = model_canvas(page)
    expect(canvas).to_have_attribute("data-ack", "1", timeout=60_000)  # the view's ask for the points, answered
    blank = model_ink(page)
    page.evaluate("globalThis.__hitl_latencies = []")
    n, ack = 0, 1
    for cx, cy in [(150, 130), (400, 140), (280, 320)]:
        for i in range(10):
            n, ack = n + 1, ack + 1
            points_canvas(page).click(position={"x": cx + (i % 4) * 9 - 13, "y": cy + (i // 4) * 9 - 9})
            expect(canvas).to_have_attribute("data-ack", str(ack), timeout=10_000)
    assert model_ink(page) > blank + 10_000
    expect(page.get_by_text(f"KERNEL {n} batch=None")).to_be_visible()
    page.locator(".hitl-gmm").first.press("b")
    expect(page.get_by_text(f"KERNEL {n} batch={n}")).to_be_visible(timeout=10_000)
    expect(page.locator(".hitl-gmm-status")).to_contain_text("vs batch")
    page.locator(".hitl-gmm").first.screenshot(path=str(artifacts / "gmm_voila.png"))
    lat = page.evaluate("globalThis.__hitl_latencies")
    report = f"Voila click->density redraw: median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms, n={len(lat)}"
    print("\n[e2e] " + report)
    (artifacts / "gmm_voila_latency.txt").write_text(report + "\n" + repr(lat) + "\n")

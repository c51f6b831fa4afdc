"""GMMCanvas as a Voila app: clicks and keys re-render the density; a Python-set label proves the kernel has them."""

from __future__ import annotations

import statistics
import sys
import uuid

import nbformat
import pytest
from conftest import Server, _free_port, _isolated_env
from gmm_page import model_canvas, model_ink, points_canvas
from playwright.sync_api import expect

pytest.importorskip("voila")

CELL = """\
import ipywidgets as W
from hitl_widgets import GMMCanvas
w = GMMCanvas(n_components=3)
kernel = W.Label('KERNEL 0')
w.observe(lambda ch: setattr(kernel, 'value', f"KERNEL {len(w.points)} batch={w.status.get('batch_n')}"), 'status')
W.VBox([w, kernel])
"""


class VoilaServer(Server):
    def ready_url(self):  # a static file: polling "/" would start a kernel per poll
        return f"{self.base}/voila/static/favicon.ico"


@pytest.fixture(scope="module")
def voila(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("voila")
    root = tmp / "nb"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nbformat.write(nb, root / "app.ipynb")
    port, token = _free_port(), uuid.uuid4().hex
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "app.ipynb",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--token={token}",
        "--show_tracebacks=True",
    ]
    srv = VoilaServer(cmd, root, _isolated_env(tmp), port, token, artifacts / "voila.log")
    yield srv
    srv.stop()


def test_voila_clicks_and_batch_key(voila, page, artifacts):
    page.goto(f"{voila.base}/?token={voila.token}")
    canvas = model_canvas(page)
    expect(canvas).to_have_attribute("data-ack", "0", timeout=60_000)
    blank = model_ink(page)
    page.evaluate("globalThis.__hitl_latencies = []")
    n = 0
    for cx, cy in [(150, 130), (400, 140), (280, 320)]:
        for i in range(10):
            n += 1
            points_canvas(page).click(position={"x": cx + (i % 4) * 9 - 13, "y": cy + (i // 4) * 9 - 9})
            expect(canvas).to_have_attribute("data-ack", str(n), timeout=10_000)
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

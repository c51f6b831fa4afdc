"""Click -> density redraw in a real browser: JupyterLab (with and without TCP_NODELAY) and Voila.

Measured in the page: from the pointerdown to the end of the redraw that shows
Python's answer (``globalThis.__hitl_latencies``), plus the page's own drawing
time. Needs what ``scripts/test.sh`` installs (Chromium, Playwright, JupyterLab,
Voila). Run: ``python benchmarks/browser_latency.py [--clicks 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from lab_helpers import open_notebook, run_cell  # noqa: E402
from servers import CHROMIUM, CHROMIUM_ARGS, VoilaServer, start_lab, start_voila  # noqa: E402

CELL = "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=5)\nw"


def click_blobs(page, n: int) -> tuple[list[float], list[float]]:
    canvas = page.locator(".hitl-gmm-model").first
    points = page.locator(".hitl-gmm-points").first
    expect(canvas).to_have_attribute("data-ack", "0", timeout=60_000)
    page.evaluate("globalThis.__hitl_latencies = []")
    draw = []
    for i in range(n):
        cx, cy = [(140, 120), (400, 140), (270, 330)][i % 3]
        points.click(position={"x": cx + (i * 7) % 30 - 15, "y": cy + (i * 11) % 30 - 15})
        expect(canvas).to_have_attribute("data-ack", str(i + 1), timeout=10_000)
        draw.append(float(canvas.get_attribute("data-draw-ms")))
    return page.evaluate("globalThis.__hitl_latencies"), draw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clicks", type=int, default=60)
    args = ap.parse_args()
    rows = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmpdir:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        ext = "--ServerApp.jpserver_extensions=hitl_widgets._server_extension={}"
        for name, make in [
            (
                "JupyterLab, TCP_NODELAY (hitl_widgets server extension)",
                lambda t: start_lab(t, t / "log", (ext.format(True),)),
            ),
            ("JupyterLab, server default (Nagle on)", lambda t: start_lab(t, t / "log", (ext.format(False),))),
            ("Voila", lambda t: start_voila(t, CELL, t / "log")),
        ]:
            tmp = Path(tmpdir) / uuid.uuid4().hex
            tmp.mkdir()
            srv = make(tmp)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(60_000)
                if isinstance(srv, VoilaServer):
                    page.goto(f"{srv.base}/?token={srv.token}")
                else:
                    srv.put_notebook("bench.ipynb", [CELL])
                    open_notebook(page, srv, "bench.ipynb")
                    run_cell(page, 0)
                lat, draw = click_blobs(page, args.clicks)
                page.close()
            finally:
                srv.stop()
            q = statistics.quantiles(lat, n=10)
            rows.append(
                f"| {name} | {statistics.median(lat):.1f} | {q[8]:.1f} | {statistics.median(draw):.1f} | {len(lat)} |"
            )
        browser.close()
    print("| front end | click -> redraw median ms | p90 ms | of which page drawing, median ms | clicks |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

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

import nbformat
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from conftest import CHROMIUM, CHROMIUM_ARGS, Server, _free_port, _isolated_env  # noqa: E402
from lab_helpers import open_notebook, run_cell  # noqa: E402

CELL = "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=5)\nw"


class VoilaServer(Server):
    def ready_url(self):
        return f"{self.base}/voila/static/favicon.ico"


def lab_server(tmp: Path, nodelay: bool) -> Server:
    root = tmp / "nb"
    root.mkdir(parents=True)
    port, token = _free_port(), uuid.uuid4().hex
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--ServerApp.allow_root=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--ServerApp.jpserver_extensions=hitl_widgets._server_extension={nodelay}",
    ]
    return Server(cmd, root, _isolated_env(tmp), port, token, tmp / "server.log")


def voila_server(tmp: Path) -> Server:
    root = tmp / "nb"
    root.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
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
    ]
    return VoilaServer(cmd, root, _isolated_env(tmp), port, token, tmp / "server.log")


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
        for name, make in [
            ("JupyterLab, TCP_NODELAY (hitl_widgets server extension)", lambda t: lab_server(t, True)),
            ("JupyterLab, server default (Nagle on)", lambda t: lab_server(t, False)),
            ("Voila", voila_server),
        ]:
            srv = make(Path(tmpdir) / uuid.uuid4().hex)
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

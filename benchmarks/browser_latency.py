"""Click -> frame on the GMM canvas over N, in a real browser: JupyterLab (TCP_NODELAY, this package's server
extension) and Voila, Debian Chromium (headless).

For each N (the points on the canvas before the clicks: two clusters, classes "a" and "b", added with
``add_points``; the idle check has finished) and front end, ``--clicks`` clicks of class "b" around its cluster:

* **click -> frame**: from the pointer event to the frame that shows the model with the click: the page
  previews the online step itself (``js/src/gmm_canvas/predict.js``) and draws it before the kernel answers;
* **click -> kernel's model**: to the end of the redraw that shows the kernel's own model (the exact step);
* **page ms**: the page's drawing per click, model layer and points layer (medians);
* **bytes / click**: what the page received over the kernel's websocket from the click to its acknowledgement
  (the click's point, the model's parameters, the status, the kernel's busy/idle messages);
* **kernel ms**: the click's handler with its update, in-process (the same code path, no browser; median);
* **floor**: an empty round trip through the same websocket (a ``ping`` action, acknowledged, nothing drawn).

Run: ``python benchmarks/browser_latency.py [--clicks 60] [--sizes 10,100,1000,10000,100000]``; writes
``benchmarks/results/gmm_browser.md``. Needs what ``scripts/test.sh`` installs.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from lab_helpers import open_notebook, run_cell  # noqa: E402
from servers import CHROMIUM, CHROMIUM_ARGS, VoilaServer, start_lab, start_voila  # noqa: E402

SIZES = (10, 100, 1_000, 10_000, 100_000)
PINGS = 30


def cell(n: int) -> str:
    return (
        "import numpy as np\n"
        "from hitl_widgets import GMMCanvas\n"
        "rng = np.random.default_rng(0)\n"
        f"n = {n}\n"
        "X = np.r_[rng.normal([-4, 2], 1.2, (n // 2, 2)), rng.normal([4, -2], 1.2, (n - n // 2, 2))]\n"
        'w = GMMCanvas(classes=["a", "b"])\n'
        'w.add_points(X, ["a"] * (n // 2) + ["b"] * (n - n // 2))\n'
        "w.session.wait_idle(600)\n"
        "w"
    )


def quantile(values: list[float], q: float) -> float:
    return float(np.quantile(values, q)) if values else float("nan")


def measure_page(page, n: int, clicks: int, received: list[int]) -> dict:
    model = page.locator(".hitl-gmm-model").first
    top = page.locator(".hitl-gmm-points").first
    expect(model).to_have_attribute("data-n", str(n), timeout=900_000)
    page.locator(".hitl-gmm").first.focus()
    page.keyboard.press("2")  # class "b"
    page.wait_for_timeout(300)
    page.evaluate("globalThis.__hitl_latencies = []; globalThis.__hitl_frames = []; globalThis.__hitl_pings = []")
    rng = np.random.default_rng(1)
    draw, dots, sent = [], [], []
    for _ in range(clicks):
        ack = int(model.get_attribute("data-ack"))
        before = len(received)
        x, y = rng.normal([4, -2], 1.0)
        px, py = (x + 10) / 20 * 560, (8 - y) / 16 * 440
        top.click(position={"x": float(np.clip(px, 5, 555)), "y": float(np.clip(py, 5, 435))})
        expect(model).to_have_attribute("data-ack", str(ack + 1), timeout=30_000)
        page.wait_for_timeout(30)  # the kernel's busy/idle messages after the reply
        sent.append(sum(received[before:]))
        draw.append(float(model.get_attribute("data-draw-ms")))
        dots.append(float(model.get_attribute("data-points-ms")))
    for _ in range(PINGS):
        ack = int(model.get_attribute("data-ack"))
        page.locator(".hitl-gmm").first.dispatch_event("hitl-ping")
        expect(model).to_have_attribute("data-ack", str(ack + 1), timeout=30_000)
    got = page.evaluate("[globalThis.__hitl_frames, globalThis.__hitl_latencies, globalThis.__hitl_pings]")
    expect(model).to_have_attribute("data-n", str(n + clicks))
    return {"frame": got[0], "kernel_model": got[1], "ping": got[2], "draw": draw, "dots": dots, "bytes": sent}


def kernel_ms(n: int, clicks: int) -> float:
    """The click's handler and its update, in-process: the same messages, no browser."""
    import comm
    from comm.base_comm import BaseComm

    class Quiet(BaseComm):
        def publish_msg(self, *args, **kwargs):
            pass

    comm.create_comm = lambda **kw: Quiet(**kw)
    from hitl_widgets import GMMCanvas

    rng = np.random.default_rng(0)
    X = np.r_[rng.normal([-4, 2], 1.2, (n // 2, 2)), rng.normal([4, -2], 1.2, (n - n // 2, 2))]
    w = GMMCanvas(classes=["a", "b"], idle_check=False)
    w.add_points(X, ["a"] * (n // 2) + ["b"] * (n - n // 2))
    w._handle_msg({"content": {"data": {"method": "custom", "content": {"type": "want", "seq": 1}}}, "buffers": []})
    times = []
    for seq in range(2, clicks + 2):
        x, y = rng.normal([4, -2], 1.0)
        message = {"type": "add", "points": [[float(x), float(y)]], "label": 1, "stroke": None, "seq": seq}
        t0 = time.perf_counter()
        w._handle_msg({"content": {"data": {"method": "custom", "content": message}}, "buffers": []})
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def run(sizes: list[int], clicks: int) -> list[dict]:
    rows = []
    ext = "--ServerApp.jpserver_extensions=hitl_widgets._server_extension=True"
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmpdir:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for front in ("JupyterLab", "Voila"):
            lab = None
            if front == "JupyterLab":
                tmp = Path(tmpdir) / uuid.uuid4().hex
                tmp.mkdir()
                lab = start_lab(tmp, tmp / "log", (ext,))
            try:
                for n in sizes:
                    tmp = Path(tmpdir) / uuid.uuid4().hex
                    tmp.mkdir()
                    srv = start_voila(tmp, cell(n), tmp / "log") if front == "Voila" else lab
                    page = browser.new_page(viewport={"width": 1280, "height": 1000})
                    page.set_default_timeout(900_000)
                    received: list[int] = []
                    page.on("websocket", lambda ws, r=received: ws.on("framereceived", lambda p: r.append(len(p))))
                    try:
                        if isinstance(srv, VoilaServer):
                            page.goto(f"{srv.base}/?token={srv.token}")
                        else:
                            name = f"bench{n}.ipynb"
                            srv.put_notebook(name, [cell(n)])
                            open_notebook(page, srv, name)
                            run_cell(page, 0, timeout=900_000)
                        got = measure_page(page, n, clicks, received)
                    finally:
                        page.close()
                        if front == "Voila":
                            srv.stop()
                    rows.append({"front": front, "n": n, **got})
                    print(front, n, "frame median", statistics.median(got["frame"]), flush=True)
            finally:
                if lab is not None:
                    lab.stop()
        browser.close()
    for row in rows:
        row["kernel_ms"] = kernel_ms(row["n"], clicks)
    return rows


def report(rows: list[dict], clicks: int, seconds: float) -> str:
    lines = [
        "# benchmarks/browser_latency.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, Debian Chromium (headless), "
        f"took {seconds:.0f} s. `python benchmarks/browser_latency.py --clicks {clicks}`",
        "",
        f"GMM canvas, two classes, {clicks} clicks per row; ms unless said (median, p95):",
        "",
        "| front end | N | click -> frame | click -> kernel's model | page: model, points | bytes / click"
        " | kernel | floor (empty round trip) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f, k, p = r["frame"], r["kernel_model"], r["ping"]
        lines.append(
            f"| {r['front']} | {r['n']:,} | {statistics.median(f):.1f}, {quantile(f, 0.95):.1f} "
            f"| {statistics.median(k):.1f}, {quantile(k, 0.95):.1f} "
            f"| {statistics.median(r['draw']):.1f}, {statistics.median(r['dots']):.2f} "
            f"| {statistics.median(r['bytes']):,.0f} | {r['kernel_ms']:.1f} "
            f"| {statistics.median(p):.1f}, {quantile(p, 0.95):.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clicks", type=int, default=60)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = run([int(s) for s in args.sizes.split(",")], args.clicks)
    text = report(rows, args.clicks, time.perf_counter() - t0)
    (Path(__file__).parent / "results" / "gmm_browser.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

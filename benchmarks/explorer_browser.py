"""The StrategyExplorer's page and kernel while it runs: redraw per step in Chromium, another cell during Play.

* **Page redraw per step** (Voila, Debian Chromium, 4 panels on 2,000 and 20,000 moons points, logistic): a step is
  pressed (Space) and the page's work for the update it gets back is read from ``data-draw-ms``: the
  panels (points, shading, picks), the status and the learning-curve chart, all that runs in that frame.
  With the utility shading off and on.
* **A cell during Play** (a real ipykernel through jupyter_client): the explorer on 2,000 points plays at
  full speed (30 steps a second) while another cell (``sum(range(100_000))``) runs again and again; the
  time from sending the cell to its reply, against the same cell with nothing playing.

Needs what ``scripts/test.sh`` installs (Chromium, Playwright, Voila). Run
``python benchmarks/explorer_browser.py [--steps 30]``; writes ``benchmarks/results/explorer_browser.md``.
Targets (issues 13 and 35): the page's redraw within one 16.7 ms frame at 2,000 and 20,000 points; the kernel
responsive during Play.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from jupyter_client.manager import start_new_kernel
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from servers import CHROMIUM, CHROMIUM_ARGS, start_voila  # noqa: E402

SIZES = (2_000, 20_000)


def make(n: int) -> str:
    return (
        "from hitl_widgets import StrategyExplorer\n"
        f"ex = StrategyExplorer.from_preset('moons', n={n}, strategies=['uniform', 'margin', 'kcenter', 'entropy'],"
        " seed=0, budget=1000, batch_size=5)\n"
    )


MAKE = make(2_000)
OTHER_CELL = "sum(range(100_000))"


def redraw_times(steps: int, size: int) -> list[tuple[str, list[float]]]:
    """``data-draw-ms`` after each step, utility off then on."""
    out = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        srv = start_voila(Path(tmp), make(size) + "ex", Path(tmp) / "voila.log")
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{srv.base}/?token={srv.token}")
            widget = page.locator(".hitl-se").first
            expect(widget).to_have_attribute("data-steps", "0", timeout=120_000)
            widget.click(position={"x": 5, "y": 5})
            n = 0
            for label in ("utility off", "utility on"):
                if label == "utility on":
                    widget.press("u")
                    expect(widget.locator(".hitl-se-toggle input").first).to_be_checked()
                times = []
                for _ in range(steps):
                    n += 1
                    widget.press(" ")
                    expect(widget).to_have_attribute("data-steps", str(n), timeout=30_000)
                    page.wait_for_timeout(50)  # the frame after the status has drawn the panels too
                    times.append(float(widget.get_attribute("data-draw-ms")))
                out.append((f"{size:,} points, {label}", times))
        finally:
            srv.stop()
            browser.close()
    return out


def cell_times(kc, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        kc.execute_interactive(OTHER_CELL, timeout=60, output_hook=lambda msg: None)
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def kernel_during_play(n: int) -> tuple[list[float], list[float], int]:
    """Round trips of another cell: idle, then while the explorer plays at full speed; steps played meanwhile."""
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.execute_interactive(MAKE, timeout=120, output_hook=lambda msg: None)
        idle = cell_times(kc, n)
        kc.execute_interactive("ex.play(speed=30)", timeout=60, output_hook=lambda msg: None)
        time.sleep(1.0)
        playing = cell_times(kc, n)
        reply = kc.execute_interactive("ex.pause(); print(ex.exploration.steps)", timeout=60, output_hook=_keep_stdout)
        assert reply["content"]["status"] == "ok", reply
        return idle, playing, int(_STDOUT[-1])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


_STDOUT: list[str] = []


def _keep_stdout(msg: dict) -> None:
    if msg["msg_type"] == "stream":
        _STDOUT.append(msg["content"]["text"].strip())


def row(name: str, times: list[float], unit_limit: float | None = None) -> str:
    over = "" if unit_limit is None else f" | {sum(t > unit_limit for t in times)} of {len(times)}"
    return f"| {name} | {statistics.median(times):.1f} | {np.percentile(times, 95):.1f} | {max(times):.1f}{over} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=30, help="steps timed per setting in the page")
    ap.add_argument("--cells", type=int, default=40, help="runs of the other cell, idle and during Play")
    args = ap.parse_args()
    t0 = time.time()
    draws = [d for size in SIZES for d in redraw_times(args.steps, size)]
    idle, playing, steps = kernel_during_play(args.cells)
    report = "\n".join([
        "# benchmarks/explorer_browser.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, Debian Chromium (headless), "
        f"took {time.time() - t0:.0f} s. `python benchmarks/explorer_browser.py`",
        "",
        "Page redraw per step, 4 panels (Voila); the pool's points are drawn once and copied into each panel:",
        "",
        "| step | median ms | p95 ms | max ms | over 16.7 ms |",
        "|---|---|---|---|---|",
        *(row(label, times, 16.7) for label, times in draws),
        "",
        f"Another cell (`{OTHER_CELL}`) from send to reply, {args.cells} runs each:",
        "",
        "| kernel | median ms | p95 ms | max ms |",
        "|---|---|---|---|",
        row("idle", idle),
        row(f"during Play at 30 steps/s ({steps} steps played by the pause)", playing),
    ])  # fmt: skip
    out = Path(__file__).parent / "results" / "explorer_browser.md"
    out.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()

"""How far the page's preview of a click's step is from the kernel's model that replaces it.

The GMM canvas draws a click's model in the next frame by learning the point on the page
(``js/src/gmm_canvas/predict.js``: the clicked class's components move towards it as incremental EM moves
them, without the prior, the refresh of older points or structural moves); the kernel's exact step replaces it
when its answer arrives. For clicks of one class around its cluster on a canvas that holds N points, this
runs the kernel's step (``GMMSession``; class b in two clusters, so two components share each click) and the
page's preview (the same JavaScript, in node) from the same
model, and measures where the preview put each drawn component's centre against where the kernel put it, in
pixels of the default 560 x 440 canvas (28 px per data unit), and how the two models' contours differ (the
largest relative difference of a component's standard deviation).

    python benchmarks/gmm_preview.py [--clicks 60]     # writes benchmarks/results/gmm_preview.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import numpy as np

from hitl_widgets import GMMSession

ROOT = Path(__file__).resolve().parents[1]
PX_PER_UNIT = 560 / 20
SIZES = (10, 100, 1_000, 10_000, 100_000)

NODE = """
import { predictMixtures } from %s;
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const out = cases.map(([mixtures, label, x, y, n, first]) => predictMixtures(mixtures, label, x, y, n, first));
  process.stdout.write(JSON.stringify(out));
});
"""


def cases(n: int, clicks: int, seed: int = 0) -> tuple[list, list]:
    """(the inputs the page previews from, the kernel's mixtures after each click)."""
    rng = np.random.default_rng(seed)
    s = GMMSession.for_view((-10, 10), (-8, 8), classes=["a", "b"], idle_check=False)
    b = n - n // 2  # class b in two clusters: its mixture has two components, each click shared between them
    X = np.r_[
        rng.normal([-4, 2], 1.2, (n // 2, 2)),
        rng.normal([4, -2], 1.2, (b // 2, 2)),
        rng.normal([4, 4], 1.2, (b - b // 2, 2)),
    ]
    s.add_many(X, [0] * (n // 2) + [1] * (n - n // 2))
    first = (0.035 * 20) ** 2
    inputs, truth = [], []
    for _ in range(clicks):
        x, y = rng.normal([4, -2], 1.0)
        inputs.append([s.mixtures(), 1, float(x), float(y), s.n_points, [[first, 0], [0, first]]])
        s.add([x, y], label=1)
        truth.append(s.mixtures())
    return inputs, truth


def gaps(predicted: list, truth: list, label: int = 1) -> tuple[list[float], list[float]]:
    """Per click: the largest distance (px) between a drawn centre of the preview and the kernel's nearest one,
    and the largest relative difference of a matched component's standard deviations."""
    moved, spread = [], []
    for p, t in zip(predicted, truth, strict=True):
        mp = next(m for m in p if m["label"] == label)
        mt = next(m for m in t if m["label"] == label)
        worst_d, worst_s = 0.0, 0.0
        for mean, cov in zip(mp["means"], mp["covariances"], strict=True):
            d = [np.hypot(mean[0] - m[0], mean[1] - m[1]) for m in mt["means"]]
            k = int(np.argmin(d))
            worst_d = max(worst_d, d[k] * PX_PER_UNIT)
            sd_p, sd_t = np.sqrt(np.diag(cov)), np.sqrt(np.diag(mt["covariances"][k]))
            worst_s = max(worst_s, float(np.max(np.abs(sd_p - sd_t) / sd_t)))
        moved.append(worst_d)
        spread.append(worst_s)
    return moved, spread


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clicks", type=int, default=60)
    args = ap.parse_args()
    script = NODE % json.dumps((ROOT / "js" / "src" / "gmm_canvas" / "predict.js").as_uri())
    lines = [
        "# benchmarks/gmm_preview.py",
        "",
        f"The page's preview of a click against the kernel's step, {args.clicks} clicks of class b around its "
        "cluster; centres in pixels of the default canvas, spreads as a share. `python benchmarks/gmm_preview.py`",
        "",
        "| N | centre off, median px | p95 px | max px | spread off, median | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for n in SIZES:
        inputs, truth = cases(n, args.clicks)
        run = subprocess.run(
            ["node", "--input-type=module", "-e", script], input=json.dumps(inputs), capture_output=True, text=True
        )
        if run.returncode:
            raise RuntimeError(run.stderr)
        moved, spread = gaps(json.loads(run.stdout), truth)
        lines.append(
            f"| {n:,} | {np.median(moved):.2f} | {np.quantile(moved, 0.95):.2f} | {max(moved):.2f} "
            f"| {np.median(spread):.1%} | {np.quantile(spread, 0.95):.1%} |"
        )
    text = "\n".join(lines) + "\n"
    (Path(__file__).parent / "results" / "gmm_preview.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""The online mixture against batch EM the way people click, and what a click costs, over N and layouts.

1. **Quality** (``gmm_quality.py``): after every completed cluster, the
   held-out log-likelihood gap (nats/point) of ``OnlineGMM`` to
   scikit-learn's ``GaussianMixture(n_init=5)`` fitted on the points so far,
   over layouts (blobs, elongated, overlapping, a stray click first; a broad
   cloud, moons, a uniform square, a noisy line, a ring), orders (random,
   cluster after cluster, brush) and K, 10 seeds; with a fixed K, with
   ``"auto"`` (the reference picks K by BIC), without pauses and with a pause
   (the canvas's idle-time check) after each cluster; the challenge's
   gradient descent beside it on 3 seeds. Target: <= 0.05 in at least 95% of
   checkpoints, never above 0.25.
2. **Speed** (``gmm_speed.py``): ``learn_one`` over 10,000 clicks on every
   layout, by N (median, p95, max), beside one scikit-learn refit at 10,000
   points; 10,000 points from code (``learn_many``, ``GMMCanvas.add_points``).
   Target: p95 <= 1 ms and no call over 20 ms at every N; median >= 30x
   cheaper than the refit.

3. **Scales** (``--scales 0.01,0.1,1,10,100``): the learner's half with its
   defaults (no ``prior_scale``: the prior follows the points) on the clicks
   multiplied by each scale, the reference's ridge by its square; beside the
   canvas's prior (0.7) at 1x from the last full run, on the same runs.
   Target: the same quality at every scale, and at 1x no worse than the canvas.

Run: ``python benchmarks/gmm.py`` (``--quick``: 3 seeds, fewer runs; ``--learner-only``: the learner's
columns again, the reference reseeded and gradient descent, which do not depend on it, from the last
full run; ``--speed-only``: the speed half alone); writes
``benchmarks/results/gmm.md`` and ``benchmarks/results/gmm.png``. ``--scales`` (with ``--seeds`` and
``--auto-seeds``) writes ``benchmarks/results/gmm_scales.md`` and keeps its rows in ``gmm_scales.csv``,
replacing only the scales it ran, so scales can be run one at a time.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from functools import partial
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).parent))
import gmm_quality  # noqa: E402
import gmm_speed  # noqa: E402

from hitl_widgets.data.clicks import CURVED_LAYOUTS  # noqa: E402

WITHIN, NEVER = 0.05, 0.25
N_BINS = [0, 50, 100, 200, 400, 700, 1000]


def share(gaps: pd.Series) -> str:
    return f"{(gaps <= WITHIN).mean():.1%}"


def quality_table(df: pd.DataFrame) -> str:
    rows = []
    for (mode, group, order), d in df.groupby(["mode", "group", "order"]):
        rows.append(
            f"| {mode} | {group} | {order} | {len(d)} | {share(d.gap)} | {d.gap.max():+.3f} | {d.gap.median():+.4f} "
            f"| {share(d.gap_paused)} | {d.gap_paused.max():+.3f} | {share(d.gap_reseeded)} "
            f"| {d.gap_reseeded.max():+.3f} |"
        )
    for mode, d in df.groupby("mode"):
        rows.append(
            f"| **{mode}** | **all** | **all** | **{len(d)}** | **{share(d.gap)}** | **{d.gap.max():+.3f}** "
            f"| **{d.gap.median():+.4f}** | **{share(d.gap_paused)}** | **{d.gap_paused.max():+.3f}** "
            f"| **{share(d.gap_reseeded)}** | **{d.gap_reseeded.max():+.3f}** |"
        )
    head = (
        "| K | layouts | order | checkpoints | online within 0.05 | online worst | online median "
        "| paused within 0.05 | paused worst | scikit-learn reseeded within 0.05 | reseeded worst |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows)


def curve_table(df: pd.DataFrame) -> str:
    d = df[df["mode"] == "fixed"].copy()
    d["bin"] = pd.cut(d.n, N_BINS)
    rows = []
    for (order, b), g in d.groupby(["order", "bin"], observed=True):
        gd = g.gap_gradient.dropna()
        gd_text = f"{gd.median():+.3f} / {gd.max():+.3f}" if len(gd) else "-"
        rows.append(
            f"| {order} | {b.left + 1}-{b.right} | {len(g)} | {share(g.gap)} | {g.gap.max():+.3f} | "
            f"{share(g.gap_paused)} | {g.gap_paused.max():+.3f} | {share(g.gap_reseeded)} "
            f"| {g.gap_reseeded.max():+.3f} | {gd_text} |"
        )
    head = (
        "| order | N | checkpoints | online within 0.05 | online worst | paused within 0.05 | paused worst "
        "| reseeded within 0.05 | reseeded worst | gradient descent median / worst |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows)


def speed_table(speed: dict) -> str:
    rows = []
    for label, runs in speed["runs"].items():
        times = np.concatenate([r["times_ms"] for r in runs])
        per_bucket = [gmm_speed.bucket_stats(r["times_ms"]) for r in runs]
        cells = []
        for b in range(len(gmm_speed.BUCKETS)):
            med = np.median([p[b][0] for p in per_bucket])
            p95 = max(p[b][1] for p in per_bucket)
            worst = max(p[b][2] for p in per_bucket)
            cells.append(f"{med:.2f} / {p95:.2f} / {worst:.1f}")
        gaps = [r["gap_end"] for r in runs]
        after = [r["gap_after_check"] for r in runs]
        ratio = speed["refit_ms"] / np.median(times[3000:])
        slowest_cpu = max(float(r["cpu_ms"].max()) for r in runs)
        probe = max(r["probe_us"] for r in runs)
        rows.append(
            f"| {label} | " + " | ".join(cells) + f" | {slowest_cpu:.1f} | {ratio:.0f}x | {max(gaps):+.3f} "
            f"| {max(after):+.3f} | {np.median([r['check_s'] for r in runs]):.2f} | {probe:.1f} |"
        )
    heads = " | ".join(f"N {lo:,}-{hi:,}: median / p95 / max ms" for lo, hi in gmm_speed.BUCKETS)
    return (
        f"| run | {heads} | slowest call, CPU ms | refit / median (N > 3,000) | gap at 10,000 | gap after a check "
        "| check s | machine probe, us |\n" + "|---" * (7 + len(gmm_speed.BUCKETS)) + "|\n" + "\n".join(rows)
    )


def plot(df: pd.DataFrame, speed: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(18, 4.2))
    d = df[df["mode"] == "fixed"]
    for ax, order in zip(axes[:3], ("cluster", "brush", "random"), strict=True):
        g = d[d.order == order]
        curved = g.layout.isin(CURVED_LAYOUTS)
        ax.scatter(g.n[~curved], g.gap[~curved], s=6, alpha=0.35, label="online, Gaussian clusters")
        ax.scatter(g.n[curved], g.gap[curved], s=6, alpha=0.35, label="online, curved layouts")
        ax.scatter(g.n, g.gap_paused, s=4, alpha=0.25, marker="x", label="after a pause (idle check)")
        gd = g.dropna(subset=["gap_gradient"])
        ax.scatter(gd.n, gd.gap_gradient, s=6, alpha=0.35, label="challenge's gradient descent")
        ax.axhline(WITHIN, color="k", lw=0.8, ls="--")
        ax.set(
            title=f"{order}: gap after each completed cluster",
            xlabel="points so far (N)",
            ylabel="nats/point behind batch EM",
            ylim=(-0.3, 1.0),
            xscale="log",
        )
        ax.legend(fontsize=7, loc="upper right")
    ax = axes[3]
    for label, runs in speed["runs"].items():
        t = np.median([r["times_ms"] for r in runs], axis=0)
        n = np.arange(1, len(t) + 1)
        smooth = pd.Series(t).rolling(200, min_periods=1).quantile(0.95)
        ax.plot(n, smooth, lw=1, label=label)
    ax.axhline(1.0, color="k", lw=0.8, ls="--")
    ax.set(title="learn_one, rolling p95 over 200 clicks", xlabel="N", ylabel="ms", yscale="log")
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def with_last_yardstick(df: pd.DataFrame, last: pd.DataFrame) -> pd.DataFrame:
    """The learner's rows with the reseeded and gradient-descent gaps of the same checkpoints in ``last``."""
    keys = ["layout", "order", "k", "seed", "mode", "n"]
    yardstick = last[[*keys, "gap_reseeded", "gap_gradient"]]
    merged = df.merge(yardstick, on=keys, how="left", validate="one_to_one")
    if merged.gap_reseeded.isna().any():
        raise ValueError("--learner-only: the last run's checkpoints are not these (rerun in full)")
    return merged


def scale_table(df: pd.DataFrame, canvas: pd.DataFrame) -> str:
    """Per scale and K: checkpoints within 0.05 and above 0.25, alone and after a pause; the canvas's rows beside."""

    def row(label: str, mode: str, d: pd.DataFrame, seeds: str) -> str:
        prior = f"{d.prior.median():.3f}" if "prior" in d and d.prior.notna().any() else "0.7"
        return (
            f"| {label} | {mode} | {seeds} | {len(d)} | {share(d.gap)} | {d.gap.max():+.3f} | {(d.gap > NEVER).sum()} "
            f"| {share(d.gap_paused)} | {d.gap_paused.max():+.3f} | {(d.gap_paused > NEVER).sum()} | {prior} |"
        )

    rows = []
    for scale, by_scale in df.groupby("scale"):
        for mode, d in by_scale.groupby("mode"):
            rows.append(row(f"{scale:g}x, defaults", mode, d, f"{d.seed.nunique()}"))
            same = canvas.merge(d[["layout", "order", "k", "seed", "mode", "n"]], how="inner")
            if scale == 1 and len(same):
                rows.append(
                    row("1x, canvas's prior 0.7 (last full run, the same runs)", mode, same, f"{d.seed.nunique()}")
                )
    for mode, d in canvas.groupby("mode"):
        rows.append(row("1x, canvas's prior 0.7 (last full run, every run)", mode, d, f"{d.seed.nunique()}"))
    head = (
        "| scale | K | seeds | checkpoints | alone within 0.05 | alone worst | alone above 0.25 | paused within 0.05 "
        "| paused worst | paused above 0.25 | median prior / scale |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows)


def run_scales(args: argparse.Namespace, out: Path) -> None:
    """The learner's half at each scale with its defaults; the table beside the canvas's last full run."""
    scales = [float(v) for v in args.scales.split(",")]
    t0 = time.perf_counter()
    runs = gmm_quality.runs(args.seeds, args.auto_seeds, 0)
    jobs = [(run, scale) for scale in scales for run in runs]
    with Pool(args.processes) as pool:
        rows = [r for part in pool.starmap(_scaled_run, jobs) for r in part]
    minutes = (time.perf_counter() - t0) / 60
    new = pd.DataFrame(rows)
    path = out / "gmm_scales.csv"
    if path.exists():
        old = pd.read_csv(path)
        new = pd.concat([old[~old.scale.isin(scales)], new], ignore_index=True)
    new = new.sort_values(["scale", "layout", "order", "k", "seed", "mode", "n"])
    new.to_csv(path, index=False)
    canvas = pd.read_csv(out / "gmm_checkpoints.csv")
    done = ", ".join(f"{s:g}x" for s in scales)
    report = (
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}, 1 thread per "
        f"process. The last call ran {done} with {args.seeds} seeds ({args.auto_seeds} with auto) in {minutes:.0f} min "
        f"on {args.processes} processes; the other scales' rows are from earlier calls (`seeds` says how many).\n\n"
        "## Gap to batch EM after every completed cluster, by scale (nats/point, held-out)\n\n"
        '`defaults`: `OnlineGMM(K)` and `OnlineGMM("auto")` with no `prior_scale` (the prior follows the points) '
        "on the benchmark's clicks multiplied by the scale; the reference is scikit-learn's "
        "`GaussianMixture(n_init=5)` "
        "with its ridge multiplied by the scale's square (the same fit at every scale). `alone`: the learner with no "
        "pause; `paused`: a fit from scratch adopted if better after each cluster (the canvas's idle check). The "
        "canvas's rows are the last full run's (`gmm_checkpoints.csv`, prior 0.7 at 1x), on the runs of the 1x row "
        "and on every run. `median prior / scale`: the data-following prior at the checkpoints, in 1x units.\n\n"
        + scale_table(new, canvas)
        + "\n"
    )
    print(report)
    (out / "gmm_scales.md").write_text("# benchmarks/gmm.py --scales\n\n" + report)


def _scaled_run(spec: tuple, scale: float) -> list[dict]:
    return gmm_quality.one_run(spec, yardstick=False, scale=scale)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 seeds (auto and gradient descent on 1)")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument(
        "--speed-only", action="store_true", help="rerun the speed half; the quality tables from the last full run"
    )
    ap.add_argument(
        "--learner-only",
        action="store_true",
        help="rerun the learner's columns; the yardstick's (reseeded, gradient descent) from the last full run",
    )
    ap.add_argument("--scales", help="comma-separated scales of the canvas's layouts: the learner with its defaults")
    ap.add_argument("--seeds", type=int, default=2, help="seeds per run with --scales")
    ap.add_argument("--auto-seeds", type=int, default=1, help='of which with "auto", with --scales')
    args = ap.parse_args()
    seeds, auto_seeds, gd_seeds = (3, 1, 1) if args.quick else (10, 5, 3)
    out = Path(__file__).parent / "results"
    if args.scales:
        run_scales(args, out)
        return
    t0 = time.perf_counter()
    if args.speed_only:
        df = pd.read_csv(out / "gmm_checkpoints.csv")
        previous = (out / "gmm.md").read_text()
        quality_s = 60 * float(previous.split("quality took ", 1)[1].split(" min", 1)[0])
    else:
        one_run = partial(gmm_quality.one_run, yardstick=not args.learner_only)
        with Pool(args.processes) as pool:
            runs = gmm_quality.runs(seeds, auto_seeds, gd_seeds)
            rows = [r for run in pool.imap_unordered(one_run, runs) for r in run]
        df = pd.DataFrame(rows)
        if args.learner_only:
            df = with_last_yardstick(df, pd.read_csv(out / "gmm_checkpoints.csv"))
        df["group"] = np.where(df.layout.isin(CURVED_LAYOUTS), "curved", "Gaussian")
        quality_s = time.perf_counter() - t0
    speed = gmm_speed.run(1 if args.quick else 3)
    bulk = "\n".join(f"| {name} | {s:.2f} |" for name, s in speed["bulk"].items())
    out.mkdir(exist_ok=True)
    plot(df, speed, out / "gmm.png")
    df.to_csv(out / "gmm_checkpoints.csv", index=False)
    report = (
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}, 1 thread per "
        f"process, {seeds} seeds ({auto_seeds} with auto, {gd_seeds} with gradient descent); quality took "
        f"{quality_s / 60:.0f} min on {args.processes} processes.\n\n"
        "## Gap to batch EM after every completed cluster (nats/point, held-out)\n\n"
        "`online`: the learner alone, no pause ever. `paused`: the same clicks with a pause after each cluster, "
        "when the canvas fits from scratch in the background and adopts a better fit. K = fixed: reference "
        "`GaussianMixture(K, n_init=5)`; auto: the reference picks K by BIC. `reseeded`: the reference's own fit "
        f"again with `random_state` + {gmm_quality.RESEED}, scored against the reference: how far the yardstick "
        "moves by itself (other random starts, the same points).\n\n"
        + quality_table(df)
        + "\n\n## The same over N (fixed K), with the challenge's gradient descent\n\n"
        + curve_table(df)
        + f"\n\n## learn_one over 10,000 clicks\n\nOne scikit-learn refit at N = 10,000 (n_init=1): "
        f"{speed['refit_ms']:.1f} ms; one gradient-descent fit (500 epochs): {speed['gradient_ms']:.0f} ms.\n\n"
        + speed_table(speed)
        + "\n\nThe max columns are wall-clock; `slowest call, CPU ms` is the slowest call's own CPU time (the "
        "thread's), without time the machine gave to something else meanwhile. `machine probe`: the slowest "
        "read, around the row's runs, of a fixed tiny numpy expression (`gmm_speed.machine_probe_us`). CPU time "
        "per click scales with it: the machines of earlier runs read 3.4 us when quiet and up to 7 in slow spells, "
        "and a click cost up to twice what it costs at 2.4 us. "
        + (
            "The speed half was rerun on its own (`--speed-only`); the quality tables are the last full run's. "
            if args.speed_only
            else "The learner's columns were rerun (`--learner-only`); `reseeded` and gradient descent, which do "
            "not depend on the learner, are the last full run's. "
            if args.learner_only
            else ""
        )
        + "The runs above start warm. A fresh process's first 100 clicks (one-time set-up, once per kernel): "
        f"first click {speed['cold']['first_ms']:.1f} ms, p95 {speed['cold']['p95_ms']:.2f} ms, "
        f"max {speed['cold']['max_ms']:.1f} ms."
        + "\n\n## 10,000 points from code\n\n| call | seconds |\n|---|---|\n"
        + bulk
        + "\n\n![gap after each cluster and click time over N](gmm.png)\n"
    )
    print(report)
    (out / "gmm.md").write_text("# benchmarks/gmm.py\n\n" + report)


if __name__ == "__main__":
    main()

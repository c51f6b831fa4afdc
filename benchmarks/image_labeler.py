"""ImageLabeler's Python side: label -> learner update -> re-rank of a 100,000-image pool.

* **hitl_widgets**: ``w.label(y)`` then ``w.wait()``: the label is committed to a
  SQLite file (WAL, synchronous=FULL), the default online learner (a linear
  softmax head on 8x8 pixels) takes its SGD steps with replay in the background
  worker, the whole pool is scored and margin-ranked, and the next images are
  encoded. Timed per label over ``--labels`` labels after 20 warm-up labels.
* **superintendent 0.6** (the one in-notebook peer with active learning), on the
  first ``--peer-pool`` images (10,000: at 100,000 its queue alone took minutes), beside
  hitl_widgets on the same images: its ``retrain()`` (what its button runs) refits a scikit-learn
  LogisticRegression from scratch on every label so far, scores it with 3-fold
  cross-validation, reads the unlabeled pool back from its SQLite queue and
  re-orders it by margin. Timed over a few retrains (it is not run per label).
* **memory**: a folder of ``--folder`` PNG files opened as a labeler; the
  process's peak memory growth against the folder's size on disk.

1 torch/BLAS thread. Run ``python benchmarks/image_labeler.py [--quick]``;
writes ``benchmarks/results/image_labeler.md``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from hitl_widgets import ImageLabeler


def digit_pool(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy copies of the 1,797 bundled digits, as 8x8 float images (0-16)."""
    d = load_digits()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(d.images), n)
    images = np.clip(d.images[idx] + rng.normal(0, 0.7, (n, 8, 8)), 0, 16)
    return images, d.target[idx]


def p95(xs: list[float]) -> float:
    return float(np.percentile(xs, 95))


def time_hitl(images, truth, n_labels: int, db: Path) -> dict[str, float]:
    w = ImageLabeler(images, labels=list(range(10)), store=str(db))
    w.wait()
    for _ in range(20):  # warm-up: two classes known, so margin ranks (not the uniform cold start)
        w.label(int(truth[w.current]))
        w.wait()
    times = []
    for _ in range(n_labels):
        item = w.current
        t0 = time.perf_counter()
        w.label(int(truth[item]))
        w.wait()
        times.append((time.perf_counter() - t0) * 1e3)
    # the parts: one store commit, one learner update, one re-rank
    s = w.session
    commit, learn, rank = [], [], []
    for _ in range(30):
        t0 = time.perf_counter()
        s.store.record_label("bench-probe", 0)
        commit.append((time.perf_counter() - t0) * 1e3)
        s.store.undo()
        x, y = s.pool.features[w.current], int(truth[w.current])
        t0 = time.perf_counter()
        s.learner.learn_one(x, y)
        learn.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        s.next(8, exclude=[w.current])
        rank.append((time.perf_counter() - t0) * 1e3)
    w.session.close()
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "commit": statistics.median(commit),
        "learn": statistics.median(learn),
        "rank": statistics.median(rank),
        "n": len(times),
    }


def time_superintendent(images, truth, n_labels: int, retrains: int) -> dict[str, float] | None:
    try:
        from sklearn.linear_model import LogisticRegression
        from superintendent import Superintendent
        from superintendent.acquisition_functions import margin
    except ImportError:
        return None
    import ipywidgets

    class NoDisplay(ipywidgets.VBox):
        """Stands in for ipyannotations' image widget: retrain() does not touch it."""

        def on_submit(self, callback):
            self.callback = callback

        def display(self, x):
            pass

    X = images.reshape(len(images), -1) / 16.0
    t0 = time.perf_counter()
    widget = Superintendent(
        features=list(X),
        labelling_widget=NoDisplay(),
        model=LogisticRegression(max_iter=200),
        acquisition_function=margin,
        shuffle_prop=0.0,
    )
    setup_s = time.perf_counter() - t0
    ids = []
    for _ in range(n_labels):  # label through its queue, as its widget does
        item_id, _x = widget.queue.pop()
        widget.queue.submit(item_id, int(truth[item_id - 1]))
        ids.append(item_id)
    times = []
    for _ in range(retrains):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            widget.retrain()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median": statistics.median(times), "p95": p95(times), "setup_s": setup_s, "n": len(times)}


def memory_for_folder(n_files: int, tmp: Path) -> dict[str, float]:
    images, _ = digit_pool(n_files, seed=1)
    folder = tmp / "folder"
    folder.mkdir()
    t0 = time.perf_counter()
    for i, im in enumerate(images):
        Image.fromarray((im * 15).astype(np.uint8)).resize((64, 64), Image.Resampling.NEAREST).save(
            folder / f"{i:06}.png"
        )
    write_s = time.perf_counter() - t0
    on_disk = sum(p.stat().st_size for p in folder.iterdir())
    decoded = n_files * 64 * 64  # bytes if every image were held as 8-bit pixels
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    w = ImageLabeler(folder, labels=list(range(10)), store=":memory:")
    w.wait()
    open_s = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    w.session.close()
    return {
        "files": n_files,
        "write_s": write_s,
        "open_s": open_s,
        "disk_mb": on_disk / 2**20,
        "decoded_mb": decoded / 2**20,
        "growth_mb": max(0, peak - before) / 2**20,
        "features_mb": w.pool.features.nbytes / 2**20,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pool", type=int, default=100_000)
    ap.add_argument("--labels", type=int, default=200)
    ap.add_argument("--retrains", type=int, default=5)
    ap.add_argument("--folder", type=int, default=100_000)
    ap.add_argument(
        "--peer-pool", type=int, default=10_000, help="superintendent's pool: at 100k its queue alone takes minutes"
    )
    ap.add_argument("--quick", action="store_true", help="10k pool, 50 labels, 2 retrains, 5k files")
    args = ap.parse_args()
    if args.quick:
        args.pool, args.labels, args.retrains, args.folder = 10_000, 50, 2, 5_000
    torch.set_num_threads(1)
    images, truth = digit_pool(args.pool)
    with threadpool_limits(1), tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mem = memory_for_folder(args.folder, tmp)  # first: the process's peak memory is still low
        print(f"folder: {mem}", flush=True)
        ours = time_hitl(images, truth, args.labels, tmp / "labels.db")
        print(f"hitl_widgets: median {ours['median']:.1f} ms, p95 {ours['p95']:.1f} ms", flush=True)
        n_peer = min(args.peer_pool, args.pool)
        ours_small = time_hitl(images[:n_peer], truth[:n_peer], 50, tmp / "small.db")
        peer = time_superintendent(images[:n_peer], truth[:n_peer], 70, args.retrains)
        if peer:
            print(f"superintendent: median {peer['median']:.0f} ms, p95 {peer['p95']:.0f} ms", flush=True)

    lines = [
        "# ImageLabeler: label -> update -> re-rank",
        "",
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, torch {torch.__version__}, "
        "1 thread. `python benchmarks/image_labeler.py`",
        "",
        f"Pool: {args.pool:,} noisy 8x8 digits (64 pixel features), 10 labels, margin sampling.",
        "",
        "| | per | median ms | p95 ms | runs |",
        "|---|---|---|---|---|",
        f"| hitl_widgets `label` + `wait` (commit, learn, re-rank, encode) | label | {ours['median']:.1f} | "
        f"{ours['p95']:.1f} | {ours['n']} |",
    ]
    if peer:
        lines += [
            "",
            f"Side by side with superintendent on {n_peer:,} of those images, after 70 labels:",
            "",
            "| | per | median ms | p95 ms | runs |",
            "|---|---|---|---|---|",
            f"| hitl_widgets `label` + `wait` | label | {ours_small['median']:.1f} | {ours_small['p95']:.1f} | "
            f"{ours_small['n']} |",
            f"| superintendent 0.6 `retrain` (refit + 3-fold CV + margin re-order) | button press | "
            f"{peer['median']:.0f} | {peer['p95']:.0f} | {peer['n']} |",
        ]
    lines += [
        "",
        f"Parts (medians): store commit {ours['commit']:.1f} ms, learner update {ours['learn']:.2f} ms, "
        f"re-rank of the pool {ours['rank']:.1f} ms.",
    ]
    if peer:
        lines += [
            "",
            f"superintendent's queue took {peer['setup_s']:.1f} s to build. "
            f"Ratio of medians: {peer['median'] / ours_small['median']:.0f}x "
            "(superintendent updates only when its retrain button is pressed; hitl_widgets after every label).",
        ]
    lines += [
        "",
        f"Folder of {mem['files']:,} PNG files (64x64; {mem['disk_mb']:.0f} MB on disk, "
        f"{mem['decoded_mb']:.0f} MB as decoded pixels): opened in {mem['open_s']:.1f} s; peak memory grew "
        f"{mem['growth_mb']:.0f} MB, of which the feature matrix is {mem['features_mb']:.0f} MB "
        "(float32 pixels of 16x16 thumbnails).",
    ]
    out = Path(__file__).parent / "results" / "image_labeler.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""What a label's identity costs: content hashes, finding a pool's namespace, reading its labels back.

For texts (generated SMS messages), table rows (the wine table's rows, each
with a row number) and 8x8 images (noisy digits), at pool sizes from 10,000
to 1,000,000 items (rows to 200,000), with a SQLite file holding 1,000 labels:

* **hash**: one item's content hash (µs), what a label or skip adds to its
  commit;
* **open, own labels**: finding the pool's namespace and reading its 1,000
  labels back (each checked against the content at its id), in a store that
  also holds another pool's 1,000 labels (the default store of a folder);
* **open, a new pool**: the store holds only another pool's 1,000 labels,
  none at its ids, so the whole pool is hashed once to be sure its content is
  not elsewhere (then it gets a namespace of its own);
* **open, reordered**: the same items shuffled: the whole pool is hashed once
  and the 1,000 labels follow their content to its new rows;
* **index**: the memory the whole-pool hash index takes.

Run ``python benchmarks/identity.py [--sizes 10000,100000,1000000]``; writes
``benchmarks/results/identity.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, load_wine

from hitl_widgets.data import Pool
from hitl_widgets.data.items import item_pool
from hitl_widgets.data.sms import sms_spam
from hitl_widgets.sessions.pool.answers import Answers
from hitl_widgets.sessions.pool.namespace import open_pool_store
from hitl_widgets.store import LabelStore

LABELED = 1_000
MAX_ROWS = 200_000  # a million dicts would take gigabytes before any hashing


def texts(n: int, seed: int = 1) -> Pool:
    return item_pool([f"{x} #{i}" for i, (x, _) in enumerate(sms_spam(n, seed=seed))], "text")


def rows(n: int, seed: int = 1) -> Pool:
    wine = load_wine(as_frame=True).frame.drop(columns="target").to_dict(orient="records")
    return Pool(np.zeros((n, 1)), [], [], inputs=[{**wine[i % len(wine)], "row": i, "seed": seed} for i in range(n)])


def images(n: int, seed: int = 1) -> Pool:
    d = load_digits()
    rng = np.random.default_rng(seed)
    pixels = np.clip(d.images[rng.integers(0, len(d.images), n)] + rng.normal(0, 0.7, (n, 8, 8)), 0, 16)
    return Pool(np.zeros((n, 1)), [], [], content=lambda row: pixels[row])


def shuffled(pool: Pool, seed: int = 0) -> Pool:
    order = np.random.default_rng(seed).permutation(len(pool))
    old = pool
    return Pool(np.zeros((len(pool), 1)), [], [], content=lambda row: old._content(int(order[row])))


def read_back(store_path: str, pool: Pool) -> tuple[float, int]:
    """Seconds to find the pool's namespace and fold its labels; how many labels it got."""
    t0 = time.perf_counter()
    store = open_pool_store(store_path, pool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answers = Answers.from_log(pool, store.read_log()[0])
    return time.perf_counter() - t0, len(answers.labels)


def write_labels(path: str, pool: Pool, session: str = "default") -> None:
    store = LabelStore(path, session=session)
    for row in np.random.default_rng(1).choice(len(pool), LABELED, replace=False):
        store.record_label(pool.ids[int(row)], "a", item_hash=pool.item_hash(int(row)))


def measure(kind: str, make, n: int) -> dict[str, float]:
    pool = make(n)
    sample = range(0, n, max(1, n // 20_000))
    t0 = time.perf_counter()
    for row in sample:
        pool.item_hash(row)
    hash_us = (time.perf_counter() - t0) / len(sample) * 1e6
    with tempfile.TemporaryDirectory() as tmp:
        other_pool = make(max(LABELED, n // 10), seed=2)
        own = f"{tmp}/own.db"
        write_labels(own, pool)
        write_labels(own, other_pool, session="pool-other")
        own_s, got = read_back(own, make(n))
        assert got == LABELED, got

        other = f"{tmp}/other.db"
        write_labels(other, other_pool, session="pool-other")
        other_s, got_other = read_back(other, make(n))  # a store given by path: 'default' is free, so it is used
        assert got_other == 0

        moved = shuffled(make(n))
        moved_s, got_moved = read_back(own, moved)
        assert got_moved == LABELED, got_moved
        index_mb = sum(a.nbytes for a in moved._by_hash) / 2**20
    return {"kind": kind, "n": n, "hash_us": hash_us, "own_s": own_s, "other_s": other_s, "moved_s": moved_s,
            "index_mb": index_mb}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for kind, make in (("texts", texts), ("8x8 images", images), ("rows", rows)):
        for n in sizes:
            if kind == "rows" and n > MAX_ROWS:
                continue
            r = measure(kind, make, n)
            print(r, flush=True)
            results.append(r)
    text = report(results)
    print(text)
    (Path(__file__).parent / "results" / "identity.md").write_text(text)


def report(results: list[dict[str, float]]) -> str:
    lines = [
        "# What a label's identity costs",
        "",
        f"`python benchmarks/identity.py` on {platform.processor() or platform.machine()}, Python "
        f"{sys.version.split()[0]}; a SQLite file holding {LABELED:,} labels; times are one run each.",
        "",
        "| items | pool | hash one item (µs) | open: its own labels (s) | open: a new pool (s) "
        "| open: reordered, labels follow (s) | whole-pool index (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['kind']} | {r['n']:,} | {r['hash_us']:.1f} | {r['own_s']:.3f} | {r['other_s']:.2f} "
            f"| {r['moved_s']:.2f} | {r['index_mb']:.1f} |"
        )
    per_item = statistics.median(r["other_s"] / r["n"] * 1e6 for r in results)
    lines += [
        "",
        f"Hashing the whole pool (only for a new pool in a store that holds others, or when a stored "
        f"answer's content is not at its id) costs about {per_item:.1f} µs an item at the median over these rows.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

"""A team on one PostgreSQL pool: ``next()`` + ``label()`` per annotator with 1, 4 and 8 at once.

Each annotator is its own process with a :class:`~hitl_widgets.team.TeamQueue` over a
:class:`~hitl_widgets.Session` (2,000 points in two blobs, the labelers' default torch head, margin
sampling, overlap 10%) on a PostgreSQL server this script starts (Debian's binaries). One step =
``next()`` (learn the team's new labels, rank, lease) and ``label()`` (commit, learn). Reported: the
step's median and p95 over every annotator's steps, and labels per second in total. Target (issue 15):
p95 <= 20 ms with 8 annotators.

Run ``python benchmarks/team.py [--labels 100]``; writes ``benchmarks/results/team.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))
from postgres_server import running_postgres  # noqa: E402

ANNOTATOR = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    from hitl_widgets import LabelStore, Session
    from hitl_widgets.learners.torch_classifier import default_learner
    from hitl_widgets.team import TeamQueue
    url, name, n, session = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (1000, 2)), rng.normal(2, 1, (1000, 2))]
    truth = ["a"] * 1000 + ["b"] * 1000
    s = Session(X, default_learner(2, ["a", "b"]), "margin", LabelStore(url, session=session), classes=["a", "b"],
                annotator=name)
    team = TeamQueue(s, overlap=0.1, poll=1.0)
    print("READY", flush=True)
    sys.stdin.readline()                      # everyone starts together
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        items = team.next()
        if not items:
            break
        team.label(items[0], truth[items[0]])
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps(times), flush=True)
""")


def run(url: str, n_annotators: int, labels: int) -> tuple[list[float], float]:
    session = f"bench{n_annotators}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ANNOTATOR, url, f"a{i}", str(labels), session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(n_annotators)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    t0 = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    times = []
    for p in procs:
        times += json.loads(p.stdout.readline())
        p.wait(60)
    return times, len(times) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=int, default=100, help="labels per annotator")
    args = ap.parse_args()
    started = time.time()
    rows = []
    with running_postgres() as url:
        for n in (1, 4, 8):
            times, rate = run(url, n, args.labels)
            p50, p95 = np.median(times), np.percentile(times, 95)
            rows.append(f"| {n} | {len(times)} | {p50:.1f} | {p95:.1f} | {rate:.0f} |")
    report = "\n".join([
        "# benchmarks/team.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {args.labels} labels per annotator, "
        f"each annotator its own process, PostgreSQL on the same machine; took {time.time() - started:.0f} s. "
        "`python benchmarks/team.py`",
        "",
        "| annotators at once | steps | next() + label() median ms | p95 ms | labels/s in total |",
        "|---|---|---|---|---|",
        *rows,
    ])  # fmt: skip
    out = Path(__file__).parent / "results" / "team.md"
    out.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()

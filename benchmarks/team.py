"""A team on one PostgreSQL pool: ``next()`` + ``label()`` per annotator with 1, 4 and 8 at once.

Each annotator is its own process with a :class:`~hitl_widgets.team.TeamQueue` over a
:class:`~hitl_widgets.Session` on a PostgreSQL server this script starts (Debian's binaries), over
**points** (2,000 in two blobs, the labelers' default torch head, margin sampling, overlap 10%) or
**texts** (1,500 SMS messages, the text labeler's default: river's bag of words and logistic
regression, margin sampling, overlap 20%). One step = ``next()`` (learn the team's new labels, rank,
lease) and ``label()`` (commit, learn). Reported: the step's median and p95 over every annotator's
steps, and labels per second in total. Targets: p95 <= 20 ms with 8 annotators (issue 15, points),
and the same on texts (issue 32).

Two ways: **as the labelers run it** (a :class:`~hitl_widgets.team.TeamLabelQueue` over a session in
the background: a label commits and the next item, leased ahead, is on screen; the worker learns the
labels and leases the next items meanwhile; timed: ``label()`` until the next item is current), and
**headless** (a :class:`TeamQueue` step with everything inline: the team's new labels learned, the
ranking, the lease, the commit, the learning).

Two paces: **as people label** (each annotator looks at the item for 0.5 to 1.5 s before answering,
drawn at random: a fast annotator) and **back to back** (no time to look: a stress test, where on
this 2-core machine eight annotator processes and the server share two cores, so it measures the CPU
they queue for as much as the coordination).

Run ``python benchmarks/team.py [--labels 100] [--only texts]``; writes ``benchmarks/results/team.md``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gmm_speed import machine_probe_us  # noqa: E402

# Both scripts build one annotator's session the same way: 2,000 points in two blobs with the labelers'
# default torch head, or 1,500 SMS texts with the text labeler's default (river's bag of words and logistic
# regression): what `Labeler(texts, labels=["ham", "spam"], store=url, annotator=...)` runs.
SESSION = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    from hitl_widgets import LabelStore, Session
    url, name, n, session, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[6]
    look = [float(v) for v in sys.argv[5].split(",")]    # seconds a person looks at an item: low, high
    pace = np.random.default_rng(int(name[1:]))
    store = LabelStore(url, session=session)
    if kind == "texts":
        from hitl_widgets.data.sms import sms_spam
        from hitl_widgets.sessions.pool.builders import item_session
        texts, truth = zip(*sms_spam(1500, seed=0))
        s = item_session(list(texts), labels=["ham", "spam"], store=store, annotator=name, background=BACKGROUND)
        overlap = 0.2
    else:
        from hitl_widgets.learners.torch_classifier import default_learner
        rng = np.random.default_rng(0)
        X = np.r_[rng.normal(-2, 1, (1000, 2)), rng.normal(2, 1, (1000, 2))]
        truth = ["a"] * 1000 + ["b"] * 1000
        s = Session(X, default_learner(2, ["a", "b"]), "margin", store, classes=["a", "b"], annotator=name,
                    background=BACKGROUND)
        overlap = 0.1
""")

ANNOTATOR = SESSION.replace("BACKGROUND", "False") + textwrap.dedent("""
    from hitl_widgets.team import TeamQueue
    team = TeamQueue(s, overlap=overlap, poll=1.0)
    print("READY", flush=True)
    sys.stdin.readline()                      # everyone starts together
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        items = team.next()
        if not items:
            break
        t1 = time.perf_counter()
        if look[1] > 0:
            time.sleep(pace.uniform(*look))      # the person looks at the item, then answers
        t2 = time.perf_counter()
        team.label(items[0], truth[items[0]])
        times.append((t1 - t0 + time.perf_counter() - t2) * 1e3)
    print(json.dumps(times), flush=True)
""")

# As the labelers run it: a TeamLabelQueue over a session in the background. The item on screen and the
# next ones are leased ahead; a label commits, moves to the next leased item and returns, while the worker
# learns it, learns the team's labels (PostgreSQL says when they arrive) and leases the next ones.
LABELER = SESSION.replace("BACKGROUND", "True") + textwrap.dedent("""
    from hitl_widgets.team import TeamLabelQueue
    q = TeamLabelQueue(s, overlap=overlap, poll=1.0)
    q.wait()
    print("READY", flush=True)
    sys.stdin.readline()
    times = []
    for _ in range(n):
        time.sleep(pace.uniform(*look))          # the person looks at the item on screen, then answers
        item = q.current
        if item is None:
            break
        t0 = time.perf_counter()
        q.label(truth[item])                     # committed; the next leased item is on screen
        while q.current is None or q.current == item:
            time.sleep(0.0005)
        times.append((time.perf_counter() - t0) * 1e3)
    q.wait()
    q.close()
    print(json.dumps(times), flush=True)
""")


def run(
    url: str, n_annotators: int, labels: int, look: tuple[float, float], script: str, kind: str
) -> tuple[list[float], float]:
    session = f"bench{n_annotators}-{look[1]}-{len(script)}-{kind}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, f"a{i}", str(labels), session, f"{look[0]},{look[1]}", kind],
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
        p.wait(600)
    return times, len(times) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=int, default=100, help="labels per annotator")
    ap.add_argument("--only", default="", help='the rows whose "what, items, pace" holds this text, e.g. "texts"')
    args = ap.parse_args()
    started = time.time()
    rows = []
    people, stress = (0.5, 1.5), (0.0, 0.0)
    labeler = "labeler (`label()` to the next item on screen)"
    headless = "headless (`next()` + `label()`, learning inline)"
    runs = [
        (labeler, "points", "as people label", people, LABELER),
        (labeler, "texts", "as people label", people, LABELER),
        (headless, "points", "as people label", people, ANNOTATOR),
        (headless, "texts", "as people label", people, ANNOTATOR),
        (headless, "points", "back to back (stress)", stress, ANNOTATOR),
    ]
    if args.only:
        runs = [r for r in runs if args.only in f"{r[0]} {r[1]} {r[2]}"]
    with running_postgres() as url:
        for how, kind, pace, look, script in runs:
            for n in (1, 4, 8):
                probe = machine_probe_us()
                times, rate = run(url, n, args.labels, look, script, kind)
                p50, p95, worst = np.median(times), np.percentile(times, 95), max(times)
                rows.append(
                    f"| {how} | {kind} | {pace} | {n} | {len(times)} | {p50:.1f} | {p95:.1f} | {worst:.0f} "
                    f"| {rate:.1f} | {probe:.1f} / {machine_probe_us():.1f} |"
                )
    report = "\n".join([
        "# benchmarks/team.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {args.labels} labels per annotator, "
        f"each annotator its own process, PostgreSQL on the same machine; took {time.time() - started:.0f} s. "
        "`python benchmarks/team.py`",
        "",
        "The time a person looks at the item is not counted: a step is the kernel's work in `next()` and",
        "`label()`.",
        "",
        "The machine probe (`benchmarks/gmm_speed.py`: microseconds of a fixed tiny numpy expression, before /",
        "after each row) says how fast this shared virtual machine was: rows are comparable between runs only",
        "where it read alike.",
        "",
        "| what is timed | items | pace | annotators at once | steps | median ms | p95 ms | max ms | labels/s in total "
        "| machine probe us |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])  # fmt: skip
    out = Path(__file__).parent / "results" / "team.md"
    out.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()

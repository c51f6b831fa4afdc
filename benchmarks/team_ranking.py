"""What one team step's ranking costs as the team's log grows (no server: SQLite, one process).

A :class:`~hitl_widgets.team.TeamQueue` ranks the pool for its annotator among the unlabeled items and the
overlap items others labeled that still want a second answer. This times ``TeamQueue._ranked`` (what
``next()`` ranks with, before it leases) on a 10,000-item pool with 0 to 4,000 labels given by seven other
annotators, overlap 10%, the labelers' default torch head and margin sampling; medians over 30 calls.

Run ``python benchmarks/team_ranking.py``; writes ``benchmarks/results/team_ranking.md``.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import numpy as np

from hitl_widgets import LabelStore, Session
from hitl_widgets.learners.torch_classifier import default_learner
from hitl_widgets.team import TeamQueue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gmm_speed import machine_probe_us  # noqa: E402

POOL = 10_000
CANDIDATES = 68  # what next(1) asks the ranking for: 4 k + 64


def ranking_ms(team_labels: int, repeats: int = 30) -> float:
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-2, 1, (POOL // 2, 2)), rng.normal(2, 1, (POOL // 2, 2))]
    store = LabelStore(":memory:", session="team")
    for item in rng.choice(POOL, team_labels, replace=False).tolist():
        store.record_label(item, "a" if item < POOL // 2 else "b", annotator=f"member{item % 7}")
    session = Session(X, default_learner(2, ["a", "b"]), "margin", store, classes=["a", "b"], annotator="me")
    team = TeamQueue(session, overlap=0.1)
    team._ranked(CANDIDATES)  # the step's ranking alone, as next() runs it
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        team._ranked(CANDIDATES)
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


def main() -> None:
    started = time.time()
    rows = [f"| {n:,} | {ranking_ms(n):.2f} |" for n in (0, 500, 1000, 2000, 4000)]
    report = "\n".join([
        "# benchmarks/team_ranking.py",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, machine probe "
        f"{machine_probe_us():.1f} us; took {time.time() - started:.0f} s. `python benchmarks/team_ranking.py`",
        "",
        f"A {POOL:,}-item pool, overlap 10%: one step's ranking (`TeamQueue._ranked({CANDIDATES})`), median ms.",
        "",
        "| labels by 7 other annotators | ranking ms |",
        "|---|---|",
        *rows,
    ])  # fmt: skip
    out = Path(__file__).parent / "results" / "team_ranking.md"
    out.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()

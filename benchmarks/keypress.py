"""What one key press costs the kernel, and how many state updates it sends, in ImageLabeler.

The page's label message (``{"type": "label", "key", "cls", "next", "seq"}``) is
delivered through the widget's comm exactly as the kernel's comm manager
delivers it (a recording comm stands in for the websocket). Timed: the
handler's kernel time until it returns (the label committed to SQLite, the
next item on screen); counted: the state updates it sent up to the one that
acknowledges ``seq``, and the ones the re-ranking sends after it. 10,000 noisy
digits, margin, 200 key presses after 20 warm-up labels, 1 thread.

Run from a checkout: ``python benchmarks/keypress.py``. To measure another
version (the one before the redesign), point ``PYTHONPATH`` at its checkout:
``git worktree add /tmp/before <commit>`` then
``PYTHONPATH=/tmp/before python benchmarks/keypress.py --name before``.
Each run appends its line to ``benchmarks/results/keypress.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import comm
import numpy as np
import torch
from comm.base_comm import BaseComm
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits


class RecordingComm(BaseComm):
    def __init__(self, **kw):
        self.sent: list[tuple[str, dict]] = []
        super().__init__(**kw)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        self.sent.append((msg_type, data or {}))


def updates(sent: list[tuple[str, dict]]) -> list[dict]:
    return [d.get("state", {}) for kind, d in sent if kind == "comm_msg" and d.get("method") == "update"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", default="now")
    ap.add_argument("--pool", type=int, default=10_000)
    ap.add_argument("--presses", type=int, default=200)
    args = ap.parse_args()
    comm.create_comm = lambda **kw: RecordingComm(**kw)
    from hitl_widgets import ImageLabeler

    torch.set_num_threads(1)
    d = load_digits()
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(d.images), args.pool)
    images = np.clip(d.images[idx] + rng.normal(0, 0.7, (args.pool, 8, 8)), 0, 16)
    truth = d.target[idx]
    labels = list(range(10))
    with threadpool_limits(1), tempfile.TemporaryDirectory() as tmp:
        w = ImageLabeler(images, labels=labels, store=str(Path(tmp) / "k.db"))
        w.wait()
        seq = 0
        handler_ms, before_ack, after_ack = [], [], []
        for i in range(20 + args.presses):
            key = w.item["key"]
            nxt = w.queue[0]["key"] if w.queue else None
            seq += 1
            w.comm.sent.clear()
            t0 = time.perf_counter()
            w._handle_msg(
                {
                    "content": {
                        "data": {
                            "method": "custom",
                            "content": {"type": "label", "key": key, "cls": int(truth[key]), "next": nxt, "seq": seq},
                        }
                    },
                    "buffers": [],
                }
            )
            elapsed = (time.perf_counter() - t0) * 1e3
            w.wait()
            sent = updates(w.comm.sent)
            acked = next(j for j, s in enumerate(sent) if s.get("_ack") == seq)
            if i >= 20:
                handler_ms.append(elapsed)
                before_ack.append(acked + 1)
                after_ack.append(len(sent) - acked - 1)
    package = Path(sys.modules["hitl_widgets"].__file__).parent.parent
    line = (
        f"| {args.name} | {package} | {statistics.median(handler_ms):.1f} "
        f"/ {np.percentile(handler_ms, 95):.1f} | {statistics.median(before_ack):.0f} (max {max(before_ack)}) | "
        f"{statistics.median(after_ack):.0f} |"
    )
    print(line)
    out = Path(__file__).parent / "results" / "keypress.md"
    if not out.exists():
        out.write_text(
            "# benchmarks/keypress.py\n\nImageLabeler, 10,000 noisy digits, margin, 200 key presses, 1 thread. "
            "Kernel time of the label message's handler; state updates up to and including the one carrying "
            "the acknowledgement; updates the re-ranking sends afterwards.\n\n"
            "| version | package | handler ms median / p95 | updates up to the ack | updates after (re-ranking) |\n"
            "|---|---|---|---|---|\n"
        )
    with out.open("a") as f:
        f.write(line + "\n")


if __name__ == "__main__":
    main()

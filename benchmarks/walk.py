"""The walk of one key press and one click through the kernel: which package files it enters, how often, and
what goes back to the page.

Issue 34 asked that the key ``2`` in ``ImageLabeler`` and a click on ``GMMCanvas`` enter each file at most once
on the way down and once on the way back. This counts, with ``sys.setprofile`` on the kernel's thread while
the page's message is handled (the re-ranking and learning threads are waited for, not traced):

- files: the package's files the handler's calls enter, in the order first entered;
- entries: how many times the walk comes into each file from another one (a call from file A into file B,
  and B's return back into A, count one entry of B); "from the layers" counts only the entries whose caller
  is not inside ``learners/`` (a model's own parts calling each other: a classifier asks each class's
  mixture, a mixture's step calls its statistics and its maths);
- messages: what the kernel sends to the page for that one action (synced updates and custom messages).

    python benchmarks/walk.py            # writes benchmarks/results/walk.md
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import comm
import numpy as np
from comm.base_comm import BaseComm

import hitl_widgets

ROOT = Path(hitl_widgets.__file__).parent


class Recording(BaseComm):
    def __init__(self, **kw):
        self.sent: list[tuple[str, dict, list]] = []
        super().__init__(**kw)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        self.sent.append((msg_type, data or {}, buffers or []))


comm.create_comm = lambda **kw: Recording(**kw)


def trace(handle) -> tuple[list[str], Counter, Counter]:
    """Files of the package entered while ``handle()`` runs, the number of entries into each, and the number
    of those whose caller is outside ``learners/``."""
    order: list[str] = []
    entries: Counter = Counter()
    from_layers: Counter = Counter()
    stack: list[str | None] = []

    def profile(frame, event, _arg):
        if event == "call":
            name = frame.f_code.co_filename
            here = str(Path(name).relative_to(ROOT)) if name.startswith(str(ROOT)) else None
            caller = next((f for f in reversed(stack) if f is not None), None)
            if here is not None and here != caller:
                entries[here] += 1
                if caller is None or not caller.startswith("learners/"):
                    from_layers[here] += 1
                if here not in order:
                    order.append(here)
            stack.append(here if here is not None else caller)
        elif event == "return" and stack:
            stack.pop()

    sys.setprofile(profile)
    try:
        handle()
    finally:
        sys.setprofile(None)
    return order, entries, from_layers


def from_page(widget, message: dict) -> None:
    """Deliver ``message`` as the kernel's comm manager does when the page sends it."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": message}}, "buffers": []})


def messages(widget) -> dict[str, int]:
    kinds = Counter()
    for kind, data, _ in widget.comm.sent:
        if kind == "comm_msg":
            kinds[data.get("method", "?")] += 1
    return dict(kinds)


def key_press() -> tuple[list[str], Counter, Counter, dict[str, int]]:
    from sklearn.datasets import load_digits

    from hitl_widgets import ImageLabeler

    digits = load_digits()
    w = ImageLabeler(digits.images[:200], labels=list(range(10)), store=":memory:")
    for _ in range(5):
        w.label(int(digits.target[w.session.pool.index_of(w.label_queue.current)]))
    w.wait()
    w.comm.sent.clear()
    current = w.item["key"]
    message = {"type": "label", "key": current, "cls": 2, "next": None, "seq": 99}
    walk = trace(lambda: from_page(w, message))
    w.wait()
    return (*walk, messages(w))


def click() -> tuple[list[str], Counter, Counter, dict[str, int]]:
    from hitl_widgets import GMMCanvas

    w = GMMCanvas(classes=["a", "b"], idle_check=False)
    rng = np.random.default_rng(0)
    w.add_points(np.r_[rng.normal(-3, 1, (50, 2)), rng.normal(3, 1, (50, 2))], ["a"] * 50 + ["b"] * 50)
    w.comm.sent.clear()
    message = {"type": "add", "points": [[3.5, 2.5]], "label": 1, "stroke": None, "seq": 99}
    walk = trace(lambda: from_page(w, message))
    return (*walk, messages(w))


def report() -> str:
    lines = ["# The walk of one key press and one click (benchmarks/walk.py)", ""]
    walks = [
        ("key `2` in ImageLabeler (label the item on screen)", key_press),
        ("a click on GMMCanvas (a point of class 2 of two, 100 points on it)", click),
    ]
    for name, run in walks:
        order, entries, from_layers, sent = run()
        lines += [
            f"## {name}",
            "",
            f"{len(order)} package files entered; at most {max(from_layers.values())} entries into one file from the "
            f"layers, {max(entries.values())} counting the model's own parts; messages to the page: {sent}",
            "",
            "| file | entries from the layers | all entries |",
            "|---|---|---|",
            *[f"| `{f}` | {from_layers[f]} | {entries[f]} |" for f in order],
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    text = report()
    out = Path(__file__).parent / "results" / "walk.md"
    out.write_text(text + "\n")
    print(text)

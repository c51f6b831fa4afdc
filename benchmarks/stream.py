"""Stream gating speed side by side with river's own EntropySampler loop, and a 100k fast-forward in the widget.

1. **Per item**, on 100,000 generated SMS messages, with a bag-of-words +
   logistic-regression model trained on 2,000 messages first (each loop starts
   from the same pickled copy, and the gates are seeded alike, so every loop
   asks about the same items; the benchmark checks that):

   * river, no gate: ``predict_proba_one`` + argmax + ``Accuracy.update``;
   * river's own active-learning loop: ``EntropySampler.predict_one`` +
     ``Accuracy.update``, ``learn_one`` on an ask (the loop in river's docs);
   * ``StreamSession.walk`` with the same ``EntropySampler``, the truth answering
     each ask (this includes what an ask costs here: the SQLite commit of the
     answer and the snapshot of model, gate and metrics);
   * ``StreamSession.walk`` with :class:`ThresholdGate`.

   The target: the session adds at most 10 us per item over river's loop.

2. **Responsiveness** while a ``StreamLabeler`` fast-forwards 100,000 confident
   items in its background thread: how late the kernel's main thread wakes from
   5 ms sleeps (what a message from the page waits for the GIL), how long
   ``pause()`` takes to stop the walk, and the progress pushes per second.

Medians of interleaved rounds, 1 thread. Run: ``python benchmarks/stream.py [--quick]``;
writes ``benchmarks/results/stream.md``.
"""

from __future__ import annotations

import argparse
import pickle
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import river
from river import active, metrics
from threadpoolctl import threadpool_limits

import hitl_widgets
from hitl_widgets import StreamSession, ThresholdGate, sms_spam
from hitl_widgets.learners.river_defaults import default_stream_learner
from hitl_widgets.samplers.gates import decide

CLASSES = ["ham", "spam"]


def trained_model(train: list[tuple[str, str]]) -> bytes:
    model = default_stream_learner("text")
    for x, y in train:
        model.learn_one(x, y)
    return pickle.dumps(model)


def river_no_gate(blob: bytes, stream) -> tuple[float, int]:
    model, metric = pickle.loads(blob), metrics.Accuracy()
    t0 = time.perf_counter()
    for x, y in stream:
        proba = model.predict_proba_one(x)
        metric.update(y, max(proba, key=proba.get))
    return time.perf_counter() - t0, 0


def river_entropy_loop(blob: bytes, stream, discount: float) -> tuple[float, int]:
    """The loop of river's EntropySampler docs."""
    model = active.EntropySampler(pickle.loads(blob), discount_factor=discount, seed=0)
    metric, asked = metrics.Accuracy(), 0
    t0 = time.perf_counter()
    for x, y in stream:
        y_pred, ask = model.predict_one(x)
        metric.update(y, y_pred)
        if ask:
            asked += 1
            model.learn_one(x, y)
    return time.perf_counter() - t0, asked


def plain_threshold_loop(blob: bytes, stream) -> tuple[float, int]:
    """The same loop as river's, with this package's ThresholdGate asked through ``decide``."""
    learner, gate = pickle.loads(blob), ThresholdGate(threshold=0.9, budget=0.05)
    metric, asked = metrics.Accuracy(), 0
    t0 = time.perf_counter()
    for x, y in stream:
        y_pred, ask = decide(gate, learner, x)
        metric.update(y, y_pred)
        if ask:
            asked += 1
            learner.learn_one(x, y)
    return time.perf_counter() - t0, asked


def session_loop(blob: bytes, stream, gate_kind: str, discount: float) -> tuple[float, int]:
    learner = pickle.loads(blob)
    if gate_kind == "entropy":
        gate = active.EntropySampler(learner, discount_factor=discount, seed=0)
    else:
        gate = ThresholdGate(threshold=0.9, budget=0.05)
    s = StreamSession(stream, learner, gate, CLASSES, ":memory:")
    t0 = time.perf_counter()
    while s.walk() == "ask":
        s.answer(s.pending.truth)
    elapsed = time.perf_counter() - t0
    assert s.metrics.seen == len(stream) and not s.error
    return elapsed, s.metrics.labeled


def per_item(n: int, rounds: int, discount: float) -> list[dict]:
    data = sms_spam(n + 2000, drift_at=None, seed=1)
    blob, stream = trained_model(data[:2000]), data[2000:]
    runs = {
        "river: predict + metric, no gate": lambda: river_no_gate(blob, stream),
        "river: EntropySampler loop (river's docs)": lambda: river_entropy_loop(blob, stream, discount),
        "hitl_widgets: StreamSession, EntropySampler": lambda: session_loop(blob, stream, "entropy", discount),
        "plain loop: ThresholdGate(0.9, budget 5%)": lambda: plain_threshold_loop(blob, stream),
        "hitl_widgets: StreamSession, ThresholdGate(0.9, budget 5%)": lambda: session_loop(
            blob, stream, "threshold", discount
        ),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    asks: dict[str, int] = {}
    for _ in range(rounds):
        for name, run in runs.items():
            seconds, asked = run()
            times[name].append(seconds)
            asks[name] = asked
    names = list(runs)
    assert asks[names[1]] == asks[names[2]] and asks[names[3]] == asks[names[4]], f"the loops asked differently: {asks}"
    return [{"loop": k, "us_per_item": statistics.median(v) / n * 1e6, "asked": asks[k]} for k, v in times.items()]


def responsiveness(n: int, rounds: int) -> dict:
    from hitl_widgets import StreamLabeler

    warm = [("see you at 7", "ham"), ("WIN a FREE prize, call 0800 now", "spam")] * 3
    stream = warm + [("see you at 7 at the station", "ham")] * n
    lags, pauses, pushes, rates = [], [], [], []
    for _ in range(rounds):
        gate = ThresholdGate(threshold=0.9, budget=1.0, variable=False)  # asks about no confident item
        w = StreamLabeler(stream, gate=gate, classes=CLASSES, store=":memory:")
        w.wait()
        while w.status == "asking":
            w.label(w.session.pending.truth)
            w.wait(0.05)
        changes: list[float] = []
        w.observe(lambda _c, seen=changes: seen.append(time.perf_counter()), names="metrics")
        t0 = time.perf_counter()
        while w.status == "walking" and time.perf_counter() - t0 < 60:
            before = time.perf_counter()
            time.sleep(0.005)
            lags.append((time.perf_counter() - before - 0.005) * 1e3)
        walked = time.perf_counter() - t0
        assert w.status == "end", w.status
        rates.append(n / walked)
        pushes.append(len(changes) / walked)
        # pause: stop a walk that is under way
        w.reset()
        w.wait()
        while w.status == "asking":
            w.label(w.session.pending.truth)
            w.wait(0.05)
        while w.status == "walking" and w.metrics["seen"] < n // 20:
            time.sleep(0.001)
        assert w.status == "walking", w.status
        started = time.perf_counter()
        w.pause()
        pauses.append((time.perf_counter() - started) * 1e3)
        assert w.status == "paused"
        w.close()
    return {
        "items": n,
        "items_per_s": statistics.median(rates),
        "lag_p50_ms": float(np.percentile(lags, 50)),
        "lag_p99_ms": float(np.percentile(lags, 99)),
        "lag_max_ms": float(max(lags)),
        "pause_ms": statistics.median(pauses),
        "pushes_per_s": statistics.median(pushes),
        "samples": len(lags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k items, 1 round (a smoke run)")
    args = parser.parse_args()
    n, rounds = (10_000, 1) if args.quick else (100_000, 5)
    discount = 3.0
    with threadpool_limits(1):
        rows = per_item(n, rounds, discount)
        resp = responsiveness(n, 1 if args.quick else 3)
    river_loop, plain_threshold = rows[1]["us_per_item"], rows[3]["us_per_item"]
    baseline = [river_loop, river_loop, river_loop, plain_threshold, plain_threshold]
    lines = [
        "# Stream gating: per-item cost beside river's own loop, and a 100k fast-forward in the widget",
        "",
        f"`python benchmarks/stream.py{' --quick' if args.quick else ''}` · hitl_widgets {hitl_widgets.__version__}"
        f" · river {river.__version__} · Python {platform.python_version()} · {platform.machine()} · 1 thread",
        "",
        f"{n:,} generated SMS messages, bag of words + logistic regression trained on 2,000 first; "
        f"EntropySampler(discount_factor={discount}, seed=0). Medians of {rounds} interleaved rounds.",
        "",
        "| loop | us / item | vs the plain loop with the same gate | items asked |",
        "|---|---:|---:|---:|",
    ]
    for r, base in zip(rows, baseline, strict=True):
        delta = r["us_per_item"] - base
        lines.append(f"| {r['loop']} | {r['us_per_item']:.1f} | {delta:+.1f} us | {r['asked']:,} |")
    ours = rows[2]["us_per_item"] - river_loop
    per_ask_ms = (rows[4]["us_per_item"] - plain_threshold) * n / max(rows[4]["asked"], 1) / 1e3
    lines += [
        "",
        f"**StreamSession adds {ours:+.1f} us per item over river's EntropySampler loop** (target: at most +10 us).",
        f"An ask costs the session {per_ask_ms:.2f} ms more than the plain loop (the SQLite commit of the answer "
        "and the snapshot of model, gate and metrics that make undo and resume exact); "
        "that is paid once per label a person gives, not per item.",
        "",
        f"## Fast-forwarding {resp['items']:,} confident items in a StreamLabeler",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| items per second (background thread, pushing progress) | {resp['items_per_s']:,.0f} |",
        f"| main thread wake-up delay, p50 (5 ms sleeps, n={resp['samples']}) | {resp['lag_p50_ms']:.2f} ms |",
        f"| main thread wake-up delay, p99 | {resp['lag_p99_ms']:.2f} ms |",
        f"| main thread wake-up delay, max | {resp['lag_max_ms']:.2f} ms |",
        f"| `pause()` while walking, until stopped (median) | {resp['pause_ms']:.1f} ms |",
        f"| progress pushes to the page per second | {resp['pushes_per_s']:.1f} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(__file__).resolve().parent / "results" / "stream.md"
    out.write_text(text)


if __name__ == "__main__":
    main()

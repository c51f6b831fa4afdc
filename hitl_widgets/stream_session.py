"""StreamSession: stream-based active learning, headless (river's loop, with a human as the oracle).

Items flow past an online learner; each gets a prediction, and a gate decides
whether to ask for its label. Confident items are counted and passed on; an
ask stops the walk until :meth:`StreamSession.answer` is called. The truth
``y`` of an ``(x, y)`` item is used for metrics only (progressive validation:
every item is predicted before any label of it is learned).

State (learner, gate, metrics, position, the ask on screen) is saved to the
label store at every ask, so a new process resumes exactly; answers are in
the store's event log before they are learned. Undo restores the state
before the last answer, and the items after it stream past again.
"""

from __future__ import annotations

import itertools
import math
import pickle
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .data.stream_items import MISSING, item_kind, split_item
from .learners.protocol import plain_label
from .samplers.gates import gate_knob, is_river_sampler
from .store import LabelStore

SNAPSHOT_FORMAT = "hitl_widgets.stream/1"
ASK_KEY = "stream/ask/"  # + position: the state while that item waits for its answer
NOW_KEY = "stream/now"  # the state at a pause, the end of the stream or an error
ITEM_KEY = "stream/item/"  # + position: a labeled item and its truth (for export)
CURVE_POINTS = 400
RATE_WINDOW = 200  # items over which the recent label rate is averaged
CHECK_EVERY = 256  # items between looks at the clock and the stop flag


@dataclass
class Ask:
    """An item the walk stopped on: it waits for a label."""

    position: int
    x: Any
    truth: Any
    proba: dict[Hashable, float]
    prediction: Hashable | None
    reason: str  # "gate", "warm-up" or "cold start" (the model cannot predict every class yet)


@dataclass
class StreamMetrics:
    """Counts of the walk, and the curve of accuracy and label rate against items seen."""

    seen: int = 0
    predicted: int = 0  # items passed on the model's prediction
    labeled: int = 0  # answers given
    with_truth: int = 0
    correct: int = 0  # predictions that matched the truth (progressive validation)
    answers_with_truth: int = 0
    answers_agreeing: int = 0  # answers equal to the truth (how noisy the labels are)
    recent_rate: float = 0.0  # share of recent items that were asked about
    curve: list[tuple[int, float, float]] = field(default_factory=list)  # (seen, accuracy, recent rate)
    stride: int = 1

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.with_truth if self.with_truth else None

    @property
    def label_rate(self) -> float:
        return self.labeled / self.seen if self.seen else 0.0

    def point(self) -> tuple[int, float, float]:
        """``(seen, accuracy, recent label rate)`` now; accuracy is NaN while no truth was seen."""
        return (self.seen, self.accuracy if self.accuracy is not None else math.nan, self.recent_rate)

    def curve_to_now(self) -> list[tuple[int, float, float]]:
        """The recorded curve, ending with the point of now."""
        if not self.seen or (self.curve and self.curve[-1][0] == self.seen):
            return list(self.curve)
        return [*self.curve, self.point()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "predicted": self.predicted,
            "labeled": self.labeled,
            "accuracy": self.accuracy,
            "with_truth": self.with_truth,
            "label_rate": self.label_rate,
            "recent_rate": self.recent_rate,
            "answer_agreement": self.answers_agreeing / self.answers_with_truth if self.answers_with_truth else None,
        }


class StreamSession:
    """Walk a stream with an online learner; stop where the gate asks; learn the answers.

    Parameters
    ----------
    stream
        An iterable of ``x`` or ``(x, y)``, or a function returning one. Reset
        and resuming in a new process read it again from the start, so a
        one-shot iterator works only for a single pass.
    learner
        A river classifier; default: a pipeline for the first item's kind (see
        :func:`~hitl_widgets.learners.river_defaults.default_stream_learner`).
    gate
        river's ``active.EntropySampler`` (wrapping ``learner``) or a gate with
        ``ask(proba)`` such as :class:`~hitl_widgets.samplers.gates.ThresholdGate`.
        Default: ``EntropySampler(learner, seed=seed)``.
    classes
        The labels an answer can take.
    warm_up
        The first ``warm_up`` items are all asked, whatever the gate says.

    Examples
    --------
    >>> from hitl_widgets.data.sms import sms_spam
    >>> s = StreamSession(sms_spam(300), classes=["ham", "spam"], store=":memory:")
    >>> s.walk()
    'ask'
    >>> ask = s.pending
    >>> s.answer(ask.truth)
    >>> s.metrics.labeled, s.position > ask.position
    (1, True)
    >>> s.undo().position == ask.position, s.metrics.labeled
    (True, 0)
    """

    def __init__(
        self,
        stream: Iterable[Any] | Callable[[], Iterable[Any]],
        learner: Any = None,
        gate: Any = None,
        classes: Sequence[Hashable] = (),
        store: LabelStore | str = "stream.db",
        *,
        warm_up: int = 0,
        seed: int = 0,
        session: str = "stream",
        undo_depth: int = 20,
        max_history: int = 200_000,
    ):
        self.classes = [plain_label(c) for c in classes]
        self._class_set = set(self.classes)
        if len(self.classes) < 2 or len(set(map(str, self.classes))) != len(self.classes):
            raise ValueError(f"StreamSession: classes must be at least two distinct labels, got {list(classes)}")
        if not isinstance(warm_up, int) or warm_up < 0:
            raise ValueError(f"StreamSession: warm_up must be a whole number >= 0, got {warm_up!r}")
        if gate is not None and not (is_river_sampler(gate) or hasattr(gate, "ask")):
            raise TypeError(
                "StreamSession: gate must be one of river's active samplers or have ask(proba), "
                f"got {type(gate).__name__}"
            )
        if is_river_sampler(gate):
            if learner is not None and gate.classifier is not learner:
                raise ValueError(
                    "StreamSession: the gate wraps a different classifier than learner=; "
                    "pass the learner once, inside the gate or as learner="
                )
            learner = gate.classifier
        self.store = store if isinstance(store, LabelStore) else LabelStore(store, session=session)
        self.warm_up = warm_up
        self.seed = seed
        self.undo_depth = undo_depth
        self.max_history = max_history
        self._stream = stream
        self._opened = False
        try:
            self._given = pickle.dumps((learner, gate))  # what reset() starts again from
        except Exception as exc:
            raise TypeError(
                "StreamSession: the learner and gate must pickle, since their state is saved to the store "
                f"(a lambda inside a pipeline does not; use a def): {exc}"
            ) from exc
        self._knob_value: float | None = None
        self._open_fresh()
        if not self._resume():
            self._start(learner, gate)

    # ------------------------------------------------------------ the walk
    def walk(
        self,
        stop: Callable[[], bool] | None = None,
        on_progress: Callable[[StreamSession], None] | None = None,
        every: float = 0.1,
    ) -> str:
        """Read items until the gate asks (``"ask"``), the stream ends (``"end"``), it fails
        (``"error"``, see :attr:`error`) or ``stop()`` turns true (``"stopped"``).

        ``on_progress(self)`` is called about every ``every`` seconds.
        """
        if self.pending is not None:
            return "ask"
        if self.ended:
            return "end"
        m, classes, warm_up = self.metrics, self._class_set, self.warm_up
        gate, learner = self.gate, self.learner
        river_gate = is_river_sampler(gate)
        read = self._read
        next_report = time.perf_counter() + every
        while True:
            if not self.position % CHECK_EVERY:
                if stop is not None and stop():
                    self._save_now()
                    return "stopped"
                if on_progress is not None and time.perf_counter() >= next_report:
                    on_progress(self)
                    next_report = time.perf_counter() + every
                self._trim_history()
                time.sleep(0)  # in a thread: hand the GIL to the kernel's message loop now and then
            position = self.position
            try:
                raw = read()
            except StopIteration:
                return self._finish("end", "")
            except Exception as exc:  # the user's stream failed: stop, keep every label
                return self._finish("error", f"the stream raised {type(exc).__name__}: {exc} (after item {position})")
            x, y = split_item(raw)
            try:
                if position < warm_up:
                    proba, ask, reason = learner.predict_proba_one(x), True, "warm-up"
                else:
                    if river_gate:  # judge(), inlined: this loop runs for every item
                        proba, ask = gate.predict_proba_one(x)
                    else:
                        proba = learner.predict_proba_one(x)
                        ask = gate.ask(proba)
                    reason = "gate" if ask else ""
                    if not self._knows_all:
                        if classes <= proba.keys():
                            self._knows_all = True
                        else:
                            ask, reason = True, "cold start"
            except Exception as exc:
                self.position = position  # the item stays next: a fixed learner can go on from it
                return self._finish("error", f"the learner failed on item {position}: {type(exc).__name__}: {exc}")
            prediction = max(proba, key=proba.__getitem__) if proba else None
            m.seen += 1
            if y is not MISSING:
                m.with_truth += 1
                m.correct += prediction == y
            m.recent_rate += (ask - m.recent_rate) / (m.seen if m.seen < RATE_WINDOW else RATE_WINDOW)
            if not m.seen % m.stride:
                self._curve_point()
            if ask:
                self.pending = Ask(position, x, y, proba, prediction, reason)
                self._pending_snapshot = self._snapshot()
                self.store.save_state(f"{ASK_KEY}{position:012d}", self._pending_snapshot)
                return "ask"
            m.predicted += 1

    def answer(self, y: Hashable, seconds: float | None = None) -> None:
        """Label the item the walk stopped on: committed to the store, then learned."""
        ask = self.pending
        if ask is None:
            raise ValueError("StreamSession: no item is waiting for a label; call walk() first")
        y = plain_label(y)
        if y not in self.classes:
            raise ValueError(f"StreamSession: {y!r} is not one of the classes {self.classes}")
        top = ask.proba.get(ask.prediction) if ask.prediction is not None else None
        self.store.record_label(
            ask.position, y, strategy=ask.reason, predicted=ask.prediction, score=top, seconds=seconds
        )
        self._learn(ask, y)
        if item_kind(ask.x) != "image":  # the labeled text or fields, for export (images stay in their source)
            self.store.save_state(f"{ITEM_KEY}{ask.position:012d}", pickle.dumps((ask.x, ask.truth)))

    def undo(self) -> Ask | None:
        """Forget the last answer: the model, metrics and position go back to when it was asked.

        Returns that item, waiting for a label again (None when there is nothing to undo).
        """
        if not self._undo:
            if self._undo_limit:
                raise ValueError(f"StreamSession: cannot undo further: {self._undo_limit}")
            return None
        position, snapshot = self._undo.pop()
        record = self.store.undo()
        if record is not None and record.item_id != position:
            raise RuntimeError(f"StreamSession: the store's last event is for item {record.item_id}, not {position}")
        if self.pending is not None:
            self.store.delete_state(f"{ASK_KEY}{self.pending.position:012d}")
        self.store.delete_state(NOW_KEY)
        self._restore(snapshot)
        self._pending_snapshot = snapshot
        self.error = ""
        return self.pending

    def save(self) -> None:
        """Save the state to the store now (it is saved at every ask, pause, end and error anyway)."""
        self._save_now()

    def reset(self) -> None:
        """Start over: a fresh learner and gate, the stream from its start; the answers are marked undone."""
        self.store.undo_all()
        self.store.delete_state("stream/")
        self._open_fresh()
        learner, gate = pickle.loads(self._given)
        self._knob_value = None
        self._start(learner, gate)

    # ------------------------------------------------------------ reading
    @property
    def labels(self) -> dict[int, Hashable]:
        """{stream position: label} of every answer."""
        return self.store.labels()

    def to_dataframe(self):
        """One row per answer: position, item (text or fields), label, truth, the model's prediction and
        confidence when asked, why it was asked, and the seconds taken."""
        import pandas as pd

        rows = []
        for r in self.store.events():
            if r.kind != "label":
                continue
            saved = self.store.load_state(f"{ITEM_KEY}{r.item_id:012d}")
            x, truth = pickle.loads(saved) if saved is not None else (None, MISSING)  # noqa: S301
            rows.append(
                {
                    "position": r.item_id,
                    "item": x,
                    "label": r.label,
                    "truth": None if truth is MISSING else truth,
                    "predicted": r.predicted,
                    "confidence": r.score,
                    "reason": r.strategy,
                    "seconds": r.seconds,
                }
            )
        columns = ["position", "item", "label", "truth", "predicted", "confidence", "reason", "seconds"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def knob(self) -> tuple[str, float, float, float] | None:
        """``(name, low, high, step)`` of the gate's setting for how often it asks."""
        return gate_knob(self.gate)

    @property
    def knob_value(self) -> float | None:
        knob = self.knob
        return None if knob is None else float(getattr(self.gate, knob[0]))

    def set_knob(self, value: float) -> None:
        """Set how often the gate asks (discount factor or budget); it applies from the next item."""
        knob = self.knob
        if knob is None:
            raise ValueError(f"StreamSession: {type(self.gate).__name__} has no discount factor or budget to set")
        name, low, high, _ = knob
        if not low <= float(value) <= high:
            raise ValueError(f"StreamSession: {name} must be in [{low}, {high}], got {value}")
        self._knob_value = float(value)
        setattr(self.gate, name, self._knob_value)

    # ------------------------------------------------------------ internals
    def _start(self, learner: Any, gate: Any) -> None:
        if learner is None:
            from .learners.river_defaults import default_stream_learner

            first = self._peek()
            learner = default_stream_learner(split_item(first)[0])
        if gate is None:
            from river import active

            gate = active.EntropySampler(learner, seed=self.seed)
        self.learner, self.gate = learner, gate
        self.metrics = StreamMetrics()
        self.position = 0
        self.pending: Ask | None = None
        self.ended = False
        self.error = ""
        self._knows_all = False
        self._undo: list[tuple[int, bytes]] = []
        self._undo_limit = ""  # why older answers cannot be undone, once some were let go
        self._pending_snapshot: bytes | None = None

    def _learn(self, ask: Ask, y: Hashable) -> None:
        self.learner.learn_one(ask.x, y)
        m = self.metrics
        m.labeled += 1
        if ask.truth is not MISSING:
            m.answers_with_truth += 1
            m.answers_agreeing += y == ask.truth
        self._undo.append((ask.position, self._pending_snapshot))
        if len(self._undo) > self.undo_depth:
            self._undo_limit = f"undo goes back {self.undo_depth} answers (undo_depth)"
            old, _ = self._undo.pop(0)
            self.store.delete_state(f"{ASK_KEY}{old:012d}")
        self.pending = None
        self._pending_snapshot = None

    def _finish(self, outcome: str, error: str) -> str:
        self.ended = True
        self.error = error
        self._curve_point()
        self._save_now()
        return outcome

    def _curve_point(self) -> None:
        m = self.metrics
        point = m.point()
        if m.curve and m.curve[-1][0] == m.seen:
            m.curve[-1] = point
            return
        m.curve.append(point)
        if len(m.curve) > CURVE_POINTS:
            m.curve[:] = m.curve[1::2]
            m.stride *= 2

    def _snapshot(self) -> bytes:
        anchor = None
        last = self.position - 1 - self._history_base
        if 0 <= last < len(self._history):
            anchor = (self.position - 1, _fingerprint(split_item(self._history[last])[0]))
        state = {
            "format": SNAPSHOT_FORMAT,
            "learner_gate": (self.learner, self.gate),
            "metrics": self.metrics,
            "position": self.position,
            "pending": self.pending,
            "ended": self.ended,
            "error": self.error,
            "knows_all": self._knows_all,
            "anchor": anchor,
        }
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    def _restore(self, snapshot: bytes) -> dict[str, Any]:
        state = pickle.loads(snapshot)  # noqa: S301 - the store is the user's own file (river models pickle)
        if state.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"StreamSession: the store holds state of format {state.get('format')!r}")
        self.learner, self.gate = state["learner_gate"]
        self.metrics = state["metrics"]
        self.position = state["position"]
        self.pending = state["pending"]
        self.ended = state["ended"]
        self.error = state["error"]
        self._knows_all = state["knows_all"]
        if self._knob_value is not None:  # the user's latest setting outlives an undo
            setattr(self.gate, self.knob[0], self._knob_value)
        return state

    def _save_now(self) -> None:
        self.store.save_state(NOW_KEY, self._snapshot())

    def _resume(self) -> bool:
        """Restore the newest saved state and learn an answer given after it; False when nothing is saved."""
        asked = {int(k[len(ASK_KEY) :]): self.store.load_state(k) for k in self.store.state_keys(ASK_KEY)}
        now = self.store.load_state(NOW_KEY)
        if not asked and now is None:
            return False
        newest_ask = max(asked, default=-1)
        if now is not None and pickle.loads(now)["position"] >= newest_ask + 1:  # noqa: S301
            latest = now
        else:
            latest = asked[newest_ask]
        self._undo, self._pending_snapshot, self._undo_limit = [], None, ""
        state = self._restore(latest)
        labels = self.store.labels()
        waiting = self.pending.position if self.pending is not None else self.position
        self._undo = [(p, s) for p, s in sorted(asked.items()) if p < waiting and p in labels]
        start = self._undo[0][0] + 1 if self._undo else self.position
        self._skip_to(min(start, max(self.position - 1, 0)), self.position, state["anchor"])
        if self.pending is not None:
            self._pending_snapshot = asked.get(self.pending.position, latest)
            if self.pending.position in labels:  # answered, then the process died before the next save
                self._learn(self.pending, labels[self.pending.position])
        return True

    # ------------------------------------------------------------ the stream and its history
    def _open_fresh(self) -> None:
        stream = self._stream
        if callable(stream) and not hasattr(stream, "__iter__"):
            stream = stream()
        source = iter(stream)
        if source is stream and self._opened:
            raise ValueError(
                "StreamSession: starting the stream again needs a stream that can be read again: "
                "pass a list, a data set, or a function that returns a new iterator"
            )
        self._opened = True
        self._source: Iterator[Any] = source
        self._history: list[Any] = []  # items read, from position _history_base on (for undo)
        self._history_base = 0

    def _peek(self) -> Any:
        if not self._history:
            try:
                self._history.append(next(self._source))
            except StopIteration:
                raise ValueError("StreamSession: the stream is empty") from None
        return self._history[0]

    def _read(self) -> Any:
        i = self.position - self._history_base
        if i < len(self._history):
            raw = self._history[i]
        else:
            raw = next(self._source)
            self._history.append(raw)
        self.position += 1
        return raw

    def _skip_to(self, start: int, position: int, anchor: tuple[int, str] | None) -> None:
        """Open the stream at ``start`` (kept for undo) and read on to ``position``."""
        self._history_base = start
        self._history = list(itertools.islice(self._source, start, position))
        if len(self._history) < position - start:
            raise ValueError(
                f"StreamSession: the store was saved at item {position}, but the stream has only "
                f"{start + len(self._history)} items: is it the same stream?"
            )
        if anchor is not None and anchor[0] >= start:
            x, _ = split_item(self._history[anchor[0] - start])
            if _fingerprint(x) != anchor[1]:
                raise ValueError(
                    f"StreamSession: item {anchor[0]} of the stream differs from the one saved in the store "
                    "(is it the same stream, in the same order?); pass another store, or reset() to start over"
                )

    def _trim_history(self) -> None:
        if len(self._history) <= self.max_history:
            return
        keep_from = self.position - self.max_history
        kept = [(p, s) for p, s in self._undo if p + 1 >= keep_from]
        if len(kept) < len(self._undo):
            self._undo_limit = f"the stream has moved on more than {self.max_history:,} items (max_history)"
            for p, _ in self._undo[: len(self._undo) - len(kept)]:
                self.store.delete_state(f"{ASK_KEY}{p:012d}")
        self._undo = kept
        if self._undo:
            keep_from = min(keep_from, self._undo[0][0] + 1)
        cut = keep_from - self._history_base
        if cut > 0:
            del self._history[:cut]
            self._history_base = keep_from


def _fingerprint(x: Any) -> str:
    return repr(x)[:300]

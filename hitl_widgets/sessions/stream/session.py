"""StreamSession: stream-based active learning, headless (river's loop, with a human as the oracle).

Items flow past an online learner; each gets a prediction, and a gate decides
whether to ask for its label. Confident items are counted and passed on; an
ask stops the walk until :meth:`StreamSession.answer` is called. The truth
``y`` of an ``(x, y)`` item is used for metrics only (progressive validation:
every item is predicted before any label of it is learned).

Answers are in the store's event log before they are learned, and the
walk's place (position, the item waiting, knob settings) is saved as JSON at
every ask, pause, end and error. A new process resumes exactly by replaying
the stream with the logged answers (:class:`StreamSession`):
nothing read back from the store is unpickled, so a store that others can
write to never runs code here. Undo restores an in-memory copy of the state
before the last answer, and the items after it stream past again.
"""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

from ...data.given import in_words_of
from ...data.stream_items import NO_TRUTH, check_default_input, item_kind, split_item, stream_source
from ...learners.protocol import plain_label
from ...samplers.gates import gate_knob, is_river_sampler, pair_gate
from ...store import LabelStore
from ...store.label_store import namespace_of
from ..labels import check_store_labels
from ..loop import CURVE_POINTS
from .state import (
    ITEM_KEY,
    NOW_KEY,
    Ask,
    SavedPlace,
    StreamMetrics,
    UnreadableState,
    answers_frame,
    item_digest,
    item_to_json,
)

__all__ = ["Ask", "StreamMetrics", "StreamSession"]

KEPT_POINTS = 2 * CURVE_POINTS  # the curve a walk keeps (every other point dropped when full); a chart thins it
RATE_WINDOW = 200  # items over which the recent label rate is averaged
CHECK_EVERY = 256  # items between looks at the clock and the stop flag


class StreamSession:
    """Walk a stream with an online learner; stop where the gate asks; learn the answers.

    Parameters
    ----------
    stream
        An iterable of ``x`` or ``(x, y)``, a DataFrame (its rows as dicts), or a function returning one. Reset
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
    store
        A :class:`LabelStore`, SQLite path or SQLAlchemy URL. Reopened with the
        same stream, learner and gate, the session resumes exactly: the stream
        is walked again to the saved place, learning each logged answer.
    warm_up
        The first ``warm_up`` items are all asked, whatever the gate says.
    namespace
        The part of the store this stream's answers live in (default ``"stream"``; ``session=`` is its older
        name).

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

    @in_words_of("StreamSession")
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
        namespace: str | None = None,
        session: str | None = None,
        undo_depth: int = 20,
        max_history: int = 200_000,
    ):
        stream = stream_source(stream)  # what cannot be a stream is refused before the store opens
        self.classes = [plain_label(c) for c in classes]
        self._class_set = set(self.classes)
        if len(self.classes) < 2 or len(set(map(str, self.classes))) != len(self.classes):
            raise ValueError(f"StreamSession: classes must be at least two distinct labels, got {list(classes)}")
        if not isinstance(warm_up, int) or warm_up < 0:
            raise ValueError(f"StreamSession: warm_up must be a whole number >= 0, got {warm_up!r}")
        learner = pair_gate(learner, gate, where="StreamSession")
        self.store = LabelStore.of(store, namespace_of(namespace, session, "StreamSession", default="stream"))
        self.warm_up = warm_up
        self.seed = seed
        self.undo_depth = undo_depth
        self.max_history = max_history
        self._stream = stream
        self._opened = False
        try:
            self._given = copy.deepcopy((learner, gate))  # what reset() and a resume start again from
        except Exception as exc:
            raise TypeError(
                "StreamSession: the learner and gate must copy (copy.deepcopy), since undo, reset and "
                f"resuming start from copies: {exc}"
            ) from exc
        self._knob_value: float | None = None
        self._knobs: list[list[float]] = []  # [position, value]: the knob's settings on the timeline
        self._replaying = False
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
        return self._walk(stop, on_progress, every, until=-1)

    def _walk(
        self,
        stop: Callable[[], bool] | None,
        on_progress: Callable[[StreamSession], None] | None,
        every: float,
        until: int,
    ) -> str:
        """The walk; with ``until >= 0`` it also returns ``"until"`` before reading item ``until`` (replay)."""
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
            if self.position == until:
                return "until"
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
            if y is not NO_TRUTH and prediction is not None:  # as river's progressive validation counts
                m.progressive.score(y, prediction)
            m.recent_rate += (ask - m.recent_rate) / (m.seen if m.seen < RATE_WINDOW else RATE_WINDOW)
            if not m.seen % m.stride:
                self._curve_point()
            if ask:
                self.pending = Ask(position, x, y, proba, prediction, reason)
                self._pending_snapshot = self._snapshot() if position >= self._snapshot_from else None
                self._save_now()
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
            self.store.save_state(f"{ITEM_KEY}{ask.position:012d}", item_to_json(ask.x, ask.truth))

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
        self._restore(snapshot)
        self._pending_snapshot = snapshot
        self.error = ""
        if self._knob_value is not None:  # the latest setting holds from here on the timeline
            self._knobs = [k for k in self._knobs if k[0] < self.position] + [[self.position, self._knob_value]]
        self._save_now()
        return self.pending

    def save(self) -> None:
        """Save the state to the store now (it is saved at every ask, pause, end and error anyway)."""
        self._save_now()

    def reset(self) -> None:
        """Start over: a fresh learner and gate, the stream from its start; the answers are marked undone."""
        self.store.undo_all()
        self.store.delete_state("stream/")
        self._open_fresh()
        self._knob_value = None
        self._knobs = []
        self._start(*copy.deepcopy(self._given))

    # ------------------------------------------------------------ reading
    @property
    def labels(self) -> dict[int, Hashable]:
        """{stream position: label} of every answer."""
        return self.store.labels()

    def to_dataframe(self):
        """One row per answer: position, item (text or fields), label, truth, the model's prediction and
        confidence when asked, why it was asked, and the seconds taken."""
        return answers_frame(self.store)

    # ------------------------------------------------------------ internals
    def _start(self, learner: Any, gate: Any) -> None:
        if learner is None:
            from ...learners.river_defaults import default_stream_learner

            first = split_item(self._peek())[0]
            check_default_input(first)
            learner = default_stream_learner(first)
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
        self._undo: list[tuple[int, dict[str, Any]]] = []
        self._undo_limit = ""  # why older answers cannot be undone, once some were let go
        self._pending_snapshot: dict[str, Any] | None = None
        self._snapshot_from = 0  # asks from this position on keep a copy of the state for undo

    def _learn(self, ask: Ask, y: Hashable) -> None:
        self.learner.learn_one(ask.x, y)
        m = self.metrics
        m.labeled += 1
        if ask.truth is not NO_TRUTH:
            m.answers_with_truth += 1
            m.answers_agreeing += y == ask.truth
        self._undo.append((ask.position, self._pending_snapshot))
        if len(self._undo) > self.undo_depth:
            self._undo_limit = f"undo goes back {self.undo_depth} answers (undo_depth)"
            self._undo.pop(0)
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
        if len(m.curve) > KEPT_POINTS:
            m.curve[:] = m.curve[1::2]
            m.stride *= 2

    # ------------------------------------------------------------ the stream and its history
    def _open_fresh(self) -> None:
        stream = self._stream
        if callable(stream) and not hasattr(stream, "__iter__"):
            stream = stream()
        source = iter(stream)
        if source is self._stream and self._opened:  # an iterator given itself (a function's is new each time)
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

    def _trim_history(self) -> None:
        if len(self._history) <= self.max_history:
            return
        keep_from = self.position - self.max_history
        kept = [(p, s) for p, s in self._undo if p + 1 >= keep_from]
        if len(kept) < len(self._undo):
            self._undo_limit = f"the stream has moved on more than {self.max_history:,} items (max_history)"
        self._undo = kept
        if self._undo:
            keep_from = min(keep_from, self._undo[0][0] + 1)
        cut = keep_from - self._history_base
        if cut > 0:
            del self._history[:cut]
            self._history_base = keep_from

    @property
    def knob(self) -> tuple[str, float, float, float] | None:
        """``(name, low, high, step)`` of the gate's setting for how often it asks."""
        return gate_knob(self.gate)

    @property
    def knob_value(self) -> float | None:
        """The gate's setting now, or ``None`` when it has none."""
        knob = self.knob
        return None if knob is None else float(getattr(self.gate, knob[0]))

    def check_knob(self, value: float) -> float:
        """``value`` as the gate's setting, or a ``ValueError`` saying why it cannot be one."""
        knob = self.knob
        if knob is None:
            raise ValueError(f"StreamSession: {type(self.gate).__name__} has no discount factor or budget to set")
        name, low, high, _ = knob
        if not low <= float(value) <= high:
            raise ValueError(f"StreamSession: {name} must be in [{low}, {high}], got {value}")
        return float(value)

    def set_knob(self, value: float) -> None:
        """Set how often the gate asks (discount factor or budget); it applies from the next item."""
        self._knob_value = self.check_knob(value)
        setattr(self.gate, self.knob[0], self._knob_value)
        self._knobs.append([self.position, self._knob_value])  # it applies from the next item read
        self._save_now()

    def _snapshot(self) -> dict[str, Any]:
        """A copy of everything undo rolls back (kept in memory only, never stored)."""
        return {
            "learner_gate": copy.deepcopy((self.learner, self.gate)),
            "metrics": copy.deepcopy(self.metrics),
            "position": self.position,
            "pending": self.pending,
            "ended": self.ended,
            "error": self.error,
            "knows_all": self._knows_all,
        }

    def _restore(self, snapshot: dict[str, Any]) -> None:
        self.learner, self.gate = copy.deepcopy(snapshot["learner_gate"])  # the snapshot stays as it was
        self.metrics = copy.deepcopy(snapshot["metrics"])
        self.position = snapshot["position"]
        self.pending = snapshot["pending"]
        self.ended = snapshot["ended"]
        self.error = snapshot["error"]
        self._knows_all = snapshot["knows_all"]
        if self._knob_value is not None:  # the user's latest setting outlives an undo
            setattr(self.gate, self.knob[0], self._knob_value)

    def _save_now(self) -> None:
        if self._replaying:
            return
        anchor = None
        last = self.position - 1 - self._history_base
        if 0 <= last < len(self._history):
            anchor = (self.position - 1, item_digest(split_item(self._history[last])[0]))
        place = SavedPlace(
            position=self.position,
            pending=None if self.pending is None else self.pending.position,
            ended=self.ended,
            error=self.error,
            knobs=self._knobs,
            anchor=anchor,
        )
        self.store.save_state(NOW_KEY, place.to_json())

    def _resume(self) -> bool:
        """Replay the stream to the saved place, learning each logged answer; False when there is nothing."""
        events = self.store.events()
        check_store_labels(events, self.classes, self.store.address)
        answers = {r.item_id: r for r in events if r.kind == "label"}
        saved = self.store.load_state(NOW_KEY)
        if saved is None and not answers:
            return False
        try:
            place = SavedPlace.from_json(saved) if saved is not None else None
        except UnreadableState as exc:
            place = None
            warnings.warn(
                f"StreamSession: the saved place in the store is {exc}; it was not loaded (nothing read from a "
                f"store is unpickled: that can run code). The model is rebuilt from the {len(answers)} answer(s) "
                "in the log, and the walk goes on after the last one.",
                stacklevel=3,
            )
        if place is None:
            place = SavedPlace(position=max(answers, default=-1) + 1)
        self._start(*copy.deepcopy(self._given))
        self._knobs = [list(k) for k in place.knobs]
        if self._knobs:
            self._knob_value = self._knobs[-1][1]
        self._replay(place, answers)
        return True

    def _replay(self, place: SavedPlace, answers: dict[int, Any]) -> None:
        target = max([place.position, *(p + 1 for p in answers)])
        order = sorted(answers)
        self._snapshot_from = order[-self.undo_depth] if len(order) >= self.undo_depth else 0
        knobs = sorted(self._knobs, key=lambda k: k[0])  # stable: the later of two at one position wins
        self._replaying, diverged, k, a = True, 0, 0, 0
        try:
            while self.position < target:
                while k < len(knobs) and knobs[k][0] <= self.position:
                    setattr(self.gate, self.knob[0], knobs[k][1])
                    k += 1
                while a < len(order) and order[a] < self.position:
                    a += 1
                stops = (
                    [target] + ([knobs[k][0]] if k < len(knobs) else []) + ([order[a] + 1] if a < len(order) else [])
                )
                outcome = self._walk(None, None, 0.1, until=min(stops))
                if outcome in ("end", "error"):
                    raise ValueError(
                        f"StreamSession: the store was saved at item {target}, but the stream has only "
                        f"{self.position} items: is it the same stream?"
                    )
                if outcome == "ask":
                    p = self.pending.position
                    if p in answers:
                        self._learn(self.pending, answers[p].label)
                    elif p == place.pending:
                        break  # the item that was waiting waits again
                    else:  # the gate asked where nobody answered: the learner or gate is not deterministic
                        diverged += 1
                        self.pending, self.metrics.predicted = None, self.metrics.predicted + 1
                elif self.position - 1 in answers and self.position - 1 == order[a]:
                    diverged += 1  # the gate let an answered item pass: learn the answer all the same
                    self._learn_passed(self.position - 1, answers[self.position - 1].label)
        finally:
            self._replaying = False
        self._check_anchor(place)
        if self.position == place.position and self.pending is None:
            self.ended, self.error = place.ended, place.error
        if diverged:
            warnings.warn(
                f"StreamSession: replaying the stream, the gate decided differently at {diverged} item(s) "
                "(not the learner and gate the store was labeled with, or one that draws unseeded random "
                "numbers?); every logged answer was learned",
                stacklevel=4,
            )

    def _learn_passed(self, position: int, y: Any) -> None:
        """Learn an answer for an item the replayed gate passed on (counted as asked, as it was)."""
        x, truth = split_item(self._history[position - self._history_base])
        self.metrics.predicted -= 1
        self._pending_snapshot = self._snapshot()
        self._learn(Ask(position, x, truth, {}, None, "gate"), y)

    def _check_anchor(self, place: SavedPlace) -> None:
        if place.anchor is None:
            return
        position, saved = place.anchor
        i = position - self._history_base
        if 0 <= i < len(self._history) and item_digest(split_item(self._history[i])[0]) != saved:
            raise ValueError(
                f"StreamSession: item {position} of the stream differs from the one saved in the store "
                "(is it the same stream, in the same order?); pass another store, or reset() to start over"
            )

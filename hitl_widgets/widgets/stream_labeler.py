"""StreamLabeler: a stream flows past an online model, which asks for a label only when it is unsure."""

from __future__ import annotations

import math
import pathlib
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import anywidget
import traitlets as t

from ..data.stream_items import describe, label_text
from ..store import LabelStore
from ..stream_session import StreamSession

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
PROGRESS_EVERY = 0.1  # seconds between metric pushes while fast-forwarding
CURVE_EVERY = 0.5  # seconds between curve pushes while fast-forwarding
KNOB_LABELS = {"discount_factor": "discount factor (higher: asks less)", "budget": "label budget (most it asks)"}


class StreamLabeler(anywidget.AnyWidget):
    """Online active learning on a stream: confident items pass, unsure ones are asked.

    The widget walks the stream in the background, fast-forwarding through
    items the model is sure about, and stops where the gate asks. Keys (the
    widget must have focus; every key has a button): ``1``-``9`` answer,
    ``Enter`` accept the model's prediction, ``Backspace`` undo the last answer
    (the model, the metrics and the stream go back to when it was asked),
    ``Space`` pause or go on.

    Parameters
    ----------
    stream
        An iterable of ``x`` or ``(x, y)``, or a function that returns one; ``y`` is
        the truth, used for metrics only. ``x``: text, a dict of fields, or an image.
    learner
        A river classifier or pipeline; default: bag of words + logistic regression
        for text (scaled fields for dicts, a thumbnail for images).
    gate
        river's ``active.EntropySampler`` (wrapping ``learner``) or a
        :class:`~hitl_widgets.samplers.gates.ThresholdGate`; default: ``EntropySampler``.
    classes
        The labels (keys 1-9 in this order).
    store
        SQLite path or SQLAlchemy URL; reopening with the same stream, learner and gate resumes exactly.
    warm_up
        Ask about each of the first ``warm_up`` items, whatever the gate says.

    Examples
    --------
    >>> from hitl_widgets.data.sms import sms_spam
    >>> w = StreamLabeler(sms_spam(200), classes=["ham", "spam"], store=":memory:", background=False)
    >>> w.metrics["labeled"], w.status, w.current is not None
    (0, 'asking', True)
    >>> w.label("ham")
    >>> w.metrics["labeled"]
    1
    >>> w.undo(); w.metrics["labeled"]
    0
    """

    _esm = STATIC / "stream_labeler.js"
    _css = STATIC / "stream_labeler.css"

    classes = t.List(t.Unicode()).tag(sync=True)
    # the item waiting for an answer: {"position", "kind", "text" | "rows", "prediction", "probs", "reason"}
    item = t.Dict().tag(sync=True)
    item_image = t.Bytes(b"").tag(sync=True)
    metrics = t.Dict().tag(sync=True)
    curve = t.List(t.List(t.Float(allow_none=True))).tag(sync=True)  # [seen, accuracy, recent label rate]
    status = t.Unicode("walking").tag(sync=True)  # walking | asking | paused | end | error
    knob = t.Dict().tag(sync=True)  # {"name", "label", "low", "high", "step"}; {} when the gate has none
    knob_value = t.Float(allow_none=True).tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    _ack = t.Int(0).tag(sync=True)  # messages from the page handled so far

    def __init__(
        self,
        stream: Iterable[Any] | Callable[[], Iterable[Any]],
        learner: Any = None,
        gate: Any = None,
        classes: Sequence[Hashable] = (),
        store: LabelStore | str = "stream.db",
        *,
        warm_up: int = 0,
        background: bool = True,
        seed: int = 0,
        **kwargs: Any,
    ):
        self.session = StreamSession(stream, learner, gate, classes, store, warm_up=warm_up, seed=seed)
        knob = self.session.knob
        super().__init__(
            classes=[label_text(c) for c in self.session.classes],
            knob=_knob_trait(knob),
            knob_value=self.session.knob_value,
            **kwargs,
        )
        self._total = _length(stream)
        self._background = background
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._walker: threading.Thread | None = None
        self._walk_started = (0.0, 0)
        self._last_curve_push = 0.0
        self._shown_at = time.perf_counter()
        self.on_msg(self._on_frontend_msg)
        self.observe(self._on_knob, names="knob_value")
        with self._lock:
            self._push()
        self.play()

    # ------------------------------------------------------------ public API
    @property
    def current(self) -> Any:
        """The item waiting for a label (``x``), or None while walking, paused or at the end."""
        return None if self.session.pending is None else self.session.pending.x

    @property
    def prediction(self) -> Hashable | None:
        """The model's prediction for the item waiting for a label."""
        return None if self.session.pending is None else self.session.pending.prediction

    @property
    def labels(self) -> dict[int, Hashable]:
        """{stream position: label} of every answer."""
        return self.session.labels

    @property
    def learner(self) -> Any:
        return self.session.learner

    @property
    def gate(self) -> Any:
        return self.session.gate

    def label(self, y: Hashable, seconds: float | None = None) -> None:
        """Answer the item on screen; the model learns it and the walk goes on to the next ask."""
        with self._lock:
            if self.session.pending is None:
                raise ValueError(f"StreamLabeler: no item is waiting for a label (status: {self.status})")
            if seconds is None:
                seconds = time.perf_counter() - self._shown_at
            self.session.answer(self._class_value(y), seconds=seconds)
            self._push()
        self.play()

    def accept(self) -> None:
        """Answer the item on screen with the model's prediction."""
        if self.prediction is None:
            raise ValueError("StreamLabeler: the model has no prediction to accept yet")
        self.label(self.prediction)

    def undo(self) -> None:
        """Undo the last answer: that item is back on screen, and the model, metrics and stream go back too."""
        self.pause()
        with self._lock:
            try:
                back = self.session.undo()
            except ValueError as exc:
                self.error = str(exc)
                return
            self._push()
            if back is None:
                self.error = "nothing to undo"

    def pause(self) -> None:
        """Stop fast-forwarding (the state is saved); :meth:`play` goes on."""
        self._stop.set()
        self.wait()
        with self._lock:
            self._push()

    def play(self) -> None:
        """Walk on through the stream until the gate asks (in the background unless ``background=False``)."""
        if self._walking():
            return
        self.wait()
        if self.session.pending is not None or self.session.ended:
            with self._lock:
                self._push()
            return
        self._stop.clear()
        self._walk_started = (time.perf_counter(), self.session.metrics.seen)
        with self._lock:
            self.status = "walking"
        if not self._background:
            self._walk()
            return
        self._walker = threading.Thread(target=self._walk, name="hitl-stream-walk", daemon=True)
        self._walker.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background walk has stopped (at an ask, the end, an error or a pause)."""
        walker = self._walker
        if walker is not None and walker is not threading.current_thread():
            walker.join(timeout)

    def save(self) -> None:
        """Save the model, gate, metrics and position to the store now."""
        was_walking = self._walking()
        self.pause()
        with self._lock:
            self.session.save()
        if was_walking:
            self.play()

    def close(self) -> None:
        """Stop the walk (the state is saved) and close the widget."""
        self._stop.set()
        self.wait()
        super().close()

    def reset(self) -> None:
        """Start over from the first item with a fresh model (answers stay in the store, marked undone)."""
        self.pause()
        with self._lock:
            self.session.reset()
            self.error = ""
            self._push()
        self.play()

    def to_dataframe(self):
        """One row per answer: position, item, label, truth, prediction, confidence, reason, seconds."""
        return self.session.to_dataframe()

    # ------------------------------------------------------------ the walk
    def _walk(self) -> None:
        try:
            self.session.walk(stop=self._stop.is_set, on_progress=self._on_progress, every=PROGRESS_EVERY)
        except Exception as exc:  # a bug of ours must not kill the thread silently
            self.session.error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            self._shown_at = time.perf_counter()
            self._push()

    def _on_progress(self, _session: StreamSession) -> None:
        with self._lock:
            with self.hold_sync():
                self.metrics = self._metrics()
                now = time.perf_counter()
                if now - self._last_curve_push >= CURVE_EVERY:
                    self._last_curve_push = now
                    self.curve = self._curve()

    # ------------------------------------------------------------ state -> traits
    def _push(self) -> None:
        s = self.session
        with self.hold_sync():
            if s.pending is not None:
                shown, image = describe(s.pending.x)
                probs = [float(s.pending.proba.get(c, 0.0)) for c in s.classes]
                self.item = {
                    **shown,
                    "position": s.pending.position,
                    "prediction": label_text(s.pending.prediction),
                    "probs": probs,
                    "reason": s.pending.reason,
                }
                self.item_image = image or b""
            else:
                self.item, self.item_image = {}, b""
            self.metrics = self._metrics()
            self.curve = self._curve()
            self.error = s.error
            self.status = self._status()
            self.knob_value = s.knob_value
            self._last_curve_push = time.perf_counter()

    def _status(self) -> str:
        s = self.session
        if s.pending is not None:
            return "asking"
        if s.ended:
            return "error" if s.error else "end"
        return "walking" if self._walking() else "paused"

    def _walking(self) -> bool:
        return self._walker is not None and self._walker.is_alive() and not self._stop.is_set()

    def _metrics(self) -> dict[str, Any]:
        m = self.session.metrics.as_dict()
        started, seen0 = self._walk_started
        elapsed = time.perf_counter() - started
        m["items_per_second"] = (m["seen"] - seen0) / elapsed if elapsed > 0.05 else None
        m["total"] = self._total
        m["position"] = self.session.position
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in m.items()}

    def _curve(self) -> list[list[float | None]]:
        points = self.session.metrics.curve_to_now()
        return [[float(n), None if math.isnan(a) else a, r] for n, a, r in points]

    # ------------------------------------------------------------ the page
    def _on_frontend_msg(self, _widget: Any, content: dict[str, Any], _buffers: list) -> None:
        kind = content.get("type")
        try:
            if kind == "label":
                pending = self.session.pending
                if pending is None or content.get("position") != pending.position:
                    return  # an answer to an item that is no longer on screen (a double press)
                self.label(self._class_at(content.get("cls")), seconds=_seconds(content.get("seconds")))
            elif kind == "accept":
                if self.session.pending is not None and content.get("position") == self.session.pending.position:
                    self.accept()
            elif kind == "undo":
                self.undo()
            elif kind == "pause":
                self.pause()
            elif kind == "play":
                self.play()
            elif kind == "save":
                self.save()
            elif kind == "reset":
                self.reset()
            else:
                self.error = f"unknown message from the page: {kind!r}"
        except ValueError as exc:
            self.error = str(exc)
        finally:
            self._ack += 1

    def _on_knob(self, change: dict[str, Any]) -> None:
        value = change["new"]
        if value is None or value == self.session.knob_value:
            return
        try:
            self.session.set_knob(value)
        except ValueError as exc:
            self.error = str(exc)
            self.knob_value = self.session.knob_value

    def _class_value(self, y: Hashable) -> Hashable:
        for c in self.session.classes:
            if c == y or label_text(c) == y:
                return c
        raise ValueError(f"StreamLabeler: {y!r} is not one of the classes {self.session.classes}")

    def _class_at(self, index: Any) -> Hashable:
        if not isinstance(index, int) or not 0 <= index < len(self.session.classes):
            raise ValueError(f"StreamLabeler: no class at index {index!r}")
        return self.session.classes[index]


def _knob_trait(knob: tuple[str, float, float, float] | None) -> dict[str, Any]:
    if knob is None:
        return {}
    name, low, high, step = knob
    return {"name": name, "label": KNOB_LABELS.get(name, name), "low": low, "high": high, "step": step}


def _length(stream: Any) -> int | None:
    try:
        return len(stream)
    except TypeError:
        return None


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) and value >= 0 else None


__all__ = ["StreamLabeler"]

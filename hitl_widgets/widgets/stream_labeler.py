"""StreamLabeler: a stream flows past an online model, which asks for a label only when it is unsure.

A view of a :class:`~hitl_widgets.sessions.stream.runner.StreamRunner`: the runner
walks the stream in the background and takes answers; this widget turns its
state into traits and the page's actions into runner calls.
"""

from __future__ import annotations

import hashlib
import math
import pathlib
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import traitlets as t

from ..data.given import in_words_of
from ..data.stream_items import describe, label_text
from ..sessions.labels import class_at
from ..sessions.stream.runner import StreamRunner
from ..sessions.stream.session import StreamSession
from ..store import LabelStore
from .actions import Action, ActionWidget
from .media import send_images

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
CURVE_EVERY = 0.5  # seconds between curve pushes while fast-forwarding
KNOB_LABELS = {"discount_factor": "discount factor (higher: asks less)", "budget": "label budget (most it asks)"}


class StreamLabeler(ActionWidget):
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
    labels
        The label set (keys 1-9 in this order), as the pool labelers and the study take it; ``classes=`` is
        its other name, as the headless :class:`~hitl_widgets.StreamSession` takes it.
    store
        SQLite path or SQLAlchemy URL; reopening with the same stream, learner and gate resumes exactly.
    warm_up
        Ask about each of the first ``warm_up`` items, whatever the gate says.
    session
        An existing :class:`~hitl_widgets.StreamSession` or
        :class:`~hitl_widgets.StreamRunner` to show, instead of building one
        (``stream`` may then be ``None``).

    Examples
    --------
    >>> from hitl_widgets.data.sms import sms_spam
    >>> w = StreamLabeler(sms_spam(200), labels=["ham", "spam"], store=":memory:", background=False)
    >>> w.metrics["labeled"], w.status, w.current is not None
    (0, 'asking', True)
    >>> w.label("ham")
    >>> w.metrics["labeled"]
    1
    >>> w.undo(); w.metrics["labeled"]
    0
    """

    page_settings = frozenset({"knob_value"})

    _esm = STATIC / "stream_labeler.js"
    _css = STATIC / "stream_labeler.css"

    classes = t.List(t.Unicode()).tag(sync=True)
    # the item waiting for an answer: {"position", "kind", "text" | "rows", "prediction", "probs", "reason"}
    item = t.Dict().tag(sync=True)
    metrics = t.Dict().tag(sync=True)
    curve = t.List(t.List(t.Float(allow_none=True))).tag(sync=True)  # [seen, accuracy, recent label rate]
    status = t.Unicode("walking").tag(sync=True)  # walking | asking | paused | end | error
    knob = t.Dict().tag(sync=True)  # {"name", "label", "low", "high", "step"}; {} when the gate has none
    knob_value = t.Float(allow_none=True).tag(sync=True)

    @in_words_of("StreamLabeler")
    def __init__(
        self,
        stream: Iterable[Any] | Callable[[], Iterable[Any]] | None,
        learner: Any = None,
        gate: Any = None,
        classes: Sequence[Hashable] = (),
        store: LabelStore | str = "stream.db",
        *,
        warm_up: int = 0,
        background: bool = True,
        seed: int = 0,
        session: StreamSession | StreamRunner | None = None,
        labels: Sequence[Hashable] | None = None,
        **kwargs: Any,
    ):
        if labels is not None:
            if len(classes):
                raise ValueError("StreamLabeler: give the label set once, as labels= (or classes=)")
            classes = labels
        if isinstance(session, StreamRunner):
            runner = session
        else:
            if session is None:
                session = StreamSession(stream, learner, gate, classes, store, warm_up=warm_up, seed=seed)
            runner = StreamRunner(session, background=background, start=False)
        super().__init__(
            classes=[label_text(c) for c in runner.session.classes],
            knob=_knob_trait(runner.session.knob),
            knob_value=runner.session.knob_value,
            **kwargs,
        )
        self.runner = runner
        self._total = _length(stream)
        self._image: tuple[str, tuple[bytes, str]] | None = None  # the item on screen's image, as sent: key, data
        self._last_curve_push = 0.0
        runner.on_change(self._on_runner)
        self.observe(self._on_knob, names="knob_value")
        with self.pushing():
            self._push()
        runner.play()

    # ------------------------------------------------------------ public API
    @property
    def session(self) -> StreamSession:
        return self.runner.session

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
        self.runner.answer(y, seconds)

    def accept(self) -> None:
        """Answer the item on screen with the model's prediction."""
        self.runner.accept()

    def undo(self) -> None:
        """Undo the last answer: that item is back on screen, and the model, metrics and stream go back too."""
        try:
            back = self.runner.undo()
        except ValueError as exc:
            with self.pushing():
                self.error = str(exc)
            return
        if back is None:
            with self.pushing():
                self.error = "nothing to undo"

    def pause(self) -> None:
        """Stop fast-forwarding (the place is saved); :meth:`play` goes on."""
        self.runner.pause()  # the runner tells when the walk has stopped; the view follows

    def play(self) -> None:
        """Walk on through the stream until the gate asks (in the background unless ``background=False``)."""
        self.runner.play()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background walk has stopped (at an ask, the end, an error or a pause)."""
        self.runner.wait(timeout)

    def save(self) -> None:
        """Save the walk's place to the store now."""
        self.runner.save()

    def close(self) -> None:
        """Stop the walk (the place is saved) and close the widget."""
        runner = getattr(self, "runner", None)  # None when the constructor refused its arguments
        if runner is not None:
            runner.close()
        super().close()

    def reset(self) -> None:
        """Start over from the first item with a fresh model (answers stay in the store, marked undone)."""
        self.runner.reset()

    def to_dataframe(self):
        """One row per answer: position, item, label, truth, prediction, confidence, reason, seconds."""
        return self.session.to_dataframe()

    # ------------------------------------------------------------ the page's actions
    def actions(self) -> Mapping[str, Action]:
        return {
            "label": Action(
                lambda c, _: self.runner.answer(
                    class_at(c.get("cls"), self.session.classes), _seconds(c.get("seconds")), position=c.get("position")
                )
            ),
            "accept": Action(lambda c, _: self.runner.accept(position=c.get("position"))),
            "undo": Action(lambda c, _: self.undo()),
            "pause": Action(lambda c, _: self.pause()),
            "play": Action(lambda c, _: self.play()),
            "save": Action(lambda c, _: self.save()),
            "reset": Action(lambda c, _: self.reset()),
            "want": Action(self._want, user=False),
        }

    def _want(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        """The page lacks the image of the item on screen (a reload): it comes again, as it came first."""
        if self._image is not None and self._image[0] in content.get("keys", []):
            send_images(self.send, [self._image[0]], [self._image[1]])

    @t.validate("knob_value")
    def _valid_knob(self, proposal: dict[str, Any]) -> float | None:
        """A value out of the gate's range set from Python raises here, as in the constructor."""
        value = proposal["value"]
        runner = getattr(self, "runner", None)  # None while the constructor sets traits
        if value is not None and runner is not None:
            runner.session.check_knob(value)
        return value

    def _on_knob(self, change: dict[str, Any]) -> None:
        value = change["new"]
        if value is None or value == self.session.knob_value:
            return
        with self.pushing():
            self.session.set_knob(value)  # checked by _valid_knob

    # ------------------------------------------------------------ state -> traits
    def _on_runner(self, event: str) -> None:
        self.request_push(self._push_progress if event == "progress" else self._push)

    def _push_progress(self) -> None:
        self.metrics = self._metrics()
        now = time.perf_counter()
        if now - self._last_curve_push >= CURVE_EVERY:
            self._last_curve_push = now
            self.curve = self._curve()

    def _push(self) -> None:
        s = self.session
        if s.pending is not None:
            shown, image = describe(s.pending.x)
            probs = [float(s.pending.proba.get(c, 0.0)) for c in s.classes]
            position = s.pending.position
            # keyed by position and content: after a reset the item at a position may be another picture
            key = f"{position}:{hashlib.blake2b(image, digest_size=6).hexdigest()}" if image is not None else None
            if key is not None and (self._image is None or self._image[0] != key):
                self._image = (key, (image, shown["mime"]))
                send_images(self.send, [key], [self._image[1]])  # before the item that names it
            self.item = {
                **shown,
                **({"image": key} if key is not None else {}),
                "position": position,
                "prediction": label_text(s.pending.prediction),
                "probs": probs,
                "reason": s.pending.reason,
            }
        else:
            self.item = {}
        self.metrics = self._metrics()
        self.curve = self._curve()
        if s.error:
            self.error = s.error
        self.status = self.runner.status
        self.knob_value = s.knob_value
        self._last_curve_push = time.perf_counter()

    def _metrics(self) -> dict[str, Any]:
        m = self.session.metrics.as_dict()
        m["items_per_second"] = self.runner.items_per_second
        m["total"] = self._total
        m["position"] = self.session.position
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in m.items()}

    def _curve(self) -> list[list[float | None]]:
        return [[n, None if math.isnan(a) else a, r] for n, a, r in self.runner.curve()]


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

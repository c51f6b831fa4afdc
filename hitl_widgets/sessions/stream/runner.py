"""StreamRunner: a stream session's walk in the background, with play, pause, answers, undo and a status.

:class:`~hitl_widgets.sessions.stream.session.StreamSession` walks a stream when
asked; a ``StreamRunner`` runs that walk in a thread, stops it at once on
:meth:`pause`, goes on after each answer, and tells listeners what changed.
The :class:`~hitl_widgets.StreamLabeler` is a view of a runner; a script or
another widget (a study, a team dashboard) can drive the same runner.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any

from ..labels import class_value
from ..loop import Loop, thin
from .session import Ask, StreamSession

PROGRESS_EVERY = 0.1  # seconds between "progress" events while fast-forwarding


class StreamRunner(Loop):
    """Walk a :class:`StreamSession` in the background; stop where it asks, go on after each answer.

    ``on_change(listener)`` registers ``listener(event)``: ``"progress"``
    (from the walking thread, about every ``PROGRESS_EVERY`` seconds),
    ``"walking"`` (a walk started in the background), ``"stopped"`` (the
    walk stopped: an ask, the end, an error or a pause), ``"paused"`` (a
    pause asked for while no walk ran), ``"resumed"`` (a pause ended while
    nothing walks: an item waits, or the stream ended),
    ``"answered"``, ``"undone"``, ``"reset"`` and ``"saved"``.

    Examples
    --------
    >>> from hitl_widgets.data.sms import sms_spam
    >>> runner = StreamRunner(StreamSession(sms_spam(300), classes=["ham", "spam"], store=":memory:"))
    >>> runner.wait(); runner.status
    'asking'
    >>> _ = runner.answer(runner.session.pending.truth); runner.wait()
    >>> runner.session.metrics.labeled, runner.status
    (1, 'asking')
    >>> runner.undo().position == 0, runner.status
    (True, 'asking')
    """

    def __init__(self, session: StreamSession, *, background: bool = True, start: bool = True):
        super().__init__()
        self.session = session
        self.background = background
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._walker: threading.Thread | None = None
        self._walk_started = (0.0, 0)
        self._in_walk = False  # true from a walk's start until it returns (before its thread tells anyone)
        self._paused = False  # paused by the person: an answer then does not walk on
        self.shown_at = time.perf_counter()  # when the item waiting for an answer was shown
        if start:
            self.play()

    # ------------------------------------------------------------ reading
    @property
    def status(self) -> str:
        """``"asking"``, ``"walking"``, ``"paused"``, ``"end"`` or ``"error"``.

        Paused by :meth:`pause`, the status stays ``"paused"`` while an item
        waits (it can still be answered; the walk goes on at :meth:`play`).
        """
        s = self.session
        if s.pending is not None:
            return "paused" if self._paused else "asking"
        if s.ended:
            return "error" if s.error else "end"
        return "walking" if self.walking else "paused"

    @property
    def walking(self) -> bool:
        """The walk is reading items and not asked to stop."""
        return self._in_walk and not self._stop.is_set()

    @property
    def running(self) -> bool:
        """The walking thread is alive (it may be stopping after a pause)."""
        return self._walker is not None and self._walker.is_alive()

    @property
    def items_per_second(self) -> float | None:
        """Items walked per second since the walk last started (``None`` right after it started)."""
        started, seen0 = self._walk_started
        elapsed = time.perf_counter() - started
        return (self.session.metrics.seen - seen0) / elapsed if elapsed > 0.05 else None

    def curve(self) -> list[list[float]]:
        """``[[items seen, accuracy, recent label rate], ...]`` up to now, thinned for a chart.

        Read without the runner's lock, as the walk writes the metrics: a render on the walking thread asks
        for it while ``play()`` may hold the lock waiting for that thread.
        """
        return thin([list(p) for p in self.session.metrics.curve_to_now()])

    # ------------------------------------------------------------ actions
    def answer(self, y: Hashable, seconds: float | None = None, *, position: int | None = None) -> bool:
        """Answer the item waiting (``position``: only if it is still that one); the walk goes on.

        Returns False when ``position`` is no longer the item waiting (a
        second press of a key, say): nothing changes then. Called from code
        (no ``position``) while the walk is on its way to an ask, it waits for that ask.
        """
        if self.session.pending is not None or (position is None and self.walking):
            self.wait()  # the walk that stopped on this item may still be returning: let it finish first
        with self._lock:
            pending = self.session.pending
            if pending is None:
                if position is not None:
                    return False
                raise ValueError(f"no item is waiting for a label (status: {self.status})")
            if position is not None and position != pending.position:
                return False
            if seconds is None:
                seconds = time.perf_counter() - self.shown_at
            self.session.answer(class_value(y, self.session.classes), seconds=seconds)
        if not self._paused:
            self.play()  # first: the status never reads "paused" between an answer and the walk on
        self._tell("answered")
        return True

    def accept(self, *, position: int | None = None) -> bool:
        """Answer the item waiting with the model's prediction."""
        pending = self.session.pending
        if pending is not None and pending.prediction is None:
            raise ValueError("the model has no prediction to accept yet")
        if pending is None and position is None:
            raise ValueError(f"no item is waiting for a label (status: {self.status})")
        return self.answer(pending.prediction, position=position) if pending is not None else False

    def undo(self) -> Ask | None:
        """Undo the last answer: that item waits again, and the model, metrics and stream go back too."""
        self._stop_walk()
        with self._lock:
            back = self.session.undo()
            self.shown_at = time.perf_counter()
        self._tell("undone")
        return back

    def play(self) -> None:
        """Walk on until the gate asks (in a thread, unless ``background=False``); ends a pause."""
        with self._lock:
            was_paused, self._paused = self._paused, False
            if self.walking:
                return
            self.wait()
            s = self.session
            if s.pending is not None or s.ended:
                if was_paused:
                    self._tell("resumed")
                return
            self._stop.clear()
            self._in_walk = True
            self._walk_started = (time.perf_counter(), s.metrics.seen)
            if self.background:
                self._walker = threading.Thread(target=self._walk, name="hitl-stream-walk", daemon=True)
                self._walker.start()
        if self.background:
            self._tell("walking")
        else:
            self._walk()

    def pause(self) -> None:
        """Stop walking now, or after the answer to the item waiting (the place is saved); :meth:`play` goes on."""
        self._paused = True
        if not self._stop_walk():  # a walk that stops tells "stopped" itself
            self._tell("paused")

    def _stop_walk(self) -> bool:
        """Stop the walk and wait for it; whether one was running."""
        walked = self.running
        self._stop.set()
        self.wait()
        return walked

    def wait(self, timeout: float | None = None) -> None:
        """Block until the walk has stopped (an ask, the end, an error or a pause)."""
        walker = self._walker
        if walker is not None and walker is not threading.current_thread():
            walker.join(timeout)

    def save(self) -> None:
        """Save the walk's place to the store now (it is saved at every ask, pause and end anyway)."""
        was_walking = self.walking
        self._stop_walk()
        with self._lock:
            self.session.save()
        self._tell("saved")
        if was_walking:
            self.play()

    def reset(self) -> None:
        """Start over from the first item with a fresh model (the answers stay in the store, marked undone)."""
        self._stop_walk()
        with self._lock:
            self.session.reset()
        self._tell("reset")
        self.play()

    def close(self) -> None:
        """Stop the walk; the place is saved."""
        self._stop_walk()

    # ------------------------------------------------------------ the walk
    def _walk(self) -> None:
        try:
            self.session.walk(stop=self._stop.is_set, on_progress=self._progress, every=PROGRESS_EVERY)
        except Exception as exc:  # a bug of ours must not end the thread silently
            self.session.error = f"{type(exc).__name__}: {exc}"
        self._in_walk = False
        self.shown_at = time.perf_counter()
        self._tell("stopped")

    def _progress(self, _session: Any) -> None:
        self._tell("progress")

"""The one action protocol every widget speaks: the page sends numbered actions, the kernel acknowledges them.

A page sends ``{"type": name, "seq": n, ...}`` (``js/src/actions.js`` numbers
them). :class:`ActionWidget` looks the name up in the widget's dispatch
table, runs the handler, and sends the state it changed together with
``_ack = n`` in **one** synced update, so the page can drop its own
optimistic copy of that action exactly when the state that replaces it
arrives. A handler's error goes to the ``error`` trait (shown by the page)
and is acknowledged too: a refused action changes nothing and says why.

A ``{"type": "ping"}`` is acknowledged and changes nothing: what a round trip through the kernel costs
on its own (the floor a redraw that waits for the kernel cannot beat).

Settings are actions too: a menu, a toggle, a slider or a class key sends
``{"type": "set", "name": trait, "value": v, "seq": n}`` (never a bare trait
write), for the traits a widget lists in :attr:`ActionWidget.page_settings`.
The value goes through the trait's own validation and observers, as
``w.name = v`` from Python does; a refused value leaves the trait as it was
and sends it back to the page with the error.

Other threads (a re-ranking, a background walk) never set traits directly:
they hand a render function to :meth:`ActionWidget.request_push`, which runs
it at once when no one else is updating the widget, or lets the thread that
is updating run it before its update goes out. So two threads never
interleave one update, and a handler may wait for a worker thread (undo
waits for the model) without the worker waiting for it in turn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar

import anywidget
import traitlets as t

from .._threads import single_threaded
from ..sessions.loop import Loop

log = logging.getLogger("hitl_widgets")


@dataclass(frozen=True)
class Action:
    """A handler for one action type; ``user``: a person's action, which clears the last error."""

    run: Callable[[dict[str, Any], list[Any]], None]
    user: bool = True


class ActionWidget(anywidget.AnyWidget):
    """Base of the package's widgets: a dispatch table of page actions, acknowledged in the same update."""

    error = t.Unicode("").tag(sync=True)
    _ack = t.Int(0).tag(sync=True)

    #: traits the page may change with a "set" action (a menu, a toggle, a slider)
    page_settings: ClassVar[frozenset[str]] = frozenset()
    #: handle the page's actions with one torch thread (a click's few small tensor ops pay no thread start-up)
    single_threaded: ClassVar[bool] = False

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._view_lock = threading.RLock()
        self._requests: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        self._requests_lock = threading.Lock()
        self._pushing = False  # true while a thread holds the view lock in pushing(): its end runs the requests
        self._table = dict(self.actions())  # read once: handlers look up what they use when they run
        self.on_msg(self._on_action)

    def actions(self) -> Mapping[str, Action]:
        """``{action type: Action}``: what the page may ask for (read once, when the widget is made)."""
        return {}

    def watch(
        self,
        loop: Loop,
        render: Callable[..., None],
        *,
        pass_event: bool = True,
        before: Mapping[str, Callable[[str], None]] | None = None,
    ) -> None:
        """Render the view on each of ``loop``'s events through :meth:`request_push`: ``render(event)``, or
        ``render()`` with ``pass_event=False`` (then several events in one update render once);
        ``before[event](event)``, if given, runs first in the thread that told the event (a re-ranking thread
        encodes the images it ranked, say)."""
        early = dict(before or {})

        def on_event(event: str) -> None:
            if event in early:
                early[event](event)
            self.request_push(render, *((event,) if pass_event else ()))

        loop.on_change(on_event)

    @contextmanager
    def pushing(self) -> Iterator[None]:
        """Change traits in one update; renders other threads requested meanwhile join it."""
        with self._view_lock:
            outer, self._pushing = self._pushing, True
            try:
                with self.hold_sync():
                    try:
                        yield
                    finally:  # renders asked for meanwhile run even when the body raised
                        self._run_requests()
            finally:
                self._pushing = outer
        self._drain()

    def request_push(self, render: Callable[..., None], *args: Any) -> None:
        """Run ``render(*args)`` (which sets traits) from any thread, without ever waiting for another thread.

        A render asked for again with the same arguments before it ran runs once; asked for inside
        :meth:`pushing`, it runs at the end of that update (a session that tells its listeners of a change the
        view itself made, say).
        """
        request = (render, args)
        with self._requests_lock:
            if request not in self._requests:
                self._requests.append(request)
        if not self._pushing:
            self._drain()

    def _drain(self) -> None:
        while self._requests:
            if not self._view_lock.acquire(blocking=False):
                return  # the thread updating the widget runs the request before its update goes out
            try:
                with self.hold_sync():
                    self._run_requests()
            finally:
                self._view_lock.release()

    def _run_requests(self) -> None:
        while True:
            with self._requests_lock:
                if not self._requests:
                    return
                render, args = self._requests.pop(0)
            try:
                render(*args)
            except Exception as exc:  # a render that fails is a bug: shown, logged, never swallowed
                log.exception("%s: updating the view failed", type(self).__name__)
                self.error = f"{type(exc).__name__}: {exc}"

    def _set_from_page(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        name = content["name"]
        if name not in self.page_settings:
            raise ValueError(f"the page may not set {name!r} (settings: {sorted(self.page_settings)})")
        before = getattr(self, name)
        try:
            setattr(self, name, content["value"])
        except (ValueError, TypeError, t.TraitError) as exc:
            self.set_trait(name, before)  # an observer that refused it left it changed (a validator did not)
            self.send_state(name)  # the page showed the refused value: it gets the kept one
            raise ValueError(str(exc)) from exc

    def _on_action(self, _widget: Any, content: Any, buffers: list[Any]) -> None:
        if not isinstance(content, dict):
            return
        kind, seq = content.get("type"), content.get("seq")
        if kind == "ping":  # a round trip that changes nothing: the page measures the wire's own time
            action = Action(lambda _c, _b: None, user=False)
        else:
            action = Action(self._set_from_page) if kind == "set" else self._table.get(kind)
        with self.pushing(), single_threaded() if self.single_threaded else nullcontext():
            if action is None or action.user:
                self.error = ""
            try:
                if action is None:
                    raise ValueError(f"unknown message from the page: {kind!r}")
                action.run(content, buffers)
            except (ValueError, TypeError, KeyError) as exc:  # bad input: changes nothing, says why
                self.error = str(exc) if not isinstance(exc, KeyError) else f"the message lacks {exc}"
            except ConnectionError as exc:  # the store is away (retried already): nothing saved, and said so
                log.warning("%s: %s", type(self).__name__, exc)
                self.error = str(exc)
            except Exception as exc:  # a bug: shown in the widget and logged, never swallowed
                log.exception("%s: the %r action failed", type(self).__name__, kind)
                self.error = f"{type(exc).__name__}: {exc}"
            if isinstance(seq, int) and not isinstance(seq, bool) and seq > self._ack:
                self._ack = seq

"""The one action protocol every widget speaks: the page sends numbered actions, the kernel acknowledges them.

A page sends ``{"type": name, "seq": n, ...}`` (``js/src/actions.js`` numbers
them). :class:`ActionWidget` looks the name up in the widget's dispatch
table, runs the handler, and sends the state it changed together with
``_ack = n`` in **one** synced update, so the page can drop its own
optimistic copy of that action exactly when the state that replaces it
arrives. A handler's error goes to the ``error`` trait (shown by the page)
and is acknowledged too: a refused action changes nothing and says why.

Worker threads that change traits (a re-ranking, a background walk) use
:meth:`ActionWidget.pushing`, which takes the same lock, so two threads
never interleave one update. A handler marked ``settles`` waits for the
session's worker *before* taking that lock (undo needs the model caught up,
and the worker's own push needs the lock).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import anywidget
import traitlets as t

log = logging.getLogger("hitl_widgets")


@dataclass(frozen=True)
class Action:
    """A handler for one action type.

    ``settles``: wait for background work before it runs. ``user``: a
    person's action, which clears the last error (a page's request for data
    is not).
    """

    run: Callable[[dict[str, Any], list[Any]], None]
    settles: bool = False
    user: bool = True


class ActionWidget(anywidget.AnyWidget):
    """Base of the package's widgets: a dispatch table of page actions and acknowledgement in the same update.

    Subclasses return their table from :meth:`actions` and, if some actions
    settle, the wait from :meth:`settle`.
    """

    error = t.Unicode("").tag(sync=True)
    _ack = t.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._view_lock = threading.RLock()
        self.on_msg(self._on_action)

    def actions(self) -> Mapping[str, Action]:
        """``{action type: Action}``: what the page may ask for."""
        return {}

    def settle(self) -> None:
        """Wait for background work (called, outside the view lock, before a ``settles`` action)."""

    @contextmanager
    def pushing(self) -> Iterator[None]:
        """Change traits from any thread: one update, never interleaved with another thread's."""
        with self._view_lock, self.hold_sync():
            yield

    def _on_action(self, _widget: Any, content: Any, buffers: list[Any]) -> None:
        if not isinstance(content, dict):
            return
        kind, seq = content.get("type"), content.get("seq")
        action = self.actions().get(kind)
        if action is not None and action.settles:
            self.settle()
        with self.pushing():
            if action is None or action.user:
                self.error = ""
            try:
                if action is None:
                    raise ValueError(f"unknown action {kind!r}")
                action.run(content, buffers)
            except (ValueError, TypeError, KeyError) as exc:  # bad input: changes nothing, says why
                self.error = str(exc) if not isinstance(exc, KeyError) else f"the message lacks {exc}"
            except Exception as exc:  # a bug: shown in the widget and logged, never swallowed
                log.exception("%s: the %r action failed", type(self).__name__, kind)
                self.error = f"{type(exc).__name__}: {exc}"
            if isinstance(seq, int) and not isinstance(seq, bool) and seq > self._ack:
                self._ack = seq

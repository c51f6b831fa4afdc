"""Saving a stream session's place and resuming it by replay; the in-memory copies that undo restores.

A mixin of :class:`~hitl_widgets.stream_session.StreamSession`. The store
holds the answers (the event log) and the walk's place as JSON
(:class:`~hitl_widgets.stream_state.SavedPlace`); the learner and the gate
start again from copies of the ones the session was given, and the stream is
walked to the saved place with the gate's knob set as it was at each
position. A seeded river learner and gate replay bit for bit, so the resumed
model, metrics and undo history are the ones the session had. Costs one walk
over the items seen so far (what the first walk cost, without the waits).
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

from .data.stream_items import split_item
from .labels import check_store_labels
from .stream_state import NOW_KEY, Ask, SavedPlace, UnreadableState


class ReplayFromLog:
    """Save the walk's place as JSON, rebuild the walk from the stream and the logged answers, copy it for undo."""

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
            anchor = (self.position - 1, fingerprint(split_item(self._history[last])[0]))
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
        if 0 <= i < len(self._history) and fingerprint(split_item(self._history[i])[0]) != saved:
            raise ValueError(
                f"StreamSession: item {position} of the stream differs from the one saved in the store "
                "(is it the same stream, in the same order?); pass another store, or reset() to start over"
            )


def fingerprint(x: Any) -> str:
    """What identifies an item when a store is reopened on a stream (is it the same stream?)."""
    return repr(x)[:300]

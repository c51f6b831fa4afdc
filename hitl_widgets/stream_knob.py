"""The setting of a stream session's gate for how often it asks (river's discount factor or budget).

A mixin of :class:`~hitl_widgets.stream_session.StreamSession`: a widget's
slider reads :attr:`GateKnob.knob` for its range and calls
:meth:`GateKnob.set_knob`; the change is logged with the position it applies
from, so a resumed session replays the walk with the settings it had.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .samplers.gates import gate_knob


class GateKnob:
    """Read, check and set the gate's discount factor or budget."""

    # provided by StreamSession
    gate: Any
    position: int
    _knob_value: float | None
    _knobs: list[list[float]]
    _save_now: Callable[[], None]

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

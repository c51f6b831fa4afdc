"""Stream gates: ask for a label or not, item by item (river's ``EntropySampler`` works as it is)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from ..base import Estimator


def decide(gate: Any, learner: Any, x: Any) -> tuple[Hashable | None, bool]:
    """River's ``(y_pred, ask)`` for one stream item, whatever the gate.

    river's ``active`` samplers (``EntropySampler``) wrap the classifier and
    answer ``predict_one(x) -> (y_pred, ask)`` themselves: they work as they are.
    A gate of this package (``ask(proba) -> bool``) is asked with the
    learner's probabilities.

    >>> from river import active, linear_model
    >>> model = linear_model.LogisticRegression()
    >>> decide(active.EntropySampler(model, seed=0), model, {"x": 1.0})[1]
    True
    >>> decide(ThresholdGate(threshold=0.9, budget=1.0), model, {"x": 1.0})  # untrained: 50/50, so ask
    (False, True)
    """
    proba, ask = judge(gate, learner, x)
    return (max(proba, key=proba.__getitem__) if proba else None), ask


def is_river_sampler(gate: Any) -> bool:
    """Whether ``gate`` is one of river's ``active`` samplers (it wraps the classifier it asks for)."""
    return hasattr(gate, "predict_proba_one") and hasattr(gate, "classifier") and not hasattr(gate, "ask")


def pair_gate(learner: Any, gate: Any, *, where: str, rewire: bool = False) -> Any:
    """The learner ``gate`` asks for, paired once (a stream and a study pair them alike): river's ``active``
    samplers wrap their classifier, so the learner is the gate's; any other gate has ``ask(proba)`` and asks
    about the learner's probabilities. ``rewire``: make the river gate wrap ``learner`` (a fresh copy of
    both); else a river gate around another classifier than ``learner`` is refused.

    >>> from river import active, linear_model
    >>> model = linear_model.LogisticRegression()
    >>> pair_gate(None, active.EntropySampler(model, seed=0), where="f") is model
    True
    >>> pair_gate(model, object(), where="f")
    Traceback (most recent call last):
    ...
    TypeError: f: gate must be one of river's active samplers or have ask(proba), got object
    """
    if gate is None:
        return learner
    if not (is_river_sampler(gate) or hasattr(gate, "ask")):
        raise TypeError(
            f"{where}: gate must be one of river's active samplers or have ask(proba), got {type(gate).__name__}"
        )
    if not is_river_sampler(gate):
        return learner
    if rewire:
        gate.classifier = learner
    elif learner is not None and gate.classifier is not learner:
        raise ValueError(
            f"{where}: the gate wraps a different classifier than learner=; pass the learner once, inside the "
            "gate or as learner="
        )
    return gate.classifier


def judge(gate: Any, learner: Any, x: Any) -> tuple[dict[Hashable, float], bool]:
    """The learner's class probabilities for ``x`` and whether ``gate`` asks for its label.

    >>> from river import linear_model
    >>> judge(ThresholdGate(threshold=0.9), linear_model.LogisticRegression(), {"x": 1.0})
    ({False: 0.5, True: 0.5}, True)
    """
    if is_river_sampler(gate):
        return gate.predict_proba_one(x)  # river's (proba, ask)
    proba = learner.predict_proba_one(x)
    return proba, gate.ask(proba)


def gate_knob(gate: Any) -> tuple[str, float, float, float] | None:
    """``(name, low, high, step)`` of the setting that decides how often ``gate`` asks, or None.

    river's ``EntropySampler`` asks less as ``discount_factor`` grows; a
    :class:`ThresholdGate` never asks for more than ``budget`` of the items.

    >>> gate_knob(ThresholdGate())
    ('budget', 0.01, 1.0, 0.01)
    """
    if hasattr(gate, "discount_factor"):
        return ("discount_factor", 0.0, 20.0, 0.5)
    if hasattr(gate, "budget"):
        return ("budget", 0.01, 1.0, 0.01)
    return None


class ThresholdGate(Estimator):
    """Variable-uncertainty gate with a label budget (Zliobaite et al. 2014).

    Asks when the top class probability is below ``threshold`` and the share of
    items labeled so far is within ``budget``. With ``variable=True`` the
    threshold tightens by ``step`` after each ask and loosens after each
    confident item, so the label rate tracks the budget as the model improves.

    >>> gate = ThresholdGate(threshold=0.8, budget=0.5)
    >>> [gate.ask({"a": p, "b": 1 - p}) for p in (0.55, 0.95, 0.6, 0.99)]
    [True, False, True, False]
    >>> gate.n_asked, gate.n_seen
    (2, 4)
    """

    def __init__(self, threshold: float = 0.9, budget: float = 0.1, variable: bool = True, step: float = 0.01):
        if not 0 < budget <= 1:
            raise ValueError(f"ThresholdGate: budget must be in (0, 1], got {budget}")
        self.threshold = threshold
        self.budget = budget
        self.variable = variable
        self.step = step
        self.n_seen = 0
        self.n_asked = 0
        self._theta = threshold

    def ask(self, proba: Mapping[Hashable, float]) -> bool:
        """Whether to ask for this item's label, given the model's class probabilities."""
        self.n_seen += 1
        top = max(proba.values()) if proba else 0.0
        if self.n_asked / self.n_seen >= self.budget:
            return False
        if top < self._theta:
            self.n_asked += 1
            if self.variable:
                self._theta *= 1 - self.step
            return True
        if self.variable:
            self._theta = min(self._theta * (1 + self.step), 1.0)
        return False

    @property
    def current_threshold(self) -> float:
        return self._theta

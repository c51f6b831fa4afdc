"""The online model a participant teaches in one subsession, its gate (ALMT), and its hold-out score."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ..learners.protocol import accuracy, as_river_features, fresh_copy, learn_row, proba_matrix
from ..samplers.gates import is_river_sampler, pair_gate


class StudyModel:
    """A learner on image features; with a gate, it says which images it asks about.

    A river ``active`` sampler (``EntropySampler``) wraps the classifier it
    asks for: it is given this learner to wrap. Any other gate has
    ``ask(proba) -> bool`` and asks about the learner's probabilities.

    >>> from hitl_widgets.samplers.gates import ThresholdGate
    >>> from river import linear_model
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> gate = ThresholdGate(0.9, budget=1.0)
    >>> m = StudyModel(linear_model.LogisticRegression(), gate, [False, True], X, [False, True])
    >>> m.judge(X[0])  # untrained: 50/50, so it asks
    (False, 0.5, True)
    >>> m.learn(X[0], False); m.holdout_accuracy()
    0.5
    """

    def __init__(
        self, learner: Any, gate: Any, classes: Sequence[Hashable], X_holdout: np.ndarray, y_holdout: Sequence[Hashable]
    ):
        self.gate = gate
        self.learner = pair_gate(learner, gate, where="StudyModel", rewire=True)
        self.classes = list(classes)
        self._X_holdout = X_holdout
        self._y_holdout = list(y_holdout)
        self.learned_classes: set[Hashable] = set()

    @classmethod
    def fresh(cls, template: Any, gate: Any, classes, X_holdout, y_holdout) -> StudyModel:
        """An untrained copy of ``template`` with a fresh copy of ``gate``."""
        gate = None if gate is None else fresh_copy(gate)
        return cls(fresh_copy(template), gate, classes, X_holdout, y_holdout)

    def judge(self, x: np.ndarray) -> tuple[Hashable, float, bool]:
        """The prediction, its confidence, and whether the model asks for this image's label.

        Without a gate it always asks; with one, it asks about every image
        until it has learned each label once (a cold start: a model that knows
        one class is sure of everything), then as the gate decides.
        """
        proba = proba_matrix(self.learner, x[None, :], self.classes)[0]
        best = int(np.argmax(proba))
        asked = True
        if self.gate is not None and len(self.learned_classes) < len(self.classes):
            self.gate_decides(x, proba)  # the gate still sees the image (its counters move)
        elif self.gate is not None:
            asked = self.gate_decides(x, proba)
        return self.classes[best], float(proba[best]), asked

    def gate_decides(self, x: np.ndarray, proba: np.ndarray) -> bool:
        if is_river_sampler(self.gate):  # it asks its own classifier, which is the learner (pair_gate)
            return bool(self.gate.predict_proba_one(as_river_features(x))[1])
        return bool(self.gate.ask(dict(zip(self.classes, proba.tolist(), strict=True))))

    def learn(self, x: np.ndarray, y: Hashable) -> None:
        """Learn the label: the learner itself, which a river gate wraps (as a stream learns it)."""
        self.learned_classes.add(y)
        learn_row(self.learner, x, y)

    def holdout_accuracy(self) -> float:
        """Share of the hold-out images the model gets right."""
        return accuracy(self.learner, self._X_holdout, self._y_holdout, self.classes)

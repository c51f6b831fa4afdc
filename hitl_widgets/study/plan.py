"""A study's plan: its subsessions (MT or ALMT, images per stream, messages, questions) and their order.

MT (machine teaching): the participant chooses which images to give feedback
on. ALMT (active learning with machine teaching): the model asks about the
images it is unsure of (a stream gate decides), and feedback on the others is
disabled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..samplers.gates import ThresholdGate

STRATEGIES = ("MT", "ALMT")
ORDERS = ("fixed", "counterbalanced")


@dataclass(frozen=True)
class Question:
    """A question after a subsession: a Likert item (``scale`` points) or free text (``scale=0``)."""

    id: str
    text: str
    scale: int = 5
    low: str = "strongly disagree"
    high: str = "strongly agree"

    def check(self, answer: Any) -> Any:
        """The answer as stored, or a ``ValueError`` naming the question."""
        if self.scale == 0:
            if not isinstance(answer, str):
                raise ValueError(f"question {self.id!r} takes free text, got {answer!r}")
            return answer
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= self.scale:
            raise ValueError(f"question {self.id!r} takes 1 to {self.scale}, got {answer!r}")
        return answer


@dataclass(frozen=True)
class Subsession:
    """One stream of the plan.

    ``gate`` decides what the model asks about in ALMT (a
    :class:`~hitl_widgets.ThresholdGate` by default, or river's
    ``active.EntropySampler`` around a river learner); ``carry_over`` starts
    from the model the previous subsession ended with instead of the initial one.
    ``checks``: attention checks put among the stream's images (images with a
    known answer, from the hold-out: never learned from, recorded and reported).
    ``practice``: the practice stream before the parts (not scored).
    """

    strategy: str
    n_images: int
    intro: str = ""
    end_message: str = ""
    questions: tuple[Question, ...] = ()
    gate: Any = None
    carry_over: bool = False
    name: str = ""
    checks: int = 0
    practice: bool = False

    @property
    def title(self) -> str:
        return self.name or self.strategy

    def new_gate(self) -> Any:
        """A fresh copy of this subsession's gate (ALMT), or None (MT)."""
        if self.strategy != "ALMT":
            return None
        if self.gate is None:
            return ThresholdGate(threshold=0.9, budget=0.5, variable=True, step=0.05)
        return self.gate.clone()


def parse_plan(plan: Sequence[Any]) -> list[Subsession]:
    """Subsessions from ``("MT", 30)`` pairs, dicts or :class:`Subsession` objects, checked field by field.

    >>> [s.title for s in parse_plan([("MT", 30), {"strategy": "ALMT", "n_images": 30, "name": "asks"}])]
    ['MT', 'asks']
    >>> parse_plan([("XT", 30)])
    Traceback (most recent call last):
    ...
    ValueError: plan[0].strategy: unknown strategy 'XT'; choose from ('MT', 'ALMT')
    """
    if isinstance(plan, (str, bytes)) or not isinstance(plan, Sequence) or not plan:
        raise ValueError(f"plan must be a non-empty list of subsessions like ('MT', 30), got {plan!r}")
    return [_subsession(entry, i) for i, entry in enumerate(plan)]


def _subsession(entry: Any, i: int, where: str = "") -> Subsession:
    where = where or f"plan[{i}]"
    if isinstance(entry, Subsession):
        sub = entry
    elif isinstance(entry, dict):
        fields = dict(entry)
        fields["questions"] = tuple(
            _question(q, f"{where}.questions[{j}]") for j, q in enumerate(fields.get("questions", ()))
        )
        try:
            sub = Subsession(**fields)
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from exc
    elif isinstance(entry, (tuple, list)) and len(entry) == 2:
        sub = Subsession(strategy=entry[0], n_images=entry[1])
    else:
        raise ValueError(f"{where}: a subsession is ('MT' or 'ALMT', images per stream) or a dict, got {entry!r}")
    if sub.strategy not in STRATEGIES:
        raise ValueError(f"{where}.strategy: unknown strategy {sub.strategy!r}; choose from {STRATEGIES}")
    if isinstance(sub.n_images, bool) or not isinstance(sub.n_images, int) or sub.n_images < 1:
        raise ValueError(f"{where}.n_images: images per stream must be a positive whole number, got {sub.n_images!r}")
    if sub.gate is not None and sub.strategy != "ALMT":
        raise ValueError(f"{where}.gate: only ALMT subsessions ask through a gate")
    if sub.practice and where != "practice":
        raise ValueError(
            f"{where}.practice: the practice is given apart (Study(practice=...), [practice]), not in the plan"
        )
    if isinstance(sub.checks, bool) or not isinstance(sub.checks, int) or not 0 <= sub.checks <= sub.n_images:
        raise ValueError(f"{where}.checks: attention checks are a whole number from 0 to n_images, got {sub.checks!r}")
    return sub


def practice_part(practice: Any) -> Subsession | None:
    """The practice stream from ``practice``: a number of images, a dict (``n_images``, ``intro``,
    ``end_message``, ``name``) or ``None`` for none. It is machine teaching (feedback on any image), and
    nothing in it is scored.

    >>> practice_part(3).title, practice_part({"n_images": 2, "intro": "Try it"}).intro
    ('Practice', 'Try it')
    """
    if practice is None or practice == 0:
        return None
    fields = {"n_images": practice} if isinstance(practice, int) and not isinstance(practice, bool) else practice
    if not isinstance(fields, dict) or set(fields) - {"n_images", "intro", "end_message", "name"}:
        raise ValueError(
            f"practice: a number of images, or a table with n_images, intro, end_message and name, got {practice!r}"
        )
    defaults = {
        "name": "Practice", "intro": "A few images to practise on first: nothing here counts.",
        "end_message": "That was the practice. The study starts now.",
    }  # fmt: skip
    return _subsession({**defaults, **fields, "strategy": "MT", "practice": True}, 0, "practice")


def _question(q: Any, where: str) -> Question:
    if isinstance(q, Question):
        return q
    if not isinstance(q, dict) or "id" not in q or "text" not in q:
        raise ValueError(f"{where}: a question is a dict with 'id' and 'text' (and 'scale': 0 for free text)")
    try:
        return Question(**q)
    except TypeError as exc:
        raise ValueError(f"{where}: {exc}") from exc


def subsession_order(n: int, participant_index: int, order: str) -> list[int]:
    """The order a participant goes through ``n`` subsessions.

    ``"counterbalanced"`` uses the rows of a balanced Latin square in turn
    (Williams design): over every ``n`` participants (``2n`` when ``n`` is odd)
    each subsession comes at each place equally often, and follows each other
    one equally often.

    >>> [subsession_order(2, p, "counterbalanced") for p in range(3)]
    [[0, 1], [1, 0], [0, 1]]
    >>> subsession_order(4, 1, "counterbalanced")
    [1, 2, 0, 3]
    """
    if order not in ORDERS:
        raise ValueError(f"order: choose from {ORDERS}, got {order!r}")
    if order == "fixed" or n == 1:
        return list(range(n))
    rows = _williams_rows(n)
    return rows[participant_index % len(rows)]


def _williams_rows(n: int) -> list[list[int]]:
    first, low, high = [0], 1, n - 1
    while len(first) < n:  # 0, 1, n-1, 2, n-2, ...
        first.append(low)
        low += 1
        if len(first) < n:
            first.append(high)
            high -= 1
    rows = [[(v + r) % n for v in first] for r in range(n)]
    if n % 2:  # odd n: the mirrored rows balance the carry-over
        rows += [row[::-1] for row in rows]
    return rows

"""What a stream session keeps: the item waiting for an answer, the counts, and the saved place, as plain JSON.

Nothing here is ever unpickled. The store keeps the walk's place (position,
the item waiting, knob settings) and each labeled text as JSON; the model is
rebuilt on resume by replaying the stream with the logged answers (see
:class:`~hitl_widgets.StreamSession`), so a store someone else can write to can
never run code in the kernel that opens it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ...data.stream_items import NO_TRUTH
from ..prequential import Prequential

SAVED_FORMAT = "hitl_widgets.stream/2"
NOW_KEY = "stream/now"  # the walk's place (JSON), saved at every ask, pause, end, error and undo
ITEM_KEY = "stream/item/"  # + position: a labeled text or dict item and its truth, JSON (for export)


@dataclass
class Ask:
    """An item the walk stopped on: it waits for a label."""

    position: int
    x: Any
    truth: Any
    proba: dict[Hashable, float]
    prediction: Hashable | None
    reason: str  # "gate", "warm-up" or "cold start" (the model cannot predict every class yet)


@dataclass
class StreamMetrics:
    """Counts of the walk, and the curve of accuracy and label rate against items seen."""

    seen: int = 0
    predicted: int = 0  # items passed on the model's prediction
    labeled: int = 0  # answers given
    # each item's prediction, made before any label of it, against its truth (progressive validation;
    # items the model could not predict yet do not count)
    progressive: Prequential = field(default_factory=Prequential)
    answers_with_truth: int = 0
    answers_agreeing: int = 0  # answers equal to the truth (how noisy the labels are)
    recent_rate: float = 0.0  # share of recent items that were asked about
    curve: list[tuple[int, float, float]] = field(default_factory=list)  # (seen, accuracy, recent rate)
    stride: int = 1

    @property
    def with_truth(self) -> int:
        """Items seen with a truth and a prediction (the ones the accuracy counts)."""
        return self.progressive.n

    @property
    def accuracy(self) -> float | None:
        return self.progressive.value

    @property
    def label_rate(self) -> float:
        return self.labeled / self.seen if self.seen else 0.0

    def point(self) -> tuple[int, float, float]:
        """``(seen, accuracy, recent label rate)`` now; accuracy is NaN while no truth was seen."""
        return (self.seen, self.accuracy if self.accuracy is not None else math.nan, self.recent_rate)

    def curve_to_now(self) -> list[tuple[int, float, float]]:
        """The recorded curve, ending with the point of now."""
        if not self.seen or (self.curve and self.curve[-1][0] == self.seen):
            return list(self.curve)
        return [*self.curve, self.point()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "predicted": self.predicted,
            "labeled": self.labeled,
            "accuracy": self.accuracy,
            "with_truth": self.with_truth,
            "label_rate": self.label_rate,
            "recent_rate": self.recent_rate,
            "answer_agreement": self.answers_agreeing / self.answers_with_truth if self.answers_with_truth else None,
        }


class UnreadableState(ValueError):
    """A saved place that is not this version's JSON (an older pickle, or anything else): never loaded."""


@dataclass
class SavedPlace:
    """Where the walk is, as JSON: enough to replay the stream to exactly here.

    ``knobs`` lists ``[position, value]``: from that stream position on, the
    gate's knob had that value (the timeline as it stands, after undos).

    >>> place = SavedPlace(position=12, pending=11, knobs=[[5, 2.0]])
    >>> SavedPlace.from_json(place.to_json()) == place
    True
    >>> try:
    ...     SavedPlace.from_json(b"\\x80\\x04 a pickle")
    ... except UnreadableState as e:
    ...     print(e)
    not JSON (a state saved by an older version, or written by someone else)
    """

    position: int
    pending: int | None = None
    ended: bool = False
    error: str = ""
    knobs: list[list[float]] = field(default_factory=list)
    anchor: tuple[int, str] | None = None  # (position, fingerprint) of the last item read: is it the same stream?

    def to_json(self) -> bytes:
        body = {"format": SAVED_FORMAT, **self.__dict__, "anchor": list(self.anchor) if self.anchor else None}
        return json.dumps(body).encode()

    @classmethod
    def from_json(cls, blob: bytes) -> SavedPlace:
        try:
            body = json.loads(blob.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise UnreadableState("not JSON (a state saved by an older version, or written by someone else)") from None
        if not isinstance(body, dict) or body.get("format") != SAVED_FORMAT:
            raise UnreadableState(f"not of format {SAVED_FORMAT!r}")
        try:
            anchor = body["anchor"]
            return cls(
                position=int(body["position"]),
                pending=None if body["pending"] is None else int(body["pending"]),
                ended=bool(body["ended"]),
                error=str(body["error"]),
                knobs=[[int(p), float(v)] for p, v in body["knobs"]],
                anchor=None if anchor is None else (int(anchor[0]), str(anchor[1])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UnreadableState(f"a field is missing or of the wrong type ({exc})") from None


def item_to_json(x: Any, truth: Any) -> bytes:
    """A labeled text or dict item and its truth, for export (values JSON cannot hold are written as text)."""
    body = {"x": x} if truth is NO_TRUTH else {"x": x, "truth": truth}
    return json.dumps(body, default=str).encode()


def item_from_json(blob: bytes | None) -> tuple[Any, Any]:
    """``(x, truth)`` back from :func:`item_to_json`; ``(None, NO_TRUTH)`` for anything else."""
    if blob is None:
        return None, NO_TRUTH
    try:
        body = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, NO_TRUTH
    if not isinstance(body, dict):
        return None, NO_TRUTH
    return body.get("x"), body.get("truth", NO_TRUTH)


def answers_frame(store: Any):
    """The store's answers as a DataFrame, with each labeled text or row read back from its JSON."""
    import pandas as pd

    rows = []
    for r in store.events():
        if r.kind != "label":
            continue
        x, truth = item_from_json(store.load_state(f"{ITEM_KEY}{r.item_id:012d}"))
        rows.append(
            {
                "position": r.item_id,
                "item": x,
                "label": r.label,
                "truth": None if truth is NO_TRUTH else truth,
                "predicted": r.predicted,
                "confidence": r.score,
                "reason": r.strategy,
                "seconds": r.seconds,
            }
        )
    columns = ["position", "item", "label", "truth", "predicted", "confidence", "reason", "seconds"]
    return pd.DataFrame(rows, columns=columns)


def item_digest(x: Any) -> str:
    """What identifies an item when a store is reopened on a stream (is it the same stream?)."""
    return repr(x)[:300]

"""What a team has done, read from its log: progress per annotator, agreement, disagreements, final labels.

:func:`team_report` is what :class:`~hitl_widgets.TeamDashboard` shows, as
plain data a script can read too; :func:`team_table` is the export (every
annotator's answer and the final one, one row per item); :func:`adjudicate`
records an adjudicator's choice as a final label event.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from ..store import LabelRecord, LabelStore
from ..store.label_store import answers_by_annotator, namespace_of
from .agreement import Agreement, agreement_of, finals_of

RECENT_SECONDS = 300.0  # the rate counts labels over the last five minutes


@dataclass
class TeamReport:
    """Progress per annotator, agreement, and the items the annotators disagree on.

    ``annotators``: one dict per annotator (``name``, ``labels``, ``skips``,
    ``per_minute`` over the last five minutes, ``last_seconds_ago``,
    ``shared`` items labeled by them and someone else, ``agreed`` of those);
    ``disagreements``: ``{"item", "answers": {annotator: label}, "final"}``,
    ``final`` an adjudicator's label or ``None``.
    """

    annotators: list[dict[str, Any]]
    agreement: Agreement
    disagreements: list[dict[str, Any]]
    n_labeled: int  # items with at least one label
    n_final: int  # items with a final label (majority or adjudicated)
    n_items: int | None  # the pool's size, when known

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what the dashboard's page draws."""
        a = self.agreement
        names = a.annotators
        kappa = [[None] * len(names) for _ in names]
        shared = [[0] * len(names) for _ in names]
        for row in a.pairs.itertuples():
            i, j = names.index(row.annotator_a), names.index(row.annotator_b)
            kappa[i][j] = kappa[j][i] = _number(row.cohen_kappa)
            shared[i][j] = shared[j][i] = int(row.items)
        return {
            "annotators": self.annotators,
            "matrix": {"names": names, "kappa": kappa, "items": shared},
            "alpha": _number(a.alpha),
            "alpha_items": a.alpha_items,
            "fleiss": _number(a.fleiss_kappa),
            "fleiss_items": a.fleiss_items,
            "disagreements": [
                {
                    **d,
                    "item": json_value(d["item"]),
                    "answers": {k: json_value(v) for k, v in d["answers"].items()},
                    "final": json_value(d["final"]),
                }
                for d in self.disagreements
            ],  # fmt: skip
            "n_labeled": self.n_labeled,
            "n_final": self.n_final,
            "n_items": self.n_items,
        }


def team_report(records: list[LabelRecord], *, n_items: int | None = None, now: float | None = None) -> TeamReport:
    """The report on a team's events (``store.events()``).

    >>> store = LabelStore(":memory:")
    >>> for item, (a, b) in enumerate([("cat", "cat"), ("cat", "dog")]):
    ...     _ = store.record_label(item, a, annotator="ana"); _ = store.record_label(item, b, annotator="bo")
    >>> report = team_report(store.events(), n_items=10)
    >>> [(p["name"], p["labels"], p["shared"], p["agreed"]) for p in report.annotators]
    [('ana', 2, 2, 1), ('bo', 2, 2, 1)]
    >>> report.disagreements
    [{'item': 1, 'answers': {'ana': 'cat', 'bo': 'dog'}, 'final': None}]
    """
    now = time.time() if now is None else now
    answers = answers_by_annotator(records)
    finals = finals_of(records)
    adjudicated = {r.item_id: r.label for r in records if r.kind == "final"}
    people = sorted({r.annotator for r in records if r.kind in ("label", "skip")})
    annotators = [_progress(name, records, answers, now) for name in people]
    disagreements = [
        {"item": item, "answers": dict(sorted(by.items())), "final": adjudicated.get(item)}
        for item, by in answers.items()
        if len({str(y) for y in by.values()}) > 1
    ]
    return TeamReport(
        annotators=annotators,
        agreement=agreement_of(records),
        disagreements=disagreements,
        n_labeled=len(answers),
        n_final=sum(v is not None for v in finals.values()),
        n_items=n_items,
    )


def adjudicate(
    store: LabelStore | str, item_id: Hashable, label: Hashable, *, adjudicator: str = "adjudicator",
    namespace: str | None = None, session: str | None = None,
) -> None:  # fmt: skip
    """Record ``label`` as ``item_id``'s final label (the annotators' answers stay as they were).

    ``store``: a store, a path or a database URL (opened on ``namespace``; ``session`` is its older name).

    >>> store = LabelStore(":memory:")
    >>> _ = store.record_label(1, "cat", annotator="ana"); _ = store.record_label(1, "dog", annotator="bo")
    >>> adjudicate(store, 1, "dog", adjudicator="lee")
    >>> team_table(store).to_dict("records")
    [{'item_id': 1, 'ana': 'cat', 'bo': 'dog', 'final': 'dog', 'final_by': 'lee'}]
    """
    store = LabelStore.of(store, namespace_of(namespace, session, "adjudicate"))
    if not any(r.item_id == item_id and r.kind == "label" for r in store.events_about([item_id])):
        raise ValueError(f"adjudicate: item {item_id!r} has no labels to adjudicate between")
    store.record_final(item_id, label, annotator=adjudicator)


def team_table(store: LabelStore | str, namespace: str | None = None, *, session: str | None = None):
    """Every annotator's answer and the final one, one row per labeled item (a DataFrame).

    ``store``: a store, a path or a database URL (opened on ``namespace``; ``session`` is its older name).
    ``final_by``: the adjudicator's name, ``"majority"`` (two or more answers, most of them alike),
    ``"single answer"`` (one annotator labeled it), or ``None`` on a tie nobody settled.
    """
    import pandas as pd

    records = LabelStore.of(store, namespace_of(namespace, session, "team_table")).events()
    answers = answers_by_annotator(records)
    finals = finals_of(records)
    judges = {r.item_id: r.annotator for r in records if r.kind == "final"}
    people = sorted({a for by in answers.values() for a in by})
    rows = []
    for item, by in answers.items():
        final = finals.get(item)
        settled = None if final is None else "majority" if len(by) > 1 else "single answer"
        by_whom = judges.get(item, settled)
        rows.append({"item_id": item, **{p: by.get(p) for p in people}, "final": final, "final_by": by_whom})
    return pd.DataFrame(rows, columns=["item_id", *people, "final", "final_by"])


def _progress(name: str, records: list[LabelRecord], answers: dict, now: float) -> dict[str, Any]:
    mine = [r for r in records if r.annotator == name]
    labels = [r for r in mine if r.kind == "label"]
    shared = [by for by in answers.values() if name in by and len(by) > 1]
    agreed = sum(all(str(y) == str(by[name]) for y in by.values()) for by in shared)
    recent = sum(r.created_at >= now - RECENT_SECONDS for r in labels)
    last = max((r.created_at for r in mine), default=None)
    return {
        "name": name,
        "labels": sum(name in by for by in answers.values()),
        "skips": sum(r.kind == "skip" for r in mine),
        "per_minute": round(recent / (RECENT_SECONDS / 60), 2),
        "last_seconds_ago": None if last is None else round(max(0.0, now - last), 1),
        "shared": len(shared),
        "agreed": agreed,
    }


def _json_disagreement(d: dict[str, Any]) -> dict[str, Any]:
    answers = {who: json_value(y) for who, y in d["answers"].items()}
    return {**d, "item": json_value(d["item"]), "answers": answers, "final": json_value(d["final"])}


def _number(v: Any) -> float | None:
    return None if v is None or v != v else float(v)  # NaN (no variation) reads as no figure


def json_value(v: Any) -> Any:
    """How a value reaches a page (JSON): numbers and strings as they are, anything else as text."""
    return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)

"""A study's log as tables: one row per interaction, and one per participant x subsession."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .study import Study

EVENT_COLUMNS = [
    "id", "participant", "kind", "subsession", "strategy", "created_at", "page_time", "phase", "image",
    "position", "asked", "allowed", "resumed", "predicted", "confidence", "label", "via", "response_time",
    "correct", "accuracy", "feedback", "answers", "order", "index", "step", "n_images",
]  # fmt: skip


def results_frame(events: list[dict[str, Any]], study: Study):
    """Every interaction as a row; ``strategy`` names the subsession's strategy; answers stay a dict."""
    import pandas as pd

    frame = pd.DataFrame(events, columns=[*EVENT_COLUMNS, "study"]).drop(columns="study")
    for column in ("label", "predicted"):  # as given (3 stays 3, not 3.0 beside rows without one)
        frame[column] = pd.Series([e.get(column) for e in events], dtype=object)
    for column in ("subsession", "image", "position", "index", "step", "n_images"):
        frame[column] = frame[column].astype("Int64")
    names = {i: sub.strategy for i, sub in enumerate(study.plan)}
    frame["strategy"] = frame["subsession"].map(names)
    return frame


def subsession_table(frame, study: Study):
    """One row per participant x subsession: what was shown, asked and given, response times, accuracy, answers."""
    import pandas as pd

    rows = []
    for (participant, sub), part in frame.dropna(subset=["subsession"]).groupby(["participant", "subsession"]):
        plan = study.plan[int(sub)]
        hidden, feedback = part[part.kind == "hidden"], part[part.kind == "feedback"]
        start, end = part[part.kind == "subsession_start"], part[part.kind == "subsession_end"]
        row = {
            "participant": participant, "subsession": int(sub), "name": plan.title, "strategy": plan.strategy,
            "step": int(start["step"].iloc[0]) if "step" in start and len(start) else None,
            "images": plan.n_images, "shown": len(hidden), "asked": int(hidden["asked"].astype(bool).sum()),
            "feedback": len(feedback), "correct_feedback": int(feedback["correct"].astype(bool).sum()),
            "response_time_median": feedback["response_time"].median() if len(feedback) else None,
            "final_accuracy": float(end["accuracy"].iloc[-1]) if len(end) else None,
            "completed": bool(len(end)),
        }  # fmt: skip
        for answers in part.loc[part.kind == "answers", "answers"]:
            row.update({f"q_{qid}": value for qid, value in answers.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def export_results(frame, study: Study, folder: Path) -> Path:
    """Write ``events.csv``, ``events.json`` and ``subsessions.csv`` into ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    flat = frame.copy()
    for column in ("answers", "order"):
        flat[column] = flat[column].map(lambda v: json.dumps(v) if isinstance(v, (dict, list)) else v)
    flat.to_csv(folder / "events.csv", index=False)
    frame.to_json(folder / "events.json", orient="records", indent=1)
    subsession_table(frame, study).to_csv(folder / "subsessions.csv", index=False)
    return folder

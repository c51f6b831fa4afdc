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
    "correct", "accuracy", "feedback", "answers", "scales", "order", "index", "step", "n_images", "stream", "agree",
    "check", "checks", "practice",
]  # fmt: skip


def results_frame(events: list[dict[str, Any]], study: Study):
    """Every interaction as a row; ``strategy`` names the subsession's strategy (``"practice"`` for the practice,
    whose rows have ``practice`` True); ``check`` marks the rows about an attention check; answers stay a dict."""
    import pandas as pd

    frame = pd.DataFrame(events, columns=[*EVENT_COLUMNS, "study"]).drop(columns="study")
    for column in ("label", "predicted"):  # as given (3 stays 3, not 3.0 beside rows without one)
        frame[column] = pd.Series([e.get(column) for e in events], dtype=object)
    for column in ("subsession", "image", "position", "index", "step", "n_images"):
        frame[column] = frame[column].astype("Int64")
    names = {i: "practice" if sub.practice else sub.strategy for i, sub in enumerate(study.parts)}
    frame["strategy"] = frame["subsession"].map(names)
    frame["practice"] = frame["strategy"] == "practice"
    frame["check"] = frame["check"].eq(True)  # rows without the field (older logs, other kinds): not a check
    return frame


def scored(frame):
    """The rows the results are about: not the practice, not an attention check (older logs have neither)."""
    keep = frame.index == frame.index
    for column in ("practice", "check"):
        if column in frame:
            keep &= ~frame[column].eq(True)
    return frame[keep]


def participant_table(frame, study: Study):
    """One row per participant: the last screen they reached (``last_phase``), whether they ``finished`` (reached
    the end), the subsessions they completed (the practice not counted), the attention checks they saw and
    passed (answered right), when they joined and when they were last active (wall seconds).

    A participant who stopped anywhere before the end (at the questions, in a stream, at the instructions) is
    a dropout: ``finished`` is False and ``last_phase`` says where.
    """
    import pandas as pd

    rows = []
    for participant, part in frame.groupby("participant", sort=False):
        phases = part[part.kind == "phase"].phase
        last = str(phases.iloc[-1]) if len(phases) else study.first_phase  # a join records no phase
        checks = part[part.check]
        rows.append({
            "participant": participant, "last_phase": last, "finished": last == "done",
            "subsessions_completed": int(sum(_completed(run) for _, run in _runs(part) if not run.practice.any())),
            "checks": int((checks.kind == "hidden").sum()),
            "checks_passed": int(checks.loc[checks.kind == "feedback", "correct"].astype(bool).sum()),
            "joined_at": float(part.created_at.min()), "last_active_at": float(part.created_at.max()),
        })  # fmt: skip
    columns = ["participant", "last_phase", "finished", "subsessions_completed", "checks", "checks_passed",
               "joined_at", "last_active_at"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _runs(frame):
    return frame.dropna(subset=["subsession"]).groupby(["participant", "subsession"])


def _completed(run) -> bool:
    """A subsession is completed when its stream ended and its questions, if it has any, were answered (a
    participant who left at the questions did not complete it)."""
    ended = bool((run.kind == "subsession_end").any())
    asked = bool(((run.kind == "phase") & (run.phase == "questions")).any())
    return ended and (not asked or bool((run.kind == "answers").any()))


def subsession_table(frame, study: Study):
    """One row per participant x subsession: what was shown, asked and given, response times, accuracy, answers;
    ``completed`` (the stream ended and its questions were answered) and whether the participant ``finished``
    the study."""
    import pandas as pd

    finished = dict(participant_table(frame, study)[["participant", "finished"]].itertuples(index=False))
    rows = []
    for (participant, sub), part in _runs(frame):
        plan = study.parts[int(sub)]
        if plan.practice:
            continue
        checks = part[(part.kind == "hidden") & part.check]
        checked = part[(part.kind == "feedback") & part.check]
        part = scored(part)
        hidden, feedback = part[part.kind == "hidden"], part[part.kind == "feedback"]
        start, end = part[part.kind == "subsession_start"], part[part.kind == "subsession_end"]
        row = {
            "participant": participant, "subsession": int(sub), "name": plan.title, "strategy": plan.strategy,
            "step": int(start["step"].iloc[0]) if "step" in start and len(start) else None,
            # the part's place as the participant met it (1, 2...): the practice, when there is one, comes first
            "part": int(start["step"].iloc[0]) + 1 - (study.practice is not None) if len(start) else None,
            "images": plan.n_images, "shown": len(hidden), "asked": int(hidden["asked"].astype(bool).sum()),
            "feedback": len(feedback), "correct_feedback": int(feedback["correct"].astype(bool).sum()),
            "response_time_median": feedback["response_time"].median() if len(feedback) else None,
            "final_accuracy": float(end["accuracy"].iloc[-1]) if len(end) else None,
            "completed": _completed(part), "finished": finished[participant],
            "checks": len(checks), "checks_passed": int(checked["correct"].astype(bool).sum()),
        }  # fmt: skip
        for answers in part.loc[part.kind == "answers", "answers"]:
            row.update({f"q_{qid}": value for qid, value in answers.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def export_results(frame, study: Study, folder: Path) -> Path:
    """Write ``events.csv``, ``events.json``, ``subsessions.csv`` and ``participants.csv`` (dropouts marked)
    into ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    flat = frame.copy()
    for column in ("answers", "scales", "order", "stream"):
        flat[column] = flat[column].map(lambda v: json.dumps(v) if isinstance(v, (dict, list)) else v)
    flat.to_csv(folder / "events.csv", index=False)
    frame.to_json(folder / "events.json", orient="records", indent=1)
    subsession_table(frame, study).to_csv(folder / "subsessions.csv", index=False)
    participant_table(frame, study).to_csv(folder / "participants.csv", index=False)
    return folder

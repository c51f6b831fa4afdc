"""A study's results as figures, per strategy across participants: the curves a researcher looks at first.

Every function takes the events table (:meth:`Study.results
<hitl_widgets.Study.results>` or :func:`load_results` on an exported folder)
and an ``ax``; :func:`summary_figure` lays them out together.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .results import scored

COLOURS = {"MT": "#1f77b4", "ALMT": "#d62728"}
FEW = 5  # with fewer runs per strategy than this, each run is drawn instead of a confidence band


def load_results(folder: str | Path):
    """The events table an export wrote (``events.json``), answers as dicts."""
    import pandas as pd

    rows = json.loads((Path(folder) / "events.json").read_text())
    return pd.DataFrame(rows)


def t_95(n: Any) -> Any:
    """Student's t quantile for a two-sided 95% interval of a mean over ``n`` values (n >= 2).

    >>> round(float(t_95(5)), 3)
    2.776
    """
    from scipy.stats import t

    return t.ppf(0.975, np.maximum(np.asarray(n) - 1, 1))


def accuracy_curves(events, by: str) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """Per strategy, one hold-out accuracy curve per participant x subsession.

    ``by="time"``: seconds since the stream's first image against accuracy (a
    step function); ``by="feedback"``: feedback given so far (0, 1, 2...)
    against accuracy. Each curve starts at the initial model's accuracy.
    """
    if by not in ("time", "feedback"):
        raise ValueError(f"by: 'time' or 'feedback', got {by!r}")
    events = scored(events)
    curves: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    runs = events[events.kind.isin(["subsession_start", "shown", "feedback"])].groupby(["participant", "subsession"])
    for _, run in runs:
        start = run[run.kind == "subsession_start"]
        shown, feedback = run[run.kind == "shown"], run[run.kind == "feedback"]
        if start.empty or shown.empty:
            continue
        acc = np.r_[start.accuracy.iloc[-1], feedback.accuracy.to_numpy(dtype=float)]
        if by == "time":
            x = np.r_[0.0, feedback.page_time.to_numpy(dtype=float) - shown.page_time.iloc[0]]
        else:
            x = np.arange(len(acc), dtype=float)
        curves.setdefault(start.strategy.iloc[-1], []).append((x, acc))
    return curves


def mean_band(
    curves: list[tuple[np.ndarray, np.ndarray]], grid: np.ndarray, hold_last: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over curves on ``grid``, the 95% confidence half-width (Student's t: few participants), and how
    many curves each grid point has.

    ``hold_last``: a curve keeps its last value past its end (time: the
    stream goes on); otherwise it leaves the mean there (feedback: a run that
    gave 12 labels says nothing about the 13th).
    """
    values = np.array([y[np.clip(np.searchsorted(x, grid, side="right") - 1, 0, None)] for x, y in curves])
    if not hold_last:
        values[np.array([grid > x[-1] for x, _ in curves])] = np.nan
    n = np.sum(~np.isnan(values), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a grid point no curve (or one) reaches: left out
        mean = np.nanmean(values, axis=0)
        half = np.where(n > 1, t_95(n) * np.nanstd(values, axis=0, ddof=1) / np.sqrt(n), 0.0)
    return mean, half, n


def plot_accuracy(events, ax: Any, by: str = "time") -> None:
    """Hold-out accuracy against time (s) or against feedback given, per strategy: the mean with a 95% band
    (clipped to [0, 1]), or with fewer than ``FEW`` runs, the mean and each run (a band over two or three runs
    says little: Student's t with one degree of freedom is 12.7)."""
    for strategy, curves in sorted(accuracy_curves(events, by).items()):
        end = max(x[-1] for x, _ in curves)
        grid = np.linspace(0, end, 200) if by == "time" else np.arange(end + 1)
        mean, half, n = mean_band(curves, grid, hold_last=by == "time")
        colour = COLOURS.get(strategy)
        if len(curves) < FEW:
            for x, y in curves:
                ax.plot(x, y, color=colour, alpha=0.35, linewidth=0.8, drawstyle="steps-post")
            label = f"{strategy}: mean of {len(curves)} run{'s' * (len(curves) != 1)}, thin: each run"
        else:
            enough = n >= FEW  # where only a few runs go on (many feedback), the mean goes on without a band
            ax.fill_between(grid, np.clip(mean - half, 0, 1), np.clip(mean + half, 0, 1), where=enough, color=colour,
                            alpha=0.2, step="post")  # fmt: skip
            label = f"{strategy}: mean of {len(curves)} runs, 95% interval where {FEW} or more"
        ax.plot(grid, mean, color=colour, label=label, drawstyle="steps-post")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("seconds into the stream" if by == "time" else "feedback given")
    ax.set_ylabel("hold-out accuracy")
    ax.legend(loc="lower right", fontsize="small")


def plot_feedback_counts(events, ax: Any) -> None:
    """Feedback given per participant and subsession, per strategy (a dot per participant, the mean as a bar)."""
    events = scored(events)
    counts = events[events.kind == "feedback"].groupby(["strategy", "participant"]).size()
    runs = events[events.kind == "subsession_start"].groupby(["strategy", "participant"]).size()
    counts = counts.reindex(runs.index, fill_value=0) / runs  # per subsession
    for i, (strategy, per) in enumerate(counts.groupby(level=0)):
        ax.bar(i, per.mean(), color=COLOURS.get(strategy), alpha=0.35)
        ax.scatter(np.full(len(per), i) + np.linspace(-0.15, 0.15, len(per)), per, color=COLOURS.get(strategy), s=12)
    ax.set_xticks(range(counts.index.levels[0].size), list(counts.index.levels[0]))
    ax.set_ylabel("feedback per subsession")


def plot_response_times(events, ax: Any) -> None:
    """Seconds from an image going up to its feedback, per strategy."""
    events = scored(events)
    fb = events[events.kind == "feedback"].dropna(subset=["response_time"])
    names = sorted(fb.strategy.unique())
    ax.boxplot([fb[fb.strategy == s].response_time for s in names], showfliers=False)
    ax.set_xticks(range(1, len(names) + 1), names)
    ax.set_ylabel("response time (s)")


def plot_answers(events, ax: Any) -> None:
    """Each Likert question's mean answer per strategy with every answer as a dot, and with ``FEW`` answers or
    more a 95% interval clipped to the scale (free text is left to the table)."""
    rows = [
        (r.strategy, qid, value)
        for r in events[events.kind == "answers"].itertuples()
        for qid, value in (r.answers or {}).items()
        if isinstance(value, (int, float))
    ]
    if not rows:
        ax.text(0.5, 0.5, "no Likert answers", ha="center", va="center", transform=ax.transAxes)
        return
    questions = sorted({q for _, q, _ in rows})
    strategies = sorted({s for s, _, _ in rows})
    scales = _scales(events)
    top = max(scales.get(q, 5) for q in questions)
    width = 0.8 / len(strategies)
    for j, strategy in enumerate(strategies):
        for i, q in enumerate(questions):
            values = np.array([v for s, qq, v in rows if s == strategy and qq == q], dtype=float)
            if not len(values):
                continue
            x, mean, colour = i + j * width, values.mean(), COLOURS.get(strategy)
            error = None
            if len(values) >= FEW:
                half = t_95(len(values)) * values.std(ddof=1) / np.sqrt(len(values))
                low, high = max(mean - half, 1), min(mean + half, scales.get(q, 5))
                error = [[mean - low], [high - mean]]
            ax.bar(x, mean, width, yerr=error, color=colour, alpha=0.6, label=strategy if i == 0 else None)
            spread = np.linspace(-0.25, 0.25, len(values)) * width if len(values) > 1 else np.zeros(1)
            ax.scatter(x + spread, values, color=colour, s=10, zorder=3)
    ax.set_xticks(np.arange(len(questions)) + width * (len(strategies) - 1) / 2, questions)
    ax.set_ylim(0, top + 0.5)
    ax.set_yticks(range(1, top + 1))
    ax.set_ylabel(f"answer (1-{top}): mean, dots: each")
    ax.legend(fontsize="small")


def _scales(events) -> dict[str, int]:
    """Each Likert question's number of points, as the log's answers say (5 where a log from before says nothing)."""
    scales: dict[str, int] = {}
    if "scales" in events:
        for given in events.loc[events.kind == "answers", "scales"]:
            if isinstance(given, dict):
                scales.update({str(k): int(v) for k, v in given.items()})
    return scales


def summary_figure(events):
    """Accuracy against time and against feedback, feedback counts, response times, answers: one figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(15, 8), layout="constrained")
    plot_accuracy(events, axes[0, 0], by="time")
    plot_accuracy(events, axes[0, 1], by="feedback")
    plot_feedback_counts(events, axes[0, 2])
    plot_response_times(events, axes[1, 0])
    plot_answers(events, axes[1, 1])
    axes[1, 2].axis("off")
    n = events.participant.nunique()
    axes[1, 2].text(0, 0.9, f"{n} participants\n{int((events.kind == 'feedback').sum())} feedback events",
                    va="top", fontsize=12)  # fmt: skip
    return fig

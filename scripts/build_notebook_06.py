"""Writes notebooks/06_study_results.ipynb (run from the repository root: python scripts/build_notebook_06.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 6 · A study's results: machine teaching against active learning

A `Study` shows participants timed streams of images in subsessions: in **MT** (machine teaching) they
choose which images to teach the model; in **ALMT** (active learning with machine teaching) the model
asks about the images it is unsure of and feedback on the others is switched off. Every interaction
is recorded in the study's store; `study.export("study_results/")` writes `events.csv`, `events.json`
and `subsessions.csv`. This notebook reads such a folder.

Running a study (see the README): build it in a notebook or from a TOML file, serve the participant's
page with Voila, export when everyone is done:

```python
from hitl_widgets import Study
study = Study.demo(plan=[("MT", 30), ("ALMT", 30)], order="counterbalanced", store="study.db")
study.participant()            # the last line of the notebook Voila serves: an ID screen first
study.export("study_results/")
```

Set `HITL_STUDY_RESULTS` to your folder (or edit the cell below). Without one, the cell runs a pilot
with **20 simulated participants** through the same code path as people (a participant model that
answers right 90% of the time after about a second, and teaches half of the images in MT), so every
figure below has something to show."""),
    code("""import os
from pathlib import Path

import pandas as pd
from hitl_widgets.study import SimulatedParticipant, Study, load_results, simulate_study, summary_figure

RESULTS = Path(os.environ.get("HITL_STUDY_RESULTS", "study_results"))
if not (RESULTS / "events.json").exists():    # no study here yet: a simulated pilot
    questions = [{"id": "trust", "text": "I trusted the model"},
                 {"id": "effort", "text": "Teaching it took little effort"},
                 {"id": "note", "text": "Anything else?", "scale": 0}]
    pilot = Study.demo(plan=[{"strategy": "MT", "n_images": 30, "questions": questions},
                             {"strategy": "ALMT", "n_images": 30, "questions": questions}],
                       order="counterbalanced", store=":memory:", seed=0)
    simulate_study(pilot, 20, SimulatedParticipant(accuracy=0.9, feedback_rate=0.5, seed=1))
    pilot.export(RESULTS)

events = load_results(RESULTS)
print(events.participant.nunique(), "participants,", len(events), "interactions")"""),
    md("""One row per participant and subsession: images shown, how many the model asked about (all of them
in MT), feedback given and how much of it was right, the median response time, and the model's
hold-out accuracy at the end of the stream."""),
    code("""table = pd.read_csv(RESULTS / "subsessions.csv")
table.groupby("strategy")[["shown", "asked", "feedback", "correct_feedback",
                           "response_time_median", "final_accuracy"]].mean().round(3)"""),
    md("""**Top left**: hold-out accuracy against seconds into the stream, the mean over participants with a
95% confidence band: which way of teaching gets a good model sooner? **Top middle**: the same against
feedback given: which way gets more out of each label? (A run leaves the mean once it has no more
feedback.) **Top right**: feedback per subsession, a dot per participant. **Bottom**: response times,
and the mean answer to each Likert question per strategy."""),
    code("""fig = summary_figure(events)"""),
    md("""The answers to every question, per strategy (free text as given):"""),
    code("""answers = events[events.kind == "answers"]
given = pd.DataFrame([{"strategy": r.strategy, **r.answers} for r in answers.itertuples()])
given.groupby("strategy").mean(numeric_only=True).round(2)         # the Likert items; free text below"""),
    code("""given.drop(columns=given.select_dtypes("number").columns).head(10)"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/06_study_results.ipynb")

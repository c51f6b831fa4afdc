"""Writes notebooks/04_stream_labeling.ipynb (run from the repository root: python scripts/build_notebook_04.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 4 · Labeling a stream: the model asks only when it is unsure

Messages arrive one after another. An **online** model (river: bag of words + logistic regression)
predicts each one. A **gate** decides whether to ask you: river's `EntropySampler` asks with a
probability that grows with the model's uncertainty (normalised entropy to the power of the
*discount factor*). Confident items are predicted and passed on, thousands per second; the widget
stops on the ones it asks about.

| key | does |
|---|---|
| `1`, `2` | answer *ham* / *spam*: the model learns it, the stream goes on |
| `Enter` | accept the model's prediction as the answer |
| `Backspace`, `Ctrl+Z` | undo the last answer: model, counts and stream go back to that item |
| `Space` | pause / go on |

Click the widget first so that it has the keyboard. The messages are generated in code
(`sms_spam`: templates in the style of the UCI SMS Spam Collection, which river downloads and this
notebook does not). Half-way through, a new spam campaign starts (`drift_at`), with words the model
has never seen: watch the label rate rise again."""),
    code("""import tempfile
from pathlib import Path

from hitl_widgets import StreamLabeler, sms_spam

messages = sms_spam(20_000, drift_at=8_000)          # (text, truth): the truth is used for the metrics only
store = Path(tempfile.mkdtemp()) / "sms_stream.db"  # a fresh store per run, so the notebook shows the same every time
w = StreamLabeler(messages, classes=["ham", "spam"], store=store)
w"""),
    md("""*predicted* counts items passed on the model's prediction; *labeled* counts your answers;
*accuracy* is progressive validation: each message is predicted before any label of it is learned,
and scored against the truth the stream carries.

Answer some by hand. Or let the next cell play the annotator: it answers 40 asks with the truth,
through the same method the keys call, and the widget above follows along."""),
    code("""for _ in range(40):
    w.wait()                                       # the walk runs in a background thread
    if w.status != "asking":
        break
    w.label(messages[w.item["position"]][1])
w.wait()
{k: w.metrics[k] for k in ("seen", "predicted", "labeled", "accuracy", "label_rate")}"""),
    md("""## How often it asks

The slider in the widget sets the gate's discount factor; so does `knob_value`. It applies from
the next message. A higher factor asks less."""),
    code("""w.knob_value = 8.0
for _ in range(15):
    w.wait()
    if w.status != "asking":
        break
    w.label(messages[w.item["position"]][1])
w.wait()
print(w.status, {k: w.metrics[k] for k in ("seen", "predicted", "labeled")})"""),
    md("""The new spam campaign starts at message 8,000. The next cell sets the discount factor back
to 3 and answers on until 12,000 messages have gone by. In the curve below, the recent label rate
climbs from almost nothing to a few percent as the campaign's words arrive, and falls again as the
model learns them; accuracy (counted over the whole stream so far) hardly moves."""),
    code("""w.knob_value = 3.0
while w.metrics["seen"] < 12_000:
    w.wait()
    if w.status != "asking":
        break
    w.label(messages[w.item["position"]][1])
w.wait()
print(w.status, {k: w.metrics[k] for k in ("seen", "predicted", "labeled")})"""),
    code("""import matplotlib.pyplot as plt

seen, accuracy, rate = zip(*w.curve)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(seen, accuracy, label="accuracy (progressive)")
ax.plot(seen, rate, label="label rate (recent)")
ax.axvline(8_000, color="grey", ls=":", label="new spam campaign")
ax.set_xlabel("messages seen"); ax.set_ylim(0, 1); ax.legend(); plt.show()"""),
    md("""## Comparing gates without a person

`StreamSession` is the widget without the page. Here the truth answers every ask, so the gates can be
compared on labels spent against accuracy: river's entropy gate at three discount factors, and a
threshold gate with a budget (Žliobaitė et al. 2014)."""),
    code("""from hitl_widgets import StreamSession, ThresholdGate

def run(gate_name, **gate):
    from river import active
    from hitl_widgets.learners.river_defaults import default_stream_learner
    learner = default_stream_learner("text")
    g = active.EntropySampler(learner, seed=0, **gate) if gate_name == "entropy" else ThresholdGate(**gate)
    s = StreamSession(messages, learner, g, classes=["ham", "spam"], store=":memory:")
    while s.walk() == "ask":
        s.answer(s.pending.truth)
    return s.metrics

for name, gate in [("entropy", {"discount_factor": 1}), ("entropy", {"discount_factor": 3}),
                   ("entropy", {"discount_factor": 8}), ("threshold", {"threshold": 0.9, "budget": 0.05})]:
    m = run(name, **gate)
    print(f"{name:9} {gate}: {m.labeled:4} labels ({m.label_rate:.1%}), accuracy {m.accuracy:.3f}")"""),
    md("""## Fields and markup

A dict is shown as a small table. Text is always shown as text: markup in a message is never run."""),
    code("""suspicious = [
    ('<b>WIN</b> <script>alert("hi")</script> <img src=x onerror=alert(1)> call 0800 now', "spam"),
    ("see you at 7", "ham"),
]
StreamLabeler(suspicious, classes=["ham", "spam"], store=":memory:")"""),
    code("""import random

rng = random.Random(0)
payments = [({"amount": round(rng.expovariate(1 / 80), 2), "country": rng.choice(["NL", "DE", "FR", "US"]),
              "hour": rng.randrange(24)}, None) for _ in range(500)]
payments = [(x, "fraud" if x["amount"] > 250 and x["hour"] < 6 else "ok") for x, _ in payments]
StreamLabeler(payments, classes=["ok", "fraud"], store=":memory:", warm_up=5)"""),
    md("""## Export, save and resume

Every answer is committed to the store (`sms_stream.db`) before the model learns it, and the walk's place is
saved there (as JSON) at every ask. Reopening the same stream with the same store resumes exactly:
the stream is walked again to that place, learning each answer where it was given, so the same
message is on screen with the same counts. `reset()` (the *Reset* button) starts
over from the first message with a fresh model."""),
    code("""w.to_dataframe().tail()"""),
    code("""w.save()                                          # (it is saved at every ask anyway)
again = StreamLabeler(messages, classes=["ham", "spam"], store=store)
again.wait()
print("on screen:", w.item.get("position"), "and", again.item.get("position"),
      "· labels:", len(w.labels), "and", len(again.labels))"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/04_stream_labeling.ipynb")

"""Writes notebooks/07_text_labeling.ipynb (run from the repository root: python scripts/build_notebook_07.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 7 · Labeling a pool of texts with margin sampling

`Labeler` labels a pool of **texts**, **table rows** or **images**: whatever the items are, the loop is
the same. The model (for texts, river's bag of words and logistic regression, learning one label at a
time) ranks the pool after every answer, and **margin sampling** puts first the text it is least sure
about: the one whose two most probable labels are closest.

| key | does |
|---|---|
| `1`, `2` | label *ham* / *spam*; the next text is the model's new first pick |
| `Enter`, `Space` | skip (it comes back at the end) |
| `Backspace`, `Ctrl+Z` | undo: the text comes back and the model forgets the label |
| `←` `→` | step back through answered texts; a key changes the label |

Click the widget first so that it has the keyboard. The texts are generated in code (`sms_spam`:
templates in the style of the UCI SMS Spam Collection); their truth is kept aside to play the
annotator below and to score a held-out set. Texts are always shown as text, never as HTML."""),
    code("""from hitl_widgets import Labeler, sms_spam

pool = sms_spam(400, seed=11)                  # (text, truth)
held_out = sms_spam(300, seed=12)
texts, truth = [x for x, _ in pool], [y for _, y in pool]

w = Labeler(texts, labels=["ham", "spam"], sampler="margin",
            test=([x for x, _ in held_out], [y for _, y in held_out]),
            store=":memory:")                  # a file path keeps the labels and resumes where you stopped
w"""),
    md("""Label some by hand. Or let the next cell play the annotator: it answers 40 texts with their truth,
through the same method the keys call, and the widget above follows along."""),
    code("""for _ in range(40):
    w.label(truth[w.current])
    w.wait()                                       # the model learns in the background; wait to see it
print(len(w.labels), "labels · held-out accuracy", round(w.session.history[-1]["heldout_accuracy"], 3))"""),
    md("""**Why these texts?** Margin sampling asks about the texts the model finds hardest to call. The
next few picks, with the model's probability of *spam*:"""),
    code("""import numpy as np

picks = [w.current, *w.upcoming[:4]]
p_spam = w.session.predict_proba([w.pool.index_of(i) for i in picks])[:, 1]
for item, p in zip(picks, p_spam, strict=True):
    print(f"{p:5.2f}  {texts[item][:70]}")
everything = w.session.predict_proba()[:, 1]
print("most texts are far from 0.5:", np.round(np.quantile(np.abs(everything - 0.5), [0.25, 0.5, 0.75]), 2))"""),
    md("""## Margin against picking at random

The same 400 texts, the same held-out set, the truth as the annotator: 60 labels with each strategy,
three seeds. Run headless: a `Session` and a `LabelQueue` are the labeler's loop without the widget."""),
    code("""import matplotlib.pyplot as plt
from hitl_widgets import LabelQueue, item_session

def curve(sampler, seed):
    q = LabelQueue(item_session(texts, labels=["ham", "spam"], sampler=sampler, seed=seed,
                                test=([x for x, _ in held_out], [y for _, y in held_out]), store=":memory:"))
    for _ in range(60):
        q.label(truth[q.current])
    return [h["heldout_accuracy"] for h in q.session.history]

fig, ax = plt.subplots(figsize=(6, 3.2))
for sampler, colour in (("margin", "tab:blue"), ("uniform", "tab:grey")):
    for seed in range(3):
        ax.plot(range(1, 61), curve(sampler, seed), color=colour, alpha=0.7, label=sampler if seed == 0 else None)
ax.set_xlabel("labels")
ax.set_ylabel("held-out accuracy")
ax.legend()
plt.show()"""),
    md("""## Table rows

A list of dicts or a DataFrame is shown as a small table; the default model scales the numbers and
one-hot encodes the strings."""),
    code("""import pandas as pd

rng = np.random.default_rng(0)
payments = pd.DataFrame({"amount": rng.exponential(80, 300).round(2),
                         "country": rng.choice(["NL", "DE", "FR", "US"], 300),
                         "hour": rng.integers(0, 24, 300)})
Labeler(payments, labels=["ok", "fraud"], store=":memory:")"""),
    md("""## Export

`w.to_dataframe()` has every answer with its time, the strategy, the model's prediction when it was
shown and the seconds taken; `w.export_labels("labels.csv")` writes them."""),
    code("""w.to_dataframe()[["item_id", "label", "strategy", "predicted", "seconds"]].tail()"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/07_text_labeling.ipynb")

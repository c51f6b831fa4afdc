"""Writes notebooks/03_strategies.ipynb (run from the repository root: python scripts/build_notebook_03.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 3 · Comparing query strategies by simulation

Which items should a person label first? An **active-learning strategy** ranks the unlabeled pool
with the current model. Here an **oracle** answers every query with the true label, so strategies
can be compared on learning curves: held-out accuracy against the number of labels given.

Random sampling (`uniform`) always runs beside the strategies. Gains over random are often small
and depend on the data, so a curve without it tells little."""),
    code("""import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from hitl_widgets import plot_learning_curves, simulate
from hitl_widgets.explorer.simulation import labels_to_reach

X, y = load_digits(return_X_y=True)  # bundled with scikit-learn: nothing is downloaded
X = X / 16.0
print(X.shape, "8x8 images,", len(set(y)), "classes")"""),
    md("""## The strategies

* `margin` (the default): the smallest gap between the two most probable classes;
* `entropy`: the most spread-out class distribution;
* `least_confidence`: the lowest top probability;
* `kcenter`: k-center greedy, the item farthest from everything labeled (covers the space);
* `informative_diverse`, `graph_density`, mixtures such as
  `mixture_of_samplers-margin-0.5-uniform-0.5`, and an Exp3 `bandit` that learns which one pays.

Each run starts with 20 random labels (warm start), then asks for batches of 20. Ten seeds per
strategy, so that the bands (one standard deviation over seeds) mean something."""),
    code("""SEEDS = range(10)
df = simulate(X, y, ["margin", "entropy", "kcenter"], seeds=SEEDS, warm_start=20, batch_size=20,
              budget=200, progress=False)
df.head()"""),
    code("""ax = plot_learning_curves(df)
ax.set_title("digits: held-out accuracy against labels")
plt.show()"""),
    md("""How many labels does each strategy need to reach 90% held-out accuracy? (Median over seeds.)"""),
    code("""reach = labels_to_reach(df, 0.90)
for name, n in sorted(reach.items(), key=lambda kv: kv[1]):
    print(f"{name:10s} {n:5.0f} labels")"""),
    md("""## Mixtures, a bandit, and noisy labels

The playground's mixture strings work as they are. A bandit (Exp3) starts undecided and shifts
towards whichever strategy gained held-out accuracy. With 20% of the answers wrong (`label_noise`),
every curve drops. Uncertainty sampling is often said to suffer most from noise, because it keeps
asking about the items where wrong labels do most harm; whether it does depends on the data."""),
    code("""mixed = simulate(X, y, ["mixture_of_samplers-margin-0.5-uniform-0.5", "bandit"], seeds=SEEDS, warm_start=20,
                 batch_size=20, budget=160, progress=False)
noisy = simulate(X, y, ["margin"], seeds=SEEDS, warm_start=20, batch_size=20, budget=160, label_noise=0.2,
                 progress=False)
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
plot_learning_curves(mixed, ax=axes[0]).set_title("a mixture and a bandit")
plot_learning_curves(noisy, ax=axes[1]).set_title("20% of the answers wrong")
plt.show()"""),
    code("""def at_160(frame):
    last = frame[frame["labels"] == 160]
    return last.groupby("strategy")["accuracy"].mean()

clean = df[df["strategy"].isin(["margin", "uniform"])]
summary = {"clean": at_160(clean[clean["labels"] <= 160]), "20% wrong": at_160(noisy)}
for name, acc in summary.items():
    gap = acc["margin"] - acc["uniform"]
    print(f"{name:10s} margin {acc['margin']:.3f} · uniform {acc['uniform']:.3f} · gap {gap:+.3f}")"""),
    md("""On these digits, over ten seeds, it does not: with 20% of the answers wrong both curves drop
by about 0.2, and margin stays ahead of uniform, by more than without noise. The model (a linear
head) averages the wrong labels out, and margin's picks near the boundaries still carry the most
information. Noise that is not random (one class confused with another, a careless annotator on
the hard items) can tell a different story: `simulate` takes your own data and noise level."""),
    md("""## The same engine, by hand

`simulate` drives the same `Session` a labeling widget uses: `next()` ranks the pool, `label()`
stores the answer (in SQLite, committed before it returns) and updates the model online."""),
    code("""from hitl_widgets import Session
from hitl_widgets.explorer.simulation import default_learner

session = Session(X[:500], default_learner(64), "margin", store=":memory:", classes=list(range(10)),
                  test=(X[1500:], y[1500:]))
for _ in range(60):
    (item,) = session.next()
    session.label(item, int(y[item]))   # a person would answer here
print(f"{session.n_labels} labels: held-out accuracy {session.history[-1]['heldout_accuracy']:.2f}, "
      f"prequential accuracy {session.accuracy():.2f}")
session.to_dataframe().tail(3)"""),
    md("""The two accuracies differ for a reason. **Prequential** accuracy scores the model's guess on
each item *before* it learns the label, on the items the strategy chose. Margin chooses the items
the model is least sure of, and early on those are often of classes it has not seen yet. So
prequential accuracy stays well below held-out accuracy, and that gap is the strategy doing its
job. With uniform picks the two agree."""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/03_strategies.ipynb")

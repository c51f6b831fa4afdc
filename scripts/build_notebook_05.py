"""Writes notebooks/05_strategy_explorer.ipynb (run from the repository root: python scripts/build_notebook_05.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 5 · Strategy explorer: what does each strategy ask, and why?

Three query strategies label the same pool side by side. Every panel shows the same points: the
labeled ones in their class colour, the rest faint, the model's decision regions shaded (stronger
where it is surer), and the strategy's **next picks circled and numbered** before they are asked.
A step asks every strategy its next batch; the true labels answer; every model learns online. The
chart below the panels follows the held-out accuracy of each one.

| key | does |
|---|---|
| `Space` | one step: every strategy asks its next picks |
| `p` | play / pause (the speed is beside the button) |
| `r` | reset (with the batch, warm start, budget, seed and learner in the fields) |
| `u` | shade each strategy's own utility: where it would ask |
| `o` | every strategy's next picks on the first panel, to see where they disagree |

Click the widget first so that it has the keyboard. In the **you** panel, click the points *you*
would ask about: the oracle reveals their labels, on the same budget as the strategies. Beat margin!

Served by Voila (`.venv/bin/voila notebooks/05_strategy_explorer.ipynb`), the page is an app: the widgets
and this text, without the printouts the cells below make here. The link in the field at the top right
opens this exact run: a teacher can hand it out."""),
    code("""from hitl_widgets import StrategyExplorer
from hitl_widgets.explorer import query_state, served_by_voila

state = query_state()          # Voila: the ?state=... of a link; None in a notebook
lesson = not served_by_voila() # in a notebook the cells print what they teach; Voila's app page shows the widgets
ex = (StrategyExplorer.from_state(state) if state else
      StrategyExplorer.from_preset("moons", strategies=["uniform", "margin", "kcenter", "you"], seed=3))
ex"""),
    md("""**uniform (random)** picks any unlabeled point, each as likely as the next. It is the baseline every
other strategy must beat, and on easy data it is hard to beat by much.

**margin** asks about the points whose two most probable classes are closest: the points on the
model's decision boundary. It refines the boundary quickly, but it can keep asking near a wrong
boundary and never look at a region the model is confidently wrong about.

**k-center** ignores the model: it asks about the point farthest from everything labeled, so its
picks cover the plane (the empty corners first). It explores well and refines slowly."""),
    code("""if state is None:              # a link opens its run as it was: no demo steps on top of it
    ex.step(6)                 # what the Step button does, six times
if lesson:
    display(ex.picks)          # what each strategy will ask next: rows of X"""),
    code("""curves = ex.curves             # held-out accuracy after every label
if lesson:
    display(curves.groupby("strategy").accuracy.last().round(3))"""),
    md("""The state string reproduces this exact run (the data, the split, the warm start, every step and
every point picked in **you**): a link with `?state=` opens it in Voila."""),
    code("""if lesson:
    again = StrategyExplorer.from_state(ex.state)
    print(len(ex.state), "characters; the same picks:", again.picks == ex.picks)"""),
    md("""## Machine teaching: you are the oracle

With `oracle="human"` the true labels stay hidden and every pick waits for your answer: press the
class's number (or click its button). Give a few wrong answers on purpose and watch what it does
to each strategy's model."""),
    code("""teach = StrategyExplorer.from_preset("blobs", strategies=["margin"], oracle="human", batch_size=3, seed=1)
teach.step()                   # the picks now wait for answers: teach.answer(label) or keys 1-3
teach"""),
    md("""## Any data

`StrategyExplorer(X, y)` takes any features and labels; more than two dimensions are drawn through a
PCA projection (the decision regions are a slice through the data's mean). Here the digits, with a
small torch network that can learn curved boundaries, and each digit's image on hover."""),
    code("""from sklearn.datasets import load_digits

digits = load_digits()
StrategyExplorer(digits.data[:600] / 16, digits.target[:600], strategies=["margin", "entropy"],
                 learner="mlp", batch_size=10, warm_start=20, budget=150,
                 images=digits.images[:600])       # rest the pointer on a point to see its digit"""),
    md("""## Over many seeds

One run is one seed: whether margin beats uniform here is a question over seeds. `ex.run(seeds=10)`
(the **10 seeds** button) runs these settings again and again in the background and shades each
strategy's band on the chart; the table under it gives each strategy's mean accuracy over the label
range and how many labels it needs to reach uniform's final accuracy."""),
    code("""if lesson:
    ex.run(seeds=5)            # five here, in the background; the button runs ten
    ex.wait()                  # here we wait for it, to print the table
    display(ex.seeds_status["summary"])"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/05_strategy_explorer.ipynb")

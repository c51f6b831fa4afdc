"""Writes notebooks/02_image_labeling.ipynb (run from the repository root: python scripts/build_notebook_02.py)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# 2 · Labeling images with active learning

`ImageLabeler` shows one image at a time, chosen by a **sampler** (active-learning strategy) from
the current model. You press a key, the label is stored in SQLite at once, the **online** model
learns it in the background, and the queue is re-ranked. The page never waits: the next images are
already in the browser.

| key | does |
|---|---|
| `0`-`9` | the label on that button: a digit label has its own key (`3` labels 3); others `1`-`9`, `0` |
| `Enter`, `Space` | skip (the image comes back at the end) |
| `Backspace`, `Ctrl+Z` | undo the last answer; the model forgets it too |
| `←` `→` | step back through answered images; a key changes that label |
| `Esc` | back to the queue |

Click the widget first so that it has the keyboard. Each answer flashes a line above the buttons
("item 412 → 7"), so a wrong key is seen at once. The data are scikit-learn's bundled 8x8 digits,
so nothing is downloaded.

This notebook labels into a fresh store each time it runs, so it shows the same thing every time.
To label for real (and keep the labels), use `app_label_digits.ipynb`: the same widget on a store
that persists, with nothing that answers by itself, also served as an app by Voila."""),
    code("""import tempfile
from pathlib import Path

from sklearn.datasets import load_digits

from hitl_widgets import ImageLabeler

digits = load_digits()
LABELS = list(range(10))                                    # digit labels: the key of each digit is the digit
store = Path(tempfile.mkdtemp()) / "digits_labels.db"       # a fresh store per run; reopening a file resumes

w = ImageLabeler(
    digits.images[:1000],
    labels=LABELS,
    store=store,
    test=(digits.images[1500:], digits.target[1500:]),      # held-out images for the learning curve
)
w"""),
    md("""Label a few by hand. Or let the next cell play the annotator: it answers 40 questions with
the true labels through the same methods the keys call, and the widget above follows along."""),
    code("""for _ in range(40):
    w.label(int(digits.target[w.current]))
    w.wait()   # the model learns and re-ranks in a background thread: each pick then sees the last label
h = w.session.history[-1]
print(f"{h['n_labels']} labels: held-out accuracy {h['heldout_accuracy']:.2f}")"""),
    code("""import matplotlib.pyplot as plt

hist = w.session.history
plt.figure(figsize=(5, 3))
plt.plot([h["n_labels"] for h in hist], [h["heldout_accuracy"] for h in hist], label="held-out")
plt.plot([h["n_labels"] for h in hist], [h["accuracy"] or 0 for h in hist], label="prequential")
plt.xlabel("labels"); plt.ylabel("accuracy"); plt.ylim(0, 1); plt.legend(); plt.show()"""),
    md("""Prequential accuracy scores the guess the model made for each image *before* it learned
that label, on the images margin sampling chose: the ones it was least sure of. It stays below
held-out accuracy, and that gap is the strategy at work.

## Strategy and batch mode

The strategy menu in the widget re-ranks the queue. So does setting it in code. A batch size above 1
shows a grid of the sampler's next picks: click a tile (or use the arrows), press a key to label it,
and press `Enter` to submit the grid."""),
    code("""w.strategy = "kcenter"     # uniform, least_confidence, margin, entropy, kcenter
w.batch_size = 8
w.wait()
print(w.strategy, "next up:", w.upcoming[:8])"""),
    code("""w.submit({item: int(digits.target[item]) for item in w.upcoming[:4]})   # what Enter sends
w.batch_size = 1
w.strategy = "margin"
w.wait()
len(w.labels)"""),
    md("""## Export, checkpoints, undo

Every answer is an event in the store: the label, when it was given, the strategy, what the model
predicted and how sure it was, and how long the annotator took."""),
    code("""w.undo()                       # the last answer is undone, the model rolled back
w.to_dataframe().tail(3)"""),
    code("""w.export_labels("digits_labels.csv")       # or .json
w.save_checkpoint("digits.ckpt")            # labels + model weights in one file
w.export_model("digits_model.pt")           # the learner's weights and class list
print(open("digits_labels.csv").readline().strip())"""),
    md("""## Your own images

`ImageLabeler` takes a folder (read lazily: 100,000 files are never in memory at once), a list of
paths, a CSV with a path column and optionally a label column (rows with a label count as
labeled), a numpy array `(N, H, W[, C])`, PIL images, or a torch `Dataset`. Files that cannot be
read are skipped with one warning that names them.

Here we write a small folder, with one broken file."""),
    code("""import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

folder = Path(tempfile.mkdtemp()) / "my_images"
folder.mkdir()
for i in range(30):
    Image.fromarray((digits.images[i] * 15).astype(np.uint8)).resize((64, 64), Image.NEAREST).save(folder / f"{i:03}.png")
(folder / "broken.png").write_bytes(b"this is not a png")

mine = ImageLabeler(folder, labels=["small", "large"], store=":memory:")
mine"""),
    md("""Features are raw pixels for small images (up to 16 x 16 as they are; larger ones shrink
to 16 x 16). For real photos pass `embed=`: any `nn.Module` or function that maps a float batch
`(B, C, H, W)` in [0, 1] to embeddings `(B, D)`, such as a pretrained backbone you have on disk.
A pretrained **classifier** can be the learner: its architecture, its `state_dict`, and the class
of each output."""),
    code("""import torch
from torch import nn

from hitl_widgets import TorchClassifier

# a tiny CNN trained for a moment on other digits stands in for your pretrained model
torch.manual_seed(0)
cnn = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 64, 10))
X = torch.tensor(digits.images[1000:1500] / 16.0, dtype=torch.float32)[:, None]
y = torch.tensor(digits.target[1000:1500])
opt = torch.optim.Adam(cnn.parameters(), lr=0.01)
for _ in range(80):
    opt.zero_grad(); nn.functional.cross_entropy(cnn(X), y).backward(); opt.step()
torch.save(cnn.state_dict(), "cnn_weights.pt")

learner = TorchClassifier.from_pretrained(cnn, classes=list(range(10)), state_dict="cnn_weights.pt",
                                          input_shape=(1, 8, 8))
pre = ImageLabeler(digits.images[:300], labels=LABELS, learner=learner, store=":memory:")
pre.wait()
print("model's guess for the first image on screen:", pre.learner.predict_one(pre.pool.features[pre.current]),
      "truth:", digits.target[pre.current])
pre"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/02_image_labeling.ipynb")

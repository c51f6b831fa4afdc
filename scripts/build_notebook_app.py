"""Writes notebooks/app_label_digits.ipynb (run from the repository root: python scripts/build_notebook_app.py).

The labeling app: one widget on a store that persists, and no cell that answers by itself, so
serving it with Voila (every page load runs it again) never adds a label nobody gave.
"""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("""# Label digits

Press the digit you see (`0`-`9`), `Enter` to skip, `Backspace` to undo, `←` to step back and change
an answer. Every answer is saved in `digits_labels.db` at once; opening this page again (or
restarting the kernel) carries on where you stopped. Serve it as an app with
`.venv/bin/voila notebooks/app_label_digits.ipynb`."""),
    code("""from sklearn.datasets import load_digits

from hitl_widgets import ImageLabeler

digits = load_digits()
ImageLabeler(
    digits.images[:1000],
    labels=list(range(10)),
    store="digits_labels.db",
    test=(digits.images[1500:], digits.target[1500:]),
)"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/app_label_digits.ipynb")

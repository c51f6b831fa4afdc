"""Writes notebooks/app_study.ipynb (run from the repository root: python scripts/build_notebook_app_study.py)."""

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Study: teaching a model, two ways\n\n"
        "Served as an app: `.venv/bin/voila notebooks/app_study.ipynb`. Each participant enters their ID (or makes one), "
        "reads the instructions and goes through both parts; everything they do is recorded in `study.db`. "
        "The design is in `study.toml` beside this notebook."
    ),
    nbf.v4.new_code_cell(
        "from hitl_widgets import Study\n\n"
        'study = Study.from_config("study.toml")\n'
        "study.participant()"
    ),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "notebooks/app_study.ipynb")

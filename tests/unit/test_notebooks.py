"""Every notebook runs top to bottom headlessly, widgets and all."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

SHOWS_WIDGETS = {"01_gmm_canvas.ipynb", "02_image_labeling.ipynb", "04_stream_labeling.ipynb", "05_text_labeling.ipynb"}
NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", store_widget_state=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    print(f"\n[nbclient] {path.name} in {time.perf_counter() - t0:.1f}s")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if path.name in SHOWS_WIDGETS:  # the widget's state was saved with the notebook
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        assert any(s["model_name"] == "AnyModel" for s in state.values())


def test_the_notebooks_are_there():
    expected = {
        "01_gmm_canvas.ipynb",
        "02_image_labeling.ipynb",
        "03_strategies.ipynb",
        "04_stream_labeling.ipynb",
        "05_text_labeling.ipynb",
    }
    assert expected <= {p.name for p in NOTEBOOKS}

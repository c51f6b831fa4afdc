"""Every notebook runs top to bottom headlessly, widgets and all."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

SHOWS_WIDGETS = {
    "01_gmm_canvas.ipynb",
    "02_image_labeling.ipynb",
    "04_stream_labeling.ipynb",
    "07_text_labeling.ipynb",
    "05_strategy_explorer.ipynb",
    "app_label_digits.ipynb",
    "app_study.ipynb",
}
LABELING = ["02_image_labeling.ipynb", "04_stream_labeling.ipynb", "07_text_labeling.ipynb"]
pytestmark = pytest.mark.slow  # real kernels: the full test command runs them, the inner loop does not

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def execute(path: Path, folder: Path, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in ``folder`` (its files land there), as Restart and Run All does.

    The files notebooks read beside them (a study's ``.toml``) are copied there first. ``env``: the
    kernel's environment (Voila starts its kernels with the request in it).
    """
    for beside in path.parent.glob("*.toml"):
        shutil.copy(beside, folder / beside.name)
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", store_widget_state=True, resources={"metadata": {"path": str(folder)}}
    ).execute(**({"env": env} if env else {}))
    print(f"\n[nbclient] {path.name} in {time.perf_counter() - t0:.1f}s")
    return nb


def printed(nb: nbformat.NotebookNode) -> list[str]:
    """What the cells print and return as text; widgets and tables of events are left out (addresses, times)."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(o["text"])
            elif o.get("output_type") == "execute_result":
                data = o["data"]
                if "application/vnd.jupyter.widget-view+json" in data or "<table" in data.get("text/html", ""):
                    continue  # a widget's repr holds its address
                out.append(data.get("text/plain", ""))
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = execute(path, tmp_path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if path.name in SHOWS_WIDGETS:  # the widget's state was saved with the notebook
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        assert any(s["model_name"] == "AnyModel" for s in state.values())
    if path.name == "05_strategy_explorer.ipynb":  # in a notebook its cells print what they teach (not in Voila)
        lesson = printed(nb) + [
            o["data"].get("text/plain", "")
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.get("output_type") == "display_data"
        ]
        assert any("'margin':" in t for t in lesson) and any("characters; the same picks: True" in t for t in lesson)


@pytest.mark.parametrize("name", LABELING)
def test_a_labeling_notebook_run_twice_shows_the_same(name, tmp_path):
    """Restart and Run All twice in the same folder: the same figures (each run labels into a fresh store)."""
    path = next(p for p in NOTEBOOKS if p.name == name)
    first, second = printed(execute(path, tmp_path)), printed(execute(path, tmp_path))
    assert first and first == second


def test_the_labeling_app_never_labels_by_itself(tmp_path):
    """Served by Voila, every page load runs the app notebook again: no label appears that nobody gave."""
    from hitl_widgets import LabelStore

    app = next(p for p in NOTEBOOKS if p.name == "app_label_digits.ipynb")
    for _ in range(2):
        execute(app, tmp_path)
        with LabelStore(tmp_path / "digits_labels.db") as store:
            assert len(store.labels()) == 0


def text_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Every output that is not a widget: what a Voila app page would show as raw text under its widgets."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if o.get("output_type") == "stream":
                out.append(o["text"])
            elif "application/vnd.jupyter.widget-view+json" not in data:
                out.append(data.get("text/plain", str(o)))
    return out


@pytest.mark.parametrize("name", ["05_strategy_explorer.ipynb", "app_label_digits.ipynb", "app_study.ipynb"])
def test_an_app_notebook_served_by_voila_shows_its_widgets_and_no_printouts(name, tmp_path):
    """Voila serves these as apps: the page shows the widgets, never a cell's raw printout under them."""
    path = next(p for p in NOTEBOOKS if p.name == name)
    voila = {**os.environ, "SERVER_SOFTWARE": "voila/0.5.13", "QUERY_STRING": ""}  # what Voila gives its kernels
    nb = execute(path, tmp_path, env=voila)
    assert text_outputs(nb) == []
    widgets = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") != "stream"]
    assert widgets  # the app is there


def test_the_notebooks_are_there():
    expected = {
        "01_gmm_canvas.ipynb",
        "02_image_labeling.ipynb",
        "03_strategies.ipynb",
        "04_stream_labeling.ipynb",
        "05_strategy_explorer.ipynb",
        "06_study_results.ipynb",
        "07_text_labeling.ipynb",
        "app_label_digits.ipynb",
        "app_study.ipynb",
    }
    assert expected <= {p.name for p in NOTEBOOKS}

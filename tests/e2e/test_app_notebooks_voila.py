"""The app notebooks the README serves with Voila: each page shows its widget and no cell's raw printout."""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_helpers import page_outputs
from playwright.sync_api import expect
from servers import serve_with_voila

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET = "widget"
APPS = {  # notebook: (the files it reads beside it, the widget's root)
    "app_label_digits.ipynb": ((), ".hitl-il"),
    "app_study.ipynb": ((NOTEBOOKS / "study.toml",), ".hitl-st"),
}


@pytest.mark.parametrize("name", sorted(APPS))
def test_an_app_page_shows_its_widget_and_nothing_else(name, tmp_path, page, artifacts):
    pytest.importorskip("voila")
    beside, root = APPS[name]
    srv = serve_with_voila(tmp_path, NOTEBOOKS / name, artifacts / f"voila_{name}.log", beside=beside)
    try:
        page.goto(f"{srv.base}/?token={srv.token}")
        expect(page.locator(root).first).to_be_visible(timeout=120_000)
        outputs = page_outputs(page)
        page.screenshot(path=str(artifacts / f"voila_{Path(name).stem}.png"))
        assert outputs and set(outputs) == {WIDGET}, outputs
        assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors
    finally:
        srv.stop()

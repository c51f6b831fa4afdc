"""ImageLabeler as a Voila app: keys label digits, a reload (a new kernel) resumes from the store, the grid submits."""

from __future__ import annotations

import pytest
from labeler_page import ROOT, key_for, label_with_keys, shown_key, wait_settled
from playwright.sync_api import expect
from servers import start_voila
from sklearn.datasets import load_digits

from hitl_widgets import LabelStore

pytest.importorskip("voila")
LABELS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]


@pytest.fixture(scope="module")
def app(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("voila_labeler")
    db = tmp / "labels.db"
    cell = (
        "from sklearn.datasets import load_digits\n"
        "from hitl_widgets import ImageLabeler\n"
        f"w = ImageLabeler(load_digits().images[:400], labels={LABELS}, store={str(db)!r})\n"
        "w"
    )
    srv = start_voila(tmp, cell, artifacts / "voila_labeler.log")
    srv.db = db
    yield srv
    srv.stop()


def stored(db) -> dict[int, int]:
    with LabelStore(db) as store:
        return {int(k): int(v) for k, v in store.labels().items()}


def test_voila_keys_reload_resume_undo_and_grid(app, page, artifacts):
    truth = load_digits().target[:400]
    page.goto(f"{app.base}/?token={app.token}")
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-labeled", "0", timeout=60_000)
    expect(widget).not_to_have_attribute("data-cached", "0", timeout=10_000)  # the images it asked for came
    pressed = label_with_keys(page, truth, LABELS, 10)
    wait_settled(page, 10)
    assert stored(app.db) == dict(pressed)  # committed to the SQLite file as they were pressed

    # a reload in Voila starts a new kernel: the labeler resumes from the store
    showing = shown_key(page)
    page.reload()
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-labeled", "10", timeout=60_000)
    expect(page.locator(".hitl-il-curve").first).not_to_have_attribute("data-points", "0")
    assert shown_key(page) != showing or showing not in dict(pressed)
    pressed += label_with_keys(page, truth, LABELS, 10)
    wait_settled(page, 20)
    assert stored(app.db) == dict(pressed)

    widget.press("Backspace")
    assert shown_key(page) == pressed[-1][0]
    wait_settled(page, 19)
    assert stored(app.db) == dict(pressed[:-1])
    widget.press(key_for(LABELS.index(pressed[-1][1])))
    wait_settled(page, 20)
    widget.screenshot(path=str(artifacts / "image_labeler_voila.png"))

    # the grid: the sampler's next eight, labeled tile by tile, submitted with Enter
    page.locator(".hitl-il-batch").first.select_option("8")
    expect(page.locator(".hitl-il-grid").first).to_have_attribute("data-tiles", "8", timeout=20_000)
    page.wait_for_function("() => document.querySelectorAll('.hitl-il-tile img').length === 8", timeout=20_000)
    tiles = [int(k) for k in page.eval_on_selector_all(".hitl-il-tile", "els => els.map(e => e.dataset.key)")]
    widget.focus()
    for row in tiles[:5]:
        widget.press(key_for(LABELS.index(int(truth[row]))))
    expect(page.locator(".hitl-il-submit").first).to_contain_text("Submit 5")
    widget.screenshot(path=str(artifacts / "image_labeler_voila_grid.png"))
    widget.press("Enter")
    wait_settled(page, 25)
    assert stored(app.db) == dict(pressed) | {row: int(truth[row]) for row in tiles[:5]}
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

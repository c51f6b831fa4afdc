"""TeamDashboard in a real JupyterLab: the disagreements of two annotators, an adjudication by a click, both themes."""

from __future__ import annotations

from lab_helpers import cell_output_text, look_in_dark_theme, open_notebook, run_cell
from playwright.sync_api import expect

ROOT = ".hitl-td"
CELLS = [
    "from hitl_widgets import LabelStore, TeamDashboard\n"
    "store = LabelStore('team.db')\n"
    "texts = [f'message {i}: free prize inside' if i % 2 == 0 else f'message {i}: lunch at noon?' for i in range(8)]\n"
    "for i in range(8):  # ana and bo disagree on items 2, 3 and 4\n"
    "    store.record_label(i, 'spam' if i % 3 == 0 else 'ham', annotator='ana')\n"
    "    store.record_label(i, 'spam' if i % 2 == 0 else 'ham', annotator='bo')\n"
    "w = TeamDashboard(store, items=texts, refresh=1, adjudicator='lee')\n"
    "w",
    "print('FINALS', sorted((r.item_id, r.label, r.annotator) for r in store.events() if r.kind == 'final'))",
    "import numpy as np\n"
    "digits = np.zeros((4, 28, 28), dtype=np.uint8)\n"
    "for i in range(4):\n"
    "    digits[i, 4 + 4 * i : 10 + 4 * i, 6:22] = 255  # a bar lower down in each image\n"
    "images = LabelStore('images.db')\n"
    "for i in (1, 3):\n"
    "    images.record_label(i, 'three', annotator='ana'), images.record_label(i, 'eight', annotator='bo')\n"
    "TeamDashboard(images, items=digits, refresh=0)",
]


def test_the_dashboard_shows_disagreements_takes_a_final_label_and_reads_in_both_themes(lab, page, artifacts):
    lab.put_notebook("team_dashboard.ipynb", CELLS)
    open_notebook(page, lab, "team_dashboard.ipynb")
    run_cell(page, 0)
    widget = page.locator(ROOT).first
    expect(widget.locator(".hitl-td-item")).to_have_count(3)
    summary = widget.locator(".hitl-td-summary")
    expect(summary).to_contain_text("8 of 8 items labeled · 5 with a final label")  # the 5 they agree on
    disputed = widget.locator('.hitl-td-item[data-item="2"]')
    expect(disputed).to_contain_text("message 2: free prize inside")
    disputed.locator(".hitl-td-answer", has_text="spam").click()
    expect(disputed.locator(".hitl-td-answer.hitl-td-final")).to_have_text("bo: spam")
    expect(summary).to_contain_text("6 with a final label")
    run_cell(page, 1)
    assert "(2, 'spam', 'lee')" in " ".join(cell_output_text(page, 1))
    widget.screenshot(path=str(artifacts / "team_dashboard_lab_light.png"))
    run_cell(page, 2)  # images: a thumbnail beside each disagreement's answers
    board = page.locator(ROOT).nth(1)
    thumbs = board.locator(".hitl-td-thumb")
    expect(thumbs).to_have_count(2)
    expect(board.locator('.hitl-td-item[data-item="3"] .hitl-td-thumb')).to_be_visible()
    decoded = "[...document.querySelectorAll('.hitl-td-thumb')].every((i) => i.complete && i.naturalWidth > 0)"
    page.wait_for_function(decoded)
    assert thumbs.first.evaluate("(i) => i.naturalWidth") == 28  # the image itself, not scaled up
    board.screenshot(path=str(artifacts / "team_dashboard_lab_images.png"))
    dark = str(artifacts / "team_dashboard_lab_dark.png")
    ink, paper = look_in_dark_theme(page, widget, dark, ink=".hitl-td-summary", paper=".hitl-td-item")
    assert ink > 0.6 and paper < 0.35, (ink, paper)  # light text on dark panels
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors

"""GMMCanvas keys, classes, brush and reload in a real JupyterLab, checked in the page and in the kernel."""

from __future__ import annotations

from gmm_page import model_canvas, model_ink, points_canvas
from lab_helpers import cell_output_text, open_notebook, run_cell
from playwright.sync_api import expect

CELLS = [
    "from hitl_widgets import GMMCanvas\nw = GMMCanvas(n_components=2)\nw",
    "print('KERNEL', len(w.points), sorted(set(w.labels)), type(w.model).__name__, "
    "w.status.get('ll_gap') is not None, round(w.status.get('accuracy') or -1, 2))",
]


def kernel_line(page) -> str:
    run_cell(page, 1)
    return " ".join(cell_output_text(page, 1))


def click_blob(page, cx, cy, n, ack_from):
    canvas = model_canvas(page)
    for i in range(n):
        dx, dy = ((i * 7) % 5 - 2) * 6, ((i * 3) % 5 - 2) * 6
        points_canvas(page).click(position={"x": cx + dx, "y": cy + dy})
        expect(canvas).to_have_attribute("data-ack", str(ack_from + i + 1), timeout=10_000)
    return ack_from + n


def test_keys_classes_undo_batch_clear_brush_and_reload(lab, page, artifacts):
    lab.put_notebook("gmm_keys.ipynb", CELLS)
    open_notebook(page, lab, "gmm_keys.ipynb")
    run_cell(page, 0)
    canvas, widget = model_canvas(page), page.locator(".hitl-gmm").first
    expect(canvas).to_have_attribute("data-ack", "1")  # the view asked for the points (none yet): answered
    blank = model_ink(page)

    # class 1 on the left, then key 2 and class 2 on the right: a classifier with decision regions
    ack = click_blob(page, 150, 220, 10, 1)
    widget.press("2")
    expect(page.locator(".hitl-gmm-class.hitl-active")).to_contain_text("class 2")
    ack += 1  # the class key is a numbered setting, acknowledged like a click
    expect(canvas).to_have_attribute("data-ack", str(ack), timeout=10_000)
    ack = click_blob(page, 410, 220, 10, ack)
    expect(page.locator(".hitl-gmm-curve")).to_be_visible()
    expect(page.locator(".hitl-gmm-status")).to_contain_text("accuracy")
    # decision regions: the empty left edge is shaded like class 1 (blue), the right edge like class 2 (orange)
    left = page.evaluate("""() => { const c = document.querySelector('.hitl-gmm-model');
        return Array.from(c.getContext('2d').getImageData(10, 220, 1, 1).data); }""")
    right = page.evaluate("""() => { const c = document.querySelector('.hitl-gmm-model');
        return Array.from(c.getContext('2d').getImageData(550, 220, 1, 1).data); }""")
    assert left[2] > left[0] and right[0] > right[2], (left, right)
    assert "KERNEL 20 ['class 1', 'class 2'] GMMClassifier False" in kernel_line(page)

    # b: fit from scratch, overlay both; p: parameters table
    n_cells = page.locator(".jp-NotebookPanel .jp-Cell").count()
    widget.press("b")
    expect(page.locator(".hitl-gmm-status")).to_contain_text("vs batch", timeout=10_000)
    expect(page.locator(".hitl-gmm-show")).to_have_value("both")
    widget.press("p")
    k_total = int(canvas.get_attribute("data-components"))
    assert k_total >= 2
    expect(page.locator(".hitl-gmm-table tr")).to_have_count(1 + k_total)  # header + one row per component
    widget.screenshot(path=str(artifacts / "gmm_lab_classifier_batch_params.png"))
    # the keys went to the widget, not to the notebook (b would insert a cell below)
    assert page.locator(".jp-NotebookPanel .jp-Cell").count() == n_cells
    assert "True" in kernel_line(page).split("GMMClassifier")[1]

    # a does what the Adopt button says, which is what the kernel found: a better fit from scratch is adopted
    # (Backspace takes the adoption back); one that is not better is refused, with the reason
    # (test_gmm_lab_views.py covers both cases on fixed data)
    adopt = page.locator(".hitl-gmm-btn", has_text="Adopt it")
    worth_it = adopt.is_enabled()
    widget.press("a")
    if worth_it:
        expect(page.locator(".hitl-gmm-status")).to_contain_text("you adopted the fit from scratch", timeout=10_000)
        widget.press("Backspace")
        expect(page.locator(".hitl-gmm-status")).not_to_contain_text("you adopted", timeout=10_000)
    else:
        expect(page.locator(".hitl-gmm-error")).to_contain_text("Not adopted: ", timeout=10_000)
        assert adopt.get_attribute("title").startswith("Not now: ")
    expect(canvas).to_have_attribute("data-n", "20")

    # Backspace and Ctrl+Z undo one click each, in the page and in the kernel
    widget.press("Backspace")
    expect(canvas).to_have_attribute("data-n", "19")
    widget.press("Control+z")
    expect(canvas).to_have_attribute("data-n", "18")
    assert "KERNEL 18" in kernel_line(page)

    # c clears: nothing left to draw, and the status says how to get it back
    widget.press("c")
    expect(canvas).to_have_attribute("data-n", "0")
    expect(page.locator(".hitl-gmm-status")).to_contain_text("cleared 18 points")
    assert model_ink(page) <= blank + 1000

    # brush: drag with the button held sprays points along the path
    box = points_canvas(page).bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 300)
    page.mouse.down()
    for step in range(1, 31):
        page.mouse.move(box["x"] + 100 + step * 8, box["y"] + 300 - step * 4)
    page.mouse.up()
    page.wait_for_function("() => Number(document.querySelector('.hitl-gmm-model').dataset.n) > 30")
    expect(canvas).to_have_attribute("data-pending", "0")
    n_brushed = int(canvas.get_attribute("data-n"))
    expect(page.locator(".hitl-gmm-status")).to_contain_text(f"N = {n_brushed}")
    assert f"KERNEL {n_brushed}" in kernel_line(page)
    assert model_ink(page) > blank + 10_000
    widget.screenshot(path=str(artifacts / "gmm_lab_brush.png"))

    # one Backspace takes the whole stroke back; the next brings back what c cleared
    widget.press("Backspace")
    expect(canvas).to_have_attribute("data-n", "0")
    widget.press("Backspace")
    expect(canvas).to_have_attribute("data-n", "18")
    assert "KERNEL 18 ['class 1', 'class 2'] GMMClassifier" in kernel_line(page)
    n_brushed = 18

    # reload (after saving, as a user would): the fresh page asks for the points and shows the same state
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.reload()
    page.locator(".hitl-gmm .hitl-gmm-model").first.wait_for(timeout=60_000)
    expect(model_canvas(page)).to_have_attribute("data-n", str(n_brushed), timeout=60_000)
    expect(page.locator(".hitl-gmm-status").first).to_contain_text(f"N = {n_brushed}")
    assert not [e for e in page.hitl_errors if "hitl" in e.lower()], page.hitl_errors

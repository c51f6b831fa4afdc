"""Reading and driving the ImageLabeler in a page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

ROOT = ".hitl-il"


def key_for(label_index: int) -> str:
    """The keyboard key of the label at ``label_index`` (1-9, then 0)."""
    return str(label_index + 1) if label_index < 9 else "0"


def shown_key(page: Page, timeout: float = 20_000) -> int:
    """The pool row of the image on screen, once it is drawn (not 'loading…')."""
    page.wait_for_function(
        """(sel) => { const r = document.querySelector(sel);
                      const img = r && r.querySelector('.hitl-il-image');
                      return r && r.dataset.key && img && img.style.display !== 'none'
                             && img.dataset.key === r.dataset.key && img.complete && img.naturalWidth > 0; }""",
        arg=ROOT,
        timeout=timeout,
    )
    return int(page.locator(ROOT).first.get_attribute("data-key"))


def label_with_keys(page: Page, truth, labels: list, n: int) -> list[tuple[int, int]]:
    """Label ``n`` digits with the keyboard, pressing the digit seen, as a person would; returns (row, label).

    Digit labels have their own keys, in whatever order ``labels`` lists them.
    """
    widget = page.locator(ROOT).first
    widget.focus()
    done = []
    for _ in range(n):
        row = shown_key(page)
        y = int(truth[row])
        widget.press(str(y))
        done.append((row, y))
    return done


def wait_settled(page: Page, n_labeled: int, timeout: float = 30_000) -> None:
    """Until the kernel has acknowledged every action and counts ``n_labeled`` labels."""
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-labeled", str(n_labeled), timeout=timeout)
    expect(page.locator(".hitl-il-progress-text").first).not_to_contain_text("learning", timeout=timeout)

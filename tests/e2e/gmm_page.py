"""Reading the GMM canvas in a page: pixels, data attributes, the status line."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

MODEL_CANVAS = ".hitl-gmm .hitl-gmm-model"
POINT_CANVAS = ".hitl-gmm .hitl-gmm-points"  # the clear top layer that takes the pointer
DOTS_CANVAS = ".hitl-gmm .hitl-gmm-dots"  # where the points are drawn

# sum of alpha over the model layer: changes when the shading/contours are redrawn
MODEL_INK_JS = """(sel) => {
  const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = 0; for (let i = 3; i < d.length; i += 4) s += d[i];
  return s;
}"""

PIXEL_JS = """([sel, x, y]) => {
  const c = document.querySelector(sel);
  const k = c.width / c.getBoundingClientRect().width;
  return Array.from(c.getContext('2d').getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data);
}"""


def model_ink(page: Page) -> int:
    return page.evaluate(MODEL_INK_JS, MODEL_CANVAS)


def pixel(page: Page, sel: str, x: float, y: float) -> list[int]:
    return page.evaluate(PIXEL_JS, [sel, x, y])


def points_canvas(page: Page) -> Locator:
    return page.locator(POINT_CANVAS).first


def model_canvas(page: Page) -> Locator:
    return page.locator(MODEL_CANVAS).first

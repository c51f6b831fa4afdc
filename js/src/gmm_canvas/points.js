// The canvas's points: kept on the page (the kernel sends only what a page lacks: a click, its own point),
// drawn on a layer of their own where a click adds one dot without drawing the others again.
import { sizeCanvas } from "../common/dom.js";
import { fillPoints, pointStyle } from "../common/draw.js";

/**
 * The points the page holds, [x0, y0, x1, y1, ...] and class indices, grown by doubling. `apply(base, xy,
 * labels)` keeps the first `base` and appends the rest, as a "points" message says; it refuses (false) a
 * `base` beyond what it holds: the page missed a message, and asks for them all.
 */
export function pointStore() {
  let xy = new Float32Array(512), labels = new Uint8Array(256), n = 0;
  let changedFrom = 0; // the first point changed since the layer last drew (points before it are drawn as they are)
  return {
    get n() { return n; },
    xy: () => xy.subarray(0, 2 * n),
    labels: () => labels.subarray(0, n),
    apply(base, newXy, newLabels) {
      if (base > n) return false;
      const m = newLabels.length;
      while (base + m > labels.length) {
        const grownXy = new Float32Array(2 * xy.length), grownLabels = new Uint8Array(2 * labels.length);
        grownXy.set(xy), grownLabels.set(labels);
        xy = grownXy, labels = grownLabels;
      }
      xy.set(newXy.subarray(0, 2 * m), 2 * base);
      labels.set(newLabels.subarray(0, m), base);
      changedFrom = Math.min(changedFrom, base);
      n = base + m;
      return true;
    },
    /** The first point changed since the last call (then: everything is drawn). */
    takeChangedFrom() { const from = changedFrom; changedFrom = n; return from; },
  };
}

/**
 * The count pointStyle sees: rounded up to the next quarter power of two, so a dot's size and fading change when
 * the points grow by about a fifth (then every dot is drawn again), not at every click.
 */
export function styleCount(n) {
  return n <= 1 ? 1 : Math.ceil(2 ** (Math.ceil(4 * Math.log2(n)) / 4));
}

/**
 * The layer the points are drawn on: only the points added since the last draw, unless the points before them
 * changed (an undo, a clear), the style's count bucket, the size or the background did (then all of them).
 */
export function pointsLayer(canvas) {
  let ctx = null, drawn = 0, key = "", style = null;
  return {
    size(w, h) { ctx = sizeCanvas(canvas, w, h); key = ""; },
    draw(store, view, background) {
      const n = store.n, from = store.takeChangedFrom();
      const count = styleCount(n);
      const k = `${count}|${background}|${view.width}x${view.height}`;
      let start = drawn;
      if (k !== key || from < drawn) {
        ctx.clearRect(0, 0, view.width, view.height);
        style = { ...pointStyle(count, view.width, view.height), outline: background };
        key = k;
        start = 0;
      }
      fillPoints(ctx, store.xy().subarray(2 * start), store.labels().subarray(start), view, style);
      drawn = n;
      return { style, drew: n - start };
    },
  };
}

/** The page's own clicks the kernel has not answered yet: a few pale dots on a layer of their own. */
export function pendingLayer(canvas) {
  let ctx = null;
  return {
    size(w, h) { ctx = sizeCanvas(canvas, w, h); },
    draw(pending, view, style) {
      ctx.clearRect(0, 0, view.width, view.height);
      const xy = new Float32Array(pending.flatMap((p) => p.xy.flat()));
      const labels = pending.flatMap((p) => p.xy.map(() => p.label));
      fillPoints(ctx, xy, labels, view, { ...style, alpha: Math.max(0.6, style.alpha) });
      return labels.length;
    },
  };
}

// The pool labeler's panels, one job each: progress, the class buttons, the model's prediction,
// the learning curve, the strategy and grid controls. Each makes its nodes and draws from values.
import { keyHint } from "../common/label_keys.js";
import { progressText } from "./state.js";
import { drawLearningCurve } from "../common/curve.js";
import { el, probabilityBars, probabilityRows, sizeCanvas, themeColor } from "../common/dom.js";

const CURVE = { w: 240, h: 86 };
export const GRID_SIZES = [1, 4, 8, 12, 16];

/** "12 / 1,797 labeled" and a bar. */
export function progressView() {
  const node = el("div", "hitl-il-progress");
  const text = el("span", "hitl-il-progress-text");
  const bar = el("div", "hitl-il-bar");
  const fill = el("div", "hitl-il-fill");
  bar.append(fill);
  node.append(text, bar);
  return {
    node,
    draw(p) {
      text.textContent = progressText(p);
      fill.style.width = p.pool ? `${(100 * p.labeled) / p.pool}%` : "0";
    },
  };
}

/** One button per label, with its key; `active` marks the label of the item browsed or the tile. */
export function classBarView(onClass) {
  const node = el("div", "hitl-il-classes");
  return {
    node,
    draw(classes, active, key) {
      node.replaceChildren(...classes.map((name, i) => {
        const b = el("button", "hitl-il-class");
        if (active === i) b.classList.add("hitl-active");
        const hint = keyHint(i, classes);
        if (hint) b.append(el("kbd", "hitl-il-key", hint), " ");
        b.append(name);
        b.title = hint ? `key ${hint}: label “${name}”` : `label “${name}”`;
        b.addEventListener("click", () => onClass(i));
        return b;
      }));
      if (!classes.length) node.append(el("span", "hitl-il-hint", "Type a label name below to start."));
      node.dataset.key = String(key);
    },
  };
}

/** The model's class probabilities for the item on screen. */
export function predictionView() {
  const node = el("div", "hitl-il-prediction");
  return {
    node,
    draw(classes, probs, browsing) {
      const bars = probabilityBars(classes, probs);
      node.replaceChildren();
      if (!bars.length) {
        node.append(el("div", "hitl-il-hint", browsing ? "" : "The model predicts once it has labels."));
        node.dataset.top = "";
        return;
      }
      const best = bars.find((b) => b.top);
      node.append(el("div", "hitl-il-predtitle", `model: ${best.name} (${Math.round(best.p * 100)}%)`));
      node.append(...probabilityRows(bars, "hitl-il"));
      node.dataset.top = best.name;
    },
  };
}

/** Accuracy against labels: prequential, or held-out with a test set; drawn in the theme's colours. */
export function curveView() {
  const node = el("div", "hitl-il-curvebox");
  const title = el("div", "hitl-il-curvetitle");
  const canvas = el("canvas", "hitl-il-curve");
  node.append(title, canvas);
  const ctx = sizeCanvas(canvas, CURVE.w, CURVE.h);
  return {
    node,
    draw(points, kind, themed) {
      const last = points.length ? points[points.length - 1] : null;
      title.textContent = last
        ? `${kind} accuracy ${Math.round(last[1] * 100)}% at ${last[0]} labels`
        : `${kind} accuracy: after the first predictions`;
      const n = drawLearningCurve(ctx, points, CURVE.w, CURVE.h,
        themeColor(themed, "--jp-brand-color1", "#1976d2"), themeColor(themed, "--jp-ui-font-color2", "#888"));
      canvas.dataset.points = String(n);
    },
  };
}

/** The strategy menu and the one-by-one / grid menu. */
export function controlsView(onStrategy, onBatch) {
  const strategy = el("select", "hitl-il-strategy");
  strategy.title = "how the next items are chosen";
  const batch = el("select", "hitl-il-batch");
  batch.title = "one item at a time, or a grid labeled together";
  for (const k of GRID_SIZES) batch.append(Object.assign(el("option", "", k === 1 ? "one by one" : `grid of ${k}`), { value: String(k) }));
  strategy.addEventListener("change", () => onStrategy(strategy.value));
  batch.addEventListener("change", () => onBatch(Number(batch.value)));
  const option = (value, text) => Object.assign(el("option", "", text), { value });
  return {
    nodes: [el("span", "hitl-il-label", "strategy"), strategy, batch],
    draw(names, current, batchSize) {
      const options = [...strategy.children];
      if (options.length !== names.length || options.some((o, i) => o.value !== names[i])) {
        strategy.replaceChildren(...names.map((n) => option(n, n.replace("_", " "))));
      }
      if (!names.includes(current)) strategy.append(option(current, current));
      strategy.value = current;
      batch.value = String(batchSize);
      if (batch.value !== String(batchSize)) {
        batch.append(option(String(batchSize), `grid of ${batchSize}`));
        batch.value = String(batchSize);
      }
    },
  };
}

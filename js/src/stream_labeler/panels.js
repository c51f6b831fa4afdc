// The stream labeler's panels, one job each: the status and metric tiles, the answer buttons, the
// model's prediction, the ask-rate knob and the two-line curve. Each makes its nodes and draws from values.
import { keyHint } from "../common/label_keys.js";
import { probabilityBars } from "../common/dom.js";
import { el, probabilityRows, sizeCanvas, themeColor } from "../common/dom.js";
import { drawStreamCurve, metricTiles, statusText, streamShare } from "./view.js";

const CURVE = { w: 300, h: 110 };

/** The status line, the share of the stream seen, and the metric tiles. */
export function metricsView() {
  const status = el("div", "hitl-sl-status");
  const bar = el("div", "hitl-sl-bar");
  const fill = el("div", "hitl-sl-fill");
  bar.append(fill);
  const tiles = el("div", "hitl-sl-metrics");
  return {
    nodes: [status, bar, tiles],
    /** A word on what happens while the kernel answers (replaced by the next draw). */
    say(text) { status.textContent = text; },
    draw(m, st, reason) {
      status.textContent = statusText(st, m, reason);
      status.className = `hitl-sl-status hitl-sl-${st}`;
      const share = streamShare(m);
      bar.style.display = share === null ? "none" : "";
      fill.style.width = `${(100 * (share ?? 0)).toFixed(2)}%`;
      tiles.replaceChildren(...metricTiles(m).map(([name, value, title]) => {
        const t = el("div", "hitl-sl-tile");
        t.title = title;
        t.dataset.metric = name;
        t.append(el("div", "hitl-sl-value", value), el("div", "hitl-sl-name", name));
        return t;
      }));
    },
  };
}

/** One answer button per class, with its key; disabled while nothing waits for an answer. */
export function answerButtonsView(onClass) {
  const node = el("div", "hitl-sl-classes");
  return {
    node,
    draw(classes, waiting) {
      node.replaceChildren(...classes.map((name, i) => {
        const b = el("button", "hitl-sl-class");
        const hint = keyHint(i, classes);
        if (hint) b.append(el("kbd", "hitl-sl-key", hint), " ");
        b.append(name);
        b.title = hint ? `key ${hint}: answer “${name}”` : `answer “${name}”`;
        b.disabled = !waiting;
        b.addEventListener("click", () => onClass(i));
        return b;
      }));
    },
  };
}

/** The model's prediction for the item waiting, with its class probabilities. */
export function streamPredictionView() {
  const node = el("div", "hitl-sl-prediction");
  return {
    node,
    draw(classes, item) {
      node.replaceChildren();
      if (item.position === undefined) return;
      if (!item.prediction) {
        node.append(el("div", "hitl-sl-hint", "The model has no prediction yet."));
        node.dataset.top = "";
        return;
      }
      const bars = probabilityBars(classes, item.probs);
      const best = bars.find((b) => b.top);
      node.append(el("div", "hitl-sl-predtitle", `model: ${item.prediction} (${Math.round((best?.p ?? 0) * 100)}%)`));
      node.append(...probabilityRows(bars, "hitl-sl"));
      node.dataset.top = item.prediction;
    },
  };
}

/** The gate's knob (discount factor or budget) as a slider; `onSet(value)` when it is let go. */
export function knobView(onSet) {
  const node = el("label", "hitl-sl-knob");
  const name = el("span", "hitl-sl-knobname");
  const range = el("input", "hitl-sl-range");
  range.type = "range";
  const value = el("span", "hitl-sl-knobvalue");
  node.append(name, range, value);
  range.addEventListener("input", () => { value.textContent = Number(range.value).toString(); });
  range.addEventListener("change", () => onSet(Number(range.value)));
  return {
    node,
    draw(knob, current) {
      node.style.display = knob.name ? "" : "none";
      if (!knob.name) return;
      name.textContent = knob.label;
      Object.assign(range, { min: String(knob.low), max: String(knob.high), step: String(knob.step) });
      if (document.activeElement !== range) range.value = String(current);
      value.textContent = Number(range.value).toString();
    },
  };
}

/** Accuracy and the recent label rate against items seen, in the theme's colours. */
export function streamCurveView() {
  const title = el("div", "hitl-sl-curvetitle");
  const canvas = el("canvas", "hitl-sl-curve");
  const ctx = sizeCanvas(canvas, CURVE.w, CURVE.h);
  return {
    nodes: [title, canvas],
    draw(points, themed) {
      const last = points.length ? points[points.length - 1] : null;
      title.replaceChildren(
        el("span", "hitl-sl-legend hitl-sl-legend-acc", "accuracy"), " and ",
        el("span", "hitl-sl-legend hitl-sl-legend-rate", "recent label rate"),
        last ? ` at ${last[0].toLocaleString("en-US")} items` : "",
      );
      const colors = {
        accuracy: themeColor(themed, "--jp-brand-color1", "#1976d2"),
        rate: themeColor(themed, "--jp-warn-color1", "#f57c00"),
        muted: themeColor(themed, "--jp-ui-font-color2", "#888"),
      };
      canvas.dataset.points = String(drawStreamCurve(ctx, points, CURVE.w, CURVE.h, colors));
    },
  };
}

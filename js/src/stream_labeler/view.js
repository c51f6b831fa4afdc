// The stream labeler's pure parts: its key map, the words and numbers it shows, the two-line curve.
import { isOtherChord, isUndoChord } from "../common/actions.js";
import { drawPercentAxes } from "../common/curve.js";
import { digitAction, keyRange } from "../common/label_keys.js";

/** The action a keydown asks for, or null when the key is not ours. */
export function streamAction(ev, classes = undefined) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (/^[0-9]$/.test(k)) return digitAction(k, classes);
  if (k === "Backspace") return { type: "undo" };
  if (k === "Enter") return { type: "accept" };
  if (k === " ") return { type: "toggle" };
  return null;
}

/** Why an item was asked about, in words. */
export function askReason(reason) {
  return {
    gate: "the model is unsure",
    "cold start": "the model has not seen every class yet",
    "warm-up": "it is in the warm-up",
  }[reason] ?? "the model is unsure";
}

/** The key help line for the classes. */
export function helpText(classes) {
  const keys = keyRange(classes) || "1";
  return `${keys} answer · ⏎ accept the prediction · ⌫ undo the last answer · Space pause / go on`;
}

const fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
const pct = (p) => (p === null || p === undefined ? "–" : `${(100 * p).toFixed(p > 0 && p < 0.01 ? 2 : 1)}%`);

/** The metric tiles: [name, value, title] in the order shown. */
export function metricTiles(m) {
  if (!m || m.seen === undefined) return [];
  return [
    ["seen", fmt(m.seen), "items read from the stream"],
    ["predicted", fmt(m.predicted), "items passed on the model's prediction, without asking"],
    ["labeled", fmt(m.labeled), "answers you gave"],
    ["accuracy", pct(m.accuracy), m.with_truth
      ? `progressive validation on ${fmt(m.with_truth)} items whose truth the stream gives`
      : "no figure yet: no item with a truth has had a prediction"],
    ["label rate", pct(m.label_rate), `labels / items; recent: ${pct(m.recent_rate)}`],
  ];
}

/** One line on what the walk is doing. */
export function statusText(status, m, reason) {
  const total = m && m.total ? ` of ${fmt(m.total)}` : "";
  const seen = m ? `${fmt(m.seen)}${total}` : "";
  switch (status) {
    case "walking": {
      const rate = m && m.items_per_second ? ` · ${fmt(Math.round(m.items_per_second))} items/s` : "";
      return `fast-forwarding through confident items… ${seen} seen${rate}`;
    }
    case "asking":
      return `waiting for your answer (${askReason(reason)}) · ${seen} seen`;
    case "paused":
      return `paused at ${seen} · Space goes on`;
    case "end":
      return `end of the stream · ${seen} seen`;
    case "error":
      return `stopped at ${seen}: the stream failed (every label is saved)`;
    default:
      return "";
  }
}

/** The share of the stream read, 0-1, or null when its length is unknown. */
export function streamShare(m) {
  return m && m.total ? Math.min(1, m.position / m.total) : null;
}

/** Pixel points of series `col` (1 accuracy, 2 label rate) of [seen, acc, rate] rows; gaps where null. */
export function seriesPixels(points, col, w, h, pad) {
  if (!points.length) return [];
  const xmax = Math.max(1, points[points.length - 1][0]);
  const iw = w - pad.left - pad.right, ih = h - pad.top - pad.bottom;
  return points.map((p) => (p[col] === null || p[col] === undefined
    ? null : [pad.left + (p[0] / xmax) * iw, pad.top + (1 - p[col]) * ih]));
}

/** Draw accuracy and recent label rate against items seen; returns the number of points drawn. */
export function drawStreamCurve(ctx, points, w, h, colors) {
  const pad = { left: 30, right: 8, top: 8, bottom: 16 };
  if (!points.length) { drawPercentAxes(ctx, w, h, pad, colors.muted); return 0; }
  drawPercentAxes(ctx, w, h, pad, colors.muted, "items seen", fmt(points[points.length - 1][0]));
  let drawn = 0;
  for (const [col, color] of [[2, colors.rate], [1, colors.accuracy]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (const p of seriesPixels(points, col, w, h, pad)) {
      if (!p) { pen = false; continue; }
      if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
      pen = true;
      drawn += col === 1 ? 1 : 0;
    }
    ctx.stroke();
  }
  return drawn;
}

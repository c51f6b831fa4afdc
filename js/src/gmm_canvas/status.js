// What the GMM canvas says under the plot: the status line and the prequential accuracy chart.
import { drawPercentAxes } from "../common/curve.js";

/** A gap in nats per point with its sign, and no "-0.000". */
export function formatGap(gap) {
  const rounded = Math.round(gap * 1000) / 1000;
  if (rounded === 0) return "0.000";
  return `${rounded > 0 ? "+" : ""}${rounded.toFixed(3)}`;
}

/** The parts of the status line, in order (joined with " · "). */
export function statusParts(st, latency) {
  if (!st || st.n === undefined) return [];
  if (st.n === 0) {
    if (st.last_action === "clear" && st.cleared) return [`cleared ${st.cleared} points: Backspace brings them back`];
    return ["click to add a point, drag to spray"];
  }
  const parts = [`N = ${st.n}`, `K = ${st.k}`];
  if (st.candidates) parts.push(`${st.candidates} far point${st.candidates > 1 ? "s" : ""} waiting`);
  if (st.update_ms != null) parts.push(`update ${st.update_ms.toFixed(2)} ms`);
  if (latency != null) parts.push(`click to redraw ${latency.toFixed(0)} ms`);
  if (st.ll_gap != null) parts.push(`vs batch (N = ${st.batch_n}${fitTime(st.batch_ms)}): ${formatGap(st.ll_gap)} nats/pt`);
  else if (st.batch_n != null) parts.push(`fit from scratch is from N = ${st.batch_n}${st.checking ? ", refitting" : ""}`);
  else parts.push("b: fit from scratch to compare");
  if (st.adopted) parts.push(adoptionText(st.adopted));
  else if (st.checking) parts.push("checking against a fit from scratch in the background");
  if (st.accuracy != null) parts.push(`accuracy ${(100 * st.accuracy).toFixed(0)}% over ${st.n_predicted} predicted`);
  return parts;
}

/** ", fit in 1,344 ms": how long the kernel's fit from scratch took (not part of any redraw). */
function fitTime(ms) {
  return ms == null ? "" : `, fit in ${Math.round(ms).toLocaleString("en-US")} ms`;
}

/** Why the model just changed without a click: a fit from scratch was adopted. */
export function adoptionText(a) {
  const gain = a.gain != null ? ` (${formatGap(a.gain)} nats/pt)` : "";
  return a.by === "you" ? `you adopted the fit from scratch at N = ${a.n}` : `adopted a fit from scratch at N = ${a.n}${gain}`;
}

export const CURVE_SIZE = { width: 260, height: 72 };

/**
 * The accuracy curve (thinned by Python) with 0 / 50 / 100 % gridlines, its title above the plot
 * area rather than on a gridline, and the number of predicted points at the end of the x axis.
 */
export function drawAccuracy(ctx, values, nPredicted, color, muted, { width, height } = CURVE_SIZE) {
  const pad = { left: 28, right: 8, top: 16, bottom: 14 };
  drawPercentAxes(ctx, width, height, pad, muted, "predicted points", String(nPredicted));
  ctx.fillStyle = color;
  ctx.font = "11px sans-serif";
  const last = values.length ? ` ${(100 * values[values.length - 1]).toFixed(0)}%` : "";
  ctx.fillText(`prequential accuracy${last}`, pad.left, 11);
  if (!values.length) return 0;
  const iw = width - pad.left - pad.right, ih = height - pad.top - pad.bottom;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = pad.left + (values.length === 1 ? iw / 2 : (i / (values.length - 1)) * iw);
    const y = pad.top + (1 - v) * ih;
    if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
  });
  ctx.stroke();
  return values.length;
}

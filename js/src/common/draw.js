// Drawing shared by the widgets' canvases: the class palette and points.

export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

export function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/**
 * How points are drawn when there are `n` of them on a width x height canvas: their dots together cover
 * at most about an eighth of it (they shrink from 3.5 px to 1 px and fade to 30%), and a dot carries an
 * outline only while it is large. So the model drawn over them stays visible however many there are.
 */
export function pointStyle(n, width, height) {
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const count = Math.max(1, n);
  const radius = clamp(Math.sqrt((0.12 * width * height) / (Math.PI * count)), 1, 3.5);
  return { radius, alpha: clamp(Math.sqrt(500 / count), 0.3, 1), outlined: radius >= 2.5 };
}

/** Filled circles for points given as a flat Float32Array [x0, y0, ...] with class indices. */
export function fillPoints(ctx, xy, labels, view, { radius = 3.5, outline = "#ffffff", alpha = 1, outlined = true } = {}) {
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.lineWidth = 1;
  ctx.strokeStyle = outline;
  for (let i = 0; i < xy.length / 2; i++) {
    const [px, py] = view.toPixel(xy[2 * i], xy[2 * i + 1]);
    ctx.fillStyle = PALETTE[(labels[i] ?? 0) % PALETTE.length];
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fill();
    if (outlined) ctx.stroke();
  }
  ctx.restore();
}

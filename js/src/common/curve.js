// The learning curve: accuracy (0-1) against the number of labels, with light axes.

/** Pixel coordinates of the curve's points in a w x h box with the given margins. */
export function curvePixels(points, w, h, pad = { left: 26, right: 6, top: 6, bottom: 14 }) {
  if (!points.length) return [];
  const xmax = Math.max(1, points[points.length - 1][0]);
  const iw = w - pad.left - pad.right, ih = h - pad.top - pad.bottom;
  return points.map(([x, y]) => [pad.left + (x / xmax) * iw, pad.top + (1 - y) * ih]);
}

/**
 * Clear the box and draw 0 / 50 / 100 % gridlines; with an x range, name the x axis and print its
 * last value at the right.
 */
export function drawPercentAxes(ctx, w, h, pad, muted, xName = null, xLast = null) {
  ctx.clearRect(0, 0, w, h);
  ctx.font = "9px sans-serif";
  ctx.fillStyle = muted;
  ctx.strokeStyle = muted;
  ctx.lineWidth = 0.5;
  for (const y of [0, 0.5, 1]) {
    const py = pad.top + (1 - y) * (h - pad.top - pad.bottom);
    ctx.beginPath(); ctx.moveTo(pad.left, py); ctx.lineTo(w - pad.right, py); ctx.stroke();
    ctx.fillText(`${Math.round(y * 100)}%`, 2, py + 3);
  }
  if (xName === null) return;
  ctx.fillText(xName, pad.left, h - 3);
  ctx.fillText(xLast, w - pad.right - ctx.measureText(xLast).width, h - 3);
}

/** Draw the curve with 0 / 50 / 100 % gridlines and the last x as the axis label. */
export function drawLearningCurve(ctx, points, w, h, color, muted) {
  const pad = { left: 26, right: 6, top: 6, bottom: 14 };
  if (!points.length) { drawPercentAxes(ctx, w, h, pad, muted); return 0; }
  drawPercentAxes(ctx, w, h, pad, muted, "labels", String(points[points.length - 1][0]));
  const px = curvePixels(points, w, h, pad);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  px.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
  return px.length;
}

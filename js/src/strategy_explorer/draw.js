// Drawing one strategy panel: decision regions or utility, pool points, labeled points, numbered next picks.
import { PALETTE, hexToRgb } from "../common/draw.js";

export const STRATEGY_COLOURS = ["#6a3d9a", "#b15928", "#1b9e77", "#e7298a", "#386cb0", "#666666"];

/** Maps plane coordinates to canvas pixels (y up) and back. */
export function planeToPixels(extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  const sx = width / (x1 - x0), sy = height / (y1 - y0);
  return {
    px: (x) => (x - x0) * sx,
    py: (y) => height - (y - y0) * sy,
    x: (px) => x0 + px / sx,
    y: (py) => y0 + (height - py) / sy,
  };
}

/**
 * RGBA pixels of an R x R grid (row 0 at the bottom, drawn at the top of the image last):
 * decision regions from `shade` [class, confidence 0-255] pairs, or the utility [0-255] in one hue.
 */
export function gridPixels(side, shade, utility, nClasses) {
  const rgba = new Uint8ClampedArray(side * side * 4);
  const floor = nClasses > 1 ? 1 / nClasses : 0;
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const cell = j * side + i, out = 4 * ((side - 1 - j) * side + i);
      if (utility) {
        const u = utility[cell] / 255;
        rgba.set([230, 120, 20, Math.round(255 * 0.7 * u * u)], out);
      } else if (shade) {
        const [r, g, b] = hexToRgb(PALETTE[shade[2 * cell] % PALETTE.length]);
        const sure = (shade[2 * cell + 1] / 255 - floor) / (1 - floor || 1);
        rgba.set([r, g, b, Math.round(255 * (0.06 + 0.34 * Math.max(0, sure)))], out);
      }
    }
  }
  return rgba;
}

/** Index of the pool point nearest a click (within `radius` px) that the panel has not labeled, or -1. */
export function nearestOpenPoint(points, inPool, labeledSet, map, cx, cy, radius = 10) {
  let best = -1, bestD = radius * radius;
  for (let i = 0; i < inPool.length; i++) {
    if (!inPool[i] || labeledSet.has(i)) continue;
    const dx = map.px(points[2 * i]) - cx, dy = map.py(points[2 * i + 1]) - cy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) { best = i; bestD = d; }
  }
  return best;
}

/**
 * A click at pixel (cx, cy) of a side x side panel, in plane coordinates, with the radius of `radiusPx`
 * pixels along each axis (the panel is square, the plane's extent need not be).
 */
export function clickOnPlane(extent, side, cx, cy, radiusPx = 10) {
  const map = planeToPixels(extent, side, side);
  return { x: map.x(cx), y: map.y(cy), rx: map.x(radiusPx) - map.x(0), ry: map.y(0) - map.y(radiusPx) };
}

/** The pool's points as faint 2-pixel squares (every panel shows the same ones: drawn once, then copied). */
export function drawPool(ctx, points, inPool, map, muted, skip = null) {
  ctx.fillStyle = muted;
  for (let i = 0; i < inPool.length; i++) {
    if (!inPool[i] || skip?.has(i)) continue;
    ctx.fillRect(map.px(points[2 * i]) - 1, map.py(points[2 * i + 1]) - 1, 2, 2);
  }
}

/**
 * Draw a panel: shading image (already scaled), faint pool points (`poolImage`, drawn once for every panel,
 * when given: a labeled point's dot covers its square), labeled points, numbered picks.
 */
export function drawPanel(ctx, view) {
  const { width, height, map, points, inPool, labeled, labels, picks, shadeImage, poolImage, muted, ink, paper, thick } = view;
  ctx.clearRect(0, 0, width, height);
  if (shadeImage) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shadeImage, 0, 0, width, height);
  }
  if (poolImage) ctx.drawImage(poolImage, 0, 0, width, height);
  else drawPool(ctx, points, inPool, map, muted, new Set(labeled));
  const r = thick ? 5 : 3.5;
  ctx.lineWidth = thick ? 1.5 : 1;
  ctx.strokeStyle = ink;
  labeled.forEach((row, k) => {
    ctx.fillStyle = PALETTE[labels[k] % PALETTE.length];
    ctx.beginPath();
    ctx.arc(map.px(points[2 * row]), map.py(points[2 * row + 1]), r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
  for (const group of picks) drawPicks(ctx, group, points, map, ink, thick, paper);
}

/**
 * Rings with their order (1 = asked first) around a strategy's next picks, each ring and number on a
 * halo so it reads on any shading in either theme: the theme's ink on the panel's background colour,
 * or a strategy's colour outlined in ink (a coloured ring on a dark halo would vanish in a dark theme).
 */
export function drawPicks(ctx, group, points, map, ink, thick, paper = "#fff") {
  const line = thick ? 3 : 2;
  const colour = group.colour || ink;
  const halo = group.colour ? ink : paper;
  ctx.save();
  ctx.font = `bold ${thick ? 15 : 12}px sans-serif`;
  ctx.lineJoin = "round";
  group.rows.forEach((row, k) => {
    const x = map.px(points[2 * row]), y = map.py(points[2 * row + 1]);
    ctx.beginPath();
    ctx.arc(x, y, thick ? 9 : 7, 0, 2 * Math.PI);
    ctx.strokeStyle = halo;
    ctx.lineWidth = line + (group.colour ? 2 : 3);
    ctx.stroke();
    ctx.strokeStyle = colour;
    ctx.lineWidth = line;
    ctx.stroke();
    if (group.numbered) {
      const text = String(k + 1), tx = x + (thick ? 10 : 8), ty = y - (thick ? 8 : 6);
      ctx.strokeStyle = paper;
      ctx.lineWidth = 3;
      ctx.strokeText(text, tx, ty);
      ctx.fillStyle = ink;
      ctx.fillText(text, tx, ty);
    }
  });
  ctx.restore();
}

/** The y range of the learning-curve chart: from the tenth below the lowest accuracy to 100%. */
export function accuracyRange(lines) {
  let low = 1;
  for (const line of lines) for (const [, a] of line.points) low = Math.min(low, a);
  return [Math.max(0, Math.min(0.9, Math.floor(low * 10 - 1e-9) / 10)), 1];
}

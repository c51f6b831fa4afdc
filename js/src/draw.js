// Drawing the model's state on a 2-D context: density shading, decision regions,
// contour lines at probability-mass levels (d3-contour), covariance ellipses, points.
import { contours } from "d3-contour";
import { densityGrid, ellipse, massLevels, prepareMixture } from "./mixture.js";

export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
export const MASS_LEVELS = [0.25, 0.5, 0.75, 0.9];

export function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Per-class density grids of a list of class mixtures [{label, prior, weights, means, covariances}]. */
export function classGrids(mixtures, view, nx, ny) {
  return mixtures.map((m) => ({ label: m.label, prior: m.prior ?? 1, grid: densityGrid(prepareMixture(m), view, nx, ny) }));
}

/**
 * RGBA pixels (nx x ny) shading the model: one class -> density in its colour;
 * several -> decision regions (colour of the most probable class, stronger where surer).
 */
export function shadePixels(grids, nx, ny) {
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  if (!grids.length) return rgba;
  let maxJoint = 0;
  const joint = grids.map((g) => g.grid.map((v) => v * g.prior));
  for (const j of joint) for (const v of j) if (v > maxJoint) maxJoint = v;
  const colours = grids.map((g) => hexToRgb(PALETTE[g.label % PALETTE.length]));
  const C = grids.length;
  for (let i = 0; i < nx * ny; i++) {
    let best = 0, total = 0;
    for (let c = 0; c < C; c++) { total += joint[c][i]; if (joint[c][i] > joint[best][i]) best = c; }
    const dens = maxJoint > 0 ? Math.sqrt(total / maxJoint) : 0;
    let alpha;
    if (C === 1) alpha = 0.6 * dens;
    else {
      const post = total > 0 ? joint[best][i] / total : 1 / C;
      alpha = 0.12 + 0.28 * ((post - 1 / C) / (1 - 1 / C)) + 0.3 * dens;
    }
    const [r, g, b] = colours[best];
    rgba.set([r, g, b, Math.round(255 * alpha)], 4 * i);
  }
  return rgba;
}

/** Contour rings (grid coordinates) of a density grid at the given probability masses. */
export function massContours(grid, nx, ny, view, masses = MASS_LEVELS) {
  const cellArea = ((view.xlim[1] - view.xlim[0]) / nx) * ((view.ylim[1] - view.ylim[0]) / ny);
  const levels = massLevels(grid, cellArea, masses).filter((v) => v !== null && v > 0);
  if (!levels.length) return [];
  return contours().size([nx, ny]).thresholds(levels)(grid);
}

/** Stroke d3 MultiPolygons given in grid coordinates onto a context in CSS pixels. */
export function strokeContours(ctx, polygons, nx, ny, view, style) {
  const kx = view.width / nx, ky = view.height / ny;
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width ?? 1.5;
  ctx.setLineDash(style.dash ?? []);
  for (const poly of polygons) {
    for (const rings of poly.coordinates) {
      for (const ring of rings) {
        ctx.beginPath();
        ring.forEach(([gx, gy], i) => (i ? ctx.lineTo(gx * kx, gy * ky) : ctx.moveTo(gx * kx, gy * ky)));
        ctx.stroke();
      }
    }
  }
  ctx.restore();
}

/** 2-sigma ellipses and a cross at each mean. */
export function strokeComponents(ctx, mixture, view, style) {
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width ?? 1;
  ctx.setLineDash(style.dash ?? []);
  mixture.means.forEach((mean, k) => {
    const pts = ellipse(mean, mixture.covariances[k]);
    ctx.beginPath();
    pts.forEach(([x, y], i) => {
      const [px, py] = view.toPixel(x, y);
      if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    });
    ctx.stroke();
    const [mx, my] = view.toPixel(mean[0], mean[1]);
    ctx.beginPath();
    ctx.moveTo(mx - 5, my); ctx.lineTo(mx + 5, my);
    ctx.moveTo(mx, my - 5); ctx.lineTo(mx, my + 5);
    ctx.stroke();
  });
  ctx.restore();
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

/** A small accuracy-vs-points line on a 0..1 axis. */
export function drawCurve(ctx, values, width, height, color) {
  ctx.clearRect(0, 0, width, height);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.35;
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  ctx.beginPath();
  ctx.setLineDash([2, 3]);
  ctx.moveTo(1, height / 2);
  ctx.lineTo(width - 1, height / 2);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.globalAlpha = 0.8;
  ctx.fillStyle = color;
  ctx.font = "10px sans-serif";
  const last = values.length ? ` ${(100 * values[values.length - 1]).toFixed(0)}%` : "";
  ctx.fillText(`prequential accuracy${last}`, 4, 11);
  ctx.globalAlpha = 1;
  if (values.length) {
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 4) + 2;
      const y = height - 2 - v * (height - 4);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.restore();
}

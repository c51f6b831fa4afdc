// Drawing the mixture's state on a 2-D context: density shading, decision regions,
// contour lines at probability-mass levels (d3-contour), covariance ellipses.
import { contours } from "d3-contour";
import { PALETTE, hexToRgb } from "../common/draw.js";
import { densityGrid, ellipse, massLevels, prepareMixture } from "./mixture.js";

export const MASS_LEVELS = [0.25, 0.5, 0.75, 0.9];

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
  const C = grids.length;
  if (!C) return rgba;
  const priors = grids.map((g) => g.prior);
  let maxJoint = 0;
  for (let c = 0; c < C; c++) {
    const grid = grids[c].grid, prior = priors[c];
    for (let i = 0; i < grid.length; i++) if (grid[i] * prior > maxJoint) maxJoint = grid[i] * prior;
  }
  const colours = grids.map((g) => hexToRgb(PALETTE[g.label % PALETTE.length]));
  for (let i = 0; i < nx * ny; i++) {
    let best = 0, bestJoint = -1, total = 0;
    for (let c = 0; c < C; c++) {
      const joint = grids[c].grid[i] * priors[c];
      total += joint;
      if (joint > bestJoint) { best = c; bestJoint = joint; }
    }
    const dens = maxJoint > 0 ? Math.sqrt(total / maxJoint) : 0;
    let alpha;
    if (C === 1) alpha = 0.6 * dens;
    else {
      const post = total > 0 ? bestJoint / total : 1 / C;
      alpha = 0.12 + 0.28 * ((post - 1 / C) / (1 - 1 / C)) + 0.3 * dens;
    }
    const [r, g, b] = colours[best];
    const o = 4 * i;
    rgba[o] = r; rgba[o + 1] = g; rgba[o + 2] = b; rgba[o + 3] = Math.round(255 * alpha);
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

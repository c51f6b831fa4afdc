// The GMM canvas's model layer: shading, density contours (online solid, batch dashed) and
// component ellipses, drawn from the mixtures the kernel sends.
import { PALETTE, classGrids, massContours, shadePixels, strokeComponents, strokeContours } from "./draw.js";

const CELL_PX = 5; // density grid resolution: one cell per 5 CSS pixels

/**
 * Density grids of a mixtures list, reused while the list is the same object: the model
 * hands back the same object until Python sends a new one, so the batch fit's grids are
 * computed once per fit, not on every click.
 */
function gridsFor(cache, key, mixtures, view, nx, ny) {
  const hit = cache[key];
  if (hit && hit.mixtures === mixtures && hit.view === view) return hit.grids;
  const grids = classGrids(mixtures, view, nx, ny);
  cache[key] = { mixtures, view, grids };
  return grids;
}

/** Draw the model layer: shading, contours (online solid, batch dashed), components. */
export function drawModel(ctx, model, view, fg, cache = {}, halo = "#ffffff") {
  const nx = Math.max(8, Math.round(view.width / CELL_PX)), ny = Math.max(8, Math.round(view.height / CELL_PX));
  ctx.clearRect(0, 0, view.width, view.height);
  const show = model.get("show");
  const online = show === "batch" ? [] : model.get("mixtures");
  const batch = show === "online" ? [] : model.get("batch_mixtures");
  const shaded = online.length ? online : batch;
  const gridsOnline = gridsFor(cache, "online", online, view, nx, ny);
  const gridsBatch = gridsFor(cache, "batch", batch, view, nx, ny);
  const shadeFrom = shaded === online ? gridsOnline : gridsBatch;
  if (shadeFrom.length) {
    const pixels = shadePixels(shadeFrom, nx, ny);
    const tile = globalThis.OffscreenCanvas ? new OffscreenCanvas(nx, ny) : Object.assign(document.createElement("canvas"), { width: nx, height: ny });
    tile.getContext("2d").putImageData(new ImageData(pixels, nx, ny), 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tile, 0, 0, view.width, view.height);
  }
  let rings = 0;
  const means = [];
  gridsOnline.forEach((g, i) => {
    const colour = PALETTE[g.label % PALETTE.length];
    const polys = massContours(g.grid, nx, ny, view);
    rings += polys.length;
    strokeContours(ctx, polys, nx, ny, view, { color: colour, width: 1.5 });
    const drawn = visibleComponents(online[i]);
    strokeComponents(ctx, drawn, view, { color: halo, width: 3.5 }); // a halo keeps the ellipse visible on any shading
    strokeComponents(ctx, drawn, view, { color: online.length === 1 ? fg : colour, width: 1.5 });
    means.push(...drawn.means);
  });
  gridsBatch.forEach((g, i) => {
    const polys = massContours(g.grid, nx, ny, view);
    rings += polys.length;
    strokeContours(ctx, polys, nx, ny, view, { color: fg, width: 1.2, dash: [5, 4] });
    strokeComponents(ctx, visibleComponents(batch[i]), view, { color: fg, width: 1, dash: [2, 3] });
  });
  return { levels: rings, components: means.length, means };
}

/** The components worth drawing: a component with (almost) no weight is not a cluster. */
export function visibleComponents(mixture, minWeight = 0.002) {
  const keep = mixture.weights.map((w, k) => k).filter((k) => mixture.weights[k] >= minWeight);
  return { ...mixture, weights: keep.map((k) => mixture.weights[k]), means: keep.map((k) => mixture.means[k]),
    covariances: keep.map((k) => mixture.covariances[k]) };
}


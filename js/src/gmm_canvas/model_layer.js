// The GMM canvas's model layer: shading, density contours (online solid, batch dashed) and
// component ellipses, drawn from the mixtures the kernel sends.
import { PALETTE } from "../common/draw.js";
import { densityGrid, prepareMixture } from "./mixture.js";
import { massContours, shadePixels, strokeComponents, strokeContours } from "./model_draw.js";

const CELL_PX = 5; // density grid resolution: one cell per 5 CSS pixels

/**
 * Per class, its density grid and contour rings, kept while its mixture's numbers stay the same: a click
 * changes one class, so one grid and its contours are computed again, not every class's (the fit from
 * scratch's, once per fit). Entries: {label, prior, grid, polys()}.
 */
function classLayers(cache, kind, mixtures, view, nx, ny) {
  return mixtures.map((m) => {
    const key = `${kind}:${m.label}`;
    const numbers = JSON.stringify([m.weights, m.means, m.covariances]);
    let hit = cache[key];
    if (!hit || hit.numbers !== numbers || hit.view !== view) {
      hit = { numbers, view, grid: densityGrid(prepareMixture(m), view, nx, ny), rings: null };
      cache[key] = hit;
    }
    const entry = hit;
    return {
      label: m.label, prior: m.prior ?? 1, grid: entry.grid,
      polys: () => (entry.rings ??= massContours(entry.grid, nx, ny, view)),
    };
  });
}

/**
 * Draw the model: shading on `ctx` (under the points), contours (online solid, batch dashed) and
 * components on `lines` (over the points, each line on a halo of the background): the model stays
 * visible however many points there are. `mixtures`: the online model to draw instead of the kernel's
 * (the page's preview of a click not answered yet).
 */
export function drawModel(ctx, model, view, fg, cache = {}, halo = "#ffffff", lines = ctx, mixtures = null) {
  const nx = Math.max(8, Math.round(view.width / CELL_PX)), ny = Math.max(8, Math.round(view.height / CELL_PX));
  ctx.clearRect(0, 0, view.width, view.height);
  if (lines !== ctx) lines.clearRect(0, 0, view.width, view.height);
  const show = model.get("show");
  const online = show === "batch" ? [] : mixtures ?? model.get("mixtures"); // mixtures: a preview of a click
  const batch = show === "online" ? [] : model.get("batch_mixtures");
  const shaded = online.length ? online : batch;
  const gridsOnline = classLayers(cache, "online", online, view, nx, ny);
  const gridsBatch = classLayers(cache, "batch", batch, view, nx, ny);
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
    const polys = g.polys();
    rings += polys.length;
    strokeContours(lines, polys, nx, ny, view, { color: halo, width: 3.5 }); // halos: visible on shading and points
    strokeContours(lines, polys, nx, ny, view, { color: colour, width: 1.5 });
    const drawn = visibleComponents(online[i]);
    strokeComponents(lines, drawn, view, { color: halo, width: 3.5 });
    strokeComponents(lines, drawn, view, { color: online.length === 1 ? fg : colour, width: 1.5 });
    means.push(...drawn.means);
  });
  gridsBatch.forEach((g, i) => {
    const polys = g.polys();
    rings += polys.length;
    strokeContours(lines, polys, nx, ny, view, { color: halo, width: 3, dash: [5, 4] });
    strokeContours(lines, polys, nx, ny, view, { color: fg, width: 1.2, dash: [5, 4] });
    const drawn = visibleComponents(batch[i]);
    strokeComponents(lines, drawn, view, { color: halo, width: 3, dash: [2, 3] });
    strokeComponents(lines, drawn, view, { color: fg, width: 1.2, dash: [2, 3] });
  });
  return { levels: rings, components: means.length, means };
}

/** The components worth drawing: a component with (almost) no weight is not a cluster. */
export function visibleComponents(mixture, minWeight = 0.002) {
  const keep = mixture.weights.map((w, k) => k).filter((k) => mixture.weights[k] >= minWeight);
  return { ...mixture, weights: keep.map((k) => mixture.weights[k]), means: keep.map((k) => mixture.means[k]),
    covariances: keep.map((k) => mixture.covariances[k]) };
}


/**
 * What the lines on the canvas mean, for the legend: one entry per kind of line drawn. `line` is the
 * stroke ("solid", "dashed", "dotted"), `shape` "line" or "ellipse", `colour` a class colour, or null
 * for the theme's text colour (as drawModel draws them).
 */
export function legendEntries(show, online, batch) {
  const entries = [];
  if (show !== "batch" && online.length) {
    const single = online.length === 1;
    const first = PALETTE[online[0].label % PALETTE.length];
    const each = single ? "" : ", class colours";
    entries.push({ line: "solid", shape: "line", colour: first, text: `online: contours (25/50/75/90% mass${each})` });
    entries.push({ line: "solid", shape: "ellipse", colour: single ? null : first, text: "online: components (2σ ellipses)" });
  }
  if (show !== "online" && batch.length) {
    entries.push({ line: "dashed", shape: "line", colour: null, text: "from scratch: contours" });
    entries.push({ line: "dotted", shape: "ellipse", colour: null, text: "from scratch: components" });
  }
  return entries;
}

// GMMCanvas front end (anywidget): draws what the user does at once, then the model's answer.
import { eventPixel, makeView } from "./coords.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler, sizeCanvas, themeColor } from "./dom.js";
import { sequencedSender, typingInside } from "./actions.js";
import { decodeLabels, decodePoints } from "./codec.js";
import { seededRandom, shouldSpray, spray } from "./brush.js";
import { actionForKey, nextShow, SHOW_MODES } from "./keys.js";
import {
  PALETTE, classGrids, fillPoints, massContours, shadePixels, strokeComponents, strokeContours,
} from "./draw.js";
import { CURVE_SIZE, drawAccuracy, statusParts } from "./gmm_status.js";

const CELL_PX = 5; // density grid resolution: one cell per 5 CSS pixels
const SPRAY = { radius: 16, spacing: 7, count: 2 };

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

/** Three decimals, and no "-0.000" for a number that rounds to zero. */
export function fixed3(v) {
  return (Math.abs(v) < 0.0005 ? 0 : v).toFixed(3);
}

/** The parameters as a table: one row per component, a class column only when there are classes. */
export function paramsTable(mixtures, classNames) {
  const withClass = classNames.length > 1;
  const table = el("table", "hitl-gmm-table");
  const head = el("tr");
  const names = ["k", "weight", "mean x", "mean y", "var x", "var y", "cov xy"];
  for (const h of withClass ? ["class", ...names] : names) head.append(el("th", "", h));
  table.append(head);
  for (const m of mixtures) {
    m.weights.forEach((w, k) => {
      const [[a, b], [, c]] = m.covariances[k];
      const row = el("tr");
      if (withClass) {
        const cls = el("td", "", classNames[m.label] ?? String(m.label + 1));
        cls.style.color = PALETTE[m.label % PALETTE.length];
        row.append(cls);
      }
      row.append(el("td", "", String(k + 1)));
      for (const v of [w, m.means[k][0], m.means[k][1], a, c, b]) row.append(el("td", "", fixed3(v)));
      table.append(row);
    });
  }
  const caption = el("caption", "", "Covariances: variances on the diagonal (not standard deviations).");
  table.prepend(caption);
  return table;
}

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-gmm");
  const toolbar = el("div", "hitl-gmm-toolbar");
  const classBar = el("span", "hitl-gmm-classes");
  const showSelect = el("select", "hitl-gmm-show");
  for (const m of SHOW_MODES) showSelect.append(Object.assign(el("option", "", m), { value: m }));
  const buttons = {
    params: el("button", "hitl-gmm-btn", "Parameters (p)"),
    fit_batch: el("button", "hitl-gmm-btn", "Fit from scratch (b)"),
    adopt: el("button", "hitl-gmm-btn", "Adopt it (a)"),
    undo: el("button", "hitl-gmm-btn", "Undo (⌫)"),
    clear: el("button", "hitl-gmm-btn", "Clear (c)"),
  };
  buttons.adopt.title = "make the fit from scratch the online model (undo takes it back)";
  const classHint = el("span", "hitl-gmm-label", "keys 2-9 start classes");
  toolbar.append(classBar, classHint, el("span", "hitl-gmm-label", "show"), showSelect, ...Object.values(buttons));
  const stage = el("div", "hitl-gmm-stage");
  const modelCanvas = el("canvas", "hitl-gmm-model");
  const pointCanvas = el("canvas", "hitl-gmm-points");
  const hint = el("div", "hitl-gmm-hint", "Click to add points, drag to spray them. Keys work while the widget is outlined.");
  stage.append(modelCanvas, pointCanvas, hint);
  const footer = el("div", "hitl-gmm-footer");
  const status = el("div", "hitl-gmm-status");
  const curve = el("canvas", "hitl-gmm-curve");
  footer.append(status, curve);
  const error = el("div", "hitl-gmm-error");
  const params = el("div", "hitl-gmm-params");
  root.append(toolbar, stage, footer, error, params);
  host.append(root);

  const state = {
    pending: [], t0: new Map(), latency: null, brush: null, random: seededRandom(1), renders: 0, grids: {},
    stroke: Math.floor(Math.random() * 1e9), // brush strokes are undone whole; a reloaded page starts elsewhere
  };
  let view, modelCtx, pointCtx;

  const layout = () => {
    const w = model.get("width"), h = model.get("height");
    view = makeView(w, h, model.get("xlim"), model.get("ylim"));
    stage.style.width = `${w}px`;
    stage.style.height = `${h}px`;
    modelCtx = sizeCanvas(modelCanvas, w, h);
    pointCtx = sizeCanvas(pointCanvas, w, h);
    sizeCanvas(curve, CURVE_SIZE.width, CURVE_SIZE.height);
  };

  const drawPoints = () => {
    const xy = decodePoints(model.get("_points")), labels = decodeLabels(model.get("_labels"));
    pointCtx.clearRect(0, 0, view.width, view.height);
    fillPoints(pointCtx, xy, labels, view);
    const pxy = new Float32Array(state.pending.flatMap((p) => p.xy.flat()));
    const plab = state.pending.flatMap((p) => p.xy.map(() => p.label));
    fillPoints(pointCtx, pxy, plab, view, { alpha: 0.6 });
    modelCanvas.dataset.n = String(xy.length / 2);
    modelCanvas.dataset.pending = String(plab.length);
    hint.style.display = xy.length || plab.length ? "none" : "";
  };

  const drawToolbar = () => {
    const names = model.get("class_names"), current = model.get("current_class");
    classBar.replaceChildren(...names.map((name, i) => {
      const b = el("button", "hitl-gmm-class" + (i === current ? " hitl-active" : ""));
      b.append(el("kbd", "hitl-gmm-key", String(i + 1)), ` ${name}`);
      b.title = `key ${i + 1}: the next points are ${name}`;
      b.style.borderColor = PALETTE[i % PALETTE.length];
      b.addEventListener("click", () => choose(i));
      return b;
    }));
    const single = names.length === 1 && model.get("open_classes");
    classBar.style.display = single ? "none" : ""; // one class needs no buttons
    classHint.style.display = single ? "" : "none";
    showSelect.value = model.get("show");
    buttons.adopt.disabled = !model.get("batch_mixtures").length;
  };
  const drawCurve = () => {
    const acc = model.get("accuracy_curve");
    curve.style.display = acc.length ? "" : "none";
    const fg = themeColor(root, "--jp-ui-font-color1", "#333"), muted = themeColor(root, "--jp-ui-font-color2", "#777");
    drawAccuracy(curve.getContext("2d"), acc, model.get("status").n_predicted ?? acc.length, fg, muted);
  };
  const drawParams = () => {
    if (model.get("show_params")) {
      params.replaceChildren(paramsTable(model.get("mixtures"), model.get("class_names")));
      params.style.display = "";
    } else {
      params.replaceChildren();
      params.style.display = "none";
    }
  };
  const redrawControls = {
    toolbar: drawToolbar,
    accuracy: drawCurve,
    params: drawParams,
    error: () => { error.textContent = model.get("error"); },
  };

  // every change marks what to redraw; one flush per task redraws it (trait updates arrive together)
  const flush = (d) => {
    if (d.has("layout")) layout();
    if (d.has("layout") || d.has("model")) {
      const t0 = performance.now();
      const fg = themeColor(root, "--jp-ui-font-color1", "#222"), halo = themeColor(root, "--jp-layout-color0", "#fff");
      const info = drawModel(modelCtx, model, view, fg, state.grids, halo);
      modelCanvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
      modelCanvas.dataset.levels = String(info.levels);
      modelCanvas.dataset.components = String(info.components);
      modelCanvas.dataset.means = JSON.stringify(info.means.map((m) => m.map((v) => Number(v.toFixed(3)))));
      modelCanvas.dataset.renders = String(++state.renders);
    }
    const ack = model.get("_ack");
    state.pending = state.pending.filter((p) => p.seq > ack);
    if (d.has("layout") || d.has("points") || d.has("pending")) drawPoints();
    for (const [part, draw] of Object.entries(redrawControls)) if (d.has(part) || d.has("layout")) draw();
    if (state.t0.has(ack)) {
      state.latency = performance.now() - state.t0.get(ack);
      state.t0.delete(ack);
      (globalThis.__hitl_latencies ??= []).push(state.latency);
      root.dataset.lastLatency = state.latency.toFixed(1);
    }
    modelCanvas.dataset.ack = String(ack);
    status.textContent = statusParts(model.get("status"), state.latency).join("  ·  ");
  };
  const mark = redrawScheduler(flush);

  const send = sequencedSender(model);
  const addPixels = (pixels, t0) => {
    const xy = pixels.map(([px, py]) => view.toData(px, py));
    const label = model.get("current_class");
    const seq = send({ type: "add", points: xy, label, stroke: state.stroke });
    state.pending.push({ seq, xy, label });
    state.t0.set(seq, t0);
    mark("pending");
  };
  const choose = (i) => {
    if (i >= model.get("class_names").length && !model.get("open_classes")) {
      error.textContent = `There are ${model.get("class_names").length} classes; key ${i + 1} has none.`;
      return;
    }
    model.set("current_class", i);
    model.save_changes();
  };
  const act = (action) => {
    if (!action) return false;
    if (action.type === "class") choose(action.index);
    else if (action.type === "cycle_show") { model.set("show", nextShow(model.get("show"))); model.save_changes(); }
    else if (action.type === "hide_params") { model.set("show_params", false); model.save_changes(); }
    else if (action.type === "params" && model.get("show_params")) { model.set("show_params", false); model.save_changes(); }
    else state.t0.set(send({ type: action.type }), performance.now());
    return true;
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(actionForKey(ev))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };
  const onDown = (ev) => {
    if (ev.button !== 0) return;
    root.focus({ preventScroll: true });
    const t0 = performance.now();
    const p = eventPixel(pointCanvas, ev, view.width, view.height);
    state.brush = { last: p, batch: [] };
    state.stroke += 1;
    pointCanvas.setPointerCapture?.(ev.pointerId);
    addPixels([p], t0);
  };
  const flushBrush = () => {
    if (state.brush?.batch.length) {
      addPixels(state.brush.batch, performance.now());
      state.brush.batch = [];
    }
  };
  const onMove = (ev) => {
    if (!state.brush || !(ev.buttons & 1)) return;
    const [px, py] = eventPixel(pointCanvas, ev, view.width, view.height);
    if (!shouldSpray(state.brush.last, px, py, SPRAY.spacing)) return;
    state.brush.last = [px, py];
    const pts = spray(px, py, SPRAY.radius, SPRAY.count, state.random)
      .filter(([x, y]) => x >= 0 && y >= 0 && x <= view.width && y <= view.height);
    state.brush.batch.push(...pts);
    if (state.brush.batch.length >= 8) flushBrush();
  };
  const onUp = () => {
    flushBrush();
    state.brush = null;
  };

  const handlers = [
    [root, "keydown", onKey],
    [pointCanvas, "pointerdown", onDown],
    [pointCanvas, "pointermove", onMove],
    [pointCanvas, "pointerup", onUp],
    [pointCanvas, "pointercancel", onUp],
    [showSelect, "change", () => { model.set("show", showSelect.value); model.save_changes(); }],
  ];
  for (const [name, btn] of Object.entries(buttons)) handlers.push([btn, "click", () => act({ type: name })]);
  for (const [node, type, fn] of handlers) node.addEventListener(type, fn);

  const traitEvents = {
    "change:width change:height change:xlim change:ylim": ["layout", "model", "points"],
    "change:mixtures": ["model", "params"],
    "change:batch_mixtures": ["model", "toolbar"],
    "change:show": ["model", "toolbar"],
    "change:_points change:_labels": ["points"],
    "change:class_names": ["toolbar", "params"],
    "change:current_class": ["toolbar"],
    "change:accuracy_curve change:status": ["accuracy"],
    "change:show_params": ["params"],
    "change:error": ["error"],
    "change:status change:_ack": ["status"],
  };
  const listeners = Object.entries(traitEvents).flatMap(([events, what]) =>
    events.split(" ").map((e) => [e, () => mark(...what)]));
  for (const [e, fn] of listeners) model.on(e, fn);

  // JupyterLab's theme switch changes the colours the canvas read when it drew: draw again
  const stopThemeWatch = onThemeChange(() => mark("model", "accuracy"));

  mark("layout", "model", "points");
  return () => {
    for (const [node, type, fn] of handlers) node.removeEventListener(type, fn);
    for (const [e, fn] of listeners) model.off(e, fn);
    stopThemeWatch();
  };
}

export default { render };

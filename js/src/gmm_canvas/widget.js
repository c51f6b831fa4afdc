// GMMCanvas front end (anywidget): draws what the user does at once, then the model's answer.
// render wires the views: the toolbar and panels (gmm_panels.js), the model layer
// (gmm_model_layer.js), the pointer input (gmm_input.js) and the points drawn here.
import { makeView } from "../common/coords.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler, sizeCanvas, themeColor } from "../common/dom.js";
import { sequencedSender, settingSender, typingInside } from "../common/actions.js";
import { decodeLabels, decodePoints } from "../common/codec.js";
import { fillPoints, pointStyle } from "../common/draw.js";
import { actionForKey, nextShow } from "./keys.js";
import { drawModel } from "./model_layer.js";
import { footerView, legendView, paramsView, toolbarView } from "./panels.js";
import { pointerInput } from "./input.js";

export { drawModel, legendEntries, visibleComponents } from "./model_layer.js";
export { fixed3, paramsTable } from "./panels.js";

/**
 * The points layer: the kernel's points, then the page's own not yet acknowledged (paler). Dots
 * shrink and fade as they grow in number (pointStyle), outlined in the background's colour.
 */
function pointsView(canvas, modelCanvas, hint) {
  let ctx = null;
  return {
    size(w, h) { ctx = sizeCanvas(canvas, w, h); },
    draw(model, pending, view, background) {
      const xy = decodePoints(model.get("_points")), labels = decodeLabels(model.get("_labels"));
      const pxy = new Float32Array(pending.flatMap((p) => p.xy.flat()));
      const plab = pending.flatMap((p) => p.xy.map(() => p.label));
      const style = { ...pointStyle((xy.length + pxy.length) / 2, view.width, view.height), outline: background };
      ctx.clearRect(0, 0, view.width, view.height);
      fillPoints(ctx, xy, labels, view, style);
      fillPoints(ctx, pxy, plab, view, { ...style, alpha: Math.max(0.6, style.alpha) });
      modelCanvas.dataset.n = String(xy.length / 2);
      modelCanvas.dataset.pending = String(plab.length);
      modelCanvas.dataset.pointRadius = style.radius.toFixed(2);
      modelCanvas.dataset.pointAlpha = style.alpha.toFixed(2);
      hint.style.display = xy.length || plab.length ? "none" : "";
    },
  };
}

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-gmm");
  const send = sequencedSender(model);
  const setTrait = settingSender(model, send);
  const toolbar = toolbarView({
    onClass: (i) => choose(i),
    onShow: (mode) => setTrait("show", mode),
    onAction: (name) => act({ type: name }),
  });
  const stage = el("div", "hitl-gmm-stage");
  // bottom to top: the model's shading, the points (they take the pointer), the model's lines
  const modelCanvas = el("canvas", "hitl-gmm-model");
  const pointCanvas = el("canvas", "hitl-gmm-points");
  const linesCanvas = el("canvas", "hitl-gmm-lines");
  const hint = el("div", "hitl-gmm-hint", "Click to add points, drag to spray them. Keys work while the widget is outlined.");
  stage.append(modelCanvas, pointCanvas, linesCanvas, hint);
  const legend = legendView();
  const footer = footerView(root);
  const error = el("div", "hitl-gmm-error");
  const params = paramsView();
  root.append(toolbar.node, stage, legend.node, footer.node, error, params.node);
  host.append(root);

  const points = pointsView(pointCanvas, modelCanvas, hint);
  const state = { pending: [], t0: new Map(), latency: null, renders: 0, grids: {} };
  let view, modelCtx, linesCtx;
  const background = () => themeColor(root, "--jp-layout-color0", "#fff");

  const layout = () => {
    const w = model.get("width"), h = model.get("height");
    view = makeView(w, h, model.get("xlim"), model.get("ylim"));
    stage.style.width = `${w}px`;
    stage.style.height = `${h}px`;
    modelCtx = sizeCanvas(modelCanvas, w, h);
    linesCtx = sizeCanvas(linesCanvas, w, h);
    points.size(w, h);
    legend.node.style.maxWidth = `${w}px`;
    footer.size(w);
  };

  const drawModelLayer = () => {
    const t0 = performance.now();
    const fg = themeColor(root, "--jp-ui-font-color1", "#222");
    const info = drawModel(modelCtx, model, view, fg, state.grids, background(), linesCtx);
    legend.draw(model.get("show"), model.get("mixtures"), model.get("batch_mixtures"));
    modelCanvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
    modelCanvas.dataset.levels = String(info.levels);
    modelCanvas.dataset.components = String(info.components);
    modelCanvas.dataset.means = JSON.stringify(info.means.map((m) => m.map((v) => Number(v.toFixed(3)))));
    modelCanvas.dataset.renders = String(++state.renders);
  };

  // how long from an action to the kernel's answer on screen (the status line and data-last-latency)
  const noteLatency = (ack) => {
    if (!state.t0.has(ack)) return;
    state.latency = performance.now() - state.t0.get(ack);
    state.t0.delete(ack);
    (globalThis.__hitl_latencies ??= []).push(state.latency);
    root.dataset.lastLatency = state.latency.toFixed(1);
  };

  const redrawParts = {
    toolbar: () => toolbar.draw(model),
    accuracy: () => footer.drawCurve(model),
    params: () => params.draw(model),
    error: () => { error.textContent = model.get("error"); },
  };

  // every change marks what to redraw; one flush per task redraws it (trait updates arrive together)
  const flush = (d) => {
    if (d.has("layout")) layout();
    if (d.has("layout") || d.has("model")) drawModelLayer();
    const ack = model.get("_ack");
    state.pending = state.pending.filter((p) => p.seq > ack);
    if (d.has("layout") || d.has("points") || d.has("pending") || d.has("theme")) points.draw(model, state.pending, view, background());
    for (const [part, draw] of Object.entries(redrawParts)) if (d.has(part) || d.has("layout")) draw();
    noteLatency(ack);
    modelCanvas.dataset.ack = String(ack);
    footer.drawStatus(model.get("status"), state.latency);
  };
  const mark = redrawScheduler(flush);

  const addPixels = (pixels, t0, stroke) => {
    const xy = pixels.map(([px, py]) => view.toData(px, py));
    const label = model.get("current_class");
    const seq = send({ type: "add", points: xy, label, stroke });
    state.pending.push({ seq, xy, label });
    state.t0.set(seq, t0);
    mark("pending");
  };
  const choose = (i) => {
    if (i >= model.get("class_names").length && !model.get("open_classes")) {
      error.textContent = `There are ${model.get("class_names").length} classes; key ${i + 1} has none.`;
      return;
    }
    setTrait("current_class", i);
  };
  const act = (action) => {
    if (!action) return false;
    if (action.type === "class") choose(action.index);
    else if (action.type === "cycle_show") setTrait("show", nextShow(model.get("show")));
    else if (action.type === "hide_params") setTrait("show_params", false);
    else if (action.type === "params" && model.get("show_params")) setTrait("show_params", false);
    else send({ type: action.type }); // timed only for clicks: a fit from scratch's time is the kernel's (status)
    return true;
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(actionForKey(ev))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };
  root.addEventListener("keydown", onKey);
  const stopPointer = pointerInput(pointCanvas, {
    view: () => view,
    onPixels: addPixels,
    onStart: () => root.focus({ preventScroll: true }),
  });

  const traitEvents = {
    "change:width change:height change:xlim change:ylim": ["layout", "model", "points"],
    "change:mixtures": ["model", "params"],
    "change:batch_mixtures": ["model", "toolbar"],
    "change:show": ["model", "toolbar"],
    "change:_points change:_labels": ["points"],
    "change:class_names": ["toolbar", "params"],
    "change:current_class": ["toolbar"],
    "change:accuracy_curve": ["accuracy"],
    "change:status": ["accuracy", "status", "toolbar"], // the status also says whether Adopt is worth it
    "change:show_params": ["params"],
    "change:error": ["error"],
    "change:_ack": ["status", "pending"], // a refused add: its pale dots go (no new points come to redraw them)
  };
  const listeners = Object.entries(traitEvents).flatMap(([events, what]) =>
    events.split(" ").map((e) => [e, () => mark(...what)]));
  for (const [e, fn] of listeners) model.on(e, fn);

  // JupyterLab's theme switch changes the colours the canvas read when it drew: draw again
  const stopThemeWatch = onThemeChange(() => mark("model", "accuracy", "theme"), root);

  mark("layout", "model", "points");
  return () => {
    root.removeEventListener("keydown", onKey);
    stopPointer();
    toolbar.remove();
    for (const [e, fn] of listeners) model.off(e, fn);
    stopThemeWatch();
  };
}

export default { render };

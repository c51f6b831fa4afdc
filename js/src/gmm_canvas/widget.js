// GMMCanvas front end (anywidget): draws what the user does at once, then the model's answer.
// render wires the views: the toolbar and panels (panels.js), the model layer (model_layer.js), the
// points (points.js: kept here, a click draws one dot), the pointer input (input.js), and the preview of
// the online step (predict.js) that shows a click's model in the next frame, before the kernel's answer.
import { makeView } from "../common/coords.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler, sizeCanvas, themeColor } from "../common/dom.js";
import { sequencedSender, settingSender, typingInside } from "../common/actions.js";
import { decodeMessageArray } from "../common/codec.js";
import { actionForKey, nextShow } from "./keys.js";
import { drawModel } from "./model_layer.js";
import { footerView, legendView, paramsView, toolbarView } from "./panels.js";
import { pointerInput } from "./input.js";
import { pendingLayer, pointStore, pointsLayer } from "./points.js";
import { predictMixtures } from "./predict.js";

const FIRST_SHARE = 0.035; // a class's first point: a component this share of the view's span wide (the kernel's prior)

export { drawModel, legendEntries, visibleComponents } from "./model_layer.js";
export { fixed3, paramsTable } from "./panels.js";

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
  const dotsCanvas = el("canvas", "hitl-gmm-dots");
  const pendingCanvas = el("canvas", "hitl-gmm-pending");
  const linesCanvas = el("canvas", "hitl-gmm-lines");
  const pointCanvas = el("canvas", "hitl-gmm-points"); // on top, clear: it takes the pointer
  const hint = el("div", "hitl-gmm-hint", "Click to add points, drag to spray them. Keys work while the widget is outlined.");
  stage.append(modelCanvas, dotsCanvas, pendingCanvas, linesCanvas, pointCanvas, hint);
  const legend = legendView();
  const footer = footerView(root);
  const error = el("div", "hitl-gmm-error");
  const params = paramsView();
  root.append(toolbar.node, stage, legend.node, footer.node, error, params.node);
  host.append(root);

  const store = pointStore();
  const dots = pointsLayer(dotsCanvas);
  const pendingDots = pendingLayer(pendingCanvas);
  // predicted: the mixtures with the clicks the kernel has not answered yet, learned here (null: none)
  const state = { pending: [], t0: new Map(), latency: null, renders: 0, grids: {}, predicted: null, style: null, pings: new Map() };
  let view, modelCtx, linesCtx;
  const background = () => themeColor(root, "--jp-layout-color0", "#fff");

  const layout = () => {
    const w = model.get("width"), h = model.get("height");
    view = makeView(w, h, model.get("xlim"), model.get("ylim"));
    stage.style.width = `${w}px`;
    stage.style.height = `${h}px`;
    modelCtx = sizeCanvas(modelCanvas, w, h);
    linesCtx = sizeCanvas(linesCanvas, w, h);
    sizeCanvas(pointCanvas, w, h);
    dots.size(w, h);
    pendingDots.size(w, h);
    legend.node.style.maxWidth = `${w}px`;
    footer.size(w);
  };

  const drawModelLayer = () => {
    const t0 = performance.now();
    const fg = themeColor(root, "--jp-ui-font-color1", "#222");
    const info = drawModel(modelCtx, model, view, fg, state.grids, background(), linesCtx, state.predicted);
    legend.draw(model.get("show"), model.get("mixtures"), model.get("batch_mixtures"));
    modelCanvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
    modelCanvas.dataset.levels = String(info.levels);
    modelCanvas.dataset.components = String(info.components);
    modelCanvas.dataset.means = JSON.stringify(info.means.map((m) => m.map((v) => Number(v.toFixed(3)))));
    modelCanvas.dataset.renders = String(++state.renders);
    modelCanvas.dataset.predicted = state.predicted ? "1" : "0";
  };

  const drawPoints = () => {
    const t0 = performance.now();
    const { style, drew } = dots.draw(store, view, background());
    state.style = style;
    const pending = pendingDots.draw(state.pending, view, style);
    modelCanvas.dataset.n = String(store.n);
    modelCanvas.dataset.pending = String(pending);
    if (drew) modelCanvas.dataset.dotsDrawn = String(drew); // when the points last changed: a click's one dot, not all
    modelCanvas.dataset.pointsMs = (performance.now() - t0).toFixed(1);
    modelCanvas.dataset.pointRadius = style.radius.toFixed(2);
    modelCanvas.dataset.pointAlpha = style.alpha.toFixed(2);
    hint.style.display = store.n || pending ? "none" : "";
  };

  // the kernel's mixtures with the page's clicks not answered yet learned into them (the preview); null when
  // every click is answered, or the view shows the fit from scratch only
  const predict = () => {
    const clicks = state.pending.flatMap((p) => p.xy.map((xy) => [xy, p.label]));
    if (!clicks.length || model.get("show") === "batch") return null;
    const span = Math.max(view.xlim[1] - view.xlim[0], view.ylim[1] - view.ylim[0]);
    const first = (FIRST_SHARE * span) ** 2;
    let mixtures = model.get("mixtures"), total = model.get("status")?.n ?? store.n; // the points they describe
    for (const [[x, y], label] of clicks) {
      mixtures = predictMixtures(mixtures, label, x, y, total, [[first, 0], [0, first]]);
      total += 1;
    }
    return mixtures;
  };

  // a click's frame: how long from the pointer event to the frame that shows its previewed model
  const noteFrame = (t0) => requestAnimationFrame?.(() => {
    const ms = performance.now() - t0;
    (globalThis.__hitl_frames ??= []).push(ms);
    root.dataset.lastFrame = ms.toFixed(1);
  });

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
    const ack = model.get("_ack");
    const before = state.pending.length;
    state.pending = state.pending.filter((p) => p.seq > ack);
    if (state.pending.length !== before) d.add("model"); // an answered click: its preview gives way to the truth
    if (d.has("layout") || d.has("model") || d.has("pending")) state.predicted = predict();
    if (d.has("layout") || d.has("model") || d.has("pending")) drawModelLayer();
    if (d.has("layout") || d.has("points") || d.has("pending") || d.has("theme")) drawPoints();
    for (const [part, draw] of Object.entries(redrawParts)) if (d.has(part) || d.has("layout")) draw();
    noteLatency(ack);
    for (const [seq, t0] of state.pings) {
      if (seq > ack) continue;
      (globalThis.__hitl_pings ??= []).push(performance.now() - t0);
      state.pings.delete(seq);
    }
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
    noteFrame(t0);
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
  // a round trip that changes nothing (a benchmark's floor: dispatch "hitl-ping" on the widget)
  const onPing = () => state.pings.set(send({ type: "ping" }), performance.now());
  root.addEventListener("hitl-ping", onPing);
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
    "change:class_names": ["toolbar", "params"],
    "change:current_class": ["toolbar"],
    "change:accuracy_curve": ["accuracy"],
    "change:status": ["accuracy", "status", "toolbar"], // the status also says whether Adopt is worth it
    "change:show_params": ["params"],
    "change:error": ["error"],
    "change:_ack": ["status", "pending"], // a refused add: its pale dots go (no new points come to redraw them)
  };
  // the points come by message: the ones this page lacks (all of them when it asks, a click's own after it)
  const onMessage = (msg, buffers) => {
    if (msg?.type !== "points") return;
    const xy = decodeMessageArray(msg.xy, buffers, "float32").data;
    const labels = decodeMessageArray(msg.labels, buffers, "uint8").data;
    if (store.apply(msg.base, xy, labels)) mark("points");
    else send({ type: "want" }); // a message went missing: ask for every point again
  };
  const listeners = [
    ...Object.entries(traitEvents).flatMap(([events, what]) => events.split(" ").map((e) => [e, () => mark(...what)])),
    ["msg:custom", onMessage],
  ];
  for (const [e, fn] of listeners) model.on(e, fn);

  // JupyterLab's theme switch changes the colours the canvas read when it drew: draw again
  const stopThemeWatch = onThemeChange(() => mark("model", "accuracy", "theme"), root);

  mark("layout", "model", "points");
  send({ type: "want" }); // the points: this page holds none yet (a new view, or a reloaded page)
  return () => {
    root.removeEventListener("keydown", onKey);
    root.removeEventListener("hitl-ping", onPing);
    stopPointer();
    toolbar.remove();
    for (const [e, fn] of listeners) model.off(e, fn);
    stopThemeWatch();
  };
}

export default { render };

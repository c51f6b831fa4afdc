// StreamLabeler front end (anywidget): the item the model asks about, answer keys, live metrics and curve.
// Items are shown with textContent and <img> from PNG bytes only: an item is never parsed as HTML.
import { noClassText } from "../common/label_keys.js";
import { confirmView } from "../common/confirm.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler } from "../common/dom.js";
import { sequencedSender, settingSender, typingInside } from "../common/actions.js";
import { itemBody } from "../common/item_body.js";
import { imageCache } from "../common/media.js";
import { askReason, helpText, streamAction } from "./view.js";
import { answerButtonsView, knobView, metricsView, streamCurveView, streamPredictionView } from "./panels.js";

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-sl");

  const refocusNow = () => root.focus({ preventScroll: true });
  const metrics = metricsView();

  const card = el("div", "hitl-sl-card");
  const cardHead = el("div", "hitl-sl-cardhead");
  const body = el("div", "hitl-sl-body");
  card.append(cardHead, body);

  const side = el("div", "hitl-sl-side");
  const classBar = answerButtonsView((i) => { act({ type: "label", cls: i }); refocusNow(); });
  const prediction = streamPredictionView();
  const buttons = {
    accept: el("button", "hitl-sl-btn", "Accept prediction (⏎)"),
    undo: el("button", "hitl-sl-btn", "Undo (⌫)"),
    toggle: el("button", "hitl-sl-btn", "Pause (Space)"),
    save: el("button", "hitl-sl-btn", "Save"),
    reset: el("button", "hitl-sl-btn", "Reset…"),
  };
  const actions = el("div", "hitl-sl-actions");
  actions.append(...Object.values(buttons));
  const send = sequencedSender(model);
  const knob = knobView((value) => { settingSender(model, send)("knob_value", value); refocusNow(); });
  const curve = streamCurveView();
  const confirm = confirmView("hitl-sl");
  side.append(confirm.node, classBar.node, prediction.node, actions, knob.node, ...curve.nodes);

  const main = el("div", "hitl-sl-main");
  main.append(card, side);
  const help = el("div", "hitl-sl-help");
  const error = el("div", "hitl-sl-error");
  root.append(...metrics.nodes, main, help, error);
  host.append(root);

  const page = { answered: null, resetArmed: null, shownAt: performance.now() };
  const media = imageCache(); // the items' images, from "images" messages, by stream position
  const wanted = new Set();
  const item = () => model.get("item");
  const classes = () => model.get("classes");

  // ---------------------------------------------------------------- drawing
  const drawItem = () => {
    const it = item();
    const pos = it.position ?? null;
    if (String(pos) !== root.dataset.position) page.shownAt = performance.now();
    root.dataset.position = pos === null ? "" : String(pos);
    card.classList.toggle("hitl-sl-sent", page.answered !== null && page.answered === pos);
    if (pos === null) {
      cardHead.textContent = "";
      body.replaceChildren(el("div", "hitl-sl-placeholder",
        model.get("status") === "walking" ? "The model is sure about these items…" : "No item is waiting for a label."));
      return;
    }
    cardHead.textContent = `item ${pos.toLocaleString("en-US")} · asked because ${askReason(it.reason)}`;
    if (it.kind === "image") {
      const entry = media.get(it.image);
      if (!entry) { // a reload: the page asks for the image once; its arrival draws the item
        if (!wanted.has(it.image)) { wanted.add(it.image); send({ type: "want", keys: [it.image] }); }
        body.replaceChildren(el("div", "hitl-sl-placeholder", "Loading the image…"));
        return;
      }
      const img = el("img", "hitl-sl-image");
      img.alt = `item ${pos}`;
      img.src = entry.url;
      img.addEventListener("load", () => {
        if (img.naturalWidth && 240 / img.naturalWidth >= 2) img.classList.add("hitl-sl-pixelated");
      });
      body.replaceChildren(img);
    } else {
      body.replaceChildren(...itemBody(it, "hitl-sl")); // textContent: markup in an item stays text
    }
  };

  const drawClasses = () => {
    help.textContent = helpText(classes());
    classBar.draw(classes(), item().position !== undefined);
  };

  const drawPrediction = () => prediction.draw(classes(), item());

  const drawMetrics = () => {
    const m = model.get("metrics");
    const st = model.get("status");
    metrics.draw(m, st, item().reason);
    root.dataset.status = st;
    for (const k of ["seen", "predicted", "labeled"]) root.dataset[k] = String(m[k] ?? "");
    buttons.toggle.textContent = st === "paused" ? "Go on (Space)" : "Pause (Space)";
    buttons.toggle.disabled = st === "end" || st === "error"; // a pause while asking holds the walk after the answer
    buttons.accept.disabled = item().position === undefined || !item().prediction;
  };

  const drawKnob = () => knob.draw(model.get("knob"), model.get("knob_value"));

  const drawCurve = () => curve.draw(model.get("curve"), root);

  const drawError = () => {
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
  };

  // ---------------------------------------------------------------- actions
  const act = (action) => {
    if (!action) return false;
    const it = item();
    if (action.type === "label" || action.type === "accept") {
      if (it.position === undefined) return true;
      if (action.type === "label" && (action.cls === null || action.cls >= classes().length)) {
        error.textContent = noClassText(action, classes(), "classes");
        return true;
      }
      if (page.answered === it.position) return true; // already sent: one answer per ask
      page.answered = it.position;
      const seconds = (performance.now() - page.shownAt) / 1000;
      send(action.type === "label"
        ? { type: "label", position: it.position, cls: action.cls, seconds }
        : { type: "accept", position: it.position });
      confirm.say(action.type === "label"
        ? `item ${it.position} → ${classes()[action.cls]}`
        : `item ${it.position} → ${it.prediction} (accepted)`);
      card.classList.add("hitl-sl-sent"); // seen at once; the next ask follows from the kernel
      metrics.say("learning, then on through the stream…");
    } else if (action.type === "undo") {
      page.answered = null;
      send({ type: "undo" });
      confirm.withdraw();
      metrics.say("undoing the last answer…");
    } else if (action.type === "toggle") {
      const st = model.get("status");
      if (st === "walking" || st === "asking") send({ type: "pause" });
      else if (st === "paused") send({ type: "play" });
    } else return false;
    return true;
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return; // the range input keeps its arrow keys
    if (act(streamAction(ev, classes()))) {
      ev.preventDefault(); // also keeps a focused button from clicking on Enter or Space
      ev.stopPropagation();
    }
  };
  const onReset = () => {
    if (page.resetArmed !== null && performance.now() - page.resetArmed < 4000) {
      page.resetArmed = null;
      buttons.reset.textContent = "Reset…";
      send({ type: "reset" });
    } else {
      page.resetArmed = performance.now();
      buttons.reset.textContent = "Click again to reset";
      setTimeout(() => { buttons.reset.textContent = "Reset…"; }, 4000);
    }
  };
  const refocus = (fn) => () => { fn(); root.focus({ preventScroll: true }); }; // keys keep working after a click
  const handlers = [
    [root, "keydown", onKey],
    [buttons.accept, "click", refocus(() => act({ type: "accept" }))],
    [buttons.undo, "click", refocus(() => act({ type: "undo" }))],
    [buttons.toggle, "click", refocus(() => act({ type: "toggle" }))],
    [buttons.save, "click", refocus(() => send({ type: "save" }))],
    [buttons.reset, "click", refocus(onReset)],
  ];
  for (const [node, ev, fn] of handlers) node.addEventListener(ev, fn);
  // each trait marks the parts it feeds; one redraw per kernel message draws each part once
  const FEEDS = {
    item: ["item", "classes", "metrics"], classes: ["classes"], metrics: ["metrics"],
    status: ["item", "metrics"], curve: ["curve"], knob: ["knob"], knob_value: ["knob"], error: ["error"], _ack: ["error"],
  };
  const DRAW = {
    item: drawItem, classes: () => { drawClasses(); drawPrediction(); }, metrics: drawMetrics,
    curve: drawCurve, knob: drawKnob, error: drawError,
  };
  const mark = redrawScheduler((parts) => { for (const [part, draw] of Object.entries(DRAW)) if (parts.has(part)) draw(); });
  const listeners = Object.entries(FEEDS).map(([trait, parts]) => [`change:${trait}`, () => mark(...parts)]);
  for (const [name, fn] of listeners) model.on(name, fn);
  const onImages = (msg, buffers) => {
    for (const entry of media.receive(msg, buffers)) entry.ready.then(() => mark("item"));
    media.trim(8);
  };
  model.on("msg:custom", onImages);
  for (const draw of Object.values(DRAW)) draw();
  const stopThemeWatch = onThemeChange(drawCurve, root); // the curve's colours come from the theme

  return () => {
    stopThemeWatch();
    for (const [node, ev, fn] of handlers) node.removeEventListener(ev, fn);
    for (const [name, fn] of listeners) model.off(name, fn);
    model.off("msg:custom", onImages);
    media.clear();
    confirm.clear();
    root.remove();
  };
}

export default { render };

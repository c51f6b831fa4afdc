// StreamLabeler front end (anywidget): the item the model asks about, answer keys, live metrics and curve.
// Items are shown with textContent and <img> from PNG bytes only: an item is never parsed as HTML.
import { keyHint } from "./labeler_keys.js";
import { probabilityBars } from "./labeler_state.js";
import { el, keyboardRoot, onThemeChange, probabilityRows, redrawScheduler, sizeCanvas, themeColor } from "./dom.js";
import { sequencedSender, typingInside } from "./actions.js";
import { itemBody } from "./item_body.js";
import { askReason, drawStreamCurve, helpText, metricTiles, statusText, streamAction, streamShare } from "./stream_view.js";

const CURVE = { w: 300, h: 110 };

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-sl");

  const status = el("div", "hitl-sl-status");
  const bar = el("div", "hitl-sl-bar");
  const fill = el("div", "hitl-sl-fill");
  bar.append(fill);
  const tiles = el("div", "hitl-sl-metrics");

  const card = el("div", "hitl-sl-card");
  const cardHead = el("div", "hitl-sl-cardhead");
  const body = el("div", "hitl-sl-body");
  card.append(cardHead, body);

  const side = el("div", "hitl-sl-side");
  const classBar = el("div", "hitl-sl-classes");
  const prediction = el("div", "hitl-sl-prediction");
  const buttons = {
    accept: el("button", "hitl-sl-btn", "Accept prediction (⏎)"),
    undo: el("button", "hitl-sl-btn", "Undo (⌫)"),
    toggle: el("button", "hitl-sl-btn", "Pause (Space)"),
    save: el("button", "hitl-sl-btn", "Save"),
    reset: el("button", "hitl-sl-btn", "Reset…"),
  };
  const actions = el("div", "hitl-sl-actions");
  actions.append(...Object.values(buttons));
  const knobBox = el("label", "hitl-sl-knob");
  const knobName = el("span", "hitl-sl-knobname");
  const knob = el("input", "hitl-sl-range");
  knob.type = "range";
  const knobValue = el("span", "hitl-sl-knobvalue");
  knobBox.append(knobName, knob, knobValue);
  const curveTitle = el("div", "hitl-sl-curvetitle");
  const curve = el("canvas", "hitl-sl-curve");
  side.append(classBar, prediction, actions, knobBox, curveTitle, curve);

  const main = el("div", "hitl-sl-main");
  main.append(card, side);
  const help = el("div", "hitl-sl-help");
  const error = el("div", "hitl-sl-error");
  root.append(status, bar, tiles, main, help, error);
  host.append(root);
  const curveCtx = sizeCanvas(curve, CURVE.w, CURVE.h);
  const send = sequencedSender(model);

  const page = { answered: null, imageUrl: null, resetArmed: null, shownAt: performance.now() };
  const item = () => model.get("item");
  const classes = () => model.get("classes");

  // ---------------------------------------------------------------- drawing
  const drawItem = () => {
    const it = item();
    const pos = it.position ?? null;
    if (String(pos) !== root.dataset.position) page.shownAt = performance.now();
    root.dataset.position = pos === null ? "" : String(pos);
    if (page.imageUrl) { URL.revokeObjectURL(page.imageUrl); page.imageUrl = null; }
    card.classList.toggle("hitl-sl-sent", page.answered !== null && page.answered === pos);
    if (pos === null) {
      cardHead.textContent = "";
      body.replaceChildren(el("div", "hitl-sl-placeholder",
        model.get("status") === "walking" ? "The model is sure about these items…" : "No item is waiting for a label."));
      return;
    }
    cardHead.textContent = `item ${pos.toLocaleString("en-US")} · asked because ${askReason(it.reason)}`;
    if (it.kind === "image") {
      const img = el("img", "hitl-sl-image");
      img.alt = `item ${pos}`;
      const bytes = model.get("item_image");
      page.imageUrl = URL.createObjectURL(new Blob([bytes.buffer ?? bytes], { type: it.mime || "image/png" }));
      img.src = page.imageUrl;
      img.addEventListener("load", () => {
        if (img.naturalWidth && 240 / img.naturalWidth >= 2) img.classList.add("hitl-sl-pixelated");
      });
      body.replaceChildren(img);
    } else {
      body.replaceChildren(...itemBody(it, "hitl-sl")); // textContent: markup in an item stays text
    }
  };

  const drawClasses = () => {
    const waiting = item().position !== undefined;
    help.textContent = helpText(classes().length);
    classBar.replaceChildren(...classes().map((name, i) => {
      const b = el("button", "hitl-sl-class");
      const hint = keyHint(i);
      if (hint) b.append(el("kbd", "hitl-sl-key", hint), " ");
      b.append(name);
      b.title = hint ? `key ${hint}: answer “${name}”` : `answer “${name}”`;
      b.disabled = !waiting;
      b.addEventListener("click", () => { act({ type: "label", cls: i }); root.focus({ preventScroll: true }); });
      return b;
    }));
  };

  const drawPrediction = () => {
    const it = item();
    prediction.replaceChildren();
    const bars = probabilityBars(classes(), it.probs);
    if (it.position === undefined) return;
    if (!it.prediction) {
      prediction.append(el("div", "hitl-sl-hint", "The model has no prediction yet."));
      prediction.dataset.top = "";
      return;
    }
    const best = bars.find((b) => b.top);
    prediction.append(el("div", "hitl-sl-predtitle", `model: ${it.prediction} (${Math.round((best?.p ?? 0) * 100)}%)`));
    prediction.append(...probabilityRows(bars, "hitl-sl"));
    prediction.dataset.top = it.prediction;
  };

  const drawMetrics = () => {
    const m = model.get("metrics");
    const st = model.get("status");
    status.textContent = statusText(st, m, item().reason);
    root.dataset.status = st;
    status.className = `hitl-sl-status hitl-sl-${st}`;
    const share = streamShare(m);
    bar.style.display = share === null ? "none" : "";
    fill.style.width = `${(100 * (share ?? 0)).toFixed(2)}%`;
    tiles.replaceChildren(...metricTiles(m).map(([name, value, title]) => {
      const t = el("div", "hitl-sl-tile");
      t.title = title;
      t.dataset.metric = name;
      t.append(el("div", "hitl-sl-value", value), el("div", "hitl-sl-name", name));
      return t;
    }));
    for (const k of ["seen", "predicted", "labeled"]) root.dataset[k] = String(m[k] ?? "");
    buttons.toggle.textContent = st === "walking" ? "Pause (Space)" : "Go on (Space)";
    buttons.toggle.disabled = st === "asking" || st === "end" || st === "error";
    buttons.accept.disabled = item().position === undefined || !item().prediction;
  };

  const drawKnob = () => {
    const k = model.get("knob");
    knobBox.style.display = k.name ? "" : "none";
    if (!k.name) return;
    knobName.textContent = k.label;
    Object.assign(knob, { min: String(k.low), max: String(k.high), step: String(k.step) });
    if (document.activeElement !== knob) knob.value = String(model.get("knob_value"));
    knobValue.textContent = Number(knob.value).toString();
  };

  const drawCurve = () => {
    const pts = model.get("curve");
    const last = pts.length ? pts[pts.length - 1] : null;
    curveTitle.replaceChildren(
      el("span", "hitl-sl-legend hitl-sl-legend-acc", "accuracy"), " and ",
      el("span", "hitl-sl-legend hitl-sl-legend-rate", "recent label rate"),
      last ? ` at ${last[0].toLocaleString("en-US")} items` : "",
    );
    const colors = {
      accuracy: themeColor(root, "--jp-brand-color1", "#1976d2"),
      rate: themeColor(root, "--jp-warn-color1", "#f57c00"),
      muted: themeColor(root, "--jp-ui-font-color2", "#888"),
    };
    curve.dataset.points = String(drawStreamCurve(curveCtx, pts, CURVE.w, CURVE.h, colors));
  };

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
      if (action.type === "label" && action.cls >= classes().length) {
        error.textContent = `There are ${classes().length} classes; key ${keyHint(action.cls)} has none.`;
        return true;
      }
      if (page.answered === it.position) return true; // already sent: one answer per ask
      page.answered = it.position;
      const seconds = (performance.now() - page.shownAt) / 1000;
      send(action.type === "label"
        ? { type: "label", position: it.position, cls: action.cls, seconds }
        : { type: "accept", position: it.position });
      card.classList.add("hitl-sl-sent"); // seen at once; the next ask follows from the kernel
      status.textContent = "learning, then on through the stream…";
    } else if (action.type === "undo") {
      page.answered = null;
      send({ type: "undo" });
      status.textContent = "undoing the last answer…";
    } else if (action.type === "toggle") {
      const st = model.get("status");
      if (st === "walking") send({ type: "pause" });
      else if (st === "paused") send({ type: "play" });
    } else return false;
    return true;
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return; // the range input keeps its arrow keys
    if (act(streamAction(ev))) {
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
  const onKnob = () => {
    model.set("knob_value", Number(knob.value));
    model.save_changes();
    root.focus({ preventScroll: true });
  };

  const refocus = (fn) => () => { fn(); root.focus({ preventScroll: true }); }; // keys keep working after a click
  const handlers = [
    [root, "keydown", onKey],
    [buttons.accept, "click", refocus(() => act({ type: "accept" }))],
    [buttons.undo, "click", refocus(() => act({ type: "undo" }))],
    [buttons.toggle, "click", refocus(() => act({ type: "toggle" }))],
    [buttons.save, "click", refocus(() => send({ type: "save" }))],
    [buttons.reset, "click", refocus(onReset)],
    [knob, "input", () => { knobValue.textContent = Number(knob.value).toString(); }],
    [knob, "change", onKnob],
  ];
  for (const [node, ev, fn] of handlers) node.addEventListener(ev, fn);
  // each trait marks the parts it feeds; one redraw per kernel message draws each part once
  const FEEDS = {
    item: ["item", "classes", "metrics"], item_image: ["item"], classes: ["classes"], metrics: ["metrics"],
    status: ["item", "metrics"], curve: ["curve"], knob: ["knob"], knob_value: ["knob"], error: ["error"], _ack: ["error"],
  };
  const DRAW = {
    item: drawItem, classes: () => { drawClasses(); drawPrediction(); }, metrics: drawMetrics,
    curve: drawCurve, knob: drawKnob, error: drawError,
  };
  const mark = redrawScheduler((parts) => { for (const [part, draw] of Object.entries(DRAW)) if (parts.has(part)) draw(); });
  const listeners = Object.entries(FEEDS).map(([trait, parts]) => [`change:${trait}`, () => mark(...parts)]);
  for (const [name, fn] of listeners) model.on(name, fn);
  for (const draw of Object.values(DRAW)) draw();
  const stopThemeWatch = onThemeChange(drawCurve); // the curve's colours come from the theme

  return () => {
    stopThemeWatch();
    for (const [node, ev, fn] of handlers) node.removeEventListener(ev, fn);
    for (const [name, fn] of listeners) model.off(name, fn);
    if (page.imageUrl) URL.revokeObjectURL(page.imageUrl);
    root.remove();
  };
}

export default { render };

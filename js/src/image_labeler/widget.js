// Pool labeler front end (anywidget; ImageLabeler and Labeler): show the ranked item (an image,
// a text or a row), take labels by key or click, run one step ahead of the kernel.
import { keyRange, labelerAction } from "../common/label_keys.js";
import { sequencedSender, settingSender, typingInside } from "../common/actions.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler } from "../common/dom.js";
import { batchGridView } from "./batch.js";
import { singleItemView } from "./single.js";
import { itemStage } from "./stage.js";
import { entryFor, pageState, settle } from "./state.js";
import { classBarView, controlsView, curveView, predictionView, progressView } from "./views.js";
import { confirmView } from "../common/confirm.js";

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-il");

  const top = el("div", "hitl-il-top");
  const progress = progressView();
  const refocus = () => root.focus({ preventScroll: true });
  const send = sequencedSender(model);
  const set = settingSender(model, send);
  const controls = controlsView(
    (name) => { set("strategy", name); refocus(); },
    (k) => { page.assign.clear(); page.sel = 0; set("batch_size", k); refocus(); },
  );
  const buttons = {
    back: el("button", "hitl-il-btn", "← Back"),
    skip: el("button", "hitl-il-btn", "Skip (⏎)"),
    undo: el("button", "hitl-il-btn", "Undo (⌫)"),
    submit: el("button", "hitl-il-btn hitl-il-submit", "Submit (⏎)"),
  };
  top.append(progress.node, ...controls.nodes);
  const actions = el("div", "hitl-il-actions");
  actions.append(...Object.values(buttons));

  const main = el("div", "hitl-il-main");
  const stage = itemStage({
    kind: () => model.get("item_kind") || "image",
    size: () => model.get("display_size"),
    onArrived: () => redraw(),
  });
  const side = el("div", "hitl-il-side");
  const classBar = classBarView((i) => { act({ type: "label", cls: i }); refocus(); });
  const newClass = el("input", "hitl-il-new");
  newClass.placeholder = "new label, then Enter";
  newClass.setAttribute("aria-label", "new label");
  const prediction = predictionView();
  const confirm = confirmView();
  const curve = curveView();
  const help = el("div", "hitl-il-help");
  const error = el("div", "hitl-il-error");

  const page = pageState();
  const wanted = new Set();
  const ctx = {
    model, page, stage, root, send, refocus,
    classes: () => model.get("classes"),
    item: () => model.get("item"),
    queue: () => model.get("queue"),
    redraw: () => redraw(),
    say: (text) => { error.textContent = text; },
    confirm: (text) => confirm.say(text),
    unconfirm: () => confirm.withdraw(),
    submit: buttons.submit,
    want(keys) { // ask the kernel once for the items the page has not got
      stage.remember([ctx.item(), ...ctx.queue()]);
      const missing = keys.filter((k) => k !== null && k !== undefined && !stage.has(k) && !wanted.has(k));
      if (!missing.length) return;
      for (const k of missing) wanted.add(k);
      send({ type: "want", keys: missing });
    },
  };
  const single = singleItemView(ctx);
  const grid = batchGridView(ctx);
  side.append(confirm.node, classBar.node, newClass, actions, prediction.node, curve.node);
  main.append(stage.node, grid.node, side);
  root.append(top, main, help, error);
  host.append(root);

  const isBatch = () => model.get("batch_size") > 1;

  const drawControls = () => {
    controls.draw(model.get("strategies"), model.get("strategy"), model.get("batch_size"));
    const batch = isBatch();
    const keys = keyRange(ctx.classes()) || "type a label below, then keys";
    buttons.submit.style.display = batch ? "" : "none";
    buttons.skip.style.display = batch ? "none" : "";
    buttons.back.style.display = batch ? "none" : "";
    help.textContent = batch
      ? `click a tile or use arrows · ${keys} label it · ⏎ submit the grid · ⌫ clear a tile, else undo`
      : `${keys} label · ⏎/Space skip · ⌫ undo · ← → step through answered items · Esc back to the queue`;
  };

  // the class buttons and the prediction follow the item in focus: the shown one, or the selected tile
  const drawSide = (key, label) => {
    classBar.draw(ctx.classes(), label, key);
    const e = entryFor(key, ctx.item(), ctx.queue(), model.get("trail"));
    prediction.draw(ctx.classes(), e ? e.probs : [], page.cursor !== null);
  };

  const drawCurve = () => curve.draw(model.get("curve"), model.get("curve_kind"), root);

  const redraw = () => {
    settle(page, model.get("_ack"));
    drawControls();
    progress.draw(model.get("progress"));
    root.dataset.labeled = String(model.get("progress").labeled ?? 0);
    const batch = isBatch();
    stage.node.style.display = batch ? "none" : "";
    grid.node.style.display = batch ? "" : "none";
    if (batch) {
      grid.draw();
      const key = grid.selectedKey();
      drawSide(key, page.assign.get(key));
    } else {
      const key = single.draw();
      drawSide(key, single.browsedLabel());
    }
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
  };

  const act = (action) => {
    if (!action) return false;
    return isBatch() ? grid.act(action) : single.act(action);
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(labelerAction(ev, isBatch() ? "batch" : "single", ctx.classes()))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };
  const onNewClass = (ev) => {
    ev.stopPropagation(); // typing a name is not a shortcut, in JupyterLab either
    if (ev.key === "Enter" && newClass.value.trim()) {
      send({ type: "add_class", name: newClass.value.trim() });
      newClass.value = "";
      root.focus({ preventScroll: true });
    } else if (ev.key === "Escape") root.focus({ preventScroll: true });
  };
  const onItems = (msg, buffers) => {
    // a tile or the stage waiting for an image draws once it is decoded
    if (!stage.receive(msg, buffers)) return;
    for (const key of msg.keys) wanted.delete(key);
    root.dataset.cached = String(stage.cached());
  };

  const handlers = [
    [root, "keydown", onKey],
    [newClass, "keydown", onNewClass],
    [buttons.back, "click", () => act({ type: "back" })],
    [buttons.skip, "click", () => act({ type: "skip" })],
    [buttons.undo, "click", () => act({ type: "undo" })],
    [buttons.submit, "click", () => act({ type: "submit" })],
    [root, "pointerdown", (ev) => { if (!["INPUT", "SELECT"].includes(ev.target.tagName)) root.focus({ preventScroll: true }); }],
  ];
  for (const [node, type, fn] of handlers) node.addEventListener(type, fn);

  const schedule = redrawScheduler(() => redraw());
  const traits = ["item", "queue", "trail", "classes", "progress", "curve", "strategy", "strategies", "batch_size", "error", "_ack", "display_size", "item_kind"];
  const listeners = traits.map((name) => [`change:${name}`, name === "curve" ? () => { drawCurve(); } : schedule]);
  listeners.push(["msg:custom", onItems]);
  for (const [e, fn] of listeners) model.on(e, fn);

  redraw();
  drawCurve();
  const stopThemeWatch = onThemeChange(drawCurve, root); // the curve's colours come from the theme
  return () => {
    stopThemeWatch();
    for (const [node, type, fn] of handlers) node.removeEventListener(type, fn);
    for (const [e, fn] of listeners) model.off(e, fn);
    stage.clear();
    confirm.clear();
  };
}

export default { render };

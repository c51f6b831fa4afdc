// Pool labeler front end (anywidget; ImageLabeler and Labeler): show the ranked item (an image,
// a text or a row), take labels by key or click, run one step ahead of the kernel.
import { labelerAction } from "./labeler_keys.js";
import { sequencedSender, typingInside } from "./actions.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler } from "./dom.js";
import { itemStage } from "./labeler_stage.js";
import {
  batchTiles, browseTrail, entryFor, moveSelection, nextAfter, pageState, probabilityBars, settle, shownKey,
} from "./labeler_state.js";
import { classBarView, controlsView, curveView, predictionView, progressView } from "./labeler_views.js";

const GRID_TILE = 96;

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-il");

  const top = el("div", "hitl-il-top");
  const progress = progressView();
  const refocus = () => root.focus({ preventScroll: true });
  const controls = controlsView(
    (name) => { model.set("strategy", name); model.save_changes(); refocus(); },
    (k) => { page.assign.clear(); page.sel = 0; model.set("batch_size", k); model.save_changes(); refocus(); },
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
  const caption = stage.caption;
  const grid = el("div", "hitl-il-grid");
  const side = el("div", "hitl-il-side");
  const classBar = classBarView((i) => { act({ type: "label", cls: i }); refocus(); });
  const newClass = el("input", "hitl-il-new");
  newClass.placeholder = "new label, then Enter";
  newClass.setAttribute("aria-label", "new label");
  const prediction = predictionView();
  const curve = curveView();
  side.append(classBar.node, newClass, actions, prediction.node, curve.node);
  main.append(stage.node, grid, side);
  const help = el("div", "hitl-il-help");
  const error = el("div", "hitl-il-error");
  root.append(top, main, help, error);
  host.append(root);

  const page = pageState();
  const wanted = new Set();
  const state = { keyAt: null, shows: 0 };

  const mode = () => (model.get("batch_size") > 1 ? "batch" : "single");
  const classes = () => model.get("classes");
  const item = () => model.get("item");
  const queue = () => model.get("queue");
  const trail = () => browseTrail(model.get("trail"), page); // with the page's own answers not yet acknowledged

  const send = sequencedSender(model);
  const want = (keys) => {
    stage.remember([item(), ...queue()]);
    const missing = keys.filter((k) => k !== null && k !== undefined && !stage.has(k) && !wanted.has(k));
    if (!missing.length) return;
    for (const k of missing) wanted.add(k);
    model.send({ type: "want", keys: missing });
  };

  // ---------------------------------------------------------------- drawing
  const showItem = (key) => {
    root.dataset.key = key === null ? "" : String(key);
    const p = model.get("progress");
    stage.show(key, p.labeled >= p.pool);
  };

  const drawCaption = (key) => {
    const e = entryFor(key, item(), queue(), trail());
    if (page.cursor !== null) {
      const t = trail()[page.cursor];
      const lab = t.label >= 0 ? `labeled “${classes()[t.label]}”` : "skipped";
      caption.textContent = `${t.id} · answered ${page.cursor + 1} of ${trail().length}: ${lab} · a key changes it · Esc returns`;
      caption.classList.add("hitl-il-browsing");
    } else {
      caption.textContent = e ? `item ${e.id}` : "";
      caption.classList.remove("hitl-il-browsing");
    }
  };

  const drawClasses = (key) => {
    const t = page.cursor !== null ? trail()[page.cursor] : null;
    const assigned = mode() === "batch" ? page.assign.get(selectedTileKey()) : undefined;
    classBar.draw(classes(), t ? t.label : assigned, key);
  };

  const drawPrediction = (key) => {
    const e = entryFor(key, item(), queue(), trail());
    prediction.draw(classes(), e ? e.probs : [], page.cursor !== null);
  };

  const drawProgress = () => {
    progress.draw(model.get("progress"));
    root.dataset.labeled = String(model.get("progress").labeled ?? 0);
  };

  const drawCurve = () => curve.draw(model.get("curve"), model.get("curve_kind"), root);

  const drawControls = () => {
    controls.draw(model.get("strategies"), model.get("strategy"), model.get("batch_size"));
    const isBatch = mode() === "batch";
    buttons.submit.style.display = isBatch ? "" : "none";
    buttons.skip.style.display = isBatch ? "none" : "";
    buttons.back.style.display = isBatch ? "none" : "";
    help.textContent = isBatch
      ? "click a tile or use arrows · 1-9 label it · ⏎ submit the grid · ⌫ clear a tile, else undo"
      : "1-9, 0 label · ⏎/Space skip · ⌫ undo · ← → step through answered items · Esc back to the queue";
  };

  const selectedTileKey = () => {
    const tiles = batchTiles(item(), queue(), page, model.get("batch_size"));
    return tiles[Math.min(page.sel, tiles.length - 1)]?.key;
  };

  const drawGrid = () => {
    const k = model.get("batch_size");
    const tiles = batchTiles(item(), queue(), page, k);
    page.sel = Math.min(page.sel, Math.max(0, tiles.length - 1));
    want(tiles.map((t) => t.key));
    const cols = Math.ceil(Math.sqrt(k));
    grid.style.gridTemplateColumns = `repeat(${cols}, ${GRID_TILE}px)`;
    grid.replaceChildren(...tiles.map((t, i) => {
      const tile = el("div", "hitl-il-tile" + (i === page.sel ? " hitl-il-selected" : ""));
      tile.dataset.key = String(t.key);
      tile.append(stage.tile(t.key, t.id, GRID_TILE));
      const a = page.assign.get(t.key);
      const bars = probabilityBars(classes(), t.probs);
      const guess = bars.find((b) => b.top);
      tile.append(el("div", "hitl-il-chip" + (a !== undefined ? " hitl-il-assigned" : ""),
        a !== undefined ? classes()[a] : guess ? `${guess.name}? ${Math.round(guess.p * 100)}%` : ""));
      tile.addEventListener("click", () => { page.sel = i; root.focus({ preventScroll: true }); redraw(); });
      return tile;
    }));
    buttons.submit.textContent = `Submit ${page.assign.size} (⏎)`;
    buttons.submit.disabled = page.assign.size === 0;
    grid.dataset.tiles = String(tiles.length);
  };

  const redraw = () => {
    settle(page, model.get("_ack"));
    drawControls();
    drawProgress();
    const isBatch = mode() === "batch";
    stage.node.style.display = isBatch ? "none" : "";
    grid.style.display = isBatch ? "" : "none";
    if (isBatch) {
      drawGrid();
      drawClasses(selectedTileKey());
      drawPrediction(selectedTileKey());
    } else {
      const key = shownKey(item(), queue(), trail(), page);
      want((key === null ? [] : [key]).concat(queue().map((e) => e.key))); // one request for all that is missing
      showItem(key);
      drawCaption(key);
      drawClasses(key);
      drawPrediction(key);
      if (state.keyAt && String(key) === state.keyAt.key) {
        const t0 = state.keyAt.t0;
        state.keyAt = null;
        requestAnimationFrame(() => {
          const ms = performance.now() - t0;
          (globalThis.__hitl_show_ms ??= []).push(ms);
          root.dataset.showMs = ms.toFixed(1);
          root.dataset.shows = String(++state.shows);
        });
      }
    }
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
  };

  // ---------------------------------------------------------------- actions
  const act = (action) => {
    if (!action) return false;
    const t0 = performance.now();
    if (mode() === "batch") return actBatch(action);
    const key = shownKey(item(), queue(), trail(), page);
    if (action.type === "label" || action.type === "skip") {
      if (action.type === "label" && action.cls >= classes().length) {
        error.textContent = `There are ${classes().length} labels; key ${action.cls + 1} has none. Type a new label below.`;
        return true;
      }
      if (key === null) return true;
      if (page.cursor !== null) { // changing an earlier answer: stay in the trail, one step on
        if (action.type === "label") send({ type: "label", key, cls: action.cls, next: null });
        page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
        redraw();
        return true;
      }
      const next = nextAfter(key, item(), queue(), page);
      const seq = send(action.type === "label" ? { type: "label", key, cls: action.cls, next } : { type: "skip", key, next });
      const id = entryFor(key, item(), queue(), trail())?.id ?? String(key);
      page.answered.set(key, { seq, label: action.type === "label" ? action.cls : -1, id });
      page.optimistic = next === null ? null : { key: next, seq };
      state.keyAt = next === null ? null : { key: String(next), t0 };
    } else if (action.type === "undo") {
      page.cursor = null;
      const last = trail()[trail().length - 1];
      const seq = send({ type: "undo" });
      if (last) page.optimistic = { key: last.key, seq };
      page.answered.clear();
    } else if (action.type === "back") {
      const n = trail().length;
      if (!n) return true;
      page.cursor = page.cursor === null ? n - 1 : Math.max(0, page.cursor - 1);
      want([trail()[page.cursor].key]);
    } else if (action.type === "forward") {
      if (page.cursor !== null) page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
    } else if (action.type === "escape") {
      page.cursor = null;
    } else return false;
    redraw();
    return true;
  };

  const actBatch = (action) => {
    const tiles = batchTiles(item(), queue(), page, model.get("batch_size"));
    const cols = Math.ceil(Math.sqrt(model.get("batch_size")));
    const sel = tiles[page.sel];
    if (action.type === "label") {
      if (action.cls >= classes().length) {
        error.textContent = `There are ${classes().length} labels; key ${action.cls + 1} has none.`;
        return true;
      }
      if (!sel) return true;
      page.assign.set(sel.key, action.cls);
      page.sel = moveSelection(page.sel, 1, tiles.length, cols);
    } else if (action.type === "move") {
      page.sel = moveSelection(page.sel, action.by, tiles.length, cols);
    } else if (action.type === "submit") {
      if (!page.assign.size) return true;
      const labels = [...page.assign.entries()];
      const seq = send({ type: "submit", labels });
      for (const [key, cls] of labels) page.answered.set(key, { seq, label: cls, id: entryFor(key, item(), queue(), [])?.id ?? String(key) });
      page.assign.clear();
      page.sel = 0;
    } else if (action.type === "undo") {
      if (sel && page.assign.has(sel.key)) page.assign.delete(sel.key);
      else { send({ type: "undo" }); page.answered.clear(); }
    } else if (action.type === "escape") {
      page.assign.clear();
    } else return false;
    redraw();
    return true;
  };

  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(labelerAction(ev, mode()))) {
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
  const stopThemeWatch = onThemeChange(drawCurve); // the curve's colours come from the theme
  return () => {
    stopThemeWatch();
    for (const [node, type, fn] of handlers) node.removeEventListener(type, fn);
    for (const [e, fn] of listeners) model.off(e, fn);
    stage.clear();
  };
}

export default { render };

// js/src/common/actions.js
function sequencedSender(model) {
  let seq = 0;
  return (msg) => {
    seq = Math.max(seq, model.get("_ack")) + 1;
    model.send({ ...msg, seq });
    return seq;
  };
}
function settingSender(model, send) {
  return (name, value) => {
    model.set(name, value);
    return send({ type: "set", name, value });
  };
}
function isUndoChord(ev) {
  return (ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z");
}
function isOtherChord(ev) {
  return (ev.ctrlKey || ev.metaKey || ev.altKey) && !isUndoChord(ev);
}
function typingInside(ev, root) {
  const tag = ev.target && ev.target.tagName;
  return ev.target !== root && (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA");
}

// js/src/common/label_keys.js
var POSITIONAL = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
function classKeys(classes) {
  if (!Array.isArray(classes)) return POSITIONAL;
  const names = classes.map(String);
  const ownDigits = names.length > 0 && names.every((n) => /^[0-9]$/.test(n)) && new Set(names).size === names.length;
  return ownDigits ? names : POSITIONAL.slice(0, names.length);
}
function keyHint(i, classes) {
  return classKeys(classes)[i] ?? "";
}
function keyRange(classes) {
  const keys = classKeys(classes);
  if (keys.length <= 1) return keys.join("");
  if (keys.every((k, i) => k === POSITIONAL[i])) return keys.length === 10 ? "1-9, 0" : `1-${keys.length}`;
  const sorted = keys.map(Number).sort((a, b) => a - b);
  const contiguous = sorted.every((v, i) => v === sorted[0] + i);
  return contiguous ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(", ");
}
function digitAction(k, classes) {
  const cls = classKeys(classes).indexOf(k);
  return cls >= 0 ? { type: "label", cls } : { type: "label", cls: null, key: k };
}
function noClassText(action, classes, noun = "labels") {
  return `There are ${classes.length} ${noun}; key ${action.key ?? keyHint(action.cls, classes)} has none.`;
}

// js/src/common/dom.js
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== void 0) e.textContent = text;
  return e;
}
function themeColor(node, name, fallback) {
  const v = globalThis.getComputedStyle?.(node)?.getPropertyValue(name)?.trim();
  return v || fallback;
}
function keyboardRoot(cls) {
  const root = el("div", cls);
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  return root;
}
function probabilityBars(classes, probs) {
  if (!probs || !probs.length) return [];
  let best = 0;
  probs.forEach((p, i) => {
    if (p > probs[best]) best = i;
  });
  return classes.map((name, i) => ({ name, p: probs[i] ?? 0, top: i === best }));
}
function probabilityRows(bars, prefix) {
  return bars.map((b) => {
    const row = el("div", `${prefix}-predrow` + (b.top ? ` ${prefix}-top1` : ""));
    const track = el("div", `${prefix}-predbar`);
    const fill = el("div", `${prefix}-predfill`);
    fill.style.width = `${(100 * b.p).toFixed(1)}%`;
    track.append(fill);
    row.append(el("span", `${prefix}-predname`, b.name), track, el("span", `${prefix}-predp`, `${Math.round(b.p * 100)}%`));
    return row;
  });
}
function redrawScheduler(draw) {
  const dirty = /* @__PURE__ */ new Set();
  let queued = false;
  return (...parts) => {
    for (const p of parts) dirty.add(p);
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      const parts_ = new Set(dirty);
      dirty.clear();
      draw(parts_);
    });
  };
}
function sizeCanvas(canvas, width, height) {
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
function onThemeChange(redraw, node = null) {
  let frame = null, tries = 0;
  const whenAttached = () => {
    frame = null;
    if (node.isConnected) redraw();
    else if (++tries < 600) frame = requestAnimationFrame(whenAttached);
  };
  if (node && node.isConnected === false && globalThis.requestAnimationFrame) frame = requestAnimationFrame(whenAttached);
  const stopFrames = () => {
    if (frame !== null) globalThis.cancelAnimationFrame?.(frame);
  };
  if (!globalThis.MutationObserver || !globalThis.document?.body) return stopFrames;
  const watch = new MutationObserver(() => redraw());
  watch.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-name"] });
  return () => {
    watch.disconnect();
    stopFrames();
  };
}

// js/src/common/confirm.js
var CONFIRM_MS = 2500;
function confirmView(prefix = "hitl-il") {
  const node = el("div", `${prefix}-confirm`);
  node.setAttribute("role", "status");
  node.setAttribute("aria-live", "polite");
  let timer = null;
  return {
    node,
    say(text) {
      node.textContent = text;
      node.classList.add("hitl-shown");
      clearTimeout(timer);
      timer = setTimeout(() => node.classList.remove("hitl-shown"), CONFIRM_MS);
    },
    /** An undo takes the last answer back: the line no longer says what it recorded. */
    withdraw() {
      clearTimeout(timer);
      node.textContent = "";
      node.classList.remove("hitl-shown");
    },
    clear() {
      clearTimeout(timer);
    }
  };
}

// js/src/common/item_body.js
function itemBody(view, prefix) {
  if (view.kind === "table") {
    const table = el("table", `${prefix}-table`);
    for (const [k, v] of view.rows) {
      const tr = el("tr");
      tr.append(el("th", "", k), el("td", "", v));
      table.append(tr);
    }
    return view.cut ? [table, el("div", `${prefix}-hint`, `\u2026 and ${view.cut} more fields`)] : [table];
  }
  const text = el("div", `${prefix}-text`, view.text ?? "");
  return view.cut ? [text, el("div", `${prefix}-hint`, `\u2026 ${view.cut.toLocaleString("en-US")} more characters`)] : [text];
}

// js/src/common/media.js
function imageCache() {
  const byKey = /* @__PURE__ */ new Map();
  const cache = {
    has: (key) => byKey.has(key),
    get: (key) => byKey.get(key),
    size: () => byKey.size,
    add(key, mime, buffer) {
      if (byKey.has(key)) return byKey.get(key);
      const url = URL.createObjectURL(new Blob([buffer], { type: mime }));
      const img = new Image();
      img.src = url;
      const entry = { url, img, ready: img.decode ? img.decode().catch(() => {
      }) : Promise.resolve() };
      byKey.set(key, entry);
      return entry;
    },
    /** The entries an "images" message brought (none for any other message). */
    receive(msg, buffers, keyOf = (key) => key) {
      if (!msg || msg.type !== "images") return [];
      return msg.keys.map((key, i) => cache.add(keyOf(key), msg.mimes[i], buffers[i]));
    },
    /** Keep the newest `most` images (a stream's page shows one item at a time). */
    trim(most) {
      for (const [key, { url }] of byKey) {
        if (byKey.size <= most) break;
        URL.revokeObjectURL(url);
        byKey.delete(key);
      }
    },
    clear() {
      for (const { url } of byKey.values()) URL.revokeObjectURL(url);
      byKey.clear();
    }
  };
  return cache;
}

// js/src/common/curve.js
function drawPercentAxes(ctx, w, h, pad, muted, xName = null, xLast = null) {
  ctx.clearRect(0, 0, w, h);
  ctx.font = "9px sans-serif";
  ctx.fillStyle = muted;
  ctx.strokeStyle = muted;
  ctx.lineWidth = 0.5;
  for (const y of [0, 0.5, 1]) {
    const py = pad.top + (1 - y) * (h - pad.top - pad.bottom);
    ctx.beginPath();
    ctx.moveTo(pad.left, py);
    ctx.lineTo(w - pad.right, py);
    ctx.stroke();
    ctx.fillText(`${Math.round(y * 100)}%`, 2, py + 3);
  }
  if (xName === null) return;
  ctx.fillText(xName, pad.left, h - 3);
  ctx.fillText(xLast, w - pad.right - ctx.measureText(xLast).width, h - 3);
}

// js/src/stream_labeler/view.js
function streamAction(ev, classes = void 0) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (/^[0-9]$/.test(k)) return digitAction(k, classes);
  if (k === "Backspace") return { type: "undo" };
  if (k === "Enter") return { type: "accept" };
  if (k === " ") return { type: "toggle" };
  return null;
}
function askReason(reason) {
  return {
    gate: "the model is unsure",
    "cold start": "the model has not seen every class yet",
    "warm-up": "it is in the warm-up"
  }[reason] ?? "the model is unsure";
}
function helpText(classes) {
  const keys = keyRange(classes) || "1";
  return `${keys} answer \xB7 \u23CE accept the prediction \xB7 \u232B undo the last answer \xB7 Space pause / go on`;
}
var fmt = (n) => n === null || n === void 0 ? "\u2013" : Number(n).toLocaleString("en-US");
var pct = (p) => p === null || p === void 0 ? "\u2013" : `${(100 * p).toFixed(p > 0 && p < 0.01 ? 2 : 1)}%`;
function metricTiles(m) {
  if (!m || m.seen === void 0) return [];
  return [
    ["seen", fmt(m.seen), "items read from the stream"],
    ["predicted", fmt(m.predicted), "items passed on the model's prediction, without asking"],
    ["labeled", fmt(m.labeled), "answers you gave"],
    ["accuracy", pct(m.accuracy), m.with_truth ? `progressive validation on ${fmt(m.with_truth)} items whose truth the stream gives` : "no figure yet: no item with a truth has had a prediction"],
    ["label rate", pct(m.label_rate), `labels / items; recent: ${pct(m.recent_rate)}`]
  ];
}
function statusText(status, m, reason) {
  const total = m && m.total ? ` of ${fmt(m.total)}` : "";
  const seen = m ? `${fmt(m.seen)}${total}` : "";
  switch (status) {
    case "walking": {
      const rate = m && m.items_per_second ? ` \xB7 ${fmt(Math.round(m.items_per_second))} items/s` : "";
      return `fast-forwarding through confident items\u2026 ${seen} seen${rate}`;
    }
    case "asking":
      return `waiting for your answer (${askReason(reason)}) \xB7 ${seen} seen`;
    case "paused":
      return `paused at ${seen} \xB7 Space goes on`;
    case "end":
      return `end of the stream \xB7 ${seen} seen`;
    case "error":
      return `stopped at ${seen}: the stream failed (every label is saved)`;
    default:
      return "";
  }
}
function streamShare(m) {
  return m && m.total ? Math.min(1, m.position / m.total) : null;
}
function seriesPixels(points, col, w, h, pad) {
  if (!points.length) return [];
  const xmax = Math.max(1, points[points.length - 1][0]);
  const iw = w - pad.left - pad.right, ih = h - pad.top - pad.bottom;
  return points.map((p) => p[col] === null || p[col] === void 0 ? null : [pad.left + p[0] / xmax * iw, pad.top + (1 - p[col]) * ih]);
}
function drawStreamCurve(ctx, points, w, h, colors) {
  const pad = { left: 30, right: 8, top: 8, bottom: 16 };
  if (!points.length) {
    drawPercentAxes(ctx, w, h, pad, colors.muted);
    return 0;
  }
  drawPercentAxes(ctx, w, h, pad, colors.muted, "items seen", fmt(points[points.length - 1][0]));
  let drawn = 0;
  for (const [col, color] of [[2, colors.rate], [1, colors.accuracy]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (const p of seriesPixels(points, col, w, h, pad)) {
      if (!p) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(p[0], p[1]);
      else ctx.moveTo(p[0], p[1]);
      pen = true;
      drawn += col === 1 ? 1 : 0;
    }
    ctx.stroke();
  }
  return drawn;
}

// js/src/stream_labeler/panels.js
var CURVE = { w: 300, h: 110 };
function metricsView() {
  const status = el("div", "hitl-sl-status");
  const bar = el("div", "hitl-sl-bar");
  const fill = el("div", "hitl-sl-fill");
  bar.append(fill);
  const tiles = el("div", "hitl-sl-metrics");
  return {
    nodes: [status, bar, tiles],
    /** A word on what happens while the kernel answers (replaced by the next draw). */
    say(text) {
      status.textContent = text;
    },
    draw(m, st, reason) {
      status.textContent = statusText(st, m, reason);
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
    }
  };
}
function answerButtonsView(onClass) {
  const node = el("div", "hitl-sl-classes");
  return {
    node,
    draw(classes, waiting) {
      node.replaceChildren(...classes.map((name, i) => {
        const b = el("button", "hitl-sl-class");
        const hint = keyHint(i, classes);
        if (hint) b.append(el("kbd", "hitl-sl-key", hint), " ");
        b.append(name);
        b.title = hint ? `key ${hint}: answer \u201C${name}\u201D` : `answer \u201C${name}\u201D`;
        b.disabled = !waiting;
        b.addEventListener("click", () => onClass(i));
        return b;
      }));
    }
  };
}
function streamPredictionView() {
  const node = el("div", "hitl-sl-prediction");
  return {
    node,
    draw(classes, item) {
      node.replaceChildren();
      if (item.position === void 0) return;
      if (!item.prediction) {
        node.append(el("div", "hitl-sl-hint", "The model has no prediction yet."));
        node.dataset.top = "";
        return;
      }
      const bars = probabilityBars(classes, item.probs);
      const best = bars.find((b) => b.top);
      node.append(el("div", "hitl-sl-predtitle", `model: ${item.prediction} (${Math.round((best?.p ?? 0) * 100)}%)`));
      node.append(...probabilityRows(bars, "hitl-sl"));
      node.dataset.top = item.prediction;
    }
  };
}
function knobView(onSet) {
  const node = el("label", "hitl-sl-knob");
  const name = el("span", "hitl-sl-knobname");
  const range = el("input", "hitl-sl-range");
  range.type = "range";
  const value = el("span", "hitl-sl-knobvalue");
  node.append(name, range, value);
  range.addEventListener("input", () => {
    value.textContent = Number(range.value).toString();
  });
  range.addEventListener("change", () => onSet(Number(range.value)));
  return {
    node,
    draw(knob, current) {
      node.style.display = knob.name ? "" : "none";
      if (!knob.name) return;
      name.textContent = knob.label;
      Object.assign(range, { min: String(knob.low), max: String(knob.high), step: String(knob.step) });
      if (document.activeElement !== range) range.value = String(current);
      value.textContent = Number(range.value).toString();
    }
  };
}
function streamCurveView() {
  const title = el("div", "hitl-sl-curvetitle");
  const canvas = el("canvas", "hitl-sl-curve");
  const ctx = sizeCanvas(canvas, CURVE.w, CURVE.h);
  return {
    nodes: [title, canvas],
    draw(points, themed) {
      const last = points.length ? points[points.length - 1] : null;
      title.replaceChildren(
        el("span", "hitl-sl-legend hitl-sl-legend-acc", "accuracy"),
        " and ",
        el("span", "hitl-sl-legend hitl-sl-legend-rate", "recent label rate"),
        last ? ` at ${last[0].toLocaleString("en-US")} items` : ""
      );
      const colors = {
        accuracy: themeColor(themed, "--jp-brand-color1", "#1976d2"),
        rate: themeColor(themed, "--jp-warn-color1", "#f57c00"),
        muted: themeColor(themed, "--jp-ui-font-color2", "#888")
      };
      canvas.dataset.points = String(drawStreamCurve(ctx, points, CURVE.w, CURVE.h, colors));
    }
  };
}

// js/src/stream_labeler/widget.js
function render({ model, el: host }) {
  const root = keyboardRoot("hitl-sl");
  const refocusNow = () => root.focus({ preventScroll: true });
  const metrics = metricsView();
  const card = el("div", "hitl-sl-card");
  const cardHead = el("div", "hitl-sl-cardhead");
  const body = el("div", "hitl-sl-body");
  card.append(cardHead, body);
  const side = el("div", "hitl-sl-side");
  const classBar = answerButtonsView((i) => {
    act({ type: "label", cls: i });
    refocusNow();
  });
  const prediction = streamPredictionView();
  const buttons = {
    accept: el("button", "hitl-sl-btn", "Accept prediction (\u23CE)"),
    undo: el("button", "hitl-sl-btn", "Undo (\u232B)"),
    toggle: el("button", "hitl-sl-btn", "Pause (Space)"),
    save: el("button", "hitl-sl-btn", "Save"),
    reset: el("button", "hitl-sl-btn", "Reset\u2026")
  };
  const actions = el("div", "hitl-sl-actions");
  actions.append(...Object.values(buttons));
  const send = sequencedSender(model);
  const knob = knobView((value) => {
    settingSender(model, send)("knob_value", value);
    refocusNow();
  });
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
  const media = imageCache();
  const wanted = /* @__PURE__ */ new Set();
  const item = () => model.get("item");
  const classes = () => model.get("classes");
  const drawItem = () => {
    const it = item();
    const pos = it.position ?? null;
    if (String(pos) !== root.dataset.position) page.shownAt = performance.now();
    root.dataset.position = pos === null ? "" : String(pos);
    card.classList.toggle("hitl-sl-sent", page.answered !== null && page.answered === pos);
    if (pos === null) {
      cardHead.textContent = "";
      body.replaceChildren(el(
        "div",
        "hitl-sl-placeholder",
        model.get("status") === "walking" ? "The model is sure about these items\u2026" : "No item is waiting for a label."
      ));
      return;
    }
    cardHead.textContent = `item ${pos.toLocaleString("en-US")} \xB7 asked because ${askReason(it.reason)}`;
    if (it.kind === "image") {
      const entry = media.get(it.image);
      if (!entry) {
        if (!wanted.has(it.image)) {
          wanted.add(it.image);
          send({ type: "want", keys: [it.image] });
        }
        body.replaceChildren(el("div", "hitl-sl-placeholder", "Loading the image\u2026"));
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
      body.replaceChildren(...itemBody(it, "hitl-sl"));
    }
  };
  const drawClasses = () => {
    help.textContent = helpText(classes());
    classBar.draw(classes(), item().position !== void 0);
  };
  const drawPrediction = () => prediction.draw(classes(), item());
  const drawMetrics = () => {
    const m = model.get("metrics");
    const st = model.get("status");
    metrics.draw(m, st, item().reason);
    root.dataset.status = st;
    for (const k of ["seen", "predicted", "labeled"]) root.dataset[k] = String(m[k] ?? "");
    buttons.toggle.textContent = st === "paused" ? "Go on (Space)" : "Pause (Space)";
    buttons.toggle.disabled = st === "end" || st === "error";
    buttons.accept.disabled = item().position === void 0 || !item().prediction;
  };
  const drawKnob = () => knob.draw(model.get("knob"), model.get("knob_value"));
  const drawCurve = () => curve.draw(model.get("curve"), root);
  const drawError = () => {
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
  };
  const act = (action) => {
    if (!action) return false;
    const it = item();
    if (action.type === "label" || action.type === "accept") {
      if (it.position === void 0) return true;
      if (action.type === "label" && (action.cls === null || action.cls >= classes().length)) {
        error.textContent = noClassText(action, classes(), "classes");
        return true;
      }
      if (page.answered === it.position) return true;
      page.answered = it.position;
      const seconds = (performance.now() - page.shownAt) / 1e3;
      send(action.type === "label" ? { type: "label", position: it.position, cls: action.cls, seconds } : { type: "accept", position: it.position });
      confirm.say(action.type === "label" ? `item ${it.position} \u2192 ${classes()[action.cls]}` : `item ${it.position} \u2192 ${it.prediction} (accepted)`);
      card.classList.add("hitl-sl-sent");
      metrics.say("learning, then on through the stream\u2026");
    } else if (action.type === "undo") {
      page.answered = null;
      send({ type: "undo" });
      confirm.withdraw();
      metrics.say("undoing the last answer\u2026");
    } else if (action.type === "toggle") {
      const st = model.get("status");
      if (st === "walking" || st === "asking") send({ type: "pause" });
      else if (st === "paused") send({ type: "play" });
    } else return false;
    return true;
  };
  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(streamAction(ev, classes()))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };
  const onReset = () => {
    if (page.resetArmed !== null && performance.now() - page.resetArmed < 4e3) {
      page.resetArmed = null;
      buttons.reset.textContent = "Reset\u2026";
      send({ type: "reset" });
    } else {
      page.resetArmed = performance.now();
      buttons.reset.textContent = "Click again to reset";
      setTimeout(() => {
        buttons.reset.textContent = "Reset\u2026";
      }, 4e3);
    }
  };
  const refocus = (fn) => () => {
    fn();
    root.focus({ preventScroll: true });
  };
  const handlers = [
    [root, "keydown", onKey],
    [buttons.accept, "click", refocus(() => act({ type: "accept" }))],
    [buttons.undo, "click", refocus(() => act({ type: "undo" }))],
    [buttons.toggle, "click", refocus(() => act({ type: "toggle" }))],
    [buttons.save, "click", refocus(() => send({ type: "save" }))],
    [buttons.reset, "click", refocus(onReset)]
  ];
  for (const [node, ev, fn] of handlers) node.addEventListener(ev, fn);
  const FEEDS = {
    item: ["item", "classes", "metrics"],
    classes: ["classes"],
    metrics: ["metrics"],
    status: ["item", "metrics"],
    curve: ["curve"],
    knob: ["knob"],
    knob_value: ["knob"],
    error: ["error"],
    _ack: ["error"]
  };
  const DRAW = {
    item: drawItem,
    classes: () => {
      drawClasses();
      drawPrediction();
    },
    metrics: drawMetrics,
    curve: drawCurve,
    knob: drawKnob,
    error: drawError
  };
  const mark = redrawScheduler((parts) => {
    for (const [part, draw] of Object.entries(DRAW)) if (parts.has(part)) draw();
  });
  const listeners = Object.entries(FEEDS).map(([trait, parts]) => [`change:${trait}`, () => mark(...parts)]);
  for (const [name, fn] of listeners) model.on(name, fn);
  const onImages = (msg, buffers) => {
    for (const entry of media.receive(msg, buffers)) entry.ready.then(() => mark("item"));
    media.trim(8);
  };
  model.on("msg:custom", onImages);
  for (const draw of Object.values(DRAW)) draw();
  const stopThemeWatch = onThemeChange(drawCurve, root);
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
var widget_default = { render };
export {
  widget_default as default
};

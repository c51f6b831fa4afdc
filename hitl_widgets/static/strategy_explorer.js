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

// js/src/common/codec.js
var ARRAYS = { float32: Float32Array, uint8: Uint8Array, uint32: Uint32Array };
function bytesOf(value) {
  if (!value) return new Uint8Array(0);
  if (value instanceof DataView || ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(0);
}
function decodeArray(message, dtype) {
  const Type = ARRAYS[dtype];
  if (!message || !message.dtype) return { data: new Type(0), shape: [0] };
  if (message.dtype !== dtype) throw new Error(`expected a ${dtype} array, got ${message.dtype}`);
  const bytes = bytesOf(message.data).slice();
  return { data: new Type(bytes.buffer, 0, Math.floor(bytes.byteLength / Type.BYTES_PER_ELEMENT)), shape: message.shape };
}
var decodePoints = (message) => decodeArray(message, "float32").data;
var decodeLabels = (message) => decodeArray(message, "uint8").data;

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

// js/src/common/draw.js
var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [v >> 16 & 255, v >> 8 & 255, v & 255];
}

// js/src/strategy_explorer/draw.js
var STRATEGY_COLOURS = ["#6a3d9a", "#b15928", "#1b9e77", "#e7298a", "#386cb0", "#666666"];
function planeToPixels(extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  const sx = width / (x1 - x0), sy = height / (y1 - y0);
  return {
    px: (x) => (x - x0) * sx,
    py: (y) => height - (y - y0) * sy,
    x: (px) => x0 + px / sx,
    y: (py) => y0 + (height - py) / sy
  };
}
function gridPixels(side, shade, utility, nClasses) {
  const rgba = new Uint8ClampedArray(side * side * 4);
  const floor = nClasses > 1 ? 1 / nClasses : 0;
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const cell = j * side + i, out = 4 * ((side - 1 - j) * side + i);
      if (utility) {
        const u = utility[cell] / 255;
        rgba.set([230, 120, 20, Math.round(255 * 0.7 * u * u)], out);
      } else if (shade) {
        const [r, g, b] = hexToRgb(PALETTE[shade[2 * cell] % PALETTE.length]);
        const sure = (shade[2 * cell + 1] / 255 - floor) / (1 - floor || 1);
        rgba.set([r, g, b, Math.round(255 * (0.06 + 0.34 * Math.max(0, sure)))], out);
      }
    }
  }
  return rgba;
}
function nearestOpenPoint(points, inPool, labeledSet, map, cx, cy, radius = 10) {
  let best = -1, bestD = radius * radius;
  for (let i = 0; i < inPool.length; i++) {
    if (!inPool[i] || labeledSet.has(i)) continue;
    const dx = map.px(points[2 * i]) - cx, dy = map.py(points[2 * i + 1]) - cy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}
function clickOnPlane(extent, side, cx, cy, radiusPx = 10) {
  const map = planeToPixels(extent, side, side);
  return { x: map.x(cx), y: map.y(cy), rx: map.x(radiusPx) - map.x(0), ry: map.y(0) - map.y(radiusPx) };
}
function drawPool(ctx, points, inPool, map, muted, skip = null) {
  ctx.fillStyle = muted;
  for (let i = 0; i < inPool.length; i++) {
    if (!inPool[i] || skip?.has(i)) continue;
    ctx.fillRect(map.px(points[2 * i]) - 1, map.py(points[2 * i + 1]) - 1, 2, 2);
  }
}
function drawPanel(ctx, view) {
  const { width, height, map, points, inPool, labeled, labels, picks, shadeImage, poolImage, muted, ink, paper, thick } = view;
  ctx.clearRect(0, 0, width, height);
  if (shadeImage) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shadeImage, 0, 0, width, height);
  }
  if (poolImage) ctx.drawImage(poolImage, 0, 0, width, height);
  else drawPool(ctx, points, inPool, map, muted, new Set(labeled));
  const r = thick ? 5 : 3.5;
  ctx.lineWidth = thick ? 1.5 : 1;
  ctx.strokeStyle = ink;
  labeled.forEach((row, k) => {
    ctx.fillStyle = PALETTE[labels[k] % PALETTE.length];
    ctx.beginPath();
    ctx.arc(map.px(points[2 * row]), map.py(points[2 * row + 1]), r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
  for (const group of picks) drawPicks(ctx, group, points, map, ink, thick, paper);
}
function drawPicks(ctx, group, points, map, ink, thick, paper = "#fff") {
  const line = thick ? 3 : 2;
  const colour = group.colour || ink;
  const halo = group.colour ? ink : paper;
  ctx.save();
  ctx.font = `bold ${thick ? 15 : 12}px sans-serif`;
  ctx.lineJoin = "round";
  group.rows.forEach((row, k) => {
    const x = map.px(points[2 * row]), y = map.py(points[2 * row + 1]);
    ctx.beginPath();
    ctx.arc(x, y, thick ? 9 : 7, 0, 2 * Math.PI);
    ctx.strokeStyle = halo;
    ctx.lineWidth = line + (group.colour ? 2 : 3);
    ctx.stroke();
    ctx.strokeStyle = colour;
    ctx.lineWidth = line;
    ctx.stroke();
    if (group.numbered) {
      const text = String(k + 1), tx = x + (thick ? 10 : 8), ty = y - (thick ? 8 : 6);
      ctx.strokeStyle = paper;
      ctx.lineWidth = 3;
      ctx.strokeText(text, tx, ty);
      ctx.fillStyle = ink;
      ctx.fillText(text, tx, ty);
    }
  });
  ctx.restore();
}
function accuracyRange(lines) {
  let low = 1;
  for (const line of lines) for (const [, a] of line.points) low = Math.min(low, a);
  return [Math.max(0, Math.min(0.9, Math.floor(low * 10 - 1e-9) / 10)), 1];
}

// js/src/strategy_explorer/view.js
function explorerAction(ev, nClasses = 0) {
  if (isUndoChord(ev) || isOtherChord(ev)) return null;
  const k = ev.key;
  if (k === " ") return { type: "step" };
  if (k === "p" || k === "P") return { type: "toggle_play" };
  if (k === "r" || k === "R") return { type: "reset" };
  if (k === "u" || k === "U") return { type: "toggle_utility" };
  if (k === "o" || k === "O") return { type: "toggle_overlay" };
  if (/^[1-9]$/.test(k) && Number(k) <= nClasses) return { type: "answer", cls: Number(k) - 1 };
  return null;
}
function statusLine(status, panels) {
  if (status.pending) {
    const more = status.n_pending > 1 ? ` (${status.n_pending} waiting)` : "";
    return `Which class is the circled point in "${status.pending.panel}"? Press its number${more}.`;
  }
  const strategies = panels.filter((p) => p.name !== "you");
  const you = panels.find((p) => p.name === "you");
  const most = Math.max(0, ...strategies.map((p) => p.n_labels));
  const budget = panels.length ? panels[0].budget : 0;
  if (status.finished) {
    const who = you ? "Every strategy and \u201Cyou\u201D have" : "Every strategy has";
    return `${who} used the budget of ${budget} labels. Reset (r) to start again.`;
  }
  if (status.strategies_done && you) {
    return `The strategies have used their budget of ${budget} labels; \u201Cyou\u201D is at ${you.n_labels} of ${budget}: click points in \u201Cyou\u201D to go on, or Reset (r).`;
  }
  const click = you ? " Click a point in \u201Cyou\u201D to ask about it." : "";
  const verb = status.playing ? "Playing" : `Step ${status.steps}`;
  return `${verb} \xB7 up to ${most} of ${budget} labels per strategy.${click}`;
}
function confirmedPress(onArmed, windowMs = 3e3, timers = globalThis) {
  let timer = null;
  const disarm = () => {
    if (timer === null) return;
    timers.clearTimeout(timer);
    timer = null;
    onArmed(false);
  };
  return {
    press(needsConfirm) {
      if (!needsConfirm || timer !== null) {
        disarm();
        return true;
      }
      timer = timers.setTimeout(() => {
        timer = null;
        onArmed(false);
      }, windowMs);
      onArmed(true);
      return false;
    },
    get armed() {
      return timer !== null;
    },
    cancel: disarm
  };
}
function accuracyText(accuracy) {
  return accuracy === null || accuracy === void 0 ? "no score yet" : `held-out accuracy ${Math.round(100 * accuracy)}%`;
}
function helpText(oracle) {
  const answer = oracle === "human" ? " \xB7 1-9 answer the circled point" : "";
  return `Space step \xB7 p play/pause \xB7 r reset \xB7 u utility shading \xB7 o every strategy's picks on the first panel${answer}`;
}
function shareUrl(href, state) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("state", state);
  return url.toString();
}

// js/src/strategy_explorer/controls.js
var SETTINGS = [
  ["batch_size", "batch", 1, 50],
  ["warm_start", "warm start", 2, 200],
  ["budget", "budget", 2, 2e3],
  ["seed", "seed", 0, 1e6]
];
var LEARNERS = ["logistic", "knn", "mlp", "gmm"];
function controlsView(model, act) {
  const node = el("div", "hitl-se-controls");
  const button = (text, onClick) => {
    const b = el("button", "hitl-se-btn", text);
    b.addEventListener("click", onClick);
    return b;
  };
  const fields = {};
  const speed = el("select", "hitl-se-speed");
  const learner = el("select", "hitl-se-learner");
  for (const name of LEARNERS) {
    const o = el("option", "", name);
    o.value = name;
    learner.append(o);
  }
  const settingsNode = el("span", "hitl-se-settings");
  const edited = /* @__PURE__ */ new Set();
  learner.addEventListener("change", () => edited.add("learner"));
  speed.addEventListener("change", () => act({ type: "speed", speed: Number(speed.value) }));
  for (const [key, label, min, max] of SETTINGS) {
    const input = el("input", "hitl-se-number");
    input.type = "number";
    input.min = String(min);
    input.max = String(max);
    input.addEventListener("input", () => edited.add(key));
    fields[key] = input;
    const wrap = el("label", "hitl-se-field", `${label} `);
    wrap.append(input);
    settingsNode.append(wrap);
  }
  const learnerWrap = el("label", "hitl-se-field", "learner ");
  learnerWrap.append(learner);
  settingsNode.append(learnerWrap);
  const chosenSettings = () => {
    const out = {};
    for (const [key] of SETTINGS) if (fields[key].value !== "") out[key] = Number(fields[key].value);
    if (learner.value && learner.value !== model.get("settings").learner) out.learner = learner.value;
    return out;
  };
  const resetConfirm = confirmedPress((armed) => {
    buttons.reset.textContent = armed ? "Reset? Press r again" : "Reset (r)";
  });
  const resetNow = () => {
    const st = model.get("status");
    const yours = model.get("panels").some((p) => p.name === "you" && p.n_labels > model.get("settings").warm_start);
    if (!resetConfirm.press(st.steps > 0 || yours)) return;
    act({ type: "reset", settings: chosenSettings() });
    edited.clear();
  };
  const run = (action) => {
    const st = model.get("status");
    if (action.type === "step") act({ type: "step", n: 1 });
    else if (action.type === "toggle_play") act(st.playing ? { type: "pause" } : { type: "play", speed: Number(speed.value) || void 0 });
    else if (action.type === "reset") resetNow();
    else if (action.type === "answer") act({ type: "answer", cls: action.cls });
  };
  const buttons = {
    step: button("Step (Space)", () => run({ type: "step" })),
    play: button("Play (p)", () => run({ type: "toggle_play" })),
    reset: button("Reset (r)", () => run({ type: "reset" })),
    seeds: button("10 seeds", () => act({ type: "run_seeds", seeds: 10 }))
  };
  buttons.seeds.title = "The same settings over 10 seeds, in the background: bands on the chart";
  const toggle = (trait, text) => {
    const wrap = el("label", "hitl-se-toggle");
    const box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", () => settingSender(model, act)(trait, box.checked));
    wrap.append(box, ` ${text}`);
    return { wrap, box };
  };
  const toggles = { show_utility: toggle("show_utility", "utility (u)"), overlay: toggle("overlay", "all picks (o)"), projector: toggle("projector", "projector") };
  const link = el("input", "hitl-se-link");
  link.readOnly = true;
  link.title = "A link to exactly this run (Voila: open it to load the same run)";
  node.append(
    buttons.step,
    buttons.play,
    speed,
    buttons.reset,
    settingsNode,
    ...Object.values(toggles).map((t) => t.wrap),
    buttons.seeds,
    link
  );
  const draw = (status, settings, seeds = {}) => {
    buttons.seeds.disabled = Boolean(seeds.running);
    buttons.seeds.textContent = seeds.running ? `seeds: ${seeds.done} of ${seeds.total} runs` : "10 seeds";
    buttons.play.textContent = status.playing ? "Pause (p)" : "Play (p)";
    buttons.play.disabled = Boolean(status.finished || status.strategies_done) || status.oracle === "human";
    buttons.step.disabled = Boolean(status.finished || status.pending);
    if (!speed.children.length) {
      for (const s of model.get("speeds")) {
        const o = el("option", "", `${s} steps/s`);
        o.value = String(s);
        speed.append(o);
      }
    }
    speed.value = String(settings.speed);
    for (const [key] of SETTINGS) if (!edited.has(key)) fields[key].value = String(settings[key]);
    if (!edited.has("learner")) learner.value = settings.learner;
    for (const [trait, t] of Object.entries(toggles)) t.box.checked = model.get(trait);
    const href = globalThis.location?.href;
    link.style.display = model.get("shareable") ? "" : "none";
    link.value = href ? shareUrl(href, model.get("state_string")) : model.get("state_string");
  };
  return { node, draw, run, remove: () => resetConfirm.cancel() };
}
function curveChartView() {
  const node = el("div", "hitl-se-chart");
  const title = el("div", "hitl-se-charttitle", "Held-out accuracy against labels");
  const canvas = el("canvas", "hitl-se-curves");
  const legend = el("div", "hitl-se-legend");
  node.append(title, canvas, legend);
  const table = el("table", "hitl-se-summary");
  node.append(table);
  const draw = (lines, panels, root, thick, bands = [], summary = null) => {
    const w = thick ? 720 : 520, h = thick ? 280 : 200;
    const pad = { left: 40, right: 10, top: 8, bottom: 22 };
    const ctx = sizeCanvas(canvas, w, h);
    const muted = themeColor(root, "--jp-ui-font-color2", "#777");
    const bandLines = bands.map((b) => ({ name: b.name, points: b.labels.map((n, i) => [n, b.low[i]]) }));
    const [low, high] = accuracyRange([...lines, ...bandLines]);
    let xmin = Infinity, xmax = 1;
    for (const line of [...lines, ...bandLines]) for (const [n] of line.points) {
      xmin = Math.min(xmin, n);
      xmax = Math.max(xmax, n);
    }
    if (!Number.isFinite(xmin)) xmin = 0;
    const px = (n) => pad.left + (n - xmin) / Math.max(1, xmax - xmin) * (w - pad.left - pad.right);
    const py = (a) => pad.top + (1 - (a - low) / (high - low)) * (h - pad.top - pad.bottom);
    ctx.clearRect(0, 0, w, h);
    ctx.font = `${thick ? 14 : 10}px sans-serif`;
    ctx.fillStyle = muted;
    ctx.strokeStyle = muted;
    ctx.lineWidth = 0.5;
    for (let a = low; a <= high + 1e-9; a += 0.1) {
      ctx.beginPath();
      ctx.moveTo(pad.left, py(a));
      ctx.lineTo(w - pad.right, py(a));
      ctx.stroke();
      ctx.fillText(`${Math.round(a * 100)}%`, 4, py(a) + 4);
    }
    ctx.fillText(`labels (${xmin}\u2013${xmax})`, pad.left, h - 5);
    const colourOf = (name) => STRATEGY_COLOURS[Math.max(0, panels.findIndex((p) => p.name === name)) % STRATEGY_COLOURS.length];
    for (const b of bands) {
      ctx.fillStyle = colourOf(b.name);
      ctx.globalAlpha = 0.15;
      ctx.beginPath();
      b.labels.forEach((n, i) => i ? ctx.lineTo(px(n), py(Math.max(low, b.high[i]))) : ctx.moveTo(px(n), py(Math.max(low, b.high[i]))));
      for (let i = b.labels.length - 1; i >= 0; i--) ctx.lineTo(px(b.labels[i]), py(Math.max(low, b.low[i])));
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    table.replaceChildren();
    if (summary) {
      const head = el("tr");
      for (const h2 of ["over seeds", "mean accuracy (area under the curve)", "labels to reach uniform's final accuracy"]) head.append(el("th", "", h2));
      table.append(head);
      for (const [name, row] of Object.entries(summary)) {
        const tr = el("tr");
        tr.append(
          el("td", "", name),
          el("td", "", `${(100 * row.auc).toFixed(1)}%`),
          el("td", "", row.labels_to_reach === null ? "never" : String(row.labels_to_reach))
        );
        tr.children[0].style.color = colourOf(name);
        table.append(tr);
      }
    }
    legend.replaceChildren();
    lines.forEach((line) => {
      const k = panels.findIndex((p) => p.name === line.name);
      const colour = STRATEGY_COLOURS[Math.max(0, k) % STRATEGY_COLOURS.length];
      ctx.strokeStyle = colour;
      ctx.lineWidth = thick ? 3.5 : 2;
      ctx.beginPath();
      line.points.forEach(([n, a], i) => i ? ctx.lineTo(px(n), py(a)) : ctx.moveTo(px(n), py(a)));
      ctx.stroke();
      const last = line.points[line.points.length - 1];
      const item = el("span", "hitl-se-key", `${line.name}${last ? ` ${Math.round(100 * last[1])}%` : ""}`);
      item.style.color = colour;
      legend.append(item);
    });
    node.dataset.lines = String(lines.length);
  };
  return { node, draw };
}

// js/src/strategy_explorer/widget.js
function decodeRows(value) {
  return Array.from(decodeArray(value, "uint32").data);
}
function render({ model, el: host }) {
  const root = keyboardRoot("hitl-se");
  const send = sequencedSender(model);
  const act = (msg) => send(msg);
  const controls = controlsView(model, act);
  const status = el("div", "hitl-se-status");
  const answers = el("div", "hitl-se-answers");
  const grid = el("div", "hitl-se-panels");
  const chart = curveChartView();
  const help = el("div", "hitl-se-help");
  const error = el("div", "hitl-se-error");
  root.append(controls.node, status, answers, grid, chart.node, help, error);
  host.append(root);
  const data = { points: new Float32Array(0), inPool: new Uint8Array(0), version: 0 };
  const pool = { image: null, key: "" };
  const views = /* @__PURE__ */ new Map();
  const size = () => model.get("projector") ? 340 : 250;
  const panelView = (name) => {
    if (views.has(name)) return views.get(name);
    const node = el("div", "hitl-se-panel");
    const title = el("div", "hitl-se-title");
    const score = el("div", "hitl-se-score");
    const canvas = el("canvas", "hitl-se-canvas");
    const tip = el("canvas", "hitl-se-tip");
    node.append(title, canvas, score, tip);
    canvas.addEventListener("mousemove", (ev) => showImage(canvas, tip, ev));
    canvas.addEventListener("mouseleave", () => {
      tip.style.display = "none";
    });
    canvas.addEventListener("click", (ev) => {
      if (name !== "you") return;
      const rect = canvas.getBoundingClientRect();
      act({ type: "choose_at", ...clickOnPlane(model.get("extent"), size(), ev.clientX - rect.left, ev.clientY - rect.top) });
      root.focus({ preventScroll: true });
    });
    const view = { node, canvas, title, score };
    views.set(name, view);
    return view;
  };
  const showImage = (canvas, tip, ev) => {
    const images = decodeArray(model.get("images"), "uint8");
    if (images.shape.length !== 3) return;
    const [, h, w] = images.shape;
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    const row = nearestOpenPoint(data.points, data.inPool, /* @__PURE__ */ new Set(), planeToPixels(model.get("extent"), size(), size()), x, y, 8);
    if (row < 0) {
      tip.style.display = "none";
      return;
    }
    const pixels = images.data.subarray(row * h * w, (row + 1) * h * w);
    const ctx = sizeCanvas(tip, 4 * w, 4 * h);
    for (let i = 0; i < h * w; i++) {
      const v = pixels[i];
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect(4 * (i % w), 4 * Math.floor(i / w), 4, 4);
    }
    Object.assign(tip.style, { display: "block", left: `${x + 12}px`, top: `${y + 24}px` });
    tip.dataset.row = String(row);
  };
  const shadeImage = (panel, side, nClasses) => {
    const shade = panel.shade ? decodeLabels(panel.shade) : null;
    const utility = model.get("show_utility") && panel.utility ? decodeLabels(panel.utility) : null;
    if (!shade && !utility || !globalThis.ImageData || !globalThis.document?.createElement) return null;
    const off = document.createElement("canvas");
    off.width = side;
    off.height = side;
    off.getContext("2d").putImageData(new ImageData(gridPixels(side, shade, utility, nClasses), side, side), 0, 0);
    return off;
  };
  const poolImage = (side, map, muted) => {
    const key = `${side}|${muted}|${data.version}|${globalThis.devicePixelRatio || 1}`;
    if (pool.key !== key && globalThis.document?.createElement) {
      const image = document.createElement("canvas");
      drawPool(sizeCanvas(image, side, side), data.points, data.inPool, map, muted);
      Object.assign(pool, { image, key });
    }
    return pool.key === key ? pool.image : null;
  };
  const drawPanels = () => {
    const panels = model.get("panels");
    const st = model.get("status");
    const muted = themeColor(root, "--jp-ui-font-color3", "#aaa");
    const ink = themeColor(root, "--jp-ui-font-color0", "#111");
    const paper = themeColor(root, "--jp-layout-color1", "#fff");
    const thick = model.get("projector");
    const map = planeToPixels(model.get("extent"), size(), size());
    const faint = poolImage(size(), map, muted);
    grid.replaceChildren(...panels.map((p) => panelView(p.name).node));
    panels.forEach((p, k) => {
      const v = panelView(p.name);
      v.title.textContent = `${p.title}${p.name === "you" ? " (click a point)" : ""}`;
      v.title.style.borderColor = STRATEGY_COLOURS[k % STRATEGY_COLOURS.length];
      v.score.textContent = `${p.n_labels} / ${p.budget} labels \xB7 ${accuracyText(p.accuracy)}`;
      const picks = model.get("overlay") && k === 0 ? panels.map((q, j) => ({ rows: q.picks, colour: STRATEGY_COLOURS[j % STRATEGY_COLOURS.length], numbered: j === 0 })) : [{ rows: p.picks, colour: null, numbered: true }];
      if (st.pending && st.pending.panel === p.name) picks.push({ rows: [st.pending.row], colour: "#e53935", numbered: false });
      if (v.side !== size() || v.dpr !== (globalThis.devicePixelRatio || 1)) {
        v.ctx = sizeCanvas(v.canvas, size(), size());
        v.side = size();
        v.dpr = globalThis.devicePixelRatio || 1;
      }
      const ctx = v.ctx;
      drawPanel(ctx, {
        width: size(),
        height: size(),
        map,
        points: data.points,
        inPool: data.inPool,
        labeled: decodeRows(p.labeled),
        labels: decodeLabels(p.labels),
        picks,
        shadeImage: shadeImage(p, model.get("grid_side"), model.get("classes").length),
        poolImage: faint,
        muted,
        ink,
        paper,
        thick
      });
      v.node.dataset.name = p.name;
      v.node.dataset.picks = p.picks.join(",");
      v.node.dataset.labels = String(p.n_labels);
    });
    root.dataset.panels = panels.map((p) => p.name).join(",");
  };
  const drawStatus = () => {
    const st = model.get("status");
    status.textContent = statusLine(st, model.get("panels"));
    root.dataset.steps = String(st.steps);
    root.dataset.playing = String(st.playing);
    controls.draw(st, model.get("settings"), model.get("seeds_status"));
    answers.replaceChildren();
    if (st.pending) {
      model.get("classes").forEach((c, i) => {
        const b = el("button", "hitl-se-class", `${i + 1} ${c}`);
        b.style.borderColor = PALETTE[i % PALETTE.length];
        b.addEventListener("click", () => {
          act({ type: "answer", cls: i });
          root.focus({ preventScroll: true });
        });
        answers.append(b);
      });
    }
    help.textContent = helpText(st.oracle);
  };
  const redraw = redrawScheduler((parts) => {
    const t0 = performance.now();
    if (parts.has("data")) {
      data.points = decodePoints(model.get("points"));
      data.inPool = decodeLabels(model.get("in_pool"));
      data.version += 1;
    }
    root.classList.toggle("hitl-se-projector", model.get("projector"));
    if (parts.has("data") || parts.has("panels")) drawPanels();
    if (parts.has("status") || parts.has("panels")) drawStatus();
    if (parts.has("curves")) {
      const seeds = model.get("seeds_status");
      chart.draw(model.get("curve_lines"), model.get("panels"), root, model.get("projector"), model.get("seed_bands"), seeds.summary);
    }
    if (parts.has("error")) {
      error.textContent = model.get("error");
      root.dataset.ack = String(model.get("_ack"));
    }
    root.dataset.drawMs = (performance.now() - t0).toFixed(2);
  });
  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    const action = explorerAction(ev, model.get("status").pending ? model.get("classes").length : 0);
    if (!action) return;
    ev.preventDefault();
    ev.stopPropagation();
    if (action.type === "toggle_utility" || action.type === "toggle_overlay") {
      const trait = action.type === "toggle_utility" ? "show_utility" : "overlay";
      settingSender(model, send)(trait, !model.get(trait));
    } else controls.run(action);
  };
  root.addEventListener("keydown", onKey);
  const traits = {
    data: ["points", "in_pool", "extent", "classes"],
    panels: ["panels", "show_utility", "overlay", "projector"],
    status: ["status", "settings", "seeds_status", "state_string", "shareable"],
    curves: ["curve_lines", "projector", "seed_bands", "seeds_status"],
    error: ["error", "_ack"]
  };
  const handlers = [];
  for (const [part, names] of Object.entries(traits)) {
    for (const name of names) {
      const h = () => redraw(part);
      model.on(`change:${name}`, h);
      handlers.push([name, h]);
    }
  }
  const stopTheme = onThemeChange(() => redraw("panels", "curves"), root);
  redraw("data", "panels", "status", "curves", "error");
  return () => {
    for (const [name, h] of handlers) model.off(`change:${name}`, h);
    root.removeEventListener("keydown", onKey);
    stopTheme();
    controls.remove();
  };
}
var widget_default = { render };
export {
  widget_default as default
};

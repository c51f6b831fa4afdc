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
function labelerAction(ev, mode = "single", classes = void 0) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (/^[0-9]$/.test(k)) return digitAction(k, classes);
  if (k === "Backspace") return { type: "undo" };
  if (k === "Escape") return { type: "escape" };
  if (mode === "batch") {
    if (k === "Enter") return { type: "submit" };
    if (k === "ArrowLeft") return { type: "move", by: -1 };
    if (k === "ArrowRight") return { type: "move", by: 1 };
    if (k === "ArrowUp") return { type: "move", by: "up" };
    if (k === "ArrowDown") return { type: "move", by: "down" };
    return null;
  }
  if (k === "Enter" || k === " ") return { type: "skip" };
  if (k === "ArrowLeft") return { type: "back" };
  if (k === "ArrowRight") return { type: "forward" };
  return null;
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

// js/src/image_labeler/state.js
function pageState() {
  return { optimistic: null, answered: /* @__PURE__ */ new Map(), cursor: null, assign: /* @__PURE__ */ new Map(), sel: 0 };
}
function settle(page, ack) {
  if (page.optimistic && page.optimistic.seq <= ack) page.optimistic = null;
  for (const [key, a] of page.answered) if (a.seq <= ack) page.answered.delete(key);
}
function browseTrail(trail, page) {
  const known = new Set((trail || []).map((t) => t.key));
  const mine = [...page.answered].filter(([key]) => !known.has(key)).map(([key, a]) => ({ key, id: a.id, label: a.label }));
  return mine.length ? (trail || []).concat(mine) : trail || [];
}
function ranked(item, queue, page) {
  const all = (item && item.key !== void 0 ? [item] : []).concat(queue || []);
  return all.filter((e) => !page.answered.has(e.key));
}
function shownKey(item, queue, trail, page) {
  if (page.cursor !== null && trail[page.cursor]) return trail[page.cursor].key;
  if (page.optimistic) return page.optimistic.key;
  const r = ranked(item, queue, page);
  return r.length ? r[0].key : null;
}
function entryFor(key, item, queue, trail) {
  if (key === null || key === void 0) return null;
  for (const e of [item, ...queue || []]) if (e && e.key === key) return e;
  for (const e of trail || []) if (e.key === key) return { key: e.key, id: e.id, probs: [] };
  return null;
}
function nextAfter(key, item, queue, page) {
  const r = ranked(item, queue, page).filter((e) => e.key !== key);
  return r.length ? r[0].key : null;
}
function batchTiles(item, queue, page, k) {
  return ranked(item, queue, page).slice(0, k);
}
function moveSelection(sel, by, n, cols) {
  if (n === 0) return 0;
  const step = by === "up" ? -cols : by === "down" ? cols : by;
  return Math.min(n - 1, Math.max(0, sel + step));
}
function progressText(progress) {
  if (!progress || progress.pool === void 0) return "";
  const fmt = (n) => n.toLocaleString("en-US");
  const team = progress.annotator !== void 0;
  const parts = [`${fmt(progress.labeled)} / ${fmt(progress.pool)} ${team ? "items labeled by the team" : "labeled"}`];
  if (team) parts.push(`${fmt(progress.mine)} by you (${progress.annotator})`);
  if (progress.waiting_second) parts.push(`${fmt(progress.waiting_second)} waiting for a second opinion`);
  if (progress.beyond_overlap) parts.push(`${fmt(progress.beyond_overlap)} answered after the lease was lost`);
  if (progress.shared_item) parts.push("this item goes to two annotators");
  if (progress.skipped) parts.push(`${fmt(progress.skipped)} skipped`);
  if (progress.learning) parts.push("learning\u2026");
  return parts.join(" \xB7 ");
}

// js/src/image_labeler/batch.js
var GRID_TILE = 96;
function batchGridView(ctx) {
  const { model, page, stage } = ctx;
  const node = el("div", "hitl-il-grid");
  const tiles = () => batchTiles(ctx.item(), ctx.queue(), page, model.get("batch_size"));
  const chip = (t) => {
    const a = page.assign.get(t.key);
    if (a !== void 0) return el("div", "hitl-il-chip hitl-il-assigned", ctx.classes()[a]);
    const guess = probabilityBars(ctx.classes(), t.probs).find((b) => b.top);
    return el("div", "hitl-il-chip", guess ? `${guess.name}? ${Math.round(guess.p * 100)}%` : "");
  };
  return {
    node,
    /** The key of the selected tile (undefined when the grid is empty). */
    selectedKey() {
      const all = tiles();
      return all[Math.min(page.sel, all.length - 1)]?.key;
    },
    draw() {
      const k = model.get("batch_size");
      const all = tiles();
      page.sel = Math.min(page.sel, Math.max(0, all.length - 1));
      ctx.want(all.map((t) => t.key));
      node.style.gridTemplateColumns = `repeat(${Math.ceil(Math.sqrt(k))}, ${GRID_TILE}px)`;
      node.replaceChildren(...all.map((t, i) => {
        const tile = el("div", "hitl-il-tile" + (i === page.sel ? " hitl-il-selected" : ""));
        tile.dataset.key = String(t.key);
        tile.append(stage.tile(t.key, t.id, GRID_TILE), chip(t));
        tile.addEventListener("click", () => {
          page.sel = i;
          ctx.refocus();
          ctx.redraw();
        });
        return tile;
      }));
      ctx.submit.textContent = `Submit ${page.assign.size} (\u23CE)`;
      ctx.submit.disabled = page.assign.size === 0;
      node.dataset.tiles = String(all.length);
    },
    /** A key's action on the grid; false when it means nothing here. */
    act(action) {
      const all = tiles();
      const cols = Math.ceil(Math.sqrt(model.get("batch_size")));
      const sel = all[page.sel];
      if (action.type === "label") {
        if (action.cls === null || action.cls >= ctx.classes().length) {
          ctx.say(noClassText(action, ctx.classes()));
          return true;
        }
        if (!sel) return true;
        page.assign.set(sel.key, action.cls);
        page.sel = moveSelection(page.sel, 1, all.length, cols);
      } else if (action.type === "move") {
        page.sel = moveSelection(page.sel, action.by, all.length, cols);
      } else if (action.type === "submit") {
        if (!page.assign.size) return true;
        const labels = [...page.assign.entries()];
        const seq = ctx.send({ type: "submit", labels });
        for (const [key, cls] of labels) {
          page.answered.set(key, { seq, label: cls, id: entryFor(key, ctx.item(), ctx.queue(), [])?.id ?? String(key) });
        }
        const names = labels.map(([key, cls]) => `${entryFor(key, ctx.item(), ctx.queue(), [])?.id ?? key} \u2192 ${ctx.classes()[cls]}`);
        ctx.confirm(`${labels.length} labeled: ${names.slice(0, 3).join(", ")}${labels.length > 3 ? ", \u2026" : ""}`);
        page.assign.clear();
        page.sel = 0;
      } else if (action.type === "undo") {
        if (sel && page.assign.has(sel.key)) page.assign.delete(sel.key);
        else {
          ctx.send({ type: "undo" });
          page.answered.clear();
          ctx.unconfirm();
        }
      } else if (action.type === "escape") {
        page.assign.clear();
      } else return false;
      ctx.redraw();
      return true;
    }
  };
}

// js/src/image_labeler/single.js
function singleItemView(ctx) {
  const { model, page, stage, root } = ctx;
  const caption = stage.caption;
  const timing = { keyAt: null, shows: 0 };
  const trail = () => browseTrail(model.get("trail"), page);
  const shown = () => shownKey(ctx.item(), ctx.queue(), trail(), page);
  const drawCaption = (key) => {
    if (page.cursor !== null) {
      const t = trail()[page.cursor];
      const lab = t.label >= 0 ? `labeled \u201C${ctx.classes()[t.label]}\u201D` : "skipped";
      caption.textContent = `${t.id} \xB7 answered ${page.cursor + 1} of ${trail().length}: ${lab} \xB7 a key relabels \xB7 Esc returns`;
      caption.classList.add("hitl-il-browsing");
    } else {
      const e = entryFor(key, ctx.item(), ctx.queue(), trail());
      caption.textContent = e ? `item ${e.id}` : "";
      caption.classList.remove("hitl-il-browsing");
    }
  };
  const timeShow = (key) => {
    if (!timing.keyAt || String(key) !== timing.keyAt.key) return;
    const t0 = timing.keyAt.t0;
    timing.keyAt = null;
    requestAnimationFrame(() => {
      const ms = performance.now() - t0;
      (globalThis.__hitl_show_ms ?? (globalThis.__hitl_show_ms = [])).push(ms);
      root.dataset.showMs = ms.toFixed(1);
      root.dataset.shows = String(++timing.shows);
    });
  };
  const answer = (action, key, t0) => {
    const id = entryFor(key, ctx.item(), ctx.queue(), trail())?.id ?? String(key);
    const name = action.type === "label" ? ctx.classes()[action.cls] : null;
    if (page.cursor !== null) {
      if (action.type === "label") {
        ctx.send({ type: "label", key, cls: action.cls, next: null });
        ctx.confirm(`item ${id} \u2192 ${name} (changed)`);
      }
      page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
      return;
    }
    const next = nextAfter(key, ctx.item(), ctx.queue(), page);
    const seq = ctx.send(action.type === "label" ? { type: "label", key, cls: action.cls, next } : { type: "skip", key, next });
    ctx.confirm(name === null ? `item ${id} skipped` : `item ${id} \u2192 ${name}`);
    page.answered.set(key, { seq, label: action.type === "label" ? action.cls : -1, id });
    page.optimistic = next === null ? null : { key: next, seq };
    timing.keyAt = next === null ? null : { key: String(next), t0 };
  };
  return {
    /** The key on screen: a browsed answer, the page's optimistic pick or the kernel's current item. */
    shownKey: shown,
    /** The label the browsed answer has (undefined when not browsing). */
    browsedLabel() {
      return page.cursor !== null ? trail()[page.cursor]?.label : void 0;
    },
    draw() {
      const key = shown();
      ctx.want((key === null ? [] : [key]).concat(ctx.queue().map((e) => e.key)));
      root.dataset.key = key === null ? "" : String(key);
      const p = model.get("progress");
      stage.show(key, p.labeled >= p.pool);
      drawCaption(key);
      timeShow(key);
      return key;
    },
    /** A key's action on the shown item; false when it means nothing here. */
    act(action) {
      const t0 = performance.now();
      const key = shown();
      if (action.type === "label" || action.type === "skip") {
        if (action.type === "label" && (action.cls === null || action.cls >= ctx.classes().length)) {
          ctx.say(`${noClassText(action, ctx.classes())} Type a new label below.`);
          return true;
        }
        if (key === null) return true;
        answer(action, key, t0);
      } else if (action.type === "undo") {
        page.cursor = null;
        const last = trail()[trail().length - 1];
        const seq = ctx.send({ type: "undo" });
        if (last) page.optimistic = { key: last.key, seq };
        page.answered.clear();
        ctx.unconfirm();
      } else if (action.type === "back") {
        const n = trail().length;
        if (!n) return true;
        page.cursor = page.cursor === null ? n - 1 : Math.max(0, page.cursor - 1);
        ctx.want([trail()[page.cursor].key]);
      } else if (action.type === "forward") {
        if (page.cursor !== null) page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
      } else if (action.type === "escape") {
        page.cursor = null;
      } else return false;
      ctx.redraw();
      return true;
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
function itemExcerpt(view, max = 90) {
  const s = view.kind === "table" ? view.rows.map(([k, v]) => `${k}: ${v}`).join(" \xB7 ") : view.text ?? "";
  return s.length > max ? `${s.slice(0, max - 1)}\u2026` : s;
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

// js/src/image_labeler/stage.js
function itemStage({ kind, size, onArrived }) {
  const node = el("div", "hitl-il-stage");
  const image = el("img", "hitl-il-image");
  image.alt = "";
  const body = el("div", "hitl-il-body");
  const placeholder = el("div", "hitl-il-placeholder", "");
  const caption = el("div", "hitl-il-caption");
  node.append(image, body, placeholder, caption);
  const images = imageCache();
  const views = /* @__PURE__ */ new Map();
  const has = (key) => kind() === "inline" ? views.has(key) : images.has(key);
  const remember = (entries) => {
    for (const e of entries) if (e && e.view && e.key !== void 0) views.set(e.key, e.view);
  };
  const receive = (msg, buffers) => {
    if (!msg) return false;
    if (msg.type === "images") {
      for (const entry of images.receive(msg, buffers)) entry.ready.then(onArrived);
    } else if (msg.type === "views") {
      msg.keys.forEach((key, i) => views.set(key, msg.views[i]));
      onArrived();
    } else return false;
    return true;
  };
  const showPlaceholder = (text) => {
    image.style.display = "none";
    body.style.display = "none";
    placeholder.style.display = "";
    placeholder.textContent = text;
  };
  const show = (key, done) => {
    const inline = kind() === "inline";
    node.classList.toggle("hitl-il-inline", inline);
    node.style.width = inline ? "" : `${size()}px`;
    node.style.height = inline ? "" : `${size()}px`;
    node.dataset.key = key === null ? "" : String(key);
    if (key === null) return showPlaceholder(done ? "Every item is labeled." : "ranking\u2026");
    if (inline) {
      const view = views.get(key);
      if (!view) return showPlaceholder("loading\u2026");
      if (body.dataset.key !== String(key)) {
        body.replaceChildren(...itemBody(view, "hitl-il"));
        body.dataset.key = String(key);
      }
      image.style.display = "none";
      placeholder.style.display = "none";
      body.style.display = "";
      return;
    }
    const cached = images.get(key);
    if (!cached) return showPlaceholder("loading\u2026");
    if (image.dataset.key !== String(key)) {
      image.src = cached.url;
      image.dataset.key = String(key);
    }
    image.style.display = "";
    body.style.display = "none";
    placeholder.style.display = "none";
    const { naturalWidth: w, naturalHeight: h } = cached.img;
    image.classList.toggle("hitl-il-pixelated", w && h ? size() / Math.max(w, h) >= 2 : false);
  };
  const tile = (key, id, px) => {
    if (kind() === "inline") {
      const view = views.get(key);
      return el("div", "hitl-il-tiletext", view ? itemExcerpt(view) : "\u2026");
    }
    const cached = images.get(key);
    if (!cached) return el("div", "hitl-il-placeholder", "\u2026");
    const im = el("img", "hitl-il-tileimg");
    im.src = cached.url;
    im.alt = String(id);
    if (cached.img.naturalWidth && px / cached.img.naturalWidth >= 2) im.classList.add("hitl-il-pixelated");
    return im;
  };
  return { node, caption, has, remember, receive, show, tile, cached: () => images.size() + views.size, clear: () => images.clear() };
}

// js/src/common/curve.js
function curvePixels(points, w, h, pad = { left: 26, right: 6, top: 6, bottom: 14 }) {
  if (!points.length) return [];
  const xmax = Math.max(1, points[points.length - 1][0]);
  const iw = w - pad.left - pad.right, ih = h - pad.top - pad.bottom;
  return points.map(([x, y]) => [pad.left + x / xmax * iw, pad.top + (1 - y) * ih]);
}
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
function drawLearningCurve(ctx, points, w, h, color, muted) {
  const pad = { left: 26, right: 6, top: 6, bottom: 14 };
  if (!points.length) {
    drawPercentAxes(ctx, w, h, pad, muted);
    return 0;
  }
  drawPercentAxes(ctx, w, h, pad, muted, "labels", String(points[points.length - 1][0]));
  const px = curvePixels(points, w, h, pad);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  px.forEach(([x, y], i) => i ? ctx.lineTo(x, y) : ctx.moveTo(x, y));
  ctx.stroke();
  return px.length;
}

// js/src/image_labeler/views.js
var CURVE = { w: 240, h: 86 };
var GRID_SIZES = [1, 4, 8, 12, 16];
function progressView() {
  const node = el("div", "hitl-il-progress");
  const text = el("span", "hitl-il-progress-text");
  const bar = el("div", "hitl-il-bar");
  const fill = el("div", "hitl-il-fill");
  bar.append(fill);
  node.append(text, bar);
  return {
    node,
    draw(p) {
      text.textContent = progressText(p);
      fill.style.width = p.pool ? `${100 * p.labeled / p.pool}%` : "0";
    }
  };
}
function classBarView(onClass) {
  const node = el("div", "hitl-il-classes");
  return {
    node,
    draw(classes, active, key) {
      node.replaceChildren(...classes.map((name, i) => {
        const b = el("button", "hitl-il-class");
        if (active === i) b.classList.add("hitl-active");
        const hint = keyHint(i, classes);
        if (hint) b.append(el("kbd", "hitl-il-key", hint), " ");
        b.append(name);
        b.title = hint ? `key ${hint}: label \u201C${name}\u201D` : `label \u201C${name}\u201D`;
        b.addEventListener("click", () => onClass(i));
        return b;
      }));
      if (!classes.length) node.append(el("span", "hitl-il-hint", "Type a label name below to start."));
      node.dataset.key = String(key);
    }
  };
}
function predictionView() {
  const node = el("div", "hitl-il-prediction");
  return {
    node,
    draw(classes, probs, browsing) {
      const bars = probabilityBars(classes, probs);
      node.replaceChildren();
      if (!bars.length) {
        node.append(el("div", "hitl-il-hint", browsing ? "" : "The model predicts once it has labels."));
        node.dataset.top = "";
        return;
      }
      const best = bars.find((b) => b.top);
      node.append(el("div", "hitl-il-predtitle", `model: ${best.name} (${Math.round(best.p * 100)}%)`));
      node.append(...probabilityRows(bars, "hitl-il"));
      node.dataset.top = best.name;
    }
  };
}
function curveView() {
  const node = el("div", "hitl-il-curvebox");
  const title = el("div", "hitl-il-curvetitle");
  const canvas = el("canvas", "hitl-il-curve");
  node.append(title, canvas);
  const ctx = sizeCanvas(canvas, CURVE.w, CURVE.h);
  return {
    node,
    draw(points, kind, themed) {
      const last = points.length ? points[points.length - 1] : null;
      title.textContent = last ? `${kind} accuracy ${Math.round(last[1] * 100)}% at ${last[0]} labels` : `${kind} accuracy: after the first predictions`;
      const n = drawLearningCurve(
        ctx,
        points,
        CURVE.w,
        CURVE.h,
        themeColor(themed, "--jp-brand-color1", "#1976d2"),
        themeColor(themed, "--jp-ui-font-color2", "#888")
      );
      canvas.dataset.points = String(n);
    }
  };
}
function controlsView(onStrategy, onBatch) {
  const strategy = el("select", "hitl-il-strategy");
  strategy.title = "how the next items are chosen";
  const batch = el("select", "hitl-il-batch");
  batch.title = "one item at a time, or a grid labeled together";
  for (const k of GRID_SIZES) batch.append(Object.assign(el("option", "", k === 1 ? "one by one" : `grid of ${k}`), { value: String(k) }));
  strategy.addEventListener("change", () => onStrategy(strategy.value));
  batch.addEventListener("change", () => onBatch(Number(batch.value)));
  const option = (value, text) => Object.assign(el("option", "", text), { value });
  return {
    nodes: [el("span", "hitl-il-label", "strategy"), strategy, batch],
    draw(names, current, batchSize) {
      const options = [...strategy.children];
      if (options.length !== names.length || options.some((o, i) => o.value !== names[i])) {
        strategy.replaceChildren(...names.map((n) => option(n, n.replace("_", " "))));
      }
      if (!names.includes(current)) strategy.append(option(current, current));
      strategy.value = current;
      batch.value = String(batchSize);
      if (batch.value !== String(batchSize)) {
        batch.append(option(String(batchSize), `grid of ${batchSize}`));
        batch.value = String(batchSize);
      }
    }
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

// js/src/image_labeler/widget.js
function render({ model, el: host }) {
  const root = keyboardRoot("hitl-il");
  const top = el("div", "hitl-il-top");
  const progress = progressView();
  const refocus = () => root.focus({ preventScroll: true });
  const send = sequencedSender(model);
  const set = settingSender(model, send);
  const controls = controlsView(
    (name) => {
      set("strategy", name);
      refocus();
    },
    (k) => {
      page.assign.clear();
      page.sel = 0;
      set("batch_size", k);
      refocus();
    }
  );
  const buttons = {
    back: el("button", "hitl-il-btn", "\u2190 Back"),
    skip: el("button", "hitl-il-btn", "Skip (\u23CE)"),
    undo: el("button", "hitl-il-btn", "Undo (\u232B)"),
    submit: el("button", "hitl-il-btn hitl-il-submit", "Submit (\u23CE)")
  };
  top.append(progress.node, ...controls.nodes);
  const actions = el("div", "hitl-il-actions");
  actions.append(...Object.values(buttons));
  const main = el("div", "hitl-il-main");
  const stage = itemStage({
    kind: () => model.get("item_kind") || "image",
    size: () => model.get("display_size"),
    onArrived: () => redraw()
  });
  const side = el("div", "hitl-il-side");
  const classBar = classBarView((i) => {
    act({ type: "label", cls: i });
    refocus();
  });
  const newClass = el("input", "hitl-il-new");
  newClass.placeholder = "new label, then Enter";
  newClass.setAttribute("aria-label", "new label");
  const prediction = predictionView();
  const confirm = confirmView();
  const curve = curveView();
  const help = el("div", "hitl-il-help");
  const error = el("div", "hitl-il-error");
  const page = pageState();
  const wanted = /* @__PURE__ */ new Set();
  const ctx = {
    model,
    page,
    stage,
    root,
    send,
    refocus,
    classes: () => model.get("classes"),
    item: () => model.get("item"),
    queue: () => model.get("queue"),
    redraw: () => redraw(),
    say: (text) => {
      error.textContent = text;
    },
    confirm: (text) => confirm.say(text),
    unconfirm: () => confirm.withdraw(),
    submit: buttons.submit,
    want(keys) {
      stage.remember([ctx.item(), ...ctx.queue()]);
      const missing = keys.filter((k) => k !== null && k !== void 0 && !stage.has(k) && !wanted.has(k));
      if (!missing.length) return;
      for (const k of missing) wanted.add(k);
      send({ type: "want", keys: missing });
    }
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
    help.textContent = batch ? `click a tile or use arrows \xB7 ${keys} label it \xB7 \u23CE submit the grid \xB7 \u232B clear a tile, else undo` : `${keys} label \xB7 \u23CE/Space skip \xB7 \u232B undo \xB7 \u2190 \u2192 step through answered items \xB7 Esc back to the queue`;
  };
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
    ev.stopPropagation();
    if (ev.key === "Enter" && newClass.value.trim()) {
      send({ type: "add_class", name: newClass.value.trim() });
      newClass.value = "";
      root.focus({ preventScroll: true });
    } else if (ev.key === "Escape") root.focus({ preventScroll: true });
  };
  const onItems = (msg, buffers) => {
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
    [root, "pointerdown", (ev) => {
      if (!["INPUT", "SELECT"].includes(ev.target.tagName)) root.focus({ preventScroll: true });
    }]
  ];
  for (const [node, type, fn] of handlers) node.addEventListener(type, fn);
  const schedule = redrawScheduler(() => redraw());
  const traits = ["item", "queue", "trail", "classes", "progress", "curve", "strategy", "strategies", "batch_size", "error", "_ack", "display_size", "item_kind"];
  const listeners = traits.map((name) => [`change:${name}`, name === "curve" ? () => {
    drawCurve();
  } : schedule]);
  listeners.push(["msg:custom", onItems]);
  for (const [e, fn] of listeners) model.on(e, fn);
  redraw();
  drawCurve();
  const stopThemeWatch = onThemeChange(drawCurve, root);
  return () => {
    stopThemeWatch();
    for (const [node, type, fn] of handlers) node.removeEventListener(type, fn);
    for (const [e, fn] of listeners) model.off(e, fn);
    stage.clear();
    confirm.clear();
  };
}
var widget_default = { render };
export {
  widget_default as default
};

// The few DOM helpers both widgets use.

/** An element with a class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A JupyterLab theme variable's value at `node`, or `fallback` outside JupyterLab. */
export function themeColor(node, name, fallback) {
  const v = globalThis.getComputedStyle?.(node)?.getPropertyValue(name)?.trim();
  return v || fallback;
}

/** The focusable root of a widget whose keys JupyterLab must leave alone. */
export function keyboardRoot(cls) {
  const root = el("div", cls);
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: our keys are not notebook commands
  return root;
}

/** Probability bars: [{name, p, top}] in class order; top marks the most probable class. */
export function probabilityBars(classes, probs) {
  if (!probs || !probs.length) return [];
  let best = 0;
  probs.forEach((p, i) => { if (p > probs[best]) best = i; });
  return classes.map((name, i) => ({ name, p: probs[i] ?? 0, top: i === best }));
}

/** Rows of class-probability bars ({name, p, top}), class names under `prefix` (hitl-il, hitl-sl). */
export function probabilityRows(bars, prefix) {
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

/**
 * Coalesce redraws: `mark(...parts)` collects what changed, and `draw(parts)` runs once in a
 * microtask, after every trait update of one kernel message has arrived.
 */
export function redrawScheduler(draw) {
  const dirty = new Set();
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

/** Size a canvas in CSS pixels with a backing store that follows devicePixelRatio; returns its 2-D context. */
export function sizeCanvas(canvas, width, height) {
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/**
 * Call `redraw` when the colours read from JupyterLab's CSS variables change: when JupyterLab switches
 * theme, and once `node` is in the page. A view is rendered before JupyterLab attaches it, and a node
 * outside the document has no theme variables: what it drew then used the light fallbacks (black rings
 * on a dark theme). Returns a stop function.
 */
export function onThemeChange(redraw, node = null) {
  let frame = null, tries = 0;
  const whenAttached = () => {
    frame = null;
    if (node.isConnected) redraw();
    else if (++tries < 600) frame = requestAnimationFrame(whenAttached); // gives up after ~10 s of frames
  };
  if (node && node.isConnected === false && globalThis.requestAnimationFrame) frame = requestAnimationFrame(whenAttached);
  const stopFrames = () => { if (frame !== null) globalThis.cancelAnimationFrame?.(frame); };
  if (!globalThis.MutationObserver || !globalThis.document?.body) return stopFrames;
  const watch = new MutationObserver(() => redraw());
  watch.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-name"] });
  return () => { watch.disconnect(); stopFrames(); };
}

// StrategyExplorer front end (anywidget): one panel per strategy, numbered next picks, shared learning curves.
import { sequencedSender, settingSender, typingInside } from "../common/actions.js";
import { decodeArray, decodeLabels, decodePoints } from "../common/codec.js";
import { el, keyboardRoot, onThemeChange, redrawScheduler, sizeCanvas, themeColor } from "../common/dom.js";
import { PALETTE } from "../common/draw.js";
import { STRATEGY_COLOURS, clickOnPlane, drawPanel, drawPool, gridPixels, nearestOpenPoint, planeToPixels } from "./draw.js";
import { controlsView, curveChartView } from "./controls.js";
import { accuracyText, explorerAction, helpText, statusLine } from "./view.js";

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
  const pool = { image: null, key: "" }; // the faint pool points at a panel's size, drawn once for every panel
  const views = new Map(); // panel name -> {node, canvas, title, score}
  const size = () => (model.get("projector") ? 340 : 250);

  const panelView = (name) => {
    if (views.has(name)) return views.get(name);
    const node = el("div", "hitl-se-panel");
    const title = el("div", "hitl-se-title");
    const score = el("div", "hitl-se-score");
    const canvas = el("canvas", "hitl-se-canvas");
    const tip = el("canvas", "hitl-se-tip");
    node.append(title, canvas, score, tip);
    canvas.addEventListener("mousemove", (ev) => showImage(canvas, tip, ev));
    canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
    canvas.addEventListener("click", (ev) => {
      if (name !== "you") return;
      const rect = canvas.getBoundingClientRect();
      // the kernel finds the point and says so when there is none near the click
      act({ type: "choose_at", ...clickOnPlane(model.get("extent"), size(), ev.clientX - rect.left, ev.clientY - rect.top) });
      root.focus({ preventScroll: true });
    });
    const view = { node, canvas, title, score };
    views.set(name, view);
    return view;
  };

  // the image of the point under the pointer, when the pool is images (a grey thumbnail, 4x, pixelated)
  const showImage = (canvas, tip, ev) => {
    const images = decodeArray(model.get("images"), "uint8");
    if (images.shape.length !== 3) return; // no images: (N, H, W) grey thumbnails when the pool is images
    const [, h, w] = images.shape;
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    const row = nearestOpenPoint(data.points, data.inPool, new Set(), planeToPixels(model.get("extent"), size(), size()), x, y, 8);
    if (row < 0) { tip.style.display = "none"; return; }
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
    if ((!shade && !utility) || !globalThis.ImageData || !globalThis.document?.createElement) return null;
    const off = document.createElement("canvas");
    off.width = side; off.height = side;
    off.getContext("2d").putImageData(new ImageData(gridPixels(side, shade, utility, nClasses), side, side), 0, 0);
    return off;
  };

  // the pool's points drawn once (every panel, every step copies them): a step at 20,000 points redraws picks,
  // labels and shading, not 80,000 squares
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
    const paper = themeColor(root, "--jp-layout-color1", "#fff"); // the panel's background: a halo under rings and numbers
    const thick = model.get("projector");
    const map = planeToPixels(model.get("extent"), size(), size());
    const faint = poolImage(size(), map, muted);
    grid.replaceChildren(...panels.map((p) => panelView(p.name).node));
    panels.forEach((p, k) => {
      const v = panelView(p.name);
      v.title.textContent = `${p.title}${p.name === "you" ? " (click a point)" : ""}`;
      v.title.style.borderColor = STRATEGY_COLOURS[k % STRATEGY_COLOURS.length];
      v.score.textContent = `${p.n_labels} / ${p.budget} labels · ${accuracyText(p.accuracy)}`;
      const picks = model.get("overlay") && k === 0
        ? panels.map((q, j) => ({ rows: q.picks, colour: STRATEGY_COLOURS[j % STRATEGY_COLOURS.length], numbered: j === 0 }))
        : [{ rows: p.picks, colour: null, numbered: true }];
      if (st.pending && st.pending.panel === p.name) picks.push({ rows: [st.pending.row], colour: "#e53935", numbered: false });
      if (v.side !== size() || v.dpr !== (globalThis.devicePixelRatio || 1)) { // a new backing store only on resize
        v.ctx = sizeCanvas(v.canvas, size(), size());
        v.side = size();
        v.dpr = globalThis.devicePixelRatio || 1;
      }
      const ctx = v.ctx;
      drawPanel(ctx, {
        width: size(), height: size(), map, points: data.points, inPool: data.inPool,
        labeled: decodeRows(p.labeled), labels: decodeLabels(p.labels), picks,
        shadeImage: shadeImage(p, model.get("grid_side"), model.get("classes").length), poolImage: faint, muted, ink, paper, thick,
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
        b.addEventListener("click", () => { act({ type: "answer", cls: i }); root.focus({ preventScroll: true }); });
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
    root.dataset.drawMs = (performance.now() - t0).toFixed(2); // the page's work in this frame (benchmarks read it)
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
    error: ["error", "_ack"],
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

export default { render };

// The explorer's controls (step, play, reset with settings, toggles, a link to this run) and its curve chart.
import { settingSender } from "../common/actions.js";
import { el, sizeCanvas, themeColor } from "../common/dom.js";
import { STRATEGY_COLOURS, accuracyRange } from "./draw.js";
import { confirmedPress, shareUrl } from "./view.js";

const SETTINGS = [
  ["batch_size", "batch", 1, 50],
  ["warm_start", "warm start", 2, 200],
  ["budget", "budget", 2, 2000],
  ["seed", "seed", 0, 1_000_000],
];
const LEARNERS = ["logistic", "knn", "mlp", "gmm"];

/** Buttons and fields; `run(action)` does what a key or a button asks. */
export function controlsView(model, act) {
  const node = el("div", "hitl-se-controls");
  const button = (text, onClick) => {
    const b = el("button", "hitl-se-btn", text);
    b.addEventListener("click", onClick);
    return b;
  };
  const fields = {};
  const speed = el("select", "hitl-se-speed");
  const learner = el("select", "hitl-se-learner");
  for (const name of LEARNERS) { const o = el("option", "", name); o.value = name; learner.append(o); }
  const settingsNode = el("span", "hitl-se-settings");
  const edited = new Set(); // fields a person changed since the last reset: pushes do not overwrite them
  learner.addEventListener("change", () => edited.add("learner"));
  speed.addEventListener("change", () => act({ type: "speed", speed: Number(speed.value) }));
  for (const [key, label, min, max] of SETTINGS) {
    const input = el("input", "hitl-se-number");
    input.type = "number"; input.min = String(min); input.max = String(max);
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
  // a run with steps or a person's picks is reset by a second press within 3 s; the button says which
  const resetConfirm = confirmedPress((armed) => { buttons.reset.textContent = armed ? "Reset? Press r again" : "Reset (r)"; });
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
    else if (action.type === "toggle_play") act(st.playing ? { type: "pause" } : { type: "play", speed: Number(speed.value) || undefined });
    else if (action.type === "reset") resetNow();
    else if (action.type === "answer") act({ type: "answer", cls: action.cls });
  };
  const buttons = {
    step: button("Step (Space)", () => run({ type: "step" })),
    play: button("Play (p)", () => run({ type: "toggle_play" })),
    reset: button("Reset (r)", () => run({ type: "reset" })),
    seeds: button("10 seeds", () => act({ type: "run_seeds", seeds: 10 })),
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
  node.append(buttons.step, buttons.play, speed, buttons.reset, settingsNode, ...Object.values(toggles).map((t) => t.wrap),
    buttons.seeds, link);

  const draw = (status, settings, seeds = {}) => {
    buttons.seeds.disabled = Boolean(seeds.running);
    buttons.seeds.textContent = seeds.running ? `seeds: ${seeds.done} of ${seeds.total} runs` : "10 seeds";
    buttons.play.textContent = status.playing ? "Pause (p)" : "Play (p)";
    // Play steps the strategies only; Step stays on while "you" has labels left (it then says so)
    buttons.play.disabled = Boolean(status.finished || status.strategies_done) || status.oracle === "human";
    buttons.step.disabled = Boolean(status.finished || status.pending);
    if (!speed.children.length) {
      for (const s of model.get("speeds")) { const o = el("option", "", `${s} steps/s`); o.value = String(s); speed.append(o); }
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

/** Held-out accuracy against labels, one line per strategy, with a legend. */
export function curveChartView() {
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
    for (const line of [...lines, ...bandLines]) for (const [n] of line.points) { xmin = Math.min(xmin, n); xmax = Math.max(xmax, n); }
    if (!Number.isFinite(xmin)) xmin = 0;
    const px = (n) => pad.left + ((n - xmin) / Math.max(1, xmax - xmin)) * (w - pad.left - pad.right);
    const py = (a) => pad.top + (1 - (a - low) / (high - low)) * (h - pad.top - pad.bottom);
    ctx.clearRect(0, 0, w, h);
    ctx.font = `${thick ? 14 : 10}px sans-serif`;
    ctx.fillStyle = muted; ctx.strokeStyle = muted; ctx.lineWidth = 0.5;
    for (let a = low; a <= high + 1e-9; a += 0.1) {
      ctx.beginPath(); ctx.moveTo(pad.left, py(a)); ctx.lineTo(w - pad.right, py(a)); ctx.stroke();
      ctx.fillText(`${Math.round(a * 100)}%`, 4, py(a) + 4);
    }
    ctx.fillText(`labels (${xmin}–${xmax})`, pad.left, h - 5);
    const colourOf = (name) => STRATEGY_COLOURS[Math.max(0, panels.findIndex((p) => p.name === name)) % STRATEGY_COLOURS.length];
    for (const b of bands) { // mean +- sd over seeds, behind the live lines
      ctx.fillStyle = colourOf(b.name);
      ctx.globalAlpha = 0.15;
      ctx.beginPath();
      b.labels.forEach((n, i) => (i ? ctx.lineTo(px(n), py(Math.max(low, b.high[i]))) : ctx.moveTo(px(n), py(Math.max(low, b.high[i])))));
      for (let i = b.labels.length - 1; i >= 0; i--) ctx.lineTo(px(b.labels[i]), py(Math.max(low, b.low[i])));
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    table.replaceChildren();
    if (summary) {
      const head = el("tr");
      for (const h of ["over seeds", "mean accuracy (area under the curve)", "labels to reach uniform's final accuracy"]) head.append(el("th", "", h));
      table.append(head);
      for (const [name, row] of Object.entries(summary)) {
        const tr = el("tr");
        tr.append(el("td", "", name), el("td", "", `${(100 * row.auc).toFixed(1)}%`),
          el("td", "", row.labels_to_reach === null ? "never" : String(row.labels_to_reach)));
        tr.children[0].style.color = colourOf(name);
        table.append(tr);
      }
    }
    legend.replaceChildren();
    lines.forEach((line) => {
      const k = panels.findIndex((p) => p.name === line.name);
      const colour = STRATEGY_COLOURS[Math.max(0, k) % STRATEGY_COLOURS.length];
      ctx.strokeStyle = colour; ctx.lineWidth = thick ? 3.5 : 2;
      ctx.beginPath();
      line.points.forEach(([n, a], i) => (i ? ctx.lineTo(px(n), py(a)) : ctx.moveTo(px(n), py(a))));
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

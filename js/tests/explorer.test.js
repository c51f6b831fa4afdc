// The strategy explorer: keys, words, drawing helpers, and the render wiring with a fake model.
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { accuracyRange, clickOnPlane, drawPicks, gridPixels, nearestOpenPoint, planeToPixels } from "../src/strategy_explorer/draw.js";
import { confirmedPress, explorerAction, helpText, shareUrl, statusLine } from "../src/strategy_explorer/view.js";
import { encodeArray } from "../src/common/codec.js";
import widget from "../src/strategy_explorer/widget.js";
import { FakeModel, fakeCtx, find, installFakeDom, settle } from "./fakes.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });

test("keys: Space steps, p plays, r resets, u and o toggle, digits answer only when a pick waits", () => {
  assert.deepEqual(explorerAction(key(" ")), { type: "step" });
  assert.deepEqual(explorerAction(key("p")), { type: "toggle_play" });
  assert.deepEqual(explorerAction(key("R")), { type: "reset" });
  assert.deepEqual(explorerAction(key("u")), { type: "toggle_utility" });
  assert.deepEqual(explorerAction(key("o")), { type: "toggle_overlay" });
  assert.equal(explorerAction(key("2")), null); // no pick waits: digits are not ours
  assert.deepEqual(explorerAction(key("2"), 3), { type: "answer", cls: 1 });
  assert.equal(explorerAction(key("4"), 3), null); // only 3 classes
  assert.equal(explorerAction(key("r", { ctrlKey: true })), null); // the browser's reload stays the browser's
  assert.equal(explorerAction(key("z", { metaKey: true })), null);
});

test("the status line says what happened and what to do next", () => {
  const panels = [{ name: "margin", n_labels: 15, budget: 100 }, { name: "you", n_labels: 10, budget: 100 }];
  assert.equal(statusLine({ steps: 1, playing: false, finished: false }, panels),
    "Step 1 · up to 15 of 100 labels per strategy. Click a point in “you” to ask about it.");
  assert.equal(statusLine({ steps: 4, playing: false, finished: true, strategies_done: true }, panels),
    "Every strategy and “you” have used the budget of 100 labels. Reset (r) to start again.");
  // the strategies are done but "you" is not: the line counts "you" and says how to go on
  assert.equal(statusLine({ steps: 18, playing: false, finished: false, strategies_done: true }, panels),
    "The strategies have used their budget of 100 labels; “you” is at 10 of 100: click points in “you” to go on, or Reset (r).");
  assert.equal(statusLine({ steps: 18, finished: true, strategies_done: true }, panels.slice(0, 1)),
    "Every strategy has used the budget of 100 labels. Reset (r) to start again.");
  assert.match(statusLine({ steps: 4, pending: { panel: "margin", row: 3 }, n_pending: 5 }, panels),
    /circled point in "margin"\? Press its number \(5 waiting\)/);
  assert.match(helpText("human"), /1-9 answer/);
  assert.equal(shareUrl("http://host/voila/render/06.ipynb?token=secret&state=old#x", "abc-_"),
    "http://host/voila/render/06.ipynb?state=abc-_"); // never the server's token
});

test("plane coordinates map to pixels with y up, and a click finds the nearest open pool point", () => {
  const map = planeToPixels([0, 10, 0, 10], 100, 100);
  assert.deepEqual([map.px(5), map.py(0), map.py(10)], [50, 100, 0]);
  assert.deepEqual([map.x(50), map.y(100)], [5, 0]);
  const points = new Float32Array([1, 1, 5, 5, 5.3, 5, 9, 9]);
  const inPool = new Uint8Array([1, 1, 1, 0]);
  assert.equal(nearestOpenPoint(points, inPool, new Set(), map, 51, 50), 1);
  assert.equal(nearestOpenPoint(points, inPool, new Set([1]), map, 51, 50), 2); // labeled points are not asked again
  assert.equal(nearestOpenPoint(points, inPool, new Set(), map, 90, 10), -1); // held out: never clickable
});

test("reset asks again, and the question times out: the label goes back and the next press asks again", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const said = [];
    const reset = confirmedPress((armed) => said.push(armed), 3000);
    assert.equal(reset.press(false), true); // nothing to lose: at once
    assert.equal(reset.press(true), false);
    assert.deepEqual(said, [true]);
    mock.timers.tick(6000); // r, wait 6 s
    assert.deepEqual(said, [true, false]); // the button says "Reset (r)" again
    assert.equal(reset.press(true), false); // so r asks again, as the button says
    mock.timers.tick(2000);
    assert.equal(reset.press(true), true); // the second r within the window resets
    assert.deepEqual(said, [true, false, true, false]);
    mock.timers.tick(5000);
    assert.deepEqual(said, [true, false, true, false]); // no late "disarmed" after a reset
  } finally {
    mock.timers.reset();
  }
});

test("next picks are ringed and numbered on a halo of the panel's colour, in the theme's ink", () => {
  const ctx = fakeCtx();
  const map = planeToPixels([0, 10, 0, 10], 100, 100);
  drawPicks(ctx, { rows: [0], colour: null, numbered: true }, new Float32Array([5, 5]), map, "#fff", false, "#212121");
  const strokes = ctx.calls.filter((c) => c[0] === "=strokeStyle").map((c) => c[1]);
  assert.deepEqual(strokes, ["#212121", "#fff", "#212121"]); // halo, ring, the number's halo
  const texts = ctx.calls.filter((c) => c[0] === "strokeText" || c[0] === "fillText").map((c) => c[0]);
  assert.deepEqual(texts, ["strokeText", "fillText"]);
  assert.deepEqual(ctx.calls.filter((c) => c[0] === "=fillStyle").map((c) => c[1]), ["#fff"]);
  const overlay = fakeCtx(); // a strategy's colour on the first panel: outlined in ink
  drawPicks(overlay, { rows: [0], colour: "#6a3d9a", numbered: false }, new Float32Array([5, 5]), map, "#fff", false, "#212121");
  assert.deepEqual(overlay.calls.filter((c) => c[0] === "=strokeStyle").map((c) => c[1]), ["#fff", "#6a3d9a"]);
  // a click goes up in plane units, with the radius of 10 px along each axis of a view that is not square
  assert.deepEqual(clickOnPlane([0, 20, 0, 10], 100, 50, 50), { x: 10, y: 5, rx: 2, ry: 1 });
});

test("grid pixels: decision colours stronger where surer, utility in one hue, row 0 at the bottom", () => {
  const shade = new Uint8Array([0, 255, 1, 128, 0, 128, 1, 255]); // 2 x 2 cells: [class, confidence]
  const rgba = gridPixels(2, shade, null, 2);
  // cell 0 (bottom left) is drawn in image row 1
  assert.deepEqual(Array.from(rgba.slice(8, 12)), [31, 119, 180, 102]);
  assert.ok(rgba[3] < rgba[11]); // cell 2 (top left, less sure) fainter than cell 0
  const util = gridPixels(2, shade, new Uint8Array([0, 255, 0, 0]), 2);
  assert.equal(util[8 + 3], 0);
  assert.equal(util[12 + 3], Math.round(255 * 0.7));
  assert.deepEqual(accuracyRange([{ points: [[10, 0.83], [20, 0.95]] }]), [0.8, 1]);
  assert.deepEqual(accuracyRange([]), [0.9, 1]);
});

function mount(state = {}) {
  const make = installFakeDom();
  if (state.detached) globalThis.document.createElement = (tag) => Object.assign(make(tag), { isConnected: false });
  const panel = (name, picks) => ({
    name, title: name, n_labels: 10, budget: 40, accuracy: 0.8, picks,
    labeled: encodeArray([0], "uint32"), labels: encodeArray([1], "uint8"), shade: null, utility: null,
  });
  const model = new FakeModel({
    classes: ["0", "1"], points: encodeArray([0, 0, 5, 5, 9, 9], "float32", [3, 2]),
    in_pool: encodeArray([1, 1, 1], "uint8"), extent: [0, 10, 0, 10], grid_side: 48,
    panels: [panel("margin", [2]), panel("you", [])], curve_lines: [{ name: "margin", points: [[10, 0.8], [15, 0.9]] }],
    status: { steps: 0, playing: false, finished: false, oracle: "truth", pending: null, n_pending: 0 },
    settings: { batch_size: 5, warm_start: 10, budget: 40, seed: 0, learner: "logistic", speed: 2 }, speeds: [1, 2],
    seed_bands: [{ name: "margin", labels: [10, 20], mean: [0.8, 0.9], low: [0.75, 0.85], high: [0.85, 0.95] }],
    seeds_status: { running: false, done: 20, total: 20, summary: { margin: { auc: 0.85, labels_to_reach: 20 }, uniform: { auc: 0.8, labels_to_reach: null } } },
    show_utility: false, overlay: false, projector: false, state_string: "abc", shareable: true, error: "", _ack: 0,
    images: encodeArray([0, 255, 255, 0, 9, 9, 9, 9, 1, 2, 3, 4], "uint8", [3, 2, 2]), ...state,
  });
  const host = { children: [], append(...c) { this.children.push(...c); } };
  const cleanup = widget.render({ model, el: host });
  return { model, root: host.children[0], cleanup };
}

test("keys and clicks become numbered actions; a click in 'you' asks about the nearest point", async () => {
  const { model, root, cleanup } = mount();
  await settle();
  assert.equal(root.dataset.panels, "margin,you");
  root.dispatch("keydown", key(" "));
  root.dispatch("keydown", key("p"));
  assert.deepEqual(model.sent, [{ type: "step", n: 1, seq: 1 }, { type: "play", speed: 2, seq: 2 }]);
  root.dispatch("keydown", key("u"));
  assert.equal(model.get("show_utility"), true);
  assert.deepEqual(model.sent[2], { type: "set", name: "show_utility", value: true, seq: 3 });
  const you = find(root, "hitl-se-panels").children[1];
  you.children[1].dispatch("click", { clientX: 100 + 125, clientY: 50 + 125 }); // the canvas centre: (5, 5)
  const click = Object.fromEntries(Object.entries(model.sent[3]).map(([k, v]) => [k, typeof v === "number" ? Number(v.toFixed(6)) : v]));
  assert.deepEqual(click, { type: "choose_at", x: 5, y: 5, rx: 0.4, ry: 0.4, seq: 4 }); // the kernel finds the point
  const tip = you.children[3];
  you.children[1].dispatch("mousemove", { clientX: 100 + 125, clientY: 50 + 125 }); // the image of row 1 on hover
  assert.equal(tip.style.display, "block");
  assert.equal(tip.dataset.row, "1");
  you.children[1].dispatch("mouseleave", {});
  assert.equal(tip.style.display, "none");
  const margin = find(root, "hitl-se-panels").children[0];
  margin.children[1].dispatch("click", { clientX: 225, clientY: 175 }); // a strategy's panel takes no clicks
  assert.equal(model.sent.length, 4);
  assert.equal(margin.dataset.picks, "2");
  model.fromPython({ status: { steps: 1, playing: false, finished: false, oracle: "human", pending: { panel: "margin", row: 2 }, n_pending: 1 } });
  await settle();
  assert.equal(find(root, "hitl-se-answers").children.length, 2);
  root.dispatch("keydown", key("2"));
  assert.deepEqual(model.sent[4], { type: "answer", cls: 1, seq: 5 });
  assert.equal(find(root, "hitl-se-chart").dataset.lines, "1");
  const summary = find(root, "hitl-se-summary");
  assert.deepEqual(summary.children.slice(1).map((tr) => tr.children.map((td) => td.textContent)),
    [["margin", "85.0%", "20"], ["uniform", "80.0%", "never"]]);
  const batch = find(root, "hitl-se-number");
  batch.value = "3";
  batch.dispatch("input");
  model.fromPython({ settings: { ...model.get("settings"), speed: 5 } }); // a push during Play keeps what was typed
  await settle();
  assert.equal(batch.value, "3");
  const resetButton = find(root, "hitl-se-controls").children[3];
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    root.dispatch("keydown", key("r")); // a run with steps: the first r only asks
    assert.equal(model.sent.length, 5);
    assert.equal(resetButton.textContent, "Reset? Press r again");
    mock.timers.tick(6000); // r, wait 6 s: the question has timed out and the button says so
    assert.equal(resetButton.textContent, "Reset (r)");
    root.dispatch("keydown", key("r")); // asks again, as the button said
    assert.equal(model.sent.length, 5);
    assert.equal(resetButton.textContent, "Reset? Press r again");
    root.dispatch("keydown", key("r"));
  } finally {
    mock.timers.reset();
  }
  assert.deepEqual(model.sent[5], { type: "reset", settings: { batch_size: 3, warm_start: 10, budget: 40, seed: 0 }, seq: 6 });
  assert.equal(resetButton.textContent, "Reset (r)");
  cleanup();
  assert.equal(model.listenerCount(), 0);
});

test("Step stays on while \"you\" has labels left; Play goes off when the strategies are done", async () => {
  const { model, root, cleanup } = mount();
  const buttons = find(root, "hitl-se-controls").children;
  model.fromPython({ status: { steps: 6, playing: false, finished: false, strategies_done: true, oracle: "truth", pending: null, n_pending: 0 } });
  await settle();
  assert.equal(buttons[0].disabled, false); // Step: it says what is left
  assert.equal(buttons[1].disabled, true); // Play
  assert.match(find(root, "hitl-se-status").textContent, /“you” is at 10 of 40/);
  model.fromPython({ status: { steps: 6, playing: false, finished: true, strategies_done: true, oracle: "truth", pending: null, n_pending: 0 } });
  await settle();
  assert.equal(buttons[0].disabled, true);
  cleanup();
});

test("colours are read again once the widget is in the page: a dark theme's rings are never drawn black", async () => {
  const dark = { "--jp-ui-font-color0": "#fff", "--jp-layout-color1": "#212121", "--jp-ui-font-color3": "#999" };
  globalThis.getComputedStyle = (node) => ({ getPropertyValue: (name) => (node.isConnected ? dark[name] ?? "" : "") });
  try {
    const { root, cleanup } = mount({ detached: true });
    await settle();
    const canvas = find(root, "hitl-se-panels").children[0].children[1];
    const rings = () => canvas.ctx.calls.filter((c) => c[0] === "=strokeStyle").map((c) => c[1]);
    assert.ok(rings().includes("#111") && !rings().includes("#212121"), rings()); // drawn before JupyterLab attached it
    canvas.ctx.calls.length = 0;
    root.isConnected = true; // JupyterLab attaches the view
    await settle();
    await settle();
    assert.ok(rings().includes("#fff") && rings().includes("#212121") && !rings().includes("#111"), rings());
    cleanup();
  } finally {
    delete globalThis.getComputedStyle;
  }
});

// The drawing helpers with a fake 2-D context, and the render wiring with a fake model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeArray } from "../src/common/codec.js";
import { makeView } from "../src/common/coords.js";
import { PALETTE } from "../src/common/draw.js";
import { classGrids, massContours, shadePixels, strokeContours } from "../src/gmm_canvas/model_draw.js";
import widget, { drawModel } from "../src/gmm_canvas/widget.js";
import { FakeModel, fakeCtx, find, installFakeDom, settle } from "./fakes.js";

const eye = [[1, 0], [0, 1]];
const twoClasses = [
  { label: 0, prior: 0.5, weights: [1], means: [[-4, 0]], covariances: [eye] },
  { label: 1, prior: 0.5, weights: [1], means: [[4, 0]], covariances: [eye] },
];
const view = makeView(200, 100, [-10, 10], [-5, 5]);

test("contours at mass levels come back as nested d3 polygons, one per level", () => {
  const [g] = classGrids([twoClasses[0]], view, 80, 40);
  const polys = massContours(g.grid, 80, 40, view);
  assert.equal(polys.length, 4);
  assert.ok(polys.every((p) => p.type === "MultiPolygon" && p.coordinates.length === 1));
  assert.ok(polys[0].value < polys[3].value); // density thresholds ascend: the 90%-mass ring comes first
  const ctx = fakeCtx();
  strokeContours(ctx, polys, 80, 40, view, { color: "#123456" });
  assert.equal(ctx.calls.filter((c) => c[0] === "stroke").length, 4);
  // grid coordinates are scaled to pixels: every vertex inside the canvas
  for (const c of ctx.calls.filter((c) => c[0] === "lineTo")) assert.ok(c[1] >= 0 && c[1] <= 200 && c[2] >= 0 && c[2] <= 100);
});

test("decision regions: each side takes its class colour, stronger near the class", () => {
  const grids = classGrids(twoClasses, view, 20, 10);
  const px = shadePixels(grids, 20, 10);
  const rgba = (i, j) => Array.from(px.slice(4 * (j * 20 + i), 4 * (j * 20 + i) + 4));
  const blue = [31, 119, 180], orange = [255, 127, 14];
  assert.deepEqual(rgba(1, 5).slice(0, 3), blue);
  assert.deepEqual(rgba(18, 5).slice(0, 3), orange);
  assert.ok(rgba(6, 5)[3] > rgba(0, 0)[3]);
});

test("one class: density shading is opaque at the mean and fades away from it", () => {
  const px = shadePixels(classGrids([twoClasses[0]], view, 20, 10), 20, 10);
  assert.ok(px[4 * (5 * 20 + 6) + 3] > 100 && px[4 * (0 * 20 + 19) + 3] < 5);
});

test("drawModel draws online solid and batch dashed when both are shown", () => {
  installFakeDom();
  const model = new FakeModel({ show: "both", mixtures: [twoClasses[0]], batch_mixtures: [twoClasses[0]] });
  const ctx = fakeCtx();
  const info = drawModel(ctx, model, view, "#000");
  assert.equal(info.levels, 8);
  assert.equal(info.components, 1);
  const dashes = ctx.calls.filter((c) => c[0] === "setLineDash").map((c) => c[1].length);
  assert.ok(dashes.includes(0) && dashes.includes(2));
});

/** A "points" message as the kernel sends it: keep the first `base`, append these (x, y) rows and classes. */
function pointsMessage(base, xy, labels) {
  const a = encodeArray(xy, "float32", [xy.length / 2, 2]), b = encodeArray(labels, "uint8");
  return [{ type: "points", base, n: base + labels.length, xy: { dtype: "float32", shape: a.shape, buffer: 0 },
    labels: { dtype: "uint8", shape: b.shape, buffer: 1 } }, [a.data, b.data]];
}

function mount(state = {}) {
  installFakeDom();
  const model = new FakeModel({
    width: 200, height: 100, xlim: [-10, 10], ylim: [-5, 5], class_names: ["class 1"], current_class: 0,
    show: "online", show_params: false, mixtures: [], batch_mixtures: [], status: {}, accuracy_curve: [], error: "",
    open_classes: true, _ack: 0,
    ...state,
  });
  const el = document.createElement("div");
  const cleanup = widget.render({ model, el });
  const root = el.children[0];
  return { model, root, cleanup, points: find(root, "hitl-gmm-points"), modelCanvas: find(root, "hitl-gmm-model") };
}

test("a click is drawn at once, sent in data coordinates, and settled by Python's answer", async () => {
  const { model, root, points, modelCanvas, cleanup } = mount();
  await settle();
  // the fake element sits at (100, 50) and is 200 x 100 CSS pixels: (150, 100) is pixel (50, 50)
  points.dispatch("pointerdown", { button: 0, clientX: 150, clientY: 100, pointerId: 1 });
  const { stroke, ...sent } = model.sent.at(-1);
  assert.deepEqual(model.sent[0], { type: "want", seq: 1 }); // the view asked for the points when it opened
  assert.deepEqual(sent, { type: "add", points: [[-5, 0]], label: 0, seq: 2 });
  assert.ok(Number.isInteger(stroke));
  await settle();
  assert.equal(modelCanvas.dataset.pending, "1"); // optimistic point, drawn before Python answers
  assert.equal(modelCanvas.dataset.predicted, "1"); // and the model with it, previewed here
  assert.deepEqual(JSON.parse(modelCanvas.dataset.means), [[-5, 0]]); // a class's first point: one component there
  // the kernel sends the points this page lacks (its own click), then the state in one update
  model.emit("msg:custom", ...pointsMessage(0, [-5, 0], [0]));
  model.fromPython({
    mixtures: [{ label: 0, prior: 1, weights: [1], means: [[-5, 0]], covariances: [eye] }],
    status: { n: 1, k: 1, update_ms: 0.4 }, _ack: 2,
  });
  await settle();
  assert.equal(modelCanvas.dataset.pending, "0");
  assert.equal(modelCanvas.dataset.predicted, "0"); // the kernel's model took the preview's place
  assert.equal(modelCanvas.dataset.n, "1");
  assert.equal(modelCanvas.dataset.ack, "2");
  assert.equal(modelCanvas.dataset.levels, "4");
  assert.ok(Number(root.dataset.lastLatency) >= 0);
  // no-break spaces inside each part: the line breaks only between parts
  assert.match(find(root, "hitl-gmm-status").textContent, /^N\u00a0=\u00a01 {2}· {2}K\u00a0=\u00a01 {2}· {2}update\u00a00.40\u00a0ms {2}· {2}click\u00a0to\u00a0redraw\u00a0\d+\u00a0ms {2}· /);
  cleanup();
});

test("keys: classes are settings, b and Backspace send actions, v cycles the view; cleanup unhooks all", async () => {
  const { model, root, cleanup } = mount({ _ack: 7 });
  const before = model.listenerCount();
  root.dispatch("keydown", { key: "2" });
  assert.equal(model.get("current_class"), 1); // shown at once
  assert.deepEqual(model.sent.at(-1), { type: "set", name: "current_class", value: 1, seq: 9 }); // above the last ack
  root.dispatch("keydown", { key: "b" });
  assert.deepEqual(model.sent.at(-1), { type: "fit_batch", seq: 10 });
  root.dispatch("keydown", { key: "Backspace" });
  assert.equal(model.sent.at(-1).type, "undo");
  root.dispatch("keydown", { key: "v" });
  assert.equal(model.get("show"), "batch");
  assert.deepEqual(model.sent.at(-1), { type: "set", name: "show", value: "batch", seq: 12 });
  root.dispatch("keydown", { key: "p" });
  assert.equal(model.sent.at(-1).type, "params");
  model.fromPython({ show_params: true, mixtures: [{ label: 0, prior: 1, weights: [1], means: [[0, 0]], covariances: [eye] }] });
  await settle();
  assert.equal(find(root, "hitl-gmm-table").children.length, 3); // caption, header, one component
  root.dispatch("keydown", { key: "Escape" });
  assert.equal(model.get("show_params"), false);
  assert.deepEqual(model.sent.at(-1), { type: "set", name: "show_params", value: false, seq: 14 });
  assert.equal(model.saves, 0); // no bare trait writes: every change the page makes is a numbered action
  assert.ok(before > 0);
  cleanup();
  assert.equal(model.listenerCount(), 0);
});

test("closed class sets refuse keys beyond them", () => {
  const { model, root, cleanup } = mount({ open_classes: false, class_names: ["cat", "dog"] });
  root.dispatch("keydown", { key: "3" });
  assert.equal(model.get("current_class"), 0);
  assert.match(find(root, "hitl-gmm-error").textContent, /2 classes/);
  root.dispatch("keydown", { key: "2" });
  assert.equal(model.get("current_class"), 1);
  cleanup();
});

test("palette has a colour per key 1-9", () => assert.equal(PALETTE.length, 9));

test("a class's grid is computed again only when its numbers change: a click, one class; a fit, the batch's", () => {
  installFakeDom();
  const batch = [twoClasses[0]];
  const model = new FakeModel({ show: "both", mixtures: [...twoClasses], batch_mixtures: batch });
  const cache = {};
  drawModel(fakeCtx(), model, view, "#000", cache);
  const [batchGrid, first, second] = [cache["batch:0"].grid, cache["online:0"].grid, cache["online:1"].grid];
  // a click of class 1: its parameters change; class 0's and the batch's come back equal (new objects)
  model.state.mixtures = [{ ...twoClasses[0], means: twoClasses[0].means.map((m) => [...m]), prior: 0.4 },
    { ...twoClasses[1], means: [[3, 1]], prior: 0.6 }];
  model.state.batch_mixtures = [{ ...twoClasses[0] }];
  drawModel(fakeCtx(), model, view, "#000", cache);
  assert.equal(cache["batch:0"].grid, batchGrid);
  assert.equal(cache["online:0"].grid, first); // the same numbers: not computed again, whatever its prior
  assert.notEqual(cache["online:1"].grid, second);
  model.state.batch_mixtures = [{ ...twoClasses[1], label: 0 }]; // a new fit from scratch
  drawModel(fakeCtx(), model, view, "#000", cache);
  assert.notEqual(cache["batch:0"].grid, batchGrid);
});

test("a model update redraws the model but leaves the class buttons alone", async () => {
  const { model, root, cleanup } = mount({ class_names: ["a", "b"] });
  await settle();
  const buttons = [...find(root, "hitl-gmm-classes").children];
  model.fromPython({ mixtures: [{ label: 0, prior: 1, weights: [1], means: [[0, 0]], covariances: [eye] }], _ack: 1 });
  await settle();
  const after = find(root, "hitl-gmm-classes").children;
  assert.ok(after.length === 2 && after.every((b, i) => b === buttons[i])); // the very same elements
  model.fromPython({ current_class: 1 });
  await settle();
  assert.notEqual(find(root, "hitl-gmm-classes").children[0], buttons[0]);
  cleanup();
});

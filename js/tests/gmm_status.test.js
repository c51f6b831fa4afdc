// The GMM canvas's status line, accuracy chart, drawn components, and the adopt key and brush strokes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeView } from "../src/common/coords.js";
import { actionForKey } from "../src/gmm_canvas/keys.js";
import { adoptionText, drawAccuracy, formatGap, statusParts } from "../src/gmm_canvas/status.js";
import widget, { drawModel, fixed3, legendEntries, paramsTable, visibleComponents } from "../src/gmm_canvas/widget.js";
import { pointStyle } from "../src/common/draw.js";
import { FakeModel, fakeCtx, find, installFakeDom, settle } from "./fakes.js";

const eye = [[1, 0], [0, 1]];

test("gaps and table cells never read -0.000, and gaps keep their sign otherwise", () => {
  assert.equal(fixed3(-0.0002), "0.000");
  assert.equal(fixed3(-0.25), "-0.250");
  assert.equal(formatGap(-0.0001), "0.000");
  assert.equal(formatGap(0.0004), "0.000");
  assert.equal(formatGap(-0.0123), "-0.012");
  assert.equal(formatGap(0.2), "+0.200");
});

test("the status line says what the numbers are about, and when they are stale", () => {
  assert.deepEqual(statusParts({ n: 0 }), ["click to add a point, drag to spray"]);
  assert.deepEqual(statusParts({ n: 0, last_action: "clear", cleared: 40 }), ["cleared 40 points: Backspace brings them back"]);
  const fresh = statusParts({ n: 40, k: 3, update_ms: 0.3, batch_n: 40, ll_gap: -0.00001 }, 12).join(" | ");
  assert.match(fresh, /N = 40 \| K = 3 \| update 0.30 ms \| click to redraw 12 ms \| vs batch \(N = 40\): 0.000 nats\/pt/);
  // the fit from scratch's time is the kernel's, said as such: never a "redraw"
  const fitted = statusParts({ n: 188, k: 8, batch_n: 188, ll_gap: -0.079, batch_ms: 1344.2, checking: true }).join(" | ");
  assert.match(fitted, /vs batch \(N = 188, fit in 1,344 ms\): -0.079 nats\/pt \| checking against a fit from scratch in the background$/);
  assert.ok(!/redraw/.test(fitted));
  const stale = statusParts({ n: 52, k: 3, batch_n: 40, ll_gap: null, checking: true }).join(" | ");
  assert.match(stale, /fit from scratch is from N = 40, refitting/);
  assert.ok(!/vs batch/.test(stale));
  assert.match(statusParts({ n: 5, k: 1, candidates: 1 }).join(" "), /1 far point waiting/);
});

test("an adoption is named: by the idle check with its gain, or by you", () => {
  assert.equal(adoptionText({ n: 120, by: "idle check", gain: 0.031 }), "adopted a fit from scratch at N = 120 (+0.031 nats/pt)");
  assert.equal(adoptionText({ n: 60, by: "you", gain: null }), "you adopted the fit from scratch at N = 60");
  assert.match(statusParts({ n: 120, k: 3, adopted: { n: 120, by: "idle check", gain: 0.031 } }).join(" "), /adopted a fit/);
});

test("the accuracy chart's title sits above the 100% line, and its x axis counts predicted points", () => {
  const ctx = fakeCtx();
  drawAccuracy(ctx, [0.5, 0.75, 1], 37, "#eee", "#999");
  const texts = ctx.calls.filter((c) => c[0] === "fillText");
  const title = texts.find((c) => String(c[1]).startsWith("prequential accuracy"));
  const full = texts.find((c) => c[1] === "100%");
  assert.ok(title[3] < full[3] - 3, [title, full]);
  assert.ok(texts.some((c) => c[1] === "37"));
});

test("components with (almost) no weight are not drawn; drawModel reports the means it drew", () => {
  installFakeDom();
  const mixture = { label: 0, prior: 1, weights: [0.6, 0.4, 0.0005], means: [[-4, 0], [4, 0], [0, 4]], covariances: [eye, eye, eye] };
  assert.deepEqual(visibleComponents(mixture).means, [[-4, 0], [4, 0]]);
  const model = new FakeModel({ show: "online", mixtures: [mixture], batch_mixtures: [] });
  const info = drawModel(fakeCtx(), model, makeView(200, 100, [-10, 10], [-5, 5]), "#000");
  assert.equal(info.components, 2);
  assert.deepEqual(info.means, [[-4, 0], [4, 0]]);
});

test("a adopts; one brush drag is one stroke; one class shows a hint instead of a class button", async () => {
  assert.deepEqual(actionForKey({ key: "a" }), { type: "adopt" });
  installFakeDom();
  const model = new FakeModel({
    width: 200, height: 100, xlim: [-10, 10], ylim: [-5, 5], class_names: ["class 1"], current_class: 0,
    show: "online", show_params: false, mixtures: [], batch_mixtures: [], status: {}, accuracy_curve: [], error: "",
    open_classes: true, _ack: 0,
  });
  const el = document.createElement("div");
  const cleanup = widget.render({ model, el });
  const root = el.children[0];
  await settle();
  assert.equal(find(root, "hitl-gmm-classes").style.display, "none");
  assert.equal(find(root, "hitl-gmm-hint").style.display, "");
  const points = find(root, "hitl-gmm-points");
  points.dispatch("pointerdown", { button: 0, clientX: 150, clientY: 100, pointerId: 1 });
  for (let i = 1; i <= 12; i++) points.dispatch("pointermove", { buttons: 1, clientX: 150 + 4 * i, clientY: 100 });
  points.dispatch("pointerup", {});
  points.dispatch("pointerdown", { button: 0, clientX: 120, clientY: 80, pointerId: 1 });
  assert.deepEqual(model.sent[0], { type: "want", seq: 1 }); // a new view asks for the points first
  const strokes = model.sent.filter((m) => m.type === "add").map((m) => m.stroke);
  assert.ok(model.sent.length >= 3);
  assert.equal(new Set(strokes.slice(0, -1)).size, 1); // the drag's messages share one stroke
  assert.notEqual(strokes.at(-1), strokes[0]); // the next click is a new one
  root.dispatch("keydown", { key: "a" });
  assert.equal(model.sent.at(-1).type, "adopt");
  model.fromPython({ class_names: ["class 1", "class 2"], current_class: 1 });
  await settle();
  assert.equal(find(root, "hitl-gmm-classes").style.display, "");
  cleanup();
});

test("the parameter table has a class column only when there are classes", () => {
  installFakeDom();
  const one = [{ label: 0, prior: 1, weights: [1], means: [[0, 0]], covariances: [eye] }];
  const header = (t) => t.children[1].children.map((c) => c.textContent);
  assert.equal(header(paramsTable(one, ["class 1"]))[0], "k");
  assert.equal(header(paramsTable(one, ["cat", "dog"]))[0], "class");
});

function mountCanvas(state = {}) {
  installFakeDom();
  const model = new FakeModel({
    width: 560, height: 440, xlim: [-10, 10], ylim: [-8, 8], class_names: ["class 1"], current_class: 0,
    show: "online", show_params: false, mixtures: [], batch_mixtures: [], status: {}, accuracy_curve: [], error: "",
    open_classes: true, _ack: 0, ...state,
  });
  const el = document.createElement("div");
  const cleanup = widget.render({ model, el });
  return { model, root: el.children[0], cleanup };
}

const oneMixture = { label: 0, prior: 1, weights: [0.5, 0.5], means: [[-4, 0], [4, 0]], covariances: [eye, eye] };

test("after b: no click-to-redraw figure from the fit; Adopt is off with the kernel's reason, on when better", async () => {
  const { model, root, cleanup } = mountCanvas({ mixtures: [oneMixture], status: { n: 40, k: 2 } });
  await settle();
  const adopt = find(root, "hitl-gmm-toolbar").children.find((b) => b.textContent === "Adopt it (a)");
  assert.equal(adopt.disabled, true);
  assert.match(adopt.title, /press b to fit from scratch first/);
  root.dispatch("keydown", { key: "b" });
  const seq = model.sent.at(-1).seq;
  const why = "the fit from scratch is not better than the online model (-0.538 nats/pt)";
  model.fromPython({
    batch_mixtures: [oneMixture], show: "both", _ack: seq,
    status: { n: 40, k: 2, batch_n: 40, ll_gap: -0.538, batch_ms: 1344, adopt: { ok: false, why } },
  });
  await settle();
  assert.equal(root.dataset.lastLatency, undefined); // the fit's 1.3 s is not a redraw
  const status = find(root, "hitl-gmm-status").textContent.replaceAll("\u00a0", " ");
  assert.ok(!/redraw/.test(status) && /fit in 1,344 ms/.test(status), status);
  assert.equal(adopt.disabled, true);
  assert.equal(adopt.title, `Not now: ${why}`);
  model.fromPython({ status: { n: 40, k: 2, batch_n: 40, ll_gap: 0.08, adopt: { ok: true, why: "the fit from scratch is better by +0.080 nats/pt: make it the online model" } } });
  await settle();
  assert.equal(adopt.disabled, false);
  assert.match(adopt.title, /better by \+0.080/);
  cleanup();
});

test("the legend says which line is which: online solid, fit from scratch dashed; contours and ellipses", async () => {
  assert.deepEqual(legendEntries("online", [oneMixture], []).map((e) => [e.line, e.shape, e.colour]),
    [["solid", "line", "#1f77b4"], ["solid", "ellipse", null]]);
  const both = legendEntries("both", [oneMixture], [oneMixture]);
  assert.deepEqual(both.map((e) => [e.line, e.shape]), [["solid", "line"], ["solid", "ellipse"], ["dashed", "line"], ["dotted", "ellipse"]]);
  assert.equal(both[2].text, "from scratch: contours");
  assert.deepEqual(legendEntries("batch", [oneMixture], [oneMixture]).map((e) => e.line), ["dashed", "dotted"]);
  const classes = legendEntries("online", [oneMixture, { ...oneMixture, label: 1 }], []);
  assert.equal(classes[0].text, "online: contours (25/50/75/90% mass, class colours)");
  const { model, root, cleanup } = mountCanvas({ mixtures: [oneMixture] });
  await settle();
  const legend = find(root, "hitl-gmm-legend");
  assert.equal(legend.dataset.entries, "2");
  model.fromPython({ batch_mixtures: [oneMixture], show: "both" });
  await settle();
  assert.equal(legend.dataset.entries, "4");
  const swatches = legend.children.map((item) => [item.children[0].className, item.children[0].style.borderStyle]);
  assert.deepEqual(swatches[2], ["hitl-gmm-swatch hitl-gmm-swatch-line", "dashed"]);
  assert.equal(legend.style.maxWidth, "560px");
  assert.equal(find(root, "hitl-gmm-status").style.maxWidth, "560px"); // the status wraps under the canvas, never past it
  cleanup();
});

test("points shrink and fade with their number; the model's lines are drawn over them", async () => {
  const few = pointStyle(100, 560, 440), many = pointStyle(10_000, 560, 440);
  assert.deepEqual(few, { radius: 3.5, alpha: 1, outlined: true });
  assert.ok(many.radius === 1 && many.alpha === 0.3 && !many.outlined, many);
  for (const n of [300, 1000, 3000, 10_000]) {
    const { radius } = pointStyle(n, 560, 440);
    assert.ok((n * Math.PI * radius * radius) / (560 * 440) <= 0.13, n); // the dots cover an eighth at most
  }
  // drawModel: shading on the bottom layer, every line on the top one
  installFakeDom();
  const shade = fakeCtx(), lines = fakeCtx();
  const model = new FakeModel({ show: "both", mixtures: [oneMixture], batch_mixtures: [oneMixture] });
  drawModel(shade, model, makeView(560, 440, [-10, 10], [-8, 8]), "#eee", {}, "#111", lines);
  assert.ok(shade.calls.some((c) => c[0] === "drawImage") && !shade.calls.some((c) => c[0] === "stroke"));
  assert.ok(lines.calls.filter((c) => c[0] === "stroke").length > 8 && !lines.calls.some((c) => c[0] === "drawImage"));
  const strokes = lines.calls.filter((c) => c[0] === "=strokeStyle").map((c) => c[1]);
  assert.equal(strokes.filter((c) => c === "#111").length, strokes.length / 2); // every line on a halo
  const { root, cleanup } = mountCanvas();
  await settle();
  const stage = find(root, "hitl-gmm-stage");
  // bottom to top: shading, the dots, the clicks not answered yet, the model's lines, the clear layer that takes the pointer
  assert.deepEqual(stage.children.slice(0, 5).map((c) => c.className),
    ["hitl-gmm-model", "hitl-gmm-dots", "hitl-gmm-pending", "hitl-gmm-lines", "hitl-gmm-points"]);
  cleanup();
});

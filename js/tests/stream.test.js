// The stream labeler: key map, words and numbers, the two-line curve, and the render wiring with a fake model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  askReason, helpText, metricTiles, seriesPixels, statusText, streamAction, streamShare,
} from "../src/stream_labeler/view.js";
import widget from "../src/stream_labeler/widget.js";
import { FakeModel, find, installFakeDom, settle } from "./fakes.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });
const EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

test("keys: digits answer, Enter accepts, Backspace and Ctrl+Z undo, Space pauses", () => {
  assert.deepEqual(streamAction(key("1")), { type: "label", cls: 0 });
  assert.deepEqual(streamAction(key("0")), { type: "label", cls: 9 });
  assert.deepEqual(streamAction(key("Enter")), { type: "accept" });
  assert.deepEqual(streamAction(key("Backspace")), { type: "undo" });
  assert.deepEqual(streamAction(key("z", { metaKey: true })), { type: "undo" });
  assert.deepEqual(streamAction(key(" ")), { type: "toggle" });
  assert.equal(streamAction(key("2", { ctrlKey: true })), null);
  assert.equal(streamAction(key("a")), null);
  // digit labels: the key pressed is the label answered
  assert.deepEqual(streamAction(key("3"), ["0", "1", "2", "3"]), { type: "label", cls: 3 });
  assert.deepEqual(streamAction(key("7"), ["ham", "spam"]), { type: "label", cls: null, key: "7" });
});

test("metrics read as numbers with separators, accuracy and rate as percentages", () => {
  const m = { seen: 12345, predicted: 12000, labeled: 344, accuracy: 0.9512, with_truth: 12345, label_rate: 0.0279, recent_rate: 0.01, total: 20000, position: 12346 };
  assert.deepEqual(metricTiles(m).map(([n, v]) => [n, v]), [
    ["seen", "12,345"], ["predicted", "12,000"], ["labeled", "344"], ["accuracy", "95.1%"], ["label rate", "2.8%"],
  ]);
  assert.equal(metricTiles({ ...m, accuracy: null, with_truth: 0 })[3][1], "–");
  assert.match(statusText("walking", { ...m, items_per_second: 41234.5 }), /12,345 of 20,000 seen · 41,235 items\/s/);
  assert.match(statusText("asking", m, "cold start"), /has not seen every class/);
  assert.match(statusText("error", m), /every label is saved/);
  assert.equal(streamShare(m), 12346 / 20000);
  assert.equal(streamShare({ ...m, total: null }), null);
  assert.equal(askReason("gate"), "the model is unsure");
  assert.match(helpText(["ham", "spam"]), /^1-2 answer/);
  assert.match(helpText(Array.from({ length: 12 }, (_, i) => `c${i}`)), /^1-9, 0 answer/);
  assert.match(helpText([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /^0-9 answer/);
});

test("the curve leaves a gap where accuracy is unknown and scales items seen to the width", () => {
  const pad = { left: 0, right: 0, top: 0, bottom: 0 };
  const px = seriesPixels([[1, null, 1], [50, 0.5, 0.5], [100, 1, 0]], 1, 100, 100, pad);
  assert.deepEqual(px, [null, [50, 50], [100, 0]]);
  assert.deepEqual(seriesPixels([[100, 1, 0]], 2, 100, 100, pad), [[100, 100]]);
});

function mount(state) {
  installFakeDom();
  const model = new FakeModel({
    classes: ["ham", "spam"], item: {}, metrics: {}, curve: [],
    status: "walking", knob: { name: "discount_factor", label: "discount factor", low: 0, high: 20, step: 0.5 },
    knob_value: 3, error: "", _ack: 0, ...state,
  });
  const host = { children: [], append(...c) { this.children.push(...c); } };
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  return { model, root, cleanup };
}

test("a text item is set as text: markup in it is never parsed", () => {
  const { root } = mount({ status: "asking", item: { kind: "text", text: EVIL, cut: 0, position: 4, prediction: "spam", probs: [0.3, 0.7], reason: "gate" } });
  const text = find(root, "hitl-sl-text");
  assert.equal(text.textContent, EVIL);
  assert.equal(text.children.length, 0);
  assert.equal(root.dataset.position, "4");
  assert.equal(find(root, "hitl-sl-prediction").dataset.top, "spam");
  // nowhere in the widget's source does an item reach innerHTML or insertAdjacentHTML
  const src = readFileSync(new URL("../src/stream_labeler/widget.js", import.meta.url), "utf8");
  assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
});

test("a dict item becomes a table of text cells; an image item an <img> from its images message", async () => {
  const { root, model } = mount({ status: "asking", item: { kind: "table", rows: [["amount", "12.5"], ["note", "<b>x</b>"]], cut: 0, position: 1, prediction: "", probs: [], reason: "warm-up" } });
  const table = find(root, "hitl-sl-table");
  assert.deepEqual(table.children.map((tr) => tr.children.map((c) => c.textContent)), [["amount", "12.5"], ["note", "<b>x</b>"]]);
  // the kernel sends the image first (one "images" message, a binary buffer), then the item that names it
  model.emit("msg:custom", { type: "images", keys: [2], mimes: ["image/png"] }, [new DataView(new Uint8Array([137, 80]).buffer)]);
  model.fromPython({ item: { kind: "image", mime: "image/png", image: 2, position: 2, prediction: "ham", probs: [0.6, 0.4], reason: "gate" } });
  await settle();
  const img = find(root, "hitl-sl-image");
  assert.match(img.src, /^blob:fake\/1\/image\/png$/); // one blob for the image, kept by its key
  assert.equal(model.sent.length, 0); // nothing to ask for
  // a reloaded page has the item but not its image: it asks once, and draws it when it comes
  const again = mount({ status: "asking", item: { kind: "image", mime: "image/png", image: 2, position: 2, prediction: "ham", probs: [0.6, 0.4], reason: "gate" } });
  assert.ok(find(again.root, "hitl-sl-placeholder"));
  assert.deepEqual(again.model.sent, [{ type: "want", keys: [2], seq: 1 }]);
  again.model.emit("msg:custom", { type: "images", keys: [2], mimes: ["image/png"] }, [new DataView(new Uint8Array([137, 80]).buffer)]);
  await settle();
  assert.ok(find(again.root, "hitl-sl-image"));
});

test("a key answers once, with the position on screen; Backspace undoes; Space pauses a walk", () => {
  const { root, model, cleanup } = mount({ status: "asking", item: { kind: "text", text: "hi", cut: 0, position: 9, prediction: "ham", probs: [0.8, 0.2], reason: "gate" } });
  root.dispatch("keydown", key("2"));
  root.dispatch("keydown", key("1")); // a second press before the kernel moved on is not a second answer
  assert.equal(model.sent.length, 1);
  // numbered like every widget's actions: the kernel acknowledges each number with the state it produced
  assert.deepEqual({ ...model.sent[0], seconds: undefined }, { type: "label", position: 9, cls: 1, seconds: undefined, seq: 1 });
  assert.ok(model.sent[0].seconds >= 0);
  assert.ok(find(root, "hitl-sl-card").classList.contains("hitl-sl-sent"));
  assert.equal(find(root, "hitl-sl-confirm").textContent, "item 9 → spam");
  root.dispatch("keydown", key("Backspace"));
  assert.deepEqual(model.sent[1], { type: "undo", seq: 2 });
  assert.equal(find(root, "hitl-sl-confirm").textContent, ""); // the undone answer is no longer named
  model.fromPython({ item: {}, status: "walking" });
  root.dispatch("keydown", key(" "));
  assert.deepEqual(model.sent[2], { type: "pause", seq: 3 });
  root.dispatch("keydown", key("Enter")); // nothing on screen to accept
  assert.equal(model.sent.length, 3);
  const before = model.listenerCount();
  assert.ok(before > 0);
  cleanup();
  assert.equal(model.listenerCount(), 0);
});

test("the knob is a numbered setting; reset asks for a second click", () => {
  const { root, model } = mount({ status: "paused" });
  const range = find(root, "hitl-sl-range");
  assert.equal(range.value, "3");
  range.value = "8";
  range.dispatch("change");
  assert.equal(model.get("knob_value"), 8);
  assert.equal(model.saves, 0);
  assert.deepEqual(model.sent, [{ type: "set", name: "knob_value", value: 8, seq: 1 }]);
  const reset = root.children.flatMap((c) => c.children ?? []).flatMap((c) => c.children ?? [])
    .flatMap((c) => c.children ?? []).find((b) => b.textContent === "Reset…");
  reset.dispatch("click");
  assert.equal(model.sent.length, 1);
  assert.equal(reset.textContent, "Click again to reset");
  reset.dispatch("click");
  assert.deepEqual(model.sent.at(-1), { type: "reset", seq: 2 });
});

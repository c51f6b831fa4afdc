// The image labeler: key map, what is on screen, bars, curve, and the render wiring with a fake model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classKeys, keyHint, keyRange, labelerAction } from "../src/common/label_keys.js";
import {
  batchTiles, entryFor, moveSelection, nextAfter, pageState, progressText, settle as settlePage, shownKey,
} from "../src/image_labeler/state.js";
import { curvePixels } from "../src/common/curve.js";
import { probabilityBars } from "../src/common/dom.js";
import widget from "../src/image_labeler/widget.js";
import { FakeModel, find, installFakeDom, settle } from "./fakes.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });

test("keys: digits label (0 is the tenth), Enter/Space skip, Backspace undo, arrows browse", () => {
  assert.deepEqual(labelerAction(key("1")), { type: "label", cls: 0 });
  assert.deepEqual(labelerAction(key("9")), { type: "label", cls: 8 });
  assert.deepEqual(labelerAction(key("0")), { type: "label", cls: 9 });
  assert.deepEqual(labelerAction(key("Enter")), { type: "skip" });
  assert.deepEqual(labelerAction(key(" ")), { type: "skip" });
  assert.deepEqual(labelerAction(key("Backspace")), { type: "undo" });
  assert.deepEqual(labelerAction(key("z", { ctrlKey: true })), { type: "undo" });
  assert.deepEqual(labelerAction(key("ArrowLeft")), { type: "back" });
  assert.deepEqual(labelerAction(key("ArrowRight")), { type: "forward" });
  assert.equal(labelerAction(key("1", { ctrlKey: true })), null); // browser and notebook shortcuts pass through
  assert.equal(labelerAction(key("x")), null);
  // batch mode: Enter submits, arrows move the selected tile
  assert.deepEqual(labelerAction(key("Enter"), "batch"), { type: "submit" });
  assert.deepEqual(labelerAction(key("ArrowDown"), "batch"), { type: "move", by: "down" });
  assert.equal(labelerAction(key(" "), "batch"), null);
  assert.deepEqual([0, 8, 9, 10].map((i) => keyHint(i)), ["1", "9", "0", ""]);
  const names = Array.from({ length: 11 }, (_, i) => `c${i}`);
  assert.deepEqual([0, 8, 9, 10].map((i) => keyHint(i, names)), ["1", "9", "0", ""]);
});

test("on screen: the browsed trail item, else the optimistic pick, else the kernel's item", () => {
  const item = { key: 5, id: "5", probs: [0.9, 0.1] };
  const queue = [{ key: 7, probs: [0.5, 0.5] }, { key: 2, probs: [] }];
  const trail = [{ key: 1, id: "1", label: 0 }, { key: 3, id: "3", label: -1 }];
  const page = pageState();
  assert.equal(shownKey(item, queue, trail, page), 5);
  page.answered.set(5, { seq: 1, label: 0, id: "5" });
  assert.equal(nextAfter(5, item, queue, page), 7);
  page.optimistic = { key: 7, seq: 1 };
  assert.equal(shownKey(item, queue, trail, page), 7);
  page.cursor = 0;
  assert.equal(shownKey(item, queue, trail, page), 1);
  assert.deepEqual(entryFor(1, item, queue, trail), { key: 1, id: "1", probs: [] });
  page.cursor = null;
  settlePage(page, 1); // the kernel acknowledged the label: follow its item again
  assert.equal(page.optimistic, null);
  assert.equal(page.answered.size, 0);
  assert.deepEqual(batchTiles(item, queue, page, 2).map((e) => e.key), [5, 7]);
  assert.equal(shownKey({}, [], [], pageState()), null);
});

test("grid selection moves by one or by a row and stays on the tiles", () => {
  assert.equal(moveSelection(0, 1, 8, 3), 1);
  assert.equal(moveSelection(1, "down", 8, 3), 4);
  assert.equal(moveSelection(6, "down", 8, 3), 7);
  assert.equal(moveSelection(1, "up", 8, 3), 0);
  assert.equal(moveSelection(0, -1, 8, 3), 0);
});

test("probability bars mark the most probable class; progress and curve geometry", () => {
  const bars = probabilityBars(["cat", "dog", "owl"], [0.2, 0.7, 0.1]);
  assert.deepEqual(bars.map((b) => b.top), [false, true, false]);
  assert.deepEqual(probabilityBars(["cat"], []), []);
  assert.equal(progressText({ labeled: 1234, pool: 100000, skipped: 2, learning: true }), "1,234 / 100,000 labeled · 2 skipped · learning…");
  assert.equal(progressText({ labeled: 12, pool: 40, skipped: 0, annotator: "ana", mine: 5 }), "12 / 40 items labeled by the team · 5 by you (ana)");
  assert.equal(
    progressText({ labeled: 12, pool: 40, skipped: 0, annotator: "ana", mine: 5, waiting_second: 3, beyond_overlap: 1, shared_item: true }),
    "12 / 40 items labeled by the team · 5 by you (ana) · 3 waiting for a second opinion · 1 answered after the lease was lost · this item goes to two annotators",
  );
  const px = curvePixels([[1, 0], [10, 1]], 100, 50, { left: 10, right: 0, top: 0, bottom: 10 });
  assert.deepEqual(px[1], [100, 0]); // the last point: right edge, 100% at the top
  assert.deepEqual(px[0][1], 40); // 0% at the bottom of the plot area
});

/** The last action sent to the kernel (image requests aside). */
const last = (model) => model.sent.filter((m) => m.type !== "want").at(-1);

function labelerModel(extra = {}) {
  return new FakeModel({
    classes: ["cat", "dog", "owl"], open_classes: false, strategy: "margin",
    strategies: ["uniform", "least_confidence", "margin", "entropy", "kcenter"], batch_size: 1, display_size: 280,
    item: { key: 4, id: "a.png", probs: [0.6, 0.3, 0.1] },
    queue: [{ key: 9, id: "b.png", probs: [0.2, 0.5, 0.3] }, { key: 2, id: "c.png", probs: [0.3, 0.3, 0.4] }],
    trail: [{ key: 1, id: "z.png", label: 2 }],
    progress: { labeled: 1, pool: 10, skipped: 0, learning: false }, curve: [[1, 0.5]], curve_kind: "prequential",
    error: "", _ack: 0, ...extra,
  });
}

function mount(model) {
  installFakeDom();
  const host = document.createElement("div");
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  const press = (k, extra = {}) => root.dispatch("keydown", { key: k, ctrlKey: false, metaKey: false, altKey: false, target: root, ...extra });
  return { root, press, cleanup };
}

test("render: asks for missing images, shows a prefetched one, and runs ahead of the kernel on a key", async () => {
  const model = labelerModel();
  const { root, press, cleanup } = mount(model);
  const want = model.sent.find((m) => m.type === "want");
  assert.deepEqual(new Set(want.keys), new Set([4, 9, 2])); // on screen and ranked next
  model.emit("msg:custom", { type: "images", keys: [4, 9, 2], mimes: ["image/png", "image/png", "image/png"] },
    [new DataView(new ArrayBuffer(3)), new DataView(new ArrayBuffer(4)), new DataView(new ArrayBuffer(5))]);
  await settle();
  const img = find(root, "hitl-il-image");
  assert.equal(img.dataset.key, "4");
  assert.ok(img.className.includes("hitl-il-pixelated")); // 8 px shown at 280 px stays crisp
  assert.equal(find(root, "hitl-il-prediction").dataset.top, "cat");
  press("2");
  // the label goes to the kernel with the image shown next, and that image is on screen at once
  assert.deepEqual(last(model), { type: "label", key: 4, cls: 1, next: 9, seq: 2 });
  assert.equal(root.dataset.key, "9");
  assert.equal(img.dataset.key, "9");
  assert.equal(find(root, "hitl-il-prediction").dataset.top, "dog");
  press("Enter");
  assert.deepEqual(last(model), { type: "skip", key: 9, next: 2, seq: 3 });
  press("9"); // no ninth class: says so, sends nothing
  assert.equal(last(model).seq, 3);
  assert.deepEqual(model.sent.filter((m) => m.type === "want").length, 1); // the prefetched images sufficed
  assert.match(find(root, "hitl-il-error").textContent, /3 labels; key 9 has none/);
  // the kernel catches up: its item is the one on screen
  model.fromPython({ item: { key: 2, id: "c.png", probs: [0.3, 0.3, 0.4] }, queue: [], _ack: 2 });
  await settle();
  assert.equal(root.dataset.key, "2");
  cleanup();
  assert.equal(model.listenerCount(), 0);
});

test("render: undo shows the last answered image; arrows browse the trail and a key relabels it", async () => {
  const model = labelerModel();
  const { root, press } = mount(model);
  press("Backspace");
  assert.deepEqual(last(model), { type: "undo", seq: 2 });
  assert.equal(root.dataset.key, "1");
  model.fromPython({ _ack: 1, item: { key: 1, id: "z.png", probs: [] }, trail: [{ key: 7, id: "y.png", label: 0 }] });
  await settle();
  press("ArrowLeft");
  assert.equal(root.dataset.key, "7");
  assert.match(find(root, "hitl-il-caption").textContent, /answered 1 of 1: labeled “cat”/);
  press("3");
  assert.deepEqual(last(model), { type: "label", key: 7, cls: 2, next: null, seq: 5 }); // two image requests between
  assert.equal(root.dataset.key, "1"); // past the trail's end: back to the queue
});

test("render: keys typed into the new-label box are not shortcuts; Enter adds the label", () => {
  const model = labelerModel();
  const { root } = mount(model);
  const input = find(root, "hitl-il-new");
  const before = model.sent.length;
  root.dispatch("keydown", { key: "2", target: input });
  assert.equal(model.sent.length, before);
  input.value = " fox ";
  input.dispatch("keydown", { key: "Enter" });
  assert.deepEqual(last(model), { type: "add_class", name: "fox", seq: 2 });
  assert.equal(input.value, "");
});

test("render: batch mode labels tiles with keys and submits them together", async () => {
  const model = labelerModel({ batch_size: 4 });
  const { root, press } = mount(model);
  const grid = find(root, "hitl-il-grid");
  assert.equal(grid.dataset.tiles, "3");
  press("2"); // tile 1 -> dog, selection moves on
  press("3"); // tile 2 -> owl
  press("Backspace"); // clears the selected tile (nothing there) -> undo would be sent; it is not: tile 3 is empty
  assert.deepEqual(last(model).type, "undo");
  press("Enter");
  assert.deepEqual(last(model), { type: "submit", labels: [[4, 1], [9, 2]], seq: 3 });
  assert.equal(grid.dataset.tiles, "1"); // the submitted tiles left the grid at once
});

test("render, texts: the item is shown as text (never HTML), answered ones come back as 'views' on request", async () => {
  const evil = '<img src=x onerror="alert(1)">';
  const model = labelerModel({
    item_kind: "inline",
    item: { key: 4, id: "4", probs: [], view: { kind: "text", text: evil, cut: 0 } },
    queue: [{ key: 9, id: "9", probs: [], view: { kind: "table", rows: [["amount", "12.5"]], cut: 0 } }],
  });
  const { root, press } = mount(model);
  const text = find(root, "hitl-il-text");
  assert.equal(text.textContent, evil); // set as textContent: markup stays text
  assert.equal(text.children.length, 0);
  const wants = () => model.sent.filter((m) => m.type === "want").map((m) => m.keys);
  assert.deepEqual(wants(), []); // the entries carry what is on screen and next
  press("1");
  const table = find(root, "hitl-il-table");
  assert.deepEqual(table.children[0].children.map((c) => c.textContent), ["amount", "12.5"]);
  press("ArrowLeft"); // the text just answered (the page has its view) ...
  assert.equal(root.dataset.key, "4");
  assert.equal(find(root, "hitl-il-text").textContent, evil);
  press("ArrowLeft"); // ... then the trail item the page never saw: it asks for it
  assert.equal(root.dataset.key, "1");
  assert.deepEqual(wants(), [[1]]);
  model.emit("msg:custom", { type: "views", keys: [1], views: [{ kind: "text", text: "an older one", cut: 0 }] }, []);
  await settle();
  assert.equal(find(root, "hitl-il-text").textContent, "an older one");
});

test("render: ← right after a key steps back to the item just answered, before the kernel acknowledges it", async () => {
  const model = labelerModel();
  const { root, press } = mount(model);
  press("2"); // item 4 labeled "dog"; the kernel has not answered yet (its trail still ends with item 1)
  press("ArrowLeft");
  assert.equal(root.dataset.key, "4");
  assert.match(find(root, "hitl-il-caption").textContent, /answered 2 of 2: labeled “dog”/);
  press("ArrowLeft");
  assert.equal(root.dataset.key, "1");
  // the kernel catches up: the same two answers, now both from its trail
  model.fromPython({ _ack: 1, trail: [{ key: 1, id: "z.png", label: 2 }, { key: 4, id: "a.png", label: 1 }],
    item: { key: 9, id: "b.png", probs: [] }, queue: [] });
  await settle();
  press("ArrowRight");
  assert.equal(root.dataset.key, "4");
});

test("render: the strategy and grid menus show their choice at once, send it as a setting, and follow the kernel", async () => {
  const model = labelerModel();
  const { root } = mount(model);
  const strategy = find(root, "hitl-il-strategy");
  const batch = find(root, "hitl-il-batch");
  assert.equal(strategy.value, "margin");
  strategy.value = "kcenter";
  strategy.dispatch("change");
  assert.equal(model.get("strategy"), "kcenter");
  batch.value = "8";
  batch.dispatch("change");
  assert.equal(model.get("batch_size"), 8);
  assert.equal(model.saves, 0); // settings are numbered actions, never bare trait writes
  assert.deepEqual(model.sent.filter((m) => m.type === "set").map(({ name, value }) => [name, value]),
    [["strategy", "kcenter"], ["batch_size", 8]]);
  await settle();
  assert.equal(find(root, "hitl-il-grid").style.display, ""); // the grid is shown
  model.fromPython({ strategy: "my_sampler" }); // a sampler the menu does not list is added to it
  await settle();
  assert.equal(strategy.value, "my_sampler");
});

test("digit labels get their own digit keys; other labels 1-9 then 0 by position", () => {
  const key = (k) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false });
  const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.deepEqual(labelerAction(key("3"), "single", digits), { type: "label", cls: 3 });
  assert.deepEqual(labelerAction(key("0"), "batch", digits), { type: "label", cls: 0 });
  assert.deepEqual(classKeys(["7", "3"]), ["7", "3"]); // a few digits, in any order
  assert.deepEqual(labelerAction(key("3"), "single", ["7", "3"]), { type: "label", cls: 1 });
  assert.deepEqual(labelerAction(key("1"), "single", ["7", "3"]), { type: "label", cls: null, key: "1" });
  assert.deepEqual(classKeys(["cat", "dog"]), ["1", "2"]);
  assert.deepEqual(classKeys(["1", "1b"]), ["1", "2"]); // not all one digit: by position
  assert.deepEqual(labelerAction(key("3"), "single", ["cat", "dog"]), { type: "label", cls: null, key: "3" });
  assert.deepEqual([keyRange(digits), keyRange(["cat", "dog"]), keyRange(["7", "3", "5"]), keyRange([])],
    ["0-9", "1-2", "3, 5, 7", ""]);
});

test("render: with digit labels the key pressed is the label sent, and each answer is confirmed", async () => {
  const digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
  const probs = digits.map(() => 0.1);
  const model = labelerModel({
    classes: digits, item: { key: 412, id: 412, probs }, queue: [{ key: 7, id: 7, probs }], trail: [],
  });
  const { root, press, cleanup } = mount(model);
  press("3");
  assert.deepEqual(last(model), { type: "label", key: 412, cls: 3, next: 7, seq: 2 }); // class "3", not the third
  const confirm = find(root, "hitl-il-confirm");
  assert.equal(confirm.textContent, "item 412 → 3");
  assert.ok(confirm.className.includes("hitl-shown"));
  assert.equal(find(root, "hitl-il-classes").children[0].children[0].textContent, "0"); // the button of "0" shows key 0
  assert.match(find(root, "hitl-il-help").textContent, /^0-9 label/);
  press("Enter");
  assert.equal(confirm.textContent, "item 7 skipped");
  cleanup();
});

test("render: an undo takes back the \"item → label\" line, one by one and in the grid", () => {
  const model = labelerModel();
  const { root, press, cleanup } = mount(model);
  press("2");
  const confirm = find(root, "hitl-il-confirm");
  assert.equal(confirm.textContent, "item a.png → dog");
  press("Backspace");
  assert.equal(model.sent.at(-1).type, "undo");
  assert.equal(confirm.textContent, ""); // the answer it named is gone
  assert.ok(!confirm.className.includes("hitl-shown"));
  cleanup();
  const grid = labelerModel({ batch_size: 4 });
  const g = mount(grid);
  g.press("1");
  g.press("Enter");
  assert.match(find(g.root, "hitl-il-confirm").textContent, /^1 labeled: a.png → cat/);
  g.press("Backspace"); // no tile assigned: the last submit is undone
  assert.equal(grid.sent.at(-1).type, "undo");
  assert.equal(find(g.root, "hitl-il-confirm").textContent, "");
  g.cleanup();
});

test("render: named labels keep 1-9 by position, and the confirmation names the label", () => {
  const model = labelerModel();
  const { root, press, cleanup } = mount(model);
  press("2");
  assert.equal(find(root, "hitl-il-confirm").textContent, "item a.png → dog");
  assert.match(find(root, "hitl-il-help").textContent, /^1-3 label/);
  cleanup();
});

// The team dashboard: its lines, and a click on an answer sends one numbered adjudicate action.
import { test } from "node:test";
import assert from "node:assert/strict";
import { agreementLine, ago, kappaColor, summaryLine } from "../src/team_dashboard/format.js";
import widget from "../src/team_dashboard/widget.js";
import { FakeModel, find, installFakeDom } from "./fakes.js";

const report = {
  annotators: [
    { name: "ana", labels: 12, skips: 1, per_minute: 2.4, last_seconds_ago: 5, shared: 4, agreed: 3 },
    { name: "bo", labels: 9, skips: 0, per_minute: 1.8, last_seconds_ago: 200, shared: 4, agreed: 3 },
  ],
  matrix: { names: ["ana", "bo"], kappa: [[null, 0.5], [0.5, null]], items: [[0, 4], [4, 0]] },
  alpha: 0.52, alpha_items: 4, fleiss: 0.5, fleiss_items: 4,
  disagreements: [{ item: 7, answers: { ana: "cat", bo: "dog" }, final: null, preview: "a cat or a dog" }],
  n_labeled: 17, n_final: 16, n_items: 40,
};

function all(node, cls, out = []) {
  if ((node.className ?? "").split(" ").includes(cls)) out.push(node);
  for (const c of node.children ?? []) if (typeof c === "object") all(c, cls, out);
  return out;
}

test("the summary and agreement lines say what the figures count", () => {
  assert.equal(summaryLine(report), "2 annotators · 17 of 40 items labeled · 16 with a final label");
  assert.equal(summaryLine({ ...report, n_items: null, annotators: [report.annotators[0]] }), "1 annotator · 17 items labeled · 16 with a final label");
  assert.equal(agreementLine(report), "Krippendorff's alpha 0.520 on 4 items · Fleiss' kappa 0.500 on 4 items");
  assert.match(agreementLine({ ...report, alpha_items: 0 }), /overlap=/);
  assert.equal(agreementLine({ ...report, alpha_items: 1, fleiss_items: 1 }), "Krippendorff's alpha 0.520 on 1 item · Fleiss' kappa 0.500 on 1 item");
  assert.deepEqual([ago(null), ago(12.4), ago(200), ago(7300)], ["-", "12 s ago", "3 min ago", "2 h ago"]);
  assert.equal(kappaColor(1), "hsla(120, 70%, 45%, 0.35)");
  assert.equal(kappaColor(-0.3), "hsla(0, 70%, 45%, 0.35)");
});

test("the page draws every annotator, the matrix and the disagreements; a click adjudicates", () => {
  installFakeDom();
  const model = new FakeModel({ report, updated_at: 0, error: "", _ack: 3 });
  const host = document.createElement("div");
  const stop = widget.render({ model, el: host });
  const root = host.children[0];
  assert.deepEqual(all(root, "hitl-td-people")[0].children.slice(1).map((r) => r.dataset.annotator), ["ana", "bo"]);
  const cells = all(root, "hitl-td-cell").map((c) => c.textContent);
  assert.deepEqual(cells, ["", "0.50 (4 items)", "0.50 (4 items)", ""]);
  const answers = all(root, "hitl-td-answer");
  assert.deepEqual(answers.map((b) => b.textContent), ["ana: cat", "bo: dog"]);
  answers[1].dispatch("click");
  assert.deepEqual(model.sent, [{ type: "adjudicate", item: 7, label: "dog", seq: 4 }]);
  model.fromPython({ report: { ...report, disagreements: [{ ...report.disagreements[0], final: "dog" }] }, _ack: 4 });
  assert.equal(find(root, "hitl-td-verdict").textContent, "final: dog");
  assert.ok(find(root, "hitl-td-final"));
  stop();
  assert.equal(model.listenerCount(), 0);
});

test("an image item's thumbnail, sent in binary buffers, is drawn beside its answers", () => {
  installFakeDom();
  const image = { ...report.disagreements[0], preview: null, thumbnail: true };
  const model = new FakeModel({ report: { ...report, disagreements: [image] }, updated_at: 0, error: "", _ack: 0 });
  const host = document.createElement("div");
  const stop = widget.render({ model, el: host });
  const root = host.children[0];
  assert.equal(all(root, "hitl-td-thumb").length, 0);
  assert.deepEqual(model.sent, [{ type: "thumbnails", items: [7], seq: 1 }]); // asked for, once
  model.fromPython({ updated_at: 1 });
  assert.equal(model.sent.length, 1);
  model.emit("msg:custom", { type: "images", keys: [7], mimes: ["image/png"] }, [new Uint8Array([137, 80, 78, 71])]);
  const [thumb] = all(root, "hitl-td-thumb");
  assert.match(thumb.src, /^blob:/);
  assert.equal(thumb.alt, "item 7");
  assert.ok(all(root, "hitl-td-item")[0].children.includes(thumb));
  stop();
  assert.equal(model.listenerCount(), 0);
});

test("a thumbnail the kernel could not send yet is asked for again with the next report, an unreadable one not", () => {
  installFakeDom();
  const two = [7, 8].map((item) => ({ ...report.disagreements[0], item, preview: null, thumbnail: true }));
  const model = new FakeModel({ report: { ...report, disagreements: two }, updated_at: 0, error: "", _ack: 0 });
  const host = document.createElement("div");
  widget.render({ model, el: host });
  assert.deepEqual(model.sent.map((m) => m.items), [[7, 8]]);
  model.emit("msg:custom", { type: "images", keys: [], mimes: [], failed: [8], asked: [7, 8] }, []);
  assert.equal(model.sent.length, 1); // not at once
  model.fromPython({ updated_at: 2 });
  assert.deepEqual(model.sent.map((m) => m.items), [[7, 8], [7]]); // 7 again; 8 could not be read
});

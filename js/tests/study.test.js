// The study page: pacing rules, feedback states, keys, and the stream paced by animation frames.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countdownText, feedbackState, feedbackText, labelKey, questionAnswer, stepDue } from "../src/study_participant/pacing.js";
import { generatedId, keepId, keptId } from "../src/study_participant/screens.js";
import widget from "../src/study_participant/widget.js";
import { FakeModel, find, installFakeDom, settle } from "./fakes.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });

test("an image is swapped on the frame nearest its time, never half a frame early", () => {
  const frame = 1000 / 60;
  assert.equal(stepDue(1000 - frame, 1000, frame), false);
  assert.equal(stepDue(1000 - frame / 2, 1000, frame), true);
  assert.equal(stepDue(1000 - frame / 2 - 0.1, 1000, frame), false);
  assert.equal(countdownText(4200), "5 s");
  assert.equal(countdownText(-30), "0 s");
  assert.equal(countdownText(640, 1000), "0.7 s"); // 1 s per image: tenths, not "1 s" throughout
  assert.equal(countdownText(2950, 3000), "3.0 s");
  assert.equal(countdownText(2950, 5000), "3 s");
});

test("feedback: waiting for the kernel, allowed, given once, disabled where the model did not ask", () => {
  assert.equal(feedbackState({}, 0, false), "waiting");
  assert.equal(feedbackState({ position: 2, allowed: true }, 3, false), "waiting"); // about another image
  assert.equal(feedbackState({ position: 3, allowed: true }, 3, false), "allowed");
  assert.equal(feedbackState({ position: 3, allowed: true }, 3, true), "given");
  assert.equal(feedbackState({ position: 3, allowed: false, given: "8" }, 3, false), "given"); // after a reload
  assert.equal(feedbackState({ position: 3, allowed: false }, 3, false), "disabled");
  assert.match(feedbackText("disabled", "ALMT"), /did not ask/);
  assert.equal(feedbackText("given", "MT", "cat"), "Sent: cat");
  assert.match(feedbackText("allowed", "ALMT"), /asks/);
});

test("keys 1-9 pick a label; chords and keys past the labels do not", () => {
  assert.equal(labelKey(key("1"), 2), 0);
  assert.equal(labelKey(key("2"), 2), 1);
  assert.equal(labelKey(key("3"), 2), null);
  assert.equal(labelKey(key("0"), 2), null);
  assert.equal(labelKey(key("1", { ctrlKey: true }), 2), null);
  assert.equal(labelKey(key("a"), 2), null);
});

test("answers: a Likert choice within the scale, free text as typed; IDs made for those without one", () => {
  assert.equal(questionAnswer({ scale: 5 }, "4"), 4);
  assert.equal(questionAnswer({ scale: 5 }, undefined), null);
  assert.equal(questionAnswer({ scale: 5 }, "7"), null);
  assert.equal(questionAnswer({ scale: 0 }, "  fine "), "fine");
  assert.equal(questionAnswer({ scale: 0 }, undefined), "");
  assert.match(generatedId(() => 0.5), /^P-[A-Z2-9]{6}$/);
});

const KEYS = ["0.0.0", "0.0.1", "0.0.2"]; // the stream's images, by the keys the kernel sends them under

function streamPage(judged = {}) {
  const make = installFakeDom();
  globalThis.document.createElement = (tag) => {
    const node = make(tag);
    if (tag === "img") node.decode = () => Promise.resolve();
    return node;
  };
  const frames = [];
  globalThis.requestAnimationFrame = (f) => frames.push(f);
  globalThis.cancelAnimationFrame = () => frames.splice(0);
  const model = new FakeModel({
    screen: { phase: "stream", title: "ALMT", strategy: "ALMT", step: 0, n_steps: 2, position: 0, n_images: 3, images: KEYS },
    labels: ["3", "8"],
    step_duration: 0.1, pause: 1, get_ready: 0, study_name: "s", judged, error: "", _ack: 0,
  });
  const host = make("div");
  widget.render({ model, el: host });
  // a page opened on a stream lacks its images: it asks once, and the stream starts when they are all there
  assert.deepEqual(model.sent.filter((m) => m.type === "want").map((m) => m.keys), [KEYS]);
  model.emit("msg:custom", { type: "images", keys: KEYS, mimes: KEYS.map(() => "image/png") },
    KEYS.map((_, i) => new DataView(new Uint8Array([i]).buffer)));
  let now = 1000;
  const frame = () => { now += 1000 / 60; frames.shift()?.(now); };
  return { model, root: host.children[0], frame, sent: (type) => model.sent.filter((m) => m.type === type) };
}

test("the stream: shown, answered by key once, hidden on the frame nearest the step duration, the next one shown", async () => {
  globalThis.__hitl_study_times = [];
  const page = streamPage();
  await settle();
  page.frame(); // the first image goes up
  assert.deepEqual(page.sent("show").map((m) => m.position), [0]);
  const buttons = find(page.root, "hitl-st-labels").children;
  assert.equal(page.root.children[0].children[0].dataset.feedback, "waiting"); // the kernel has not judged it yet
  page.root.dispatch("keydown", key("2")); // pressed before the kernel's word: kept, not dropped
  assert.equal(page.sent("feedback").length, 0);
  assert.equal(find(page.root, "hitl-st-line").textContent, "Noted: 8");
  page.model.fromPython({ judged: { position: 0, allowed: true, asked: true } });
  page.root.dispatch("keydown", key("1")); // a second key on the same image sends nothing
  assert.deepEqual(page.sent("feedback").map((m) => [m.position, m.label, m.via]), [[0, 1, "key"]]);
  assert.ok(page.sent("feedback")[0].t <= page.model.sent.at(-1).t); // stamped when it was pressed
  assert.equal(find(page.root, "hitl-st-line").textContent, "Sent: 8");
  assert.ok(buttons.every((b) => b.disabled));
  for (let i = 0; i < 8; i++) page.frame();
  assert.deepEqual(page.sent("hide").map((m) => m.position), [0]);
  assert.deepEqual(page.sent("show").map((m) => m.position), [0, 1]);
  assert.ok(Math.abs(globalThis.__hitl_study_times[0] - 100) <= 1000 / 120); // within half a frame of 100 ms
  page.root.dispatch("keydown", key("1")); // early again, on an image the model did not ask about
  page.model.fromPython({ judged: { position: 1, allowed: false, asked: false } });
  page.root.dispatch("keydown", key("1"));
  assert.equal(page.sent("feedback").length, 1); // ALMT: feedback is off for this one, early or not
  assert.match(find(page.root, "hitl-st-line").textContent, /did not ask/);
  assert.ok(page.sent("show").every((m) => typeof m.t === "number" && m.t > 1e9)); // wall-clock seconds
});

test("a stream starts after a short get ready; keys then do nothing", async () => {
  const page = streamPage();
  page.model.set("get_ready", 0.05);
  page.model.fromPython({ screen: { ...page.model.get("screen"), phase: "intro" } });
  page.model.fromPython({ screen: { ...page.model.get("screen"), phase: "stream" } });
  const stream = page.root.children[0].children[0];
  assert.equal(stream.dataset.ready, "true");
  assert.match(find(page.root, "hitl-st-ready").textContent, /^Get ready… 0\.\d s$/);
  page.root.dispatch("keydown", key("1"));
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(stream.dataset.ready, undefined);
  page.frame();
  assert.equal(page.sent("feedback").length, 0);
  assert.deepEqual(page.sent("show").map((m) => m.position), [0]);
});

test("the ID is kept for the tab: a reload goes back as that participant; an ID in use is asked about", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)) };
  assert.equal(keptId("k", storage), null);
  keepId("k", "P01", storage);
  assert.equal(keptId("k", storage), "P01");
  assert.equal(keptId("k", { getItem() { throw new Error("denied"); } }), null); // storage refused: asked again
  installFakeDom();
  globalThis.sessionStorage = storage;
  try {
    store.set("hitl-study:s", "P07");
    const model = new FakeModel({ screen: { phase: "id", participant: "" }, labels: ["3", "8"], step_duration: 1,
      pause: 1, get_ready: 0, study_name: "s", judged: {}, error: "", _ack: 0 });
    const host = document.createElement("div");
    widget.render({ model, el: host });
    assert.deepEqual(model.sent.map((m) => [m.type, m.participant, m.typed]), [["begin", "P07", undefined]]);
    model.fromPython({ screen: { phase: "id_taken", participant: "P02", where: "in part 1 of 2, image 4 of 30" } });
    const root = host.children[0];
    assert.match(find(root, "hitl-st-text").textContent, /P02 has taken part already \(in part 1 of 2, image 4 of 30\)/);
    find(root, "hitl-st-go").dispatch("click");
    assert.deepEqual(model.sent.at(-1), { type: "begin", participant: "P02", typed: true, confirmed: true, t: model.sent.at(-1).t, seq: 2 });
    model.fromPython({ screen: { phase: "instructions", participant: "P02", text: "Hi", step: 0, n_steps: 1 } });
    assert.equal(store.get("hitl-study:s"), "P02");
  } finally {
    delete globalThis.sessionStorage;
  }
});

test("consent: agree or not, sent as a choice; the end gives the code and goes back to the pool", async () => {
  installFakeDom();
  const model = new FakeModel({ screen: { phase: "consent", participant: "P01", text: "You may stop at any time." },
    labels: ["3", "8"], step_duration: 1, pause: 1, get_ready: 0, study_name: "c", judged: {}, error: "", _ack: 0 });
  const host = document.createElement("div");
  widget.render({ model, el: host });
  const root = host.children[0];
  assert.equal(find(root, "hitl-st-consent").textContent, "You may stop at any time.");
  find(root, "hitl-st-btn").dispatch("click"); // "I do not agree"
  assert.deepEqual(model.sent.map((m) => [m.type, m.agree]), [["consent", false]]);
  const went = [];
  const { completionScreen } = await import("../src/study_participant/screens.js");
  const end = completionScreen({ code: "C0DE42", url: "/back?cc=C0DE42" }, (to) => went.push(to), 0.05);
  assert.equal(find(end, "hitl-st-code").textContent, "C0DE42");
  assert.equal(find(end, "hitl-st-back").href, "/back?cc=C0DE42");
  await new Promise((r) => setTimeout(r, 120));
  assert.deepEqual(went, ["/back?cc=C0DE42"]);
});

// The study page: pacing rules, feedback states, keys, and the stream paced by animation frames.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countdownText, feedbackState, feedbackText, labelKey, questionAnswer, stepDue } from "../src/study_pacing.js";
import { generatedId } from "../src/study_screens.js";
import widget from "../src/study_participant.js";
import { FakeModel, find, installFakeDom, settle } from "./fakes.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...extra });

test("an image is swapped on the frame nearest its time, never half a frame early", () => {
  const frame = 1000 / 60;
  assert.equal(stepDue(1000 - frame, 1000, frame), false);
  assert.equal(stepDue(1000 - frame / 2, 1000, frame), true);
  assert.equal(stepDue(1000 - frame / 2 - 0.1, 1000, frame), false);
  assert.equal(countdownText(4200), "5 s");
  assert.equal(countdownText(-30), "0 s");
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
    screen: { phase: "stream", title: "ALMT", strategy: "ALMT", step: 0, n_steps: 2, position: 0, n_images: 3 },
    images: [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])], labels: ["3", "8"],
    step_duration: 0.1, pause: 1, judged, error: "", _ack: 0,
  });
  const host = make("div");
  widget.render({ model, el: host });
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
  assert.ok(buttons.every((b) => b.disabled)); // waiting for the kernel's judgement
  page.root.dispatch("keydown", key("1"));
  assert.equal(page.sent("feedback").length, 0);
  page.model.fromPython({ judged: { position: 0, allowed: true, asked: true } });
  assert.ok(buttons.every((b) => !b.disabled));
  page.root.dispatch("keydown", key("2"));
  page.root.dispatch("keydown", key("1")); // a second key on the same image sends nothing
  assert.deepEqual(page.sent("feedback").map((m) => [m.position, m.label, m.via]), [[0, 1, "key"]]);
  assert.equal(find(page.root, "hitl-st-line").textContent, "Sent: 8");
  for (let i = 0; i < 8; i++) page.frame();
  assert.deepEqual(page.sent("hide").map((m) => m.position), [0]);
  assert.deepEqual(page.sent("show").map((m) => m.position), [0, 1]);
  assert.ok(Math.abs(globalThis.__hitl_study_times[0] - 100) <= 1000 / 120); // within half a frame of 100 ms
  page.model.fromPython({ judged: { position: 1, allowed: false, asked: false } });
  page.root.dispatch("keydown", key("1"));
  assert.equal(page.sent("feedback").length, 1); // ALMT: feedback is off for this one
  assert.match(find(page.root, "hitl-st-line").textContent, /did not ask/);
  assert.ok(page.sent("show").every((m) => typeof m.t === "number" && m.t > 1e9)); // wall-clock seconds
});

// The shared action protocol: numbered actions above the kernel's acknowledgement, and the key rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isOtherChord, isUndoChord, sequencedSender, typingInside } from "../src/common/actions.js";
import { FakeModel } from "./fakes.js";

test("actions are numbered above the last acknowledged one, so a reloaded page never reuses a number", () => {
  const model = new FakeModel({ _ack: 0 });
  const send = sequencedSender(model);
  assert.equal(send({ type: "undo" }), 1);
  assert.equal(send({ type: "label", cls: 0 }), 2);
  assert.deepEqual(model.sent, [{ type: "undo", seq: 1 }, { type: "label", cls: 0, seq: 2 }]);
  const reloaded = sequencedSender(new FakeModel({ _ack: 41 })); // a second view of a widget that took 41 actions
  assert.equal(reloaded({ type: "skip" }), 42);
});

test("key rules: Ctrl/Cmd+Z undoes everywhere; other chords and typing in fields are not ours", () => {
  const ev = (key, mods = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  assert.ok(isUndoChord(ev("z", { ctrlKey: true })) && isUndoChord(ev("Z", { metaKey: true })));
  assert.ok(!isUndoChord(ev("z")) && !isUndoChord(ev("z", { ctrlKey: true, altKey: true })));
  assert.ok(isOtherChord(ev("s", { ctrlKey: true })) && !isOtherChord(ev("z", { ctrlKey: true })) && !isOtherChord(ev("1")));
  const root = { tagName: "DIV" };
  assert.ok(typingInside({ target: { tagName: "INPUT" } }, root));
  assert.ok(!typingInside({ target: root }, root) && !typingInside({ target: { tagName: "BUTTON" } }, root));
});

// The one action protocol, page side: numbered actions to the kernel, and the key rules every widget shares.

/**
 * A sender of numbered actions: each number is above the last one the kernel acknowledged
 * (`_ack`), so a reloaded page never reuses one. The kernel sends `_ack = n` in the same
 * update as the state that action produced; a page drops its optimistic copy then.
 */
export function sequencedSender(model) {
  let seq = 0;
  return (msg) => {
    seq = Math.max(seq, model.get("_ack")) + 1;
    model.send({ ...msg, seq });
    return seq;
  };
}

/**
 * A setting the page changes (a menu, a toggle, a slider, a class key): shown at once, and sent as a
 * numbered `{type: "set", name, value}` action, never as a bare trait write. The kernel applies it
 * through the trait's own checks and acknowledges it like any action; a refused value comes back as
 * the kernel's value, with the error.
 */
export function settingSender(model, send) {
  return (name, value) => {
    model.set(name, value); // shown at once; not saved: the kernel's answer is the truth
    return send({ type: "set", name, value });
  };
}

/** Ctrl+Z (Cmd+Z on a Mac): undo, in every widget. */
export function isUndoChord(ev) {
  return (ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z");
}

/** A key with Ctrl, Cmd or Alt held that is not the undo chord: the browser's or the notebook's, not ours. */
export function isOtherChord(ev) {
  return (ev.ctrlKey || ev.metaKey || ev.altKey) && !isUndoChord(ev);
}

/** A keydown typed into a field or menu inside the widget: it keeps its keys (arrows, letters). */
export function typingInside(ev, root) {
  const tag = ev.target && ev.target.tagName;
  return ev.target !== root && (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA");
}

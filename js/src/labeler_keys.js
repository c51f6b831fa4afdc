// Keyboard map of the image labeler: a pure function of the key event and the mode.
import { isOtherChord, isUndoChord } from "./actions.js";

/**
 * The action a keydown asks for, or null when the key is not ours.
 * mode: "single" (one image) or "batch" (a grid of tiles).
 */
export function labelerAction(ev, mode = "single") {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (/^[1-9]$/.test(k)) return { type: "label", cls: Number(k) - 1 };
  if (k === "0") return { type: "label", cls: 9 }; // the tenth label, as on a keyboard's number row
  if (k === "Backspace") return { type: "undo" };
  if (k === "Escape") return { type: "escape" };
  if (mode === "batch") {
    if (k === "Enter") return { type: "submit" };
    if (k === "ArrowLeft") return { type: "move", by: -1 };
    if (k === "ArrowRight") return { type: "move", by: 1 };
    if (k === "ArrowUp") return { type: "move", by: "up" };
    if (k === "ArrowDown") return { type: "move", by: "down" };
    return null;
  }
  if (k === "Enter" || k === " ") return { type: "skip" };
  if (k === "ArrowLeft") return { type: "back" };
  if (k === "ArrowRight") return { type: "forward" };
  return null;
}

/** The key printed on the button of class i: 1-9, then 0 for the tenth; none after. */
export function keyHint(i) {
  return i < 9 ? String(i + 1) : i === 9 ? "0" : "";
}

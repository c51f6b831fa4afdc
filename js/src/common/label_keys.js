// Keyboard maps of the labelers: pure functions of the key event, the mode and the class names.
import { isOtherChord, isUndoChord } from "./actions.js";

const POSITIONAL = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];

/**
 * The digit key of each class, by index. Classes named by one digit each (labels 0-9, or a
 * few of them) get their own digit, so the key pressed is the label stored; other classes get
 * 1-9 then 0 by position (the tenth), and none after.
 */
export function classKeys(classes) {
  if (!Array.isArray(classes)) return POSITIONAL;
  const names = classes.map(String);
  const ownDigits = names.length > 0 && names.every((n) => /^[0-9]$/.test(n)) && new Set(names).size === names.length;
  return ownDigits ? names : POSITIONAL.slice(0, names.length);
}

/** The key printed on the button of class i ("" when it has none). */
export function keyHint(i, classes) {
  return classKeys(classes)[i] ?? "";
}

/** The keys that label, for a help line: "1-2", "1-9, 0", "0-9", "3, 5, 8". */
export function keyRange(classes) {
  const keys = classKeys(classes);
  if (keys.length <= 1) return keys.join("");
  if (keys.every((k, i) => k === POSITIONAL[i])) return keys.length === 10 ? "1-9, 0" : `1-${keys.length}`;
  const sorted = keys.map(Number).sort((a, b) => a - b);
  const contiguous = sorted.every((v, i) => v === sorted[0] + i);
  return contiguous ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(", ");
}

/**
 * A digit key's label action: {type: "label", cls} with the class index, or cls null (and the
 * key) when no class has that key.
 */
export function digitAction(k, classes) {
  const cls = classKeys(classes).indexOf(k);
  return cls >= 0 ? { type: "label", cls } : { type: "label", cls: null, key: k };
}

/**
 * The action a keydown asks for in the pool labeler, or null when the key is not ours.
 * mode: "single" (one item) or "batch" (a grid of tiles).
 */
export function labelerAction(ev, mode = "single", classes = undefined) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (/^[0-9]$/.test(k)) return digitAction(k, classes);
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

/** "There are 2 labels; key 7 has none." for a label key no class has. */
export function noClassText(action, classes, noun = "labels") {
  return `There are ${classes.length} ${noun}; key ${action.key ?? keyHint(action.cls, classes)} has none.`;
}

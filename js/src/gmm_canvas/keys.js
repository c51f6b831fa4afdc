// Keyboard map of the GMM canvas: a pure function of the key event.
import { isOtherChord, isUndoChord } from "../common/actions.js";

/** The action a keydown asks for, or null when the key is not ours. */
export function actionForKey(ev) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (k === "Backspace") return { type: "undo" };
  if (k === "p" || k === "P") return { type: "params" };
  if (k === "b" || k === "B") return { type: "fit_batch" };
  if (k === "a" || k === "A") return { type: "adopt" };
  if (k === "c" || k === "C") return { type: "clear" };
  if (k === "v" || k === "V") return { type: "cycle_show" };
  if (k === "Escape") return { type: "hide_params" };
  if (/^[1-9]$/.test(k)) return { type: "class", index: Number(k) - 1 };
  return null;
}

export const SHOW_MODES = ["online", "batch", "both"];

/** The display mode after `mode` when cycling with `v`. */
export function nextShow(mode) {
  return SHOW_MODES[(SHOW_MODES.indexOf(mode) + 1) % SHOW_MODES.length];
}

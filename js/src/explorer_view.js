// The explorer's words and keys: pure functions of the synced state.
import { isOtherChord, isUndoChord } from "./actions.js";

/** The action a keydown asks for, or null when the key is not ours. */
export function explorerAction(ev, nClasses = 0) {
  if (isUndoChord(ev) || isOtherChord(ev)) return null;
  const k = ev.key;
  if (k === " ") return { type: "step" };
  if (k === "p" || k === "P") return { type: "toggle_play" };
  if (k === "r" || k === "R") return { type: "reset" };
  if (k === "u" || k === "U") return { type: "toggle_utility" };
  if (k === "o" || k === "O") return { type: "toggle_overlay" };
  if (/^[1-9]$/.test(k) && Number(k) <= nClasses) return { type: "answer", cls: Number(k) - 1 };
  return null;
}

/** One line under the controls: what happened and what to do next. */
export function statusLine(status, panels) {
  if (status.pending) {
    const more = status.n_pending > 1 ? ` (${status.n_pending} waiting)` : "";
    return `Which class is the circled point in "${status.pending.panel}"? Press its number${more}.`;
  }
  const labels = panels.map((p) => p.n_labels);
  const most = Math.max(0, ...labels);
  const budget = panels.length ? panels[0].budget : 0;
  if (status.finished) return `Every strategy has used its budget of ${budget} labels. Reset (r) to start again.`;
  const you = panels.some((p) => p.name === "you") ? " Click a point in “you” to ask about it." : "";
  const verb = status.playing ? "Playing" : `Step ${status.steps}`;
  return `${verb} · up to ${most} of ${budget} labels per strategy.${you}`;
}

/** "accuracy 87%" or "no held-out score yet". */
export function accuracyText(accuracy) {
  return accuracy === null || accuracy === undefined ? "no score yet" : `held-out accuracy ${Math.round(100 * accuracy)}%`;
}

/** The help line: every key the widget takes. */
export function helpText(oracle) {
  const answer = oracle === "human" ? " · 1-9 answer the circled point" : "";
  return `Space step · p play/pause · r reset · u utility shading · o every strategy's picks on the first panel${answer}`;
}

/**
 * The URL a teacher hands out: this page's address with the run's state as its only query
 * parameter (never the page's own, such as a server token).
 */
export function shareUrl(href, state) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("state", state);
  return url.toString();
}

// The explorer's words and keys: pure functions of the synced state.
import { isOtherChord, isUndoChord } from "../common/actions.js";

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
  const strategies = panels.filter((p) => p.name !== "you");
  const you = panels.find((p) => p.name === "you");
  const most = Math.max(0, ...strategies.map((p) => p.n_labels));
  const budget = panels.length ? panels[0].budget : 0;
  if (status.finished) {
    const who = you ? "Every strategy and “you” have" : "Every strategy has";
    return `${who} used the budget of ${budget} labels. Reset (r) to start again.`;
  }
  if (status.strategies_done && you) {
    return `The strategies have used their budget of ${budget} labels; “you” is at ${you.n_labels} of ${budget}: ` +
      "click points in “you” to go on, or Reset (r).";
  }
  const click = you ? " Click a point in “you” to ask about it." : "";
  const verb = status.playing ? "Playing" : `Step ${status.steps}`;
  return `${verb} · up to ${most} of ${budget} labels per strategy.${click}`;
}

/**
 * A press that must be confirmed by a second press within `windowMs`: `press(needsConfirm)` returns
 * true when the action should run now. The first press arms it and calls `onArmed(true)`; when the
 * window ends unconfirmed it disarms and calls `onArmed(false)`, so what the button says and what
 * the next press does never disagree.
 */
export function confirmedPress(onArmed, windowMs = 3000, timers = globalThis) {
  let timer = null;
  const disarm = () => {
    if (timer === null) return;
    timers.clearTimeout(timer);
    timer = null;
    onArmed(false);
  };
  return {
    press(needsConfirm) {
      if (!needsConfirm || timer !== null) {
        disarm();
        return true;
      }
      timer = timers.setTimeout(() => { timer = null; onArmed(false); }, windowMs);
      onArmed(true);
      return false;
    },
    get armed() { return timer !== null; },
    cancel: disarm,
  };
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

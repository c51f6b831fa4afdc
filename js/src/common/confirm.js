// The line that confirms an answer, shared by the labelers.
import { el } from "./dom.js";

const CONFIRM_MS = 2500;

/**
 * A brief line saying what the last answer recorded ("item 412 → 7"): it lights up at each
 * answer and fades, so a wrong key is noticed without slowing anyone down.
 */
export function confirmView(prefix = "hitl-il") {
  const node = el("div", `${prefix}-confirm`);
  node.setAttribute("role", "status");
  node.setAttribute("aria-live", "polite");
  let timer = null;
  return {
    node,
    say(text) {
      node.textContent = text;
      node.classList.add("hitl-shown");
      clearTimeout(timer);
      timer = setTimeout(() => node.classList.remove("hitl-shown"), CONFIRM_MS);
    },
    /** An undo takes the last answer back: the line no longer says what it recorded. */
    withdraw() {
      clearTimeout(timer);
      node.textContent = "";
      node.classList.remove("hitl-shown");
    },
    clear() { clearTimeout(timer); },
  };
}

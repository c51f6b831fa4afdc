// The study page's rules, without the DOM: when an image's time is up, what feedback may do, keys, texts.

const FRAME_MS = 1000 / 60;

/**
 * Whether an image shown `elapsed` ms ago must be swapped on this frame: the frame nearest the
 * step duration, so its time on screen is within half a frame of the setting (a frame late at most
 * when a frame is dropped).
 */
export function stepDue(elapsed, durationMs, frameMs = FRAME_MS) {
  return elapsed + frameMs / 2 >= durationMs;
}

/**
 * The time left: whole seconds, rounded up ("3 s"), or tenths when the whole span is 3 s or less
 * ("0.7 s": at 1 s per image whole seconds would read "1 s" throughout); "0 s" once the time is up.
 */
export function countdownText(msLeft, spanMs = Infinity) {
  if (msLeft <= 0) return "0 s";
  return spanMs <= 3000 ? `${(Math.ceil(msLeft / 100) / 10).toFixed(1)} s` : `${Math.ceil(msLeft / 1000)} s`;
}

/**
 * What the label buttons do for the image at `position`: "waiting" (the kernel has not said yet
 * whether feedback is allowed), "allowed", "given" (this image has its feedback), "disabled"
 * (ALMT: the model did not ask about it).
 */
export function feedbackState(judged, position, given) {
  if (given) return "given";
  if (!judged || judged.position !== position) return "waiting";
  if (judged.given !== undefined) return "given";
  return judged.allowed ? "allowed" : "disabled";
}

/** The line under the image for a feedback state. */
export function feedbackText(state, strategy, givenLabel) {
  if (state === "given") return `Sent: ${givenLabel}`;
  if (state === "disabled") return "Feedback is off for this image: the model did not ask about it.";
  if (state === "waiting") return "…";
  return strategy === "ALMT" ? "The model asks: what is this?" : "What is this? (feedback is up to you)";
}

/** The label index of a digit key 1-9 (null for any other key or a chord). */
export function labelKey(ev, nLabels) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return null;
  const n = Number(ev.key);
  return Number.isInteger(n) && n >= 1 && n <= Math.min(nLabels, 9) ? n - 1 : null;
}

/** The page's clock as wall time in seconds (what the kernel records beside its own). */
export function pageTime(perf = globalThis.performance) {
  return (perf.timeOrigin + perf.now()) / 1000;
}

/** A question's answer from the form's value: free text as typed (may be empty), a Likert choice or null. */
export function questionAnswer(question, value) {
  if (question.scale === 0) return typeof value === "string" ? value.trim() : "";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= question.scale ? n : null;
}

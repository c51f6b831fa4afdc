// The study's screens between streams: the participant's ID, a message, the pause, the questions.
import { el } from "./dom.js";
import { countdownText, questionAnswer } from "./study_pacing.js";

/** A random ID for a participant who has none ("P-" and six letters or digits). */
export function generatedId(random = Math.random) {
  const chars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return `P-${Array.from({ length: 6 }, () => chars[Math.floor(random() * chars.length)]).join("")}`;
}

export function idScreen(begin) {
  const node = el("div", "hitl-st-screen");
  const input = el("input", "hitl-st-id");
  input.placeholder = "your participant ID";
  const go = el("button", "hitl-st-go", "Start");
  const gen = el("button", "hitl-st-btn", "I have no ID: make one");
  const start = () => { if (input.value.trim()) begin(input.value.trim()); };
  go.addEventListener("click", start);
  input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") start(); });
  gen.addEventListener("click", () => { input.value = generatedId(); });
  node.append(el("h2", "hitl-st-title", "Welcome"), el("p", "hitl-st-text", "Enter your participant ID to begin."),
    input, el("div", "hitl-st-row"), go, gen);
  queueMicrotask(() => input.focus());
  return node;
}

export function messageScreen(title, text, onContinue) {
  const node = el("div", "hitl-st-screen");
  node.append(el("h2", "hitl-st-title", title), el("p", "hitl-st-text", text || ""));
  if (onContinue) {
    const go = el("button", "hitl-st-go", "Continue (Enter)");
    go.addEventListener("click", () => { go.disabled = true; onContinue(); });
    node.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && !go.disabled) go.click(); });
    node.tabIndex = -1;
    queueMicrotask(() => node.focus({ preventScroll: true }));
    node.append(go);
  }
  return node;
}

/** The pause between subsessions: a countdown by the page's clock, then on by itself. */
export function pauseScreen(seconds, onDone) {
  const node = el("div", "hitl-st-screen");
  const clock = el("div", "hitl-st-clock hitl-st-big");
  node.append(el("h2", "hitl-st-title", "A short pause"), el("p", "hitl-st-text", "The next part starts by itself."), clock);
  const end = performance.now() + seconds * 1000;
  let shown = false;
  const tick = () => {
    if (node.isConnected) shown = true;
    else if (shown) return; // the screen was left (a reload, another screen)
    const left = end - performance.now();
    clock.textContent = countdownText(left);
    if (left <= 0) onDone();
    else setTimeout(tick, Math.min(250, left));
  };
  tick();
  return node;
}

/** Likert items (radio buttons, 1..scale) and free text; Submit once every Likert item has a choice. */
export function questionScreen(screen, submit) {
  const node = el("div", "hitl-st-screen");
  node.append(el("h2", "hitl-st-title", "A few questions"));
  const read = screen.questions.map((q) => {
    const box = el("fieldset", "hitl-st-question");
    box.dataset.question = q.id;
    box.append(el("legend", "hitl-st-qtext", q.text));
    node.append(box);
    if (q.scale === 0) {
      const area = el("textarea", "hitl-st-free");
      box.append(area);
      return () => questionAnswer(q, area.value);
    }
    box.append(likertRow(q));
    return () => questionAnswer(q, box.querySelector("input:checked")?.value);
  });
  const go = el("button", "hitl-st-go", "Submit");
  const note = el("div", "hitl-st-text");
  go.addEventListener("click", () => {
    const values = read.map((r) => r());
    if (values.some((v) => v === null)) { note.textContent = "Please choose an answer for every item."; return; }
    go.disabled = true;
    submit(Object.fromEntries(screen.questions.map((q, i) => [q.id, values[i]])));
  });
  node.append(go, note);
  return node;
}

function likertRow(q) {
  const row = el("div", "hitl-st-likert");
  row.append(el("span", "hitl-st-end", q.low));
  for (let i = 1; i <= q.scale; i++) {
    const label = el("label", "hitl-st-choice");
    const radio = el("input");
    radio.type = "radio";
    radio.name = `hitl-st-${q.id}`;
    radio.value = String(i);
    label.append(radio, el("span", "", String(i)));
    row.append(label);
  }
  row.append(el("span", "hitl-st-end", q.high));
  return row;
}

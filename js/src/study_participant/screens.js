// The study's screens between streams: the participant's ID, a message, the pause, the questions.
import { el } from "../common/dom.js";
import { countdownText, questionAnswer } from "./pacing.js";

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

/** The ID this tab's participant gave (kept for a reload), or null; `keepId` keeps it. */
export function keptId(key, storage = globalThis.sessionStorage) {
  try { return storage ? storage.getItem(key) : null; } catch { return null; } // storage may be refused
}

export function keepId(key, participant, storage = globalThis.sessionStorage) {
  try { if (storage) storage.setItem(key, participant); } catch { /* a page that may not store: typed again */ }
}

/** An ID someone has used already: go on as them (the same person back), or give another. */
export function idTakenScreen(screen, goOn, another) {
  const node = el("div", "hitl-st-screen");
  const yes = el("button", "hitl-st-go", `Continue as ${screen.participant}`);
  const no = el("button", "hitl-st-btn", "Use another ID");
  yes.addEventListener("click", () => { yes.disabled = true; goOn(); });
  no.addEventListener("click", () => { no.disabled = true; another(); });
  node.append(el("h2", "hitl-st-title", "This ID has been used"),
    el("p", "hitl-st-text", `${screen.participant} has taken part already (${screen.where}). If that is you, go on where you were; if not, check your ID.`),
    yes, el("div", "hitl-st-row"), no);
  queueMicrotask(() => yes.focus());
  return node;
}

/** The consent text from the study's config, and a choice: agree (on to the instructions) or not (the end). */
export function consentScreen(text, answer) {
  const node = el("div", "hitl-st-screen");
  const yes = el("button", "hitl-st-go", "I agree to take part");
  const no = el("button", "hitl-st-btn", "I do not agree");
  for (const [b, agree] of [[yes, true], [no, false]]) {
    b.addEventListener("click", () => { yes.disabled = no.disabled = true; answer(agree); });
  }
  node.append(el("h2", "hitl-st-title", "Consent"), el("p", "hitl-st-text hitl-st-consent", text), yes,
    el("div", "hitl-st-row"), no);
  return node;
}

/** The end: the completion code to copy, and a participant pool's address to go back to, on its own after 5 s. */
export function completionScreen({ code, url }, go = (to) => globalThis.location.assign(to), seconds = 5) {
  const node = el("div", "hitl-st-screen");
  node.append(el("h2", "hitl-st-title", "Thank you!"), el("p", "hitl-st-text", "That is the end of the study."));
  if (code) {
    const shown = el("div", "hitl-st-code", code);
    const copy = el("button", "hitl-st-btn", "Copy the code");
    copy.addEventListener("click", () => {
      globalThis.navigator?.clipboard?.writeText(code).then(() => { copy.textContent = "Copied"; }, () => {});
    });
    node.append(el("p", "hitl-st-text", "Your completion code:"), shown, copy);
  }
  if (url) {
    const link = el("a", "hitl-st-go hitl-st-back", "Go back now");
    link.href = url;
    const note = el("p", "hitl-st-text hitl-st-redirect", "");
    node.append(note, link);
    countdown(node, seconds, (left) => { note.textContent = `Taking you back in ${countdownText(left)}…`; }, () => go(url));
  }
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
  countdown(node, seconds, (left) => { clock.textContent = countdownText(left); }, onDone);
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

/** Count `seconds` down by the page's clock while `node` is on the page: `show(msLeft)`, then `done()` once. */
function countdown(node, seconds, show, done) {
  const end = performance.now() + seconds * 1000;
  let shown = false;
  const tick = () => {
    if (node.isConnected) shown = true;
    else if (shown) return; // the screen was left (a reload, another screen)
    const left = end - performance.now();
    show(left);
    if (left <= 0) done();
    else setTimeout(tick, Math.min(250, left));
  };
  tick();
}

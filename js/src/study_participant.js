// The study participant's page: ID, messages, the timed stream (paced here, not by the kernel), questions.
import { sequencedSender } from "./actions.js";
import { el, keyboardRoot } from "./dom.js";
import { countdownText, feedbackState, feedbackText, labelKey, pageTime, stepDue } from "./study_pacing.js";
import { idScreen, messageScreen, pauseScreen, questionScreen } from "./study_screens.js";

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-st");
  host.append(root);
  const send = sequencedSender(model);
  const act = (msg) => send({ ...msg, t: pageTime() });
  const body = el("div", "hitl-st-body");
  const error = el("div", "hitl-st-error");
  root.append(body, error);
  const stream = streamView(model, act, root);
  let shownPhase = null;

  const draw = () => {
    const screen = model.get("screen");
    root.dataset.phase = screen.phase;
    if (screen.phase === "stream") {
      if (shownPhase !== "stream") { body.replaceChildren(stream.node); stream.start(screen); }
    } else {
      stream.stop();
      body.replaceChildren(screenFor(screen, model, act, root));
    }
    shownPhase = screen.phase;
  };
  const onError = () => {
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
    stream.acknowledged(model.get("_ack"));
  };
  const onJudged = () => stream.judged();
  const handlers = [["change:screen", draw], ["change:judged", onJudged], ["change:error", onError], ["change:_ack", onError]];
  for (const [ev, h] of handlers) model.on(ev, h);
  root.addEventListener("keydown", (ev) => stream.onKey(ev));
  draw();
  onError();
  return () => {
    for (const [ev, h] of handlers) model.off(ev, h);
    stream.stop();
  };
}

function screenFor(screen, model, act, root) {
  const advance = () => act({ type: "advance" });
  if (screen.phase === "id") return idScreen((participant) => act({ type: "begin", participant }));
  if (screen.phase === "questions") return questionScreen(screen, (answers) => act({ type: "answer", answers }));
  if (screen.phase === "pause") return pauseScreen(model.get("pause"), advance);
  const done = screen.phase === "done";
  const title = { instructions: "Instructions", intro: `Part ${screen.step + 1} of ${screen.n_steps}: ${screen.title}`,
    end: `End of part ${screen.step + 1}`, done: "Thank you!" }[screen.phase];
  const text = done ? "That is the end of the study. You can close this page." : screen.text;
  const node = messageScreen(title, text, done ? null : advance);
  queueMicrotask(() => root.focus({ preventScroll: true }));
  return node;
}

/** The stream: one image at a time for the step duration by the page's clock, a countdown, the label buttons. */
function streamView(model, act, root) {
  const node = el("div", "hitl-st-stream");
  const head = el("div", "hitl-st-head");
  const frame = el("div", "hitl-st-frame");
  const bar = el("div", "hitl-st-bar");
  const fill = el("div", "hitl-st-fill");
  bar.append(fill);
  const clock = el("div", "hitl-st-clock");
  const line = el("div", "hitl-st-line");
  const buttons = el("div", "hitl-st-labels");
  node.append(head, frame, bar, clock, buttons, line);
  let imgs = [], pos = 0, shownAt = 0, raf = 0, given = null, screen = null;
  const awaiting = []; // feedback sent and not yet acknowledged: [seq, when the key was pressed]
  globalThis.__hitl_study_times = globalThis.__hitl_study_times || [];
  globalThis.__hitl_study_feedback_ms = globalThis.__hitl_study_feedback_ms || [];

  const labelButtons = () => {
    buttons.replaceChildren(...model.get("labels").map((name, i) => {
      const b = el("button", "hitl-st-label");
      b.append(el("span", "", name), el("span", "hitl-st-key", `key ${i + 1}`));
      b.addEventListener("click", () => give(i, "button"));
      return b;
    }));
  };
  const state = () => feedbackState(model.get("judged"), pos, given !== null);
  const paintFeedback = () => {
    const s = state();
    node.dataset.feedback = s;
    for (const b of buttons.children) b.disabled = s !== "allowed";
    line.textContent = feedbackText(s, screen.strategy, given);
    line.className = `hitl-st-line hitl-st-${s}`;
  };
  const give = (i, via) => {
    if (state() !== "allowed") return;
    given = model.get("labels")[i];
    const seq = act({ type: "feedback", position: pos, label: i, via });
    awaiting.push([seq, performance.now()]);
    paintFeedback();
  };
  const showImage = (now) => {
    imgs.forEach((img, i) => { img.style.visibility = i === pos ? "visible" : "hidden"; });
    shownAt = now;
    given = null;
    node.dataset.position = String(pos);
    head.textContent = `${screen.title} · image ${pos + 1} of ${imgs.length}`;
    act({ type: "show", position: pos });
    paintFeedback();
  };
  const tick = (now) => {
    const duration = model.get("step_duration") * 1000;
    const elapsed = now - shownAt;
    if (stepDue(elapsed, duration)) {
      globalThis.__hitl_study_times.push(elapsed); // what the page held this image for (benchmarks read it)
      act({ type: "hide", position: pos });
      pos += 1;
      if (pos >= imgs.length) { raf = 0; return; } // the kernel's end message comes next
      showImage(now);
    }
    fill.style.width = `${Math.min(100, (100 * (now - shownAt)) / duration)}%`;
    clock.textContent = countdownText(duration - (now - shownAt));
    raf = requestAnimationFrame(tick);
  };
  return {
    node,
    start(s) {
      screen = s;
      pos = s.position;
      labelButtons();
      imgs = model.get("images").map((bytes) => {
        const img = el("img", "hitl-st-image");
        img.src = URL.createObjectURL(new Blob([bytes.buffer ?? bytes], { type: "image/png" }));
        img.style.visibility = "hidden";
        return img;
      });
      frame.replaceChildren(...imgs);
      root.focus({ preventScroll: true });
      // prefetched: every image decoded before the first one's time starts (unless the stream was left meanwhile)
      const mine = imgs;
      Promise.all(imgs.map((img) => img.decode().catch(() => null))).then(() => {
        if (imgs !== mine) return;
        raf = requestAnimationFrame((now) => { showImage(now); raf = requestAnimationFrame(tick); });
      });
    },
    stop() {
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      screen = null;
      imgs.forEach((img) => URL.revokeObjectURL(img.src));
      imgs = [];
    },
    judged() { if (screen) paintFeedback(); },
    acknowledged(ack) { // key to recorded: the kernel acknowledges only what it has committed (benchmarks read it)
      while (awaiting.length && awaiting[0][0] <= ack) globalThis.__hitl_study_feedback_ms.push(performance.now() - awaiting.shift()[1]);
    },
    onKey(ev) {
      if (!raf) return;
      const i = labelKey(ev, model.get("labels").length);
      if (i === null) return;
      ev.preventDefault();
      ev.stopPropagation();
      give(i, "key");
    },
  };
}

export default { render };

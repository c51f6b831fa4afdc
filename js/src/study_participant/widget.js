// The study participant's page: ID, messages, the timed stream (paced here, not by the kernel), questions.
import { sequencedSender } from "../common/actions.js";
import { el, keyboardRoot } from "../common/dom.js";
import { imageCache } from "../common/media.js";
import { countdownText, feedbackState, feedbackText, labelKey, pageTime, stepDue } from "./pacing.js";
import { completionScreen, consentScreen, idScreen, idTakenScreen, keptId, keepId, messageScreen, pauseScreen, questionScreen } from "./screens.js";

function render({ model, el: host }) {
  const root = keyboardRoot("hitl-st");
  host.append(root);
  const send = sequencedSender(model);
  const act = (msg) => send({ t: pageTime(), ...msg }); // stamped now, unless stamped when it happened
  const body = el("div", "hitl-st-body");
  const error = el("div", "hitl-st-error");
  root.append(body, error);
  const media = imageCache(); // a stream's images, from "images" messages, by key
  const stream = streamView(model, act, root, media);
  const onImages = (msg, buffers) => { if (media.receive(msg, buffers).length) stream.imagesArrived(); };
  model.on("msg:custom", onImages);
  let shownPhase = null;

  let resumeAsked = false;
  const draw = () => {
    const screen = model.get("screen");
    root.dataset.phase = screen.phase;
    const storeKey = `hitl-study:${model.get("study_name")}`;
    if (screen.phase === "id" && !resumeAsked && keptId(storeKey)) {
      resumeAsked = true; // a reload of this tab: back where this participant was, without typing the ID again
      act({ type: "begin", participant: keptId(storeKey) });
    } else if (screen.participant && screen.phase !== "id_taken") keepId(storeKey, screen.participant);
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
    model.off("msg:custom", onImages);
    stream.stop();
    media.clear();
  };
}

function screenFor(screen, model, act, root) {
  const advance = () => act({ type: "advance" });
  if (screen.phase === "id") return idScreen((participant) => act({ type: "begin", participant, typed: true }));
  if (screen.phase === "id_taken") {
    return idTakenScreen(screen, () => act({ type: "begin", participant: screen.participant, typed: true, confirmed: true }),
      () => act({ type: "another_id" }));
  }
  if (screen.phase === "questions") return questionScreen(screen, (answers) => act({ type: "answer", answers }));
  if (screen.phase === "consent") return consentScreen(screen.text, (agree) => act({ type: "consent", agree }));
  if (screen.phase === "declined") {
    return messageScreen("Thank you", "You chose not to take part; nothing more is asked of you. You can close this page.", null);
  }
  if (screen.phase === "done" && (screen.completion?.code || screen.completion?.url)) return completionScreen(screen.completion);
  if (screen.phase === "pause") return pauseScreen(model.get("pause"), advance);
  const done = screen.phase === "done";
  const part = screen.practice ? screen.title : `Part ${screen.part} of ${screen.n_parts}: ${screen.title}`;
  const title = { instructions: "Instructions", intro: part,
    end: screen.practice ? `End of the ${screen.title.toLowerCase()}` : `End of part ${screen.part}`, done: "Thank you!" }[screen.phase];
  const text = done ? "That is the end of the study. You can close this page." : screen.text;
  const node = messageScreen(title, text, done ? null : advance); // it takes the focus, for Enter
  if (done) queueMicrotask(() => root.focus({ preventScroll: true }));
  return node;
}

/** The stream: one image at a time for the step duration by the page's clock, a countdown, the label buttons. */
function streamView(model, act, root, media) {
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
  const ready = el("div", "hitl-st-ready");
  let imgs = [], pos = 0, shownAt = 0, raf = 0, given = null, screen = null, early = null, readyTimer = 0;
  let fillImages = null; // while a stream waits for its images: puts each in place as it arrives
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
    for (const b of buttons.children) b.disabled = s !== "allowed" && s !== "waiting";
    line.textContent = early && s === "waiting" ? `Noted: ${model.get("labels")[early.i]}` : feedbackText(s, screen.strategy, given);
    line.className = `hitl-st-line hitl-st-${s}`;
  };
  const give = (i, via, t = pageTime(), pressedAt = performance.now()) => {
    const s = state();
    if (s === "waiting" && !early) { early = { i, via, t, pressedAt, position: pos }; paintFeedback(); return; } // sent once the kernel says
    if (s !== "allowed") return;
    early = null;
    given = model.get("labels")[i];
    const seq = act({ type: "feedback", position: pos, label: i, via, t }); // stamped when it was pressed
    awaiting.push([seq, pressedAt]);
    paintFeedback();
  };
  const sendEarly = () => { // the kernel has said whether this image takes feedback: a key pressed before goes now
    const kept = early;
    if (!kept || kept.position !== pos || state() === "waiting") return;
    early = null;
    if (state() === "allowed") give(kept.i, kept.via, kept.t, kept.pressedAt);
  };
  const showImage = (now) => {
    imgs.forEach((img, i) => { img.style.visibility = i === pos ? "visible" : "hidden"; });
    shownAt = now;
    given = null;
    early = null;
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
    clock.textContent = countdownText(duration - (now - shownAt), duration);
    raf = requestAnimationFrame(tick);
  };
  return {
    node,
    start(s) {
      screen = s;
      pos = s.position;
      labelButtons();
      const keys = s.images ?? [];
      imgs = keys.map(() => {
        const img = el("img", "hitl-st-image");
        img.style.visibility = "hidden";
        return img;
      });
      frame.replaceChildren(...imgs, ready);
      const missing = keys.filter((k) => !media.has(k));
      if (missing.length) act({ type: "want", keys: missing }); // a reload: the images come again
      const arrived = new Promise((resolve) => {
        fillImages = () => {
          keys.forEach((k, i) => { if (media.has(k) && !imgs[i].src) imgs[i].src = media.get(k).url; });
          if (keys.every((k) => media.has(k))) { fillImages = null; media.trim(keys.length); resolve(); }
        };
        fillImages();
      });
      root.focus({ preventScroll: true });
      // prefetched: every image decoded before the first one's time starts (unless the stream was left meanwhile),
      // after a short "get ready" (a stream that resumes after a reload too)
      const mine = imgs;
      const readyEnd = performance.now() + 1000 * model.get("get_ready");
      node.dataset.ready = "true";
      const countDown = () => {
        const left = readyEnd - performance.now();
        ready.textContent = `Get ready… ${countdownText(left, 1000 * model.get("get_ready"))}`;
        if (left > 0) readyTimer = setTimeout(countDown, Math.min(100, left));
      };
      countDown();
      const decoded = arrived.then(() => Promise.all(imgs.map((img) => img.decode().catch(() => null))));
      const waited = new Promise((resolve) => setTimeout(resolve, Math.max(0, readyEnd - performance.now())));
      Promise.all([decoded, waited]).then(() => {
        if (imgs !== mine) return;
        clearTimeout(readyTimer);
        ready.textContent = "";
        delete node.dataset.ready;
        raf = requestAnimationFrame((now) => { showImage(now); raf = requestAnimationFrame(tick); });
      });
    },
    stop() {
      if (raf) cancelAnimationFrame(raf);
      clearTimeout(readyTimer);
      raf = 0;
      screen = null;
      fillImages = null;
      imgs = []; // their images stay in the cache (it owns their URLs) until the next stream's arrive
    },
    judged() { if (screen) { paintFeedback(); sendEarly(); } },
    imagesArrived() { if (fillImages) fillImages(); },
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

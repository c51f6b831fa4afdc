// js/src/common/actions.js
function sequencedSender(model) {
  let seq = 0;
  return (msg) => {
    seq = Math.max(seq, model.get("_ack")) + 1;
    model.send({ ...msg, seq });
    return seq;
  };
}

// js/src/common/dom.js
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== void 0) e.textContent = text;
  return e;
}
function keyboardRoot(cls) {
  const root = el("div", cls);
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  return root;
}

// js/src/common/media.js
function imageCache() {
  const byKey = /* @__PURE__ */ new Map();
  const cache = {
    has: (key) => byKey.has(key),
    get: (key) => byKey.get(key),
    size: () => byKey.size,
    add(key, mime, buffer) {
      if (byKey.has(key)) return byKey.get(key);
      const url = URL.createObjectURL(new Blob([buffer], { type: mime }));
      const img = new Image();
      img.src = url;
      const entry = { url, img, ready: img.decode ? img.decode().catch(() => {
      }) : Promise.resolve() };
      byKey.set(key, entry);
      return entry;
    },
    /** The entries an "images" message brought (none for any other message). */
    receive(msg, buffers, keyOf = (key) => key) {
      if (!msg || msg.type !== "images") return [];
      return msg.keys.map((key, i) => cache.add(keyOf(key), msg.mimes[i], buffers[i]));
    },
    /** Keep the newest `most` images (a stream's page shows one item at a time). */
    trim(most) {
      for (const [key, { url }] of byKey) {
        if (byKey.size <= most) break;
        URL.revokeObjectURL(url);
        byKey.delete(key);
      }
    },
    clear() {
      for (const { url } of byKey.values()) URL.revokeObjectURL(url);
      byKey.clear();
    }
  };
  return cache;
}

// js/src/study_participant/pacing.js
var FRAME_MS = 1e3 / 60;
function stepDue(elapsed, durationMs, frameMs = FRAME_MS) {
  return elapsed + frameMs / 2 >= durationMs;
}
function countdownText(msLeft, spanMs = Infinity) {
  if (msLeft <= 0) return "0 s";
  return spanMs <= 3e3 ? `${(Math.ceil(msLeft / 100) / 10).toFixed(1)} s` : `${Math.ceil(msLeft / 1e3)} s`;
}
function feedbackState(judged, position, given) {
  if (given) return "given";
  if (!judged || judged.position !== position) return "waiting";
  if (judged.given !== void 0) return "given";
  return judged.allowed ? "allowed" : "disabled";
}
function feedbackText(state, strategy, givenLabel) {
  if (state === "given") return `Sent: ${givenLabel}`;
  if (state === "disabled") return "Feedback is off for this image: the model did not ask about it.";
  if (state === "waiting") return "\u2026";
  return strategy === "ALMT" ? "The model asks: what is this?" : "What is this? (feedback is up to you)";
}
function labelKey(ev, nLabels) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return null;
  const n = Number(ev.key);
  return Number.isInteger(n) && n >= 1 && n <= Math.min(nLabels, 9) ? n - 1 : null;
}
function pageTime(perf = globalThis.performance) {
  return (perf.timeOrigin + perf.now()) / 1e3;
}
function questionAnswer(question, value) {
  if (question.scale === 0) return typeof value === "string" ? value.trim() : "";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= question.scale ? n : null;
}

// js/src/study_participant/screens.js
function generatedId(random = Math.random) {
  const chars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return `P-${Array.from({ length: 6 }, () => chars[Math.floor(random() * chars.length)]).join("")}`;
}
function idScreen(begin) {
  const node = el("div", "hitl-st-screen");
  const input = el("input", "hitl-st-id");
  input.placeholder = "your participant ID";
  const go = el("button", "hitl-st-go", "Start");
  const gen = el("button", "hitl-st-btn", "I have no ID: make one");
  const start = () => {
    if (input.value.trim()) begin(input.value.trim());
  };
  go.addEventListener("click", start);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") start();
  });
  gen.addEventListener("click", () => {
    input.value = generatedId();
  });
  node.append(
    el("h2", "hitl-st-title", "Welcome"),
    el("p", "hitl-st-text", "Enter your participant ID to begin."),
    input,
    el("div", "hitl-st-row"),
    go,
    gen
  );
  queueMicrotask(() => input.focus());
  return node;
}
function keptId(key, storage = globalThis.sessionStorage) {
  try {
    return storage ? storage.getItem(key) : null;
  } catch {
    return null;
  }
}
function keepId(key, participant, storage = globalThis.sessionStorage) {
  try {
    if (storage) storage.setItem(key, participant);
  } catch {
  }
}
function idTakenScreen(screen, goOn, another) {
  const node = el("div", "hitl-st-screen");
  const yes = el("button", "hitl-st-go", `Continue as ${screen.participant}`);
  const no = el("button", "hitl-st-btn", "Use another ID");
  yes.addEventListener("click", () => {
    yes.disabled = true;
    goOn();
  });
  no.addEventListener("click", () => {
    no.disabled = true;
    another();
  });
  node.append(
    el("h2", "hitl-st-title", "This ID has been used"),
    el("p", "hitl-st-text", `${screen.participant} has taken part already (${screen.where}). If that is you, go on where you were; if not, check your ID.`),
    yes,
    el("div", "hitl-st-row"),
    no
  );
  queueMicrotask(() => yes.focus());
  return node;
}
function consentScreen(text, answer) {
  const node = el("div", "hitl-st-screen");
  const yes = el("button", "hitl-st-go", "I agree to take part");
  const no = el("button", "hitl-st-btn", "I do not agree");
  for (const [b, agree] of [[yes, true], [no, false]]) {
    b.addEventListener("click", () => {
      yes.disabled = no.disabled = true;
      answer(agree);
    });
  }
  node.append(
    el("h2", "hitl-st-title", "Consent"),
    el("p", "hitl-st-text hitl-st-consent", text),
    yes,
    el("div", "hitl-st-row"),
    no
  );
  return node;
}
function completionScreen({ code, url }, go = (to) => globalThis.location.assign(to), seconds = 5) {
  const node = el("div", "hitl-st-screen");
  node.append(el("h2", "hitl-st-title", "Thank you!"), el("p", "hitl-st-text", "That is the end of the study."));
  if (code) {
    const shown = el("div", "hitl-st-code", code);
    const copy = el("button", "hitl-st-btn", "Copy the code");
    copy.addEventListener("click", () => {
      globalThis.navigator?.clipboard?.writeText(code).then(() => {
        copy.textContent = "Copied";
      }, () => {
      });
    });
    node.append(el("p", "hitl-st-text", "Your completion code:"), shown, copy);
  }
  if (url) {
    const link = el("a", "hitl-st-go hitl-st-back", "Go back now");
    link.href = url;
    const note = el("p", "hitl-st-text hitl-st-redirect", "");
    node.append(note, link);
    countdown(node, seconds, (left) => {
      note.textContent = `Taking you back in ${countdownText(left)}\u2026`;
    }, () => go(url));
  }
  return node;
}
function messageScreen(title, text, onContinue) {
  const node = el("div", "hitl-st-screen");
  node.append(el("h2", "hitl-st-title", title), el("p", "hitl-st-text", text || ""));
  if (onContinue) {
    const go = el("button", "hitl-st-go", "Continue (Enter)");
    go.addEventListener("click", () => {
      go.disabled = true;
      onContinue();
    });
    node.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !go.disabled) go.click();
    });
    node.tabIndex = -1;
    queueMicrotask(() => node.focus({ preventScroll: true }));
    node.append(go);
  }
  return node;
}
function pauseScreen(seconds, onDone) {
  const node = el("div", "hitl-st-screen");
  const clock = el("div", "hitl-st-clock hitl-st-big");
  node.append(el("h2", "hitl-st-title", "A short pause"), el("p", "hitl-st-text", "The next part starts by itself."), clock);
  countdown(node, seconds, (left) => {
    clock.textContent = countdownText(left);
  }, onDone);
  return node;
}
function questionScreen(screen, submit) {
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
    if (values.some((v) => v === null)) {
      note.textContent = "Please choose an answer for every item.";
      return;
    }
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
function countdown(node, seconds, show, done) {
  const end = performance.now() + seconds * 1e3;
  let shown = false;
  const tick = () => {
    if (node.isConnected) shown = true;
    else if (shown) return;
    const left = end - performance.now();
    show(left);
    if (left <= 0) done();
    else setTimeout(tick, Math.min(250, left));
  };
  tick();
}

// js/src/study_participant/widget.js
function render({ model, el: host }) {
  const root = keyboardRoot("hitl-st");
  host.append(root);
  const send = sequencedSender(model);
  const act = (msg) => send({ t: pageTime(), ...msg });
  const body = el("div", "hitl-st-body");
  const error = el("div", "hitl-st-error");
  root.append(body, error);
  const media = imageCache();
  const stream = streamView(model, act, root, media);
  const onImages = (msg, buffers) => {
    if (media.receive(msg, buffers).length) stream.imagesArrived();
  };
  model.on("msg:custom", onImages);
  let shownPhase = null;
  let resumeAsked = false;
  const draw = () => {
    const screen = model.get("screen");
    root.dataset.phase = screen.phase;
    const storeKey = `hitl-study:${model.get("study_name")}`;
    if (screen.phase === "id" && !resumeAsked && keptId(storeKey)) {
      resumeAsked = true;
      act({ type: "begin", participant: keptId(storeKey) });
    } else if (screen.participant && screen.phase !== "id_taken") keepId(storeKey, screen.participant);
    if (screen.phase === "stream") {
      if (shownPhase !== "stream") {
        body.replaceChildren(stream.node);
        stream.start(screen);
      }
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
    return idTakenScreen(
      screen,
      () => act({ type: "begin", participant: screen.participant, typed: true, confirmed: true }),
      () => act({ type: "another_id" })
    );
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
  const title = {
    instructions: "Instructions",
    intro: part,
    end: screen.practice ? `End of the ${screen.title.toLowerCase()}` : `End of part ${screen.part}`,
    done: "Thank you!"
  }[screen.phase];
  const text = done ? "That is the end of the study. You can close this page." : screen.text;
  const node = messageScreen(title, text, done ? null : advance);
  if (done) queueMicrotask(() => root.focus({ preventScroll: true }));
  return node;
}
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
  let fillImages = null;
  const awaiting = [];
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
    if (s === "waiting" && !early) {
      early = { i, via, t, pressedAt, position: pos };
      paintFeedback();
      return;
    }
    if (s !== "allowed") return;
    early = null;
    given = model.get("labels")[i];
    const seq = act({ type: "feedback", position: pos, label: i, via, t });
    awaiting.push([seq, pressedAt]);
    paintFeedback();
  };
  const sendEarly = () => {
    const kept = early;
    if (!kept || kept.position !== pos || state() === "waiting") return;
    early = null;
    if (state() === "allowed") give(kept.i, kept.via, kept.t, kept.pressedAt);
  };
  const showImage = (now) => {
    imgs.forEach((img, i) => {
      img.style.visibility = i === pos ? "visible" : "hidden";
    });
    shownAt = now;
    given = null;
    early = null;
    node.dataset.position = String(pos);
    head.textContent = `${screen.title} \xB7 image ${pos + 1} of ${imgs.length}`;
    act({ type: "show", position: pos });
    paintFeedback();
  };
  const tick = (now) => {
    const duration = model.get("step_duration") * 1e3;
    const elapsed = now - shownAt;
    if (stepDue(elapsed, duration)) {
      globalThis.__hitl_study_times.push(elapsed);
      act({ type: "hide", position: pos });
      pos += 1;
      if (pos >= imgs.length) {
        raf = 0;
        return;
      }
      showImage(now);
    }
    fill.style.width = `${Math.min(100, 100 * (now - shownAt) / duration)}%`;
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
      if (missing.length) act({ type: "want", keys: missing });
      const arrived = new Promise((resolve) => {
        fillImages = () => {
          keys.forEach((k, i) => {
            if (media.has(k) && !imgs[i].src) imgs[i].src = media.get(k).url;
          });
          if (keys.every((k) => media.has(k))) {
            fillImages = null;
            media.trim(keys.length);
            resolve();
          }
        };
        fillImages();
      });
      root.focus({ preventScroll: true });
      const mine = imgs;
      const readyEnd = performance.now() + 1e3 * model.get("get_ready");
      node.dataset.ready = "true";
      const countDown = () => {
        const left = readyEnd - performance.now();
        ready.textContent = `Get ready\u2026 ${countdownText(left, 1e3 * model.get("get_ready"))}`;
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
        raf = requestAnimationFrame((now) => {
          showImage(now);
          raf = requestAnimationFrame(tick);
        });
      });
    },
    stop() {
      if (raf) cancelAnimationFrame(raf);
      clearTimeout(readyTimer);
      raf = 0;
      screen = null;
      fillImages = null;
      imgs = [];
    },
    judged() {
      if (screen) {
        paintFeedback();
        sendEarly();
      }
    },
    imagesArrived() {
      if (fillImages) fillImages();
    },
    acknowledged(ack) {
      while (awaiting.length && awaiting[0][0] <= ack) globalThis.__hitl_study_feedback_ms.push(performance.now() - awaiting.shift()[1]);
    },
    onKey(ev) {
      if (!raf) return;
      const i = labelKey(ev, model.get("labels").length);
      if (i === null) return;
      ev.preventDefault();
      ev.stopPropagation();
      give(i, "key");
    }
  };
}
var widget_default = { render };
export {
  widget_default as default
};

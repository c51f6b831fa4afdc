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

// js/src/team_dashboard/format.js
function summaryLine(r) {
  const n = r.annotators.length;
  const of = r.n_items === null ? "" : ` of ${r.n_items}`;
  return `${n} annotator${n === 1 ? "" : "s"} \xB7 ${r.n_labeled}${of} items labeled \xB7 ${r.n_final} with a final label`;
}
function agreementLine(r) {
  const f = (v) => v === null ? "n/a" : v.toFixed(3);
  const items = (n) => `${n} item${n === 1 ? "" : "s"}`;
  if (!r.alpha_items) return "No item labeled by two annotators yet: agreement needs overlap (overlap= in the labelers).";
  return `Krippendorff's alpha ${f(r.alpha)} on ${items(r.alpha_items)} \xB7 Fleiss' kappa ${f(r.fleiss)} on ${items(r.fleiss_items)}`;
}
function ago(seconds) {
  if (seconds === null || seconds === void 0) return "-";
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
function kappaColor(k) {
  const t = Math.max(0, Math.min(1, k));
  return `hsla(${Math.round(120 * t)}, 70%, 45%, 0.35)`;
}

// js/src/team_dashboard/widget.js
var SHOWN = 50;
function render({ model, el: host }) {
  const root = el("div", "hitl-td");
  host.append(root);
  const send = sequencedSender(model);
  const head = el("div", "hitl-td-head");
  const figures = el("div", "hitl-td-figures");
  const people = el("div", "hitl-td-section");
  const matrix = el("div", "hitl-td-section");
  const disagreements = el("div", "hitl-td-section");
  const error = el("div", "hitl-td-error");
  const refresh = el("button", "hitl-td-refresh", "Refresh");
  refresh.addEventListener("click", () => send({ type: "refresh" }));
  root.append(head, figures, people, matrix, disagreements, error);
  const thumbnails = imageCache();
  const asked = /* @__PURE__ */ new Set();
  let asking = true;
  const askForThumbnails = (listed) => {
    const items = listed.filter((d) => d.thumbnail && !asked.has(String(d.item)) && !thumbnails.has(String(d.item))).map((d) => d.item);
    if (!items.length) return;
    for (const item of items) asked.add(String(item));
    send({ type: "thumbnails", items });
  };
  const onMessage = (msg, buffers) => {
    if (!msg || msg.type !== "images") return;
    thumbnails.receive(msg, buffers, String);
    const settled = new Set([...msg.keys, ...msg.failed ?? []].map(String));
    for (const key of msg.asked ?? []) if (!settled.has(String(key))) asked.delete(String(key));
    asking = false;
    draw();
    asking = true;
  };
  const draw = () => {
    const r = model.get("report");
    if (!r || !r.annotators) return;
    head.replaceChildren(
      el("span", "hitl-td-summary", summaryLine(r)),
      el("span", "hitl-td-updated", `read ${new Date(1e3 * model.get("updated_at")).toLocaleTimeString()}`),
      refresh
    );
    figures.textContent = agreementLine(r);
    people.replaceChildren(el("h4", "", "Annotators"), peopleTable(r.annotators));
    matrix.replaceChildren(el("h4", "", "Agreement (Cohen's kappa per pair)"), matrixTable(r.matrix));
    disagreements.replaceChildren(
      el("h4", "", `Disagreements (${r.disagreements.length}): a click on an answer makes it final, as ${model.get("adjudicator")}`),
      disagreementList(r.disagreements, (item, label) => send({ type: "adjudicate", item, label }), thumbnails)
    );
    if (asking) askForThumbnails(r.disagreements.slice(0, SHOWN));
  };
  const onError = () => {
    error.textContent = model.get("error");
    root.dataset.ack = String(model.get("_ack"));
  };
  const handlers = [["change:report", draw], ["change:updated_at", draw], ["change:error", onError], ["change:_ack", onError]];
  for (const [ev, h] of handlers) model.on(ev, h);
  model.on("msg:custom", onMessage);
  draw();
  onError();
  return () => {
    for (const [ev, h] of handlers) model.off(ev, h);
    model.off("msg:custom", onMessage);
    thumbnails.clear();
  };
}
function peopleTable(annotators) {
  const table = el("table", "hitl-td-table hitl-td-people");
  const header = el("tr");
  for (const h of ["annotator", "labels", "skips", "per minute (last 5 min)", "last active", "agreed on shared"]) header.append(el("th", "", h));
  table.append(header);
  for (const a of annotators) {
    const row = el("tr");
    row.dataset.annotator = a.name;
    const agreed = a.shared ? `${a.agreed} of ${a.shared} (${Math.round(100 * a.agreed / a.shared)}%)` : "-";
    for (const v of [a.name, a.labels, a.skips, a.per_minute, ago(a.last_seconds_ago), agreed]) row.append(el("td", "", String(v)));
    table.append(row);
  }
  return table;
}
function matrixTable(m) {
  const table = el("table", "hitl-td-table hitl-td-matrix");
  if (!m.names.length) {
    const row = el("tr");
    row.append(el("td", "hitl-td-none", "No item has two labels yet."));
    table.append(row);
    return table;
  }
  const header = el("tr");
  header.append(el("th"));
  for (const n of m.names) header.append(el("th", "", n));
  table.append(header);
  m.names.forEach((name, i) => {
    const row = el("tr");
    row.append(el("th", "", name));
    m.names.forEach((_, j) => {
      const k = m.kappa[i][j];
      const n = m.items[i][j];
      const cell = el("td", "hitl-td-cell", i === j ? "" : `${k === null ? "n/a" : k.toFixed(2)} (${n} item${n === 1 ? "" : "s"})`);
      if (i !== j) {
        cell.title = `${m.items[i][j]} items labeled by both`;
        if (k !== null) cell.style.background = kappaColor(k);
      }
      row.append(cell);
    });
    table.append(row);
  });
  return table;
}
function disagreementList(items, choose, thumbnails = imageCache()) {
  const list = el("div", "hitl-td-list");
  if (!items.length) list.append(el("div", "hitl-td-none", "No disagreements."));
  for (const d of items.slice(0, SHOWN)) {
    const row = el("div", "hitl-td-item" + (d.final !== null ? " hitl-td-settled" : ""));
    row.dataset.item = String(d.item);
    row.append(el("span", "hitl-td-id", `item ${d.item}`));
    if (d.preview) row.append(el("span", "hitl-td-preview", d.preview));
    const thumbnail = thumbnails.get(String(d.item))?.url;
    if (thumbnail) {
      const img = el("img", "hitl-td-thumb");
      img.src = thumbnail;
      img.alt = `item ${d.item}`;
      row.append(img);
    }
    for (const [who, label] of Object.entries(d.answers)) {
      const b = el("button", "hitl-td-answer" + (d.final !== null && d.final === label ? " hitl-td-final" : ""), `${who}: ${label}`);
      b.title = `Make ${JSON.stringify(label)} the final label`;
      b.addEventListener("click", () => choose(d.item, label));
      row.append(b);
    }
    row.append(el("span", "hitl-td-verdict", d.final === null ? "not settled" : `final: ${d.final}`));
    list.append(row);
  }
  if (items.length > SHOWN) list.append(el("div", "hitl-td-none", `and ${items.length - SHOWN} more`));
  return list;
}
var widget_default = { render };
export {
  widget_default as default,
  disagreementList,
  matrixTable,
  peopleTable
};

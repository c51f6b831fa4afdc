// The team dashboard's page: progress per annotator, the agreement matrix, the disagreements to adjudicate.
import { sequencedSender } from "../common/actions.js";
import { el } from "../common/dom.js";
import { imageCache } from "../common/media.js";
import { agreementLine, ago, kappaColor, summaryLine } from "./format.js";

const SHOWN = 50; // disagreements listed at once

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

  // thumbnails of image items, asked for once each and sent in "images" messages (binary buffers), by the item
  const thumbnails = imageCache();
  const asked = new Set();
  let asking = true;
  const askForThumbnails = (listed) => {
    const items = listed.filter((d) => d.thumbnail && !asked.has(String(d.item)) && !thumbnails.has(String(d.item)))
      .map((d) => d.item);
    if (!items.length) return;
    for (const item of items) asked.add(String(item));
    send({ type: "thumbnails", items });
  };
  const onMessage = (msg, buffers) => {
    if (!msg || msg.type !== "images") return;
    thumbnails.receive(msg, buffers, String);
    // asked for but neither sent nor unreadable (not among the kernel's disagreements yet): asked again later
    const settled = new Set([...msg.keys, ...(msg.failed ?? [])].map(String));
    for (const key of msg.asked ?? []) if (!settled.has(String(key))) asked.delete(String(key));
    asking = false; // asked again with the next report, not at once: no back and forth while it is on its way
    draw();
    asking = true;
  };
  const draw = () => {
    const r = model.get("report");
    if (!r || !r.annotators) return;
    head.replaceChildren(el("span", "hitl-td-summary", summaryLine(r)),
      el("span", "hitl-td-updated", `read ${new Date(1000 * model.get("updated_at")).toLocaleTimeString()}`), refresh);
    figures.textContent = agreementLine(r);
    people.replaceChildren(el("h4", "", "Annotators"), peopleTable(r.annotators));
    matrix.replaceChildren(el("h4", "", "Agreement (Cohen's kappa per pair)"), matrixTable(r.matrix));
    disagreements.replaceChildren(
      el("h4", "", `Disagreements (${r.disagreements.length}): a click on an answer makes it final, as ${model.get("adjudicator")}`),
      disagreementList(r.disagreements, (item, label) => send({ type: "adjudicate", item, label }), thumbnails),
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

/** One row per annotator: labels, skips, rate, last activity, agreement on shared items. */
export function peopleTable(annotators) {
  const table = el("table", "hitl-td-table hitl-td-people");
  const header = el("tr");
  for (const h of ["annotator", "labels", "skips", "per minute (last 5 min)", "last active", "agreed on shared"]) header.append(el("th", "", h));
  table.append(header);
  for (const a of annotators) {
    const row = el("tr");
    row.dataset.annotator = a.name;
    const agreed = a.shared ? `${a.agreed} of ${a.shared} (${Math.round((100 * a.agreed) / a.shared)}%)` : "-";
    for (const v of [a.name, a.labels, a.skips, a.per_minute, ago(a.last_seconds_ago), agreed]) row.append(el("td", "", String(v)));
    table.append(row);
  }
  return table;
}

/** Annotators against annotators, each cell Cohen's kappa over the items both labeled (coloured). */
export function matrixTable(m) {
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

/**
 * Items whose annotators disagree, each with its excerpt or thumbnail (`thumbnails`: an `imageCache` by item):
 * each answer is a button that makes it the final label.
 */
export function disagreementList(items, choose, thumbnails = imageCache()) {
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

export default { render };

// What an item looks like on a page when it is not an image: text, or a small table of fields.
// Everything goes in through textContent: markup inside an item stays text.
import { el } from "./dom.js";

/** Nodes showing a text or table payload ({kind, text | rows, cut}); `prefix` names the CSS classes. */
export function itemBody(view, prefix) {
  if (view.kind === "table") {
    const table = el("table", `${prefix}-table`);
    for (const [k, v] of view.rows) {
      const tr = el("tr");
      tr.append(el("th", "", k), el("td", "", v));
      table.append(tr);
    }
    return view.cut ? [table, el("div", `${prefix}-hint`, `… and ${view.cut} more fields`)] : [table];
  }
  const text = el("div", `${prefix}-text`, view.text ?? "");
  return view.cut ? [text, el("div", `${prefix}-hint`, `… ${view.cut.toLocaleString("en-US")} more characters`)] : [text];
}

/** A one-line excerpt of a payload, for a grid tile. */
export function itemExcerpt(view, max = 90) {
  const s = view.kind === "table" ? view.rows.map(([k, v]) => `${k}: ${v}`).join(" · ") : view.text ?? "";
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

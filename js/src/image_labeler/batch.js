// The pool labeler's batch mode: a grid of the next k ranked items, labeled tile by tile and
// submitted together. One job: draw the grid and turn keys into tile assignments and a submit.
import { el, probabilityBars } from "../common/dom.js";
import { noClassText } from "../common/label_keys.js";
import { batchTiles, entryFor, moveSelection } from "./state.js";

const GRID_TILE = 96;

/**
 * The grid view. `ctx` gives the shared pieces: model, page, stage, send, want, refocus,
 * redraw, say (an error line), classes/item/queue (trait readers) and the submit button.
 */
export function batchGridView(ctx) {
  const { model, page, stage } = ctx;
  const node = el("div", "hitl-il-grid");
  const tiles = () => batchTiles(ctx.item(), ctx.queue(), page, model.get("batch_size"));

  const chip = (t) => {
    const a = page.assign.get(t.key);
    if (a !== undefined) return el("div", "hitl-il-chip hitl-il-assigned", ctx.classes()[a]);
    const guess = probabilityBars(ctx.classes(), t.probs).find((b) => b.top);
    return el("div", "hitl-il-chip", guess ? `${guess.name}? ${Math.round(guess.p * 100)}%` : "");
  };

  return {
    node,
    /** The key of the selected tile (undefined when the grid is empty). */
    selectedKey() {
      const all = tiles();
      return all[Math.min(page.sel, all.length - 1)]?.key;
    },
    draw() {
      const k = model.get("batch_size");
      const all = tiles();
      page.sel = Math.min(page.sel, Math.max(0, all.length - 1));
      ctx.want(all.map((t) => t.key));
      node.style.gridTemplateColumns = `repeat(${Math.ceil(Math.sqrt(k))}, ${GRID_TILE}px)`;
      node.replaceChildren(...all.map((t, i) => {
        const tile = el("div", "hitl-il-tile" + (i === page.sel ? " hitl-il-selected" : ""));
        tile.dataset.key = String(t.key);
        tile.append(stage.tile(t.key, t.id, GRID_TILE), chip(t));
        tile.addEventListener("click", () => { page.sel = i; ctx.refocus(); ctx.redraw(); });
        return tile;
      }));
      ctx.submit.textContent = `Submit ${page.assign.size} (⏎)`;
      ctx.submit.disabled = page.assign.size === 0;
      node.dataset.tiles = String(all.length);
    },
    /** A key's action on the grid; false when it means nothing here. */
    act(action) {
      const all = tiles();
      const cols = Math.ceil(Math.sqrt(model.get("batch_size")));
      const sel = all[page.sel];
      if (action.type === "label") {
        if (action.cls === null || action.cls >= ctx.classes().length) {
          ctx.say(noClassText(action, ctx.classes()));
          return true;
        }
        if (!sel) return true;
        page.assign.set(sel.key, action.cls);
        page.sel = moveSelection(page.sel, 1, all.length, cols);
      } else if (action.type === "move") {
        page.sel = moveSelection(page.sel, action.by, all.length, cols);
      } else if (action.type === "submit") {
        if (!page.assign.size) return true;
        const labels = [...page.assign.entries()];
        const seq = ctx.send({ type: "submit", labels });
        for (const [key, cls] of labels) {
          page.answered.set(key, { seq, label: cls, id: entryFor(key, ctx.item(), ctx.queue(), [])?.id ?? String(key) });
        }
        const names = labels.map(([key, cls]) => `${entryFor(key, ctx.item(), ctx.queue(), [])?.id ?? key} → ${ctx.classes()[cls]}`);
        ctx.confirm(`${labels.length} labeled: ${names.slice(0, 3).join(", ")}${labels.length > 3 ? ", …" : ""}`);
        page.assign.clear();
        page.sel = 0;
      } else if (action.type === "undo") {
        if (sel && page.assign.has(sel.key)) page.assign.delete(sel.key);
        else { ctx.send({ type: "undo" }); page.answered.clear(); ctx.unconfirm(); }
      } else if (action.type === "escape") {
        page.assign.clear();
      } else return false;
      ctx.redraw();
      return true;
    },
  };
}

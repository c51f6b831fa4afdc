// The pool labeler's one-item mode: the ranked item on the stage, answered by a key, with ← → to
// step back through answered items. One job: what is shown and what a key does to it.
import { noClassText } from "../common/label_keys.js";
import { browseTrail, entryFor, nextAfter, shownKey } from "./state.js";

/**
 * The one-item view over the stage. `ctx` gives the shared pieces: model, page, stage, send,
 * want, redraw, say (an error line), classes/item/queue (trait readers) and root (for data-*).
 */
export function singleItemView(ctx) {
  const { model, page, stage, root } = ctx;
  const caption = stage.caption;
  const timing = { keyAt: null, shows: 0 };
  const trail = () => browseTrail(model.get("trail"), page); // with the page's own answers not yet acknowledged
  const shown = () => shownKey(ctx.item(), ctx.queue(), trail(), page);

  const drawCaption = (key) => {
    if (page.cursor !== null) {
      const t = trail()[page.cursor];
      const lab = t.label >= 0 ? `labeled “${ctx.classes()[t.label]}”` : "skipped";
      caption.textContent = `${t.id} · answered ${page.cursor + 1} of ${trail().length}: ${lab} · a key relabels · Esc returns`;
      caption.classList.add("hitl-il-browsing");
    } else {
      const e = entryFor(key, ctx.item(), ctx.queue(), trail());
      caption.textContent = e ? `item ${e.id}` : "";
      caption.classList.remove("hitl-il-browsing");
    }
  };

  // how long from a key press to the next item on screen (data-show-ms, for the browser tests)
  const timeShow = (key) => {
    if (!timing.keyAt || String(key) !== timing.keyAt.key) return;
    const t0 = timing.keyAt.t0;
    timing.keyAt = null;
    requestAnimationFrame(() => {
      const ms = performance.now() - t0;
      (globalThis.__hitl_show_ms ??= []).push(ms);
      root.dataset.showMs = ms.toFixed(1);
      root.dataset.shows = String(++timing.shows);
    });
  };

  const answer = (action, key, t0) => {
    const id = entryFor(key, ctx.item(), ctx.queue(), trail())?.id ?? String(key);
    const name = action.type === "label" ? ctx.classes()[action.cls] : null;
    if (page.cursor !== null) { // changing an earlier answer: stay in the trail, one step on
      if (action.type === "label") {
        ctx.send({ type: "label", key, cls: action.cls, next: null });
        ctx.confirm(`item ${id} → ${name} (changed)`);
      }
      page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
      return;
    }
    const next = nextAfter(key, ctx.item(), ctx.queue(), page);
    const seq = ctx.send(action.type === "label" ? { type: "label", key, cls: action.cls, next } : { type: "skip", key, next });
    ctx.confirm(name === null ? `item ${id} skipped` : `item ${id} → ${name}`);
    page.answered.set(key, { seq, label: action.type === "label" ? action.cls : -1, id });
    page.optimistic = next === null ? null : { key: next, seq };
    timing.keyAt = next === null ? null : { key: String(next), t0 };
  };

  return {
    /** The key on screen: a browsed answer, the page's optimistic pick or the kernel's current item. */
    shownKey: shown,
    /** The label the browsed answer has (undefined when not browsing). */
    browsedLabel() {
      return page.cursor !== null ? trail()[page.cursor]?.label : undefined;
    },
    draw() {
      const key = shown();
      ctx.want((key === null ? [] : [key]).concat(ctx.queue().map((e) => e.key))); // one request for all that is missing
      root.dataset.key = key === null ? "" : String(key);
      const p = model.get("progress");
      stage.show(key, p.labeled >= p.pool);
      drawCaption(key);
      timeShow(key);
      return key;
    },
    /** A key's action on the shown item; false when it means nothing here. */
    act(action) {
      const t0 = performance.now();
      const key = shown();
      if (action.type === "label" || action.type === "skip") {
        if (action.type === "label" && (action.cls === null || action.cls >= ctx.classes().length)) {
          ctx.say(`${noClassText(action, ctx.classes())} Type a new label below.`);
          return true;
        }
        if (key === null) return true;
        answer(action, key, t0);
      } else if (action.type === "undo") {
        page.cursor = null;
        const last = trail()[trail().length - 1];
        const seq = ctx.send({ type: "undo" });
        if (last) page.optimistic = { key: last.key, seq };
        page.answered.clear();
        ctx.unconfirm();
      } else if (action.type === "back") {
        const n = trail().length;
        if (!n) return true;
        page.cursor = page.cursor === null ? n - 1 : Math.max(0, page.cursor - 1);
        ctx.want([trail()[page.cursor].key]);
      } else if (action.type === "forward") {
        if (page.cursor !== null) page.cursor = page.cursor + 1 < trail().length ? page.cursor + 1 : null;
      } else if (action.type === "escape") {
        page.cursor = null;
      } else return false;
      ctx.redraw();
      return true;
    },
  };
}

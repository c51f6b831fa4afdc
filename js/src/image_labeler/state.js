// What the labeler shows: a pure function of the synced traits and the page's own state.
//
// The page runs ahead of the kernel: after a label it shows the next ranked image at once
// ("optimistic") and remembers what it answered until the kernel acknowledges it.

/**
 * A fresh page state. `answered`: key -> {seq, label, id} of answers the kernel has not
 * acknowledged yet (label: class index, -1 for a skip), in the order given.
 */
export function pageState() {
  return { optimistic: null, answered: new Map(), cursor: null, assign: new Map(), sel: 0 };
}

/** Forget what the kernel has acknowledged (every action up to `ack`). */
export function settle(page, ack) {
  if (page.optimistic && page.optimistic.seq <= ack) page.optimistic = null;
  for (const [key, a] of page.answered) if (a.seq <= ack) page.answered.delete(key);
}

/**
 * The answered items the page can step back through: the kernel's trail, then the page's own
 * answers it has not acknowledged yet (so ← right after a key goes to the item just answered).
 */
export function browseTrail(trail, page) {
  const known = new Set((trail || []).map((t) => t.key));
  const mine = [...page.answered].filter(([key]) => !known.has(key)).map(([key, a]) => ({ key, id: a.id, label: a.label }));
  return mine.length ? (trail || []).concat(mine) : trail || [];
}

/** The item entries in ranked order: the current one, then the queue, without locally answered ones. */
export function ranked(item, queue, page) {
  const all = (item && item.key !== undefined ? [item] : []).concat(queue || []);
  return all.filter((e) => !page.answered.has(e.key));
}

/**
 * The key of the image on screen: the trail item being browsed, else the page's
 * optimistic pick, else the kernel's current item; null when nothing is left.
 */
export function shownKey(item, queue, trail, page) {
  if (page.cursor !== null && trail[page.cursor]) return trail[page.cursor].key;
  if (page.optimistic) return page.optimistic.key;
  const r = ranked(item, queue, page);
  return r.length ? r[0].key : null;
}

/** The entry (key, id, probs) for a key among the item, the queue and the trail. */
export function entryFor(key, item, queue, trail) {
  if (key === null || key === undefined) return null;
  for (const e of [item, ...(queue || [])]) if (e && e.key === key) return e;
  for (const e of trail || []) if (e.key === key) return { key: e.key, id: e.id, probs: [] };
  return null;
}

/** After answering `key`, the next key to show: the best-ranked one not answered yet (or null). */
export function nextAfter(key, item, queue, page) {
  const r = ranked(item, queue, page).filter((e) => e.key !== key);
  return r.length ? r[0].key : null;
}

/** The tiles of batch mode: the first `k` ranked entries. */
export function batchTiles(item, queue, page, k) {
  return ranked(item, queue, page).slice(0, k);
}

/** Move the selected tile: by ±1 or a row up/down in a grid `cols` wide, clamped to the tiles. */
export function moveSelection(sel, by, n, cols) {
  if (n === 0) return 0;
  const step = by === "up" ? -cols : by === "down" ? cols : by;
  return Math.min(n - 1, Math.max(0, sel + step));
}

/** "12 / 1,797 labeled · 5 by you (ana) · 2 skipped"; in a team the items anyone labeled, what this annotator
 * gave, the items waiting for a second opinion, and whether the item on screen goes to two annotators. */
export function progressText(progress) {
  if (!progress || progress.pool === undefined) return "";
  const fmt = (n) => n.toLocaleString("en-US");
  const team = progress.annotator !== undefined;
  const parts = [`${fmt(progress.labeled)} / ${fmt(progress.pool)} ${team ? "items labeled by the team" : "labeled"}`];
  if (team) parts.push(`${fmt(progress.mine)} by you (${progress.annotator})`);
  if (progress.waiting_second) parts.push(`${fmt(progress.waiting_second)} waiting for a second opinion`);
  if (progress.beyond_overlap) parts.push(`${fmt(progress.beyond_overlap)} answered after the lease was lost`);
  if (progress.shared_item) parts.push("this item goes to two annotators");
  if (progress.skipped) parts.push(`${fmt(progress.skipped)} skipped`);
  if (progress.learning) parts.push("learning…");
  return parts.join(" · ");
}

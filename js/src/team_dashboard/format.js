// Words and colours of the team dashboard (no DOM: tested in node).

/** "3 annotators · 124 of 500 items labeled · 12 with a final label". */
export function summaryLine(r) {
  const n = r.annotators.length;
  const of = r.n_items === null ? "" : ` of ${r.n_items}`;
  return `${n} annotator${n === 1 ? "" : "s"} · ${r.n_labeled}${of} items labeled · ${r.n_final} with a final label`;
}

/** Krippendorff's alpha and Fleiss' kappa with the counts behind them. */
export function agreementLine(r) {
  const f = (v) => (v === null ? "n/a" : v.toFixed(3));
  const items = (n) => `${n} item${n === 1 ? "" : "s"}`;
  if (!r.alpha_items) return "No item labeled by two annotators yet: agreement needs overlap (overlap= in the labelers).";
  return `Krippendorff's alpha ${f(r.alpha)} on ${items(r.alpha_items)} · Fleiss' kappa ${f(r.fleiss)} on ${items(r.fleiss_items)}`;
}

/** "12 s ago", "3 min ago", "2 h ago", "-" when never. */
export function ago(seconds) {
  if (seconds === null || seconds === undefined) return "-";
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/** Red (kappa <= 0) through amber to green (kappa = 1), translucent so text reads in light and dark themes. */
export function kappaColor(k) {
  const t = Math.max(0, Math.min(1, k));
  return `hsla(${Math.round(120 * t)}, 70%, 45%, 0.35)`;
}

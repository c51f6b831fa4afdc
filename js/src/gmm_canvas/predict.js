// The online step, previewed on the page: a click's point is learned into its class's mixture here at once
// (the components it falls in move towards it), so the frame after the click shows the model with it. The
// kernel's answer, with the exact step (its prior, its refresh of older points, its structural moves), then
// takes its place.

const BIRTH_D2 = 13.8155; // chi-squared (2 degrees of freedom) 0.999: a farther point waits as a candidate
const LOG_2PI = Math.log(2 * Math.PI);

function logGauss(x, y, mean, cov) {
  const [[a, b], [, c]] = cov;
  const det = a * c - b * b;
  const dx = x - mean[0], dy = y - mean[1];
  const d2 = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
  return { log: -LOG_2PI - 0.5 * Math.log(det) - 0.5 * d2, d2 };
}

/**
 * The mixtures (one per class: {label, prior, weights, means, covariances}, describing `total` points) after
 * learning point (x, y) of class `label`. Each component takes its share r of the point (its responsibility)
 * as incremental EM does: count N + r, mean moved by r / (N + r) of the way, covariance by the same weighted
 * update. A point far from every component of its class (a candidate in the kernel, not drawn) moves none; a
 * class's first point is a component of covariance `firstCov`. Returns new objects; the input is unchanged.
 */
export function predictMixtures(mixtures, label, x, y, total, firstCov) {
  const counts = mixtures.map((m) => (m.prior ?? 1) * total);
  const out = mixtures.map((m) => ({ ...m }));
  const at = out.findIndex((m) => m.label === label);
  if (at < 0) {
    out.push({ label, prior: 0, weights: [1], means: [[x, y]], covariances: [firstCov] });
    out.sort((p, q) => p.label - q.label);
  } else {
    const m = out[at], n = counts[at];
    const terms = m.weights.map((w, k) => {
      const g = logGauss(x, y, m.means[k], m.covariances[k]);
      return { log: Math.log(w) + g.log, d2: g.d2 };
    });
    if (Math.min(...terms.map((t) => t.d2)) <= BIRTH_D2) {
      const top = Math.max(...terms.map((t) => t.log));
      const r = terms.map((t) => Math.exp(t.log - top));
      const sum = r.reduce((s, v) => s + v, 0);
      const sizes = m.weights.map((w, k) => w * n + r[k] / sum);
      m.means = m.means.map((mu, k) => {
        const share = r[k] / sum / sizes[k];
        return [mu[0] + share * (x - mu[0]), mu[1] + share * (y - mu[1])];
      });
      m.covariances = m.covariances.map((cov, k) => {
        const rk = r[k] / sum, before = sizes[k] - rk;
        if (rk < 1e-9) return cov;
        const dx = x - mixtures[at].means[k][0], dy = y - mixtures[at].means[k][1];
        const f = before / sizes[k];
        const scatter = (rk * f) / sizes[k];
        return [
          [f * cov[0][0] + scatter * dx * dx, f * cov[0][1] + scatter * dx * dy],
          [f * cov[1][0] + scatter * dx * dy, f * cov[1][1] + scatter * dy * dy],
        ];
      });
      m.weights = sizes.map((s) => s / (n + 1));
    }
  }
  const before = new Map(mixtures.map((m, i) => [m.label, counts[i]])); // counts in the input's order
  return out.map((m) => ({ ...m, prior: ((before.get(m.label) ?? 0) + (m.label === label ? 1 : 0)) / (total + 1) }));
}

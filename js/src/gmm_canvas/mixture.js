// Gaussian-mixture densities evaluated in the browser from the few parameters Python sends.

const LOG_2PI = Math.log(2 * Math.PI);

/** Precompute inverse covariances and log-normalisers of a 2-D mixture {weights, means, covariances}. */
export function prepareMixture(mixture) {
  const comps = mixture.weights.map((w, k) => {
    const [[a, b], [, c]] = mixture.covariances[k];
    const det = a * c - b * b;
    return {
      mx: mixture.means[k][0], my: mixture.means[k][1],
      ia: c / det, ib: -b / det, ic: a / det,
      logNorm: Math.log(w) - LOG_2PI - 0.5 * Math.log(det),
    };
  });
  return { comps, prior: mixture.prior ?? 1 };
}

/** log p(x, y) of a prepared mixture. */
export function logDensity(prep, x, y) {
  let max = -Infinity;
  const terms = prep.comps.map((c) => {
    const dx = x - c.mx, dy = y - c.my;
    const t = c.logNorm - 0.5 * (c.ia * dx * dx + 2 * c.ib * dx * dy + c.ic * dy * dy);
    if (t > max) max = t;
    return t;
  });
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return max + Math.log(s);
}

/**
 * Density at the centres of an nx x ny grid over the view, row 0 at the top (Float64Array, row-major).
 * A sum of exponentials per cell, no allocation in the loop: a click's class is drawn again in about a
 * millisecond (a density too small for a float is 0, which no contour reaches).
 */
export function densityGrid(prep, view, nx, ny) {
  const grid = new Float64Array(nx * ny);
  const K = prep.comps.length;
  const mx = new Float64Array(K), my = new Float64Array(K), ia = new Float64Array(K), ib = new Float64Array(K);
  const ic = new Float64Array(K), ln = new Float64Array(K);
  prep.comps.forEach((c, k) => { mx[k] = c.mx; my[k] = c.my; ia[k] = c.ia; ib[k] = c.ib; ic[k] = c.ic; ln[k] = c.logNorm; });
  const dx = (view.xlim[1] - view.xlim[0]) / nx, dy = (view.ylim[1] - view.ylim[0]) / ny;
  for (let j = 0; j < ny; j++) {
    const y = view.ylim[1] - (j + 0.5) * dy;
    for (let i = 0; i < nx; i++) {
      const x = view.xlim[0] + (i + 0.5) * dx;
      let s = 0;
      for (let k = 0; k < K; k++) {
        const ex = x - mx[k], ey = y - my[k];
        s += Math.exp(ln[k] - 0.5 * (ia[k] * ex * ex + 2 * ib[k] * ex * ey + ic[k] * ey * ey));
      }
      grid[j * nx + i] = s;
    }
  }
  return grid;
}

/**
 * Density thresholds whose upper sets hold the given probability masses
 * ("the 50% contour encloses half of the mixture"). A mass larger than what the
 * grid holds gets null (its contour lies outside the view).
 */
export function massLevels(grid, cellArea, masses) {
  const sorted = Float64Array.from(grid).sort().reverse();
  const out = masses.map(() => null);
  let cum = 0, m = 0;
  const order = masses.map((q, i) => [q, i]).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < sorted.length && m < order.length; i++) {
    cum += sorted[i] * cellArea;
    while (m < order.length && cum >= order[m][0]) { out[order[m][1]] = sorted[i]; m++; }
  }
  return out;
}

/** Points (data coordinates) on the nsig-sigma ellipse of a 2x2 covariance. */
export function ellipse(mean, cov, nsig = 2, steps = 48) {
  const [[a, b], [, c]] = cov;
  const half = (a + c) / 2, root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = Math.max(half + root, 0), l2 = Math.max(half - root, 0);
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const ct = Math.cos(theta), st = Math.sin(theta);
  const r1 = nsig * Math.sqrt(l1), r2 = nsig * Math.sqrt(l2);
  const pts = [];
  for (let s = 0; s <= steps; s++) {
    const t = (2 * Math.PI * s) / steps;
    const u = r1 * Math.cos(t), v = r2 * Math.sin(t);
    pts.push([mean[0] + ct * u - st * v, mean[1] + st * u + ct * v]);
  }
  return pts;
}

// js/src/common/coords.js
function makeView(width, height, xlim, ylim) {
  const sx = width / (xlim[1] - xlim[0]);
  const sy = height / (ylim[1] - ylim[0]);
  return {
    width,
    height,
    xlim,
    ylim,
    sx,
    sy,
    toPixel: (x, y) => [(x - xlim[0]) * sx, (ylim[1] - y) * sy],
    toData: (px, py) => [xlim[0] + px / sx, ylim[1] - py / sy]
  };
}
function eventPixel(el2, ev, width, height) {
  const r = el2.getBoundingClientRect();
  const kx = r.width ? width / r.width : 1;
  const ky = r.height ? height / r.height : 1;
  return [(ev.clientX - r.left) * kx, (ev.clientY - r.top) * ky];
}

// js/src/common/dom.js
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== void 0) e.textContent = text;
  return e;
}
function themeColor(node, name, fallback) {
  const v = globalThis.getComputedStyle?.(node)?.getPropertyValue(name)?.trim();
  return v || fallback;
}
function keyboardRoot(cls) {
  const root = el("div", cls);
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  return root;
}
function redrawScheduler(draw) {
  const dirty = /* @__PURE__ */ new Set();
  let queued = false;
  return (...parts) => {
    for (const p of parts) dirty.add(p);
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      const parts_ = new Set(dirty);
      dirty.clear();
      draw(parts_);
    });
  };
}
function sizeCanvas(canvas, width, height) {
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
function onThemeChange(redraw, node = null) {
  let frame = null, tries = 0;
  const whenAttached = () => {
    frame = null;
    if (node.isConnected) redraw();
    else if (++tries < 600) frame = requestAnimationFrame(whenAttached);
  };
  if (node && node.isConnected === false && globalThis.requestAnimationFrame) frame = requestAnimationFrame(whenAttached);
  const stopFrames = () => {
    if (frame !== null) globalThis.cancelAnimationFrame?.(frame);
  };
  if (!globalThis.MutationObserver || !globalThis.document?.body) return stopFrames;
  const watch = new MutationObserver(() => redraw());
  watch.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-name"] });
  return () => {
    watch.disconnect();
    stopFrames();
  };
}

// js/src/common/actions.js
function sequencedSender(model) {
  let seq = 0;
  return (msg) => {
    seq = Math.max(seq, model.get("_ack")) + 1;
    model.send({ ...msg, seq });
    return seq;
  };
}
function settingSender(model, send) {
  return (name, value) => {
    model.set(name, value);
    return send({ type: "set", name, value });
  };
}
function isUndoChord(ev) {
  return (ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z");
}
function isOtherChord(ev) {
  return (ev.ctrlKey || ev.metaKey || ev.altKey) && !isUndoChord(ev);
}
function typingInside(ev, root) {
  const tag = ev.target && ev.target.tagName;
  return ev.target !== root && (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA");
}

// js/src/common/codec.js
var ARRAYS = { float32: Float32Array, uint8: Uint8Array, uint32: Uint32Array };
function bytesOf(value) {
  if (!value) return new Uint8Array(0);
  if (value instanceof DataView || ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(0);
}
function decodeArray(message, dtype) {
  const Type = ARRAYS[dtype];
  if (!message || !message.dtype) return { data: new Type(0), shape: [0] };
  if (message.dtype !== dtype) throw new Error(`expected a ${dtype} array, got ${message.dtype}`);
  const bytes = bytesOf(message.data).slice();
  return { data: new Type(bytes.buffer, 0, Math.floor(bytes.byteLength / Type.BYTES_PER_ELEMENT)), shape: message.shape };
}
function decodeMessageArray(meta, buffers, dtype) {
  return decodeArray({ ...meta, data: buffers?.[meta?.buffer] }, dtype);
}

// js/src/gmm_canvas/keys.js
function actionForKey(ev) {
  const k = ev.key;
  if (isUndoChord(ev)) return { type: "undo" };
  if (isOtherChord(ev)) return null;
  if (k === "Backspace") return { type: "undo" };
  if (k === "p" || k === "P") return { type: "params" };
  if (k === "b" || k === "B") return { type: "fit_batch" };
  if (k === "a" || k === "A") return { type: "adopt" };
  if (k === "c" || k === "C") return { type: "clear" };
  if (k === "v" || k === "V") return { type: "cycle_show" };
  if (k === "Escape") return { type: "hide_params" };
  if (/^[1-9]$/.test(k)) return { type: "class", index: Number(k) - 1 };
  return null;
}
var SHOW_MODES = ["online", "batch", "both"];
function nextShow(mode) {
  return SHOW_MODES[(SHOW_MODES.indexOf(mode) + 1) % SHOW_MODES.length];
}

// js/src/common/draw.js
var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [v >> 16 & 255, v >> 8 & 255, v & 255];
}
function pointStyle(n, width, height) {
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const count2 = Math.max(1, n);
  const radius = clamp(Math.sqrt(0.12 * width * height / (Math.PI * count2)), 1, 3.5);
  return { radius, alpha: clamp(Math.sqrt(500 / count2), 0.3, 1), outlined: radius >= 2.5 };
}
function fillPoints(ctx, xy, labels, view, { radius = 3.5, outline = "#ffffff", alpha = 1, outlined = true } = {}) {
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.lineWidth = 1;
  ctx.strokeStyle = outline;
  for (let i = 0; i < xy.length / 2; i++) {
    const [px, py] = view.toPixel(xy[2 * i], xy[2 * i + 1]);
    ctx.fillStyle = PALETTE[(labels[i] ?? 0) % PALETTE.length];
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fill();
    if (outlined) ctx.stroke();
  }
  ctx.restore();
}

// js/src/gmm_canvas/mixture.js
var LOG_2PI = Math.log(2 * Math.PI);
function prepareMixture(mixture) {
  const comps = mixture.weights.map((w, k) => {
    const [[a, b], [, c]] = mixture.covariances[k];
    const det = a * c - b * b;
    return {
      mx: mixture.means[k][0],
      my: mixture.means[k][1],
      ia: c / det,
      ib: -b / det,
      ic: a / det,
      logNorm: Math.log(w) - LOG_2PI - 0.5 * Math.log(det)
    };
  });
  return { comps, prior: mixture.prior ?? 1 };
}
function densityGrid(prep, view, nx, ny) {
  const grid = new Float64Array(nx * ny);
  const K = prep.comps.length;
  const mx = new Float64Array(K), my = new Float64Array(K), ia = new Float64Array(K), ib = new Float64Array(K);
  const ic = new Float64Array(K), ln = new Float64Array(K);
  prep.comps.forEach((c, k) => {
    mx[k] = c.mx;
    my[k] = c.my;
    ia[k] = c.ia;
    ib[k] = c.ib;
    ic[k] = c.ic;
    ln[k] = c.logNorm;
  });
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
function massLevels(grid, cellArea, masses) {
  const sorted = Float64Array.from(grid).sort().reverse();
  const out = masses.map(() => null);
  let cum = 0, m = 0;
  const order = masses.map((q, i) => [q, i]).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < sorted.length && m < order.length; i++) {
    cum += sorted[i] * cellArea;
    while (m < order.length && cum >= order[m][0]) {
      out[order[m][1]] = sorted[i];
      m++;
    }
  }
  return out;
}
function ellipse(mean, cov, nsig = 2, steps = 48) {
  const [[a, b], [, c]] = cov;
  const half = (a + c) / 2, root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = Math.max(half + root, 0), l2 = Math.max(half - root, 0);
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const ct = Math.cos(theta), st = Math.sin(theta);
  const r1 = nsig * Math.sqrt(l1), r2 = nsig * Math.sqrt(l2);
  const pts = [];
  for (let s = 0; s <= steps; s++) {
    const t = 2 * Math.PI * s / steps;
    const u = r1 * Math.cos(t), v = r2 * Math.sin(t);
    pts.push([mean[0] + ct * u - st * v, mean[1] + st * u + ct * v]);
  }
  return pts;
}

// node_modules/d3-array/dist/d3-array.mjs
function ascending(a, b) {
  return a == null || b == null ? NaN : a < b ? -1 : a > b ? 1 : a >= b ? 0 : NaN;
}
function descending(a, b) {
  return a == null || b == null ? NaN : b < a ? -1 : b > a ? 1 : b >= a ? 0 : NaN;
}
function bisector(f) {
  let compare1, compare2, delta;
  if (f.length !== 2) {
    compare1 = ascending;
    compare2 = (d, x) => ascending(f(d), x);
    delta = (d, x) => f(d) - x;
  } else {
    compare1 = f === ascending || f === descending ? f : zero;
    compare2 = f;
    delta = f;
  }
  function left(a, x, lo = 0, hi = a.length) {
    if (lo < hi) {
      if (compare1(x, x) !== 0) return hi;
      do {
        const mid = lo + hi >>> 1;
        if (compare2(a[mid], x) < 0) lo = mid + 1;
        else hi = mid;
      } while (lo < hi);
    }
    return lo;
  }
  function right(a, x, lo = 0, hi = a.length) {
    if (lo < hi) {
      if (compare1(x, x) !== 0) return hi;
      do {
        const mid = lo + hi >>> 1;
        if (compare2(a[mid], x) <= 0) lo = mid + 1;
        else hi = mid;
      } while (lo < hi);
    }
    return lo;
  }
  function center(a, x, lo = 0, hi = a.length) {
    const i = left(a, x, lo, hi - 1);
    return i > lo && delta(a[i - 1], x) > -delta(a[i], x) ? i - 1 : i;
  }
  return { left, center, right };
}
function zero() {
  return 0;
}
function number(x) {
  return x === null ? NaN : +x;
}
var ascendingBisect = bisector(ascending);
var bisectRight = ascendingBisect.right;
var bisectLeft = ascendingBisect.left;
var bisectCenter = bisector(number).center;
var blur2 = Blur2(blurf);
var blurImage = Blur2(blurfImage);
function Blur2(blur) {
  return function(data, rx, ry = rx) {
    if (!((rx = +rx) >= 0)) throw new RangeError("invalid rx");
    if (!((ry = +ry) >= 0)) throw new RangeError("invalid ry");
    let { data: values, width, height } = data;
    if (!((width = Math.floor(width)) >= 0)) throw new RangeError("invalid width");
    if (!((height = Math.floor(height !== void 0 ? height : values.length / width)) >= 0)) throw new RangeError("invalid height");
    if (!width || !height || !rx && !ry) return data;
    const blurx = rx && blur(rx);
    const blury = ry && blur(ry);
    const temp = values.slice();
    if (blurx && blury) {
      blurh(blurx, temp, values, width, height);
      blurh(blurx, values, temp, width, height);
      blurh(blurx, temp, values, width, height);
      blurv(blury, values, temp, width, height);
      blurv(blury, temp, values, width, height);
      blurv(blury, values, temp, width, height);
    } else if (blurx) {
      blurh(blurx, values, temp, width, height);
      blurh(blurx, temp, values, width, height);
      blurh(blurx, values, temp, width, height);
    } else if (blury) {
      blurv(blury, values, temp, width, height);
      blurv(blury, temp, values, width, height);
      blurv(blury, values, temp, width, height);
    }
    return data;
  };
}
function blurh(blur, T, S, w, h) {
  for (let y = 0, n = w * h; y < n; ) {
    blur(T, S, y, y += w, 1);
  }
}
function blurv(blur, T, S, w, h) {
  for (let x = 0, n = w * h; x < w; ++x) {
    blur(T, S, x, x + n, w);
  }
}
function blurfImage(radius) {
  const blur = blurf(radius);
  return (T, S, start, stop, step) => {
    start <<= 2, stop <<= 2, step <<= 2;
    blur(T, S, start + 0, stop + 0, step);
    blur(T, S, start + 1, stop + 1, step);
    blur(T, S, start + 2, stop + 2, step);
    blur(T, S, start + 3, stop + 3, step);
  };
}
function blurf(radius) {
  const radius0 = Math.floor(radius);
  if (radius0 === radius) return bluri(radius);
  const t = radius - radius0;
  const w = 2 * radius + 1;
  return (T, S, start, stop, step) => {
    if (!((stop -= step) >= start)) return;
    let sum = radius0 * S[start];
    const s0 = step * radius0;
    const s1 = s0 + step;
    for (let i = start, j = start + s0; i < j; i += step) {
      sum += S[Math.min(stop, i)];
    }
    for (let i = start, j = stop; i <= j; i += step) {
      sum += S[Math.min(stop, i + s0)];
      T[i] = (sum + t * (S[Math.max(start, i - s1)] + S[Math.min(stop, i + s1)])) / w;
      sum -= S[Math.max(start, i - s0)];
    }
  };
}
function bluri(radius) {
  const w = 2 * radius + 1;
  return (T, S, start, stop, step) => {
    if (!((stop -= step) >= start)) return;
    let sum = radius * S[start];
    const s = step * radius;
    for (let i = start, j = start + s; i < j; i += step) {
      sum += S[Math.min(stop, i)];
    }
    for (let i = start, j = stop; i <= j; i += step) {
      sum += S[Math.min(stop, i + s)];
      T[i] = sum / w;
      sum -= S[Math.max(start, i - s)];
    }
  };
}
function count(values, valueof) {
  let count2 = 0;
  if (valueof === void 0) {
    for (let value of values) {
      if (value != null && (value = +value) >= value) {
        ++count2;
      }
    }
  } else {
    let index = -1;
    for (let value of values) {
      if ((value = valueof(value, ++index, values)) != null && (value = +value) >= value) {
        ++count2;
      }
    }
  }
  return count2;
}
function extent(values, valueof) {
  let min;
  let max2;
  if (valueof === void 0) {
    for (const value of values) {
      if (value != null) {
        if (min === void 0) {
          if (value >= value) min = max2 = value;
        } else {
          if (min > value) min = value;
          if (max2 < value) max2 = value;
        }
      }
    }
  } else {
    let index = -1;
    for (let value of values) {
      if ((value = valueof(value, ++index, values)) != null) {
        if (min === void 0) {
          if (value >= value) min = max2 = value;
        } else {
          if (min > value) min = value;
          if (max2 < value) max2 = value;
        }
      }
    }
  }
  return [min, max2];
}
var array = Array.prototype;
var slice = array.slice;
var e10 = Math.sqrt(50);
var e5 = Math.sqrt(10);
var e2 = Math.sqrt(2);
function tickSpec(start, stop, count2) {
  const step = (stop - start) / Math.max(0, count2), power = Math.floor(Math.log10(step)), error = step / Math.pow(10, power), factor = error >= e10 ? 10 : error >= e5 ? 5 : error >= e2 ? 2 : 1;
  let i1, i2, inc;
  if (power < 0) {
    inc = Math.pow(10, -power) / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = Math.pow(10, power) * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count2 && count2 < 2) return tickSpec(start, stop, count2 * 2);
  return [i1, i2, inc];
}
function ticks(start, stop, count2) {
  stop = +stop, start = +start, count2 = +count2;
  if (!(count2 > 0)) return [];
  if (start === stop) return [start];
  const reverse = stop < start, [i1, i2, inc] = reverse ? tickSpec(stop, start, count2) : tickSpec(start, stop, count2);
  if (!(i2 >= i1)) return [];
  const n = i2 - i1 + 1, ticks2 = new Array(n);
  if (reverse) {
    if (inc < 0) for (let i = 0; i < n; ++i) ticks2[i] = (i2 - i) / -inc;
    else for (let i = 0; i < n; ++i) ticks2[i] = (i2 - i) * inc;
  } else {
    if (inc < 0) for (let i = 0; i < n; ++i) ticks2[i] = (i1 + i) / -inc;
    else for (let i = 0; i < n; ++i) ticks2[i] = (i1 + i) * inc;
  }
  return ticks2;
}
function tickIncrement(start, stop, count2) {
  stop = +stop, start = +start, count2 = +count2;
  return tickSpec(start, stop, count2)[2];
}
function nice(start, stop, count2) {
  let prestep;
  while (true) {
    const step = tickIncrement(start, stop, count2);
    if (step === prestep || step === 0 || !isFinite(step)) {
      return [start, stop];
    } else if (step > 0) {
      const i = Math.ceil(start / step);
      const j = Math.floor(stop / step);
      start = (i - (i * step > start)) * step;
      stop = (j + (j * step < stop)) * step;
    } else if (step < 0) {
      const s = -step;
      const i = Math.ceil(start * s);
      const j = Math.floor(stop * s);
      start = (i - (i / s > start)) / s;
      stop = (j + (j / s < stop)) / s;
    }
    prestep = step;
  }
}
function thresholdSturges(values) {
  return Math.max(1, Math.ceil(Math.log(count(values)) / Math.LN2) + 1);
}
var shuffle = shuffler(Math.random);
function shuffler(random) {
  return function shuffle2(array3, i0 = 0, i1 = array3.length) {
    let m = i1 - (i0 = +i0);
    while (m) {
      const i = random() * m-- | 0, t = array3[m + i0];
      array3[m + i0] = array3[i + i0];
      array3[i + i0] = t;
    }
    return array3;
  };
}

// node_modules/d3-contour/dist/d3-contour.mjs
var array2 = Array.prototype;
var slice2 = array2.slice;
function ascending2(a, b) {
  return a - b;
}
function area(ring) {
  var i = 0, n = ring.length, area2 = ring[n - 1][1] * ring[0][0] - ring[n - 1][0] * ring[0][1];
  while (++i < n) area2 += ring[i - 1][1] * ring[i][0] - ring[i - 1][0] * ring[i][1];
  return area2;
}
var constant = (x) => () => x;
function contains(ring, hole) {
  var i = -1, n = hole.length, c;
  while (++i < n) if (c = ringContains(ring, hole[i])) return c;
  return 0;
}
function ringContains(ring, point) {
  var x = point[0], y = point[1], contains2 = -1;
  for (var i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    var pi = ring[i], xi = pi[0], yi = pi[1], pj = ring[j], xj = pj[0], yj = pj[1];
    if (segmentContains(pi, pj, point)) return 0;
    if (yi > y !== yj > y && x < (xj - xi) * (y - yi) / (yj - yi) + xi) contains2 = -contains2;
  }
  return contains2;
}
function segmentContains(a, b, c) {
  var i;
  return collinear(a, b, c) && within(a[i = +(a[0] === b[0])], c[i], b[i]);
}
function collinear(a, b, c) {
  return (b[0] - a[0]) * (c[1] - a[1]) === (c[0] - a[0]) * (b[1] - a[1]);
}
function within(p, q, r) {
  return p <= q && q <= r || r <= q && q <= p;
}
function noop() {
}
var cases = [
  [],
  [[[1, 1.5], [0.5, 1]]],
  [[[1.5, 1], [1, 1.5]]],
  [[[1.5, 1], [0.5, 1]]],
  [[[1, 0.5], [1.5, 1]]],
  [[[1, 1.5], [0.5, 1]], [[1, 0.5], [1.5, 1]]],
  [[[1, 0.5], [1, 1.5]]],
  [[[1, 0.5], [0.5, 1]]],
  [[[0.5, 1], [1, 0.5]]],
  [[[1, 1.5], [1, 0.5]]],
  [[[0.5, 1], [1, 0.5]], [[1.5, 1], [1, 1.5]]],
  [[[1.5, 1], [1, 0.5]]],
  [[[0.5, 1], [1.5, 1]]],
  [[[1, 1.5], [1.5, 1]]],
  [[[0.5, 1], [1, 1.5]]],
  []
];
function Contours() {
  var dx = 1, dy = 1, threshold = thresholdSturges, smooth = smoothLinear;
  function contours(values) {
    var tz = threshold(values);
    if (!Array.isArray(tz)) {
      const e = extent(values, finite);
      tz = ticks(...nice(e[0], e[1], tz), tz);
      while (tz[tz.length - 1] >= e[1]) tz.pop();
      while (tz[1] < e[0]) tz.shift();
    } else {
      tz = tz.slice().sort(ascending2);
    }
    return tz.map((value) => contour(values, value));
  }
  function contour(values, value) {
    const v = value == null ? NaN : +value;
    if (isNaN(v)) throw new Error(`invalid value: ${value}`);
    var polygons = [], holes = [];
    isorings(values, v, function(ring) {
      smooth(ring, values, v);
      if (area(ring) > 0) polygons.push([ring]);
      else holes.push(ring);
    });
    holes.forEach(function(hole) {
      for (var i = 0, n = polygons.length, polygon; i < n; ++i) {
        if (contains((polygon = polygons[i])[0], hole) !== -1) {
          polygon.push(hole);
          return;
        }
      }
    });
    return {
      type: "MultiPolygon",
      value,
      coordinates: polygons
    };
  }
  function isorings(values, value, callback) {
    var fragmentByStart = new Array(), fragmentByEnd = new Array(), x, y, t0, t1, t2, t3;
    x = y = -1;
    t1 = above(values[0], value);
    cases[t1 << 1].forEach(stitch);
    while (++x < dx - 1) {
      t0 = t1, t1 = above(values[x + 1], value);
      cases[t0 | t1 << 1].forEach(stitch);
    }
    cases[t1 << 0].forEach(stitch);
    while (++y < dy - 1) {
      x = -1;
      t1 = above(values[y * dx + dx], value);
      t2 = above(values[y * dx], value);
      cases[t1 << 1 | t2 << 2].forEach(stitch);
      while (++x < dx - 1) {
        t0 = t1, t1 = above(values[y * dx + dx + x + 1], value);
        t3 = t2, t2 = above(values[y * dx + x + 1], value);
        cases[t0 | t1 << 1 | t2 << 2 | t3 << 3].forEach(stitch);
      }
      cases[t1 | t2 << 3].forEach(stitch);
    }
    x = -1;
    t2 = values[y * dx] >= value;
    cases[t2 << 2].forEach(stitch);
    while (++x < dx - 1) {
      t3 = t2, t2 = above(values[y * dx + x + 1], value);
      cases[t2 << 2 | t3 << 3].forEach(stitch);
    }
    cases[t2 << 3].forEach(stitch);
    function stitch(line) {
      var start = [line[0][0] + x, line[0][1] + y], end = [line[1][0] + x, line[1][1] + y], startIndex = index(start), endIndex = index(end), f, g;
      if (f = fragmentByEnd[startIndex]) {
        if (g = fragmentByStart[endIndex]) {
          delete fragmentByEnd[f.end];
          delete fragmentByStart[g.start];
          if (f === g) {
            f.ring.push(end);
            callback(f.ring);
          } else {
            fragmentByStart[f.start] = fragmentByEnd[g.end] = { start: f.start, end: g.end, ring: f.ring.concat(g.ring) };
          }
        } else {
          delete fragmentByEnd[f.end];
          f.ring.push(end);
          fragmentByEnd[f.end = endIndex] = f;
        }
      } else if (f = fragmentByStart[endIndex]) {
        if (g = fragmentByEnd[startIndex]) {
          delete fragmentByStart[f.start];
          delete fragmentByEnd[g.end];
          if (f === g) {
            f.ring.push(end);
            callback(f.ring);
          } else {
            fragmentByStart[g.start] = fragmentByEnd[f.end] = { start: g.start, end: f.end, ring: g.ring.concat(f.ring) };
          }
        } else {
          delete fragmentByStart[f.start];
          f.ring.unshift(start);
          fragmentByStart[f.start = startIndex] = f;
        }
      } else {
        fragmentByStart[startIndex] = fragmentByEnd[endIndex] = { start: startIndex, end: endIndex, ring: [start, end] };
      }
    }
  }
  function index(point) {
    return point[0] * 2 + point[1] * (dx + 1) * 4;
  }
  function smoothLinear(ring, values, value) {
    ring.forEach(function(point) {
      var x = point[0], y = point[1], xt = x | 0, yt = y | 0, v1 = valid(values[yt * dx + xt]);
      if (x > 0 && x < dx && xt === x) {
        point[0] = smooth1(x, valid(values[yt * dx + xt - 1]), v1, value);
      }
      if (y > 0 && y < dy && yt === y) {
        point[1] = smooth1(y, valid(values[(yt - 1) * dx + xt]), v1, value);
      }
    });
  }
  contours.contour = contour;
  contours.size = function(_) {
    if (!arguments.length) return [dx, dy];
    var _0 = Math.floor(_[0]), _1 = Math.floor(_[1]);
    if (!(_0 >= 0 && _1 >= 0)) throw new Error("invalid size");
    return dx = _0, dy = _1, contours;
  };
  contours.thresholds = function(_) {
    return arguments.length ? (threshold = typeof _ === "function" ? _ : Array.isArray(_) ? constant(slice2.call(_)) : constant(_), contours) : threshold;
  };
  contours.smooth = function(_) {
    return arguments.length ? (smooth = _ ? smoothLinear : noop, contours) : smooth === smoothLinear;
  };
  return contours;
}
function finite(x) {
  return isFinite(x) ? x : NaN;
}
function above(x, value) {
  return x == null ? false : +x >= value;
}
function valid(v) {
  return v == null || isNaN(v = +v) ? -Infinity : v;
}
function smooth1(x, v0, v1, value) {
  const a = value - v0;
  const b = v1 - v0;
  const d = isFinite(a) || isFinite(b) ? a / b : Math.sign(a) / Math.sign(b);
  return isNaN(d) ? x : x + d - 0.5;
}

// js/src/gmm_canvas/model_draw.js
var MASS_LEVELS = [0.25, 0.5, 0.75, 0.9];
function shadePixels(grids, nx, ny) {
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  const C = grids.length;
  if (!C) return rgba;
  const priors = grids.map((g) => g.prior);
  let maxJoint = 0;
  for (let c = 0; c < C; c++) {
    const grid = grids[c].grid, prior = priors[c];
    for (let i = 0; i < grid.length; i++) if (grid[i] * prior > maxJoint) maxJoint = grid[i] * prior;
  }
  const colours = grids.map((g) => hexToRgb(PALETTE[g.label % PALETTE.length]));
  for (let i = 0; i < nx * ny; i++) {
    let best = 0, bestJoint = -1, total = 0;
    for (let c = 0; c < C; c++) {
      const joint = grids[c].grid[i] * priors[c];
      total += joint;
      if (joint > bestJoint) {
        best = c;
        bestJoint = joint;
      }
    }
    const dens = maxJoint > 0 ? Math.sqrt(total / maxJoint) : 0;
    let alpha;
    if (C === 1) alpha = 0.6 * dens;
    else {
      const post = total > 0 ? bestJoint / total : 1 / C;
      alpha = 0.12 + 0.28 * ((post - 1 / C) / (1 - 1 / C)) + 0.3 * dens;
    }
    const [r, g, b] = colours[best];
    const o = 4 * i;
    rgba[o] = r;
    rgba[o + 1] = g;
    rgba[o + 2] = b;
    rgba[o + 3] = Math.round(255 * alpha);
  }
  return rgba;
}
function massContours(grid, nx, ny, view, masses = MASS_LEVELS) {
  const cellArea = (view.xlim[1] - view.xlim[0]) / nx * ((view.ylim[1] - view.ylim[0]) / ny);
  const levels = massLevels(grid, cellArea, masses).filter((v) => v !== null && v > 0);
  if (!levels.length) return [];
  return Contours().size([nx, ny]).thresholds(levels)(grid);
}
function strokeContours(ctx, polygons, nx, ny, view, style) {
  const kx = view.width / nx, ky = view.height / ny;
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width ?? 1.5;
  ctx.setLineDash(style.dash ?? []);
  for (const poly of polygons) {
    for (const rings of poly.coordinates) {
      for (const ring of rings) {
        ctx.beginPath();
        ring.forEach(([gx, gy], i) => i ? ctx.lineTo(gx * kx, gy * ky) : ctx.moveTo(gx * kx, gy * ky));
        ctx.stroke();
      }
    }
  }
  ctx.restore();
}
function strokeComponents(ctx, mixture, view, style) {
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width ?? 1;
  ctx.setLineDash(style.dash ?? []);
  mixture.means.forEach((mean, k) => {
    const pts = ellipse(mean, mixture.covariances[k]);
    ctx.beginPath();
    pts.forEach(([x, y], i) => {
      const [px, py] = view.toPixel(x, y);
      if (i) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
    });
    ctx.stroke();
    const [mx, my] = view.toPixel(mean[0], mean[1]);
    ctx.beginPath();
    ctx.moveTo(mx - 5, my);
    ctx.lineTo(mx + 5, my);
    ctx.moveTo(mx, my - 5);
    ctx.lineTo(mx, my + 5);
    ctx.stroke();
  });
  ctx.restore();
}

// js/src/gmm_canvas/model_layer.js
var CELL_PX = 5;
function classLayers(cache, kind, mixtures, view, nx, ny) {
  return mixtures.map((m) => {
    const key = `${kind}:${m.label}`;
    const numbers = JSON.stringify([m.weights, m.means, m.covariances]);
    let hit = cache[key];
    if (!hit || hit.numbers !== numbers || hit.view !== view) {
      hit = { numbers, view, grid: densityGrid(prepareMixture(m), view, nx, ny), rings: null };
      cache[key] = hit;
    }
    const entry = hit;
    return {
      label: m.label,
      prior: m.prior ?? 1,
      grid: entry.grid,
      polys: () => entry.rings ?? (entry.rings = massContours(entry.grid, nx, ny, view))
    };
  });
}
function drawModel(ctx, model, view, fg, cache = {}, halo = "#ffffff", lines = ctx, mixtures = null) {
  const nx = Math.max(8, Math.round(view.width / CELL_PX)), ny = Math.max(8, Math.round(view.height / CELL_PX));
  ctx.clearRect(0, 0, view.width, view.height);
  if (lines !== ctx) lines.clearRect(0, 0, view.width, view.height);
  const show = model.get("show");
  const online = show === "batch" ? [] : mixtures ?? model.get("mixtures");
  const batch = show === "online" ? [] : model.get("batch_mixtures");
  const shaded = online.length ? online : batch;
  const gridsOnline = classLayers(cache, "online", online, view, nx, ny);
  const gridsBatch = classLayers(cache, "batch", batch, view, nx, ny);
  const shadeFrom = shaded === online ? gridsOnline : gridsBatch;
  if (shadeFrom.length) {
    const pixels = shadePixels(shadeFrom, nx, ny);
    const tile = globalThis.OffscreenCanvas ? new OffscreenCanvas(nx, ny) : Object.assign(document.createElement("canvas"), { width: nx, height: ny });
    tile.getContext("2d").putImageData(new ImageData(pixels, nx, ny), 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tile, 0, 0, view.width, view.height);
  }
  let rings = 0;
  const means = [];
  gridsOnline.forEach((g, i) => {
    const colour = PALETTE[g.label % PALETTE.length];
    const polys = g.polys();
    rings += polys.length;
    strokeContours(lines, polys, nx, ny, view, { color: halo, width: 3.5 });
    strokeContours(lines, polys, nx, ny, view, { color: colour, width: 1.5 });
    const drawn = visibleComponents(online[i]);
    strokeComponents(lines, drawn, view, { color: halo, width: 3.5 });
    strokeComponents(lines, drawn, view, { color: online.length === 1 ? fg : colour, width: 1.5 });
    means.push(...drawn.means);
  });
  gridsBatch.forEach((g, i) => {
    const polys = g.polys();
    rings += polys.length;
    strokeContours(lines, polys, nx, ny, view, { color: halo, width: 3, dash: [5, 4] });
    strokeContours(lines, polys, nx, ny, view, { color: fg, width: 1.2, dash: [5, 4] });
    const drawn = visibleComponents(batch[i]);
    strokeComponents(lines, drawn, view, { color: halo, width: 3, dash: [2, 3] });
    strokeComponents(lines, drawn, view, { color: fg, width: 1.2, dash: [2, 3] });
  });
  return { levels: rings, components: means.length, means };
}
function visibleComponents(mixture, minWeight = 2e-3) {
  const keep = mixture.weights.map((w, k) => k).filter((k) => mixture.weights[k] >= minWeight);
  return {
    ...mixture,
    weights: keep.map((k) => mixture.weights[k]),
    means: keep.map((k) => mixture.means[k]),
    covariances: keep.map((k) => mixture.covariances[k])
  };
}
function legendEntries(show, online, batch) {
  const entries = [];
  if (show !== "batch" && online.length) {
    const single = online.length === 1;
    const first = PALETTE[online[0].label % PALETTE.length];
    const each = single ? "" : ", class colours";
    entries.push({ line: "solid", shape: "line", colour: first, text: `online: contours (25/50/75/90% mass${each})` });
    entries.push({ line: "solid", shape: "ellipse", colour: single ? null : first, text: "online: components (2\u03C3 ellipses)" });
  }
  if (show !== "online" && batch.length) {
    entries.push({ line: "dashed", shape: "line", colour: null, text: "from scratch: contours" });
    entries.push({ line: "dotted", shape: "ellipse", colour: null, text: "from scratch: components" });
  }
  return entries;
}

// js/src/common/curve.js
function drawPercentAxes(ctx, w, h, pad, muted, xName = null, xLast = null) {
  ctx.clearRect(0, 0, w, h);
  ctx.font = "9px sans-serif";
  ctx.fillStyle = muted;
  ctx.strokeStyle = muted;
  ctx.lineWidth = 0.5;
  for (const y of [0, 0.5, 1]) {
    const py = pad.top + (1 - y) * (h - pad.top - pad.bottom);
    ctx.beginPath();
    ctx.moveTo(pad.left, py);
    ctx.lineTo(w - pad.right, py);
    ctx.stroke();
    ctx.fillText(`${Math.round(y * 100)}%`, 2, py + 3);
  }
  if (xName === null) return;
  ctx.fillText(xName, pad.left, h - 3);
  ctx.fillText(xLast, w - pad.right - ctx.measureText(xLast).width, h - 3);
}

// js/src/gmm_canvas/status.js
function formatGap(gap) {
  const rounded = Math.round(gap * 1e3) / 1e3;
  if (rounded === 0) return "0.000";
  return `${rounded > 0 ? "+" : ""}${rounded.toFixed(3)}`;
}
function statusParts(st, latency) {
  if (!st || st.n === void 0) return [];
  if (st.n === 0) {
    if (st.last_action === "clear" && st.cleared) return [`cleared ${st.cleared} points: Backspace brings them back`];
    return ["click to add a point, drag to spray"];
  }
  const parts = [`N = ${st.n}`, `K = ${st.k}`];
  if (st.candidates) parts.push(`${st.candidates} far point${st.candidates > 1 ? "s" : ""} waiting`);
  if (st.update_ms != null) parts.push(`update ${st.update_ms.toFixed(2)} ms`);
  if (latency != null) parts.push(`click to redraw ${latency.toFixed(0)} ms`);
  if (st.ll_gap != null) parts.push(`vs batch (N = ${st.batch_n}${fitTime(st.batch_ms)}): ${formatGap(st.ll_gap)} nats/pt`);
  else if (st.batch_n != null) parts.push(`fit from scratch is from N = ${st.batch_n}${st.checking ? ", refitting" : ""}`);
  else parts.push("b: fit from scratch to compare");
  if (st.adopted) parts.push(adoptionText(st.adopted));
  else if (st.checking) parts.push("checking against a fit from scratch in the background");
  if (st.accuracy != null) parts.push(`accuracy ${(100 * st.accuracy).toFixed(0)}% over ${st.n_predicted} predicted`);
  return parts;
}
function fitTime(ms) {
  return ms == null ? "" : `, fit in ${Math.round(ms).toLocaleString("en-US")} ms`;
}
function adoptionText(a) {
  const gain = a.gain != null ? ` (${formatGap(a.gain)} nats/pt)` : "";
  return a.by === "you" ? `you adopted the fit from scratch at N = ${a.n}` : `adopted a fit from scratch at N = ${a.n}${gain}`;
}
var CURVE_SIZE = { width: 260, height: 72 };
function drawAccuracy(ctx, values, nPredicted, color, muted, { width, height } = CURVE_SIZE) {
  const pad = { left: 28, right: 8, top: 16, bottom: 14 };
  drawPercentAxes(ctx, width, height, pad, muted, "predicted points", String(nPredicted));
  ctx.fillStyle = color;
  ctx.font = "11px sans-serif";
  const last = values.length ? ` ${(100 * values[values.length - 1]).toFixed(0)}%` : "";
  ctx.fillText(`prequential accuracy${last}`, pad.left, 11);
  if (!values.length) return 0;
  const iw = width - pad.left - pad.right, ih = height - pad.top - pad.bottom;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = pad.left + (values.length === 1 ? iw / 2 : i / (values.length - 1) * iw);
    const y = pad.top + (1 - v) * ih;
    if (i) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  });
  ctx.stroke();
  return values.length;
}

// js/src/gmm_canvas/panels.js
function toolbarView({ onClass, onShow, onAction }) {
  const node = el("div", "hitl-gmm-toolbar");
  const classBar = el("span", "hitl-gmm-classes");
  const showSelect = el("select", "hitl-gmm-show");
  for (const m of SHOW_MODES) showSelect.append(Object.assign(el("option", "", m), { value: m }));
  const buttons = {
    params: el("button", "hitl-gmm-btn", "Parameters (p)"),
    fit_batch: el("button", "hitl-gmm-btn", "Fit from scratch (b)"),
    adopt: el("button", "hitl-gmm-btn", "Adopt it (a)"),
    undo: el("button", "hitl-gmm-btn", "Undo (\u232B)"),
    clear: el("button", "hitl-gmm-btn", "Clear (c)")
  };
  const classHint = el("span", "hitl-gmm-label", "keys 2-9 start classes");
  node.append(classBar, classHint, el("span", "hitl-gmm-label", "show"), showSelect, ...Object.values(buttons));
  const listeners = [[showSelect, "change", () => onShow(showSelect.value)]];
  for (const [name, btn] of Object.entries(buttons)) listeners.push([btn, "click", () => onAction(name)]);
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  let drawnClasses = null;
  return {
    node,
    draw(model) {
      const names = model.get("class_names"), current = model.get("current_class");
      const classes = JSON.stringify([names, current]);
      if (classes !== drawnClasses) drawClasses(names, current);
      drawnClasses = classes;
      const single = names.length === 1 && model.get("open_classes");
      classBar.style.display = single ? "none" : "";
      classHint.style.display = single ? "" : "none";
      showSelect.value = model.get("show");
      const adopt = model.get("status").adopt ?? { ok: false, why: "press b to fit from scratch first" };
      buttons.adopt.disabled = !adopt.ok;
      buttons.adopt.title = adopt.ok ? `${adopt.why} (undo takes it back)` : `Not now: ${adopt.why}`;
    },
    remove() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
    }
  };
  function drawClasses(names, current) {
    classBar.replaceChildren(...names.map((name, i) => {
      const b = el("button", "hitl-gmm-class" + (i === current ? " hitl-active" : ""));
      b.append(el("kbd", "hitl-gmm-key", String(i + 1)), ` ${name}`);
      b.title = `key ${i + 1}: the next points are ${name}`;
      b.style.borderColor = PALETTE[i % PALETTE.length];
      b.addEventListener("click", () => onClass(i));
      return b;
    }));
  }
}
function legendView() {
  const node = el("div", "hitl-gmm-legend");
  return {
    node,
    draw(show, online, batch) {
      const entries = legendEntries(show, online, batch);
      node.replaceChildren(...entries.map((e) => {
        const item = el("span", "hitl-gmm-legend-item");
        const swatch = el("span", `hitl-gmm-swatch hitl-gmm-swatch-${e.shape}`);
        swatch.style.borderStyle = e.line;
        if (e.colour) swatch.style.borderColor = e.colour;
        item.append(swatch, e.text);
        return item;
      }));
      node.style.display = entries.length ? "" : "none";
      node.dataset.entries = String(entries.length);
    }
  };
}
function footerView(root) {
  const node = el("div", "hitl-gmm-footer");
  const status = el("div", "hitl-gmm-status");
  const curve = el("canvas", "hitl-gmm-curve");
  node.append(status, curve);
  return {
    node,
    size(width) {
      sizeCanvas(curve, CURVE_SIZE.width, CURVE_SIZE.height);
      status.style.maxWidth = `${width}px`;
    },
    // a part never breaks across lines (no-break spaces inside it): the line wraps between parts
    drawStatus(st, latency) {
      status.textContent = statusParts(st, latency).map((p) => p.replaceAll(" ", "\xA0")).join("  \xB7  ");
    },
    drawCurve(model) {
      const acc = model.get("accuracy_curve");
      curve.style.display = acc.length ? "" : "none";
      const fg = themeColor(root, "--jp-ui-font-color1", "#333"), muted = themeColor(root, "--jp-ui-font-color2", "#777");
      drawAccuracy(curve.getContext("2d"), acc, model.get("status").n_predicted ?? acc.length, fg, muted);
    }
  };
}
function paramsView() {
  const node = el("div", "hitl-gmm-params");
  return {
    node,
    draw(model) {
      const on = model.get("show_params");
      node.replaceChildren(...on ? [paramsTable(model.get("mixtures"), model.get("class_names"))] : []);
      node.style.display = on ? "" : "none";
    }
  };
}
function fixed3(v) {
  return (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);
}
function paramsTable(mixtures, classNames) {
  const withClass = classNames.length > 1;
  const table = el("table", "hitl-gmm-table");
  const head = el("tr");
  const names = ["k", "weight", "mean x", "mean y", "var x", "var y", "cov xy"];
  for (const h of withClass ? ["class", ...names] : names) head.append(el("th", "", h));
  table.append(head);
  for (const m of mixtures) {
    m.weights.forEach((w, k) => {
      const [[a, b], [, c]] = m.covariances[k];
      const row = el("tr");
      if (withClass) {
        const cls = el("td", "", classNames[m.label] ?? String(m.label + 1));
        cls.style.color = PALETTE[m.label % PALETTE.length];
        row.append(cls);
      }
      row.append(el("td", "", String(k + 1)));
      for (const v of [w, m.means[k][0], m.means[k][1], a, c, b]) row.append(el("td", "", fixed3(v)));
      table.append(row);
    });
  }
  const caption = el("caption", "", "Covariances: variances on the diagonal (not standard deviations).");
  table.prepend(caption);
  return table;
}

// js/src/gmm_canvas/brush.js
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function spray(cx, cy, radius, count2, random) {
  const out = [];
  for (let i = 0; i < count2; i++) {
    const r = radius * Math.sqrt(random()), t = 2 * Math.PI * random();
    out.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  return out;
}
function shouldSpray(last, px, py, spacing) {
  return !last || Math.hypot(px - last[0], py - last[1]) >= spacing;
}

// js/src/gmm_canvas/input.js
var SPRAY = { radius: 16, spacing: 7, count: 2 };
var BATCH = 8;
function pointerInput(canvas, { view, onPixels, onStart }) {
  const random = seededRandom(1);
  let brush = null;
  let stroke = Math.floor(Math.random() * 1e9);
  const flush = () => {
    if (brush?.batch.length) {
      onPixels(brush.batch, performance.now(), stroke);
      brush.batch = [];
    }
  };
  const onDown = (ev) => {
    if (ev.button !== 0) return;
    onStart();
    const t0 = ev.timeStamp || performance.now();
    const p = eventPixel(canvas, ev, view().width, view().height);
    brush = { last: p, batch: [] };
    stroke += 1;
    canvas.setPointerCapture?.(ev.pointerId);
    onPixels([p], t0, stroke);
  };
  const onMove = (ev) => {
    if (!brush || !(ev.buttons & 1)) return;
    const { width, height } = view();
    const [px, py] = eventPixel(canvas, ev, width, height);
    if (!shouldSpray(brush.last, px, py, SPRAY.spacing)) return;
    brush.last = [px, py];
    const pts = spray(px, py, SPRAY.radius, SPRAY.count, random).filter(([x, y]) => x >= 0 && y >= 0 && x <= width && y <= height);
    brush.batch.push(...pts);
    if (brush.batch.length >= BATCH) flush();
  };
  const onUp = () => {
    flush();
    brush = null;
  };
  const handlers = [["pointerdown", onDown], ["pointermove", onMove], ["pointerup", onUp], ["pointercancel", onUp]];
  for (const [type, fn] of handlers) canvas.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of handlers) canvas.removeEventListener(type, fn);
  };
}

// js/src/gmm_canvas/points.js
function pointStore() {
  let xy = new Float32Array(512), labels = new Uint8Array(256), n = 0;
  let changedFrom = 0;
  return {
    get n() {
      return n;
    },
    xy: () => xy.subarray(0, 2 * n),
    labels: () => labels.subarray(0, n),
    apply(base, newXy, newLabels) {
      if (base > n) return false;
      const m = newLabels.length;
      while (base + m > labels.length) {
        const grownXy = new Float32Array(2 * xy.length), grownLabels = new Uint8Array(2 * labels.length);
        grownXy.set(xy), grownLabels.set(labels);
        xy = grownXy, labels = grownLabels;
      }
      xy.set(newXy.subarray(0, 2 * m), 2 * base);
      labels.set(newLabels.subarray(0, m), base);
      changedFrom = Math.min(changedFrom, base);
      n = base + m;
      return true;
    },
    /** The first point changed since the last call (then: everything is drawn). */
    takeChangedFrom() {
      const from = changedFrom;
      changedFrom = n;
      return from;
    }
  };
}
function styleCount(n) {
  return n <= 1 ? 1 : Math.ceil(2 ** (Math.ceil(4 * Math.log2(n)) / 4));
}
function pointsLayer(canvas) {
  let ctx = null, drawn = 0, key = "", style = null;
  return {
    size(w, h) {
      ctx = sizeCanvas(canvas, w, h);
      key = "";
    },
    draw(store, view, background) {
      const n = store.n, from = store.takeChangedFrom();
      const count2 = styleCount(n);
      const k = `${count2}|${background}|${view.width}x${view.height}`;
      let start = drawn;
      if (k !== key || from < drawn) {
        ctx.clearRect(0, 0, view.width, view.height);
        style = { ...pointStyle(count2, view.width, view.height), outline: background };
        key = k;
        start = 0;
      }
      fillPoints(ctx, store.xy().subarray(2 * start), store.labels().subarray(start), view, style);
      drawn = n;
      return { style, drew: n - start };
    }
  };
}
function pendingLayer(canvas) {
  let ctx = null;
  return {
    size(w, h) {
      ctx = sizeCanvas(canvas, w, h);
    },
    draw(pending, view, style) {
      ctx.clearRect(0, 0, view.width, view.height);
      const xy = new Float32Array(pending.flatMap((p) => p.xy.flat()));
      const labels = pending.flatMap((p) => p.xy.map(() => p.label));
      fillPoints(ctx, xy, labels, view, { ...style, alpha: Math.max(0.6, style.alpha) });
      return labels.length;
    }
  };
}

// js/src/gmm_canvas/predict.js
var BIRTH_D2 = 13.8155;
var LOG_2PI2 = Math.log(2 * Math.PI);
function logGauss(x, y, mean, cov) {
  const [[a, b], [, c]] = cov;
  const det = a * c - b * b;
  const dx = x - mean[0], dy = y - mean[1];
  const d2 = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
  return { log: -LOG_2PI2 - 0.5 * Math.log(det) - 0.5 * d2, d2 };
}
function predictMixtures(mixtures, label, x, y, total, firstCov) {
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
        const rk = r[k] / sum, before2 = sizes[k] - rk;
        if (rk < 1e-9) return cov;
        const dx = x - mixtures[at].means[k][0], dy = y - mixtures[at].means[k][1];
        const f = before2 / sizes[k];
        const scatter = rk * f / sizes[k];
        return [
          [f * cov[0][0] + scatter * dx * dx, f * cov[0][1] + scatter * dx * dy],
          [f * cov[1][0] + scatter * dx * dy, f * cov[1][1] + scatter * dy * dy]
        ];
      });
      m.weights = sizes.map((s) => s / (n + 1));
    }
  }
  const before = new Map(mixtures.map((m, i) => [m.label, counts[i]]));
  return out.map((m) => ({ ...m, prior: ((before.get(m.label) ?? 0) + (m.label === label ? 1 : 0)) / (total + 1) }));
}

// js/src/gmm_canvas/widget.js
var FIRST_SHARE = 0.035;
function render({ model, el: host }) {
  const root = keyboardRoot("hitl-gmm");
  const send = sequencedSender(model);
  const setTrait = settingSender(model, send);
  const toolbar = toolbarView({
    onClass: (i) => choose(i),
    onShow: (mode) => setTrait("show", mode),
    onAction: (name) => act({ type: name })
  });
  const stage = el("div", "hitl-gmm-stage");
  const modelCanvas = el("canvas", "hitl-gmm-model");
  const dotsCanvas = el("canvas", "hitl-gmm-dots");
  const pendingCanvas = el("canvas", "hitl-gmm-pending");
  const linesCanvas = el("canvas", "hitl-gmm-lines");
  const pointCanvas = el("canvas", "hitl-gmm-points");
  const hint = el("div", "hitl-gmm-hint", "Click to add points, drag to spray them. Keys work while the widget is outlined.");
  stage.append(modelCanvas, dotsCanvas, pendingCanvas, linesCanvas, pointCanvas, hint);
  const legend = legendView();
  const footer = footerView(root);
  const error = el("div", "hitl-gmm-error");
  const params = paramsView();
  root.append(toolbar.node, stage, legend.node, footer.node, error, params.node);
  host.append(root);
  const store = pointStore();
  const dots = pointsLayer(dotsCanvas);
  const pendingDots = pendingLayer(pendingCanvas);
  const state = { pending: [], t0: /* @__PURE__ */ new Map(), latency: null, renders: 0, grids: {}, predicted: null, style: null, pings: /* @__PURE__ */ new Map() };
  let view, modelCtx, linesCtx;
  const background = () => themeColor(root, "--jp-layout-color0", "#fff");
  const layout = () => {
    const w = model.get("width"), h = model.get("height");
    view = makeView(w, h, model.get("xlim"), model.get("ylim"));
    stage.style.width = `${w}px`;
    stage.style.height = `${h}px`;
    modelCtx = sizeCanvas(modelCanvas, w, h);
    linesCtx = sizeCanvas(linesCanvas, w, h);
    sizeCanvas(pointCanvas, w, h);
    dots.size(w, h);
    pendingDots.size(w, h);
    legend.node.style.maxWidth = `${w}px`;
    footer.size(w);
  };
  const drawModelLayer = () => {
    const t0 = performance.now();
    const fg = themeColor(root, "--jp-ui-font-color1", "#222");
    const info = drawModel(modelCtx, model, view, fg, state.grids, background(), linesCtx, state.predicted);
    legend.draw(model.get("show"), model.get("mixtures"), model.get("batch_mixtures"));
    modelCanvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
    modelCanvas.dataset.levels = String(info.levels);
    modelCanvas.dataset.components = String(info.components);
    modelCanvas.dataset.means = JSON.stringify(info.means.map((m) => m.map((v) => Number(v.toFixed(3)))));
    modelCanvas.dataset.renders = String(++state.renders);
    modelCanvas.dataset.predicted = state.predicted ? "1" : "0";
  };
  const drawPoints = () => {
    const t0 = performance.now();
    const { style, drew } = dots.draw(store, view, background());
    state.style = style;
    const pending = pendingDots.draw(state.pending, view, style);
    modelCanvas.dataset.n = String(store.n);
    modelCanvas.dataset.pending = String(pending);
    if (drew) modelCanvas.dataset.dotsDrawn = String(drew);
    modelCanvas.dataset.pointsMs = (performance.now() - t0).toFixed(1);
    modelCanvas.dataset.pointRadius = style.radius.toFixed(2);
    modelCanvas.dataset.pointAlpha = style.alpha.toFixed(2);
    hint.style.display = store.n || pending ? "none" : "";
  };
  const predict = () => {
    const clicks = state.pending.flatMap((p) => p.xy.map((xy) => [xy, p.label]));
    if (!clicks.length || model.get("show") === "batch") return null;
    const span = Math.max(view.xlim[1] - view.xlim[0], view.ylim[1] - view.ylim[0]);
    const first = (FIRST_SHARE * span) ** 2;
    let mixtures = model.get("mixtures"), total = model.get("status")?.n ?? store.n;
    for (const [[x, y], label] of clicks) {
      mixtures = predictMixtures(mixtures, label, x, y, total, [[first, 0], [0, first]]);
      total += 1;
    }
    return mixtures;
  };
  const noteFrame = (t0) => requestAnimationFrame?.(() => {
    const ms = performance.now() - t0;
    (globalThis.__hitl_frames ?? (globalThis.__hitl_frames = [])).push(ms);
    root.dataset.lastFrame = ms.toFixed(1);
  });
  const noteLatency = (ack) => {
    if (!state.t0.has(ack)) return;
    state.latency = performance.now() - state.t0.get(ack);
    state.t0.delete(ack);
    (globalThis.__hitl_latencies ?? (globalThis.__hitl_latencies = [])).push(state.latency);
    root.dataset.lastLatency = state.latency.toFixed(1);
  };
  const redrawParts = {
    toolbar: () => toolbar.draw(model),
    accuracy: () => footer.drawCurve(model),
    params: () => params.draw(model),
    error: () => {
      error.textContent = model.get("error");
    }
  };
  const flush = (d) => {
    if (d.has("layout")) layout();
    const ack = model.get("_ack");
    const before = state.pending.length;
    state.pending = state.pending.filter((p) => p.seq > ack);
    if (state.pending.length !== before) d.add("model");
    if (d.has("layout") || d.has("model") || d.has("pending")) state.predicted = predict();
    if (d.has("layout") || d.has("model") || d.has("pending")) drawModelLayer();
    if (d.has("layout") || d.has("points") || d.has("pending") || d.has("theme")) drawPoints();
    for (const [part, draw] of Object.entries(redrawParts)) if (d.has(part) || d.has("layout")) draw();
    noteLatency(ack);
    for (const [seq, t0] of state.pings) {
      if (seq > ack) continue;
      (globalThis.__hitl_pings ?? (globalThis.__hitl_pings = [])).push(performance.now() - t0);
      state.pings.delete(seq);
    }
    modelCanvas.dataset.ack = String(ack);
    footer.drawStatus(model.get("status"), state.latency);
  };
  const mark = redrawScheduler(flush);
  const addPixels = (pixels, t0, stroke) => {
    const xy = pixels.map(([px, py]) => view.toData(px, py));
    const label = model.get("current_class");
    const seq = send({ type: "add", points: xy, label, stroke });
    state.pending.push({ seq, xy, label });
    state.t0.set(seq, t0);
    mark("pending");
    noteFrame(t0);
  };
  const choose = (i) => {
    if (i >= model.get("class_names").length && !model.get("open_classes")) {
      error.textContent = `There are ${model.get("class_names").length} classes; key ${i + 1} has none.`;
      return;
    }
    setTrait("current_class", i);
  };
  const act = (action) => {
    if (!action) return false;
    if (action.type === "class") choose(action.index);
    else if (action.type === "cycle_show") setTrait("show", nextShow(model.get("show")));
    else if (action.type === "hide_params") setTrait("show_params", false);
    else if (action.type === "params" && model.get("show_params")) setTrait("show_params", false);
    else send({ type: action.type });
    return true;
  };
  const onKey = (ev) => {
    if (typingInside(ev, root)) return;
    if (act(actionForKey(ev))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };
  root.addEventListener("keydown", onKey);
  const onPing = () => state.pings.set(send({ type: "ping" }), performance.now());
  root.addEventListener("hitl-ping", onPing);
  const stopPointer = pointerInput(pointCanvas, {
    view: () => view,
    onPixels: addPixels,
    onStart: () => root.focus({ preventScroll: true })
  });
  const traitEvents = {
    "change:width change:height change:xlim change:ylim": ["layout", "model", "points"],
    "change:mixtures": ["model", "params"],
    "change:batch_mixtures": ["model", "toolbar"],
    "change:show": ["model", "toolbar"],
    "change:class_names": ["toolbar", "params"],
    "change:current_class": ["toolbar"],
    "change:accuracy_curve": ["accuracy"],
    "change:status": ["accuracy", "status", "toolbar"],
    // the status also says whether Adopt is worth it
    "change:show_params": ["params"],
    "change:error": ["error"],
    "change:_ack": ["status", "pending"]
    // a refused add: its pale dots go (no new points come to redraw them)
  };
  const onMessage = (msg, buffers) => {
    if (msg?.type !== "points") return;
    const xy = decodeMessageArray(msg.xy, buffers, "float32").data;
    const labels = decodeMessageArray(msg.labels, buffers, "uint8").data;
    if (store.apply(msg.base, xy, labels)) mark("points");
    else send({ type: "want" });
  };
  const listeners = [
    ...Object.entries(traitEvents).flatMap(([events, what]) => events.split(" ").map((e) => [e, () => mark(...what)])),
    ["msg:custom", onMessage]
  ];
  for (const [e, fn] of listeners) model.on(e, fn);
  const stopThemeWatch = onThemeChange(() => mark("model", "accuracy", "theme"), root);
  mark("layout", "model", "points");
  send({ type: "want" });
  return () => {
    root.removeEventListener("keydown", onKey);
    root.removeEventListener("hitl-ping", onPing);
    stopPointer();
    toolbar.remove();
    for (const [e, fn] of listeners) model.off(e, fn);
    stopThemeWatch();
  };
}
var widget_default = { render };
export {
  widget_default as default,
  drawModel,
  fixed3,
  legendEntries,
  paramsTable,
  visibleComponents
};

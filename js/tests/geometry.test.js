// node --test js/tests/   (pure parts: coordinates, densities, mass levels, ellipses, keys, brush, codec)
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventPixel, makeView } from "../src/common/coords.js";
import { densityGrid, ellipse, logDensity, massLevels, prepareMixture } from "../src/gmm_canvas/mixture.js";
import { actionForKey, nextShow } from "../src/gmm_canvas/keys.js";
import { seededRandom, shouldSpray, spray } from "../src/gmm_canvas/brush.js";
import { decodeArray, decodeLabels, decodePoints, encodeArray } from "../src/common/codec.js";

const close = (a, b, tol, msg) => assert.ok(Math.abs(a - b) <= tol, `${msg ?? ""} ${a} vs ${b}`);
const standard = { weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, 1]]] };

test("view maps data to pixels with y upwards, and back", () => {
  const v = makeView(200, 100, [-10, 10], [-5, 5]);
  assert.deepEqual(v.toPixel(-10, 5), [0, 0]);
  assert.deepEqual(v.toPixel(10, -5), [200, 100]);
  assert.deepEqual(v.toPixel(0, 0), [100, 50]);
  const [x, y] = v.toData(...v.toPixel(3.25, -1.5));
  close(x, 3.25, 1e-12); close(y, -1.5, 1e-12);
});

test("event pixels are relative to the element and follow CSS scaling", () => {
  const elem = { getBoundingClientRect: () => ({ left: 100, top: 50, width: 100, height: 50 }) };
  assert.deepEqual(eventPixel(elem, { clientX: 150, clientY: 75 }, 200, 100), [100, 50]);
});

test("log-density of a standard normal at its mean is -log(2 pi)", () => {
  close(logDensity(prepareMixture(standard), 0, 0), -Math.log(2 * Math.PI), 1e-12);
  const two = { weights: [0.5, 0.5], means: [[-3, 0], [3, 0]], covariances: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] };
  close(logDensity(prepareMixture(two), 3, 0), Math.log(0.5 / (2 * Math.PI) + 0.5 * Math.exp(-18) / (2 * Math.PI)), 1e-12);
});

test("the density grid integrates to one over a view that holds the mixture", () => {
  const v = makeView(200, 200, [-8, 8], [-8, 8]);
  const grid = densityGrid(prepareMixture(standard), v, 160, 160);
  const cell = (16 / 160) ** 2;
  close(grid.reduce((s, x) => s + x, 0) * cell, 1, 1e-3);
  // row 0 is the top of the view: an off-centre mean shows up in the upper half
  const up = densityGrid(prepareMixture({ ...standard, means: [[0, 4]] }), v, 16, 16);
  assert.ok(up[3 * 16 + 8] > up[12 * 16 + 8]);
});

test("mass levels: the 50% contour of a standard normal is at Mahalanobis r^2 = 2 ln 2", () => {
  const v = makeView(200, 200, [-8, 8], [-8, 8]);
  const grid = densityGrid(prepareMixture(standard), v, 200, 200);
  const [l50, l90, lNone] = massLevels(grid, (16 / 200) ** 2, [0.5, 0.9, 1.5]);
  close(l50, 0.5 / (2 * Math.PI), 0.01 / (2 * Math.PI), "50%");
  close(l90, 0.1 / (2 * Math.PI), 0.01 / (2 * Math.PI), "90%");
  assert.equal(lNone, null);
});

test("ellipse points lie at the requested Mahalanobis distance", () => {
  const cov = [[4, 1.2], [1.2, 1]];
  const det = 4 - 1.44;
  for (const [x, y] of ellipse([1, -2], cov, 2, 16)) {
    const dx = x - 1, dy = y + 2;
    close((cov[1][1] * dx * dx - 2 * cov[0][1] * dx * dy + cov[0][0] * dy * dy) / det, 4, 1e-9);
  }
});

test("keys map to actions; modified keys other than Ctrl+Z are left alone", () => {
  const k = (key, mods = {}) => actionForKey({ key, ...mods });
  assert.deepEqual(k("p"), { type: "params" });
  assert.deepEqual(k("b"), { type: "fit_batch" });
  assert.deepEqual(k("c"), { type: "clear" });
  assert.deepEqual(k("Backspace"), { type: "undo" });
  assert.deepEqual(k("z", { ctrlKey: true }), { type: "undo" });
  assert.deepEqual(k("z", { metaKey: true }), { type: "undo" });
  assert.deepEqual(k("3"), { type: "class", index: 2 });
  assert.equal(k("0"), null);
  assert.equal(k("c", { ctrlKey: true }), null); // copy stays copy
  assert.equal(k("x"), null);
  assert.equal(nextShow("online"), "batch");
  assert.equal(nextShow("both"), "online");
});

test("spray: seeded, inside the disc, spaced by distance", () => {
  const a = spray(10, 20, 5, 50, seededRandom(3)), b = spray(10, 20, 5, 50, seededRandom(3));
  assert.deepEqual(a, b);
  for (const [x, y] of a) assert.ok(Math.hypot(x - 10, y - 20) <= 5 + 1e-9);
  assert.ok(shouldSpray(null, 0, 0, 7));
  assert.ok(!shouldSpray([0, 0], 3, 3, 7));
  assert.ok(shouldSpray([0, 0], 5, 5, 7));
});

test("codec: arrays carry their dtype and shape; float32 from an unaligned buffer; another dtype is refused", () => {
  const buf = new ArrayBuffer(1 + 16);
  const bytes = new Uint8Array(buf);
  bytes.set(new Uint8Array(new Float32Array([1.5, -2, 3, 4]).buffer), 1);
  const points = { dtype: "float32", shape: [2, 2], data: new DataView(buf, 1, 16) };
  assert.deepEqual(Array.from(decodePoints(points)), [1.5, -2, 3, 4]);
  assert.deepEqual(decodeArray(points, "float32").shape, [2, 2]);
  assert.deepEqual(Array.from(decodeLabels(encodeArray([0, 2, 1], "uint8"))), [0, 2, 1]);
  assert.deepEqual(Array.from(decodeArray(encodeArray([7, 70000], "uint32"), "uint32").data), [7, 70000]);
  assert.equal(decodePoints(null).length, 0);
  assert.equal(decodePoints({}).length, 0); // the trait's default before the first points
  assert.throws(() => decodeLabels(points), /expected a uint8 array, got float32/);
});

import assert from "node:assert/strict";
import { test } from "node:test";

import { makeView } from "../src/common/coords.js";
import { pendingLayer, pointStore, pointsLayer, styleCount } from "../src/gmm_canvas/points.js";
import { predictMixtures } from "../src/gmm_canvas/predict.js";
import { installFakeDom } from "./fakes.js";

const eye = [[1, 0], [0, 1]];
const arcs = (ctx) => ctx.calls.filter((c) => c[0] === "arc").length;

test("the page keeps the points: a message keeps the first base and appends; a gap is refused", () => {
  const store = pointStore();
  assert.ok(store.apply(0, new Float32Array([0, 0, 1, 1]), new Uint8Array([0, 1])));
  assert.ok(store.apply(2, new Float32Array([2, 2]), new Uint8Array([1]))); // a click: its own point
  assert.deepEqual([...store.xy()], [0, 0, 1, 1, 2, 2]);
  assert.ok(store.apply(1, new Float32Array(0), new Uint8Array(0))); // an undo of two: cut to one
  assert.deepEqual([...store.labels()], [0]);
  assert.equal(store.apply(5, new Float32Array([9, 9]), new Uint8Array([0])), false); // missed messages: ask again
  assert.equal(store.n, 1);
  const many = new Float32Array(2 * 1000).fill(3), classes = new Uint8Array(1000).fill(2);
  assert.ok(store.apply(1, many, classes)); // grows past its first size
  assert.equal(store.n, 1001);
  assert.equal(store.labels()[1000], 2);
});

test("a click draws its own dot; an undo, a new style bucket or a resize draws them all", () => {
  installFakeDom();
  const canvas = document.createElement("canvas");
  const layer = pointsLayer(canvas);
  const view = makeView(200, 100, [-10, 10], [-5, 5]);
  layer.size(200, 100);
  const store = pointStore();
  store.apply(0, new Float32Array(2 * 40), new Uint8Array(40));
  assert.equal(layer.draw(store, view, "#fff").drew, 40);
  const before = arcs(canvas.ctx);
  store.apply(40, new Float32Array([1, 1]), new Uint8Array([0]));
  assert.equal(layer.draw(store, view, "#fff").drew, 1); // one dot, not 41
  assert.equal(arcs(canvas.ctx) - before, 1);
  store.apply(39, new Float32Array(0), new Uint8Array(0)); // undo
  assert.equal(layer.draw(store, view, "#fff").drew, 39);
  assert.equal(layer.draw(store, view, "#000").drew, 39); // the theme changed: the outlines too
  // the style changes by buckets of about a fifth more points, so most clicks draw one dot
  const buckets = new Set(Array.from({ length: 10_000 }, (_, i) => styleCount(i + 1)));
  assert.ok(buckets.size < 60, buckets.size);
  assert.ok(styleCount(1000) >= 1000 && styleCount(1000) < 1200);
  const pending = pendingLayer(document.createElement("canvas"));
  pending.size(200, 100);
  assert.equal(pending.draw([{ xy: [[1, 1], [2, 2]], label: 1 }], view, { radius: 3, alpha: 1 }), 2);
});

test("the preview learns a click as incremental EM does: the component it falls in moves towards it", () => {
  const one = [{ label: 0, prior: 1, weights: [0.5, 0.5], means: [[-5, 0], [5, 0]], covariances: [eye, eye] }];
  const [m] = predictMixtures(one, 0, -4, 0, 100, eye);
  assert.ok(m.means[0][0] > -5 && m.means[0][0] < -4.9, m.means[0]); // 1/51 of the way to the point
  assert.deepEqual(m.means[1], [5, 0]); // the far component does not move
  assert.ok(m.weights[0] > 0.5 && Math.abs(m.weights[0] + m.weights[1] - 1) < 1e-12);
  assert.ok(m.covariances[0][0][0] > 0.99 && m.covariances[0][0][0] < 1.02); // a point 1 sd away: about the same spread
  assert.deepEqual(one[0].means[0], [-5, 0]); // the kernel's mixtures are not changed
  // far from every component: a candidate in the kernel, nothing drawn moves
  const [far] = predictMixtures(one, 0, 0, 9, 100, eye);
  assert.deepEqual(far.means, one[0].means);
  // a class's first point: a component of the prior's spread there, and the class priors share the points
  const two = predictMixtures(one, 1, 3, 3, 100, [[0.5, 0], [0, 0.5]]);
  assert.deepEqual(two.map((c) => c.label), [0, 1]);
  assert.deepEqual(two[1].means, [[3, 3]]);
  assert.ok(Math.abs(two[0].prior - 100 / 101) < 1e-12 && Math.abs(two[1].prior - 1 / 101) < 1e-12);
});

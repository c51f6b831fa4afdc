// The GMM canvas's pointer input: a click adds a point, a drag sprays points around the pointer.
import { eventPixel } from "../common/coords.js";
import { seededRandom, shouldSpray, spray } from "./brush.js";

const SPRAY = { radius: 16, spacing: 7, count: 2 };
const BATCH = 8; // sprayed points are sent in groups of this many

/**
 * Listen on `canvas`; `view()` gives the current view, `onPixels(pixels, t0, stroke)` gets
 * the pixels to add with the time of the event and the stroke they belong to (undone whole),
 * `onStart()` runs on every press. Returns a function that stops listening.
 */
export function pointerInput(canvas, { view, onPixels, onStart }) {
  const random = seededRandom(1);
  let brush = null;
  let stroke = Math.floor(Math.random() * 1e9); // a reloaded page starts elsewhere

  const flush = () => {
    if (brush?.batch.length) {
      onPixels(brush.batch, performance.now(), stroke);
      brush.batch = [];
    }
  };
  const onDown = (ev) => {
    if (ev.button !== 0) return;
    onStart();
    const t0 = ev.timeStamp || performance.now(); // the event's own time: the frame's latency counts from the press
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
    const pts = spray(px, py, SPRAY.radius, SPRAY.count, random)
      .filter(([x, y]) => x >= 0 && y >= 0 && x <= width && y <= height);
    brush.batch.push(...pts);
    if (brush.batch.length >= BATCH) flush();
  };
  const onUp = () => {
    flush();
    brush = null;
  };
  const handlers = [["pointerdown", onDown], ["pointermove", onMove], ["pointerup", onUp], ["pointercancel", onUp]];
  for (const [type, fn] of handlers) canvas.addEventListener(type, fn);
  return () => { for (const [type, fn] of handlers) canvas.removeEventListener(type, fn); };
}

// The spray brush: dragging with the button held adds points scattered around the pointer.

/** A small seeded generator (mulberry32) so sprays are reproducible in tests. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` points uniform in the disc of radius `radius` (pixels) around (cx, cy). */
export function spray(cx, cy, radius, count, random) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = radius * Math.sqrt(random()), t = 2 * Math.PI * random();
    out.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  return out;
}

/** Whether the pointer moved far enough since the last spray to spray again. */
export function shouldSpray(last, px, py, spacing) {
  return !last || Math.hypot(px - last[0], py - last[1]) >= spacing;
}

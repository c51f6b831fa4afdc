// Data <-> pixel coordinates of the canvas (y grows upwards in data, downwards in pixels).

/**
 * @param {number} width  canvas width in CSS pixels
 * @param {number} height canvas height in CSS pixels
 * @param {[number, number]} xlim data range shown horizontally
 * @param {[number, number]} ylim data range shown vertically
 */
export function makeView(width, height, xlim, ylim) {
  const sx = width / (xlim[1] - xlim[0]);
  const sy = height / (ylim[1] - ylim[0]);
  return {
    width, height, xlim, ylim, sx, sy,
    toPixel: (x, y) => [(x - xlim[0]) * sx, (ylim[1] - y) * sy],
    toData: (px, py) => [xlim[0] + px / sx, ylim[1] - py / sy],
  };
}

/** Pixel position of a pointer event inside an element, in the element's CSS pixels. */
export function eventPixel(el, ev, width, height) {
  const r = el.getBoundingClientRect();
  const kx = r.width ? width / r.width : 1;
  const ky = r.height ? height / r.height : 1;
  return [(ev.clientX - r.left) * kx, (ev.clientY - r.top) * ky];
}

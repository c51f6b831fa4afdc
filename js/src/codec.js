// Binary traits from Python: float32 points and uint8 class indices.

function bytesOf(value) {
  if (!value) return new Uint8Array(0);
  if (value instanceof DataView || ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(0);
}

/** Float32Array [x0, y0, x1, y1, ...] from a DataView / ArrayBuffer (copied: the offset may be unaligned). */
export function decodePoints(value) {
  const bytes = bytesOf(value);
  return new Float32Array(bytes.slice().buffer, 0, Math.floor(bytes.byteLength / 4));
}

/** Uint8Array of class indices. */
export function decodeLabels(value) {
  return bytesOf(value).slice();
}

// Arrays from Python: {dtype, shape, data} (hitl_widgets/widgets/_codec.py), the bytes a binary buffer.

const ARRAYS = { float32: Float32Array, uint8: Uint8Array, uint32: Uint32Array };

function bytesOf(value) {
  if (!value) return new Uint8Array(0);
  if (value instanceof DataView || ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(0);
}

/**
 * The typed array and shape a Python array message holds; an empty one before the first arrives.
 * Refuses an array of another dtype than the one the caller reads (the shape never has to be implied).
 */
export function decodeArray(message, dtype) {
  const Type = ARRAYS[dtype];
  if (!message || !message.dtype) return { data: new Type(0), shape: [0] };
  if (message.dtype !== dtype) throw new Error(`expected a ${dtype} array, got ${message.dtype}`);
  const bytes = bytesOf(message.data).slice(); // copied: the buffer's offset may be unaligned
  return { data: new Type(bytes.buffer, 0, Math.floor(bytes.byteLength / Type.BYTES_PER_ELEMENT)), shape: message.shape };
}

/** Float32Array [x0, y0, x1, y1, ...] of (N, 2) points. */
export const decodePoints = (message) => decodeArray(message, "float32").data;

/** Uint8Array of class indices (or any uint8 array's values). */
export const decodeLabels = (message) => decodeArray(message, "uint8").data;

/** The message Python sends for an array (for tests and fakes). */
export function encodeArray(values, dtype, shape = [values.length]) {
  const data = new ARRAYS[dtype](values);
  return { dtype, shape, data: new DataView(data.buffer) };
}

/**
 * An array that came in a custom message (hitl_widgets/widgets/_codec.py `array_message`): `{dtype, shape,
 * buffer: i}` in the message, its bytes the i-th binary buffer.
 */
export function decodeMessageArray(meta, buffers, dtype) {
  return decodeArray({ ...meta, data: buffers?.[meta?.buffer] }, dtype);
}

// The one way images reach a page: "images" messages (keys, mimes, one binary buffer each), kept by key.
// hitl_widgets/widgets/media.py sends them; a page asks for keys it lacks with a numbered "want" action.

/** Decoded images by key, from the kernel's "images" messages (binary buffers, no base64). */
export function imageCache() {
  const byKey = new Map();
  const cache = {
    has: (key) => byKey.has(key),
    get: (key) => byKey.get(key),
    size: () => byKey.size,
    add(key, mime, buffer) {
      if (byKey.has(key)) return byKey.get(key);
      const url = URL.createObjectURL(new Blob([buffer], { type: mime }));
      const img = new Image();
      img.src = url;
      // decoded ahead, so that showing it later costs no decode in the frame of the key press
      const entry = { url, img, ready: img.decode ? img.decode().catch(() => {}) : Promise.resolve() };
      byKey.set(key, entry);
      return entry;
    },
    /** The entries an "images" message brought (none for any other message). */
    receive(msg, buffers, keyOf = (key) => key) {
      if (!msg || msg.type !== "images") return [];
      return msg.keys.map((key, i) => cache.add(keyOf(key), msg.mimes[i], buffers[i]));
    },
    /** Keep the newest `most` images (a stream's page shows one item at a time). */
    trim(most) {
      for (const [key, { url }] of byKey) {
        if (byKey.size <= most) break;
        URL.revokeObjectURL(url);
        byKey.delete(key);
      }
    },
    clear() {
      for (const { url } of byKey.values()) URL.revokeObjectURL(url);
      byKey.clear();
    },
  };
  return cache;
}

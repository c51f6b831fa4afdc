// The few DOM helpers both widgets use.

/** An element with a class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A JupyterLab theme variable's value at `node`, or `fallback` outside JupyterLab. */
export function themeColor(node, name, fallback) {
  const v = globalThis.getComputedStyle?.(node)?.getPropertyValue(name)?.trim();
  return v || fallback;
}

// The labeler's stage: the item on screen, an image or a text/table, and what the page holds of each.
import { el } from "../common/dom.js";
import { itemBody, itemExcerpt } from "../common/item_body.js";
import { imageCache } from "../common/media.js";

/**
 * The stage of one item. `kind()` is "image" (bytes arrive in "images" messages) or "inline"
 * (entries carry a text or table payload; the kernel sends older ones in "views" messages).
 */
export function itemStage({ kind, size, onArrived }) {
  const node = el("div", "hitl-il-stage");
  const image = el("img", "hitl-il-image");
  image.alt = "";
  const body = el("div", "hitl-il-body");
  const placeholder = el("div", "hitl-il-placeholder", "");
  const caption = el("div", "hitl-il-caption");
  node.append(image, body, placeholder, caption);
  const images = imageCache();
  const views = new Map();

  const has = (key) => (kind() === "inline" ? views.has(key) : images.has(key));
  const remember = (entries) => {
    for (const e of entries) if (e && e.view && e.key !== undefined) views.set(e.key, e.view);
  };
  const receive = (msg, buffers) => {
    if (!msg) return false;
    if (msg.type === "images") {
      for (const entry of images.receive(msg, buffers)) entry.ready.then(onArrived);
    } else if (msg.type === "views") {
      msg.keys.forEach((key, i) => views.set(key, msg.views[i]));
      onArrived();
    } else return false;
    return true;
  };

  const showPlaceholder = (text) => {
    image.style.display = "none";
    body.style.display = "none";
    placeholder.style.display = "";
    placeholder.textContent = text;
  };
  /** Show `key` (null: nothing left); `done`: every item is labeled. */
  const show = (key, done) => {
    const inline = kind() === "inline";
    node.classList.toggle("hitl-il-inline", inline);
    node.style.width = inline ? "" : `${size()}px`;
    node.style.height = inline ? "" : `${size()}px`;
    node.dataset.key = key === null ? "" : String(key);
    if (key === null) return showPlaceholder(done ? "Every item is labeled." : "ranking…");
    if (inline) {
      const view = views.get(key);
      if (!view) return showPlaceholder("loading…");
      if (body.dataset.key !== String(key)) {
        body.replaceChildren(...itemBody(view, "hitl-il"));
        body.dataset.key = String(key);
      }
      image.style.display = "none";
      placeholder.style.display = "none";
      body.style.display = "";
      return;
    }
    const cached = images.get(key);
    if (!cached) return showPlaceholder("loading…");
    if (image.dataset.key !== String(key)) {
      image.src = cached.url;
      image.dataset.key = String(key);
    }
    image.style.display = "";
    body.style.display = "none";
    placeholder.style.display = "none";
    const { naturalWidth: w, naturalHeight: h } = cached.img;
    // pixel art stays crisp: nearest-neighbour when scaled up 2x or more
    image.classList.toggle("hitl-il-pixelated", w && h ? size() / Math.max(w, h) >= 2 : false);
  };

  /** The content of a grid tile for `key`, `px` wide. */
  const tile = (key, id, px) => {
    if (kind() === "inline") {
      const view = views.get(key);
      return el("div", "hitl-il-tiletext", view ? itemExcerpt(view) : "…");
    }
    const cached = images.get(key);
    if (!cached) return el("div", "hitl-il-placeholder", "…");
    const im = el("img", "hitl-il-tileimg");
    im.src = cached.url;
    im.alt = String(id);
    if (cached.img.naturalWidth && px / cached.img.naturalWidth >= 2) im.classList.add("hitl-il-pixelated");
    return im;
  };

  return { node, caption, has, remember, receive, show, tile, cached: () => images.size() + views.size, clear: () => images.clear() };
}

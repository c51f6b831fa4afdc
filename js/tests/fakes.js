// Stand-ins for an anywidget model, a 2-D context and the few DOM calls the ESM makes.
export class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = new Map();
    this.sent = [];
    this.saves = 0;
  }
  get(k) { return this.state[k]; }
  set(k, v) { this.state[k] = v; this.emit(`change:${k}`); }
  on(ev, cb) { (this.handlers.get(ev) ?? this.handlers.set(ev, []).get(ev)).push(cb); }
  off(ev, cb) { this.handlers.set(ev, (this.handlers.get(ev) ?? []).filter((h) => h !== cb)); }
  emit(ev, ...args) { for (const cb of this.handlers.get(ev) ?? []) cb(...args); }
  save_changes() { this.saves += 1; }
  send(msg) { this.sent.push(msg); }
  listenerCount() { return [...this.handlers.values()].reduce((s, h) => s + h.length, 0); }
  // what the kernel does: set several traits in one update
  fromPython(patch) {
    Object.assign(this.state, patch);
    for (const k of Object.keys(patch)) this.emit(`change:${k}`);
  }
}

export function fakeCtx() {
  const calls = [];
  return new Proxy({ calls }, {
    get(t, p) { return p in t ? t[p] : (...a) => { calls.push([p, ...a]); return p === "getImageData" ? { data: [] } : p === "measureText" ? { width: 6 * String(a[0]).length } : undefined; }; },
    set(t, p, v) { calls.push([`=${String(p)}`, v]); return true; },
  });
}

export function installFakeDom() {
  const make = (tag) => {
    const el = {
      tagName: tag.toUpperCase(), children: [], dataset: {}, listeners: {}, style: {}, attributes: {},
      textContent: "", className: "", value: "",
      append(...c) { this.children.push(...c); },
      prepend(...c) { this.children.unshift(...c); },
      replaceChildren(...c) { this.children = [...c]; },
      setAttribute(k, v) { this.attributes[k] = v; },
      addEventListener(t, f) { (this.listeners[t] ??= []).push(f); },
      removeEventListener(t, f) { this.listeners[t] = (this.listeners[t] ?? []).filter((g) => g !== f); },
      dispatch(t, ev) { for (const f of this.listeners[t] ?? []) f({ target: this, preventDefault() {}, stopPropagation() {}, ...ev }); },
      focus() {},
      remove() {},
      get classList() {
        const names = () => this.className.split(" ").filter(Boolean);
        const set = (list) => { this.className = list.join(" "); };
        return {
          add: (c) => { if (!names().includes(c)) set([...names(), c]); },
          remove: (c) => set(names().filter((n) => n !== c)),
          toggle: (c, on) => ((on ?? !names().includes(c)) ? set([...new Set([...names(), c])]) : set(names().filter((n) => n !== c))),
          contains: (c) => names().includes(c),
        };
      },
      getBoundingClientRect: () => ({ left: 100, top: 50, width: 200, height: 100 }),
    };
    if (tag === "canvas") { el.ctx = fakeCtx(); el.getContext = () => el.ctx; }
    return el;
  };
  globalThis.document = { createElement: make };
  let blobs = 0;
  globalThis.URL.createObjectURL = (blob) => `blob:fake/${++blobs}/${blob.type}`;
  globalThis.URL.revokeObjectURL = () => {};
  globalThis.Image = class { constructor() { this.naturalWidth = 8; this.naturalHeight = 8; } decode() { return Promise.resolve(); } };
  globalThis.requestAnimationFrame = (f) => setTimeout(() => f(), 0);
  globalThis.ImageData = class { constructor(data, w, h) { Object.assign(this, { data, width: w, height: h }); } };
  globalThis.OffscreenCanvas = class { constructor(w, h) { this.width = w; this.height = h; } getContext() { return fakeCtx(); } };
  return make;
}

/** Let queued microtasks (the widget's batched redraw) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** Find the first descendant whose className contains `cls`. */
export function find(node, cls) {
  if ((node.className ?? "").split(" ").includes(cls)) return node;
  for (const c of node.children ?? []) {
    const hit = typeof c === "object" && find(c, cls);
    if (hit) return hit;
  }
  return null;
}

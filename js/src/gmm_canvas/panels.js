// The GMM canvas's panels around the plot, one job each: the toolbar (classes, what to show,
// actions), the footer (status line and accuracy chart) and the parameters table.
import { el, sizeCanvas, themeColor } from "../common/dom.js";
import { PALETTE } from "../common/draw.js";
import { SHOW_MODES } from "./keys.js";
import { CURVE_SIZE, drawAccuracy, statusParts } from "./status.js";
import { legendEntries } from "./model_layer.js";

/**
 * Class buttons, the "show" select and the action buttons. `onClass(i)` picks a class,
 * `onShow(mode)` changes what is drawn, `onAction(name)` sends an action.
 */
export function toolbarView({ onClass, onShow, onAction }) {
  const node = el("div", "hitl-gmm-toolbar");
  const classBar = el("span", "hitl-gmm-classes");
  const showSelect = el("select", "hitl-gmm-show");
  for (const m of SHOW_MODES) showSelect.append(Object.assign(el("option", "", m), { value: m }));
  const buttons = {
    params: el("button", "hitl-gmm-btn", "Parameters (p)"),
    fit_batch: el("button", "hitl-gmm-btn", "Fit from scratch (b)"),
    adopt: el("button", "hitl-gmm-btn", "Adopt it (a)"),
    undo: el("button", "hitl-gmm-btn", "Undo (⌫)"),
    clear: el("button", "hitl-gmm-btn", "Clear (c)"),
  };
  const classHint = el("span", "hitl-gmm-label", "keys 2-9 start classes");
  node.append(classBar, classHint, el("span", "hitl-gmm-label", "show"), showSelect, ...Object.values(buttons));
  const listeners = [[showSelect, "change", () => onShow(showSelect.value)]];
  for (const [name, btn] of Object.entries(buttons)) listeners.push([btn, "click", () => onAction(name)]);
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);

  let drawnClasses = null; // the class buttons are made again only when the classes or the current one change
  return {
    node,
    draw(model) {
      const names = model.get("class_names"), current = model.get("current_class");
      const classes = JSON.stringify([names, current]);
      if (classes !== drawnClasses) drawClasses(names, current);
      drawnClasses = classes;
      const single = names.length === 1 && model.get("open_classes");
      classBar.style.display = single ? "none" : ""; // one class needs no buttons
      classHint.style.display = single ? "" : "none";
      showSelect.value = model.get("show");
      // the kernel says whether the fit from scratch is worth adopting, and why not
      const adopt = model.get("status").adopt ?? { ok: false, why: "press b to fit from scratch first" };
      buttons.adopt.disabled = !adopt.ok;
      buttons.adopt.title = adopt.ok ? `${adopt.why} (undo takes it back)` : `Not now: ${adopt.why}`;
    },
    remove() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
    },
  };

  function drawClasses(names, current) {
    classBar.replaceChildren(...names.map((name, i) => {
      const b = el("button", "hitl-gmm-class" + (i === current ? " hitl-active" : ""));
      b.append(el("kbd", "hitl-gmm-key", String(i + 1)), ` ${name}`);
      b.title = `key ${i + 1}: the next points are ${name}`;
      b.style.borderColor = PALETTE[i % PALETTE.length];
      b.addEventListener("click", () => onClass(i));
      return b;
    }));
  }
}

/** What each kind of line on the plot is (online or from scratch; contours or components). */
export function legendView() {
  const node = el("div", "hitl-gmm-legend");
  return {
    node,
    draw(show, online, batch) {
      const entries = legendEntries(show, online, batch);
      node.replaceChildren(...entries.map((e) => {
        const item = el("span", "hitl-gmm-legend-item");
        const swatch = el("span", `hitl-gmm-swatch hitl-gmm-swatch-${e.shape}`);
        swatch.style.borderStyle = e.line;
        if (e.colour) swatch.style.borderColor = e.colour; // else the theme's text colour (CSS)
        item.append(swatch, e.text);
        return item;
      }));
      node.style.display = entries.length ? "" : "none";
      node.dataset.entries = String(entries.length);
    },
  };
}

/** The status line and the prequential accuracy chart under the plot; the line wraps at the canvas's width. */
export function footerView(root) {
  const node = el("div", "hitl-gmm-footer");
  const status = el("div", "hitl-gmm-status");
  const curve = el("canvas", "hitl-gmm-curve");
  node.append(status, curve);
  return {
    node,
    size(width) {
      sizeCanvas(curve, CURVE_SIZE.width, CURVE_SIZE.height);
      status.style.maxWidth = `${width}px`;
    },
    // a part never breaks across lines (no-break spaces inside it): the line wraps between parts
    drawStatus(st, latency) { status.textContent = statusParts(st, latency).map((p) => p.replaceAll(" ", "\u00a0")).join("  ·  "); },
    drawCurve(model) {
      const acc = model.get("accuracy_curve");
      curve.style.display = acc.length ? "" : "none";
      const fg = themeColor(root, "--jp-ui-font-color1", "#333"), muted = themeColor(root, "--jp-ui-font-color2", "#777");
      drawAccuracy(curve.getContext("2d"), acc, model.get("status").n_predicted ?? acc.length, fg, muted);
    },
  };
}

/** The parameters table, shown while `show_params` is on. */
export function paramsView() {
  const node = el("div", "hitl-gmm-params");
  return {
    node,
    draw(model) {
      const on = model.get("show_params");
      node.replaceChildren(...(on ? [paramsTable(model.get("mixtures"), model.get("class_names"))] : []));
      node.style.display = on ? "" : "none";
    },
  };
}

/** Three decimals, and no "-0.000" for a number that rounds to zero. */
export function fixed3(v) {
  return (Math.abs(v) < 0.0005 ? 0 : v).toFixed(3);
}

/** The parameters as a table: one row per component, a class column only when there are classes. */
export function paramsTable(mixtures, classNames) {
  const withClass = classNames.length > 1;
  const table = el("table", "hitl-gmm-table");
  const head = el("tr");
  const names = ["k", "weight", "mean x", "mean y", "var x", "var y", "cov xy"];
  for (const h of withClass ? ["class", ...names] : names) head.append(el("th", "", h));
  table.append(head);
  for (const m of mixtures) {
    m.weights.forEach((w, k) => {
      const [[a, b], [, c]] = m.covariances[k];
      const row = el("tr");
      if (withClass) {
        const cls = el("td", "", classNames[m.label] ?? String(m.label + 1));
        cls.style.color = PALETTE[m.label % PALETTE.length];
        row.append(cls);
      }
      row.append(el("td", "", String(k + 1)));
      for (const v of [w, m.means[k][0], m.means[k][1], a, c, b]) row.append(el("td", "", fixed3(v)));
      table.append(row);
    });
  }
  const caption = el("caption", "", "Covariances: variances on the diagonal (not standard deviations).");
  table.prepend(caption);
  return table;
}


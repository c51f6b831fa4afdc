// Build the widgets' bundles into hitl_widgets/static/ (esbuild), or check that they are built (--check).
import { build } from "esbuild";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WIDGETS = ["gmm_canvas", "image_labeler", "stream_labeler", "strategy_explorer", "study_participant", "team_dashboard"];
const STATIC = "hitl_widgets/static";
const check = process.argv.includes("--check");
const out = check ? mkdtempSync(join(tmpdir(), "hitl-bundle-")) : STATIC;

for (const name of WIDGETS) {
  await build({
    entryPoints: [`js/src/${name}/widget.js`], bundle: true, format: "esm", target: "es2020",
    legalComments: "none", outfile: join(out, `${name}.js`), logLevel: "warning",
  });
  if (!check) copyFileSync(`js/src/${name}/widget.css`, join(STATIC, `${name}.css`));
}
if (check) {
  const stale = WIDGETS.flatMap((name) => [
    readFileSync(join(out, `${name}.js`), "utf8") === readFileSync(join(STATIC, `${name}.js`), "utf8") ? [] : [`${name}.js`],
    readFileSync(`js/src/${name}/widget.css`, "utf8") === readFileSync(join(STATIC, `${name}.css`), "utf8") ? [] : [`${name}.css`],
  ].flat());
  rmSync(out, { recursive: true });
  if (stale.length) {
    console.error(`hitl_widgets/static is not built from js/src (${stale.join(", ")}): run npm run build`);
    process.exit(1);
  }
}

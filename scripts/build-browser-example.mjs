// Bundles examples/browser/ (the seed 002 BrowserState example running in a page) into
// examples/browser/dist/ with esbuild: `node scripts/build-browser-example.mjs [outdir]`.
//
// platform "browser" is the point: esbuild then refuses Node built-ins (`node:fs`, `crypto`,
// ...) anywhere in the import graph, so a successful build proves the engine, the storage layer
// and the example run in a browser without Node. The check below adds the same guarantee for
// any `node:` specifier that might be marked external later.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "examples", "browser");
const outdir = path.resolve(process.argv[2] ?? path.join(source, "dist"));

mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [path.join(source, "main.ts")],
  outfile: path.join(outdir, "main.js"),
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "es2022",
  sourcemap: true,
  // `blockstate` resolves to src/ through tsconfig.json's `paths`.
  tsconfig: path.join(root, "tsconfig.json"),
  metafile: true,
  logLevel: "warning",
});
const nodeOnly = Object.keys(result.metafile.inputs).filter((input) => input.startsWith("node:") || input.includes("src/node/"));
if (nodeOnly.length > 0) {
  console.error(`the browser bundle must not contain Node-only modules: ${nodeOnly.join(", ")}`);
  process.exit(1);
}
copyFileSync(path.join(source, "index.html"), path.join(outdir, "index.html"));
const bytes = result.metafile.outputs[path.relative(root, path.join(outdir, "main.js"))]?.bytes ?? 0;
console.log(`built ${path.relative(root, outdir) || "."}/ (main.js ${Math.round(bytes / 1024)} KB, ${Object.keys(result.metafile.inputs).length} modules)`);

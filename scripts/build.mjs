// Builds the package: CommonJS and type declarations with tsc, ES modules with esbuild
// (code splitting keeps one copy of the engine shared by `blockstate` and `blockstate/testing`,
// so `instanceof` works across entry points).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";

const entries = ["src/index.ts", "src/blocks/index.ts", "src/testing/index.ts", "src/node/index.ts", "src/server/index.ts", "src/redis/index.ts"].filter((f) => existsSync(f));

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });

await build({
  entryPoints: entries,
  outdir: "dist/esm",
  outbase: "src",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  packages: "external",
  external: ["node:*"],
  logLevel: "warning",
});
writeFileSync("dist/esm/package.json", JSON.stringify({ type: "module" }) + "\n");
console.log(`built dist/ (cjs, esm, types) from ${entries.join(", ")}`);

/**
 * `npm run bench`: runs every figure of the issues' "Speed and memory" sections, prints a table
 * (each figure next to a plain-JavaScript baseline measured in the same run) and writes
 * `bench/results.json`: an array of `{ name, value, unit, baseline, ratio, target?, ok? }`.
 *
 * Run with `node --expose-gc --import tsx bench/run.ts` (the `bench` script). Optional
 * arguments select areas by name prefix, e.g. `npm run bench -- session events`; the results
 * file is only written for a full run.
 *
 * How the engine is compiled matters. tsx compiles with esbuild's `keepNames`, which wraps
 * every named closure in a `__name()` call (an `Object.defineProperty` each time the closure
 * is created); the shipped build (tsc for CommonJS, esbuild for ESM) does not. So by default
 * this script bundles the bench and the engine from `src/` with esbuild the way the shipped
 * ESM build does (no `keepNames`), into `node_modules/.cache/blockstate-bench/<pid>/`, and runs that
 * bundle in a child `node --expose-gc`. `npm run bench -- --tsx` measures in this process, under
 * tsx, instead (figures that create closures per event come out slower).
 *
 * Exit code: 0 even when a target is missed (the table says which); 1 when a bench fails.
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { benchBrowserState } from "./browserstate";
import { benchChange } from "./change";
import { benchChat } from "./chat";
import { benchEvents } from "./events";
import { benchFloor } from "./floor";
import { benchLifecycle } from "./lifecycle";
import { benchProtocol } from "./protocol";
import { benchQueue } from "./queue";
import { benchRender } from "./render";
import { benchRedis } from "./redis";
import { benchServer } from "./server";
import { benchSession } from "./session";
import { benchTimers } from "./timers";
import { bundleForNode, entry as makeEntry, gc, msSince, now, type BenchEntry } from "./util";

const AREAS: [string, () => Promise<BenchEntry[]>][] = [
  ["session", benchSession],
  ["events", benchEvents],
  ["change", benchChange],
  ["timers", benchTimers],
  ["queue", benchQueue],
  ["browserstate", benchBrowserStateEntries],
  ["protocol", benchProtocol],
  ["chat", benchChat],
  ["render", benchRender],
  ["server", benchServer],
  ["floor", benchFloor],
  ["redis", benchRedis],
  // Last: it reads the process heap before and after, so it runs when everything else is done.
  ["lifecycle", benchLifecycle],
];

/** `bench/browserstate.ts` returns bare entries; add its target (issue 4: encryption adds < 2×). */
async function benchBrowserStateEntries(): Promise<BenchEntry[]> {
  return (await benchBrowserState()).map((e) =>
    e.name === "browserstate.encrypt_ratio" ? makeEntry(e.name, e.value, e.unit, e.baseline, { on: "ratio", op: "<", limit: 2 }, e.ratio) : e,
  );
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100_000) return Math.round(x).toLocaleString("en");
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function table(entries: BenchEntry[]): string {
  const head = ["name", "value", "unit", "baseline", "ratio", "target", "ok"];
  const rows = entries.map((e) => [
    e.name,
    fmt(e.value),
    e.unit,
    fmt(e.baseline),
    `${fmt(e.ratio)}×`,
    e.target ?? "-",
    e.ok === undefined ? "-" : e.ok ? "ok" : "NOT OK",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([1, 3, 4]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Set in the child process that runs the bundled bench; holds the results file's path. */
const CHILD_ENV = "BLOCKSTATE_BENCH_RESULTS";

/**
 * Bundles this script with the engine (esbuild, no `keepNames`, packages external) and runs it
 * in a child process. Returns the child's exit code.
 */
async function runBundled(args: string[]): Promise<number> {
  const root = resolve(__dirname, "..");
  // One folder per run: worktrees may share one node_modules, and two benches must not run
  // each other's bundle. It stays under node_modules so the bundle resolves its packages.
  const outDir = join(root, "node_modules", ".cache", "blockstate-bench", String(process.pid));
  const outfile = join(outDir, "run.cjs");
  mkdirSync(outDir, { recursive: true });
  await bundleForNode(join(__dirname, "run.ts"), outfile);
  const child = spawnSync(process.execPath, ["--expose-gc", outfile, ...args], {
    stdio: "inherit",
    env: { ...process.env, [CHILD_ENV]: join(__dirname, "results.json") },
  });
  rmSync(outDir, { recursive: true, force: true });
  if (child.error) throw child.error;
  return child.status ?? 1;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const inProcess = args.includes("--tsx");
  const only = args.filter((a) => !a.startsWith("--"));
  const resultsFile = process.env[CHILD_ENV];
  if (!resultsFile && !inProcess) {
    process.exitCode = await runBundled(only);
    return;
  }
  // Heap figures compare heaps minutes apart: keep V8 from flushing the bytecode of functions
  // that went unused meanwhile (earlier benches), which would hide up to ~1 MB of growth.
  setFlagsFromString("--no-flush-bytecode");
  const selected = only.length ? AREAS.filter(([name]) => only.some((o) => name.startsWith(o))) : AREAS;
  const results: BenchEntry[] = [];
  let failed = false;
  const total = now();
  const mode = resultsFile ? "engine bundled from src/ by esbuild without keepNames (as shipped)" : "engine compiled by tsx (keepNames)";
  console.log(`blockstate bench: node ${process.version}, ${process.arch}; ${mode}; ratio = value / baseline unless noted`);
  for (const [name, run] of selected) {
    const start = now();
    process.stdout.write(`• ${name} ...\n`);
    try {
      const entries = await run();
      results.push(...entries);
      for (const e of entries) console.log(`  ${e.name}: ${fmt(e.value)} ${e.unit} (baseline ${fmt(e.baseline)})`);
    } catch (e) {
      failed = true;
      console.error(`  ${name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    gc();
    console.log(`  (${(msSince(start) / 1000).toFixed(1)} s; heap after GC ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MB)`);
  }
  console.log(`\n${table(results)}\n`);
  const missed = results.filter((e) => e.ok === false).map((e) => e.name);
  console.log(missed.length ? `Targets missed: ${missed.join(", ")}` : "All targets met.");
  console.log(`Total ${(msSince(total) / 1000).toFixed(1)} s.`);
  if (!only.length) {
    const file = resultsFile ?? join(__dirname, "results.json");
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    console.log(`Wrote ${file}`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

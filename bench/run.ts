/**
 * `npm run bench`: runs every figure of the issues' "Speed and memory" sections, prints a table
 * (each figure next to a plain-JavaScript baseline measured in the same run) and writes
 * `bench/results.json`: an array of `{ name, value, unit, baseline, ratio, target?, ok?, forks? }`.
 *
 * Run with `node --expose-gc --import tsx bench/run.ts` (the `bench` script). Optional
 * arguments select areas by name prefix, e.g. `npm run bench -- session events`; the results
 * file is only written for a full run.
 *
 * Each area runs in fresh processes of its own, as JMH forks a JVM per benchmark: what ran
 * before in a process changes what V8 and Node do next (its code, inline caches and heap
 * layout), and it did not change the engine and its floor alike. Measured on Node 20 (session 17,
 * median ns per session reached): `floor.global_fanout_ratio` alone in a process 0.96-1.14×,
 * after the floor's event rounds 1.09-1.28×, after its event and connect rounds 1.32-1.43×, and
 * 1.68-2.04× in one process after every other area; `floor.event_ratio` 0.99× alone and
 * 1.36-1.43× after the areas before it. So an area's figures are its own, whatever else
 * runs. `npm run bench -- --one-process` runs the selected areas one after the other in one
 * process instead, as before, to see that effect.
 *
 * A process loads only its area's bench module. Loading the `redis` client package (which the
 * Redis area needs) took the fan-out figure to 1.21-1.38×, against 0.82-1.00× with the engine's
 * server module loaded instead (5 processes each, alternating; the engine 132-153 ns per session
 * against 104-123, the floor 104-115 against 120-135), and the queue's
 * `overhead_vs_minimal` the other way, from 1.38-1.83× (median 1.50) to 1.31-1.45× (1.41; 6
 * processes each). Why was not established (a second `AsyncLocalStorage`, an `AsyncResource` or
 * a diagnostics channel made at load did not move the fan-out alone, and loading the TypeScript
 * compiler moved it less). Either way it is the process, not the engine, so each area gets a
 * process with its own code only.
 *
 * And each area runs in {@link FORKS} such processes (`--forks=N` to change), each figure the
 * one of the process whose figure is the median (by what its target applies to, else by its
 * ratio); `forks` in the results lists every process's ratio. One process is a poor estimate:
 * the same build runs faster in some processes than in others (CPU profiles of a fast and a
 * slow one showed different functions inlined by V8; that this is the cause was not
 * established). Twelve processes of one build gave
 * `floor.global_fanout_ratio` from 0.60× to 1.22× (engine 110-212 ns per session reached), and
 * three processes per area gave `chat.stream_ratio` 3.03 (2.26-3.06) where five of the same
 * build gave 2.23 (1.59-3.08).
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
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { bundleForNode, entry as makeEntry, gc, msSince, now, type BenchEntry } from "./util";

/** Processes each area runs in by default (see the module's comment). */
const FORKS = 5;

/**
 * The areas: name, bench, and how many processes at most (`render` takes minutes, and compares
 * heaps within its process). Each bench module is loaded when its area runs, so that a process
 * holds only its area's code (see the module's comment).
 */
const AREAS: [name: string, run: () => Promise<BenchEntry[]>, maxForks?: number][] = [
  ["session", async () => (await import("./session")).benchSession()],
  ["events", async () => (await import("./events")).benchEvents()],
  ["change", async () => (await import("./change")).benchChange()],
  ["timers", async () => (await import("./timers")).benchTimers()],
  ["queue", async () => (await import("./queue")).benchQueue()],
  ["browserstate", benchBrowserStateEntries],
  ["protocol", async () => (await import("./protocol")).benchProtocol()],
  ["chat", async () => (await import("./chat")).benchChat()],
  ["render", async () => (await import("./render")).benchRender(), 1],
  ["server", async () => (await import("./server")).benchServer()],
  ["floor.event", async () => (await import("./floor")).benchFloorEvent()],
  ["floor.connect", async () => (await import("./floor")).benchFloorConnect()],
  ["floor.fanout", async () => (await import("./floor")).benchFloorFanout()],
  ["floor.chat", async () => (await import("./floor")).benchFloorChat()],
  ["redis", async () => (await import("./redis")).benchRedis()],
  // Last: it reads the process heap before and after, so it runs when everything else is done.
  ["lifecycle", async () => (await import("./lifecycle")).benchLifecycle()],
];

/** `bench/browserstate.ts` returns bare entries; add its target (issue 4: encryption adds < 2×). */
async function benchBrowserStateEntries(): Promise<BenchEntry[]> {
  const { benchBrowserState } = await import("./browserstate");
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
  const head = ["name", "value", "unit", "baseline", "ratio", "ratio per process", "target", "ok"];
  const rows = entries.map((e) => [
    e.name,
    fmt(e.value),
    e.unit,
    fmt(e.baseline),
    `${fmt(e.ratio)}×`,
    e.forks ? `${fmt(Math.min(...e.forks))}-${fmt(Math.max(...e.forks))}×` : "-",
    e.target ?? "-",
    e.ok === undefined ? "-" : e.ok ? "ok" : "NOT OK",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([1, 3, 4, 5]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Set in a child process that runs the bundled bench: the file it writes its entries to (JSON). */
const CHILD_ENV = "BLOCKSTATE_BENCH_ENTRIES";

/** Runs `areas` one after the other in this process, printing each area's figures as it ends. */
async function runAreas(areas: readonly (typeof AREAS)[number][]): Promise<{ results: BenchEntry[]; failed: boolean }> {
  // Heap figures compare heaps minutes apart: keep V8 from flushing the bytecode of functions
  // that went unused meanwhile (earlier benches), which would hide up to ~1 MB of growth.
  setFlagsFromString("--no-flush-bytecode");
  const results: BenchEntry[] = [];
  let failed = false;
  for (const [name, run] of areas) {
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
  return { results, failed };
}

/**
 * Each figure of `forks` runs of an area (the entries of one process each): the run whose
 * figure is the median, by what its target applies to (else its ratio), with `forks`: the
 * ratio in every run.
 */
function medianOfForks(forks: readonly BenchEntry[][]): BenchEntry[] {
  if (forks.length === 1) return forks[0];
  return forks[0].map(({ name }) => {
    const runs = forks.map((entries) => entries.find((e) => e.name === name)).filter((e): e is BenchEntry => e !== undefined);
    const key = (e: BenchEntry) => (e.target?.startsWith("value") ? e.value : e.ratio);
    const sorted = [...runs].sort((a, b) => key(a) - key(b));
    return { ...sorted[(sorted.length - 1) >> 1], forks: runs.map((e) => e.ratio) };
  });
}

/**
 * Bundles this script with the engine (esbuild, no `keepNames`, packages external) and runs
 * `areas` in child processes of that bundle: `forks` per area (at most its own bound), or one
 * for all with `oneProcess`.
 */
async function runBundled(areas: readonly (typeof AREAS)[number][], oneProcess: boolean, forks: number): Promise<{ results: BenchEntry[]; failed: boolean }> {
  const root = resolve(__dirname, "..");
  // One folder per run: worktrees may share one node_modules, and two benches must not run
  // each other's bundle. It stays under node_modules so the bundle resolves its packages.
  const outDir = join(root, "node_modules", ".cache", "blockstate-bench", String(process.pid));
  const outfile = join(outDir, "run.cjs");
  const entriesFile = join(outDir, "entries.json");
  mkdirSync(outDir, { recursive: true });
  await bundleForNode(join(__dirname, "run.ts"), outfile);
  const results: BenchEntry[] = [];
  let failed = false;
  const runChild = (batch: readonly (typeof AREAS)[number][]): BenchEntry[] | undefined => {
    rmSync(entriesFile, { force: true });
    const child = spawnSync(process.execPath, ["--expose-gc", outfile, ...batch.map(([name]) => `=${name}`)], {
      stdio: "inherit",
      env: { ...process.env, [CHILD_ENV]: entriesFile },
    });
    if (child.error) throw child.error;
    if (child.status !== 0) failed = true;
    try {
      return JSON.parse(readFileSync(entriesFile, "utf8")) as BenchEntry[];
    } catch {
      failed = true;
      console.error(`  ${batch.map(([name]) => name).join(", ")}: the child process wrote no figures (exit code ${child.status})`);
      return undefined;
    }
  };
  try {
    if (oneProcess) results.push(...(runChild(areas) ?? []));
    else {
      for (const area of areas) {
        const runs: BenchEntry[][] = [];
        for (let i = 0; i < Math.min(forks, area[2] ?? forks); i++) {
          const entries = runChild([area]);
          if (entries?.length) runs.push(entries);
        }
        if (runs.length > 0) results.push(...medianOfForks(runs));
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return { results, failed };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const entriesFile = process.env[CHILD_ENV];
  if (entriesFile) {
    // A child: exact area names, each prefixed with "=".
    const names = new Set(args.map((a) => a.slice(1)));
    const { results, failed } = await runAreas(AREAS.filter(([name]) => names.has(name)));
    writeFileSync(entriesFile, JSON.stringify(results));
    if (failed) process.exitCode = 1;
    return;
  }
  const inProcess = args.includes("--tsx");
  const only = args.filter((a) => !a.startsWith("--"));
  const forksArg = args.find((a) => a.startsWith("--forks="));
  const forks = forksArg === undefined ? FORKS : Number(forksArg.slice("--forks=".length));
  if (!Number.isInteger(forks) || forks < 1) throw new Error(`--forks must be a whole number of processes (1 or more); got ${forksArg}`);
  const selected = only.length ? AREAS.filter(([name]) => only.some((o) => name.startsWith(o))) : AREAS;
  const total = now();
  const mode = inProcess ? "engine compiled by tsx (keepNames)" : "engine bundled from src/ by esbuild without keepNames (as shipped)";
  const processes = inProcess || args.includes("--one-process") ? "all areas in one process" : `each area in ${forks} processes of its own (each figure: the median process's)`;
  console.log(`blockstate bench: node ${process.version}, ${process.arch}; ${mode}; ${processes}; ratio = value / baseline unless noted`);
  const { results, failed } = inProcess ? await runAreas(selected) : await runBundled(selected, args.includes("--one-process"), forks);
  console.log(`\n${table(results)}\n`);
  const missed = results.filter((e) => e.ok === false).map((e) => e.name);
  console.log(missed.length ? `Targets missed: ${missed.join(", ")}` : "All targets met.");
  console.log(`Total ${(msSince(total) / 1000).toFixed(1)} s.`);
  if (!only.length) {
    const file = join(__dirname, "results.json");
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    console.log(`Wrote ${file}`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

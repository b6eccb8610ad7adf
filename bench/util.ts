/**
 * Shared helpers of `npm run bench`: the result shape, targets, timing and heap measurement.
 *
 * Every figure is measured next to a plain-JavaScript baseline doing the same work in the same
 * run, so that ratios do not depend on the machine. Times use `process.hrtime.bigint()`; each
 * figure takes warm-up rounds first, then the median of several repetitions. Heap figures force
 * a full GC (`global.gc()`, the script runs with `--expose-gc`) before reading `heapUsed`.
 *
 * @packageDocumentation
 */

/** A target a figure should meet, on its value or on its ratio to the baseline. */
export interface Target {
  /** Which number the target applies to. */
  on: "value" | "ratio";
  /** `<`, `<=`: at most; `>`, `>=`: at least; `abs<=`: absolute value at most. */
  op: "<" | "<=" | ">" | ">=" | "abs<=";
  limit: number;
}

/** One line of `bench/results.json`. `ratio` is always `value / baseline` unless noted. */
export interface BenchEntry {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  /** Human-readable target, e.g. `value <= 5`; absent for informational figures. */
  target?: string;
  /** Whether the target is met; absent for informational figures. */
  ok?: boolean;
  /** The ratio in each process the area ran in, when it ran in several (`bench/run.ts`); this entry is the median one's. */
  forks?: number[];
}

/** Builds an entry, computing `ratio` (value / baseline) and checking the target. */
export function entry(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  target?: Target,
  ratio: number = value / baseline,
): BenchEntry {
  const e: BenchEntry = { name, value, unit, baseline, ratio };
  if (target) {
    const x = target.on === "value" ? value : ratio;
    e.target = `${target.on} ${target.op === "abs<=" ? "|x| <=" : target.op} ${target.limit}`;
    e.ok = meets(x, target);
  }
  return e;
}

function meets(x: number, t: Target): boolean {
  if (!Number.isFinite(x)) return false;
  switch (t.op) {
    case "<":
      return x < t.limit;
    case "<=":
      return x <= t.limit;
    case ">":
      return x > t.limit;
    case ">=":
      return x >= t.limit;
    case "abs<=":
      return Math.abs(x) <= t.limit;
  }
}

/** Nanoseconds since an arbitrary origin. */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds elapsed since `start` (from {@link now}). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Forces full garbage collections (twice: the second collects what the first's finalisers freed). */
export function gc(): void {
  if (!global.gc) throw new Error("run the bench with --expose-gc (npm run bench does)");
  global.gc();
  global.gc();
}

/** `heapUsed` after forced GC, in bytes. */
export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Lets pending macrotasks run (so nothing from a previous phase runs inside a timed one). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Times `round` (one repetition, which does `perRound` operations) `warmup + reps` times and
 * returns the median per-operation time in milliseconds over the last `reps`. A GC is forced
 * before each timed round so that one round does not pay for the garbage of the previous one.
 */
export async function timePerOp(
  round: () => Promise<void> | void,
  perRound: number,
  { warmup = 2, reps = 7 }: { warmup?: number; reps?: number } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await round();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    await settle();
    const start = now();
    await round();
    samples.push(msSince(start) / perRound);
  }
  return median(samples);
}

/**
 * Like {@link timePerOp} for two rounds at once, alternating them round by round so that drift
 * (GC, CPU frequency, other processes) affects engine and baseline alike.
 *
 * @returns `[engine ms/op, baseline ms/op]`.
 */
export async function timePair(
  engine: () => Promise<void> | void,
  baseline: () => Promise<void> | void,
  perRound: number,
  { warmup = 2, reps = 7, basePerRound = perRound }: { warmup?: number; reps?: number; basePerRound?: number } = {},
): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    await engine();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    await settle();
    let start = now();
    await engine();
    a.push(msSince(start) / perRound);
    gc();
    await settle();
    start = now();
    await baseline();
    b.push(msSince(start) / basePerRound);
  }
  return [median(a), median(b)];
}

/** 128 random bits as URL-safe base64: what a plain-JS session table would key on. */
export function randomHash(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
}

/** A value the optimiser cannot prove unused. */
export const sink = { n: 0 };

/** Formats a byte count as MB with two decimals. */
export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * Bundles `entry` into `outfile` as the package ships (esbuild, CommonJS for Node 20, no
 * `keepNames`), with packages left external: they resolve from the repository's node_modules.
 */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  const { build } = await import("esbuild");
  await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", target: "node20", packages: "external", keepNames: false, logLevel: "warning" });
}

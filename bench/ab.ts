/**
 * `npm run bench:ab -- <rev> [event|fanout|queue ...] [--pairs=N] [--runs=N]`: the engine at git
 * revision `<rev>` (A) against the working tree (B), on the per-event figures of
 * `bench/ab-figures.ts`, both loaded in one process. For an engine change, this says whether it
 * made those figures faster, in less time and with less noise than two `npm run bench` runs:
 *
 * - both engines are bundled as `npm run bench` bundles them (esbuild, no `keepNames`), A from
 *   `git archive <rev> src` into `node_modules/.cache/blockstate-ab/<commit>/`;
 * - one child process loads both and times them in pairs, alternating which goes first, in
 *   steady state (no forced GC), `--pairs` pairs per figure (default 60) after a warm-up;
 * - on this machine, whichever engine is loaded second ran up to 1.17× slower in some processes
 *   (the same build against itself gave 1.00-1.17), so each run is two processes, one per
 *   load order, and B/A is the geometric mean of the two orders' paired medians;
 * - `--runs` such runs (default 4) are printed with their geometric mean. Against itself
 *   (`npm run bench:ab -- HEAD`, the engine unchanged) B/A came out between 0.94 and 1.03 here
 *   in three runs of the defaults: differences within that are noise.
 *
 * @packageDocumentation
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as Engine from "../src/index";
import { AB_FIGURES } from "./ab-figures";
import { bundleForNode, median } from "./util";

const ROOT = resolve(__dirname, "..");
const CACHE = join(ROOT, "node_modules", ".cache", "blockstate-ab");
/** Set in the child: the two engine bundles, in load order, and what to time. */
const CHILD_ENV = "BLOCKSTATE_AB";

interface ChildJob {
  engines: [string, string];
  figures: string[];
  pairs: number;
}

/** What the child reports per figure: medians (ns per op) in load order, and the paired median of second/first. */
interface ChildResult {
  figure: string;
  first: number;
  second: number;
  ratio: number;
}

async function child(job: ChildJob): Promise<void> {
  const engines = job.engines.map((file) => require(file) as typeof Engine);
  for (const figure of AB_FIGURES.filter((f) => job.figures.includes(f.name))) {
    const first = await figure.setup(engines[0]);
    const second = await figure.setup(engines[1]);
    for (let i = 0; i < 5; i++) {
      await first();
      await second();
    }
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < job.pairs; i++) {
      let x: number, y: number;
      if (i % 2 === 0) {
        x = await first();
        y = await second();
      } else {
        y = await second();
        x = await first();
      }
      a.push(x);
      b.push(y);
      ratios.push(y / x);
    }
    const result: ChildResult = { figure: figure.name, first: median(a), second: median(b), ratio: median(ratios) };
    console.log(JSON.stringify(result));
  }
  process.exit(0);
}

/** Bundles the engine whose `src/` is in `root` into `into/engine.cjs`, and returns that file. */
async function bundleEngine(root: string, into: string): Promise<string> {
  const entry = join(into, "engine.ts");
  writeFileSync(entry, `export * from ${JSON.stringify(join(root, "src", "index"))};\n`);
  const outfile = join(into, "engine.cjs");
  await bundleForNode(entry, outfile);
  return outfile;
}

function option(args: string[], name: string, fallback: number): number {
  const given = args.find((a) => a.startsWith(`--${name}=`));
  const value = given ? Number(given.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer; got ${given}`);
  return value;
}

function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

async function main(): Promise<void> {
  const job = process.env[CHILD_ENV];
  if (job) return child(JSON.parse(job) as ChildJob);
  const args = process.argv.slice(2);
  const [rev, ...rest] = args.filter((a) => !a.startsWith("--"));
  if (!rev) throw new Error("usage: npm run bench:ab -- <git revision> [event|fanout|queue ...] [--pairs=N] [--runs=N]");
  const figures = rest.length ? rest : AB_FIGURES.map((f) => f.name);
  for (const name of figures) if (!AB_FIGURES.some((f) => f.name === name)) throw new Error(`no figure ${name}; the figures are ${AB_FIGURES.map((f) => f.name).join(", ")}`);
  const pairs = option(args, "pairs", 60);
  const runs = option(args, "runs", 4);

  const commit = execFileSync("git", ["rev-parse", "--verify", `${rev}^{commit}`], { cwd: ROOT, encoding: "utf8" }).trim();
  const dirA = join(CACHE, commit);
  if (!existsSync(join(dirA, "src"))) {
    mkdirSync(dirA, { recursive: true });
    const tar = execFileSync("git", ["archive", "--format=tar", commit, "src"], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", dirA], { input: tar });
  }
  // One folder per run for the working tree and the driver: two runs must not share them.
  const work = join(CACHE, `work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const engineA = await bundleEngine(dirA, dirA);
    const engineB = await bundleEngine(ROOT, work);
    const driver = join(work, "ab.cjs");
    await bundleForNode(__filename, driver);

    console.log(`bench:ab on node ${process.version}: A = ${rev} (${commit.slice(0, 10)}), B = the working tree; ${pairs} pairs per figure, ${runs} runs of both load orders`);
    const ratios = new Map<string, number[]>(figures.map((f) => [f, []]));
    const medians = new Map<string, [number[], number[]]>(figures.map((f) => [f, [[], []]]));
    for (let r = 0; r < runs; r++) {
      const results: ChildResult[][] = [];
      for (const engines of [[engineA, engineB], [engineB, engineA]] as [string, string][]) {
        const out = spawnSync(process.execPath, ["--expose-gc", driver], {
          env: { ...process.env, [CHILD_ENV]: JSON.stringify({ engines, figures, pairs } satisfies ChildJob) },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        });
        if (out.status !== 0) throw new Error(`the bench:ab child failed (exit ${out.status})`);
        results.push(out.stdout.trim().split("\n").map((line) => JSON.parse(line) as ChildResult));
      }
      for (const name of figures) {
        const ab = results[0].find((x) => x.figure === name)!; // A loaded first: ratio is B/A
        const ba = results[1].find((x) => x.figure === name)!; // B loaded first: ratio is A/B
        const ratio = Math.sqrt(ab.ratio / ba.ratio);
        ratios.get(name)!.push(ratio);
        medians.get(name)![0].push(ab.first, ba.second);
        medians.get(name)![1].push(ab.second, ba.first);
        console.log(`  run ${r + 1} ${name}: B/A ${ratio.toFixed(3)} (A loaded first ${ab.ratio.toFixed(3)}, B loaded first ${(1 / ba.ratio).toFixed(3)})`);
      }
    }
    console.log("");
    for (const figure of AB_FIGURES.filter((f) => figures.includes(f.name))) {
      const [a, b] = medians.get(figure.name)!;
      console.log(`${figure.name}: A ${median(a).toFixed(1)}, B ${median(b).toFixed(1)} ${figure.unit}; B/A ${geomean(ratios.get(figure.name)!).toFixed(3)} (geometric mean of ${runs} runs)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

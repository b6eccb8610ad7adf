/**
 * Optimised code that survives full GCs. Before Node 24, the engine's AsyncLocalStorage (for
 * `gr.Info` after an `await`) stores its value as a property on every promise and async
 * resource, an `Immediate` too, which gives those hidden classes that V8 keeps only while an
 * object of them is alive. A full GC between two bursts, with no `Immediate` alive, dropped that
 * class and with it the optimised code that had seen it ("weak objects"): Node's promise hook
 * and the storage's `run` and `getStore`, all of which each event runs through. The slicer keeps
 * its last `setImmediate` handle to prevent it (runtime/queue.ts).
 *
 * Checked with V8's `--trace-deopt` in a child process (spec/support/deopt-burst.ts): no timing.
 * On Node 24 the storage puts nothing on resources, and the check holds trivially.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** The functions every queued event runs through, which a dropped hidden class deoptimised. */
const HOT = ["promiseInitHook", "init", "_propagate", "getStore", "run", "invoke", "callHandler"];

describe("optimised code across full GCs (shape anchors of async resources)", () => {
  it("a full GC between bursts of queued events deoptimises none of the per-event functions", () => {
    const script = join(__dirname, "..", "support", "deopt-burst.ts");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", "--trace-deopt", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.status).toBe(0);
    const out = child.stdout;
    const warm = out.indexOf("--- warm");
    expect(warm).toBeGreaterThan(0);
    const dropped = out
      .slice(warm)
      .split("\n")
      .filter((line) => line.includes("reason: weak objects"))
      .map((line) => /SharedFunctionInfo ([\w$]+)>/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined && HOT.includes(name));
    expect(dropped).toEqual([]);
  });
});

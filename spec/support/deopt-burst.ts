/**
 * A child process for spec/runtime/deopt.test.ts: bursts of queued events with full GCs and an
 * idle macrotask between them, as a server sees them, run under `--trace-deopt`. It prints
 * `--- warm` once the code is optimised; what V8 deoptimises after that line is what a full GC
 * took from the engine.
 *
 * The marker is written straight to the file descriptor: `console.log` writes through a stream,
 * whose write callback goes through `process.nextTick`, and the first `TickObject` after a full
 * GC (none was alive to keep the hidden class the storage gives them) deoptimised Node's
 * `AsyncLocalStorage` hook now and then ("weak objects" for `init` and `_propagate`): the
 * check's own output, which a server, always with ticks alive, does not have.
 */
import { writeSync } from "node:fs";
import * as gr from "../../src/index";
const gc = (globalThis as { gc?: () => void }).gc!;
async function main(): Promise<void> {
  let btn!: gr.Button;
  const app = new gr.Blocks(() => {
    btn = new gr.Button("Run");
    btn.click(async () => undefined, undefined, undefined, { concurrencyLimit: 1 });
  }).launch();
  const sessions: gr.Session[] = [];
  for (let i = 0; i < 100; i++) sessions.push(await app.connect());
  await sessions[0].click(btn);
  const burst = async () => {
    for (let w = 0; w < Number(process.env.WAVES ?? 300); w++) await Promise.all(sessions.map((s) => s.click(btn)));
  };
  const nop = async () => undefined;
  const rounds = [burst, nop];
  for (let r = 0; r < 6; r++) {
    if (r === 2) writeSync(1, "--- warm\n");
    for (const round of rounds) {
      gc();
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      await round();
    }
  }
  await app.close();
}
void main();

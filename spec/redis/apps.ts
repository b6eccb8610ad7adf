/** Apps the Redis tests run in several app instances (and processes). */
import * as gr from "blockstate";

/** A Global counter (S8: `add` reads and writes it), a per-session State count, and a `.change` log. */
export function counterApp(gate: Promise<void> = Promise.resolve()) {
  let slow!: gr.Button, add!: gr.Button, bump!: gr.Button, setTotal!: gr.Button, total!: gr.Global<number>, count!: gr.State<number>, seen!: gr.Number, big!: gr.Button;
  const demo = new gr.Blocks(() => {
    total = new gr.Global(0);
    count = new gr.State(0);
    seen = new gr.Number();
    add = new gr.Button("add");
    add.click((t: number) => t + 1, total, total);
    bump = new gr.Button("bump");
    bump.click((c: number) => c + 1, count, count);
    setTotal = new gr.Button("set");
    setTotal.click(() => 100, [], total);
    big = new gr.Button("big");
    big.click(() => "x".repeat(2000), [], total);
    total.change((t: number) => t, total, seen);
    slow = new gr.Button("slow");
    slow.click(async (c: number) => {
      await gate;
      return c + 1;
    }, count, count);
  });
  return { demo, slow, add, bump, setTotal, big, total, count, seen };
}

/**
 * Session lifetime across processes (docs/08): `note` and `short` (time-to-live 5 s) with
 * delete callbacks logging `name=value`, retention 60 s swept every second (S20), and counts
 * of load and unload runs.
 */
export function lifeApp() {
  const deleted: string[] = [];
  const runs = { load: 0, unload: 0 };
  let note!: gr.State<string>, short!: gr.State<string>;
  const demo = new gr.Blocks({ deleteCache: [1, 60] }, (demo) => {
    note = new gr.State<string>("", { deleteCallback: (v: string) => void deleted.push(`note=${v}`) });
    short = new gr.State<string>("", { timeToLive: 5, deleteCallback: (v: string) => void deleted.push(`short=${v}`) });
    demo.load(() => void runs.load++);
    demo.unload(() => void runs.unload++);
  });
  return { demo, note, short, deleted, runs };
}

/** Apps the server tests serve, and a gate for holding runs open. */
import * as gr from "blockstate";

/** A promise the test resolves: holds a handler at an await until the test says go. */
export class Gate {
  private waiters: (() => void)[] = [];
  opened = false;
  wait(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
  open(): void {
    this.opened = true;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Waits until `check()` is true, polling every few ms (fails after 5 s). */
export async function until(check: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A counter per session (`add`), a Global total, a generator, errors, alerts and progress. */
export function counterApp(gate = new Gate()) {
  const log: string[] = [];
  let finallyRan = 0;
  let ticks = 0;
  const demo = new gr.Blocks(() => {
    const count = new gr.State(0);
    const visits = new gr.Global(0);
    const x = new gr.Number({ label: "x" });
    const y = new gr.Number({ label: "y" });
    const total = new gr.Number({ label: "total" });
    const text = new gr.Textbox({ label: "text" });
    const out = new gr.Textbox({ label: "out" });
    const btn = new gr.Button("Go");
    btn.click((n: number | null, c: number) => [c + (n ?? 0), c + (n ?? 0)], [x, count], [total, count], { apiName: "add" });
    btn.click((a: number | null, b: number, c: number | null) => (a ?? 0) * b + (c ?? 0), [x, count, y], total, { apiName: "mix" });
    btn.click((c: number) => c, count, total, { apiName: "peek", queue: false });
    btn.click((v: number) => v + 1, visits, visits, { apiName: "visit" });
    btn.click((v: number) => v, visits, total, { apiName: "visits" });
    btn.click(
      async function* (t: string) {
        try {
          for (let i = 1; i <= 3; i++) {
            await new Promise((r) => setTimeout(r, 5));
            yield t.repeat(i);
          }
        } finally {
          finallyRan++;
        }
      },
      text,
      out,
      { apiName: "stream" },
    );
    btn.click(
      async function* () {
        try {
          for (let i = 0; ; i++) {
            ticks++;
            yield `tick ${i}`;
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          finallyRan++;
        }
      },
      undefined,
      out,
      { apiName: "ticker" },
    );
    btn.click(() => {
      throw new gr.Error("The number must be positive", { title: "Bad number" });
    }, undefined, out, { apiName: "fail" });
    btn.click(() => {
      throw new Error("secret database password is hunter2");
    }, undefined, out, { apiName: "secret" });
    btn.click(
      (t: string, ctx: gr.EventContext) => {
        gr.Info(`hello ${t}`);
        gr.Warning("careful", { title: "Heads up" });
        ctx.progress(0.5, "halfway");
        return t.toUpperCase();
      },
      text,
      out,
      { apiName: "shout" },
    );
    btn.click(
      async (t: string) => {
        log.push(`start ${t}`);
        await gate.wait();
        log.push(`end ${t}`);
        return t;
      },
      text,
      out,
      { apiName: "slow", concurrencyLimit: 1 },
    );
    btn.click(() => "hidden", undefined, out, { apiName: false });
    btn.click(
      async (t: string, ctx: gr.EventContext) => {
        ctx.info(`start ${t}`);
        await new Promise((r) => setTimeout(r, t === "first" ? 30 : 5));
        ctx.info(`end ${t}`);
        return t;
      },
      text,
      out,
      { apiName: "both", concurrencyLimit: null },
    );
  });
  return { demo, gate, log, finallyRan: () => finallyRan, ticks: () => ticks };
}

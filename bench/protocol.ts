/**
 * Renderer protocol figures (issue 5): `config.app500_ms` and `updates.subject_ratio`.
 *
 * - `config.app500_ms`: ms per `demo.config()` of a 500-component app (Rows of mixed
 *   components, a listener per Button). Baseline: a JSON round trip (`JSON.parse(JSON.stringify())`)
 *   of the same config, i.e. plain JS producing an equally sized JSON-safe copy. Target < 5 ms.
 * - `updates.subject_ratio`: µs per update that `updates$` adds for one subscriber, versus the
 *   same `{ id, value }` objects pushed through a bare RxJS `Subject`. The updates come from
 *   clicks whose handler writes 100 Textbox outputs; the value is (µs per click with an
 *   `updates$` subscriber − µs per click without one) / 100, i.e. the content comparison, the
 *   update object and the delivery, without the event's own cost. Two sessions (one subscribed,
 *   one not) are clicked in short alternating rounds and the median of the per-round
 *   differences is taken, which cancels most drift from other processes; still the noisiest
 *   figure here (a difference of two similar times). Target ratio < 2.
 *
 * @packageDocumentation
 */
import { Subject } from "rxjs";
import * as gr from "../src/index";
import { entry, gc, median, msSince, now, sink, timePair, type BenchEntry } from "./util";


function app500(): gr.Blocks {
  return new gr.Blocks(() => {
    for (let row = 0; row < 50; row++) {
      new gr.Row(() => {
        const text = new gr.Textbox({ label: `Text ${row}` });
        const num = new gr.Number({ label: `Number ${row}` });
        new gr.Slider({ minimum: 0, maximum: 100, value: row, label: `Slider ${row}` });
        new gr.Checkbox({ label: `Check ${row}` });
        new gr.Dropdown({ choices: ["a", "b", "c"], label: `Pick ${row}` });
        new gr.Markdown(`## Section ${row}`);
        new gr.CheckboxGroup({ choices: ["x", "y"], label: `Group ${row}` });
        new gr.Radio({ choices: ["p", "q"], label: `Radio ${row}` });
        new gr.Textbox({ label: `Out ${row}` });
        const btn = new gr.Button(`Go ${row}`);
        btn.click((t: string) => t.length, text, num);
      });
    }
  });
}

async function benchConfig(): Promise<BenchEntry[]> {
  const demo = app500();
  const config = () => demo.config();
  const components = config().components.length;
  const [engineMs, plainMs] = await timePair(
    () => {
      for (let i = 0; i < 20; i++) sink.n += config().components.length;
    },
    () => {
      const c = config();
      for (let i = 0; i < 20; i++) sink.n += (JSON.parse(JSON.stringify(c)) as { components: unknown[] }).components.length;
    },
    20,
    { warmup: 3, reps: 9 },
  );
  console.log(`  config: ${components} entries in components[] (500 components + 50 rows)`);
  return [entry("config.app500_ms", engineMs, "ms per config() (500 components)", plainMs, { on: "value", op: "<", limit: 5 })];
}

async function benchUpdates(): Promise<BenchEntry[]> {
  const OUTPUTS = 100;
  const CLICKS = 150;
  const outputs: gr.Textbox[] = [];
  let btn!: gr.Button;
  let n = 0;
  const demo = new gr.Blocks(() => {
    for (let i = 0; i < OUTPUTS; i++) outputs.push(new gr.Textbox());
    btn = new gr.Button();
    btn.click(
      () => {
        n++;
        return outputs.map((_, i) => `v${n}-${i}`);
      },
      undefined,
      outputs,
    );
  });
  const app = demo.launch();
  // Two sessions of the same app, clicked alternately: one with an updates$ subscriber for the
  // whole bench, one without (subscribing and unsubscribing between rounds would measure churn).
  const watched = await app.connect();
  const unwatched = await app.connect();
  let received = 0;
  const subscription = watched.updates$.subscribe(() => {
    received++;
  });

  // The same values through a bare Subject with one subscriber, one awaited promise per event.
  const subject = new Subject<gr.ComponentUpdate>();
  let subjectReceived = 0;
  subject.subscribe(() => {
    subjectReceived++;
  });
  let m = 0;
  const ids = outputs.map((o) => o.id);

  /** µs per click (100 outputs written), with or without an updates$ subscriber. */
  const clicks = async (subscribed: boolean): Promise<number> => {
    const session = subscribed ? watched : unwatched;
    const before = received;
    const start = now();
    for (let c = 0; c < CLICKS; c++) await session.click(btn);
    const us = (msSince(start) * 1000) / CLICKS;
    if (subscribed && received - before !== CLICKS * OUTPUTS) throw new Error(`updates$ delivered ${received - before} of ${CLICKS * OUTPUTS}`);
    return us;
  };
  const pushes = async (): Promise<number> => {
    const before = subjectReceived;
    const start = now();
    for (let c = 0; c < CLICKS; c++) {
      m++;
      for (let i = 0; i < OUTPUTS; i++) subject.next({ id: ids[i], value: `v${m}-${i}` });
      await Promise.resolve();
    }
    const us = (msSince(start) * 1000) / (subjectReceived - before);
    return us;
  };

  // Short rounds, alternating which side goes first, and the median of the per-round
  // differences: load from other processes drifts, and a paired difference cancels most of it.
  const withSub: number[] = [];
  const without: number[] = [];
  const added: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < 25; r++) {
    gc();
    let a: number, b: number;
    if (r % 2 === 0) {
      a = await clicks(true);
      b = await clicks(false);
    } else {
      b = await clicks(false);
      a = await clicks(true);
    }
    const p = await pushes();
    if (r >= 4) {
      withSub.push(a);
      without.push(b);
      added.push((a - b) / OUTPUTS);
      plain.push(p);
    }
  }
  subscription.unsubscribe();
  await app.close();
  // What updates$ costs per update: the event with a subscriber minus the same event without
  // one (content comparison of each written component, the update object, delivery).
  const value = median(added);
  const baseline = median(plain);
  console.log(
    `  updates$: click writing ${OUTPUTS} Textboxes: ${median(withSub).toFixed(1)} µs with a subscriber, ` +
      `${median(without).toFixed(1)} µs without; bare Subject.next ${baseline.toFixed(3)} µs per value`,
  );
  return [entry("updates.subject_ratio", value, "µs per update added by updates$ vs Subject.next", baseline, { on: "ratio", op: "<", limit: 2 })];
}

export async function benchProtocol(): Promise<BenchEntry[]> {
  return [...(await benchConfig()), ...(await benchUpdates())];
}

/**
 * Apps the bench builds with an engine it is given: `bench/apps.ts` builds them with this
 * repository's engine, `bench/ab.ts` with two (a git revision's and the working tree's). Only
 * types come from `src/`, so importing this module loads no engine.
 *
 * @packageDocumentation
 */
import type * as Engine from "../src/index";

/** The counter app: click → State → `.change` → Number. */
export function buildCounterApp(gr: typeof Engine) {
  let count!: Engine.State<number>;
  let btn!: Engine.Button;
  let num!: InstanceType<typeof Engine.Number>;
  const demo = new gr.Blocks(() => {
    count = new gr.State(0);
    btn = new gr.Button("+1");
    num = new gr.Number();
    btn.click((c) => c + 1, count, count);
    count.change((c) => c, count, num);
  });
  return { demo, count, btn, num };
}

/** The Global counter: click → Global → `.change` → Number, in every session (S56). */
export function buildGlobalCounterApp(gr: typeof Engine) {
  let count!: Engine.Global<number>;
  let btn!: Engine.Button;
  let view!: InstanceType<typeof Engine.Number>;
  const demo = new gr.Blocks(() => {
    count = new gr.Global(0);
    btn = new gr.Button();
    view = new gr.Number();
    btn.click((c) => c + 1, count, count);
    count.change((c) => c, count, view);
  });
  return { demo, count, btn, view };
}

/**
 * The listener API's public types as user code meets them. `npm test` type-checks this file
 * (`tsc --noEmit -p .`), so a `@ts-expect-error` that no longer errors, or a line that no longer
 * type-checks, fails it; the assertions check the same objects at run time.
 */
import * as gr from "blockstate";
import { Dependency, type BlocksSite, type EventListener, type ListenerMethod } from "blockstate/blocks";

describe("the listener types", () => {
  it("an event method returns a Dependency whose .then/.success/.failure chain with inferred parameters", () => {
    let first!: gr.Dependency;
    let chained!: Dependency;
    let registered!: Dependency;
    const demo = new gr.Blocks(() => {
      const count = new gr.State(0);
      const names = new gr.State<string[]>([]);
      const out = new gr.Number();
      const btn = new gr.Button("+1");
      const click: EventListener = btn.click;
      first = click((c) => c + 1, count, out);
      const then: ListenerMethod = first.then;
      chained = then((n: number | null, list: string[]) => [n, [...list]], [out, names], [out, names]);
      chained.success(() => undefined).failure(() => undefined);
      const register = btn.click({ inputs: [count, names], outputs: out });
      registered = register((c: number, list: string[], ctx: gr.EventContext) => c + list.length + ctx.sessionHash.length);
      btn.click(() => undefined, undefined, undefined, { cancels: [first, chained] });
      // @ts-expect-error a State<number> input gives a number parameter, not a string
      btn.click((c: string) => c, count);
      // A batch listener's fn takes one list per input, in both call forms.
      btn.click((cs: number[], lists: string[][]) => [cs.map((c, i) => c + lists[i].length)], [count, names], out, { batch: true });
      btn.click({ inputs: count, outputs: out, batch: true, fn: (cs) => [cs.map((c) => c + 1)] });
      btn.click({ inputs: count, outputs: out, batch: true })((cs) => [cs.map((c) => c * 2)]);
      expect(() =>
        // @ts-expect-error an input is a cell, not a layout container
        btn.click(() => undefined, new gr.Row()),
      ).toThrow(/inputs\[0\] is not a component or State/);
      expect(() =>
        // @ts-expect-error `cancels` takes listeners, not handlers
        btn.click(() => undefined, undefined, undefined, { cancels: [() => undefined] }),
      ).toThrow(/cancels\[0\] must be a listener/);
    });
    const owner: BlocksSite = first.blocks;
    expect(owner).toBe(demo);
    expect(owner.dependencies).toBe(demo.dependencies);
    for (const dep of [first, chained, registered]) expect(dep).toBeInstanceOf(Dependency);
    expect(chained.parent?.dependency).toBe(first);
  });

  it("inputs given as an array variable (its length unknown to TypeScript) take a handler with typed parameters", async () => {
    let btn!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      const name = new gr.Textbox({ value: "Ada" });
      const size = new gr.Number({ value: 3 });
      out = new gr.Textbox();
      btn = new gr.Button();
      const inputs = [name, size]; // (Textbox | NumberBox)[], as Gradio ports build them
      btn.click((n: string, k: number | null) => `${n}:${k}`, inputs, out);
      const cells: gr.AnyCell[] = [name, size];
      btn.click((n: string, k: number | null, ctx: gr.EventContext) => `${n}:${k}:${typeof ctx.sessionHash}`, cells, out);
      gr.render(inputs, (n: string) => void new gr.Markdown(n));
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(s.get(out)).toBe("Ada:3:string");
  });

  it("gr.render infers its function's parameters and refuses an async function (S110), which fails at run time too", async () => {
    let tb!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      tb = new gr.Textbox({ value: "a" });
      const n = new gr.Number({ value: 2 });
      gr.render([tb, n], (t, k) => void new gr.Markdown(`${t.toUpperCase()}${(k ?? 0).toFixed(0)}`, { label: "shown" }));
      gr.render([tb], (t) => {
        // @ts-expect-error t is a string (inferred from the Textbox)
        const wrong: number = t;
        void wrong;
      });
      // @ts-expect-error a render function must be synchronous
      gr.render([tb], async (t) => void new gr.Markdown(t));
    });
    const s = await demo.launch({ showError: true }).connect();
    expect(s.get(s.find("shown")!)).toBe("A2");
    expect(s.messages.some((m) => "message" in m && /must be synchronous/.test(m.message))).toBe(true);
  });

  it("session.click and submit take a component that has that event", async () => {
    let box!: gr.Textbox, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      btn = new gr.Button();
    });
    const s = await demo.launch().connect();
    expect((await s.click(btn)).status).toBe("complete");
    expect((await s.submit(box)).status).toBe("complete");
    // @ts-expect-error a Textbox has no click event (refused at run time too)
    expect(() => s.click(box)).toThrow(/has no "click" event/);
    // @ts-expect-error a Button has no submit event
    expect(() => s.submit(btn)).toThrow(/has no "submit" event/);
  });

  it("a Dropdown whose value type is a list says multiselect: true; app.get takes a Global; layout props are each class's", () => {
    new gr.Blocks(() => {
      const many: gr.Dropdown<number, true> = new gr.Dropdown<number, true>({ choices: [1, 2], multiselect: true });
      const inferred = new gr.Dropdown({ choices: ["a", "b"], multiselect: true });
      const list: gr.Dropdown<string, true> = inferred;
      // @ts-expect-error a list value without multiselect: true (the value would be one choice)
      new gr.Dropdown<number, true>({ choices: [1, 2] });
      new gr.Row({ variant: "panel", equalHeight: true });
      new gr.Accordion("More", { open: false, key: "more", preservedByKey: ["open"] });
      expect(() =>
        // @ts-expect-error an unknown prop (misspelt): refused at run time too
        new gr.Row({ visibel: false }),
      ).toThrow(/unknown prop "visibel"/);
      expect(() =>
        // @ts-expect-error a Column has no open
        new gr.Column({ open: true }),
      ).toThrow(/unknown prop "open"/);
      void [many, list];
    });
  });
});

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
});

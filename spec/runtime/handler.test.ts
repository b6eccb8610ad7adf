import * as gr from "blockstate";
import { takesContext } from "../../src/runtime/handler";

describe("the event context argument (S31)", () => {
  it("reaches every handler that can see it: a declared parameter, a rest parameter, a default value, arguments, a bound function", async () => {
    const seen: Record<string, unknown> = {};
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      const box = new gr.Textbox({ value: "x" });
      btn = new gr.Button("Go");
      btn.click((_v: string, ctx: gr.EventContext) => void (seen.declared = ctx.sessionHash), box);
      btn.click((...args: unknown[]) => void (seen.rest = (args[1] as gr.EventContext).sessionHash), box);
      btn.click((_v: string, more: unknown = undefined) => void (seen.defaulted = (more as gr.EventContext).sessionHash), box);
      btn.click(function (this: unknown) {
        // eslint-disable-next-line prefer-rest-params
        seen.arguments = (arguments[1] as gr.EventContext).sessionHash;
      }, box);
      btn.click(
        function (this: unknown) {
          // eslint-disable-next-line prefer-rest-params
          seen.bound = (arguments[1] as gr.EventContext).sessionHash;
        }.bind(null),
        box,
      );
    });
    const session = await demo.launch().connect();
    const result = await session.click(btn);
    expect(result.status).toBe("complete");
    for (const key of ["declared", "rest", "defaulted", "arguments", "bound"]) expect([key, seen[key]]).toEqual([key, session.sessionHash]);
  });

  it("comes after the inputs, one argument each, for a handler that reads arguments", async () => {
    const counts: number[] = [];
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      const a = new gr.Number({ value: 1 });
      const b = new gr.Number({ value: 2 });
      btn = new gr.Button("Go");
      btn.click(function (this: unknown, x: number | null, y: number | null) {
        // eslint-disable-next-line prefer-rest-params
        counts.push(arguments.length, x! + y!);
      }, [a, b]);
    });
    const session = await demo.launch().connect();
    await session.click(btn);
    expect(counts).toEqual([3, 3]);
  });

  it("passes one value per input, in order, then the context: every count of inputs, started at once or after waiting in a queue", async () => {
    const seen: string[] = [];
    let go!: gr.Button;
    const inputs: gr.Number[] = [];
    const demo = new gr.Blocks(() => {
      for (let i = 1; i <= 6; i++) inputs.push(new gr.Number({ value: i }));
      go = new gr.Button("Go");
      for (let n = 0; n <= 6; n++) {
        const cells = inputs.slice(0, n);
        // The handler sees exactly its arguments: `arguments` (context passed) or fixed parameters (not).
        go.click(function (this: unknown) {
          // eslint-disable-next-line prefer-rest-params
          const args = [...arguments];
          const ctx = args.length > n ? (args.pop() as gr.EventContext).sessionHash : "-";
          seen.push(`${n} ctx: ${JSON.stringify(args)} ${ctx !== "-"}`);
        }, cells);
        const fixed = [
          () => seen.push("0: []"),
          (a: unknown) => seen.push(`1: ${JSON.stringify([a])}`),
          (a: unknown, b: unknown) => seen.push(`2: ${JSON.stringify([a, b])}`),
          (a: unknown, b: unknown, c: unknown) => seen.push(`3: ${JSON.stringify([a, b, c])}`),
          (a: unknown, b: unknown, c: unknown, d: unknown) => seen.push(`4: ${JSON.stringify([a, b, c, d])}`),
          (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => seen.push(`5: ${JSON.stringify([a, b, c, d, e])}`),
          (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown) => seen.push(`6: ${JSON.stringify([a, b, c, d, e, f])}`),
        ][n];
        go.click(fixed as unknown as () => void, cells, undefined, { concurrencyLimit: 1 });
      }
    });
    const expected = [0, 1, 2, 3, 4, 5, 6].flatMap((n) => {
      const values = JSON.stringify([1, 2, 3, 4, 5, 6].slice(0, n));
      return [`${n} ctx: ${values} true`, `${n}: ${values}`];
    });
    const app = demo.launch();
    const [first, second] = [await app.connect(), await app.connect()];
    // Both sessions at once: the second one's limited runs wait for the first's (a kept async context).
    await Promise.all([first.click(go), second.click(go)]);
    expect(seen.sort()).toEqual([...expected, ...expected].sort());
  });

  it("takesContext decides from fn.length and the parameter list, erring towards passing it", () => {
    expect(takesContext((a: number) => a, 1)).toBe(false);
    expect(takesContext((a: number, b: number) => a + b, 2)).toBe(false);
    expect(takesContext(() => 1, 0)).toBe(false);
    expect(takesContext(function named(a: number) {
      return a;
    }, 1)).toBe(false);
    expect(takesContext((a: number) => (b: number) => a + b, 1)).toBe(false);
    expect(takesContext((a: number, ctx: unknown) => [a, ctx], 1)).toBe(true);
    expect(takesContext((ctx: unknown) => ctx, 0)).toBe(true);
    expect(takesContext((...args: unknown[]) => args, 1)).toBe(true);
    expect(takesContext((_a: number, ...rest: unknown[]) => rest, 1)).toBe(true);
    expect(takesContext((a: number, b = 1) => a + b, 1)).toBe(true);
    expect(takesContext((a: number, { x }: { x: number } = { x: 1 }) => a + x, 1)).toBe(true);
    expect(takesContext(function (this: unknown) {
      // eslint-disable-next-line prefer-rest-params
      return arguments;
    }, 0)).toBe(true);
    expect(takesContext(((a: number) => a).bind(null), 1)).toBe(true);
    expect(takesContext(new Proxy((a: number) => a, {}), 1)).toBe(true);
  });
});

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

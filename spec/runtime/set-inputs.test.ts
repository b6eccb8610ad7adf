import * as gr from "blockstate";

/** Gradio's set notation: `fn(data)` with `inputs={a, b}` gets one dict, `data[a]` (a Map here). */
describe("inputs given as a Set", () => {
  it("gives the handler one Map from each input to its value, then the event context", async () => {
    let first!: gr.Textbox, last!: gr.Textbox, age!: gr.Number, out!: gr.Textbox, go!: gr.Button;
    const seen: unknown[] = [];
    const demo = new gr.Blocks(() => {
      first = new gr.Textbox({ value: "Ada" });
      last = new gr.Textbox({ value: "Lovelace" });
      age = new gr.Number({ value: 36 });
      out = new gr.Textbox();
      go = new gr.Button("Go");
      go.click(
        (data, ctx) => {
          seen.push(data instanceof Map, data.size, typeof ctx.sessionHash);
          return `${data.get(first)} ${data.get(last)} (${data.get(age)})`;
        },
        new Set([first, last, age]),
        out,
      );
      // One input in a Set: still a Map, and no context when the handler cannot see it.
      new gr.Button("Alone").click((data) => `alone: ${String(data.get(first))}`, new Set([first]), last, { apiName: "alone" });
    });
    const s = await demo.launch().connect();
    await s.click(go);
    expect(s.get(out)).toBe("Ada Lovelace (36)");
    expect(seen).toEqual([true, 3, "string"]);
    // An API client still sends one value per input, in the Set's order.
    expect(await s.call("alone", "Grace")).toEqual(["alone: Grace"]);
  });

  it("refuses a Set of outputs, and a Map as inputs or outputs", () => {
    const build = (register: (a: gr.Number) => void) =>
      new gr.Blocks(() => {
        const a = new gr.Number();
        register(a);
      });
    expect(() => build((a) => new gr.Button().click((n: unknown) => n, a, new Set([a]) as never))).toThrow(/: outputs must be one cell or an array of them; got a Set\.$/);
    expect(() => build((a) => new gr.Button().click((n: unknown) => n, new Map([[a, 1]]) as never, a))).toThrow(
      /: inputs must be one cell or an array of them \(or a Set of them\); got a Map\.$/,
    );
  });
});

import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

/** Gradio's callable `value` with `inputs` and `every` (`gr.Number(lambda a, b: a * b, inputs=[a, b])`). */
describe("a component value computed from inputs or every", () => {
  it("starts empty, is computed when a session starts and again whenever an input changes, per session", async () => {
    let a!: gr.Number, b!: gr.Number, product!: gr.Number, double!: gr.Button;
    const demo = new gr.Blocks(() => {
      a = new gr.Number({ value: 2 });
      b = new gr.Number({ value: 3 });
      product = new gr.Number({ label: "Product", value: (x: number, y: number) => x * y, inputs: [a, b] });
      double = new gr.Button("Double a");
      double.click((x: number | null) => (x ?? 0) * 2, a, a);
    });
    expect(product.value).toBeNull(); // the template: empty, as Gradio's initial None
    const listener = demo.dependencies.find((d) => d.outputs.includes(product))!;
    expect(listener.triggers.map((t) => [t.block, t.event])).toEqual([
      [a, "change"],
      [b, "change"],
      [demo, "load"],
    ]);
    expect(listener.outputs).toEqual([product]);
    expect(listener.options.showProgress).toBe("hidden");
    const app = demo.launch();
    const [s, other] = [await app.connect(), await app.connect()];
    expect(s.get(product)).toBe(6);
    await s.input(b, 10);
    expect(s.get(product)).toBe(20);
    await s.click(double); // a listener's output changes an input too (S53)
    expect(s.get(product)).toBe(40);
    expect(other.get(product)).toBe(6);
  });

  it("takes an async function and one input given alone", async () => {
    let name!: gr.Textbox, greeting!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ value: "Ada" });
      greeting = new gr.Textbox({ value: async (n: string) => `Hello ${n}`, inputs: name });
    });
    const s = await demo.launch().connect();
    expect(s.get(greeting)).toBe("Hello Ada");
    await s.input(name, "Grace");
    expect(s.get(greeting)).toBe("Hello Grace");
  });

  it("with every, runs again on each tick of a Timer it makes (a number of seconds) or is given", async () => {
    let calls = 0;
    let clockText!: gr.Textbox, other!: gr.Markdown, timer!: gr.Timer;
    const demo = new gr.Blocks(() => {
      clockText = new gr.Textbox({ value: () => `call ${++calls}`, every: 2 });
      timer = new gr.Timer(5);
      other = new gr.Markdown({ value: () => `also ${calls}`, every: timer });
    });
    const made = demo.blocks.filter((b): b is gr.Timer => b instanceof gr.Timer && b !== timer);
    expect(made.map((t) => t.value)).toEqual([2]);
    expect(demo.layout.at(-1)!.block).toBe(made[0]); // placed at the end of the layout
    expect(demo.dependencies[0].options.showProgress).toBe("hidden");
    const clock = new ManualClock();
    const s = await demo.launch({ clock }).connect();
    expect(s.get(clockText)).toBe("call 1");
    await clock.advance(2_000);
    await s.idle();
    expect(s.get(clockText)).toBe("call 2");
    await clock.advance(3_000);
    await s.idle();
    expect(s.get(clockText)).toBe("call 3");
    expect(s.get(other)).toBe("also 3");
  });

  it("is registered by the outermost Blocks for a component made in a nested one", async () => {
    let a!: gr.Number, squared!: gr.Number;
    const demo = new gr.Blocks(() => {
      a = new gr.Number({ value: 4 });
      new gr.Blocks(() => {
        squared = new gr.Number({ value: (x: number) => x * x, inputs: a });
      });
    });
    const s = await demo.launch().connect();
    expect(s.get(squared)).toBe(16);
    await s.input(a, 5);
    expect(s.get(squared)).toBe(25);
  });

  it("refuses inputs or every without a function value, outside a build, in a gr.render function, and of the wrong kinds", async () => {
    const a = () => new gr.Number();
    expect(() => new gr.Blocks(() => void new gr.Number({ value: 3, inputs: a() }))).toThrow(
      "Number: inputs and every need a function value to compute (Gradio's callable value); got 3.",
    );
    expect(() => new gr.Blocks(() => void new gr.Textbox({ value: () => "x", every: "1s" as never }))).toThrow(
      'Textbox: every must be a number of seconds from 0.001 to 1e12 or a gr.Timer; got "1s".',
    );
    for (const every of [0, -1, NaN]) {
      expect(() => new gr.Blocks(() => void new gr.Textbox({ label: "Clock", value: () => "x", every }))).toThrow(
        /^Textbox "Clock": every must be a number of seconds from 0\.001 to 1e12 or a gr\.Timer; got /,
      );
    }
    expect(() => new gr.Blocks(() => void new gr.Textbox({ value: () => "x", inputs: ["text"] as never }))).toThrow(
      'Textbox: inputs[0] must be a component or a State; got "text".',
    );
    expect(() => new gr.Textbox({ value: () => "x", every: 1 })).toThrow(
      "Textbox: a value computed from inputs or every is registered with a Blocks: make the component in a Blocks' build, not in a handler or outside a build.",
    );
    const elsewhere = new gr.Blocks(() => void new gr.Number()).blocks[0] as gr.Number;
    expect(() => new gr.Blocks(() => void new gr.Number({ value: (x: number) => x, inputs: elsewhere }))).toThrow(/^Number #0's value: Number #0 is not part of the Blocks being built/);
    const demo = new gr.Blocks(() => {
      const n = new gr.Number({ value: 1 });
      gr.render([n], () => void new gr.Textbox({ value: () => "x", every: 1 }));
    });
    const s = await demo.launch({ showError: true }).connect();
    await s.idle();
    expect(s.messages.filter((m) => m.type === "error").map((m) => (m as gr.AlertMessage).message).join("\n")).toMatch(
      /Textbox: a value computed from inputs or every is registered with a Blocks: make the component in a Blocks' build, not in a gr\.render function\./,
    );
  });
});

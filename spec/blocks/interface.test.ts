import * as gr from "blockstate";

describe("Interface live (Gradio's live: true)", () => {
  function adder(live: boolean) {
    return new gr.Interface({ fn: (a: number | null, b: number | null) => (a ?? 0) + (b ?? 0), inputs: ["number", "number"], outputs: "number", live });
  }

  it("runs on every input change, with no Submit click, and hides the Submit button", async () => {
    const demo = adder(true);
    const s = await demo.launch().connect();
    const [a, b] = demo.inputComponents as gr.Number[];
    await s.input(a, 2);
    expect(s.get(demo.outputComponents[0])).toBe(2);
    await s.input(b, 3);
    expect(s.get(demo.outputComponents[0])).toBe(5);
    expect(s.props(demo.submitButton).visible).toBe(false);
    expect(demo.dependencies[0].options.triggerMode).toBe("always_last");
    await s.input(a, 10);
    await s.submit(a); // Enter and the hidden button run nothing more, as in Gradio's live mode
    await s.click(demo.submitButton);
    expect(demo.dependencies[0].triggers.map((t) => t.event)).toEqual(["change", "change"]);
  });

  it("without live, Enter in any input with a submit event runs it (a Number too), as Gradio's", async () => {
    const demo = adder(false);
    const s = await demo.launch().connect();
    const [a] = demo.inputComponents as gr.Number[];
    await s.input(a, 4);
    await s.submit(a);
    expect(s.get(demo.outputComponents[0])).toBe(4);
  });

  it("without live, an input change runs nothing until Submit", async () => {
    const demo = adder(false);
    const s = await demo.launch().connect();
    await s.input(demo.inputComponents[0] as gr.Number, 2);
    expect(s.get(demo.outputComponents[0])).toBeNull();
    await s.click(demo.submitButton);
    expect(s.get(demo.outputComponents[0])).toBe(2);
    expect(s.props(demo.submitButton).visible).toBeUndefined();
  });

  it("does not re-run on its own State output, and runs on load when no input has a change event", async () => {
    let runs = 0;
    const counter = new gr.Interface({
      fn: (text: string, n: number | null) => [`${text}:${(n ?? 0) + 1}`, (n ?? 0) + 1],
      inputs: ["text", "state"],
      outputs: ["text", "state"],
      live: true,
    });
    const s = await counter.launch().connect();
    await s.input(counter.inputComponents[0] as gr.Textbox, "x");
    expect(s.get(counter.outputComponents[0])).toBe("x:1");
    const clock = new gr.Interface({ fn: () => `run ${++runs}`, outputs: "text", live: true });
    const t = await clock.launch().connect();
    expect(t.get(clock.outputComponents[0])).toBe("run 1");
    expect(t.props(clock.submitButton).visible).toBeUndefined(); // shown, as Gradio's output-only interfaces
    await t.click(clock.submitButton);
    expect(t.get(clock.outputComponents[0])).toBe("run 2");
  });
});

describe("Interface options", () => {
  it("refuses unknown options with the nearest name, and a live that is not a boolean", () => {
    expect(() => new gr.Interface({ fn: () => 1, inputs: "text", outputs: "text", lve: true } as never)).toThrow(
      /^Interface: unknown option "lve" \(did you mean "live"\?\); the options are fn, inputs, outputs, submitBtn, live, listener, title, /,
    );
    expect(() => new gr.Interface({ fn: () => 1, outputs: "text", submit_btn: "Go" } as never)).toThrow(/unknown option "submit_btn" \(did you mean "submitBtn"\?\)/);
    expect(() => new gr.Interface({ fn: () => 1, outputs: "text", live: "yes" } as never)).toThrow('Interface: live must be true or false; got "yes".');
    expect(() => new gr.Interface({ fn: () => 1, outputs: "text", title: "T", description: "D", theme: "soft", css: "" })).not.toThrow();
  });

  it("checks listener's options by name: they cannot replace the Interface's fn, inputs, outputs or triggers", async () => {
    const base = { fn: (a: string) => `${a}!`, inputs: "text", outputs: "text" } as const;
    for (const name of ["fn", "inputs", "outputs", "triggers"]) {
      expect(() => new gr.Interface({ ...base, listener: { [name]: [] } as never })).toThrow(new RegExp(`^Interface: listener: unknown option "${name}"`));
    }
    expect(() => new gr.Interface({ ...base, listener: "x" as never })).toThrow('Interface: listener: options must be an object; got "x".');
    const demo = new gr.Interface({ ...base, listener: { apiName: "shout", concurrencyLimit: 2 } });
    expect(demo.dependencies[0]).toMatchObject({ apiName: "shout", options: { concurrencyLimit: 2 } });
  });

  it("a construction that fails keeps none of the components it was given: a retry can use them", () => {
    const box = new gr.Textbox({ label: "Name" });
    expect(() => new gr.Interface({ fn: (a: string) => a, inputs: [box, "txt" as never], outputs: "text" })).toThrow(/unknown shortcut "txt"/);
    expect(() => new gr.Interface({ fn: (a: string) => a, inputs: [box, "text"], outputs: "text" })).not.toThrow();
    const slider = new gr.Slider({ label: "T" });
    expect(() => new gr.ChatInterface({ fn: () => "x", additionalInputs: [slider, "txt" as never] })).toThrow(/unknown shortcut "txt"/);
    expect(() => new gr.ChatInterface({ fn: () => "x", additionalInputs: [slider, "text"] })).not.toThrow();
  });

  it("needs inputs or outputs, as Gradio's Interface does", () => {
    expect(() => new gr.Interface({ fn: () => 1 })).toThrow("Interface: it needs inputs or outputs (or both), as Gradio's Interface does.");
  });
});

describe("listener names (apiName)", () => {
  it("a blank apiName is none: the function's name, as Gradio strips it", () => {
    const demo = new gr.Blocks(() => {
      new gr.Button().click(function greet() {
        return 1;
      }, undefined, undefined, { apiName: "  " });
    });
    expect(demo.dependencies[0].apiName).toBe("greet");
  });
});

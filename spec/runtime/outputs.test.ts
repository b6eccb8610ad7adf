import * as gr from "blockstate";
import type { Component } from "blockstate/blocks";

/** One output and a primitive result: the scheduler writes it without a write record (S32-S34, S50-S53). */
describe("a primitive returned for a listener's one output", () => {
  function app(fn: (n: number | null) => unknown) {
    let num!: InstanceType<typeof gr.Number>, state!: gr.State<unknown>, btn!: gr.Button, clear!: gr.Button;
    const changes: unknown[] = [];
    const demo = new gr.Blocks(() => {
      num = new gr.Number({ value: 1 });
      state = new gr.State<unknown>("start");
      btn = new gr.Button("Go");
      clear = new gr.Button("Clear");
      btn.click(fn, num, num, { apiName: "go" });
      num.change((n) => void changes.push(n), num);
      clear.click(() => undefined, undefined, state);
    });
    return { demo, num, state, btn, clear, changes };
  }

  it("is written and reported as a change once (S50, S53); session.call answers it", async () => {
    const { demo, num, btn, changes } = app((n) => n! + 1);
    const session = await demo.launch().connect();
    expect(await session.click(btn)).toEqual({ status: "complete" });
    expect(session.get(num)).toBe(2);
    expect(changes).toEqual([2]);
    expect(await session.call("go", 5)).toEqual([6]);
    expect(changes).toEqual([2, 6]);
  });

  it("is no change when equal to the value held (S52): no .change run", async () => {
    const { demo, num, btn, changes } = app((n) => n);
    const session = await demo.launch().connect();
    expect(await session.click(btn)).toEqual({ status: "complete" });
    expect(session.get(num)).toBe(1);
    expect(changes).toEqual([]);
  });

  it("undefined writes null (S32)", async () => {
    const { demo, state, clear } = app((n) => n);
    const session = await demo.launch().connect();
    expect(await session.click(clear)).toEqual({ status: "complete" });
    expect(session.get(state)).toBeNull();
  });

  it("a value the component rejects fails the run naming the listener and the output, and writes nothing (S34)", async () => {
    const { demo, num, btn, changes } = app(() => "not a number");
    const session = await demo.launch().connect();
    const result = await session.click(btn);
    expect(result.status).toBe("error");
    expect(result.error).toBeInstanceOf(gr.EventError);
    expect((result.error as gr.EventError).code).toBe("invalid_output");
    expect(result.error!.message).toMatch(/returned an invalid value for .*"not a number"/);
    expect(session.get(num)).toBe(1);
    expect(changes).toEqual([]);
  });
});

/** Prop values of updates: the rule each component class's constructor applies (S33, S34, S74). */
describe("an update's prop values", () => {
  it("a prop given as undefined is not set, as in a constructor: the prop and its check stay", async () => {
    let sl!: gr.Slider, cb!: gr.CheckboxGroup, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      sl = new gr.Slider({ minimum: 0, maximum: 10, label: "S" });
      cb = new gr.CheckboxGroup({ choices: ["a", "b"], value: ["a"], label: "C" });
      btn = new gr.Button("Go");
      const config: { max?: number; choices?: string[] } = {};
      btn.click(() => [gr.update({ maximum: config.max, label: "S2" }), gr.update({ choices: config.choices })], undefined, [sl, cb]);
    });
    const s = await demo.launch().connect();
    expect(await s.click(btn)).toEqual({ status: "complete" });
    expect([s.props(sl).maximum, s.props(sl).label, s.props(cb).choices]).toEqual([10, "S2", ["a", "b"]]);
    expect((await s.input(sl, 1e9)).status).toBe("error");
    expect(await s.input(cb, ["b"])).toEqual({ status: "complete" });
  });

  it("a component made in a handler is checked on the props it was given; the merged props as an update (S33)", async () => {
    let level!: gr.Slider, raise!: gr.Button, lower!: gr.Button, past!: gr.Button;
    const demo = new gr.Blocks(() => {
      level = new gr.Slider({ minimum: 0, maximum: 200, value: 160, label: "Level" });
      raise = new gr.Button("Raise");
      lower = new gr.Button("Lower");
      past = new gr.Button("Past");
      raise.click(() => new gr.Slider({ minimum: 150 }), undefined, level); // Gradio: return gr.Slider(minimum=150)
      lower.click(() => new gr.Slider({ maximum: -5 }), undefined, level);
      past.click(() => new gr.Slider({ minimum: 300, value: 300 }), undefined, level);
    });
    const s = await demo.launch().connect();
    expect(await s.click(raise)).toEqual({ status: "complete" });
    expect(s.props(level)).toMatchObject({ minimum: 150, maximum: 200 });
    expect(s.get(level)).toBe(160);
    const result = await s.click(past);
    expect(result.status).toBe("error");
    expect((result.error as gr.EventError).code).toBe("invalid_output");
    expect(result.error!.message).toMatch(/^listener .* returned an update of Slider "Level" with an invalid prop: minimum 300 must be less than maximum 200\.$/);
    expect([s.get(level), s.props(level).minimum]).toEqual([160, 150]);
    const other = await demo.launch().connect(); // the template's range, -5 below its minimum 0
    expect(await other.click(lower)).toMatchObject({ status: "error", error: { code: "invalid_output" } });
    expect(other.props(level)).toMatchObject({ minimum: 0, maximum: 200 });
  });

  it.each<[string, () => Component<any>, Record<string, unknown>, RegExp]>([
    ["Dropdown choices text", () => new gr.Dropdown({ choices: ["a", "b"], label: "C" }), { choices: "abc", value: "a" }, /choices must be an array; got a string/],
    ["Dropdown choices [{}]", () => new gr.Dropdown({ choices: ["a", "b"], label: "C" }), { choices: [{}] }, /choices\[0\] must be a string, a number or a \[label, value\] pair; got an object/],
    ["Slider minimum above the current maximum", () => new gr.Slider({ maximum: 10, label: "C" }), { minimum: 50 }, /minimum 50 must be less than maximum 10/],
    ["Slider step -1", () => new gr.Slider({ label: "C" }), { step: -1 }, /step must be greater than 0; got -1/],
    ["Slider maximum text", () => new gr.Slider({ label: "C" }), { maximum: "big" }, /maximum must be a finite number; got "big"/],
    ["CheckboxGroup choices null", () => new gr.CheckboxGroup({ choices: ["x"], label: "C" }), { choices: null, value: [] }, /choices must be an array; got null/],
    ["Timer active text", () => new gr.Timer(1, { active: false, label: "C" }), { active: "no" }, /active must be true or false; got "no"/],
    ["Textbox visible text", () => new gr.Textbox({ label: "C" }), { visible: "false", value: "x" }, /visible must be true, false or "hidden"; got "false"/],
    ["Textbox maxLength -1", () => new gr.Textbox({ label: "C" }), { maxLength: -1 }, /maxLength must be a whole number \(0 or more\) or null; got -1/],
    ["Number precision NaN", () => new gr.Number({ label: "C", value: 1 }), { precision: NaN, value: 5 }, /precision must be a whole number of decimal places \(0 or more\) or null; got NaN/],
    ["Number minimum above maximum", () => new gr.Number({ label: "C", maximum: 0 }), { minimum: 1 }, /minimum 1 is greater than maximum 0/],
  ])("a bad one (%s) fails the run with invalid_output naming the listener, the component and the prop; nothing is written (S34, S74)", async (_name, make, changes, reason) => {
    let target!: Component<any>, mark!: gr.State<string>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      target = make();
      mark = new gr.State("before");
      btn = new gr.Button("Go");
      btn.click(() => ["after", gr.update(changes)], undefined, [mark, target]);
    });
    const s = await demo.launch().connect();
    const [props, value] = [s.props(target), s.get(target)];
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect((result.error as gr.EventError).code).toBe("invalid_output");
    expect(result.error!.message).toMatch(/^listener #\d+ \(Button #\d+\.click\) returned an update of \w+ "C" with an invalid prop: /);
    expect(result.error!.message).toMatch(reason);
    expect([s.get(mark), s.get(target), s.props(target)]).toEqual(["before", value, props]);
  });

  it("good ones are checked on the merged props and written", async () => {
    let level!: gr.Slider, num!: gr.Number, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      level = new gr.Slider({ minimum: 0, maximum: 10 });
      num = new gr.Number({ value: 1 });
      btn = new gr.Button("Go");
      btn.click(() => [gr.update({ maximum: 100, minimum: 50, value: 60 }), gr.update({ precision: 1, value: 2.25 })], undefined, [level, num]);
    });
    const s = await demo.launch().connect();
    expect(await s.click(btn)).toEqual({ status: "complete" });
    expect([s.props(level), s.get(level)]).toEqual([expect.objectContaining({ minimum: 50, maximum: 100 }), 60]);
    expect([s.props(num).precision, s.get(num)]).toEqual([1, 2.2]);
  });
});

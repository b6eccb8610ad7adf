import * as gr from "blockstate";

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

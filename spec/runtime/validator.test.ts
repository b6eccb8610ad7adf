/**
 * Gradio's `validator=` (ListenerOptions.validator) and `gr.validate(isValid, message)`.
 */
import * as gr from "blockstate";

/** A greeting app whose listener validates its two inputs; `log` records what ran. */
function greeter(validator: (n: string, a: number | null, ctx: gr.EventContext) => unknown, options: gr.ListenerOptions = {}) {
  const log: string[] = [];
  let name!: gr.Textbox, age!: gr.Number, out!: gr.Textbox, btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    name = new gr.Textbox({ label: "Name" });
    age = new gr.Number({ label: "Age", value: 30 });
    out = new gr.Textbox({ label: "Out" });
    btn = new gr.Button("Greet");
    btn
      .click(
        (n: string, a: number | null) => {
          log.push(`greet ${n}`);
          return `Hello ${n} (${a})`;
        },
        [name, age],
        out,
        { ...options, validator, apiName: "greet" },
      )
      .then(() => void log.push("then"))
      .failure(() => void log.push("failure"));
  });
  return { demo, name, age, out, btn, log };
}

const byInput = (n: string, a: number | null) => [gr.validate(n.trim() !== "", "Enter a name"), gr.validate((a ?? 0) >= 18, "Must be 18 or older")];

describe("validator= (Gradio's validator and gr.validate)", () => {
  it("runs the listener when every input is valid", async () => {
    const { demo, name, out, btn, log } = greeter(byInput);
    const s = await demo.launch().connect();
    await s.input(name, "Ada");
    expect(await s.click(btn)).toEqual({ status: "complete" });
    expect(s.get(out)).toBe("Hello Ada (30)");
    expect(log).toEqual(["greet Ada", "then"]);
  });

  it("does not run the listener, nor anything chained to it, when an input is refused; the event fails naming each refused input", async () => {
    const { demo, age, out, btn, log } = greeter(byInput);
    const s = await demo.launch().connect();
    await s.input(age, 12);
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect(result.error).toBeInstanceOf(gr.EventError);
    expect(result.error).toMatchObject({ code: "invalid_input" });
    expect(result.error!.message).toBe('listener "greet" did not run: its validator refused Textbox "Name": Enter a name; Number "Age": Must be 18 or older.');
    expect(s.get(out)).toBe("");
    expect(log).toEqual([]); // no .then, no .failure: Gradio's page starts neither
    expect(s.messages.at(-1)).toMatchObject({ type: "error", message: result.error!.message });
    // Each refused input by id, for a renderer to show on it (as Gradio's page does).
    const inputs = [
      { id: demo.blocks.find((b) => b instanceof gr.Textbox && b.props.label === "Name")!.id, message: "Enter a name" },
      { id: age.id, message: "Must be 18 or older" },
    ];
    expect((result.error as gr.EventError).inputs).toEqual(inputs);
    expect(s.messages.filter((m) => m.type === "error").at(-1)).toMatchObject({ inputs });
  });

  it("takes one verdict for all inputs, a promise, and nothing (valid); gets the event context after the inputs", async () => {
    const seen: unknown[] = [];
    const one = greeter((n: string) => gr.validate(n === "ok", "Say ok"));
    const s1 = await one.demo.launch().connect();
    expect((await s1.click(one.btn)).error?.message).toBe('listener "greet" did not run: its validator refused its inputs: Say ok.');
    const later = greeter(async (n: string, _a: number | null, ctx: gr.EventContext) => {
      seen.push(ctx.target);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [undefined, gr.validate(n === "", "late")];
    });
    const s2 = await later.demo.launch().connect();
    expect((await s2.click(later.btn)).status).toBe("complete"); // its answer for the first input is no verdict
    expect(seen).toEqual([later.btn]);
    const nothing = greeter(() => undefined);
    const s3 = await nothing.demo.launch().connect();
    expect((await s3.click(nothing.btn)).status).toBe("complete");
  });

  it("a validator that throws fails the event, naming the listener; a gr.Error is shown as it is", async () => {
    const throws = greeter(() => {
      throw new Error("boom");
    });
    const s = await throws.demo.launch().connect();
    const result = await s.click(throws.btn);
    expect(result).toMatchObject({ status: "error", error: { message: 'The validator of listener "greet" failed: boom' } });
    expect(throws.log).toEqual([]);
    const appError = greeter(async () => {
      throw new gr.Error("Not now", { title: "Closed" });
    });
    const s2 = await appError.demo.launch().connect();
    expect(await s2.click(appError.btn)).toMatchObject({ status: "error", error: { message: "Not now", title: "Closed" } });
  });

  it("judges the values the listener then gets: read when the run starts, after its queue (S31, S60)", async () => {
    let release!: () => void;
    const handled: string[] = [];
    let name!: gr.Textbox, slow!: gr.Button, greet!: gr.Button;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ value: "Ada" });
      slow = new gr.Button("Slow");
      greet = new gr.Button("Greet");
      slow.click(() => new Promise<void>((resolve) => (release = resolve)), undefined, undefined, { concurrencyId: "one", concurrencyLimit: 1 });
      greet.click((n: string) => void handled.push(n), name, undefined, {
        concurrencyId: "one",
        validator: (n: string) => gr.validate(n !== "", "Enter a name"),
      });
    });
    const s = await demo.launch().connect();
    const first = s.click(slow);
    const event = s.click(greet); // waits for the slot
    await s.input(name, ""); // edited meanwhile
    release();
    await first;
    expect((await event).error?.message).toMatch(/its validator refused its inputs: Enter a name/);
    expect(handled).toEqual([]);
  });

  it("judges a Global under its lock (S8): a second buyer of the last item is refused", async () => {
    let stock!: gr.Global<number>, buy!: gr.Button;
    const sold: number[] = [];
    const demo = new gr.Blocks(() => {
      stock = new gr.Global(1);
      buy = new gr.Button("Buy");
      buy.click(
        async (n: number) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          sold.push(n);
          return n - 1;
        },
        stock,
        stock,
        { validator: (n: number) => gr.validate(n > 0, "Sold out") },
      );
    });
    const app = demo.launch();
    const [a, b] = [await app.connect(), await app.connect()];
    const results = await Promise.all([a.click(buy), b.click(buy)]);
    expect(results.map((r) => r.status)).toEqual(["complete", "error"]);
    expect(sold).toEqual([1]);
    expect(app.get(stock)).toBe(0);
  });

  it("is not called for a run the full queue refuses (S62); one that never answers is cancelled by the time limit (S39)", async () => {
    let calls = 0;
    let release!: () => void;
    let x!: gr.Textbox, busy!: gr.Button, go!: gr.Button, slow!: gr.Button;
    const demo = new gr.Blocks(() => {
      x = new gr.Textbox({ value: "v" });
      busy = new gr.Button("Busy");
      go = new gr.Button("Go");
      slow = new gr.Button("Slow");
      busy.click(() => new Promise<void>((resolve) => (release = resolve)), undefined, undefined, { concurrencyId: "g", concurrencyLimit: 1 });
      go.click(() => undefined, x, undefined, { concurrencyId: "g", validator: () => void calls++ });
      slow.click(() => undefined, x, undefined, { validator: () => new Promise(() => undefined), timeLimit: 0.05 });
    });
    const app = demo.launch({ maxQueueSize: 0 });
    const s = await app.connect();
    const held = s.click(busy);
    expect((await s.click(go)).error).toMatchObject({ code: "queue_full" });
    expect(calls).toBe(0);
    release();
    await held;
    // A validator that never answers: the run's time limit cancels it, as a handler's would.
    expect(await s.click(slow)).toMatchObject({ status: "cancelled", error: { code: "time_limit" } });
  });

  it("gets the event context as the listener does: after a Set's Map, and decided per listener for a shared validator", async () => {
    const seen: unknown[] = [];
    function check(_first: unknown, second?: unknown) {
      seen.push(second === undefined ? "none" : second instanceof Map ? "map" : typeof second === "object" && second !== null && "sessionHash" in second ? "ctx" : second);
    }
    let a!: gr.Textbox, b!: gr.Textbox, one!: gr.Button, two!: gr.Button, three!: gr.Button;
    const demo = new gr.Blocks(() => {
      a = new gr.Textbox({ value: "a" });
      b = new gr.Textbox({ value: "b" });
      one = new gr.Button("One");
      two = new gr.Button("Two");
      three = new gr.Button("Three");
      two.click(() => undefined, [a, b], undefined, { validator: check });
      one.click(() => undefined, [a], undefined, { validator: check });
      three.click((_values: Map<gr.AnyCell, unknown>) => undefined, new Set([a, b]), undefined, { validator: check });
    });
    const s = await demo.launch().connect();
    await s.click(two);
    await s.click(one);
    await s.click(three);
    expect(seen).toEqual(["b", "ctx", "ctx"]);
  });

  it("applies to API calls too, and refuses a validator that is not a function, and bad gr.validate arguments", async () => {
    const { demo, log } = greeter(byInput);
    const s = await demo.launch().connect();
    await expect(s.call("greet", "", 40)).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining('Textbox "Name": Enter a name') });
    expect(await s.call("greet", "Bo", 40)).toEqual(["Hello Bo (40)"]);
    expect(log).toEqual(["greet Bo", "then"]);
    expect(() => new gr.Blocks(() => void new gr.Button().click(() => 1, undefined, undefined, { validator: "no" as never }))).toThrow(/validator must be a function; got "no"/);
    expect(() => gr.validate("yes" as never, "m")).toThrow(/isValid must be true or false; got "yes"/);
    expect(() => gr.validate(false, 3 as never)).toThrow(/message must be a string; got 3/);
  });

  it("an answer that cannot be read fails the event; a huge one is read only as far as the inputs", async () => {
    const hostile = greeter(() => new Proxy([], { get: () => { throw new Error("trap"); } }));
    const s = await hostile.demo.launch().connect();
    const result = await s.click(hostile.btn);
    expect(result.status).toBe("error");
    expect(result.error!.message).toBe('The validator of listener "greet" failed: trap');
    const huge = greeter(() => Object.assign(new Array(10_000_000), { 0: gr.validate(true, ""), 1: gr.validate(true, "") }));
    const s2 = await huge.demo.launch().connect();
    expect((await s2.click(huge.btn)).status).toBe("complete");
  });
});

describe("the validator option's type", () => {
  it("is the listener's signature, from its inputs, in each registration form (checked by tsc)", () => {
    const build = () =>
      new gr.Blocks(() => {
        const name = new gr.Textbox();
        const age = new gr.Number();
        const btn = new gr.Button();
        btn.click((n) => n, [name, age], undefined, { validator: (n, a) => [gr.validate(n.length > 0, "name"), gr.validate((a ?? 0) > 0, "age")] });
        btn.click((n) => n, [name, age], undefined, { validator: (n: string) => gr.validate(n !== "", "name") }); // fewer parameters
        btn.click({ fn: (n: string) => n, inputs: [name], validator: (n: string, ctx: gr.EventContext) => gr.validate(n !== ctx.sessionHash, "") });
        gr.on([btn.click], (n) => n, [name], undefined, { validator: (_n: string) => undefined });
        // @ts-expect-error the second input is a Number: its value is not a string
        btn.click((n) => n, [name, age], undefined, { validator: (n: number, a: string) => [n, a] });
        // @ts-expect-error an unannotated parameter is the input's type: a string has no such method
        btn.click((n) => n, [name], undefined, { validator: (n) => n.noSuchMethod() });
        // @ts-expect-error the object form types it from the same inputs
        btn.click({ fn: (n: string) => n, inputs: [name], validator: (n: number) => n });
      });
    expect(build).not.toThrow();
  });
});

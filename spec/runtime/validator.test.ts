/**
 * Gradio's `validator=` (ListenerOptions.validator) and `gr.validate(isValid, message)`.
 */
import * as gr from "blockstate";

/** A greeting app whose listener validates its two inputs; `log` records what ran. */
function greeter(validator: (...args: never[]) => unknown, options: gr.ListenerOptions = {}) {
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
  });

  it("takes one verdict for all inputs, a promise, and nothing (valid); gets the event context after the inputs", async () => {
    const seen: unknown[] = [];
    const one = greeter((n: string) => gr.validate(n === "ok", "Say ok"));
    const s1 = await one.demo.launch().connect();
    expect((await s1.click(one.btn)).error?.message).toBe('listener "greet" did not run: its validator refused its inputs: Say ok.');
    const later = greeter(async (n: string, _a: number, ctx: gr.EventContext) => {
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

  it("runs before the run waits in its queue (S60), and a cancelled event waiting for its validator ends cancelled", async () => {
    let release!: () => void;
    const validated: string[] = [];
    const { demo, name, btn, log } = greeter(async (n: string) => {
      validated.push(n);
      if (n === "slow") await new Promise<void>((resolve) => (release = resolve));
    }, { concurrencyLimit: 1 });
    const app = demo.launch();
    const [a, b] = [await app.connect(), await app.connect()];
    await a.input(name, "slow");
    await b.input(name, "quick");
    const first = a.click(btn);
    const second = b.click(btn); // not held up by a's validator: validators are not queued
    expect(await second).toEqual({ status: "complete" });
    expect(validated).toEqual(["slow", "quick"]);
    await a.close(); // cancels a's run while its validator is pending
    expect((await first).status).toBe("cancelled");
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual(["greet quick", "then"]);
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

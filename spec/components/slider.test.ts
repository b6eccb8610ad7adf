import { Slider } from "../../src/components/slider";
import { accept, constructionError, rejection } from "./helpers";

describe("Slider", () => {
  it("is Gradio's slider with its events and default range", () => {
    const s = new Slider();
    expect(s.type).toBe("slider");
    expect(Slider.events).toEqual(["change", "input", "release"]);
    expect(typeof s.release).toBe("function");
    expect(s.props).toMatchObject({ minimum: 0, maximum: 100, step: 1 });
  });

  it("starts at minimum unless a value is given", () => {
    expect(new Slider({ minimum: 5, maximum: 10 }).value).toBe(5);
    expect(new Slider({ minimum: 5, maximum: 10, value: 7 }).value).toBe(7);
  });

  it("parses numeric text and keeps numbers in range", () => {
    const s = new Slider();
    expect(accept(s, "42")).toBe(42);
    expect(accept(s, 0.5)).toBe(0.5);
    expect(accept(s, 100)).toBe(100);
  });

  it("turns null into the current minimum", () => {
    const s = new Slider({ minimum: 3, maximum: 9 });
    expect(accept(s, null)).toBe(3);
    expect(accept(s, undefined, { ...s.props, minimum: 4 })).toBe(4);
  });

  it("rejects values out of range, naming the bound", () => {
    const s = new Slider({ minimum: 1, maximum: 10 });
    expect(rejection(s, 0)).toBe("0 is below the minimum 1");
    expect(rejection(s, "11")).toBe("11 is above the maximum 10");
  });

  it("rejects non-numeric text, NaN and other types", () => {
    const s = new Slider();
    expect(rejection(s, "many")).toBe("text is not a number");
    expect(rejection(s, "")).toBe("text is not a number");
    expect(rejection(s, NaN)).toBe("NaN is not a number");
    expect(rejection(s, [1])).toBe("object is not a number");
  });

  it("checks against the props it is given (per-session range)", () => {
    const s = new Slider({ maximum: 10 });
    expect(accept(s, 50, { ...s.props, maximum: 100 })).toBe(50);
    expect(rejection(s, 5, { ...s.props, maximum: 2 })).toBe("5 is above the maximum 2");
  });

  it("throws a TypeError for an initial value out of range", () => {
    expect(constructionError(() => new Slider({ label: "Level", maximum: 10, value: 11 }))).toBe(
      'Slider "Level": invalid initial value: 11 is above the maximum 10',
    );
  });

  it("throws a TypeError for an impossible range or step", () => {
    expect(constructionError(() => new Slider({ minimum: 10, maximum: 5 }))).toBe("Slider: minimum 10 must be less than maximum 5.");
    expect(constructionError(() => new Slider({ step: 0 }))).toBe("Slider: step must be greater than 0; got 0.");
    expect(constructionError(() => new Slider({ minimum: null as unknown as number }))).toBe(
      "Slider: minimum must be a finite number; got null.",
    );
  });

  it("with randomize, starts each session at a random reachable step", () => {
    const s = new Slider({ minimum: 10, maximum: 20, step: 5, randomize: true });
    expect(s._isFactory).toBe(true);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(s._initialValue());
    expect([...seen].sort((a, b) => a - b)).toEqual([10, 15, 20]);
    expect(new Slider({ randomize: true, value: 3 }).value).toBe(3);
  });

  it("with randomize, rounds to the step's decimals as Gradio's _get_random_value does", () => {
    const random = jest.spyOn(Math, "random");
    try {
      random.mockReturnValue(0.35); // step 3 of 0..10: 3 * 0.1 is 0.30000000000000004
      expect(new Slider({ minimum: 0, maximum: 1, step: 0.1, randomize: true })._initialValue()).toBe(0.3);
      random.mockReturnValue(0.99); // step 3 of 0..3: 3 * 0.3 is 0.8999999999999999
      expect(new Slider({ minimum: 0, maximum: 1, step: 0.3, randomize: true })._initialValue()).toBe(0.9);
      random.mockReturnValue(0.25); // the minimum's decimals count too: 0.05 + 0.1, not 0.1
      expect(new Slider({ minimum: 0.05, maximum: 0.45, step: 0.1, randomize: true })._initialValue()).toBe(0.15);
      random.mockReturnValue(0.5);
      expect(new Slider({ minimum: 0, maximum: 1e-6, step: 1e-7, randomize: true })._initialValue()).toBe(5e-7);
    } finally {
      random.mockRestore();
    }
  });

  it("derives its default step from the range as Gradio does (10 ** floor(log10(range) - 2))", () => {
    expect(new Slider().props.step).toBe(1);
    expect(new Slider({ maximum: 1 }).props.step).toBe(0.01);
    expect(new Slider({ minimum: 0, maximum: 1000 }).props.step).toBe(10);
    expect(new Slider({ minimum: -5, maximum: 5 }).props.step).toBe(0.1);
    expect(new Slider({ maximum: 0.001 }).props.step).toBe(0.00001); // not 0.000009999999999999999
    expect(new Slider({ maximum: 1, step: 0.25 }).props.step).toBe(0.25);
  });

  it("with randomize over 0..1 and no step, starts at a hundredth (Gradio's step), not at 0 or 1 only", () => {
    const s = new Slider({ maximum: 1, randomize: true });
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) seen.add(s._initialValue());
    expect(seen.size).toBeGreaterThan(20);
    for (const v of seen) expect(Math.round(v * 100) / 100).toBe(v);
  });

  it("rounds values in and out to precision (Gradio's round_to_precision); 0 gives integers, never -0", () => {
    expect(accept(new Slider({ precision: 2 }), 3.14159)).toBe(3.14);
    expect(accept(new Slider({ precision: 2 }), "2.675")).toBe(2.67); // 2.675 is stored as 2.67499…
    const whole = new Slider({ minimum: -10, maximum: 10, precision: 0 });
    expect(accept(whole, 2.5)).toBe(2); // half to even, as Python's round
    expect(Object.is(accept(whole, -0.4), 0)).toBe(true);
    expect(accept(new Slider(), 0.123456)).toBe(0.123456);
    expect(constructionError(() => new Slider({ precision: 1.5 }))).toBe("Slider: precision must be a whole number of decimal places (0 or more) or null; got 1.5.");
  });

  it("never holds a value that rounding to precision takes out of the range (S34)", () => {
    const s = new Slider({ minimum: 0.5, maximum: 10, precision: 0 });
    expect(rejection(s, 0.5)).toBe("0.5 rounds to 0 at precision 0, outside the range 0.5 to 10");
    expect(accept(s, 0.6)).toBe(1);
    expect(accept(s, 9.5)).toBe(10); // half to even, still in range
  });

  it("refuses a range whose minimum equals its maximum, as Gradio's constructor does", () => {
    expect(constructionError(() => new Slider({ minimum: 5, maximum: 5 }))).toBe("Slider: minimum 5 must be less than maximum 5.");
  });

  it("throws a TypeError for props of the wrong type, naming the prop and the value", () => {
    expect(constructionError(() => new Slider({ label: "Level", maximum: "big" as never }))).toBe(
      'Slider "Level": maximum must be a finite number; got "big".',
    );
    expect(constructionError(() => new Slider({ step: -1 }))).toBe("Slider: step must be greater than 0; got -1.");
    expect(constructionError(() => new Slider({ randomize: "yes" as never }))).toBe('Slider: randomize must be true or false; got "yes".');
    expect(constructionError(() => new Slider({ visible: "false" as never }))).toBe('Slider: visible must be true, false or "hidden"; got "false".');
  });
});

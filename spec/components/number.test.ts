import { NumberBox, roundTo } from "../../src/components/number";
import { accept, constructionError, rejection } from "./helpers";

describe("NumberBox", () => {
  it("is Gradio's number with its events", () => {
    const n = new NumberBox();
    expect(n.type).toBe("number");
    expect(NumberBox.events).toEqual(["change", "input", "submit", "focus", "blur"]);
    expect(n.value).toBeNull();
  });

  it("never holds a value that rounding to precision takes out of its range (S34)", () => {
    const n = new NumberBox({ minimum: 0.5, precision: 0 });
    expect(rejection(n, 0.5)).toBe("0.5 rounds to 0 at precision 0, outside the range 0.5 to ∞");
    expect(accept(n, 2.5)).toBe(2);
  });

  it("with precision 0 holds integers as Python's int(round(n)) does: never -0, which S50 tells from 0", () => {
    const n = new NumberBox({ precision: 0 });
    expect(Object.is(accept(n, -0.2), 0)).toBe(true);
    expect(Object.is(accept(n, "-0"), 0)).toBe(true);
    expect(Object.is(accept(new NumberBox({ precision: 1 }), -0.01), -0)).toBe(true); // Python's round(-0.01, 1) is -0.0
  });

  it("parses numeric text and keeps numbers", () => {
    const n = new NumberBox();
    expect(accept(n, "3.5")).toBe(3.5);
    expect(accept(n, " -2 ")).toBe(-2);
    expect(accept(n, 7)).toBe(7);
  });

  it("reads null and empty text as empty (null)", () => {
    const n = new NumberBox();
    expect(accept(n, null)).toBeNull();
    expect(accept(n, "")).toBeNull();
  });

  it("rejects non-numeric text, NaN and other types", () => {
    const n = new NumberBox();
    expect(rejection(n, "abc")).toBe("text is not a number");
    expect(rejection(n, NaN)).toBe("NaN is not a number");
    expect(rejection(n, true)).toBe("boolean is not a number");
  });

  it("rounds to precision", () => {
    const whole = new NumberBox({ precision: 0 });
    expect(accept(whole, 2.6)).toBe(3);
    const cents = new NumberBox({ precision: 2 });
    expect(accept(cents, "1.23456")).toBe(1.23);
  });

  it("rejects values outside minimum and maximum, naming them", () => {
    const n = new NumberBox({ minimum: 0, maximum: 10 });
    expect(accept(n, 10)).toBe(10);
    expect(rejection(n, -1)).toBe("-1 is below the minimum 0");
    expect(rejection(n, "11")).toBe("11 is above the maximum 10");
  });

  it("checks against the props it is given (a session may have updated them)", () => {
    const n = new NumberBox({ maximum: 10 });
    expect(accept(n, 50, { ...n.props, maximum: 100 })).toBe(50);
    expect(rejection(n, 5, { ...n.props, maximum: 1 })).toBe("5 is above the maximum 1");
  });

  it("throws a TypeError for an invalid initial value", () => {
    expect(constructionError(() => new NumberBox({ label: "Age", value: 200, maximum: 120 }))).toBe(
      'Number "Age": invalid initial value: 200 is above the maximum 120',
    );
  });

  it("rounds the initial value too", () => {
    expect(new NumberBox({ value: 1.26, precision: 1 }).value).toBe(1.3);
  });

  it("rounds half to even on the exact value of the number, as Python's round", () => {
    const whole = new NumberBox({ precision: 0 });
    expect([2.5, -2.5, 0.5, 1.5, 3.5].map((n) => accept(whole, n))).toEqual([2, -2, 0, 2, 4]);
    const tenths = new NumberBox({ precision: 1 });
    expect(accept(tenths, 1.25)).toBe(1.2); // a tie: 1.25 is exact
    expect(accept(tenths, 0.15)).toBe(0.1); // 0.15 is stored as 0.1499…, below the tie (Python: 0.1)
    expect(accept(tenths, "4.35")).toBe(4.3); // 4.3499… (Python: 4.3)
    const cents = new NumberBox({ precision: 2 });
    expect([1.005, 2.675, 0.125].map((n) => accept(cents, n))).toEqual([1, 2.67, 0.12]);
  });

  it("rounds without overflow: a precision past what a number holds leaves it as it is", () => {
    expect(accept(new NumberBox({ precision: 2 }), 1e308)).toBe(1e308);
    expect(accept(new NumberBox({ precision: 2 }), -1.7e306)).toBe(-1.7e306);
    const fine = new NumberBox({ precision: 400 });
    expect([0, 5, 0.1, 5e-324].map((n) => accept(fine, n))).toEqual([0, 5, 0.1, 5e-324]);
    expect(roundTo(1e-300, 150)).toBe(0);
    expect(roundTo(123.456, 1e9)).toBe(123.456);
  });

  it("checks the range before rounding, as Gradio's preprocess does", () => {
    const n = new NumberBox({ minimum: 1, maximum: 10, precision: 0 });
    expect(rejection(n, 0.6)).toBe("0.6 is below the minimum 1");
    expect(rejection(n, 10.4)).toBe("10.4 is above the maximum 10");
    expect(accept(n, 9.6)).toBe(10);
  });

  it("takes as text only finite decimal numbers, and refuses infinite numbers", () => {
    const n = new NumberBox();
    for (const text of ["Infinity", "-Infinity", "1e400", "0x1F", "0b101", "0o7", "1_000", "1e", "."]) {
      expect(rejection(n, text)).toBe("text is not a number");
    }
    expect(["1e3", ".5", "+2", "5.", "-0.25e-1"].map((text) => accept(n, text))).toEqual([1000, 0.5, 2, 5, -0.025]);
    expect(rejection(n, Infinity)).toBe("Infinity is not a finite number");
    expect(rejection(n, -Infinity)).toBe("-Infinity is not a finite number");
  });

  it("throws a TypeError for an invalid precision, range or step", () => {
    expect(constructionError(() => new NumberBox({ minimum: 10, maximum: 0 }))).toBe("Number: minimum 10 is greater than maximum 0.");
    for (const precision of [-1, 1.5, NaN, "2"]) {
      expect(constructionError(() => new NumberBox({ label: "Cost", precision: precision as number }))).toMatch(
        /^Number "Cost": precision must be a whole number of decimal places \(0 or more\) or null; got /,
      );
    }
    expect(constructionError(() => new NumberBox({ minimum: NaN }))).toBe("Number: minimum must be a finite number or null; got NaN.");
    expect(constructionError(() => new NumberBox({ step: 0 }))).toBe("Number: step must be a finite number greater than 0; got 0.");
    expect(new NumberBox({ minimum: null, maximum: 5, precision: null }).props).toMatchObject({ maximum: 5 });
  });
});

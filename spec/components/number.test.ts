import { NumberBox } from "../../src/components/number";
import { accept, constructionError, rejection } from "./helpers";

describe("NumberBox", () => {
  it("is Gradio's number with its events", () => {
    const n = new NumberBox();
    expect(n.type).toBe("number");
    expect(NumberBox.events).toEqual(["change", "input", "submit", "focus", "blur"]);
    expect(n.value).toBeNull();
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
});

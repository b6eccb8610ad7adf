import { Timer } from "../../src/components/timer";
import { accept, constructionError, rejection } from "./helpers";

describe("Timer", () => {
  it("is Gradio's timer with only a tick event", () => {
    const t = new Timer(5);
    expect(t.type).toBe("timer");
    expect(Timer.events).toEqual(["tick"]);
    expect(typeof t.tick).toBe("function");
    expect((t as unknown as Record<string, unknown>).change).toBeUndefined();
  });

  it("holds its interval in seconds, 1 by default, and is active by default", () => {
    expect(new Timer().value).toBe(1);
    const t = new Timer(0.5, { active: false });
    expect(t.value).toBe(0.5);
    expect(t.props.active).toBe(false);
    expect(new Timer(2).props.active).toBe(true);
  });

  it("takes its props alone too, as Gradio's keyword arguments: new gr.Timer({ value: 2, active: false })", () => {
    const timer = new Timer({ value: 2, active: false });
    expect([timer.value, timer.props.active]).toEqual([2, false]);
    expect(new Timer({ active: false }).value).toBe(1);
  });

  it("accepts positive numbers and rejects the rest", () => {
    const t = new Timer();
    expect(accept(t, 3)).toBe(3);
    expect(rejection(t, 0)).toBe("a Timer's value is its interval in seconds, a number from 0.001 to 1e12; got 0");
    expect(rejection(t, -2)).toMatch(/got -2$/);
    expect(rejection(t, "2")).toMatch(/got "2"$/);
    expect(rejection(t, null)).toMatch(/got null$/);
    expect(rejection(t, Infinity)).toMatch(/got Infinity$/);
  });

  it("accepts intervals from 0.001 s (one millisecond) to 1e12 s and rejects shorter and longer ones", () => {
    const t = new Timer();
    expect(accept(t, 0.001)).toBe(0.001);
    expect(accept(t, 1e12)).toBe(1e12);
    // A shorter tick would re-arm at the same millisecond forever (a ManualClock never returns).
    expect(rejection(t, 1e-300)).toMatch(/from 0\.001 to 1e12; got 1e-300$/);
    expect(rejection(t, 0.0009)).toMatch(/got 0\.0009$/);
    expect(rejection(t, 1e12 + 1)).toMatch(/got 1000000000001$/);
  });

  it.each([
    [1e-300, /got 1e-300/],
    [1e13, /got 10000000000000/],
    [0, /got 0/],
    [-1, /got -1/],
    [NaN, /got NaN/],
    ["3", /got "3"/],
  ])("throws a TypeError at construction for the interval %p, naming it", (seconds, named) => {
    const message = constructionError(() => new Timer(seconds as number));
    expect(message).toMatch(/^Timer/);
    expect(message).toMatch(named);
  });

  it("throws a TypeError for a function interval rather than taking it as a factory", () => {
    expect(constructionError(() => new Timer((() => 2) as unknown as number))).toMatch(/got a function/);
  });

  it("throws a TypeError for a non-boolean active", () => {
    expect(constructionError(() => new Timer(1, { active: "yes" as unknown as boolean }))).toBe(
      'Timer: active must be true or false; got "yes".',
    );
  });
});

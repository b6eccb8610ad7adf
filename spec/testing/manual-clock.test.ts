import { ManualClock } from "blockstate/testing";

describe("ManualClock", () => {
  it("fires due timers in time order; a negative or NaN delay counts as 0", async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => void fired.push("b"), 20);
    clock.setTimeout(() => void fired.push("a"), 10);
    clock.setTimeout(() => void fired.push("now (NaN)"), Number.NaN);
    clock.setTimeout(() => void fired.push("now (-5)"), -5);
    const cancelled = clock.setTimeout(() => void fired.push("cancelled"), 15);
    clock.clearTimeout(cancelled);
    await clock.advance(0);
    expect(fired).toEqual(["now (NaN)", "now (-5)"]);
    await clock.advance(20);
    expect(fired).toEqual(["now (NaN)", "now (-5)", "a", "b"]);
    expect(clock.now()).toBe(20);
    expect(clock.pending).toBe(0);
  });

  it("never moves backwards: advance refuses a negative or non-finite ms", async () => {
    const clock = new ManualClock();
    await expect(clock.advance(-500)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(/finite number of milliseconds/);
    await expect(clock.advance(Infinity)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(0);
  });
});

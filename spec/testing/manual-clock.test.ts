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

  it("never moves backwards when two advances overlap", async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    // Work that takes a turn of the event loop: the first advance awaits it, the second ends meanwhile.
    clock.setTimeout(() => {
      seen.push(clock.now());
      return new Promise((resolve) => setImmediate(resolve));
    }, 500);
    clock.setTimeout(() => void seen.push(clock.now()), 700);
    const long = clock.advance(1000);
    const short = clock.advance(10).then(() => clock.now()); // starts while the first awaits
    const [, afterShort] = await Promise.all([long, short]);
    expect(afterShort).toBeGreaterThanOrEqual(500); // the first had reached 500 by then
    expect(seen).toEqual([500, 700]);
    expect(clock.now()).toBe(1000);
  });
});

describe("ManualClock durations", () => {
  it("honours delays past 2^31 - 1 ms (the platform's limit): a 30-day timer fires once, after 30 days", async () => {
    const clock = new ManualClock();
    const DAY = 86_400_000;
    let fired = 0;
    clock.setTimeout(() => void fired++, 30 * DAY);
    await clock.advance(2 ** 31);
    expect(fired).toBe(0);
    await clock.advance(30 * DAY - 2 ** 31 - 1);
    expect(fired).toBe(0);
    await clock.advance(1);
    expect(fired).toBe(1);
    await clock.advance(60 * DAY);
    expect(fired).toBe(1);
  });

  it("never fires an infinite delay", async () => {
    const clock = new ManualClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), Infinity);
    await clock.advance(Number.MAX_SAFE_INTEGER);
    expect(fired).toBe(false);
  });

  it("refuses to pass Number.MAX_SAFE_INTEGER ms, where 1 ms more no longer moves it", async () => {
    const clock = new ManualClock(Number.MAX_SAFE_INTEGER - 10);
    await expect(clock.advance(11)).rejects.toThrow(/Number\.MAX_SAFE_INTEGER/);
    expect(clock.now()).toBe(Number.MAX_SAFE_INTEGER - 10);
    await clock.advance(10);
    expect(clock.now()).toBe(Number.MAX_SAFE_INTEGER);
  });
});

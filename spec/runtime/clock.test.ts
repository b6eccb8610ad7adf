import * as gr from "blockstate";

const DAY = 86_400_000;

describe("realClock durations past the platform's 2^31 - 1 ms", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("fires a 30-day timeout once, after 30 days (the platform alone fires it after 1 ms)", () => {
    let fired = 0;
    gr.realClock.setTimeout(() => void fired++, 30 * DAY);
    jest.advanceTimersByTime(2 ** 31);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(30 * DAY - 2 ** 31 - 1);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(1);
    expect(fired).toBe(1);
    jest.advanceTimersByTime(60 * DAY);
    expect(fired).toBe(1);
  });

  it("cancels a long timeout with clearTimeout, in whichever step it is", () => {
    let fired = 0;
    const handle = gr.realClock.setTimeout(() => void fired++, 100 * DAY);
    jest.advanceTimersByTime(40 * DAY); // past the first step
    gr.realClock.clearTimeout(handle);
    jest.advanceTimersByTime(100 * DAY);
    expect(fired).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("keeps short timeouts as they were, and never fires an infinite one", () => {
    const fired: string[] = [];
    gr.realClock.setTimeout(() => void fired.push("short"), 5);
    const cancelled = gr.realClock.setTimeout(() => void fired.push("cancelled"), 5);
    gr.realClock.clearTimeout(cancelled);
    gr.realClock.setTimeout(() => void fired.push("never"), Infinity);
    jest.advanceTimersByTime(1000 * DAY);
    expect(fired).toEqual(["short"]);
  });
});

describe("engine timings of 30 days on the real clock", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("a 30-day Timer ticks after 30 days, not every millisecond; a 30-day TTL expires after 30 days", async () => {
    let timer!: gr.Timer, st!: gr.State<number>;
    let ticks = 0;
    const deleted: number[] = [];
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(30 * 86_400);
      st = new gr.State(7, { timeToLive: 30 * 86_400, deleteCallback: (v) => void deleted.push(v) });
      timer.tick(() => void ticks++);
    });
    const app = demo.launch();
    const s = await app.connect();
    s.get(st); // starts the TTL
    await jest.advanceTimersByTimeAsync(2 ** 31);
    expect(ticks).toBe(0);
    expect(deleted).toEqual([]);
    expect(jest.getTimerCount()).toBeLessThanOrEqual(2); // one pending step each, not a 1 ms re-arm loop
    await jest.advanceTimersByTimeAsync(30 * DAY - 2 ** 31 + 1);
    expect(ticks).toBe(1);
    expect(deleted).toEqual([7]);
    await app.close();
  });
});

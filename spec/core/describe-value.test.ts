import { describeValue } from "../../src/core/errors";

/** A proxy of `target` counting the properties read from it. */
function counted<T extends object>(target: T): { value: T; reads: () => number } {
  let reads = 0;
  const value = new Proxy(target, {
    get(t, key, receiver) {
      reads++;
      return Reflect.get(t, key, receiver) as unknown;
    },
  });
  return { value, reads: () => reads };
}

describe("describeValue", () => {
  it("prints small values as JSON", () => {
    const value = { a: 1, b: [1, "two", undefined, () => 3], c: undefined, d: { e: null }, f: new Date(0) };
    expect(describeValue(value)).toBe(JSON.stringify(value));
    expect(describeValue("hi")).toBe('"hi"');
    expect(describeValue(NaN)).toBe("NaN");
  });

  it("cuts to 200 characters (or max), ending in …", () => {
    const text = describeValue("x".repeat(1_000_000));
    expect(text).toBe(`"${"x".repeat(198)}…`);
    expect(describeValue(new Array(1_000_000).fill("Milk"))).toHaveLength(200);
    expect(describeValue({ ["k".repeat(1_000_000)]: 1 })).toHaveLength(200);
    expect(describeValue([1, 2, 3], 4)).toBe("[1,…");
  });

  it("reads only as much of a large array or object as it prints", () => {
    const array = counted(new Array(1_000_000).fill(7));
    expect(describeValue(array.value)).toMatch(/^\[7,7,.*…$/);
    expect(array.reads()).toBeLessThan(500);
    const record = counted(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, i])));
    expect(describeValue(record.value)).toMatch(/^\{"key0":0,.*…$/);
    expect(record.reads()).toBeLessThan(500);
  });

  it("prints what JSON.stringify refuses: cycles, bigints, and deep nesting only to the cut", () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('{"a":1,"self":[Circular]}');
    expect(describeValue([1n])).toBe("[1n]");
    // A bigint too long to print in full is printed as its size: its digits cost more than linear time.
    expect(describeValue(1n << (1n << 24n))).toBe("[a bigint of about 5050446 digits]");
    expect(describeValue({ n: -(10n ** 300n) })).toBe('{"n":[a bigint of about 301 digits]}');
    expect(describeValue(-(10n ** 150n))).toBe(`-1${"0".repeat(150)}n`);
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe(`${"[".repeat(199)}…`);
  });
});

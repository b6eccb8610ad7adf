import { Scratch } from "../../src/storage/scratch";

describe("Scratch", () => {
  it("hands out views of one reused buffer, growing to the largest request", () => {
    const scratch = new Scratch(1024);
    const a = scratch.take(10);
    a.fill(7);
    const b = scratch.take(4);
    expect(b.buffer).toBe(a.buffer); // the same memory again
    expect([...b]).toEqual([7, 7, 7, 7]); // not cleared: the user writes before reading
    const c = scratch.take(100);
    expect(c).toHaveLength(100);
    expect(c.buffer).not.toBe(a.buffer); // grew
    expect(scratch.take(50).buffer).toBe(c.buffer);
  });

  it("gives fresh memory above its limit and never grows past it", () => {
    const scratch = new Scratch(64);
    const big = scratch.take(65);
    expect(big).toHaveLength(65);
    expect(scratch.take(65).buffer).not.toBe(big.buffer);
    const small = scratch.take(40);
    expect(small.buffer.byteLength).toBeLessThanOrEqual(64);
    expect(scratch.take(64).buffer.byteLength).toBe(64);
  });
});

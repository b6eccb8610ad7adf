import { assertStorageLike, MemoryStorage } from "../../src/storage";

describe("MemoryStorage", () => {
  it("stores, replaces and removes strings", () => {
    const storage = new MemoryStorage();
    expect(storage.getItem("a")).toBeNull();
    storage.setItem("a", "1");
    storage.setItem("a", "2");
    expect(storage.getItem("a")).toBe("2");
    expect(storage.length).toBe(1);
    storage.removeItem("a");
    expect(storage.getItem("a")).toBeNull();
    expect(storage.length).toBe(0);
    storage.removeItem("a"); // removing a missing key is a no-op
    expect(storage.length).toBe(0);
  });

  it("coerces keys and values to strings like Web Storage", () => {
    const storage = new MemoryStorage();
    storage.setItem(1 as unknown as string, 2 as unknown as string);
    storage.setItem("n", null as unknown as string);
    expect(storage.getItem("1")).toBe("2");
    expect(storage.getItem("n")).toBe("null");
  });

  it("treats __proto__ as an ordinary key", () => {
    const storage = new MemoryStorage();
    storage.setItem("__proto__", "x");
    expect(storage.getItem("__proto__")).toBe("x");
    expect(storage.getItem("toString")).toBeNull();
  });

  it("lists keys and entries in insertion order and clears", () => {
    const storage = new MemoryStorage();
    storage.setItem("b", "1");
    storage.setItem("a", "2");
    expect([storage.key(0), storage.key(1), storage.key(2), storage.key(-1)]).toEqual([
      "b",
      "a",
      null,
      null,
    ]);
    expect([...storage.entries()]).toEqual([
      ["b", "1"],
      ["a", "2"],
    ]);
    storage.clear();
    expect(storage.length).toBe(0);
    expect(storage.getItem("b")).toBeNull();
    expect([...storage.entries()]).toEqual([]);
  });

  describe("quotaBytes", () => {
    it("throws a QuotaExceededError DOMException and keeps the old contents", () => {
      const storage = new MemoryStorage({ quotaBytes: 10 });
      storage.setItem("k", "123456789"); // 1 + 9 = 10: exactly at the quota
      let thrown: unknown;
      try {
        storage.setItem("k2", "x");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DOMException);
      expect((thrown as DOMException).name).toBe("QuotaExceededError");
      expect(storage.getItem("k2")).toBeNull();
      expect(storage.getItem("k")).toBe("123456789");
    });

    it("counts a replaced value only once", () => {
      const storage = new MemoryStorage({ quotaBytes: 10 });
      storage.setItem("k", "123456789");
      storage.setItem("k", "abcdefghi"); // same size, replaces
      expect(storage.getItem("k")).toBe("abcdefghi");
      expect(() => storage.setItem("k", "abcdefghij")).toThrow(
        expect.objectContaining({ name: "QuotaExceededError" }),
      );
      expect(storage.getItem("k")).toBe("abcdefghi");
    });

    it("frees space on removeItem and clear", () => {
      const storage = new MemoryStorage({ quotaBytes: 10 });
      storage.setItem("a", "123456789");
      storage.removeItem("a");
      storage.setItem("b", "123456789");
      storage.clear();
      storage.setItem("c", "123456789");
      expect(storage.getItem("c")).toBe("123456789");
    });

    it("counts UTF-16 code units", () => {
      const storage = new MemoryStorage({ quotaBytes: 3 });
      expect(() => storage.setItem("k", "🌍")).not.toThrow(); // 1 + 2
      expect(() => storage.setItem("j", "")).toThrow(
        expect.objectContaining({ name: "QuotaExceededError" }),
      );
    });

    it("rejects a negative or NaN quota", () => {
      expect(() => new MemoryStorage({ quotaBytes: -1 })).toThrow(RangeError);
      expect(() => new MemoryStorage({ quotaBytes: Number.NaN })).toThrow(RangeError);
    });
  });
});

describe("assertStorageLike", () => {
  const expected = "expected a Web Storage-like object with getItem, setItem and removeItem";
  const noop = (): void => undefined;

  it("accepts MemoryStorage and any object with the three methods", () => {
    expect(() => assertStorageLike(new MemoryStorage(), "connect({ storage })")).not.toThrow();
    const plain = { getItem: () => null, setItem: noop, removeItem: noop };
    expect(() => assertStorageLike(plain, "connect({ storage })")).not.toThrow();
  });

  it("names a single missing method", () => {
    expect(() =>
      assertStorageLike({ getItem: () => null, setItem: noop }, "connect({ storage })"),
    ).toThrow(
      new TypeError(`connect({ storage }): storage is missing removeItem(); ${expected}`),
    );
  });

  it("names every missing method, counting non-functions as missing", () => {
    expect(() => assertStorageLike({ setItem: "no" }, "here")).toThrow(
      new TypeError(`here: storage is missing getItem(), setItem() and removeItem(); ${expected}`),
    );
    expect(() => assertStorageLike({ getItem: noop }, "here")).toThrow(
      new TypeError(`here: storage is missing setItem() and removeItem(); ${expected}`),
    );
  });

  it("names non-objects", () => {
    expect(() => assertStorageLike(null, "here")).toThrow(
      new TypeError(`here: storage is null; ${expected}`),
    );
    expect(() => assertStorageLike("localStorage", "here")).toThrow(
      new TypeError(`here: storage is a string; ${expected}`),
    );
  });
});

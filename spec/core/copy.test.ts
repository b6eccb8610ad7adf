import { assertCopyable, deepCopy } from "../../src/core/copy";
import { MAX_VALUE_DEPTH, ValueTooDeep } from "../../src/core/errors";
import { clone } from "../../src/core/symbols";

class UserSession {
  visits = 0;
  tags = new Set<string>();
  greet(): string {
    return `visits: ${this.visits}`;
  }
}

describe("deepCopy", () => {
  it("returns primitives as they are", () => {
    expect(deepCopy(42)).toBe(42);
    expect(deepCopy("text")).toBe("text");
    expect(deepCopy(10n)).toBe(10n);
    expect(deepCopy(undefined)).toBeUndefined();
    expect(deepCopy(null)).toBeNull();
  });

  it("returns an independent copy of nested plain data", () => {
    const original = { history: [{ role: "user", content: "hi" }], count: 1 };
    const copy = deepCopy(original);
    expect(copy).toEqual(original);
    copy.history.push({ role: "assistant", content: "hello" });
    copy.history[0].content = "changed";
    copy.count = 2;
    expect(original).toEqual({ history: [{ role: "user", content: "hi" }], count: 1 });
  });

  it("keeps the prototype of user class instances (S3)", () => {
    const session = new UserSession();
    session.visits = 3;
    session.tags.add("new");
    const copy = deepCopy(session);
    expect(copy).toBeInstanceOf(UserSession);
    expect(copy).not.toBe(session);
    expect(copy.greet()).toBe("visits: 3");
    expect(copy.tags).not.toBe(session.tags);
    expect([...copy.tags]).toEqual(["new"]);
  });

  it("keeps the prototype of subclasses of built-ins, with their fields", () => {
    class Registry extends Map<string, number> {
      label = "registry";
    }
    const registry = new Registry([["a", 1]]);
    const copy = deepCopy(registry);
    expect(copy).toBeInstanceOf(Registry);
    expect(copy.get("a")).toBe(1);
    expect(copy.label).toBe("registry");
  });

  it("copies own symbol-keyed fields of class instances", () => {
    const key = Symbol("key");
    class Tagged {
      [key] = { n: 1 };
    }
    const original = new Tagged();
    const copy = deepCopy(original);
    expect(copy[key]).toEqual({ n: 1 });
    expect(copy[key]).not.toBe(original[key]);
  });

  it("does not call setters of the prototype when copying fields", () => {
    const setter = jest.fn();
    class Guarded {
      constructor() {
        // An own field shadowing the prototype's accessor, as a decorator library might do.
        Object.defineProperty(this, "value", { value: 1, enumerable: true, writable: true });
      }
      get value(): number {
        return 0;
      }
      set value(v: number) {
        setter(v);
      }
    }
    const copy = deepCopy(new Guarded());
    expect(setter).not.toHaveBeenCalled();
    expect(Object.getOwnPropertyDescriptor(copy, "value")?.value).toBe(1);
  });

  it("uses the [clone] method when an object has one", () => {
    class Resource {
      constructor(readonly id: number) {}
      [clone](): Resource {
        return new Resource(this.id + 100);
      }
    }
    const copy = deepCopy({ resource: new Resource(1) });
    expect(copy.resource).toBeInstanceOf(Resource);
    expect(copy.resource.id).toBe(101);
  });

  it("preserves cycles", () => {
    type Node = { name: string; self?: Node };
    const node: Node = { name: "a" };
    node.self = node;
    const copy = deepCopy(node);
    expect(copy).not.toBe(node);
    expect(copy.self).toBe(copy);
  });

  it("preserves shared references", () => {
    const shared = { n: 1 };
    const copy = deepCopy({ a: shared, b: shared });
    expect(copy.a).toBe(copy.b);
    expect(copy.a).not.toBe(shared);
  });

  it("copies Map keys and values", () => {
    const key = { id: 1 };
    const original = new Map([[key, { score: 5 }]]);
    const copy = deepCopy(original);
    const [[copiedKey, copiedValue]] = [...copy];
    expect(copiedKey).toEqual({ id: 1 });
    expect(copiedKey).not.toBe(key);
    expect(copiedValue).toEqual({ score: 5 });
    expect(copiedValue).not.toBe(original.get(key));
  });

  it("copies Set members", () => {
    const member = { id: 1 };
    const copy = deepCopy(new Set([member, "x"]));
    expect(copy).toBeInstanceOf(Set);
    const members = [...copy];
    expect(members).toEqual([{ id: 1 }, "x"]);
    expect(members[0]).not.toBe(member);
  });

  it("copies Dates and RegExps", () => {
    const date = new Date(2024, 0, 1);
    const copy = deepCopy({ date, pattern: /a+b/gi });
    expect(copy.date).toBeInstanceOf(Date);
    expect(copy.date).not.toBe(date);
    expect(copy.date.getTime()).toBe(date.getTime());
    expect(copy.pattern).toBeInstanceOf(RegExp);
    expect(copy.pattern.source).toBe("a+b");
    expect(copy.pattern.flags).toBe("gi");
  });

  it("copies typed arrays, keeping views of one buffer together", () => {
    const buffer = new ArrayBuffer(8);
    const bytes = new Uint8Array(buffer);
    const words = new Uint16Array(buffer, 2, 2);
    bytes[2] = 7;
    const copy = deepCopy({ bytes, words });
    expect(copy.bytes).toBeInstanceOf(Uint8Array);
    expect(copy.words).toBeInstanceOf(Uint16Array);
    expect(copy.words.length).toBe(2);
    expect(copy.bytes.buffer).not.toBe(buffer);
    expect(copy.bytes.buffer).toBe(copy.words.buffer);
    copy.bytes[2] = 9;
    expect(bytes[2]).toBe(7);
  });

  it("copies Errors with message and cause", () => {
    const error = new RangeError("too far", { cause: { limit: 3 } });
    const copy = deepCopy(error);
    expect(copy).toBeInstanceOf(RangeError);
    expect(copy.message).toBe("too far");
    expect(copy.cause).toEqual({ limit: 3 });
    expect(copy.cause).not.toBe(error.cause);
  });

  it("throws a TypeError naming the path and the function", () => {
    function handler(): void {}
    expect(() => deepCopy({ handlers: [1, 2, handler] })).toThrow(TypeError);
    expect(() => deepCopy({ handlers: [1, 2, handler] })).toThrow(
      /^Cannot copy value\.handlers\[2\]: a function \(handler\)/,
    );
  });

  it("throws for WeakMap, Promise and symbols", () => {
    expect(() => deepCopy({ cache: new WeakMap() })).toThrow(/value\.cache: a WeakMap/);
    expect(() => deepCopy([Promise.resolve(1)])).toThrow(/value\[0\]: a Promise/);
    expect(() => deepCopy({ id: Symbol("id") })).toThrow(/value\.id: a symbol/);
  });

  it("throws for platform objects that structuredClone refuses", () => {
    expect(() => deepCopy({ controller: new AbortController() })).toThrow(/value\.controller: an AbortController/);
  });

  it("propagates errors thrown by a [clone] method unchanged", () => {
    const failure = new Error("cannot clone");
    const value = {
      [clone]() {
        throw failure;
      },
    };
    expect(() => deepCopy(value)).toThrow(failure);
  });
});

describe("assertCopyable", () => {
  it("accepts copyable data", () => {
    expect(() =>
      assertCopyable({ list: [1, "a", null], when: new Date(), session: new UserSession(), map: new Map([[1, 2]]) }),
    ).not.toThrow();
  });

  it("names the path under the default root", () => {
    function handler(): void {}
    expect(() => assertCopyable({ handlers: [1, 2, handler] })).toThrow(
      /^Cannot copy default\.handlers\[2\]: a function \(handler\) cannot be deep-copied/,
    );
  });

  it("uses the given root", () => {
    expect(() => assertCopyable([() => 0], "state")).toThrow(/^Cannot copy state\[0\]: an anonymous function/);
  });

  it("names Map values, Set members and class fields in the path", () => {
    const f = (): void => {};
    expect(() => assertCopyable({ m: new Map([["k", { f }]]) })).toThrow(/default\.m\.get\("k"\)\.f: a function/);
    expect(() => assertCopyable({ s: new Set([f]) })).toThrow(/default\.s<set member>: a function/);
    class Holder {
      lock = new WeakSet();
    }
    expect(() => assertCopyable({ holder: new Holder() })).toThrow(/default\.holder\.lock: a WeakSet/);
  });

  it("quotes keys that are not identifiers", () => {
    expect(() => assertCopyable({ "my key": Symbol("x") })).toThrow(/default\["my key"\]: a symbol/);
  });

  it("terminates on cycles", () => {
    const node: Record<string, unknown> = {};
    node.self = node;
    expect(() => assertCopyable(node)).not.toThrow();
  });

  it("trusts objects that implement [clone]", () => {
    const value = { fn: () => 0, [clone]: () => ({}) };
    expect(() => assertCopyable(value)).not.toThrow();
  });
});

describe("MAX_VALUE_DEPTH (#11)", () => {
  function nested(levels: number, arrays = false): unknown {
    let v: unknown = arrays ? [] : {};
    for (let i = 1; i < levels; i++) v = arrays ? [v] : { a: v };
    return v;
  }

  it.each([false, true])("copies %s data 1,000 levels deep and refuses one more level (arrays: %s)", (arrays) => {
    expect(deepCopy(nested(MAX_VALUE_DEPTH, arrays))).toEqual(nested(MAX_VALUE_DEPTH, arrays));
    expect(() => deepCopy(nested(MAX_VALUE_DEPTH + 1, arrays))).toThrow(ValueTooDeep);
    expect(() => deepCopy(nested(50_000, arrays))).toThrow(
      "The value is too deep: it nests more than 1000 levels of objects (the limit, MAX_VALUE_DEPTH = 1000).",
    );
    expect(() => assertCopyable(nested(MAX_VALUE_DEPTH, arrays))).not.toThrow();
    expect(() => assertCopyable(nested(50_000, arrays))).toThrow(
      "The default is too deep: it nests more than 1000 levels of objects (the limit, MAX_VALUE_DEPTH = 1000).",
    );
  });

  it("counts nesting through Maps, Sets and class instances, and not through a cycle", () => {
    class Box {
      constructor(readonly inner: unknown) {}
    }
    let v: unknown = 0;
    for (let i = 0; i < 3000; i++) v = i % 3 === 0 ? new Map([[i, v]]) : i % 3 === 1 ? new Set([v]) : new Box(v);
    expect(() => deepCopy(v)).toThrow(ValueTooDeep);
    expect(() => assertCopyable(v)).toThrow(ValueTooDeep);
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(deepCopy(cycle).self).not.toBe(cycle);
  });
});

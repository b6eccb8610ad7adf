import { describeValue, messageOf, toError } from "../../src/core/errors";

describe("describeValue", () => {
  it("never throws and never calls a value's own toString", () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const toStringCalled = jest.fn(() => "mine");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(Symbol("s"))).toBe("Symbol(s)");
    expect(describeValue(Object.create(null))).toBe("{}");
    expect(describeValue(revocable.proxy)).toBe("[object]");
    expect(describeValue(new Proxy({}, { get: () => { throw new Error("trap"); }, ownKeys: () => { throw new Error("trap"); } }))).toBe("[object]");
    expect(describeValue({ toJSON: () => { throw new Error("json"); }, toString: toStringCalled })).toBe("[object Object]");
    expect(describeValue(cyclic)).toBe('{"self":[Circular]}');
    expect(describeValue(new Proxy(function f() {}, { get: () => { throw new Error("trap"); } }))).toBe("[unprintable value]");
    class Named {
      static get name(): unknown {
        return { toString: toStringCalled };
      }
    }
    expect(describeValue(Named)).toBe("[function anonymous]");
    expect(describeValue(function add() {})).toBe("[function add]");
    expect(toStringCalled).not.toHaveBeenCalled();
    expect(describeValue("x".repeat(500))).toHaveLength(200);
  });

  it("is what messageOf and toError fall back on, so they never throw either", () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(messageOf(Object.create(null))).toBe("{}");
    expect(messageOf(Symbol("s"))).toBe("Symbol(s)");
    expect(messageOf(revocable.proxy)).toBe("[object]");
    expect(toError(revocable.proxy).message).toBe("non-Error thrown: [object]");
    expect(toError(Object.create(null)).message).toBe("non-Error thrown: {}");
  });
});

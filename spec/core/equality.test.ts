import fc from "fast-check";
import { runInNewContext } from "node:vm";
import * as gr from "blockstate";
import { FAST_PASS_MAX_NODES, matchesSnapshot, sameContent, snapshot, snapshotAfter } from "../../src/core/equality";
import { MAX_VALUE_DEPTH, ValueTooDeep } from "../../src/core/errors";
import { hash } from "../../src/core/symbols";

/** Whether writing `after` over a value snapshotted as `before` is *not* a change. */
function unchanged(before: unknown, after: unknown): boolean {
  return matchesSnapshot(snapshot(before), after);
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

class Vector {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

class Account {
  constructor(
    public id: number,
    public lastSeen: number,
  ) {}
  [hash](): unknown {
    return [this.id];
  }
}

describe("snapshot", () => {
  it("returns primitives themselves", () => {
    expect(snapshot(7)).toBe(7);
    expect(snapshot("a")).toBe("a");
    expect(snapshot(null)).toBeNull();
  });

  it("is not affected by later mutation of the value", () => {
    const value = { items: [1, 2] };
    const snap = snapshot(value);
    value.items.push(3);
    expect(matchesSnapshot(snap, { items: [1, 2] })).toBe(true);
  });

  it("terminates on cyclic data", () => {
    const node: Record<string, unknown> = { name: "a" };
    node.self = node;
    const snap = snapshot(node);
    expect(matchesSnapshot(snap, node)).toBe(true);
    node.name = "b";
    expect(matchesSnapshot(snap, node)).toBe(false);
  });

  it("handles a [hash] method that returns the instance itself", () => {
    class SelfHash {
      constructor(public n: number) {}
      [hash](): unknown {
        return this;
      }
    }
    const value = new SelfHash(1);
    expect(matchesSnapshot(snapshot(value), value)).toBe(true);
  });
});

describe("matchesSnapshot", () => {
  it("compares primitives with Object.is", () => {
    expect(unchanged(1, 1)).toBe(true);
    expect(unchanged(1, 2)).toBe(false);
    expect(unchanged(NaN, NaN)).toBe(true);
    expect(unchanged(0, -0)).toBe(false);
    expect(unchanged("1", 1)).toBe(false);
  });

  it("matches equal nested data", () => {
    const value = { user: { name: "Ada", langs: ["en", "fr"] }, n: 1 };
    expect(unchanged(value, { n: 1, user: { langs: ["en", "fr"], name: "Ada" } })).toBe(true);
    expect(unchanged(value, { n: 1, user: { langs: ["en", "de"], name: "Ada" } })).toBe(false);
  });

  it("never equates an array with an object that has the same keys", () => {
    expect(unchanged(["a", "b"], { 0: "a", 1: "b" })).toBe(false);
    expect(unchanged({ 0: "a", 1: "b" }, ["a", "b"])).toBe(false);
  });

  it("detects added and removed keys", () => {
    expect(unchanged({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(unchanged({ a: 1, b: 2 }, { a: 1 })).toBe(false);
  });

  it("detects a push to an array after the snapshot (S51)", () => {
    const list = [1, 2];
    const snap = snapshot(list);
    list.push(3);
    expect(matchesSnapshot(snap, list)).toBe(false);
  });

  it("detects a nested field set after the snapshot (S51)", () => {
    const state = { profile: { name: "Ada" } };
    const snap = snapshot(state);
    state.profile.name = "Grace";
    expect(matchesSnapshot(snap, state)).toBe(false);
  });

  it("compares Maps by content, in any order", () => {
    const map = new Map<string, unknown>([
      ["a", { n: 1 }],
      ["b", 2],
    ]);
    const snap = snapshot(map);
    expect(matchesSnapshot(snap, new Map<string, unknown>([["b", 2], ["a", { n: 1 }]]))).toBe(true);
    (map.get("a") as { n: number }).n = 5;
    expect(matchesSnapshot(snap, map)).toBe(false);
  });

  it("never equates a Map with a plain object", () => {
    expect(unchanged(new Map([["a", 1]]), { a: 1 })).toBe(false);
  });

  it("compares Map object keys by content", () => {
    expect(unchanged(new Map([[{ id: 1 }, "x"]]), new Map([[{ id: 1 }, "x"]]))).toBe(true);
    expect(unchanged(new Map([[{ id: 1 }, "x"]]), new Map([[{ id: 2 }, "x"]]))).toBe(false);
  });

  it("compares Sets by content, including Sets of objects", () => {
    expect(unchanged(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(unchanged(new Set([1, 2]), new Set([1, 3]))).toBe(false);
    expect(unchanged(new Set([{ id: 1 }, { id: 2 }]), new Set([{ id: 2 }, { id: 1 }]))).toBe(true);
    const member = { id: 1 };
    const set = new Set([member]);
    const snap = snapshot(set);
    member.id = 2;
    expect(matchesSnapshot(snap, set)).toBe(false);
  });

  it("compares Dates by time", () => {
    expect(unchanged(new Date(1000), new Date(1000))).toBe(true);
    expect(unchanged(new Date(1000), new Date(2000))).toBe(false);
    const date = new Date(1000);
    const snap = snapshot(date);
    date.setTime(5000);
    expect(matchesSnapshot(snap, date)).toBe(false);
  });

  it("compares RegExps and typed arrays by content", () => {
    expect(unchanged(/a/g, /a/g)).toBe(true);
    expect(unchanged(/a/g, /a/i)).toBe(false);
    const bytes = new Uint8Array([1, 2, 3]);
    const snap = snapshot(bytes);
    expect(matchesSnapshot(snap, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(matchesSnapshot(snap, new Int8Array([1, 2, 3]))).toBe(false);
    bytes[1] = 9;
    expect(matchesSnapshot(snap, bytes)).toBe(false);
  });

  it("compares instances with [hash] by their hash only", () => {
    expect(unchanged(new Account(1, 100), new Account(1, 200))).toBe(true);
    expect(unchanged(new Account(1, 100), new Account(2, 100))).toBe(false);
  });

  it("detects a field change in an instance without [hash]", () => {
    const point = new Point(1, 2);
    const snap = snapshot(point);
    expect(matchesSnapshot(snap, new Point(1, 2))).toBe(true);
    point.x = 5;
    expect(matchesSnapshot(snap, point)).toBe(false);
  });

  it("distinguishes classes with equal fields", () => {
    expect(unchanged(new Point(1, 2), new Vector(1, 2))).toBe(false);
    expect(unchanged({ at: new Point(1, 2) }, { at: new Vector(1, 2) })).toBe(false);
  });

  it("distinguishes nested instances of different classes inside an instance", () => {
    class Shape {
      constructor(public anchor: unknown) {}
    }
    expect(unchanged(new Shape(new Point(0, 0)), new Shape(new Point(0, 0)))).toBe(true);
    expect(unchanged(new Shape(new Point(0, 0)), new Shape(new Vector(0, 0)))).toBe(false);
  });

  describe("class instances compared field by field, by the rule of plain objects (#12)", () => {
    class Pair {
      constructor(
        public left: unknown,
        public right: unknown,
      ) {}
    }

    it("equates an instance whose fields share one object with one holding two equal objects", () => {
      const shared = { x: 1 };
      expect(sameContent(new Pair(shared, shared), new Pair({ x: 1 }, { x: 1 }))).toBe(true);
      expect(sameContent(new Pair({ x: 1 }, { x: 1 }), new Pair(shared, shared))).toBe(true);
      // The same fields as plain objects, for reference:
      expect(sameContent({ left: shared, right: shared }, { left: { x: 1 }, right: { x: 1 } })).toBe(true);
      expect(sameContent(new Pair(shared, shared), new Pair({ x: 1 }, { x: 2 }))).toBe(false);
    });

    it("compares an instance's fields by content: Sets of objects, Maps, Dates, nested instances", () => {
      const make = () => new Pair(new Set([{ id: 1 }, { id: 2 }]), new Map([["at", new Pair(new Date(0), [1])]]));
      expect(sameContent(make(), make())).toBe(true);
      const other = make();
      ((other.right as Map<string, Pair>).get("at")!.right as number[]).push(2);
      expect(sameContent(make(), other)).toBe(false);
    });

    it("compares cyclic instances, and detects a change inside the cycle", () => {
      const ring = (label: string) => {
        const a = new Pair(label, undefined);
        a.right = new Pair("b", a);
        return a;
      };
      expect(sameContent(ring("a"), ring("a"))).toBe(true);
      expect(sameContent(ring("a"), ring("z"))).toBe(false);
      const live = ring("a");
      const snap = snapshot(live);
      ((live.right as Pair).left as string) = "c";
      expect(matchesSnapshot(snap, live)).toBe(false);
    });

    it("compares errors by class, name, message and fields", () => {
      class AppError extends Error {
        constructor(
          message: string,
          public code: number,
        ) {
          super(message);
        }
      }
      expect(sameContent(new AppError("boom", 1), new AppError("boom", 1))).toBe(true);
      expect(sameContent(new AppError("boom", 1), new AppError("bang", 1))).toBe(false);
      expect(sameContent(new AppError("boom", 1), new AppError("boom", 2))).toBe(false);
      expect(sameContent(new AppError("boom", 1), Object.assign(new Error("boom"), { code: 1 }))).toBe(false);
    });
  });

  it("compares platform objects by identity", () => {
    const cache = new WeakMap();
    expect(unchanged({ cache }, { cache })).toBe(true);
    expect(unchanged({ cache }, { cache: new WeakMap() })).toBe(false);
  });

  it("snapshots a 1,000-message history and detects one more message", () => {
    const history = Array.from({ length: 1000 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `message ${i}`,
    }));
    const before = snapshot(history);
    history.push({ role: "user", content: "one more" });
    expect(matchesSnapshot(before, history)).toBe(false);
    const after = snapshot(history);
    expect(matchesSnapshot(after, history)).toBe(true);
  });
});

/**
 * `levels` plain objects, each holding two references to the next one, down to a leaf whose
 * `value` is a getter that counts its reads: 2^levels paths lead to the leaf, and the count says
 * how many of them a walk took.
 */
function sharedLadder(levels: number, leafValue: number): { root: object; reads: () => number } {
  let reads = 0;
  const leaf = {};
  Object.defineProperty(leaf, "value", {
    enumerable: true,
    get: () => {
      reads++;
      return leafValue;
    },
  });
  let node: object = leaf;
  for (let i = 0; i < levels; i++) node = { left: node, right: node };
  return { root: node, reads: () => reads };
}

describe("data shared along many paths", () => {
  // 24 levels: 16.7 million paths. Walking them all took 13 s; each test reads the leaf a
  // bounded number of times instead (the first pass gives up within its budget).
  const LEVELS = 24;

  it("is snapshotted in time linear in its objects, not its paths", () => {
    const { root, reads } = sharedLadder(LEVELS, 1);
    snapshot(root);
    expect(reads()).toBeLessThanOrEqual(FAST_PASS_MAX_NODES);
    expect(2 ** LEVELS).toBeGreaterThan(10 * FAST_PASS_MAX_NODES);
  });

  it("is compared in time linear in its objects, and a change at the shared leaf is found", () => {
    const recorded = snapshot(sharedLadder(LEVELS, 1).root);
    const same = sharedLadder(LEVELS, 1);
    expect(matchesSnapshot(recorded, same.root)).toBe(true);
    expect(same.reads()).toBe(1);
    const changed = sharedLadder(LEVELS, 2);
    expect(matchesSnapshot(recorded, changed.root)).toBe(false);
    expect(changed.reads()).toBe(1);
  });

  it("still matches an equal tree that shares nothing", () => {
    const shared = sharedLadder(3, 7).root;
    const tree = (n: number): object => (n === 0 ? { value: 7 } : { left: tree(n - 1), right: tree(n - 1) });
    expect(sameContent(shared, tree(3))).toBe(true);
    expect(sameContent(tree(3), shared)).toBe(true);
  });

  it("keeps the co-inductive rule for cycles next to settled pairs", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    a.twin = { ref: a };
    const b: Record<string, unknown> = { name: "a" };
    b.self = b;
    b.twin = { ref: b };
    expect(sameContent(a, b)).toBe(true);
    const c: Record<string, unknown> = { name: "a" };
    c.self = c;
    c.twin = { ref: { name: "c", self: c, twin: {} } };
    expect(sameContent(a, c)).toBe(false);
  });
});

describe("snapshotAfter (a snapshot reusing the unchanged part of the last one)", () => {
  const message = (i: number) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i}`, meta: { i } });

  it("keeps the records of elements that still match and records the others", () => {
    const history = [message(0), message(1)];
    const before = snapshot(history);
    history.push(message(2));
    const after = snapshotAfter(before, history) as unknown[];
    expect(after).toHaveLength(3);
    expect(after[0]).toBe((before as unknown[])[0]);
    expect(after[1]).toBe((before as unknown[])[1]);
    expect(matchesSnapshot(after, history)).toBe(true);
  });

  it("still sees an in-place change to an element whose record was reused (S51)", () => {
    const history = [message(0), message(1)];
    const before = snapshot(history);
    history.push(message(2));
    const after = snapshotAfter(before, history);
    history[0].meta.i = 99;
    expect(matchesSnapshot(after, history)).toBe(false);
    expect(matchesSnapshot(after, [message(0), message(1), message(2)])).toBe(true);
  });

  it("records like snapshot() whatever the previous snapshot was (property)", () => {
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.integer(), fc.string(), fc.constant(null), tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.dictionary(fc.constantFrom("a", "b", "c"), tie("value"), { maxKeys: 3 }),
    }));
    fc.assert(
      fc.property(data.value, data.value, data.value, (previous, value, probe) => {
        const after = snapshotAfter(snapshot(previous), value);
        expect(matchesSnapshot(after, value)).toBe(true);
        expect(matchesSnapshot(after, probe)).toBe(matchesSnapshot(snapshot(value), probe));
      }),
      { numRuns: 300 },
    );
  });

  it("falls back to a full snapshot for an array holding a cycle", () => {
    const before = snapshot([1, 2]);
    const cyclic: unknown[] = [1, 2];
    cyclic.push(cyclic);
    const after = snapshotAfter(before, cyclic);
    const other: unknown[] = [1, 2];
    other.push(other);
    expect(matchesSnapshot(after, other)).toBe(true);
    expect(matchesSnapshot(after, [1, 2, [1, 2]])).toBe(false);
  });
});

describe("objects of another realm (a vm context, as jest runs tests; Node's structuredClone seen from one)", () => {
  const foreign = runInNewContext("({ plain: { z: true, list: [1, { a: 2 }] }, empty: {}, map: new Map([[1, { b: 3 }]]) })") as Record<string, unknown>;

  it("compare as plain objects by content, both ways (S50)", () => {
    expect(Object.getPrototypeOf(foreign.plain)).not.toBe(Object.prototype);
    expect(sameContent(foreign.plain, { z: true, list: [1, { a: 2 }] })).toBe(true);
    expect(sameContent({ z: true, list: [1, { a: 2 }] }, foreign.plain)).toBe(true);
    expect(sameContent(foreign.empty, {})).toBe(true);
    expect(sameContent(foreign.map, new Map([[1, { b: 3 }]]))).toBe(true);
    expect(matchesSnapshot(snapshot(foreign.plain), { z: true, list: [1, { a: 2 }] })).toBe(true);
    expect(sameContent(foreign.plain, { z: false, list: [1, { a: 2 }] })).toBe(false);
    expect(sameContent(foreign.empty, [])).toBe(false);
  });

  it("and a State written with structuredClone of its value is unchanged under jest: no .change", async () => {
    let changes = 0;
    let btn!: gr.Button;
    const dflt = { z: true };
    const demo = new gr.Blocks(() => {
      const st = new gr.State<unknown>(dflt);
      btn = new gr.Button("go");
      btn.click(() => structuredClone(dflt), undefined, st);
      st.change(() => void changes++);
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(changes).toBe(0);
  });
});

describe("sameContent", () => {
  it("is true for the same reference and for equal content", () => {
    const value = { a: [1, 2] };
    expect(sameContent(value, value)).toBe(true);
    expect(sameContent(value, { a: [1, 2] })).toBe(true);
  });

  it("is false for different content or kinds", () => {
    expect(sameContent({ a: [1, 2] }, { a: [1, 3] })).toBe(false);
    expect(sameContent([], {})).toBe(false);
    expect(sameContent(1, "1")).toBe(false);
    expect(sameContent(null, {})).toBe(false);
  });

  it("treats NaN as equal to NaN", () => {
    expect(sameContent(NaN, NaN)).toBe(true);
    expect(sameContent([NaN], [NaN])).toBe(true);
  });
});

describe("MAX_VALUE_DEPTH (#11)", () => {
  /** `levels` nested objects (or arrays, or Maps). */
  function nested(levels: number, kind: "object" | "array" | "map" = "object"): unknown {
    let v: unknown = kind === "array" ? [] : kind === "map" ? new Map() : {};
    for (let i = 1; i < levels; i++) v = kind === "array" ? [v] : kind === "map" ? new Map([["a", v]]) : { a: v };
    return v;
  }

  it.each(["object", "array", "map"] as const)("snapshots %s data %i levels deep and refuses one more level", (kind) => {
    const at = nested(MAX_VALUE_DEPTH, kind);
    expect(unchanged(at, nested(MAX_VALUE_DEPTH, kind))).toBe(true);
    expect(unchanged(at, nested(MAX_VALUE_DEPTH - 1, kind))).toBe(false);
    expect(() => snapshot(nested(MAX_VALUE_DEPTH + 1, kind))).toThrow(ValueTooDeep);
    expect(() => snapshot(nested(50_000, kind))).toThrow(
      "The value is too deep: it nests more than 1000 levels of objects (the limit, MAX_VALUE_DEPTH = 1000).",
    );
    expect(() => sameContent(nested(5000, kind), nested(5000, kind))).toThrow(ValueTooDeep);
  });

  it("still snapshots a cycle, whose depth is that of its objects, not of its paths", () => {
    const ring: { next?: unknown } = {};
    ring.next = { next: { next: ring } };
    expect(unchanged(ring, ring)).toBe(true);
  });

  it("refuses to compare a cyclic snapshot along live data too deep, rather than overflow", () => {
    const loop: { a?: unknown } = {};
    loop.a = loop;
    expect(() => matchesSnapshot(snapshot(loop), nested(20_000))).toThrow(ValueTooDeep);
  });

  it("takes class instances nested MAX_VALUE_DEPTH levels, like plain data, and reports one more as ValueTooDeep, not a RangeError", () => {
    class Link {
      constructor(readonly next: unknown) {}
    }
    const chain = (levels: number) => {
      let v: unknown = null;
      for (let i = 0; i < levels; i++) v = new Link(v);
      return v;
    };
    expect(unchanged(chain(MAX_VALUE_DEPTH), chain(MAX_VALUE_DEPTH))).toBe(true);
    expect(unchanged(chain(MAX_VALUE_DEPTH), chain(MAX_VALUE_DEPTH - 1))).toBe(false);
    expect(() => snapshot(chain(MAX_VALUE_DEPTH + 1))).toThrow(ValueTooDeep);
    expect(() => snapshot(chain(50_000))).toThrow(/too deep: .*MAX_VALUE_DEPTH = 1000/);
  });
});

describe("comparing nested Maps and Sets out of order (#11)", () => {
  it.each([
    ["Maps with string keys", (v: unknown) => new Map([["a", v]])],
    ["Maps with object keys", (v: unknown) => new Map([[{ k: 1 }, v]])],
    ["Sets", (v: unknown) => new Set([v])],
  ])("compares each pair once: 200 levels of %s differing at the bottom", (_name, wrap) => {
    // Each level's in-order pass fails, and its second pass used to compare the level below
    // again: 2^200 comparisons.
    let before: unknown = 1;
    let after: unknown = 2;
    for (let i = 0; i < 200; i++) [before, after] = [wrap(before), wrap(after)];
    expect(unchanged(before, after)).toBe(false);
    expect(unchanged(before, before)).toBe(true);
  });
});

import * as gr from "blockstate";
import { JSONView, Label } from "../../src/components/display";
import { accept, constructionError, rejection } from "./helpers";

describe("Label", () => {
  it("is Gradio's label with its events, null by default", () => {
    const l = new Label();
    expect(l.type).toBe("label");
    expect(Label.events).toEqual(["change", "select"]);
    expect(typeof l.select).toBe("function");
    expect(l.value).toBeNull();
  });

  it("turns strings and numbers into { label }", () => {
    const l = new Label();
    expect(accept(l, "cat")).toEqual({ label: "cat" });
    expect(accept(l, 7)).toEqual({ label: "7" });
    expect(accept(l, null)).toBeNull();
  });

  it("turns a confidences record into the top label and sorted confidences", () => {
    const l = new Label();
    expect(accept(l, { dog: 0.2, cat: 0.7, bird: 0.1 })).toEqual({
      label: "cat",
      confidences: [
        { label: "cat", confidence: 0.7 },
        { label: "dog", confidence: 0.2 },
        { label: "bird", confidence: 0.1 },
      ],
    });
  });

  it("keeps only numTopClasses confidences", () => {
    const l = new Label({ numTopClasses: 2 });
    expect(accept(l, { a: 0.1, b: 0.5, c: 0.4 })).toEqual({
      label: "b",
      confidences: [
        { label: "b", confidence: 0.5 },
        { label: "c", confidence: 0.4 },
      ],
    });
  });

  it("stores a well-formed { label, confidences } as is", () => {
    const l = new Label();
    const value = { label: "cat", confidences: [{ label: "cat", confidence: 0.9 }, { label: "dog", confidence: 0.1 }] };
    expect(accept(l, value)).toBe(value);
    const bare = { label: "cat" };
    expect(accept(l, bare)).toBe(bare);
  });

  it("sorts unsorted confidences and labels { confidences } with the top class", () => {
    const l = new Label();
    expect(accept(l, { confidences: [{ label: "dog", confidence: 0.1 }, { label: "cat", confidence: 0.9 }] })).toEqual({
      label: "cat",
      confidences: [
        { label: "cat", confidence: 0.9 },
        { label: "dog", confidence: 0.1 },
      ],
    });
  });

  it("rejects other values, naming the offending part", () => {
    const l = new Label();
    expect(rejection(l, true)).toMatch(/^a Label takes a label, .* got a boolean$/);
    expect(rejection(l, [1])).toMatch(/got an array$/);
    expect(rejection(l, { cat: "high" })).toBe('the confidence of "cat" is a string; expected a finite number');
    expect(rejection(l, {})).toBe("an empty confidences record has no label");
    expect(rejection(l, { label: "cat", extra: 1 })).toBe('unexpected key "extra" next to label/confidences');
    expect(rejection(l, { label: "cat", confidences: [{ label: "cat", confidence: 0.5 }, { confidence: 0.1 }] })).toBe(
      "confidences [1] has no string label",
    );
    expect(rejection(l, { label: "cat", confidences: [{ label: "cat", confidence: NaN }] })).toBe(
      "confidences [0] has confidence a number; expected a finite number",
    );
    expect(rejection(l, { confidences: [] })).toBe("{ confidences: [] } without a label has no label");
  });

  it("normalises the initial value and rejects a bad one with a TypeError", () => {
    expect(new Label({ value: { yes: 0.8, no: 0.2 } }).value).toMatchObject({ label: "yes" });
    expect(constructionError(() => new Label({ label: "Result", value: { a: "x" } as never }))).toBe(
      'Label "Result": invalid initial value: the confidence of "a" is a string; expected a finite number',
    );
  });
});

describe("JSONView", () => {
  it("is Gradio's json with a change event, null by default", () => {
    const j = new JSONView();
    expect(j.type).toBe("json");
    expect(JSONView.events).toEqual(["change"]);
    expect(typeof j.change).toBe("function");
    expect(j.value).toBeNull();
  });

  it("takes a height of pixels, a CSS length or null (Gradio's height: int | str | None), and nothing else", () => {
    for (const height of [300, "50vh", null]) expect(new JSONView({ height }).props.height).toBe(height);
    expect(constructionError(() => new JSONView({ height: true as never }))).toBe("JSON: height must be a number, a CSS length or null; got true.");
  });

  it("parses a string a listener writes, or given as the initial value, as JSON text (Gradio's postprocess); a user's string stays a string", async () => {
    let data!: gr.JSON, load!: gr.Button, bad!: gr.Button, update!: gr.Button;
    const demo = new gr.Blocks(() => {
      data = new gr.JSON({ value: '{"a": [1, 2]}' });
      load = new gr.Button("Load");
      load.click(() => '{"b": null}', undefined, data);
      update = new gr.Button("Update");
      update.click(() => gr.update({ value: "[3]" }), undefined, data);
      bad = new gr.Button("Bad");
      bad.click(() => "not json", undefined, data);
    });
    expect(data.value).toEqual({ a: [1, 2] });
    const s = await demo.launch().connect();
    await s.click(load);
    expect(s.get(data)).toEqual({ b: null });
    await s.click(update);
    expect(s.get(data)).toEqual([3]);
    const result = await s.click(bad);
    expect(result.error!.message).toMatch(/returned an invalid value for JSON #0: "not json" \(a string for a JSON component is JSON text to parse, and this is not valid JSON/);
    expect(s.get(data)).toEqual([3]);
    await s.input(data, "plain text");
    expect(s.get(data)).toBe("plain text");
    expect(constructionError(() => new JSONView({ value: "{oops" }))).toMatch(/^JSON: invalid initial value: a string for a JSON component is JSON text to parse, and this is not valid JSON/);
  });

  it("parses JSON text once: from a factory, from an instance a handler returns, and not again for a ClearButton's reset", async () => {
    let fromFactory!: gr.JSON, data!: gr.JSON, text!: gr.Textbox, asInstance!: gr.Button, clear!: gr.ClearButton;
    const demo = new gr.Blocks(() => {
      fromFactory = new gr.JSON({ value: () => '{"a": 1}' });
      data = new gr.JSON({ value: '"hello"' }); // the string "hello"
      text = new gr.Textbox();
      asInstance = new gr.Button("Instance");
      asInstance.click(() => new gr.JSON({ value: '"[1]"' }), undefined, data);
      clear = new gr.ClearButton([text, data]);
    });
    const s = await demo.launch({ showError: true }).connect();
    expect(s.get(fromFactory)).toEqual({ a: 1 });
    expect(s.get(data)).toBe("hello");
    expect(await s.click(asInstance)).toEqual({ status: "complete" });
    expect(s.get(data)).toBe("[1]"); // as gr.update({ value: '"[1]"' }): parsed once
    await s.input(text, "typed");
    expect(await s.click(clear)).toEqual({ status: "complete" });
    expect([s.get(text), s.get(data)]).toEqual(["", "hello"]);
  });

  it("stores JSON values as they are (no copy)", () => {
    const j = new JSONView();
    const doc = { a: [1, "two", null, true], b: { c: new Date(0) }, "odd key": undefined };
    expect(accept(j, doc)).toBe(doc);
    expect(accept(j, "text")).toBe("text");
    expect(accept(j, null)).toBeNull();
  });

  it("turns undefined into null", () => {
    const j = new JSONView();
    expect(accept(j, undefined)).toBeNull();
  });

  it("accepts the same object twice (a DAG is not a cycle)", () => {
    const shared = { x: 1 };
    const j = new JSONView();
    expect(() => accept(j, { a: shared, b: [shared, shared] })).not.toThrow();
  });

  it("checks each object of a DAG once, not once per path to it (#11)", () => {
    // 16 objects, each held twice by the next: 2^16 paths from the root to the first.
    let reads = 0;
    let node: object = { leaf: 1 };
    for (let i = 0; i < 16; i++) {
      const next = node;
      node = Object.defineProperties({}, { a: { get: () => (reads++, next), enumerable: true }, b: { get: () => (reads++, next), enumerable: true } });
    }
    expect(accept(new JSONView(), node)).toBe(node);
    expect(reads).toBe(32);
  });

  it("still refuses a shared object met deeper than the limit allows, after meeting it where it fits", () => {
    let chain: unknown = {};
    for (let i = 1; i < 500; i++) chain = { c: chain }; // 500 objects deep
    let deepPath: unknown = chain;
    for (let i = 0; i < 600; i++) deepPath = [deepPath]; // the same chain 600 arrays further down
    expect(() => accept(new JSONView(), { shallow: chain })).not.toThrow();
    expect(rejection(new JSONView(), [chain, deepPath])).toMatch(/^the value is too deep/);
  });

  it("rejects functions, symbols and bigints with their path", () => {
    const j = new JSONView();
    expect(rejection(j, { items: [0, 1, { fn: () => 1 }] })).toBe("value.items[2].fn is a function; JSON cannot hold functions");
    expect(rejection(j, { "a b": Symbol("s") })).toBe('value["a b"] is a symbol; JSON cannot hold symbols');
    expect(rejection(j, [10n])).toMatch(/^value\[0\] is a bigint/);
    expect(rejection(j, () => 1)).toMatch(/^value is a function/);
  });

  it("rejects cycles, naming both ends", () => {
    const node: Record<string, unknown> = { name: "root", children: [] };
    (node.children as unknown[]).push({ parent: node });
    const j = new JSONView();
    expect(rejection(j, node)).toBe("value.children[0].parent refers back to value (a cycle); JSON cannot hold cycles");
  });

  it("rejects Maps and Sets, which JSON would silently empty", () => {
    const j = new JSONView();
    expect(rejection(j, { m: new Map() })).toMatch(/^value\.m is a Map/);
    expect(rejection(j, new Set([1]))).toMatch(/^value is a Set/);
  });

  it("rejects what JSON would store as something else, by BrowserState's rule (lossyObject)", () => {
    const j = new JSONView();
    class Secret {
      #key = "k";
      get key(): string {
        return this.#key;
      }
    }
    expect(rejection(j, { re: /ab+c/gi })).toBe("value.re is a RegExp, which JSON would store as {}");
    expect(rejection(j, [new Uint8Array([1])])).toBe("value[0] is a Uint8Array, which JSON would store as an object keyed by index (convert it with Array.from)");
    expect(rejection(j, new Float32Array(0))).toMatch(/^value is a Float32Array, which JSON would store as an object keyed by index/);
    expect(rejection(j, { buf: new ArrayBuffer(2) })).toBe("value.buf is an ArrayBuffer, which JSON would store as {}");
    expect(rejection(j, new DataView(new ArrayBuffer(2)))).toBe("value is a DataView, which JSON would store as {}");
    expect(rejection(j, { e: Object.assign(new Error("boom"), { code: 7 }) })).toMatch(/^value\.e is an Error, which JSON would store without its message/);
    expect(rejection(j, new Secret())).toBe("value is a Secret, which JSON would store as {}");
    expect(rejection(j, new WeakMap())).toBe("value is a WeakMap, which JSON would store as {}");
  });

  it("accepts class instances with fields, boxed primitives and objects without a prototype, which JSON keeps", () => {
    class Point {
      constructor(public x: number, public y: number) {}
    }
    const bare = Object.assign(Object.create(null), { a: 1 });
    const doc = { p: new Point(1, 2), n: new Number(3), s: new String("x"), bare, empty: Object.create(null) };
    expect(accept(new JSONView(), doc)).toBe(doc);
  });

  it("checks what toJSON returns", () => {
    const j = new JSONView();
    expect(rejection(j, { t: { toJSON: () => ({ bad: 1n }) } })).toMatch(/^value\.t\.bad is a bigint/);
  });

  it("takes props with a value and throws a TypeError for a bad initial value", () => {
    const j = new JSONView({ value: { ok: true }, label: "Config", open: true });
    expect(j.value).toEqual({ ok: true });
    expect(j.props).toMatchObject({ label: "Config", open: true });
    expect(constructionError(() => new JSONView({ label: "Config", value: { n: 1n } }))).toBe(
      'JSON "Config": invalid initial value: value.n is a bigint; JSON has no bigints (convert it with Number() or String())',
    );
  });
});

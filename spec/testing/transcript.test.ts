import * as gr from "blockstate";
import { Transcript, formatValue } from "blockstate/testing";

function counterApp() {
  let count!: gr.State<number>;
  let shown!: gr.Number;
  let btn!: gr.Button;
  let box!: gr.Textbox;
  const demo = new gr.Blocks(() => {
    count = new gr.State(0);
    shown = new gr.Number({ label: "Count" });
    btn = new gr.Button("Add");
    box = new gr.Textbox();
    btn.click((c) => [c + 1, c + 1], count, [count, shown]);
    box.submit((text: string) => {
      if (text === "bad") throw new gr.Error("No bad words");
      gr.Info(`got ${text}`);
      return text.toUpperCase();
    }, box, box);
  });
  return { demo, count, shown, btn, box };
}

describe("Transcript", () => {
  it("records actions with the labelled components they changed", async () => {
    const { demo, count, btn, box } = counterApp();
    const t = new Transcript();
    t.launch(demo);
    t.name(box, "note");
    const alice = await t.user("alice");
    await alice.click(btn, 2);
    expect(alice.sees(count)).toBe(2);
    await alice.input(box, "hi");
    await alice.submit(box);
    await alice.input(box, "bad");
    const result = await alice.submit(box);
    expect(result.status).toBe("error");
    await t.close();
    expect(t.lines).toEqual([
      "alice opens the page",
      'alice clicks "Add" ×2 → Count: 2',
      "alice sees State #0: 2",
      'alice enters "hi" into "note"',
      'alice submits "note" → note: "HI" (info: "got hi")',
      'alice enters "bad" into "note"',
      'alice submits "note" ✗ error: No bad words',
    ]);
  });

  it("expectEqual compares by the engine's content rule (S50), as change detection does (#12)", () => {
    const t = new Transcript();
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
    const shared = { x: 1 };
    expect(t.expectEqual(new Set([{ id: 1 }, { id: 2 }]), new Set([{ id: 2 }, { id: 1 }]), "a Set of equal objects")).toBe(true);
    expect(t.expectEqual(new Map([[{ k: 1 }, "a"]]), new Map([[{ k: 1 }, "a"]]), "a Map with equal object keys")).toBe(true);
    expect(t.expectEqual([shared, shared], [{ x: 1 }, { x: 1 }], "shared and equal objects")).toBe(true);
    expect(t.expectEqual(Number.NaN, Number.NaN, "NaN")).toBe(true);
    expect(t.expectEqual(new Point(1, 2), new Vector(1, 2), "equal fields, other class")).toBe(false);
    expect(t.expectEqual(new Set([{ id: 1 }]), new Set([{ id: 3 }]), "a Set of other objects")).toBe(false);
    const deep = () => {
      let v: unknown = {};
      for (let i = 0; i < 5000; i++) v = { a: v };
      return v;
    };
    expect(t.expectEqual(deep(), deep(), "too deep")).toBe(false);
    expect(t.failures).toEqual([
      "equal fields, other class: expected Vector {x: 1, y: 2}, got Point {x: 1, y: 2}",
      "a Set of other objects: expected Set {{id: 3}}, got Set {{id: 1}}",
      expect.stringMatching(/^too deep: could not be compared: .*too deep/),
    ]);
  });

  it("records failed checks instead of throwing", async () => {
    const t = new Transcript();
    expect(t.check(true, "fine")).toBe(true);
    expect(t.expectEqual({ a: [1] }, { a: [1] }, "equal objects")).toBe(true);
    expect(t.expectEqual([1, 2], [2, 1], "order matters")).toBe(false);
    expect(t.check(false, "this one fails")).toBe(false);
    t.expectThrows(() => 1, /x/, "nothing thrown");
    t.expectThrows(() => {
      throw new TypeError("wrong kind");
    }, /RangeError/, "wrong error");
    expect(t.expectThrows(() => {
      throw new TypeError("right kind");
    }, /^TypeError: right/, "right error")).toBeInstanceOf(TypeError);
    expect(t.ok).toBe(false);
    expect(t.failures).toEqual([
      "order matters: expected [2, 1], got [1, 2]",
      "this one fails",
      "nothing thrown: nothing was thrown",
      "wrong error: TypeError: wrong kind",
    ]);
    expect(t.lines[0]).toBe("✓ fine");
    expect(t.lines[2]).toBe("✗ order matters: expected [2, 1], got [1, 2]");
  });

  it("keeps users isolated and follows reloads", async () => {
    const { demo, count, btn } = counterApp();
    const t = new Transcript(demo.launch());
    const a = await t.user("a");
    const b = await t.user("b");
    await a.click(btn);
    const before = a.session;
    await a.reload();
    expect(a.session).not.toBe(before);
    expect(a.get(count)).toBe(0);
    expect(b.get(count)).toBe(0);
    await a.close();
    expect(a.session.closed).toBe(true);
    await t.close();
    expect(t.lines.slice(-2)).toEqual(["a reloads the page", "a closes the tab"]);
  });

  it("opens the page for a new session with a hash of the test's choosing (S10), and reconnects to a held one", async () => {
    let out!: gr.Textbox;
    const demo = new gr.Blocks((demo) => {
      out = new gr.Textbox({ label: "Out" });
      demo.load(() => {
        gr.Info("welcome");
        return "loaded";
      }, undefined, out);
    });
    const t = new Transcript(demo.launch());
    const bob = await t.user("bob", { sessionHash: "bob-1" });
    await bob.close();
    await t.user("bob again", { sessionHash: "bob-1" });
    expect(t.lines).toEqual(['bob opens the page → Out: "loaded" (info: "welcome")', "bob closes the tab", 'bob again reconnects → Out: "loaded"']);
  });

  it("click(button, times) stops at the first click that does not complete, and resolves with it", async () => {
    let clicks = 0;
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button("Go");
      btn.click(() => {
        if (++clicks === 2) throw new gr.Error("second");
      });
    });
    const t = new Transcript(demo.launch());
    const alice = await t.user("alice");
    const result = await alice.click(btn, 3);
    expect(result).toMatchObject({ status: "error", error: { message: "second" } });
    expect(clicks).toBe(2);
  });

  it("throws when there is no app to connect to", async () => {
    await expect(new Transcript().user("x")).rejects.toThrow(/no app/);
  });
});

describe("formatValue", () => {
  it("keeps values short and readable", () => {
    expect(formatValue("hi")).toBe('"hi"');
    expect(formatValue(null)).toBe("null");
    expect(formatValue(new Array(10_000).fill(0))).toBe("[0, 0, … 9,996 more, 0, 0]");
    expect(formatValue([{ role: "user", content: "hi" }, { role: "assistant", content: "yo" }])).toBe('[user: "hi", assistant: "yo"]');
    const chat = ["a", "b", "c"].map((content) => ({ role: "user", content }));
    expect(formatValue(chat)).toBe('[… 1 earlier, user: "b", user: "c"]');
    class Point {
      x = 1;
      y = 2;
    }
    expect(formatValue(new Point())).toBe("Point {x: 1, y: 2}");
    expect(formatValue(new Map([["k", 1]]))).toBe('Map {"k" => 1}');
    expect(formatValue("x".repeat(200), 10)).toBe(`"${"x".repeat(8)}…`);
    // What a failed check must tell apart.
    expect([formatValue(-0), formatValue(0), formatValue(/a+b/gi), formatValue(/a+b/)]).toEqual(["-0", "0", "/a+b/gi", "/a+b/"]);
  });
});

/**
 * V8 hidden classes on the connect path (App._shapeAnchors). V8 keeps a class's hidden classes
 * only while an instance is alive, and drops the optimised code built on them when a full GC
 * collects them; the app keeps an inert session so that a full GC with no session alive does
 * not deoptimise connect. That holds only while new sessions keep the anchor's hidden class.
 * Checked with V8's %HaveSameMap (natives syntax, enabled here): no timing involved.
 */
import { setFlagsFromString } from "node:v8";
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

setFlagsFromString("--allow-natives-syntax");
const sameHiddenClass = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;

function anchorSession(): object {
  return (gr.App as unknown as { _shapeAnchors: readonly object[] })._shapeAnchors[1];
}

describe("hidden classes of sessions (shape anchors)", () => {
  it("a new session has the hidden class of the app's inert session", async () => {
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });

  it("keeps it after sessions closed: closing stores no time on the session (a double where 0 was)", async () => {
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch();
    const first = await app.connect();
    await first.close();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });

  it("keeps it in an app with an idle timeout, whose sessions record when they were last used", async () => {
    const clock = new ManualClock(1_700_000_000_000); // a time that is not a small integer, as Date.now()
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch({ clock, sessionIdleTimeout: 60 });
    await app.connect();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });
});

/**
 * V8 keeps a function's optimised code only while a live function object holds it. A job the
 * Slicer runs made as a closure per job (per fan-out round, per app's concurrency group) lost its
 * optimised code at every full GC that found no such job alive, and the next round's loop over
 * every session ran unoptimised (measured: a 1,000-session fan-out 2-3x slower after a GC).
 * Jobs are objects whose `step` is one prototype method for the class's life.
 */
describe("slicer jobs keep their optimised code (one function object per class)", () => {
  type Round = { step(): boolean };
  const pendingRound = (app: gr.App): Round => {
    const rounds = (app as unknown as { _fanOuts: Map<string, Round> })._fanOuts;
    expect(rounds.size).toBe(1);
    return [...rounds.values()][0];
  };

  it("two fan-out rounds of a Global share their step function", async () => {
    let count!: gr.Global<number>, btn!: gr.Button, view!: gr.Number;
    const app = new gr.Blocks(() => {
      count = new gr.Global(0);
      btn = new gr.Button();
      view = new gr.Number();
      btn.click((c) => c + 1, count, count);
      count.change((c) => c, count, view);
    }).launch();
    const [a, b] = [await app.connect(), await app.connect()];
    const first = a.click(btn);
    const round1 = pendingRound(app);
    await first;
    const second = a.click(btn);
    const round2 = pendingRound(app);
    await second;
    expect(round2).not.toBe(round1);
    expect(round2.step).toBe(round1.step);
    expect(Object.prototype.hasOwnProperty.call(round1, "step")).toBe(false);
    expect(b.get(view)).toBe(2);
    await app.close();
  });
});

/**
 * The read and write paths reach a cell through its node (`CellNode`), so that their inline
 * caches see one hidden class whatever kinds of cells an app has: a field read directly from
 * cells of many classes (each with its own hidden class) falls back to V8's slower megamorphic
 * lookup (measured in blocks/block.ts). The nodes must then share one hidden class.
 */
describe("cell nodes (one hidden class for every kind of cell)", () => {
  type Node = { _id: number; kind: string; cell: unknown; _changeDeps: readonly unknown[] };
  const nodeOf = (cell: gr.AnyCell): Node => (cell as unknown as { _node: Node })._node;

  it("every kind of cell, with or without .change listeners, has a node of the same hidden class", () => {
    const cells: gr.AnyCell[] = [];
    const demo = new gr.Blocks(() => {
      const state = new gr.State(0);
      const factory = new gr.State(() => [1]);
      const global = new gr.Global("x");
      const browser = new gr.BrowserState({ a: 1 });
      const number = new gr.Number({ value: 3 });
      const text = new gr.Textbox();
      const slider = new gr.Slider({ minimum: 0, maximum: 10, randomize: true });
      const chat = new gr.Chatbot();
      const timer = new gr.Timer(1);
      cells.push(state, factory, global, browser, number, text, slider, chat, timer);
      state.change((s) => s, state, number);
      global.change((g) => g, global, text);
    });
    demo.launch();
    const nodes = cells.map(nodeOf);
    nodes.forEach((node, i) => {
      expect(node.cell).toBe(cells[i]);
      expect(node._id).toBe(cells[i].id);
      expect(node.kind).toBe(cells[i].kind);
      expect(sameHiddenClass(node, nodes[0])).toBe(true);
    });
    expect(nodes.map((node) => node._changeDeps.length)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

import * as gr from "blockstate";
import type { Observable } from "rxjs";

/**
 * Causal order (S55 streams): every stream delivers through one path, so a subscriber that
 * causes another write while it is being notified makes every subscriber see the writes in the
 * order they happened, never the later one before the earlier one.
 */

/**
 * Two subscribers to `stream`: the first calls `onFirst(value)` while notified (which writes
 * again); returns what the second one saw, and stops both.
 */
function watchTwo<T>(stream: Observable<T>, onFirst: (value: T) => void): { second: T[]; stop: () => void } {
  const second: T[] = [];
  const a = stream.subscribe((v) => onFirst(v));
  const b = stream.subscribe((v) => second.push(v));
  return { second, stop: () => (a.unsubscribe(), b.unsubscribe()) };
}

describe("a subscriber that writes while notified: every subscriber sees the writes in order", () => {
  it("State (value$)", async () => {
    let count!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      count = new gr.State(0);
    });
    const s = await demo.launch().connect();
    const { second, stop } = watchTwo(s.value$(count), (v) => {
      if (v === 1) void s.setState(count, 2);
    });
    await s.setState(count, 1);
    expect(second).toEqual([0, 1, 2]);
    stop();
  });

  it("Global (app.value$): a listener run while notified writes it again", async () => {
    let count!: gr.Global<number>, one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => 1, undefined, count);
      two.click(() => 2, undefined, count);
    });
    const app = demo.launch();
    const s = await app.connect();
    const { second, stop } = watchTwo(app.value$(count), (v) => {
      if (v === 1) void s.click(two); // a plain function: runs (and writes 2) at once
    });
    await s.click(one);
    await s.idle();
    expect(second).toEqual([0, 1, 2]);
    expect(app.get(count)).toBe(2);
    stop();
  });

  it("Global seen through session.value$", async () => {
    let count!: gr.Global<number>, one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => 1, undefined, count);
      two.click(() => 2, undefined, count);
    });
    const app = demo.launch();
    const s = await app.connect();
    const { second, stop } = watchTwo(s.value$(count), (v) => {
      if (v === 1) void s.click(two);
    });
    await s.click(one);
    await s.idle();
    expect(second).toEqual([0, 1, 2]);
    stop();
  });

  it("props (props$)", async () => {
    let box!: gr.Textbox, one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ label: "zero" });
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => gr.update({ label: "one" }), undefined, box);
      two.click(() => gr.update({ label: "two" }), undefined, box);
    });
    const s = await demo.launch().connect();
    const { second, stop } = watchTwo(s.props$(box), (p) => {
      if (p.label === "one") void s.click(two);
    });
    await s.click(one);
    await s.idle();
    expect(second.map((p) => p.label)).toEqual(["zero", "one", "two"]);
    stop();
  });

  it("updates (updates$)", async () => {
    let box!: gr.Textbox, one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => "one", undefined, box);
      two.click(() => "two", undefined, box);
    });
    const s = await demo.launch().connect();
    const { second, stop } = watchTwo(s.updates$, (u) => {
      if (u.value === "one") void s.click(two);
    });
    await s.click(one);
    await s.idle();
    expect(second).toEqual([
      { id: box.id, value: "one" },
      { id: box.id, value: "two" },
    ]);
    stop();
  });

  it("messages (messages$): an alert sent while another is being delivered comes after it", async () => {
    let one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => void gr.Info("one"));
      two.click(() => void gr.Info("two"));
    });
    const s = await demo.launch().connect();
    const alerts = (m: gr.Message) => (m.type === "info" ? [m.message] : []);
    const { second, stop } = watchTwo(s.messages$, (m) => {
      if (m.type === "info" && m.message === "one") void s.click(two);
    });
    await s.click(one);
    await s.idle();
    expect(second.flatMap(alerts)).toEqual(["one", "two"]);
    stop();
  });

  it("across kinds: a State subscriber's Global write reaches the Global's subscribers after the State's delivery", async () => {
    let st!: gr.State<number>, count!: gr.Global<number>, bump!: gr.Button;
    const demo = new gr.Blocks(() => {
      st = new gr.State(0);
      count = new gr.Global(0);
      bump = new gr.Button();
      bump.click(() => 1, undefined, count);
    });
    const app = demo.launch();
    const s = await app.connect();
    const log: string[] = [];
    s.value$(st).subscribe((v) => {
      log.push(`a:${v}`);
      if (v === 1) void s.click(bump);
    });
    app.value$(count).subscribe((v) => log.push(`global:${v}`));
    s.value$(st).subscribe((v) => log.push(`b:${v}`));
    await s.setState(st, 1);
    await s.idle();
    expect(log).toEqual(["a:0", "global:0", "b:0", "a:1", "b:1", "global:1"]);
  });

  it("across kinds, through session.value$: a Global written before a State in one run reaches its subscribers first", async () => {
    let st!: gr.State<number>, g!: gr.Global<number>, other!: gr.State<number>, bump!: gr.Button;
    const demo = new gr.Blocks(() => {
      st = new gr.State(0);
      g = new gr.Global(0);
      other = new gr.State(0);
      bump = new gr.Button();
      bump.click(() => [1, 1], undefined, [g, other]); // g written first
    });
    const app = demo.launch();
    const s = await app.connect();
    const log: string[] = [];
    s.value$(st).subscribe((v) => {
      if (v === 1) void s.click(bump);
    });
    s.value$(g).subscribe((v) => log.push(`g:${v}`));
    s.value$(other).subscribe((v) => log.push(`other:${v}`));
    await s.setState(st, 1);
    await s.idle();
    expect(log).toEqual(["g:0", "other:0", "g:1", "other:1"]);
  });

  it("a long chain of writes made while notified reaches every subscriber whole and in order", async () => {
    let count!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      count = new gr.State(0);
    });
    const s = await demo.launch().connect();
    const { second, stop } = watchTwo(s.value$(count), (v) => {
      if (v > 0 && v < 5000) void s.setState(count, v + 1);
    });
    await s.setState(count, 1);
    await s.idle();
    expect(second).toEqual(Array.from({ length: 5001 }, (_, i) => i));
    stop();
  });
});

describe("subscribing while another subscriber is being notified", () => {
  it("gets the current value once, then later changes", async () => {
    let count!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      count = new gr.State(0);
    });
    const s = await demo.launch().connect();
    const late: number[] = [];
    const sub = s.value$(count).subscribe((v) => {
      if (v !== 1) return;
      void s.setState(count, 2); // delivered after this notification
      s.value$(count).subscribe((w) => late.push(w));
    });
    await s.setState(count, 1);
    await s.setState(count, 3);
    expect(late).toEqual([2, 3]);
    sub.unsubscribe();
  });

  it("a late messages$ subscriber gets each kept alert once", async () => {
    let one!: gr.Button, two!: gr.Button;
    const demo = new gr.Blocks(() => {
      one = new gr.Button("one");
      two = new gr.Button("two");
      one.click(() => void gr.Info("one"));
      two.click(() => void gr.Info("two"));
    });
    const s = await demo.launch().connect();
    const late: string[] = [];
    const sub = s.messages$.subscribe((m) => {
      if (m.type !== "info" || m.message !== "one") return;
      void s.click(two); // "two" is kept at once, delivered after this notification
      s.messages$.subscribe((n) => void (n.type === "info" && late.push(n.message)));
    });
    await s.click(one);
    await s.idle();
    expect(late).toEqual(["one", "two"]);
    sub.unsubscribe();
  });
});

describe("stream ends", () => {
  it("a removed session completes each of its streams; a Global's app.value$ goes on", async () => {
    let box!: gr.Textbox, st!: gr.State<number>, count!: gr.Global<number>;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      st = new gr.State(0);
      count = new gr.Global(0);
    });
    const app = demo.launch({ sessionCapacity: 1 });
    const s = await app.connect();
    const ended: string[] = [];
    const watch = (name: string, o: Observable<unknown>) => o.subscribe({ complete: () => ended.push(name) });
    watch("value$", s.value$(st));
    watch("props$", s.props$(box));
    watch("updates$", s.updates$);
    watch("messages$", s.messages$);
    watch("app.value$", app.value$(count));
    watch("session's Global value$", s.value$(count));
    await app.connect(); // evicts `s` (capacity 1)
    expect(ended.sort()).toEqual(["messages$", "props$", "session's Global value$", "updates$", "value$"]);
    // Subscribing to the removed session's streams completes at once, reading nothing.
    watch("value$ after", s.value$(st));
    expect(ended).toContain("value$ after");
  });

  it("a closed app completes a Global's app.value$, and completes a later subscriber at once", async () => {
    let count!: gr.Global<number>;
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
    });
    const app = demo.launch();
    const before: string[] = [];
    app.value$(count).subscribe({ next: (v) => before.push(`next ${v}`), complete: () => before.push("complete") });
    await app.close();
    const after: string[] = [];
    app.value$(count).subscribe({ next: (v) => after.push(`next ${v}`), complete: () => after.push("complete") });
    expect([before, after]).toEqual([["next 0", "complete"], ["complete"]]);
  });
});

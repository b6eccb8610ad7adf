/**
 * Property-based tests (issue #11): random programs of user actions against small apps, with
 * fixed seeds and bounded runs so that `npm test` stays reproducible and quick. A failure prints
 * the shrunk program; replay it with the printed seed and path (`fc.assert` options).
 */
import fc from "fast-check";
import * as gr from "blockstate";
import { ManualClock, flush } from "blockstate/testing";
import type { Cell } from "blockstate/blocks";
import { STATUSES, cartProgram, counterProgram, within, type CartAction, type CartEvent, type CounterAction } from "./programs";

//#region The cart app and its model (S1)

/** A cart (State, mutated in place), a CheckboxGroup, a ClearButton and a `.change` chain. */
function cartApp() {
  let items!: gr.CheckboxGroup, cart!: gr.State<string[]>, size!: gr.Number;
  let note!: gr.Textbox, upper!: gr.Textbox, len!: gr.Number;
  let add!: gr.Button, undo!: gr.Button, clear!: gr.ClearButton;
  const demo = new gr.Blocks(() => {
    cart = new gr.State<string[]>([]);
    items = new gr.CheckboxGroup({ choices: ["Cereal", "Milk", "Orange Juice", "Water"], label: "Items" });
    size = new gr.Number({ label: "Cart Size" });
    note = new gr.Textbox({ label: "Note" });
    upper = new gr.Textbox({ label: "Upper" });
    len = new gr.Number({ label: "Length" });
    add = new gr.Button("Add");
    undo = new gr.Button("Undo");
    clear = new gr.ClearButton([items, note, cart]);
    // In place, after an await, by every session at once: S2 copies, S51 before-values.
    add.click(async function addItems(newItems: string[], prev: string[]) {
      await Promise.resolve();
      prev.push(...newItems);
      return prev;
    }, [items, cart], cart, { concurrencyLimit: null });
    // The default limit of 1: concurrent sessions queue (S60).
    undo.click(async function undoLast(c: string[]) {
      await Promise.resolve();
      return c.slice(0, -1);
    }, cart, cart);
    cart.change((c) => c.length, cart, size);
    note.change((t) => t.toUpperCase(), note, upper);
    upper.change((u) => u.length, upper, len);
  });
  return { demo, items, cart, size, note, upper, len, add, undo, clear };
}

type CartApp = ReturnType<typeof cartApp>;

/** What one session of the cart app shows, computed in plain JavaScript. */
interface CartModel {
  closed: boolean;
  items: string[];
  cart: string[];
  size: number | null;
  note: string;
  upper: string;
  len: number | null;
}

const freshCart = (): CartModel => ({ closed: false, items: [], cart: [], size: null, note: "", upper: "", len: null });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies a user event to a session's model (S52/S53: `.change` only when content differs); returns the status. */
function modelEvent(m: CartModel, e: CartEvent): string {
  const setCart = (next: string[]) => {
    if (!same(next, m.cart)) m.size = next.length;
    m.cart = next;
  };
  const setNote = (next: string) => {
    if (next === m.note) return;
    m.note = next;
    const up = next.toUpperCase();
    if (up !== m.upper) [m.upper, m.len] = [up, up.length];
  };
  switch (e.t) {
    case "items":
      if (e.v.some((x) => !["Cereal", "Milk", "Orange Juice", "Water"].includes(x))) return "error";
      m.items = [...e.v];
      return "complete";
    case "note":
      setNote(e.v);
      return "complete";
    case "add":
      setCart([...m.cart, ...m.items]);
      return "complete";
    case "undo":
      setCart(m.cart.slice(0, -1));
      return "complete";
    case "clear":
      m.items = [];
      setNote("");
      setCart([]);
      return "complete";
  }
}

function fireCart(app: CartApp, s: gr.Session, e: CartEvent): Promise<gr.EventResult> {
  switch (e.t) {
    case "items":
      return s.input(app.items, [...e.v]);
    case "note":
      return s.input(app.note, e.v);
    case "add":
      return s.click(app.add);
    case "undo":
      return s.click(app.undo);
    case "clear":
      return s.click(app.clear);
  }
}

function viewCart(app: CartApp, s: gr.Session): CartModel {
  return {
    closed: s.closed,
    items: s.get(app.items),
    cart: s.get(app.cart),
    size: s.get(app.size),
    note: s.get(app.note),
    upper: s.get(app.upper),
    len: s.get(app.len),
  };
}

/** Runs a cart program: each event's status is checked at once, every session's values at `look` steps and at the end. */
async function runCartProgram(program: CartAction[]): Promise<void> {
  const app = cartApp();
  const running = app.demo.launch();
  const sessions: gr.Session[] = [await running.connect()];
  const models: CartModel[] = [freshCart()];
  const open = () => sessions.map((_, i) => i).filter((i) => !models[i].closed);
  const pickOpen = (s: number) => {
    const o = open();
    return o.length ? o[s % o.length] : undefined;
  };
  try {
    for (const [step, a] of program.entries()) {
      if (a.t === "look") {
        expect({ step, sessions: sessions.map((s) => viewCart(app, s)) }).toEqual({ step, sessions: models });
      } else if (a.t === "connect") {
        sessions.push(await running.connect());
        models.push(freshCart());
      } else if (a.t === "reconnect") {
        const i = a.s % sessions.length;
        // S13: the app still holds it, so this is the same session, reopened with its values.
        expect(await running.connect({ sessionHash: sessions[i].sessionHash })).toBe(sessions[i]);
        models[i].closed = false;
      } else if (a.t === "close" || a.t === "reload") {
        const i = pickOpen(a.s);
        if (i === undefined) continue;
        if (a.t === "close") await sessions[i].close();
        else {
          sessions.push(await sessions[i].reload()); // S12: a new session from defaults
          models.push(freshCart());
        }
        models[i].closed = true;
      } else {
        // One event, or events of distinct open sessions fired together and awaited together.
        const batch: [number, CartEvent][] = [];
        for (const e of a.t === "together" ? a.events : [a as CartEvent]) {
          const i = pickOpen(e.s);
          if (i !== undefined && !batch.some(([j]) => j === i)) batch.push([i, e]);
        }
        const results = await Promise.all(batch.map(([i, e]) => fireCart(app, sessions[i], e)));
        const expected = batch.map(([i, e]) => modelEvent(models[i], e));
        expect({ step, statuses: results.map((r) => r.status) }).toEqual({ step, statuses: expected });
      }
    }
    expect({ end: true, sessions: sessions.map((s) => viewCart(app, s)) }).toEqual({ end: true, sessions: models });
  } finally {
    await running.close();
  }
}

//#endregion
//#region The counter app (S8, S56, S80)

/**
 * A Global counter incremented by four listeners that have it as input and output (S8): a
 * synchronous click, an async click that sleeps `delay` seconds on the clock (cancellable,
 * with a time limit, failing when `broken`), a Timer tick switched per session, and a
 * cancellable generator that adds 1 per yield. Each also counts the session's own increments
 * in a State. `report` waits in the default group of 1
 * under a small queue bound (S60, S62); `view` mirrors the Global in every session (S56).
 */
function counterApp(clock: ManualClock) {
  let count!: gr.Global<number>, mine!: gr.State<number>, streamed!: gr.State<number>, view!: gr.Number, reported!: gr.Textbox;
  let delay!: gr.Number, broken!: gr.Checkbox, ticking!: gr.Checkbox, timer!: gr.Timer;
  let inc!: gr.Button, slow!: gr.Button, stream!: gr.Button, stop!: gr.Button, report!: gr.Button;
  let increments!: gr.Dependency[];
  const demo = new gr.Blocks((demo) => {
    count = new gr.Global(0);
    mine = new gr.State(0);
    streamed = new gr.State(0);
    view = new gr.Number({ label: "Count" });
    reported = new gr.Textbox({ label: "Reported" });
    delay = new gr.Number({ value: 0, minimum: 0, maximum: 3, precision: 0, label: "Delay" });
    broken = new gr.Checkbox({ label: "Broken" });
    ticking = new gr.Checkbox({ value: true, label: "Ticking" });
    timer = new gr.Timer(1);
    inc = new gr.Button("+1");
    slow = new gr.Button("Slow +1");
    stream = new gr.Button("+1, +1");
    stop = new gr.Button("Stop");
    report = new gr.Button("Report");
    const side = { concurrencyLimit: null, triggerMode: "multiple" } as const;
    const incDep = inc.click(function bump(c: number, m: number) {
      return [c + 1, m + 1];
    }, [count, mine], [count, mine], side);
    const slowDep = slow.click(async function slowBump(c: number, m: number, d: number | null, b: boolean) {
      await clock.sleep((d ?? 0) * 1000);
      await Promise.resolve();
      if (b) throw new gr.Error("broken");
      return [c + 1, m + 1];
    }, [count, mine, delay, broken], [count, mine], { ...side, timeLimit: 2.5 });
    const tickDep = timer.tick(async function tickBump(c: number, m: number) {
      await Promise.resolve();
      return [c + 1, m + 1];
    }, [count, mine], [count, mine], { concurrencyLimit: null });
    // Two increments from one read, one per yield: the lock spans the whole run (S8, S35).
    const streamDep = stream.click(async function* streamBump(c: number, n: number) {
      yield [c + 1, n + 1];
      await clock.sleep(500);
      yield [c + 2, n + 2];
    }, [count, streamed], [count, streamed], side);
    increments = [incDep, slowDep, tickDep, streamDep];
    stop.click(() => undefined, undefined, undefined, { cancels: [slowDep, streamDep] });
    ticking.change((on) => gr.update({ active: on }), ticking, timer);
    report.click(async function writeReport(c: number) {
      await clock.sleep(2000);
      return `count ${c}`;
    }, count, reported);
    count.change((c) => c, count, view);
    demo.load((c) => c, count, view);
  });
  return { demo, count, mine, streamed, view, reported, delay, broken, ticking, timer, inc, slow, stream, stop, report, increments };
}

type CounterApp = ReturnType<typeof counterApp>;

interface FiredEvent {
  label: string;
  session: number;
  kind: string;
  result?: gr.EventResult;
  /** Resolves once `result` is set. */
  done: Promise<void>;
}

/** What a counter program did and saw, for the properties to check. */
interface CounterRun {
  clock: ManualClock;
  app: CounterApp;
  running: gr.App;
  sessions: gr.Session[];
  /** Sessions closed at some point (they miss Global `.change` runs while closed, S56). */
  everClosed: Set<number>;
  events: FiredEvent[];
  /** Per session: how many increment runs of a click, and of the Timer, reported `complete` (status messages). */
  completedClicks: number[];
  completedTicks: number[];
  /** Per session: how many streaming runs reported `complete`. */
  completedStreams: number[];
  /** Actions, settlements and values, in order: the same program must give the same log. */
  log: string[];
}

/**
 * Runs a counter program on a ManualClock: every event is fired without awaiting; `settle`
 * and the end of the program await them all within a bounded amount of clock time. The app
 * is left open, so that the caller can read it; the caller closes it.
 */
async function runCounterProgram(program: CounterAction[]): Promise<CounterRun> {
  const clock = new ManualClock();
  const app = counterApp(clock);
  const running = app.demo.launch({ clock, maxQueueSize: 1 });
  const run: CounterRun = { clock, app, running, sessions: [], everClosed: new Set(), events: [], completedClicks: [], completedTicks: [], completedStreams: [], log: [] };
  const { sessions, log } = run;
  const [incDep, slowDep, tickDep, streamDep] = app.increments;
  const hashes = new Map<string, string>();
  const scrub = (text: string) => [...hashes].reduce((t, [h, name]) => t.split(h).join(name), text);

  const track = (s: gr.Session) => {
    const i = sessions.length;
    sessions.push(s);
    hashes.set(s.sessionHash, `#${i}`);
    run.completedClicks.push(0);
    run.completedTicks.push(0);
    run.completedStreams.push(0);
    s.messages$.subscribe((m) => {
      if (m.type === "status" && m.stage === "complete") {
        if (m.dependency === incDep.id || m.dependency === slowDep.id) run.completedClicks[i]++;
        if (m.dependency === tickDep.id) run.completedTicks[i]++;
        if (m.dependency === streamDep.id) run.completedStreams[i]++;
      }
      if (m.type === "error") log.push(`#${i} hears ${scrub(m.message)}`);
    });
  };
  const fire = (i: number, kind: string, p: Promise<gr.EventResult>) => {
    const label = `#${i} ${kind} (event ${run.events.length})`;
    const e: FiredEvent = {
      label,
      session: i,
      kind,
      done: p.then((r) => {
        e.result = r;
        log.push(`${label} → ${r.status}${r.error ? `: ${scrub(r.error.message)}` : ""}`);
      }),
    };
    run.events.push(e);
  };
  const settle = async () => {
    await within(clock, Promise.all(run.events.map((e) => e.done)), "the program's events");
    for (const [i, s] of sessions.entries()) if (!s.closed) await within(clock, s.idle(), `session #${i}'s idle()`);
  };
  const open = () => sessions.map((_, i) => i).filter((i) => !sessions[i].closed);
  const pickOpen = (s: number) => {
    const o = open();
    return o.length ? o[s % o.length] : undefined;
  };
  const values = () =>
    `count ${running.get(app.count)}; ` +
    sessions
      .map((s, i) => `#${i}${s.closed ? " (closed)" : ""} ${[app.mine, app.streamed, app.view, app.reported, app.delay, app.broken, app.ticking, app.timer].map((c: Cell<unknown>) => JSON.stringify(s.get(c))).join(" ")}`)
      .join("; ");

  track(await within(clock, running.connect(), "connect"));
  for (const a of program) {
    log.push(`do ${JSON.stringify(a)}`);
    if (a.t === "connect") track(await within(clock, running.connect(), "connect"));
    else if (a.t === "reconnect") await within(clock, running.connect({ sessionHash: sessions[a.s % sessions.length].sessionHash }), "reconnect");
    else if (a.t === "advance") await clock.advance(a.ms);
    else if (a.t === "settle") await settle();
    else if (a.t === "flush") await flush();
    else {
      const i = pickOpen(a.s);
      if (i === undefined) continue;
      const s = sessions[i];
      if (a.t === "close") {
        run.everClosed.add(i);
        await within(clock, s.close(), "close");
      } else if (a.t === "reload") {
        run.everClosed.add(i);
        track(await within(clock, s.reload(), "reload"));
      } else if (a.t === "delay") fire(i, a.t, s.input(app.delay, a.v));
      else if (a.t === "broken" || a.t === "ticking") fire(i, a.t, s.input(app[a.t], a.v));
      else fire(i, a.t, s.click(app[a.t]));
    }
    log.push(values());
  }
  await settle();
  log.push(`settled: ${values()}`);
  return run;
}

//#endregion

// Fixed seeds: the same programs on every run. Budgets keep the file at a few seconds.
const RUNS = { cart: 150, counter: 100, determinism: 50 };

describe("properties over random programs (issue #11)", () => {
  it("isolates sessions: each session's values follow a model of its own actions alone (S1, S2, S12, S13, S51-S53)", async () => {
    await fc.assert(fc.asyncProperty(cartProgram, runCartProgram), { seed: 0x5e551, numRuns: RUNS.cart });
  }, 60_000);

  it("loses no Global update: the Global counts exactly the completed increments, with concurrent async handlers (S8, S56)", async () => {
    await fc.assert(
      fc.asyncProperty(counterProgram, async (program) => {
        const run = await runCounterProgram(program);
        const { app, running, sessions } = run;
        try {
          const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          const total = running.get(app.count);
          // Each session's own count is its completed increments: clicks and ticks.
          const mine = sessions.map((s) => s.get(app.mine));
          expect(mine).toEqual(sessions.map((_, i) => run.completedClicks[i] + run.completedTicks[i]));
          // A stream adds 2 when it completes, and at most 2 when cancelled (its first yield stays, S39).
          const streamed = sessions.map((s) => s.get(app.streamed));
          const streams = sessions.map((_, i) => run.events.filter((e) => e.session === i && e.kind === "stream").length);
          for (const [i, n] of streamed.entries()) {
            expect({ session: i, streamed: n >= 2 * run.completedStreams[i] && n <= 2 * streams[i] }).toEqual({ session: i, streamed: true });
          }
          // No increment lost between sessions or between concurrent runs of one session.
          expect(total).toBe(sum(mine) + sum(streamed));
          // A click completes exactly when its increment run does (nothing else in its cascade can fail).
          const clicked = run.events.filter((e) => (e.kind === "inc" || e.kind === "slow") && e.result?.status === "complete");
          expect(clicked.length).toBe(sum(run.completedClicks));
          // A session open since it connected mirrors the Global (load, then `.change` in every open session).
          for (const [i, s] of sessions.entries()) {
            if (!run.everClosed.has(i)) expect({ session: i, view: s.get(app.view) }).toEqual({ session: i, view: total });
          }
        } finally {
          await within(run.clock, running.close(), "app.close()");
        }
      }),
      { seed: 0x58, numRuns: RUNS.counter },
    );
  }, 60_000);

  it("resolves every event with a known status, and the app closes: no hang (docs/03 event results)", async () => {
    await fc.assert(
      fc.asyncProperty(counterProgram, async (program) => {
        const run = await runCounterProgram(program); // throws if anything is still pending
        for (const e of run.events) expect({ event: e.label, known: STATUSES.includes(e.result!.status) }).toEqual({ event: e.label, known: true });
        await within(run.clock, run.running.close(), "app.close()");
        expect(run.running.sessionCount).toBe(0);
      }),
      { seed: 0x4a6, numRuns: RUNS.counter },
    );
  }, 60_000);

  it("is deterministic on a ManualClock: the same program gives the same log twice (S23)", async () => {
    await fc.assert(
      fc.asyncProperty(counterProgram, async (program) => {
        const logs: string[][] = [];
        for (const _ of [1, 2]) {
          const run = await runCounterProgram(program);
          await within(run.clock, run.running.close(), "app.close()");
          logs.push(run.log);
        }
        expect(logs[1]).toEqual(logs[0]);
      }),
      { seed: 0xde7, numRuns: RUNS.determinism },
    );
  }, 60_000);
});

/**
 * Batch listeners (ListenerOptions.batch, Gradio's `batch=True, max_batch_size`): runs waiting
 * in the queue are taken together and `fn` is called once with one list per input; each run
 * reads and writes its own session (S1, S31).
 */
import * as gr from "blockstate";
import { flush } from "blockstate/testing";
import { createHandler } from "blockstate/server";
import { AsyncLocalStorage } from "node:async_hooks";

/** Lets the runs make progress until `done()` holds (bounded, never timed). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await flush();
  expect(done()).toBe(true);
}

/** An app whose `trim(word, length)` is a batch listener; each call is recorded and gated. */
function trimApp(options: gr.ListenerOptions = {}) {
  let word!: gr.Textbox, length!: gr.Number, out!: gr.Textbox, count!: gr.State<number>, btn!: gr.Button;
  const calls: [string[], number[]][] = [];
  const gates: (() => void)[] = [];
  const demo = new gr.Blocks(() => {
    word = new gr.Textbox();
    length = new gr.Number({ value: 2 });
    out = new gr.Textbox();
    count = new gr.State(0);
    btn = new gr.Button();
    btn.click(
      async function trim(words: string[], lengths: (number | null)[], counts: number[]) {
        calls.push([words, lengths as number[]]);
        await new Promise<void>((resolve) => gates.push(resolve));
        return [words.map((w, i) => w.slice(0, lengths[i] ?? 0)), counts.map((c) => c + 1)];
      },
      [word, length, count],
      [out, count],
      { ...options, batch: true },
    );
  });
  const open = () => gates.splice(0).forEach((go) => go());
  return { demo, word, length, out, count, btn, calls, open };
}

describe("batch listeners (Gradio's batch=True)", () => {
  it("takes the runs waiting in the queue into one call, each session's own inputs in, its own outputs out (S1)", async () => {
    const { demo, word, length, out, count, btn, calls, open } = trimApp();
    const app = demo.launch();
    const sessions = await Promise.all([0, 1, 2, 3].map(() => app.connect()));
    const words = ["alpha", "bravo", "charlie", "delta"];
    for (const [i, s] of sessions.entries()) {
      await s.input(word, words[i]);
      await s.input(length, i + 1);
    }
    // The first run takes the group's one slot; the other three wait, and are taken together.
    const events = sessions.map((s) => s.click(btn));
    await until(() => calls.length === 1);
    expect(calls[0]).toEqual([["alpha"], [1]]);
    open();
    await until(() => calls.length === 2);
    expect(calls[1]).toEqual([["bravo", "charlie", "delta"], [2, 3, 4]]);
    open();
    expect((await Promise.all(events)).map((r) => r.status)).toEqual(["complete", "complete", "complete", "complete"]);
    expect(sessions.map((s) => s.get(out))).toEqual(["a", "br", "cha", "delt"]);
    expect(sessions.map((s) => s.get(count))).toEqual([1, 1, 1, 1]);
    await app.close();
  });

  it("takes at most maxBatchSize runs, in queue order; the rest form the next batch", async () => {
    const { demo, word, btn, calls, open } = trimApp({ maxBatchSize: 2 });
    const app = demo.launch();
    const sessions = await Promise.all([0, 1, 2, 3, 4].map(() => app.connect()));
    for (const [i, s] of sessions.entries()) await s.input(word, `w${i}`);
    const events = sessions.map((s) => s.click(btn));
    for (let n = 1; n <= 3; n++) {
      await until(() => calls.length === n);
      open();
    }
    await Promise.all(events);
    expect(calls.map(([words]) => words)).toEqual([["w0"], ["w1", "w2"], ["w3", "w4"]]);
    await app.close();
  });

  it("calls fn with lists of one for a run that starts at once, also through session.call; the event context is the first run's", async () => {
    let seen: unknown;
    let sq!: gr.Button, n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 3 });
      sq = new gr.Button();
      sq.click((xs: (number | null)[], ctx: gr.EventContext) => ((seen = ctx.sessionHash), [xs.map((x) => (x ?? 0) ** 2)]), n, n, { batch: true, apiName: "square" });
    });
    const s = await demo.launch().connect();
    await s.click(sq);
    expect([s.get(n), seen]).toEqual([9, s.sessionHash]);
    expect(await s.call("square", 5)).toEqual([25]);
  });

  it("fails every run of the batch, naming the listener, for a result of the wrong shape or an error; nothing is written", async () => {
    for (const [fn, message] of [
      [() => ["not", "lists"], /^listener "bad" is a batch listener: it must return one list per output \(1\), each with one value per run of the batch \(2\); got a list of 2 \(not a list, not a list\)\.$/],
      [(xs: string[]) => [xs.slice(1)], /one value per run of the batch \(2\)/],
      [() => {
        throw new gr.Error("model offline");
      }, /^model offline$/],
    ] as const) {
      let box!: gr.Textbox, btn!: gr.Button, gate!: () => void;
      let first = true;
      const demo = new gr.Blocks(() => {
        box = new gr.Textbox({ value: "x" });
        btn = new gr.Button();
        btn.click(
          async function bad(xs: string[]) {
            if (first) {
              first = false;
              await new Promise<void>((resolve) => (gate = resolve));
              return [xs];
            }
            return (fn as (xs: string[]) => unknown)(xs);
          },
          box,
          box,
          { batch: true },
        );
      });
      const app = demo.launch();
      const [a, b, c] = await Promise.all([app.connect(), app.connect(), app.connect()]);
      const ea = a.click(btn);
      await until(() => gate !== undefined);
      const [eb, ec] = [b.click(btn), c.click(btn)];
      gate();
      expect((await ea).status).toBe("complete");
      for (const [s, e] of [[b, eb], [c, ec]] as const) {
        const result = await e;
        expect(result.status).toBe("error");
        expect(result.error!.message).toMatch(message);
        expect(s.get(box)).toBe("x");
      }
      await app.close();
    }
  });

  it("drops a run cancelled while its batch runs; the others get their outputs", async () => {
    let box!: gr.Textbox, go!: gr.Button, stop!: gr.Button, gate!: () => void;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "x" });
      go = new gr.Button();
      stop = new gr.Button();
      const dep = go.click(
        async (xs: string[]) => {
          await new Promise<void>((resolve) => (gate = resolve));
          return [xs.map((x) => `${x}!`)];
        },
        box,
        box,
        { batch: true },
      );
      stop.click(() => undefined, undefined, undefined, { cancels: dep, queue: false });
    });
    const app = demo.launch();
    const [a, b, c] = await Promise.all([app.connect(), app.connect(), app.connect()]);
    const ea = a.click(go);
    await until(() => gate !== undefined);
    const [eb, ec] = [b.click(go), c.click(go)];
    const firstGate = gate;
    firstGate();
    await ea;
    await until(() => gate !== firstGate); // b and c run as one batch
    await b.click(stop);
    gate();
    expect([(await eb).status, (await ec).status]).toEqual(["cancelled", "complete"]);
    expect([a.get(box), b.get(box), c.get(box)]).toEqual(["x!", "x", "x!"]);
    await app.close();
  });

  it("holds its group's slot until the batch's last run ends, also when its first run is cancelled meanwhile (S60)", async () => {
    let box!: gr.Textbox, go!: gr.Button, stop!: gr.Button;
    const gates: (() => void)[] = [];
    const calls: string[][] = [];
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "x" });
      go = new gr.Button();
      stop = new gr.Button();
      const dep = go.click(
        async (xs: string[]) => {
          calls.push(xs);
          await new Promise<void>((resolve) => gates.push(resolve));
          return [xs.map((x) => `${x}!`)];
        },
        box,
        box,
        { batch: true },
      );
      stop.click(() => undefined, undefined, undefined, { cancels: dep, queue: false });
    });
    const app = demo.launch();
    const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => app.connect()));
    for (const [i, s] of [a, b, c, d].entries()) await s.input(box, `s${i}`);
    const ea = a.click(go);
    await until(() => calls.length === 1);
    const [eb, ec] = [b.click(go), c.click(go)];
    gates.shift()!();
    await ea;
    await until(() => calls.length === 2); // b (first) and c, as one batch
    expect(calls[1]).toEqual(["s1", "s2"]);
    await b.click(stop); // its first run cancelled: the batch still runs for c
    const ed = d.click(go);
    for (let i = 0; i < 10; i++) await flush();
    expect(calls).toHaveLength(2); // d waits: the batch still holds the one slot
    gates.shift()!();
    expect([(await eb).status, (await ec).status]).toEqual(["cancelled", "complete"]);
    await until(() => calls.length === 3);
    gates.shift()!();
    await ed;
    expect([b.get(box), c.get(box), d.get(box)]).toEqual(["s1", "s2!", "s3!"]);
    await app.close();
  });

  it("a cancel or close of the batch's first run does not abort the others (ctx.signal aborts once every run is cancelled); the error of a bad shape quotes no session's values", async () => {
    for (const how of ["cancel", "close", "shape"] as const) {
      let box!: gr.Textbox, go!: gr.Button, stop!: gr.Button;
      const gates: (() => void)[] = [];
      let n = 0;
      const demo = new gr.Blocks(() => {
        box = new gr.Textbox({ value: "x" });
        go = new gr.Button();
        stop = new gr.Button();
        const dep = go.click(
          async (xs: string[], ctx: gr.EventContext) => {
            n++;
            await new Promise<void>((resolve, reject) => {
              gates.push(resolve);
              ctx.signal.addEventListener("abort", () => reject(new Error("aborted")));
            });
            return how === "shape" ? [xs, xs] : [xs.map((x) => `${x}!`)];
          },
          box,
          box,
          { batch: true },
        );
        stop.click(() => undefined, undefined, undefined, { cancels: dep, queue: false });
      });
      const app = demo.launch();
      const [a, b, c] = await Promise.all([0, 1, 2].map(() => app.connect()));
      await b.input(box, "bob-secret");
      await c.input(box, "carol-secret");
      const ea = a.click(go);
      await until(() => n === 1);
      const [eb, ec] = [b.click(go), c.click(go)];
      gates.shift()!();
      await ea;
      await until(() => n === 2); // b leads the batch [b, c]
      if (how === "cancel") await b.click(stop);
      if (how === "close") await b.close();
      gates.shift()?.();
      const rc = await ec;
      if (how === "shape") {
        expect(rc.error!.message).toMatch(/got a list of 2 \(2, 2\)\.$/);
        expect(rc.error!.message).not.toMatch(/secret/);
      } else {
        expect([(await eb).status, rc.status, c.get(box)]).toEqual(["cancelled", "complete", "carol-secret!"]);
      }
      await app.close();
    }
  });

  it("applies each run's part in its own trigger's async context: its .then listeners see its own (docs/03)", async () => {
    const user = new AsyncLocalStorage<string>();
    let box!: gr.Textbox, log!: gr.Textbox, go!: gr.Button;
    const gates: (() => void)[] = [];
    let n = 0;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "x" });
      log = new gr.Textbox({ value: "" });
      go = new gr.Button();
      go.click(
        async (xs: string[]) => {
          n++;
          await new Promise<void>((resolve) => gates.push(resolve));
          return [xs.map((x) => `${x}!`)];
        },
        box,
        box,
        { batch: true },
      ).then(() => user.getStore() ?? "none", undefined, log);
    });
    const app = demo.launch();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => app.connect()));
    const ea = user.run("alice", () => a.click(go));
    await until(() => n === 1);
    const eb = user.run("bob", () => b.click(go));
    const ec = user.run("carol", () => c.click(go));
    gates.shift()!();
    await ea;
    await until(() => n === 2);
    gates.shift()!();
    await Promise.all([eb, ec]);
    expect([a.get(log), b.get(log), c.get(log)]).toEqual(["alice", "bob", "carol"]);
    await app.close();
  });

  it("a js-only listener (fn null) with batch runs nothing, as without", async () => {
    let box!: gr.Textbox, go!: gr.Button, log!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "x" });
      log = new gr.Textbox({ value: "" });
      go = new gr.Button();
      go.click(null, box, box, { js: "(x) => x.toUpperCase()", batch: true }).then(() => "chained", undefined, log);
    });
    const s = await demo.launch().connect();
    expect((await s.click(go)).status).toBe("complete");
    expect([s.get(box), s.get(log)]).toEqual(["x", "chained"]);
  });

  it("is served to Gradio's clients with batch and max_batch_size in /config, and runs their calls", async () => {
    let box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      new gr.Button().click((xs: string[]) => [xs.map((x) => x.toUpperCase())], box, box, { batch: true, maxBatchSize: 8, apiName: "shout" });
    });
    const handler = createHandler(demo);
    try {
      const config = (await (await handler(new Request("http://127.0.0.1:7860/config"))).json()) as { dependencies: Record<string, unknown>[] };
      expect(config.dependencies[0]).toMatchObject({ batch: true, max_batch_size: 8 });
      const started = await handler(new Request("http://127.0.0.1:7860/gradio_api/call/shout", { method: "POST", body: JSON.stringify({ data: ["hi"] }) }));
      const { event_id } = (await started.json()) as { event_id: string };
      expect(await (await handler(new Request(`http://127.0.0.1:7860/gradio_api/call/shout/${event_id}`))).text()).toBe('event: complete\ndata: ["HI"]\n\n');
    } finally {
      await handler.close();
    }
  });

  it("refuses a generator fn, a validator, and bad option values at registration", () => {
    expect(() => new gr.Blocks(() => new gr.Button().click(function* () { yield [[]]; }, undefined, undefined, { batch: true }))).toThrow(/a batch listener cannot stream/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => [[]], undefined, undefined, { batch: true, validator: () => undefined }))).toThrow(/a batch listener cannot have a validator/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => [[]], undefined, undefined, { batch: "yes" as never }))).toThrow(/batch must be true or false; got "yes"/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => [[]], undefined, undefined, { batch: true, maxBatchSize: 0 }))).toThrow(/maxBatchSize must be a positive integer; got 0/);
  });
});

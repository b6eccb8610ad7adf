/**
 * Keys across a region's runs (S111, Gradio's `key_to_id_map` and keyed listeners): a keyed
 * block or listener of the next run is the same block, or listener, of the session. It keeps
 * its id, a run of the replaced listener that ends late writes the new block, and a keyed
 * listener's runs count as the new one's (S38).
 */
import * as gr from "blockstate";
import { flush } from "blockstate/testing";

/** Lets the session's runs make progress until `done()` holds (bounded, never timed). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await flush();
  expect(done()).toBe(true);
}

/** A region re-run by `n`, with a keyed box, an unkeyed one, and a gated button writing the keyed box. */
function gatedApp(options: { listenerKey?: string; triggerMode?: gr.TriggerMode } = {}) {
  let n!: gr.Number, changes!: gr.Textbox;
  const gates: (() => void)[] = [];
  let calls = 0;
  const demo = new gr.Blocks(() => {
    n = new gr.Number({ value: 1, label: "N" });
    changes = new gr.Textbox({ label: "Changes" });
    gr.render([n], (v: number | null) => {
      const keyed = new gr.Textbox({ label: `Keyed ${v}`, key: "keyed" });
      new gr.Textbox({ label: `Plain ${v}` });
      keyed.change((text: string) => `run ${v} saw ${text}`, keyed, changes);
      new gr.Button({ value: `Go ${v}`, key: "go" }).click(
        async () => {
          calls++;
          await new Promise<void>((resolve) => gates.push(resolve));
          return `late from run ${v}`;
        },
        undefined,
        keyed,
        { key: options.listenerKey, triggerMode: options.triggerMode },
      );
    });
  });
  return { demo, n, changes, openGates: () => gates.splice(0).forEach((open) => open()), calls: () => calls };
}

describe("keys across a gr.render region's runs (S111)", () => {
  it("gives a keyed block the id of the previous run's block with its key, as Gradio does; an unkeyed one a new id", async () => {
    const { demo, n } = gatedApp();
    const s = await demo.launch().connect();
    const keyed = s.find({ key: "keyed" })!;
    const plain = s.find("Plain 1")!;
    const button = s.find({ key: "go", type: "Button" })!;
    await s.input(n, 2);
    expect(s.find("Keyed 2")!.id).toBe(keyed.id);
    expect(s.find({ key: "go", type: "Button" })!.id).toBe(button.id);
    expect(s.find("Plain 2")!.id).not.toBe(plain.id);
    expect(s.find("Keyed 2")).not.toBe(keyed); // a new object, the same block of the session
  });

  it("gives a new id when the key's block changed class", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        if (v === 1) new gr.Textbox({ label: "Thing", key: "thing" });
        else new gr.Number({ label: "Thing", key: "thing" });
      });
    });
    const s = await demo.launch().connect();
    const before = s.find("Thing")!;
    await s.input(n, 2);
    const after = s.find("Thing")!;
    expect([after.type, after.id === before.id]).toEqual(["number", false]);
    expect(s.get(after)).toBeNull(); // its own value, nothing of the Textbox's
  });

  it("writes what a replaced listener's run returns late into the keyed block that took its place, and runs that block's .change", async () => {
    const { demo, n, changes, openGates } = gatedApp();
    const s = await demo.launch().connect();
    const click = s.click(s.find({ key: "go", type: "Button" })!);
    await s.input(n, 2); // re-render while the click's run waits
    openGates();
    await click;
    await s.idle();
    expect(s.get(s.find("Keyed 2")!)).toBe("late from run 1");
    expect(s.get(changes)).toBe("run 2 saw late from run 1"); // the new block's listener
    expect(s.messages).toEqual([]);
  });

  it("writes a late result into the block of the newest run, two re-renders on", async () => {
    const { demo, n, changes, openGates } = gatedApp();
    const s = await demo.launch().connect();
    const click = s.click(s.find({ key: "go", type: "Button" })!);
    await s.input(n, 2);
    await s.input(n, 3);
    openGates();
    await click;
    await s.idle();
    expect(s.get(s.find("Keyed 3")!)).toBe("late from run 1");
    expect(s.get(changes)).toBe("run 3 saw late from run 1");
  });

  it("drops a late write to an unkeyed block (nothing took its place)", async () => {
    let n!: gr.Number;
    let open!: () => void;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        const box = new gr.Textbox({ label: `Box ${v}` });
        new gr.Button("Go").click(() => new Promise<string>((resolve) => (open = () => resolve("late"))), undefined, box);
      });
    });
    const s = await demo.launch().connect();
    const click = s.click(s.find({ type: "Button" })!);
    await s.input(n, 2);
    open();
    await click;
    expect(s.get(s.find("Box 2")!)).toBe("");
  });

  it("keeps a keyed component's value$ and props$ going across runs, with the new run's value and props where they differ", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => void new gr.Textbox({ value: `start ${v}`, label: `Box ${v}`, key: "box" }));
    });
    const s = await demo.launch().connect();
    const box = s.find({ key: "box" })!;
    const values: unknown[] = [];
    const labels: unknown[] = [];
    let completed = 0;
    s.value$(box).subscribe({ next: (v) => values.push(v), complete: () => completed++ });
    s.props$(box).subscribe({ next: (p) => labels.push(p.label), complete: () => completed++ });
    await s.input(n, 2); // not edited since rendered: the new run's value (S111)
    await s.input(s.find({ key: "box" })!, "mine");
    await s.input(n, 3); // edited: the value is kept, the label is the new run's
    expect([values, labels, completed]).toEqual([["start 1", "start 2", "mine"], ["Box 1", "Box 2", "Box 3"], 0]);
  });

  it("keeps a keyed layout container's props$ going, with the new run's props from its first carry on", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => void new gr.Accordion(`More ${v}`, { key: "more" }, () => void new gr.Textbox({ label: `In ${v}` })));
    });
    const s = await demo.launch().connect();
    const labels: unknown[] = [];
    s.props$(s.find({ key: "more", type: "Accordion" }) as unknown as gr.Accordion).subscribe((p) => labels.push(p.label));
    await s.input(n, 2);
    await s.input(n, 3);
    expect(labels).toEqual(["More 1", "More 2", "More 3"]);
  });

  it("keeps comparing a keyed block's writes for its .change when a value$ taken renders ago ends (S52)", async () => {
    let n!: gr.Number;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], () => {
        const box = new gr.Textbox({ label: "Box", key: "box", value: "fixed" });
        box.change(() => void changes++);
        new gr.Button({ value: "Same", elemId: "same" }).click(() => "fixed", undefined, box);
      });
    });
    const s = await demo.launch().connect();
    const subscription = s.value$(s.find("Box")!).subscribe();
    await s.input(n, 2);
    await s.input(n, 3); // the run that subscribed is released by now
    subscription.unsubscribe();
    await s.click(s.find({ elemId: "same" })!); // the same content: no change
    expect(changes).toBe(0);
  });

  it("keeps a keyed block's id and value when a later run fails (S112), and carries it on from there", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        new gr.Textbox({ label: "Box", key: "box" });
        if (v === 2) throw new Error("no two");
      });
    });
    const s = await demo.launch().connect();
    const box = s.find("Box")!;
    await s.input(box, "kept");
    expect((await s.input(n, 2)).status).toBe("error");
    expect([s.find("Box")!.id, s.get(s.find("Box")!)]).toEqual([box.id, "kept"]);
    await s.input(n, 3);
    expect([s.find("Box")!.id, s.get(s.find("Box")!)]).toEqual([box.id, "kept"]);
  });

  it("keeps ids within the largest render when keyed blocks and listeners are carried through many runs with runs in flight", async () => {
    const { demo, n, openGates } = gatedApp({ listenerKey: "go", triggerMode: "multiple" });
    const s = await demo.launch().connect();
    const ids = new Set<number>();
    const clicks: Promise<gr.EventResult>[] = [];
    for (let i = 2; i < 40; i++) {
      clicks.push(s.click(s.find({ key: "go", type: "Button" })!));
      await s.input(n, i);
      for (const block of s.findAll({ type: "Textbox" })) ids.add(block.id);
      if (i % 5 === 0) openGates();
    }
    openGates();
    await Promise.all(clicks);
    await s.idle();
    const keyed = s.find({ key: "keyed" })!;
    expect(s.get(keyed)).toMatch(/^late from run \d+$/);
    expect(Math.max(...ids)).toBeLessThan(20); // freed ids are reused; a carried one is never freed under its block
    // Each late write reached the block that was current when it ended (none lost to a freed id).
    expect(s.messages).toEqual([]);
  });
});

describe("keyed listeners (ListenerOptions.key)", () => {
  it("keeps a keyed listener's id across runs; an unkeyed one gets a new id", async () => {
    const keyed = gatedApp({ listenerKey: "go" });
    const plain = gatedApp();
    const idOf = (s: gr.Session) => s.renders()[Object.keys(s.renders())[0] as unknown as number].dependencies.find((d) => d.triggers.some((t) => t[1] === "click"))!.id;
    const sk = await keyed.demo.launch().connect();
    const sp = await plain.demo.launch().connect();
    const [k1, p1] = [idOf(sk), idOf(sp)];
    await sk.input(keyed.n, 2);
    await sp.input(plain.n, 2);
    expect(idOf(sk)).toBe(k1);
    expect(idOf(sp)).not.toBe(p1);
  });

  it("counts a replaced keyed listener's run as the new listener's for triggerMode once (S38), as Gradio's page does", async () => {
    const { demo, n, openGates, calls } = gatedApp({ listenerKey: "go" });
    const s = await demo.launch().connect();
    const first = s.click(s.find({ key: "go", type: "Button" })!);
    await s.input(n, 2);
    const second = await s.click(s.find({ key: "go", type: "Button" })!); // the first still runs
    expect(second.status).toBe("dropped");
    openGates();
    await first;
    const third = s.click(s.find({ key: "go", type: "Button" })!);
    openGates();
    await third;
    await s.idle();
    expect([calls(), s.get(s.find({ key: "keyed" })!)]).toEqual([2, "late from run 2"]);
  });

  it("starts a re-run the replaced keyed listener remembered (always_last, S38) with the new listener's function, as Gradio's page calls its id", async () => {
    const { demo, n, openGates, calls } = gatedApp({ listenerKey: "go", triggerMode: "always_last" });
    const s = await demo.launch().connect();
    const first = s.click(s.find({ key: "go", type: "Button" })!);
    const again = s.click(s.find({ key: "go", type: "Button" })!); // remembered as the re-run
    await s.input(n, 2); // re-rendered while the first run waits
    openGates();
    await first;
    await until(() => calls() === 2);
    openGates();
    await again;
    await s.idle();
    expect(s.get(s.find({ key: "keyed" })!)).toBe("late from run 2");
  });

  it("releases a replaced render once its own listeners' runs end, whatever the keyed listener that took an id runs", async () => {
    let n!: gr.Number;
    const gates = new Map<string, () => void>();
    const gated = (name: string) => () => new Promise<void>((resolve) => gates.set(name, resolve));
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        new gr.Textbox({ label: `Plain ${v}` });
        new gr.Button({ value: "Go", elemId: "go" }).click(gated(`go ${v}`), undefined, undefined, { key: "go" });
        new gr.Button({ value: "Other", elemId: "other" }).click(gated(`other ${v}`));
      });
    });
    const s = await demo.launch().connect();
    let completed = false;
    s.value$(s.find("Plain 1")!).subscribe({ complete: () => (completed = true) });
    const other = s.click(s.find({ elemId: "other" })!);
    await s.input(n, 2); // run 1 stays, busy with Other's run
    const go = s.click(s.find({ elemId: "go" })!); // the new render's keyed listener: its slot is the old one's
    gates.get("other 1")!();
    await other;
    await new Promise((resolve) => setImmediate(resolve)); // the release is queued when a run ends
    expect(completed).toBe(true);
    gates.get("go 2")!();
    expect((await go).status).toBe("complete");
  });

  it("releases a replaced render when its keyed listener's last run ends while the new one's run goes on in the shared slot", async () => {
    let n!: gr.Number;
    const gates = new Map<string, () => void>();
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        new gr.Textbox({ label: `Plain ${v}` });
        new gr.Button({ value: "Go", elemId: "go" }).click(() => new Promise<void>((resolve) => gates.set(`go ${v}`, resolve)), undefined, undefined, { key: "go", triggerMode: "multiple" });
      });
    });
    const s = await demo.launch().connect();
    let completed = false;
    s.value$(s.find("Plain 1")!).subscribe({ complete: () => (completed = true) });
    const first = s.click(s.find({ elemId: "go" })!);
    await s.input(n, 2);
    const second = s.click(s.find({ elemId: "go" })!);
    gates.get("go 1")!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(true); // not when the new render's run ends
    gates.get("go 2")!();
    expect((await second).status).toBe("complete");
  });

  it("lets an unkeyed listener of the new run start beside the replaced one's run", async () => {
    const { demo, n, openGates, calls } = gatedApp();
    const s = await demo.launch().connect();
    const first = s.click(s.find({ key: "go", type: "Button" })!);
    await s.input(n, 2);
    const second = s.click(s.find({ key: "go", type: "Button" })!);
    await Promise.resolve();
    expect(calls()).toBe(2);
    openGates();
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual(["complete", "complete"]);
  });

  it("cancels a replaced keyed listener's run through the new listener (S39)", async () => {
    let n!: gr.Number;
    let cancelled = false;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], () => {
        const go = new gr.Button({ value: "Go", elemId: "go" }).click(
          async (ctx: gr.EventContext) => {
            await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
            cancelled = true;
          },
          undefined,
          undefined,
          { key: "go" },
        );
        new gr.Button({ value: "Stop", elemId: "stop" }).click(() => undefined, undefined, undefined, { cancels: go });
      });
    });
    const s = await demo.launch().connect();
    const run = s.click(s.find({ elemId: "go" })!);
    await s.input(n, 2);
    await s.click(s.find({ elemId: "stop" })!);
    expect([(await run).status, cancelled]).toEqual(["cancelled", true]);
  });

  it("fails a run whose two listeners have one key (S112), keeping the previous render", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        const b = new gr.Button(`B${v}`);
        b.click(() => undefined, undefined, undefined, { key: "k" });
        if (v === 2) b.click(() => undefined, undefined, undefined, { key: "k" });
      });
    });
    const s = await demo.launch().connect();
    const result = await s.input(n, 2);
    expect(result.status).toBe("error");
    expect(result.error!.message).toMatch(/another listener of this render already has the key "k"/);
    expect(s.findAll({ type: "Button" }).map((b) => s.get(b))).toEqual(["B1"]);
  });

  it("refuses a key that is not a string or a finite number, and does nothing outside a render", () => {
    expect(
      () =>
        new gr.Blocks(() => {
          new gr.Button("B").click(() => undefined, undefined, undefined, { key: {} as never });
        }),
    ).toThrow(/key must be a string or a finite number \(or null\); got/);
    let dep!: gr.Dependency;
    new gr.Blocks(() => {
      dep = new gr.Button("B").click(() => undefined, undefined, undefined, { key: "k" });
    });
    expect(dep.options.key).toBe("k");
  });
});

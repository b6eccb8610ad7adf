import * as gr from "blockstate";

/** Gradio's `gr.Examples` (without caching) and `gr.Interface(examples=...)`. */
describe("gr.Examples", () => {
  const click = (s: gr.Session, examples: gr.Examples, index: unknown) => s.trigger(examples.dataset, "click", { index });

  it("shows the examples in a Dataset where it is made, and a click writes one to the inputs", async () => {
    let name!: gr.Textbox;
    let age!: gr.Number;
    let notes!: gr.Textbox;
    let examples!: gr.Examples;
    let after!: gr.Button;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ label: "Name" });
      age = new gr.Number({ label: "Age" });
      notes = new gr.Textbox({ label: "Notes" });
      examples = new gr.Examples({
        examples: [
          ["Ada", 36, null],
          ["Grace", null, null],
        ],
        inputs: [name, age, notes],
      });
      after = new gr.Button("Go");
    });
    // `notes` has no value in any example: it is no column, and a click leaves it alone (as Gradio).
    expect(examples.dataset.props).toMatchObject({
      components: ["textbox", "number"],
      headers: ["Name", "Age"],
      samples: [
        ["Ada", 36],
        ["Grace", null],
      ],
      label: "Examples",
      samplesPerPage: 10,
    });
    expect(demo.layout.map((n) => n.block)).toEqual([name, age, notes, examples.dataset, after]);
    expect(examples.loadInputEvent.options).toMatchObject({ queue: false, showProgress: "hidden" });
    expect(examples.loadInputEvent.apiName).toBe(false); // hidden from the API

    const s = await demo.launch().connect();
    await s.input(notes, "mine");
    expect(await click(s, examples, 0)).toEqual({ status: "complete" });
    expect([s.get(name), s.get(age), s.get(notes)]).toEqual(["Ada", 36, "mine"]);
    // A null in one example clears that input.
    await click(s, examples, 1);
    expect([s.get(name), s.get(age), s.get(notes)]).toEqual(["Grace", null, "mine"]);
  });

  it("runs fn after loading an example with runOnClick, on every input of the Examples (also one no example fills)", async () => {
    let examples!: gr.Examples;
    let greeting!: gr.Textbox;
    let punctuation!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      const name = new gr.Textbox({ label: "Name" });
      punctuation = new gr.Textbox({ value: "!" });
      greeting = new gr.Textbox();
      examples = new gr.Examples(
        [
          ["Ada", null],
          ["Grace", null],
        ],
        [name, punctuation],
        { outputs: greeting, fn: (n: string, p: string) => `Hello ${n}${p}`, runOnClick: true },
      );
    });
    expect(examples.dataset.props.samples).toEqual([["Ada"], ["Grace"]]);
    expect(examples.runEvent!.inputs).toEqual(examples.inputs);
    const s = await demo.launch().connect();
    await s.input(punctuation, "?");
    await click(s, examples, 1);
    expect(s.get(greeting)).toBe("Hello Grace?");
  });

  it("takes one input's examples as the values alone", () => {
    let examples!: gr.Examples;
    new gr.Blocks(() => void (examples = new gr.Examples(["Ada", "Grace"], new gr.Textbox())));
    expect(examples.examples).toEqual([["Ada"], ["Grace"]]);
  });

  it("loads a fresh copy of an example each time: a handler changing the input in place changes no example", async () => {
    let examples!: gr.Examples;
    let data!: gr.JSON;
    let mutate!: gr.Button;
    const demo = new gr.Blocks(() => {
      data = new gr.JSON();
      examples = new gr.Examples([[{ tags: ["a"] }]], [data]);
      mutate = new gr.Button("Mutate");
      mutate.click((d: { tags: string[] }) => void d.tags.push("b"), data, undefined);
    });
    const s = await demo.launch().connect();
    await click(s, examples, 0);
    await s.click(mutate);
    expect(s.get(data)).toEqual({ tags: ["a", "b"] });
    await click(s, examples, 0);
    expect(s.get(data)).toEqual({ tags: ["a"] });
    expect(examples.dataset.props.samples).toEqual([[{ tags: ["a"] }]]);
  });

  it("fails a click that names no example, writing nothing; an API client sends the index as the input", async () => {
    let name!: gr.Textbox;
    let examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ value: "start" });
      examples = new gr.Examples({ examples: ["Ada"], inputs: name, apiName: "load_example" });
    });
    const s = await demo.launch({ showError: true }).connect();
    for (const index of [1, -1, 0.5, "0"]) {
      const result = await click(s, examples, index);
      expect(result.status).toBe("error");
      // The Dataset takes the clicked index as its value first, as Gradio's page: it refuses this one.
      expect(result.error!.message).toMatch(/^Dataset "Examples" rejected the input .*: a Dataset's value is the index of a sample, from 0 to 0; got /);
    }
    expect(s.get(name)).toBe("start");
    // Without data: no example named, as Gradio's loader fails without one.
    const none = await s.trigger(examples.dataset, "click");
    expect(none.error!.message).toBe("Examples: the click names no example; a renderer sends its index as { index }.");
    expect(s.get(name)).toBe("start");
    expect(await s.call("load_example", 0)).toEqual(["Ada"]);
    expect(s.get(name)).toBe("Ada");
  });

  it("loads the sample the session's Dataset shows, after an update of its samples (as Gradio's per-session copy)", async () => {
    let name!: gr.Textbox, examples!: gr.Examples, more!: gr.Button;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox();
      examples = new gr.Examples(["Ada"], name);
      more = new gr.Button("More examples");
      more.click(() => gr.update({ samples: [["Grace"], ["Edsger"]] }), undefined, examples.dataset);
    });
    const app = demo.launch({ showError: true });
    const [s, other] = [await app.connect(), await app.connect()];
    await s.click(more);
    await click(s, examples, 1);
    expect(s.get(name)).toBe("Edsger");
    expect((await click(other, examples, 1)).error!.message).toMatch(/a Dataset's value is the index of a sample, from 0 to 0; got 1\.$/);
    await click(other, examples, 0);
    expect(other.get(name)).toBe("Ada");
  });

  it("runs fn with runOnClick only after a load that succeeded", async () => {
    let runs = 0;
    let name!: gr.Textbox, out!: gr.Textbox, examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ value: "start" });
      out = new gr.Textbox({ value: "untouched" });
      examples = new gr.Examples({ examples: ["Ada"], inputs: name, outputs: out, fn: (n: string) => (runs++, `ran ${n}`), runOnClick: true });
    });
    const s = await demo.launch().connect();
    expect((await click(s, examples, 5)).status).toBe("error");
    expect((await s.trigger(examples.dataset, "click")).status).toBe("error");
    expect([s.get(name), s.get(out), runs]).toEqual(["start", "untouched", 0]);
    await click(s, examples, 0);
    expect([s.get(out), runs]).toEqual(["ran Ada", 1]);
  });

  it("reads a JSON input's example as a click writes it: JSON text, refused at definition when it is not", async () => {
    let data!: gr.JSON, examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      data = new gr.JSON();
      examples = new gr.Examples(['{"tags": ["a"]}', '"just text"'], data);
    });
    expect(examples.dataset.props.samples).toEqual([[{ tags: ["a"] }], ["just text"]]);
    const s = await demo.launch().connect();
    await click(s, examples, 1);
    expect(s.get(data)).toBe("just text");
    await click(s, examples, 0);
    expect(s.get(data)).toEqual({ tags: ["a"] });
    expect(() => new gr.Blocks(() => void new gr.Examples(["plain text"], new gr.JSON()))).toThrow(
      /^Examples: example 0 has a value JSON #0 refuses: a string for a JSON component is JSON text to parse, and this is not valid JSON/,
    );
  });

  it("checks each example value with its input when it is made, naming the example and the component", () => {
    const build = (examples: unknown[], options: Partial<gr.ExamplesOptions> = {}) =>
      new gr.Blocks(() => void new gr.Examples({ examples, inputs: [new gr.Number({ label: "Age", minimum: 0 }), new gr.Textbox()], ...options }));
    expect(() => build([[5, "a"], [-1, "b"]])).toThrow(/^Examples: example 1 has a value Number "Age" refuses: .*-1/);
    expect(() => build(["Ada"])).toThrow("Examples: with 2 inputs, each example must be a list of values, one per input; got \"Ada\".");
    expect(() => build([[1, "a", "extra"]])).toThrow(/^Examples: example 0 must be a list of at most 2 value\(s\), one per input/);
    const { proxy, revoke } = Proxy.revocable<unknown[]>([], {});
    revoke();
    expect(() => build(proxy)).toThrow(/^Examples: examples must be a list; got /);
    expect(() => build([[1, "a"]], { runOnClick: true })).toThrow("Examples: runOnClick needs fn, the function to run.");
    expect(() => build([[1, "a"]], { exampleLabels: ["one", "two"] })).toThrow(/sampleLabels must give one label per sample \(1\); got 2/);
    expect(() => build([[1, "a"]], { examplesPerPge: 5 } as never)).toThrow(/examplesPerPge/);
    expect(() => new gr.Blocks(() => void new gr.Examples({ examples: [1], inputs: [new gr.State(0) as never] }))).toThrow(
      "Examples: inputs[0] must be a component (the examples fill components in); got State #0.",
    );
    expect(() => new gr.Examples({ examples: ["a"], inputs: new gr.Textbox() })).toThrow("Examples must be made inside a Blocks build (where its Dataset is shown).");
  });

  it("gives an Interface examples for its component inputs (a State has none), which fill them in", async () => {
    const demo = new gr.Interface({
      fn: (text: string, times: number, history: string[] | null) => [`${text}×${times}`, [...(history ?? []), text]],
      inputs: ["text", "number", "state"],
      outputs: ["text", "state"],
      examples: [
        ["hi", 2],
        ["yo", 3],
      ],
      exampleLabels: ["short", "long"],
    });
    const examples = demo.examplesHandler!;
    expect(examples.inputs).toEqual(demo.inputComponents.slice(0, 2));
    expect(examples.dataset.props.sampleLabels).toEqual(["short", "long"]);
    const s = await demo.launch().connect();
    await click(s, examples, 1);
    expect([s.get(demo.inputComponents[0]), s.get(demo.inputComponents[1])]).toEqual(["yo", 3]);
    // Loading an example does not run fn (Gradio runs it only for cached examples).
    expect(s.get(demo.outputComponents[0])).toBe("");
    expect(new gr.Interface({ fn: (t: string) => t, inputs: "text", outputs: "text" }).examplesHandler).toBeUndefined();
  });

  it("a Dataset's click on a sample makes its index the value first, so a listener with the Dataset as input gets it (as Gradio's page)", async () => {
    let dataset!: gr.Dataset, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      dataset = new gr.Dataset({ components: ["textbox"], samples: [["a"], ["b"], ["c"]] });
      out = new gr.Textbox();
      dataset.click((i: number | null) => `got ${i}`, dataset, out);
    });
    const s = await demo.launch().connect();
    expect(await s.trigger(dataset, "click", { index: 2 })).toEqual({ status: "complete" });
    expect([s.get(dataset), s.get(out)]).toEqual([2, "got 2"]);
    const hostile = { get index(): number { throw new Error("no index for you"); } };
    expect((await s.trigger(dataset, "click", hostile)).error!.message).toBe('Dataset #0: the data of its click event could not be read (no index for you).');
    expect((await s.trigger(dataset, "click", { index: 7 })).status).toBe("error");
    expect([s.get(dataset), s.get(out)]).toEqual([2, "got 2"]);
  });

  it("a Dataset's samples must be JSON data, at construction, by gr.update and in a gr.render (renderers get them as JSON); the session is unchanged", async () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const cycle: unknown[] = [];
    cycle.push(cycle);
    let deep: unknown = "x";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => new gr.Dataset({ samples: [[1n]], components: ["textbox"] })).toThrow(/samples\[0\]\[0\] is a bigint/);
    let ds!: gr.Dataset, btn!: gr.Button, show!: gr.Button, bad!: gr.Number;
    const demo = new gr.Blocks(() => {
      ds = new gr.Dataset({ samples: [["a"]], components: ["textbox"] });
      btn = new gr.Button();
      show = new gr.Button();
      bad = new gr.Number({ value: 0 });
      btn.click((n: number | null) => gr.update({ samples: [[[revoked.proxy], cycle, deep][n ?? 0]] }), bad, ds);
      gr.render([bad], (n: number | null) => {
        if (n !== null && n > 0) new gr.Dataset({ samples: [[cycle]], components: ["textbox"] });
      }, { triggers: [show.click] });
    });
    const app = demo.launch();
    const s = await app.connect();
    for (let n = 0; n < 3; n++) {
      await s.input(bad, n);
      const result = await s.click(btn);
      expect(result.status).toBe("error");
      expect(result.error!.message).toMatch(/Dataset/);
      expect(result.error!.message).toMatch([/revoked Proxy/, /refers back to .* \(a cycle\)/, /too deep/][n]);
      expect(s.props(ds).samples).toEqual([["a"]]);
      expect(() => JSON.stringify(s.snapshot())).not.toThrow();
    }
    await s.input(bad, 1);
    expect((await s.click(show)).error?.message).toMatch(/refers back to .* \(a cycle\)/);
    expect(() => JSON.stringify(s.snapshot())).not.toThrow();
    await app.close();
  });

  it("describes the Dataset in the renderer protocol's config and its value in the API", () => {
    let examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      examples = new gr.Examples({ examples: ["Ada"], inputs: new gr.Textbox(), apiName: "load_example", exampleLabels: ["first"] });
    });
    const config = demo.config();
    const dataset = config.components.find((c) => c.id === examples.dataset.id)!;
    expect(dataset).toMatchObject({ type: "dataset", props: { samples: [["Ada"]], components: ["textbox"], sampleLabels: ["first"] } });
    expect(() => new gr.Dataset({ samples: [["a"]], value: 1 })).toThrow(/a Dataset's value is the index of a sample, from 0 to 0; got 1/);
    expect(() => new gr.Dataset({ value: 0 })).toThrow(/and it has no samples/);
  });
});

/** Gradio's `cache_examples`: fn's results kept per example, from its first click. */
describe("gr.Examples({ cacheExamples })", () => {
  const click = (s: gr.Session, examples: gr.Examples, index: unknown) => s.trigger(examples.dataset, "click", { index });

  function shouter(cacheExamples: boolean | "lazy", fn?: (t: string) => unknown) {
    const calls: string[] = [];
    let text!: gr.Textbox, out!: gr.Textbox, examples!: gr.Examples, swap!: gr.Button;
    const demo = new gr.Blocks(() => {
      swap = new gr.Button("Other samples");
      text = new gr.Textbox({ label: "Text" });
      out = new gr.Textbox({ label: "Out" });
      examples = new gr.Examples({
        examples: ["hi", "yo"],
        inputs: text,
        outputs: out,
        fn: fn ?? ((t: string) => (calls.push(t), t.toUpperCase())),
        cacheExamples,
      });
      swap.click(() => gr.update({ samples: [["zz"]] }), undefined, examples.dataset);
    });
    return { demo, text, out, examples, calls, swap };
  }

  it("writes fn's results with the example, running fn once per example across sessions and apps", async () => {
    const { demo, text, out, examples, calls } = shouter(true);
    const [a, b] = [await demo.launch().connect(), await demo.launch().connect()];
    expect(await click(a, examples, 0)).toEqual({ status: "complete" });
    expect([a.get(text), a.get(out)]).toEqual(["hi", "HI"]);
    await click(b, examples, 0); // another app of the same Blocks: kept, as Gradio's cache is the app's
    await click(b, examples, 1);
    await click(a, examples, 1);
    await click(a, examples, 0);
    expect([b.get(text), b.get(out), a.get(out)]).toEqual(["yo", "YO", "HI"]);
    expect(calls).toEqual(["hi", "yo"]);
  });

  it('"lazy" is the same; an async fn is awaited and kept; a failure keeps nothing; a copy is written each time', async () => {
    let fail = true;
    const results: { words: string[] }[] = [];
    let data!: gr.JSON, examples!: gr.Examples, text!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      text = new gr.Textbox();
      data = new gr.JSON();
      examples = new gr.Examples({
        examples: ["a b"],
        inputs: text,
        outputs: data,
        fn: async (t: string) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (fail) throw new gr.Error("not yet");
          const result = { words: t.split(" ") };
          results.push(result);
          return result;
        },
        cacheExamples: "lazy",
      });
    });
    const s = await demo.launch().connect();
    expect((await click(s, examples, 0)).status).toBe("error");
    fail = false;
    await click(s, examples, 0);
    await click(s, examples, 0);
    expect(results).toHaveLength(1);
    expect(s.get(data)).toEqual({ words: ["a", "b"] });
    expect(s.get(data)).not.toBe(results[0]); // a copy: a session changing it in place changes no other's
  });

  it("runs fn uncached in a session whose Dataset shows other samples", async () => {
    const { demo, out, examples, calls, swap } = shouter(true);
    const s = await demo.launch().connect();
    const other = await demo.launch().connect();
    await click(other, examples, 0); // keeps "HI" for the Blocks' own sample 0
    await s.click(swap);
    await click(s, examples, 0);
    expect(s.get(out)).toBe("ZZ");
    expect(calls).toEqual(["hi", "zz"]);
  });

  it("refuses caching without fn or outputs, with a generator fn, or a value other than true, false or \"lazy\"; an Interface's needs components only", () => {
    const build = (options: Partial<gr.ExamplesOptions>) => () =>
      new gr.Blocks(() => {
        const t = new gr.Textbox();
        new gr.Examples({ examples: ["a"], inputs: t, ...options });
      });
    expect(build({ cacheExamples: true })).toThrow(/cacheExamples needs fn/);
    expect(build({ cacheExamples: true, fn: (t: string) => t })).toThrow(/cacheExamples needs outputs/);
    expect(
      build({
        cacheExamples: true,
        outputs: [],
        fn: function* () {
          yield 1;
        },
      }),
    ).toThrow(/cacheExamples needs outputs/);
    const gen = () =>
      new gr.Blocks(() => {
        const t = new gr.Textbox();
        new gr.Examples({
          examples: ["a"],
          inputs: t,
          outputs: t,
          fn: function* (x: string) {
            yield x;
          },
          cacheExamples: true,
        });
      });
    expect(gen).toThrow(/cannot keep the results of a generator fn/);
    expect(build({ cacheExamples: "eager" as never })).toThrow(/cacheExamples must be true, false or "lazy"; got "eager"/);
    expect(() => new gr.Interface({ fn: (t: string, n: number) => [t, n], inputs: ["text", "state"], outputs: ["text", "state"], examples: [["a"]], cacheExamples: true })).toThrow(
      /Interface: cacheExamples needs inputs and outputs that are all components/,
    );
  });

  it("an Interface's cached examples write fn's outputs", async () => {
    let calls = 0;
    const demo = new gr.Interface({ fn: (t: string) => (calls++, `${t}!`), inputs: "text", outputs: "text", examples: ["x"], cacheExamples: true });
    const app = demo.launch();
    for (const s of [await app.connect(), await app.connect()]) {
      await click(s, demo.examplesHandler!, 0);
      expect(s.get(demo.outputComponents[0] as gr.Textbox)).toBe("x!");
    }
    expect(calls).toBe(1);
  });
});

/** Found by a probe of cacheExamples: what is kept, and what is written again. */
describe("gr.Examples({ cacheExamples }): what is kept", () => {
  const click = (s: gr.Session, examples: gr.Examples, index: unknown) => s.trigger(examples.dataset, "click", { index });

  it("computes fn on the example's own values (null for an input it leaves out), never on a session's", async () => {
    const calls: unknown[][] = [];
    let secret!: gr.Textbox, out!: gr.Textbox, examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      const text = new gr.Textbox({ label: "Text" });
      secret = new gr.Textbox({ label: "Secret" });
      out = new gr.Textbox({ label: "Out" });
      examples = new gr.Examples({ examples: [["hi", null]], inputs: [text, secret], outputs: out, fn: (t: string, k: string | null) => (calls.push([t, k]), `${t}:${k}`), cacheExamples: true });
    });
    const app = demo.launch();
    const [alice, bob] = [await app.connect(), await app.connect()];
    await alice.input(secret, "alice-password");
    await click(alice, examples, 0);
    await click(bob, examples, 0);
    expect(calls).toEqual([["hi", null]]);
    expect(bob.get(out)).toBe("hi:null");
  });

  it("writes a kept gr.update, gr.skip() and Map as the first run did", async () => {
    let calls = 0;
    let out!: gr.Textbox, kept!: gr.Textbox, data!: gr.JSON, examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      const text = new gr.Textbox();
      out = new gr.Textbox({ visible: false });
      kept = new gr.Textbox({ value: "keep me" });
      data = new gr.JSON();
      examples = new gr.Examples({
        examples: ["hi"],
        inputs: text,
        outputs: [out, kept, data],
        fn: (t: string) => (calls++, new Map<gr.AnyCell, unknown>([[out, gr.update({ value: t.toUpperCase(), visible: true })], [kept, gr.skip()], [data, { t }]])),
        cacheExamples: true,
      });
    });
    const app = demo.launch();
    for (const s of [await app.connect(), await app.connect()]) {
      expect(await click(s, examples, 0)).toEqual({ status: "complete" });
      expect([s.get(out), s.props(out).visible, s.get(kept), s.get(data)]).toEqual(["HI", true, "keep me", { t: "hi" }]);
    }
    expect(calls).toBe(1);
  });

  it("keeps nothing from a run whose result an output refuses, or that was cancelled", async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    let num!: gr.Number, examples!: gr.Examples, stop!: gr.Button;
    const demo = new gr.Blocks(() => {
      const text = new gr.Textbox();
      num = new gr.Number();
      stop = new gr.Button();
      examples = new gr.Examples({
        examples: ["hi"],
        inputs: text,
        outputs: num,
        fn: async () => {
          calls++;
          if (calls === 2) await new Promise<void>((resolve) => (release = resolve));
          return calls === 1 ? "not a number" : calls;
        },
        cacheExamples: true,
      });
      stop.click(() => undefined, undefined, undefined, { cancels: examples.runEvent! });
    });
    const s = await demo.launch().connect();
    expect((await click(s, examples, 0)).status).toBe("error"); // 1: refused by the Number
    const second = click(s, examples, 0); // 2: cancelled while fn awaits
    await new Promise((resolve) => setTimeout(resolve, 5));
    await s.click(stop);
    expect((await second).status).toBe("cancelled");
    release!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await click(s, examples, 0)).toEqual({ status: "complete" }); // 3: computed, kept
    expect(await click(s, examples, 0)).toEqual({ status: "complete" }); // kept
    expect([calls, s.get(num)]).toEqual([3, 3]);
  });

  it("an API client loading an example by its index gets that example's results", async () => {
    let text!: gr.Textbox, out!: gr.Textbox, examples!: gr.Examples;
    const demo = new gr.Blocks(() => {
      text = new gr.Textbox();
      out = new gr.Textbox();
      examples = new gr.Examples({ examples: ["hi", "yo"], inputs: text, outputs: out, fn: (t: string) => t.toUpperCase(), cacheExamples: true, apiName: "load_example" });
    });
    const s = await demo.launch().connect();
    await click(s, examples, 0);
    await s.call("load_example", 1);
    expect([s.get(text), s.get(out)]).toEqual(["yo", "YO"]);
  });
});

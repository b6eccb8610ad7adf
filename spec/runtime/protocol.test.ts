import * as gr from "blockstate";

function shop() {
  let cart!: gr.State<string[]>, items!: gr.CheckboxGroup, add!: gr.Button, size!: gr.Number, note!: gr.Markdown;
  const demo = new gr.Blocks({ title: "Shop" }, (demo) => {
    cart = new gr.State<string[]>(["secret"]);
    new gr.Row(() => {
      items = new gr.CheckboxGroup({ choices: ["Milk", "Water"], label: "Items" });
      add = new gr.Button("Add");
    });
    size = new gr.Number({ label: "Cart Size" });
    note = new gr.Markdown("hidden", { visible: false });
    const dep = add.click(function addItems(n, c) {
      return [...c, ...n];
    }, [items, cart], cart);
    dep.success(() => gr.update({ visible: true }), undefined, note);
    cart.change((c) => c.length, cart, size);
    demo.load(() => undefined);
  });
  return { demo, cart, items, add, size, note };
}

describe("config() (protocol v2)", () => {
  it("describes components, layout and dependencies as JSON, never State values", () => {
    const { demo, items, add, size, cart, note } = shop();
    const config = demo.config();
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    expect(config.protocolVersion).toBe(gr.PROTOCOL_VERSION);
    expect(config.title).toBe("Shop");
    expect(config.components.map((c) => c.type)).toEqual(["row", "checkboxgroup", "button", "number", "markdown"]);
    expect(config.components.find((c) => c.id === add.id)).toMatchObject({ value: "Add", events: ["click"] });
    expect(JSON.stringify(config)).not.toContain("secret");
    expect(config.layout).toEqual([
      { id: config.components[0].id, children: [{ id: items.id, children: [] }, { id: add.id, children: [] }] },
      { id: size.id, children: [] },
      { id: note.id, children: [] },
    ]);
    const [click, success, change, load] = config.dependencies;
    expect(click).toMatchObject({ triggers: [[add.id, "click"]], inputs: [items.id, cart.id], outputs: [cart.id], apiName: "addItems", triggerAfter: null });
    expect(success.triggerAfter).toEqual({ id: click.id, onlyOnSuccess: true, onlyOnFailure: false });
    expect(change).toMatchObject({ triggers: [[cart.id, "change"]], triggerMode: "always_last" });
    expect(load.triggers).toEqual([[null, "load"]]);
  });

  it("is the same for two builds of the same Blocks", () => {
    expect(shop().demo.config()).toEqual(shop().demo.config());
  });

  it("hands out a fresh copy each call: changing it changes neither the app nor the next config", async () => {
    const { demo, items, add, cart } = shop();
    let picked!: gr.JSON;
    const withJson = new gr.Blocks(() => {
      picked = new gr.JSON({ value: { tags: ["a"] } });
    });
    const pristine = JSON.stringify(demo.config());
    const config = demo.config();
    const group = config.components.find((c) => c.id === items.id)!;
    (group.props.choices as string[]).push("evil");
    group.props.label = "Hacked";
    (config.dependencies[0].inputs as number[]).push(999);
    config.dependencies[0].triggers[0][1] = "submit";
    config.layout[0].children.pop();
    config.components.find((c) => c.id === add.id)!.events.push("submit");
    expect(JSON.stringify(demo.config())).toBe(pristine);
    const s = await demo.launch().connect();
    expect((await s.input(items, ["evil"])).status).toBe("error");
    expect(s.props(items).label).toBe("Items");
    expect((s.props(items).choices as unknown[]).length).toBe(2);
    expect((await s.click(add)).status).toBe("complete");
    expect(s.get(cart)).toEqual(["secret"]);
    // An initial value too: a session starts from the template's, not from a renderer's copy.
    (withJson.config().components[0].value as { tags: string[] }).tags.push("evil");
    expect(withJson.config().components[0].value).toEqual({ tags: ["a"] });
    expect((await withJson.launch().connect()).get(picked)).toEqual({ tags: ["a"] });
  });
});

describe("config(): the generator flag", () => {
  it("says whether a listener streams: the generator option when given, else the function's kind", () => {
    const demo = new gr.Blocks(() => {
      const out = new gr.Textbox();
      const btn = new gr.Button();
      btn.click(function* () {
        yield "a";
      }, undefined, out, { apiName: "sync_gen" });
      btn.click(async function* () {
        yield "a";
      }, undefined, out, { apiName: "async_gen" });
      btn.click(() => "a", undefined, out, { apiName: "plain" });
      // A compiled or wrapped generator: a plain function returning an iterator.
      btn.click(() => ["a", "b"][Symbol.iterator](), undefined, out, { apiName: "wrapped", generator: true });
    });
    const flags = Object.fromEntries(demo.config().dependencies.map((d) => [d.apiName, d.generator]));
    expect(flags).toEqual({ sync_gen: true, async_gen: true, plain: false, wrapped: true });
    expect(demo.dependencies.map((d) => d.generator)).toEqual([true, true, false, true]);
  });

  it("refuses a generator option that is not a boolean, naming the listener", () => {
    expect(() => new gr.Blocks(() => new gr.Button().click(() => 1, undefined, undefined, { generator: "yes" as never }))).toThrow(
      'Button #0.click: generator must be true or false; got "yes".',
    );
  });
});

describe("updates$, snapshot() and dispatch()", () => {
  it("streams component values and props, not State values", async () => {
    const { demo, items, add, size, note } = shop();
    const s = await demo.launch().connect();
    const updates: gr.ComponentUpdate[] = [];
    s.updates$.subscribe((u) => updates.push(u));
    await s.dispatch({ id: items.id, event: "input", data: ["Milk"] });
    await s.dispatch({ id: add.id, event: "click" });
    expect(updates).toEqual([
      { id: items.id, value: ["Milk"] },
      { id: size.id, value: 2 },
      { id: note.id, props: expect.objectContaining({ visible: true }) },
    ]);
  });

  it("emits nothing for an update that sets props to their current values", async () => {
    const { demo, items, add, note } = shop();
    const s = await demo.launch().connect();
    await s.input(items, ["Milk"]);
    await s.click(add);
    const updates: gr.ComponentUpdate[] = [];
    s.updates$.subscribe((u) => updates.push(u));
    await s.click(add); // the cart changes again, but note is already visible
    expect(updates.filter((u) => u.id === note.id)).toEqual([]);
    expect(updates.length).toBeGreaterThan(0);
  });

  it("snapshot() gives every component's value and props, and containers' props", async () => {
    const { demo, items, note } = shop();
    const s = await demo.launch().connect();
    await s.input(items, ["Water"]);
    const snap = s.snapshot();
    expect(snap[items.id]).toEqual({ value: ["Water"], props: expect.objectContaining({ label: "Items" }) });
    expect(snap[note.id].props.visible).toBe(false);
    const row = demo.config().components[0].id;
    expect(snap[row]).toEqual({ props: {} }); // the Row: props, no value (protocol 2, S72)
    expect(Object.keys(snap)).toHaveLength(5);
  });

  it("reports unknown ids, events and rejected values without changing anything", async () => {
    const { demo, items, add } = shop();
    const s = await demo.launch().connect();
    const before = JSON.stringify(s.snapshot());
    expect((await s.dispatch({ id: 999, event: "click" })).error?.message).toMatch(/no component or layout container has id 999/);
    expect((await s.dispatch({ id: add.id, event: "submit" })).error?.message).toMatch(/has no "submit" event; it has: click/);
    expect((await s.dispatch({ id: items.id, event: "input", data: ["Bread"] })).status).toBe("error");
    expect(JSON.stringify(s.snapshot())).toBe(before);
    expect(s.messages.filter((m) => m.type === "error")).toHaveLength(3);
  });
});

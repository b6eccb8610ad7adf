import * as gr from "blockstate";

/** A page with one of each container, each shown/hidden by its own buttons. */
function panels() {
  let row!: gr.Row, column!: gr.Column, group!: gr.Group, tab!: gr.Tab, accordion!: gr.Accordion;
  let inner!: gr.Textbox, hideAll!: gr.Button, fold!: gr.Button, bad!: gr.Button, typo!: gr.Button, nothing!: gr.Button;
  const demo = new gr.Blocks(() => {
    row = new gr.Row(() => {
      inner = new gr.Textbox({ label: "Inner" });
    });
    column = new gr.Column(() => new gr.Markdown("col"));
    group = new gr.Group(() => new gr.Markdown("group"));
    tab = new gr.Tab("First", () => new gr.Markdown("tab"));
    accordion = new gr.Accordion("More", () => new gr.Markdown("acc"));
    const all = [row, column, group, tab, accordion];
    hideAll = new gr.Button("Hide all");
    hideAll.click(() => all.map(() => gr.update({ visible: false })), undefined, all);
    fold = new gr.Button("Fold");
    fold.click(function foldIt() {
      return gr.update({ open: false });
    }, undefined, accordion);
    bad = new gr.Button("Bad");
    bad.click(function plain() {
      return [gr.update({ visible: false }), "text"];
    }, undefined, [row, column]);
    typo = new gr.Button("Typo");
    typo.click(function typoIt() {
      return [gr.update({ visible: false }), gr.update({ visibel: false })];
    }, undefined, [column, row]);
    nothing = new gr.Button("Nothing");
    nothing.click(() => [gr.skip(), undefined, null], undefined, [row, column, group]);
  });
  return { demo, row, column, group, tab, accordion, inner, hideAll, fold, bad, typo, nothing };
}

describe("layout containers as outputs (S72)", () => {
  it("update({ visible }) hides each kind of container in that session only", async () => {
    const p = panels();
    const app = p.demo.launch();
    const [a, b] = [await app.connect(), await app.connect()];
    expect((await a.click(p.hideAll)).status).toBe("complete");
    for (const c of [p.row, p.column, p.group, p.tab, p.accordion]) {
      expect(a.props(c).visible).toBe(false);
      expect(b.props(c).visible).toBeUndefined();
    }
    expect(a.props(p.tab).label).toBe("First"); // template props stay
  });

  it("update({ open }) folds an Accordion", async () => {
    const p = panels();
    const s = await p.demo.launch().connect();
    expect(s.props(p.accordion).open).toBe(true);
    await s.click(p.fold);
    expect(s.props(p.accordion)).toMatchObject({ open: false, label: "More" });
  });

  it("update({ selected }) switches a Tabs' tab, and update({ open }) folds a Sidebar, in that session only", async () => {
    let tabs!: gr.Tabs, sidebar!: gr.Sidebar, first!: gr.Tab, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      sidebar = new gr.Sidebar({ label: "Filters", position: "right" }, () => void new gr.Checkbox({ label: "New only" }));
      tabs = new gr.Tabs(() => {
        first = new gr.Tab("One", { id: "one" }, () => void new gr.Markdown("1"));
        new gr.Tab("Two", { id: "two" }, () => void new gr.Markdown("2"));
      });
      btn = new gr.Button("Next");
      btn.click(() => [gr.update({ selected: "two" }), gr.update({ open: false })], undefined, [tabs, sidebar]);
    });
    expect(tabs.props).toMatchObject({ selected: null });
    expect(sidebar.props).toMatchObject({ open: true, position: "right", label: "Filters" });
    expect(demo.layout.map((n) => [n.block.type, n.children.map((c) => c.block.type)])).toEqual([
      ["sidebar", ["checkbox"]],
      ["tabs", ["tab", "tab"]],
      ["button", []],
    ]);
    expect(demo.layout[1].children[0].block).toBe(first);
    const app = demo.launch();
    const [s, other] = [await app.connect(), await app.connect()];
    await s.click(btn);
    expect([s.props(tabs).selected, s.props(sidebar).open]).toEqual(["two", false]);
    expect([other.props(tabs).selected, other.props(sidebar).open]).toEqual([null, true]);
    expect(() => new gr.Blocks(() => void new gr.Tabs({ selected: [1] } as never))).toThrow("Tabs: selected must be a tab's id (a string or a number) or null; got an array.");
    expect(() => new gr.Blocks(() => void new gr.Sidebar({ position: "top" } as never))).toThrow('Sidebar: position must be "left" or "right"; got "top".');
  });

  it("a Tab's select, a Tabs' change and select, an Accordion's and a Sidebar's expand and collapse run their listeners, and change no prop (as Gradio)", async () => {
    let tabs!: gr.Tabs, tab!: gr.Tab, accordion!: gr.Accordion, sidebar!: gr.Sidebar, row!: gr.Row, log!: gr.Textbox;
    const seen: unknown[] = [];
    const demo = new gr.Blocks(() => {
      log = new gr.Textbox();
      sidebar = new gr.Sidebar({ open: false }, () => undefined);
      tabs = new gr.Tabs(() => {
        new gr.Tab("One", () => undefined);
        tab = new gr.Tab("Two", () => undefined);
      });
      accordion = new gr.Accordion("More", { open: false }, () => undefined);
      row = new gr.Row(() => undefined);
      tab.select((text: string, ctx: gr.EventContext) => (seen.push(ctx.event), `${text}tab selected;`), log, log);
      tabs.change((text: string) => `${text}tabs changed;`, log, log);
      tabs.select((text: string) => `${text}tabs selected;`, log, log);
      accordion.expand((text: string) => `${text}expanded;`, log, log);
      accordion.collapse((text: string) => `${text}collapsed;`, log, log);
      sidebar.expand((text: string) => `${text}sidebar open;`, log, log);
    });
    const s = await demo.launch().connect();
    expect(await s.trigger(tab, "select", { index: 1, value: "Two" })).toEqual({ status: "complete" });
    expect(seen).toEqual([{ index: 1, value: "Two" }]);
    await s.dispatch({ id: tabs.id, event: "change" }); // a trigger, not an edit: a Tabs has no value
    await s.dispatch({ id: tabs.id, event: "select", data: { index: 1, value: "Two" } });
    await s.trigger(accordion, "expand");
    await s.trigger(accordion, "collapse");
    await s.dispatch({ id: sidebar.id, event: "expand" });
    expect(s.get(log)).toBe("tab selected;tabs changed;tabs selected;expanded;collapsed;sidebar open;");
    expect([s.props(accordion).open, s.props(sidebar).open, s.props(tabs).selected]).toEqual([false, false, null]);
    expect(() => s.trigger(row, "select")).toThrow('session.trigger(block, event, data?): Row #6 has no "select" event; it has: none.');
    expect((await s.dispatch({ id: accordion.id, event: "select" })).error!.message).toBe(`dispatch: Accordion "More" (id ${accordion.id}) has no "select" event; it has: expand, collapse.`);
  });

  it("Walkthrough and Step (Gradio's): a listener moves to another step with a Walkthrough as its update, per session; their events run listeners", async () => {
    // Gradio's walkthrough demo, ported.
    let walkthrough!: gr.Walkthrough, step2!: gr.Step, next!: gr.Button, seen: unknown[] = [];
    const demo = new gr.Blocks(() => {
      // `with gr.Walkthrough(selected=1) as walkthrough:`: the callback gets the container.
      walkthrough = new gr.Walkthrough({ selected: 1 }, (w) => {
        new gr.Step("Step 1", { id: 1 }, () => {
          next = new gr.Button("go to Step 2");
          next.click(() => new gr.Walkthrough({ selected: 2 }), undefined, w);
        });
        step2 = new gr.Step("Step 2", { id: 2 }, () => void new gr.Textbox({ value: "Welcome to Step 2" }));
      });
      step2.select((ctx: gr.EventContext) => void seen.push(ctx.event));
      walkthrough.change(() => void seen.push("change"));
    });
    expect(demo.layout.map((n) => [n.block.type, n.children.map((c) => c.block.type)])).toEqual([["walkthrough", ["walkthroughstep", "walkthroughstep"]]]);
    expect([walkthrough.props.selected, step2.props]).toEqual([1, { label: "Step 2", id: 2 }]);
    expect(demo.config().components.filter((c) => c.type.startsWith("walkthrough")).map((c) => c.type)).toEqual(["walkthrough", "walkthroughstep", "walkthroughstep"]);
    const app = demo.launch();
    const [s, other] = [await app.connect(), await app.connect()];
    await s.click(next);
    expect([s.props(walkthrough).selected, other.props(walkthrough).selected]).toEqual([2, 1]);
    await s.trigger(step2, "select", { index: 1, value: "Step 2" });
    await s.trigger(walkthrough, "change");
    expect(seen).toEqual([{ index: 1, value: "Step 2" }, "change"]);
    expect(() => new gr.Blocks(() => void new gr.Walkthrough({ selected: "two" } as never))).toThrow('Walkthrough: selected must be a step\'s id (a number) or null; got "two".');
    expect(() => new gr.Blocks(() => void new gr.Step("S", { id: "x" } as never))).toThrow('Step "S": id must be a number or null; got "x".');
  });

  it("unrender() takes a block out of the layout, keeping its listeners; render() places it again where it is called (Gradio's)", async () => {
    let out!: gr.Textbox, name!: gr.Textbox, greet!: gr.Button, row!: gr.Row;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox({ label: "Greeting" });
      expect(out.unrender().unrender()).toBe(out); // twice: once out, nothing more
      name = new gr.Textbox({ label: "Name" });
      greet = new gr.Button("Greet");
      greet.click((n: string) => `Hello ${n}`, name, out);
      row = new gr.Row(() => void out.render());
      new gr.Markdown("never shown").unrender();
    });
    const tree = (nodes: readonly gr.LayoutNode[]): unknown[] => nodes.map((n) => (n.children.length ? [n.block.describe(), tree(n.children)] : n.block.describe()));
    expect(tree(demo.layout)).toEqual(['Textbox "Name"', "Button #2", ["Row #3", ['Textbox "Greeting"']]]);
    expect(demo.config().layout.map((n) => n.id)).toEqual([name.id, greet.id, row.id]);
    const s = await demo.launch().connect();
    await s.input(name, "Ada");
    await s.click(greet);
    expect(s.get(out)).toBe("Hello Ada");
    expect(() => out.unrender()).toThrow('Textbox "Greeting".unrender(): its Blocks is built, and the layout is fixed once its build ends (S30).');
    let n!: gr.Number;
    const rendering = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], () => void new gr.Textbox({ label: "Mine" }).unrender());
    });
    const r = await rendering.launch({ showError: true }).connect();
    expect(r.messages.at(-1)).toMatchObject({ type: "error", message: expect.stringContaining('Textbox "Mine".unrender(): it was created by a gr.render run; leave it out of the run instead.') });
  });

  it("undoes what a nested build that failed did with unrender() and render(); refuses to render a container inside itself or to unrender a nested Blocks", () => {
    let out!: gr.Textbox, kept!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox({ label: "Out" }).unrender();
      kept = new gr.Textbox({ label: "Kept" });
      expect(() => new gr.Interface({ fn: (x: string) => x, inputs: out, outputs: "text", examples: [[{}]] })).toThrow(); // rendered `out`, then failed
      expect(
        () =>
          new gr.Blocks(() => {
            kept.unrender();
            throw new Error("boom");
          }),
      ).toThrow("boom");
      new gr.Row(() => {
        out.render(); // still out of the layout: placed here
        kept.render(); // still in place: stays
      });
    });
    expect(demo.layout.map((n) => [n.block, n.children.map((c) => c.block)])).toEqual([
      [kept, []],
      [demo.layout[1].block, [out]],
    ]);
    new gr.Blocks(() => {
      new gr.Row((row) => {
        new gr.Textbox();
        row.unrender();
        new gr.Column(() => expect(() => row.render()).toThrow(/Row #\d+\.render\(\): it would go inside itself; render it outside its own contents\./));
      });
      const nested = new gr.Interface({ fn: (x: string) => x, inputs: "text", outputs: "text" });
      expect(() => nested.unrender()).toThrow("it was made in another Blocks' build, which holds its parts; make it where it should be shown instead.");
    });
  });

  it("gives a container's callback the container (as `with gr.Tabs() as tabs:`), and a Tab made in a handler without a label keeps its label", async () => {
    let tab!: gr.Tab, hide!: gr.Button, given: unknown;
    let tabs!: gr.Tabs;
    const demo = new gr.Blocks(() => {
      tabs = new gr.Tabs((t) => {
        given = t;
        tab = new gr.Tab("Two", () => undefined);
        hide = new gr.Button("Hide");
        hide.click(() => new gr.Tab(undefined as never, { visible: false }), undefined, tab);
      });
    });
    expect(given).toBe(tabs);
    const s = await demo.launch().connect();
    await s.click(hide);
    expect(s.props(tab)).toEqual({ label: "Two", visible: false });
  });

  it("skip(), undefined and null leave a container as it is", async () => {
    const p = panels();
    const s = await p.demo.launch().connect();
    const before = [p.row, p.column, p.group].map((c) => s.props(c));
    expect((await s.click(p.nothing)).status).toBe("complete");
    expect([p.row, p.column, p.group].map((c) => s.props(c))).toEqual(before);
  });

  it("a plain value for a container fails the run naming it, and writes nothing", async () => {
    const p = panels();
    const s = await p.demo.launch().connect();
    const result = await s.click(p.bad);
    expect(result.status).toBe("error");
    expect(result.error).toBeInstanceOf(gr.EventError);
    expect((result.error as gr.EventError).code).toBe("invalid_output");
    expect(result.error!.message).toMatch(/plain" returned "text" for Column #\d+, a layout container, which has no value/);
    expect(s.props(p.row).visible).toBeUndefined();
  });

  it("a container made in the handler is an update with the props it was given (Gradio's return gr.Row(visible=False))", async () => {
    let row!: gr.Row, accordion!: gr.Accordion, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      row = new gr.Row(() => undefined);
      accordion = new gr.Accordion("More", () => undefined);
      btn = new gr.Button();
      btn.click(() => [new gr.Row({ visible: false }), new gr.Accordion("Less", { open: false })], undefined, [row, accordion]);
    });
    const s = await demo.launch().connect();
    expect((await s.click(btn)).status).toBe("complete");
    expect(s.props(row)).toEqual({ visible: false });
    expect(s.props(accordion)).toEqual({ open: false, label: "Less" });
  });

  it("shows in snapshot(), updates$ and config()", async () => {
    const p = panels();
    const config = p.demo.config();
    const dep = config.dependencies.find((d) => d.triggers[0][0] === p.fold.id)!;
    expect(dep.outputs).toEqual([p.accordion.id]);
    const s = await p.demo.launch().connect();
    expect(s.snapshot()[p.accordion.id]).toEqual({ props: { open: true, label: "More" } });
    const updates: gr.ComponentUpdate[] = [];
    s.updates$.subscribe((u) => updates.push(u));
    await s.click(p.fold);
    expect(updates).toEqual([{ id: p.accordion.id, props: { open: false, label: "More" } }]);
    expect(s.snapshot()[p.accordion.id]).toEqual({ props: { open: false, label: "More" } });
    expect("value" in s.snapshot()[p.row.id]).toBe(false);
  });

  it("props$ of a container emits its props", async () => {
    const p = panels();
    const s = await p.demo.launch().connect();
    const seen: unknown[] = [];
    s.props$(p.row).subscribe((props) => seen.push(props.visible));
    await s.click(p.hideAll);
    expect(seen).toEqual([undefined, false]);
  });

  it("a container is never an input; session.call answers undefined for it", async () => {
    expect(
      () =>
        new gr.Blocks(() => {
          const row = new gr.Row(() => undefined);
          new gr.Button().click(() => 1, row as never, undefined);
        }),
    ).toThrow(/inputs\[0\] is not a component or State; got Row #0\./);
    let row!: gr.Row;
    const demo = new gr.Blocks(() => {
      row = new gr.Row(() => undefined);
      new gr.Button().click(() => gr.update({ visible: false }), undefined, row, { apiName: "hide" });
    });
    const s = await demo.launch().connect();
    expect(await s.call("hide")).toEqual([undefined]);
    expect(s.props(row).visible).toBe(false);
  });
});

describe("a layout container's constructor checks what it is given", () => {
  it("refuses an unknown prop (naming the nearest), props that are not an object, and contents that are not a function", () => {
    expect(() => new gr.Blocks(() => void new gr.Row({ visibel: false } as never))).toThrow(/^Row: unknown prop "visibel" \(did you mean "visible"\? its props are /);
    expect(() => new gr.Blocks(() => void new (gr.Row as unknown as new (p: unknown) => gr.Row)("abc"))).toThrow('Row: expected its props as an object, such as { visible }, got "abc".');
    expect(() => new gr.Blocks(() => void new (gr.Row as unknown as new (p: unknown, b: unknown) => gr.Row)({}, "x"))).toThrow(
      'Row: expected its contents as a function that builds them, got "x".',
    );
  });
});

describe("gr.update props are checked (S74)", () => {
  it("an unknown prop fails the run with invalid_output naming the component, the prop and the nearest one; nothing is written", async () => {
    let box!: gr.Textbox, out!: gr.Number;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ label: "Name" });
      out = new gr.Number({ label: "Count" });
      new gr.Button("Go").click(() => [gr.update({ value: 3 }), gr.update({ value: "x", visibel: false })], undefined, [out, box]);
    });
    const s = await demo.launch().connect();
    const result = await s.click(demo.blocks.find((b) => b instanceof gr.Button) as gr.Button);
    expect(result.status).toBe("error");
    expect((result.error as gr.EventError).code).toBe("invalid_output");
    expect(result.error!.message).toMatch(/Textbox "Name" with the unknown prop "visibel" \(did you mean "visible"\?/);
    expect(s.get(out)).toBeNull();
    expect(s.get(box)).toBe("");
    expect(s.props(box).visibel).toBeUndefined();
  });

  it("checks a container's props too, and a class's own props are accepted", async () => {
    const p = panels();
    const s = await p.demo.launch().connect();
    const result = await s.click(p.typo);
    expect(result.error!.message).toMatch(/typoIt" returned an update of Row #\d+ with the unknown prop "visibel" \(did you mean "visible"\?/);
    expect(s.props(p.column).visible).toBeUndefined(); // the other output was not written either
    let slider!: gr.Slider, accordion!: gr.Accordion;
    const demo = new gr.Blocks(() => {
      slider = new gr.Slider();
      accordion = new gr.Accordion("A", () => undefined);
      new gr.Button().click(() => [gr.update({ maximum: 5, label: "L", elemClasses: ["x"] }), gr.update({ open: false, value: 1 })], undefined, [slider, accordion]);
    });
    const t = await demo.launch().connect();
    const r = await t.click(demo.blocks.find((b) => b instanceof gr.Button) as gr.Button);
    expect(r.error!.message).toMatch(/Accordion "A" with the unknown prop "value" \(a layout container has no value\)/);
  });

  it("gives every component Gradio's scale and minWidth (layout metadata), checked as a Column's", async () => {
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      new gr.Row(() => {
        btn = new gr.Button("Go", { scale: 0, minWidth: 80 });
        new gr.Textbox({ scale: 2 });
      });
      btn.click(() => gr.update({ scale: 1 }), undefined, btn);
    });
    expect(btn.props).toMatchObject({ scale: 0, minWidth: 80 });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(s.props(btn).scale).toBe(1);
    expect(() => new gr.Blocks(() => void new gr.Textbox({ minWidth: "80px" as never }))).toThrow('Textbox: minWidth must be a number of pixels; got "80px".');
  });

  it('takes visible: "hidden" (Gradio 5.46+: in the page, not shown) for containers and components, at construction and by update', async () => {
    let row!: gr.Row, box!: gr.Textbox, go!: gr.Button;
    const demo = new gr.Blocks(() => {
      row = new gr.Row({ visible: "hidden" });
      box = new gr.Textbox({ visible: "hidden" });
      go = new gr.Button();
      go.click(() => [gr.update({ visible: true }), gr.update({ visible: "hidden" })], undefined, [row, go]);
    });
    expect([row.props.visible, box.props.visible]).toEqual(["hidden", "hidden"]);
    const s = await demo.launch().connect();
    expect((await s.click(go)).status).toBe("complete");
    expect([s.props(row).visible, s.props(go).visible]).toEqual([true, "hidden"]);
  });

  it("checks a container's prop values as its constructor does: a bad one fails the run naming it, nothing is written", async () => {
    expect(() => new gr.Blocks(() => void new gr.Row({ visible: "false" as never }))).toThrow('Row: visible must be true, false or "hidden"; got "false".');
    expect(() => new gr.Blocks(() => void new gr.Accordion("A", { open: 1 } as never))).toThrow('Accordion "A": open must be true or false; got 1.');
    let row!: gr.Row, acc!: gr.Accordion, go!: gr.Button;
    const demo = new gr.Blocks(() => {
      row = new gr.Row();
      acc = new gr.Accordion("More");
      go = new gr.Button();
      go.click(() => [gr.update({ visible: false }), gr.update({ open: "no" })], undefined, [row, acc]);
    });
    const s = await demo.launch().connect();
    const result = await s.click(go);
    expect(result.error).toMatchObject({ code: "invalid_output", message: expect.stringMatching(/returned an update of Accordion "More" with an invalid prop: open must be true or false; got "no"\.$/) });
    expect([s.props(row).visible, s.props(acc).open]).toEqual([undefined, true]);
  });

  it("a component returned as an update is checked against its target", async () => {
    let num!: gr.Number;
    const demo = new gr.Blocks(() => {
      num = new gr.Number();
      new gr.Button().click(() => new gr.Textbox({ lines: 3 }), undefined, num);
    });
    const s = await demo.launch().connect();
    const r = await s.click(demo.blocks.find((b) => b instanceof gr.Button) as gr.Button);
    expect(r.error!.message).toMatch(/Number #\d+ with the unknown prop "lines"/);
  });

  it("for a State only value counts: other keys are ignored", async () => {
    let st!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(0);
      new gr.Button().click(() => gr.update({ value: 2, visibel: false, anything: 1 }), undefined, st);
    });
    const s = await demo.launch().connect();
    expect((await s.click(demo.blocks.find((b) => b instanceof gr.Button) as gr.Button)).status).toBe("complete");
    expect(s.get(st)).toBe(2);
  });

  it("a block's key is a string, a finite number or null: NaN or Infinity is refused, as for a listener's key (NaN could match no later run, S111)", () => {
    for (const key of [NaN, Infinity]) {
      expect(() => new gr.Textbox({ key })).toThrow(/key must be a string, a finite number or null; got/);
      expect(() => new gr.Row({ key }, () => undefined)).toThrow(/key must be a string, a finite number or null; got/);
    }
    expect(new gr.Textbox({ key: 3 }).props.key).toBe(3);
  });

  it("every component class declares BaseProps and its own props", () => {
    expect(gr.Textbox.propNames).toEqual(expect.arrayContaining(["label", "visible", "interactive", "elemId", "elemClasses", "key", "info", "lines", "placeholder"]));
    expect(gr.Dropdown.propNames).toContain("multiselect");
    expect(gr.Timer.propNames).toContain("active");
    expect(gr.Accordion.propNames).toContain("open");
    expect(gr.Row.propNames).not.toContain("open");
  });
});

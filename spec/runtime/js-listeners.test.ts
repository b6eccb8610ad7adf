/**
 * Gradio's `js=` (ListenerOptions.js): JavaScript for a page to run, described to renderers and
 * Gradio's page; with `fn: null` (Gradio's `fn=None`) the listener runs nothing in a session.
 */
import * as gr from "blockstate";
import { createHandler } from "blockstate/server";

describe("js listeners (Gradio's js=)", () => {
  it("a listener with fn null and js writes nothing in a session, its .then children follow, and it is unqueued with no API name", async () => {
    let toggle!: gr.Button, box!: gr.Textbox, after = 0;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "kept" });
      toggle = new gr.Button("Dark mode");
      toggle
        .click(null, box, box, { js: "(x) => { document.body.classList.toggle('dark'); return x; }" })
        .then(() => void after++);
      new gr.Button().click({ fn: null, js: "() => 1", outputs: box });
    });
    const s = await demo.launch().connect();
    expect((await s.click(toggle)).status).toBe("complete");
    expect([s.get(box), after]).toEqual(["kept", 1]);
    const [dep] = demo.dependencies;
    expect([dep.backendFn, dep.options.queue, dep.apiName]).toEqual([false, false, false]);
    expect(demo.dependencies[2].backendFn).toBe(false); // the object form
    expect(demo.config().dependencies[0]).toMatchObject({ js: "(x) => { document.body.classList.toggle('dark'); return x; }", backendFn: false });
  });

  it("a listener with fn and js runs fn in the session and describes js; Gradio's page gets js and backend_fn", async () => {
    let btn!: gr.Button, box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "a" });
      btn = new gr.Button();
      btn.click((x: string) => x + "!", box, box, { js: "(x) => x.trim()" });
      new gr.Button().click(null, undefined, undefined, { js: "() => alert('hi')" });
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(s.get(box)).toBe("a!");
    const handler = createHandler(demo);
    try {
      const config = (await (await handler(new Request("http://127.0.0.1:7860/config"))).json()) as { dependencies: Record<string, unknown>[] };
      expect(config.dependencies.map((d) => [d.js, d.backend_fn])).toEqual([
        ["(x) => x.trim()", true],
        ["() => alert('hi')", false],
      ]);
    } finally {
      await handler.close();
    }
  });

  it("refuses fn null without js, and js that is not a string", () => {
    expect(() => new gr.Blocks(() => new gr.Button().click(null as never))).toThrow(/fn must be a function \(or null, with js\); got null/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => 1, undefined, undefined, { js: 5 as never }))).toThrow(/js must be JavaScript source \(a string\) or null; got 5/);
  });
});

describe("apiVisibility (Gradio 6's api_visibility)", () => {
  it('"undocumented" is callable by name but left out of /info; "private" has no name; a js-only listener is private', async () => {
    let box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      const btn = new gr.Button();
      btn.click((x: string) => `${x}!`, box, box, { apiName: "shout", apiVisibility: "undocumented" });
      btn.click((x: string) => x, box, box, { apiName: "echo" });
      btn.click((x: string) => x, box, box, { apiName: "hidden", apiVisibility: "private" });
      btn.click(null, box, box, { apiName: "client_only", js: "(x) => x" });
    });
    expect(demo.dependencies.map((d) => [d.apiName, d.options.apiVisibility])).toEqual([
      ["shout", "undocumented"],
      ["echo", "public"],
      [false, "private"],
      [false, "private"],
    ]);
    const s = await demo.launch().connect();
    expect(await s.call("shout", "hi")).toEqual(["hi!"]);
    await expect(s.call("hidden", "x")).rejects.toThrow(/no listener is named "hidden"/);
    const handler = createHandler(demo);
    try {
      const info = (await (await handler(new Request("http://127.0.0.1:7860/gradio_api/info"))).json()) as { named_endpoints: Record<string, unknown> };
      expect(Object.keys(info.named_endpoints)).toEqual(["/echo"]);
      const config = (await (await handler(new Request("http://127.0.0.1:7860/config"))).json()) as { dependencies: Record<string, unknown>[] };
      expect(config.dependencies.map((d) => d.api_visibility)).toEqual(["undocumented", "public", "private", "private"]);
    } finally {
      await handler.close();
    }
    expect(() => new gr.Blocks(() => new gr.Button().click(() => 1, undefined, undefined, { apiVisibility: "secret" as never }))).toThrow(/apiVisibility must be "public", "private" or "undocumented"; got "secret"/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => 1, undefined, undefined, { apiName: false, apiVisibility: "public" }))).toThrow(/apiVisibility must be "private" \(or left out\) with apiName: false/);
  });
});

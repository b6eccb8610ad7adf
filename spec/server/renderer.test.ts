/**
 * blockstate/server's renderer protocol (docs/protocol.md §5, the `renderer` option) and
 * serving several apps: the same checks as Gradio's routes (cross-site pages, stream bound,
 * nesting, error text), from the shared code. The reference renderer's pages in Chromium are
 * in spec/browser/web-renderer.test.ts.
 */
import { request as httpRequest } from "node:http";
import * as gr from "blockstate";
import { createHandler, serve, type GradioHandler } from "blockstate/server";
import { ManualClock } from "blockstate/testing";
import { until } from "./apps";

const BASE = "http://127.0.0.1:7860";

/** A textbox echoed by its `input` listener, a button writing a big value, and a failing one. */
function pageApp() {
  return new gr.Blocks({ title: "Page app" }, () => {
    const name = new gr.Textbox({ label: "name" });
    const out = new gr.Textbox({ label: "out" });
    name.input((n: string) => `hello ${n}`, name, out);
    new gr.Button("Big").click(() => `${Date.now()} ${"x".repeat(2000)}`, undefined, out);
    new gr.Button("Secret").click(() => {
      throw new Error("secret database password is hunter2");
    }, undefined, out);
  });
}

function idOf(handler: GradioHandler, predicate: (c: gr.ComponentConfig) => boolean): number {
  return handler.app.blocks.config().components.find(predicate)!.id;
}

/** Opens a page's stream; reads up to its snapshot, then reads only when asked. */
async function openPage(handler: GradioHandler, headers: Record<string, string> = {}) {
  const response = await handler(new Request(`${BASE}/renderer/events`, { headers }));
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // Keep-alive comments may come first.
  while (!/^event: snapshot\ndata: .*\n\n/m.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
  const snapshot = JSON.parse(/^event: snapshot\ndata: (.*)$/m.exec(text)![1]) as { session: string };
  return {
    hash: snapshot.session,
    /** Reads to the end: the text, or the error that ended the stream. */
    async rest(): Promise<{ text: string; error?: Error }> {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { text };
          text += decoder.decode(value, { stream: true });
        }
      } catch (e) {
        return { text, error: e as Error };
      }
    },
    /** Reads until one more keep-alive comment than before has come. */
    async nextBeat(): Promise<void> {
      const beats = () => text.split(": keep-alive").length;
      const before = beats();
      while (beats() === before) text += decoder.decode((await reader.read()).value, { stream: true });
    },
    cancel: () => reader.cancel(),
  };
}

function dispatch(handler: GradioHandler, body: string | object, headers: Record<string, string> = {}) {
  return handler(
    new Request(`${BASE}/renderer/dispatch`, {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    }),
  );
}

describe("the renderer protocol in blockstate/server", () => {
  let handler: GradioHandler;
  afterEach(() => handler?.close());

  test("is served only with the renderer option; the page only with the renderer's files", async () => {
    handler = createHandler(pageApp());
    expect((await handler(new Request(`${BASE}/renderer/events`))).status).toBe(404);
    expect(handler.app.sessionCount).toBe(0);
    await handler.close();

    handler = createHandler(pageApp(), { renderer: true });
    expect(await (await handler(new Request(`${BASE}/renderer/config`))).json()).toEqual(pageApp().config());
    expect((await handler(new Request(`${BASE}/`))).status).toBe(404);
    await handler.close();

    handler = createHandler(pageApp(), { renderer: { script: "/* renderer */", style: "main {}" } });
    const page = await handler(new Request(`${BASE}/`));
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="renderer/script.js"></script>');
    expect(html).toContain("<title>Page app</title>");
    expect(await (await handler(new Request(`${BASE}/renderer/script.js`))).text()).toBe("/* renderer */");
    expect(await (await handler(new Request(`${BASE}/renderer/style.css`))).text()).toBe("main {}");
    // Gradio's protocol is still there, on the same app.
    expect(((await (await handler(new Request(`${BASE}/config`))).json()) as { protocol: string }).protocol).toBe("sse_v3");
  });

  test("a bad renderer option is a TypeError naming it", () => {
    expect(() => createHandler(pageApp(), { renderer: { style: "x" } as never })).toThrow(/^createHandler\(\): renderer must be true, false or \{ script, style\?, title\? \} \(strings\); got /);
    expect(() => createHandler(pageApp(), { renderer: "yes" as never })).toThrow('createHandler(): renderer must be true, false or { script, style?, title? } (strings); got "yes".');
  });

  test("a cross-site page can neither open a session nor send events", async () => {
    handler = createHandler(pageApp(), { renderer: true });
    const evil = { origin: "https://evil.example" };
    const opened = await handler(new Request(`${BASE}/renderer/events`, { headers: evil }));
    expect(opened.status).toBe(403);
    expect(await opened.json()).toMatchObject({ status: "error", code: "forbidden", error: expect.stringMatching(/^Requests from the page at "https:\/\/evil.example" are not allowed/) });
    expect((await handler(new Request(`${BASE}/renderer/events`, { headers: { "sec-fetch-site": "cross-site" } }))).status).toBe(403);
    expect(handler.app.sessionCount).toBe(0);

    const page = await openPage(handler, { origin: BASE, "sec-fetch-site": "same-origin" });
    const name = idOf(handler, (c) => c.props.label === "name");
    const sent = await dispatch(handler, { session: page.hash, id: name, event: "input", data: "Ada" }, evil);
    expect(sent.status).toBe(403);
    expect((await dispatch(handler, { session: page.hash, id: name, event: "input", data: "Ada" }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(handler.app.session(page.hash)!.snapshot()[name].value).toBe("");
    // The page's own origin is served.
    expect(await (await dispatch(handler, { session: page.hash, id: name, event: "input", data: "Ada" }, { origin: BASE })).json()).toEqual({ status: "complete" });
    expect(handler.app.session(page.hash)!.snapshot()[name].value).toBe("Ada");
    await page.cancel();
  });

  test("a page that never reads its stream cannot make the server buffer without bound; its session closes", async () => {
    handler = createHandler(pageApp(), { renderer: true, maxStreamBytes: 4096 });
    const page = await openPage(handler);
    const big = idOf(handler, (c) => c.value === "Big");
    let answer = 200;
    for (let i = 0; i < 10 && answer === 200; i++) {
      answer = (await dispatch(handler, { session: page.hash, id: big, event: "click" })).status;
      await new Promise((r) => setImmediate(r)); // the turn's updates go out
    }
    expect(answer).toBe(404); // the stream was ended, so the page's session is gone
    const { text, error } = await page.rest();
    expect(error?.message).toBe("The event stream held more than 4096 unread bytes and was ended.");
    expect(new TextEncoder().encode(text).byteLength).toBeLessThan(4096 + 1024);
    await until(() => handler.app.session(page.hash)!.closed, "the session to close");
  });

  test("a seq sent again while its first waits is refused (409): the first keeps its turn, and seq order holds", async () => {
    handler = createHandler(pageApp(), { renderer: true });
    const page = await openPage(handler);
    const name = idOf(handler, (c) => c.props.label === "name");
    const order: string[] = [];
    const send = (seq: number, data: string) =>
      dispatch(handler, { session: page.hash, seq, id: name, event: "input", data }).then((r) => {
        order.push(`${data} ${r.status}`);
      });
    const pause = () => new Promise((r) => setTimeout(r, 20));
    const a = send(1, "a");
    await pause();
    const b = send(1, "b");
    await pause();
    const c = send(2, "c");
    await pause();
    await Promise.all([send(0, "z"), a, b, c]);
    expect(order).toEqual(["b 409", "z 200", "a 200", "c 200"]);
    expect(handler.app.session(page.hash)!.snapshot()[name].value).toBe("c");
    await page.cancel();
  });

  test("a page that reads gets any one frame, however large: a snapshot or an update past maxStreamBytes", async () => {
    handler = createHandler(
      new gr.Blocks(() => {
        const out = new gr.Textbox({ label: "out", value: "d".repeat(8000) }); // the snapshot alone passes 4096 bytes
        new gr.Button("Big").click(() => "x".repeat(8000), undefined, out);
      }),
      { renderer: true, maxStreamBytes: 4096 },
    );
    const page = await openPage(handler);
    const big = idOf(handler, (c) => c.value === "Big");
    const reading = page.rest(); // a read is pending the whole time
    expect(await (await dispatch(handler, { session: page.hash, id: big, event: "click" })).json()).toEqual({ status: "complete" });
    await new Promise((r) => setTimeout(r, 50));
    expect(handler.app.session(page.hash)!.closed).toBe(false);
    await handler.close();
    const { text, error } = await reading;
    expect(error).toBeUndefined();
    expect(text).toContain("x".repeat(8000));
  });

  test("a page's session stays open while its stream is, past the idle timeout meant for API clients", async () => {
    const clock = new ManualClock();
    handler = createHandler(pageApp(), { renderer: true, heartbeatSeconds: 0.01, sessionIdleTimeout: 10, clock });
    const pages = [await openPage(handler), await openPage(handler)];
    for (let i = 0; i < 6; i++) {
      for (const page of pages) await page.nextBeat();
      await clock.advance(5_000);
    }
    expect(pages.map((p) => handler.app.session(p.hash)!.closed)).toEqual([false, false]);
    for (const page of pages) await page.cancel();
  });

  test("data nested ten thousand levels deep is a 400, not a 500, and changes nothing", async () => {
    handler = createHandler(pageApp(), { renderer: true });
    const page = await openPage(handler);
    const name = idOf(handler, (c) => c.props.label === "name");
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const response = await dispatch(handler, `{"session": "${page.hash}", "id": ${name}, "event": "input", "data": ${deep}}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: "error", code: "bad_request", error: "The body is nested more than 64 levels deep." });
    expect(handler.app.session(page.hash)!.snapshot()[name].value).toBe("");
    await page.cancel();
  });

  test("with showError off, an error's real text reaches neither the answer nor the stream", async () => {
    handler = createHandler(pageApp(), { renderer: true });
    const page = await openPage(handler);
    const secret = idOf(handler, (c) => c.value === "Secret");
    const response = await dispatch(handler, { session: page.hash, id: secret, event: "click" });
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ status: "error", error: "An error occurred while running the app." });
    await handler.close(); // ends the stream
    const { text } = await page.rest();
    expect(text).toContain('"type":"error"');
    expect(body + text).not.toContain("hunter2");
  });

  test("with showError on, the answer has the error's text", async () => {
    handler = createHandler(pageApp(), { renderer: true, showError: true });
    const page = await openPage(handler);
    const secret = idOf(handler, (c) => c.value === "Secret");
    expect(await (await dispatch(handler, { session: page.hash, id: secret, event: "click" })).json()).toEqual({ status: "error", error: "secret database password is hunter2" });
    await page.cancel();
  });
});

describe("serve() with several apps", () => {
  test("serves each under its name, Gradio's protocol and the renderer's together; / lists them", async () => {
    const server = await serve({ one: pageApp(), two: pageApp() }, { port: 0, renderer: { script: "", title: "Both" } });
    try {
      expect(Object.keys(server.apps)).toEqual(["one", "two"]);
      expect(server.app).toBe(server.apps.one);
      const index = await (await fetch(`${server.url}/`)).text();
      expect(index).toContain('<a href="/two/">/two/</a> — Page app');
      expect(index).toContain("<title>Both</title>");
      expect(((await (await fetch(`${server.url}/two/config`)).json()) as { protocol: string }).protocol).toBe("sse_v3");
      expect((await fetch(`${server.url}/two/renderer/config`)).status).toBe(200);
      expect((await fetch(`${server.url}/three/config`)).status).toBe(404);
      const run = await fetch(`${server.url}/one/gradio_api/run/predict`, { method: "POST", body: "{}" });
      expect(run.status).toBe(404); // no such endpoint in that app; the Gradio routes answer
    } finally {
      await server.close();
    }
  });

  test("an app name that is not a path segment is a TypeError", async () => {
    await expect(serve({ "a/b": pageApp() }, { port: 0 })).rejects.toThrow('serve(): app name "a/b" must be a path segment (letters, digits, "_", "-").');
    await expect(serve({}, { port: 0 })).rejects.toThrow(/^serve\(\): expected a Blocks, a launched App or apps by name/);
  });

  test("a body over the limit is refused with Connection: close, so the next request on a kept-alive connection does not fail", async () => {
    const server = await serve(pageApp(), { port: 0, renderer: true, maxBodyBytes: 1024 });
    try {
      const { port } = new URL(server.url);
      const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/renderer/dispatch", headers: { "content-type": "application/json", "content-length": 4096 } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode!, connection: res.headers.connection });
        });
        req.on("error", reject);
        req.end("x".repeat(4096));
      });
      expect(answer).toEqual({ status: 413, connection: "close" });
    } finally {
      await server.close();
    }
  });
});

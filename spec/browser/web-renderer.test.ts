/**
 * The reference web renderer and its server (examples/web-renderer), end to end: the server's
 * transport and bad-input handling over plain HTTP from Node, then real pages in Debian's
 * Chromium through playwright-core (never a downloaded browser). Screenshots go to
 * `artifacts/web-renderer/` (git-ignored) for a person to look at.
 */
import { quietClientAborts } from "../support/gradio-client";
import { request as httpRequest } from "node:http";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import * as gr from "blockstate";
import { cartApp, chatApp, chatInterfaceApp, examplesApp, interfaceChatApp, layoutEventsApp, renderApp, showcaseApp } from "../../examples/web-renderer/apps";
import { markdownToHtml } from "../../examples/web-renderer/markdown";
import type { RunningServer } from "blockstate/server";
import { startWebServer } from "../../examples/web-renderer/server";
import { launchChromium } from "../support/chromium";
quietClientAborts();

jest.setTimeout(60_000);

const ARTIFACTS = path.join(__dirname, "..", "..", "artifacts", "web-renderer");

let unloads = 0;
/** A tiny app with an unload listener, to see that closing the stream closes the session. */
function lifecycleApp(): gr.Blocks {
  return new gr.Blocks((demo) => {
    new gr.Textbox({ label: "Anything" });
    demo.unload(() => {
      unloads++;
    });
  });
}

let server: RunningServer;
/** `http://127.0.0.1:PORT/` */
let url: string;

beforeAll(async () => {
  server = await startWebServer(
    {
      cart: cartApp(),
      chatbot: interfaceChatApp(),
      chat: chatApp(),
      chatinterface: chatInterfaceApp(),
      showcase: showcaseApp(),
      lifecycle: lifecycleApp(),
      render: renderApp(),
      examples: examplesApp(),
      layout: layoutEventsApp(),
    },
    { port: 0 },
  );
  url = `${server.url}/`;
});

afterAll(async () => {
  await server?.close();
});

/** Polls `read` until it gives `expected` (deep equality) or `ms` pass; then asserts. */
async function eventually<T>(read: () => T | Promise<T>, expected: T, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  let last: T = await read();
  while (Date.now() < end) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(last).toEqual(expected);
}

// #region Node-side client of the transport

interface SseEvent {
  event: string;
  data: any;
}

/** Opens a page's event stream from Node, as `EventSource` would. */
async function openStream(app: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}${app}/renderer/events`, { signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let text = "";
  let waiter: (() => void) | undefined;
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = text.indexOf("\n\n")) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
        waiter?.();
      }
    } catch {
      // aborted
    }
  })();
  const next = async (count: number) => {
    while (events.length < count) await new Promise<void>((r) => (waiter = r));
  };
  await next(1);
  expect(events[0].event).toBe("snapshot");
  const session: string = events[0].data.session;
  return {
    session,
    events,
    /** Waits for at least `count` events in all. */
    next,
    close: async () => {
      abort.abort();
      await pump;
    },
  };
}

async function post(app: string, body: unknown, raw = false) {
  const response = await fetch(`${url}${app}/renderer/dispatch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { status: string; error?: string; title?: string; code?: string } };
}

function idOf(app: string, predicate: (c: gr.ComponentConfig) => boolean): number {
  const config = server.apps[app].blocks.config();
  const found = config.components.find(predicate);
  if (!found) throw new Error(`no such component in ${app}`);
  return found.id;
}

// #endregion

describe("renderer Markdown subset", () => {
  it("formats headings, emphasis, code, lists and links", () => {
    expect(markdownToHtml("# Title\nSome **bold**, *italic* and `a<b`.\n\n- one\n- two\n\n1. first")).toBe(
      "<h1>Title</h1><p>Some <strong>bold</strong>, <em>italic</em> and <code>a&lt;b</code>.</p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>",
    );
    expect(markdownToHtml("```\n<b>x</b>\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>");
    expect(markdownToHtml("[site](https://example.com/?a=1&b=2)")).toBe('<p><a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">site</a></p>');
  });

  it("never lets HTML or script URLs through", () => {
    expect(markdownToHtml('<img src=x onerror="alert(1)">')).toBe("<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>");
    expect(markdownToHtml("[x](javascript:alert(1))")).not.toContain("<a");
    expect(markdownToHtml('[x](https://a.example/"onmouseover="alert(1))')).not.toMatch(/href="[^"]*"onmouseover/);
    expect(markdownToHtml("**<script>**")).toBe("<p><strong>&lt;script&gt;</strong></p>");
  });
});

describe("reference server: Gradio's protocol for the same apps (blockstate/server)", () => {
  test("@gradio/client connects at /<app>; its session is one of that app's sessions, with its State", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require("@gradio/client") as typeof import("@gradio/client");
    const app = server.apps.chatbot;
    const before = app.sessionCount;
    const client = await Client.connect(`${url}chatbot`);
    await client.predict("/predict", ["hello"]);
    const second = (await client.predict("/predict", ["where are you"])).data as [{ role: string; content: string }[]];
    // The history (a "state" input and output) is kept across calls, on the server.
    expect(second[0].filter((m) => m.role === "user").map((m) => m.content)).toEqual(["hello", "where are you"]);
    expect(app.sessionCount).toBe(before + 1);
    client.close();
  });
});

describe("reference server: transport", () => {
  it("serves an index, the app pages, the config and the bundled renderer", async () => {
    const index = await (await fetch(url)).text();
    expect(index).toContain('href="/cart/"');
    expect(index).toContain('href="/chatbot/"');
    const redirect = await fetch(`${url}cart`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/cart/");
    const page = await fetch(`${url}cart/`);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="application/json" id="bs-config">');
    const config = await (await fetch(`${url}cart/renderer/config`)).json();
    expect(config).toEqual(cartApp().config());
    expect(config.protocolVersion).toBe(gr.PROTOCOL_VERSION);
    const js = await fetch(`${url}cart/renderer/script.js`);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(1000);
  });

  it("opens one session per stream: snapshot first, then updates and messages; dispatch answers with the EventResult", async () => {
    const items = idOf("cart", (c) => c.type === "checkboxgroup");
    const add = idOf("cart", (c) => c.type === "button");
    const size = idOf("cart", (c) => c.type === "number");
    const a = await openStream("cart");
    const b = await openStream("cart");
    expect(a.session).not.toBe(b.session);
    expect(a.events[0].data).toMatchObject({ protocolVersion: gr.PROTOCOL_VERSION, components: { [items]: { value: [] }, [size]: { value: null } } });

    expect(await post("cart", { session: a.session, id: items, event: "input", data: ["Milk", "Water"] })).toEqual({ status: 200, json: { status: "complete" } });
    expect((await post("cart", { session: a.session, id: add, event: "click" })).json).toEqual({ status: "complete" });
    const updates = (events: SseEvent[]) => events.filter((e) => e.event === "update").map((e) => e.data);
    // The edit itself is not echoed back to the page that made it; what it caused is.
    await eventually(() => updates(a.events), [{ id: size, value: 2 }]);
    // A value the component normalised is sent back: the page shows what the session holds.
    await post("cart", { session: a.session, id: size, event: "input", data: "5" });
    await eventually(() => updates(a.events), [{ id: size, value: 2 }, { id: size, value: 5 }]);
    // Run status is streamed too (renderers mark pending outputs with it).
    expect(a.events.filter((e) => e.event === "message").map((e) => e.data)).toContainEqual(expect.objectContaining({ type: "status", dependency: 0, stage: "complete" }));
    expect(b.events).toHaveLength(1); // the other session saw nothing
    expect(server.apps.cart.session(b.session)!.snapshot()[size].value).toBe(null);
    await Promise.all([a.close(), b.close()]);
  });

  it("starts a page's dispatches in seq order, whatever order they arrive in", async () => {
    const items = idOf("cart", (c) => c.type === "checkboxgroup");
    const add = idOf("cart", (c) => c.type === "button");
    const size = idOf("cart", (c) => c.type === "number");
    const s = await openStream("cart");
    // The click (seq 1) arrives first but waits for the edit (seq 0).
    const click = post("cart", { session: s.session, seq: 1, id: add, event: "click" });
    await new Promise((r) => setTimeout(r, 50));
    const edit = post("cart", { session: s.session, seq: 0, id: items, event: "input", data: ["Water"] });
    expect((await click).json.status).toBe("complete");
    expect((await edit).json.status).toBe("complete");
    expect(server.apps.cart.session(s.session)!.snapshot()[size].value).toBe(1);
    await s.close();
  });

  it("reports a handler's gr.Error in the result and as a message", async () => {
    const fail = idOf("showcase", (c) => c.props.elemId === "fail");
    const s = await openStream("showcase");
    expect(await post("showcase", { session: s.session, id: fail, event: "click" })).toEqual({
      status: 200,
      json: { status: "error", error: "Something went wrong on purpose.", title: "Oops" },
    });
    await eventually(() => s.events.some((e) => e.data.type === "error"), true);
    expect(s.events.find((e) => e.data.type === "error")?.data).toMatchObject({ type: "error", message: "Something went wrong on purpose.", title: "Oops" });
    await s.close();
  });

  it("closing the stream closes the session and runs its unload listeners (S13)", async () => {
    const before = unloads;
    const s = await openStream("lifecycle");
    const session = server.apps.lifecycle.session(s.session)!;
    expect(session.closed).toBe(false);
    await s.close();
    await eventually(() => unloads - before, 1);
    expect(session.closed).toBe(true);
    expect((await post("lifecycle", { session: s.session, id: 1, event: "input", data: "x" })).status).toBe(404);
  });
});

describe("reference server: bad input is refused with a clear error and changes nothing", () => {
  let stream: Awaited<ReturnType<typeof openStream>>;
  let before: string;
  let items: number;
  let add: number;

  beforeAll(async () => {
    items = idOf("cart", (c) => c.type === "checkboxgroup");
    add = idOf("cart", (c) => c.type === "button");
    stream = await openStream("cart");
    before = JSON.stringify(server.apps.cart.session(stream.session)!.snapshot());
  });

  afterAll(async () => {
    // Nothing changed, and no update was streamed.
    expect(JSON.stringify(server.apps.cart.session(stream.session)!.snapshot())).toBe(before);
    expect(stream.events.filter((e) => e.event === "update")).toEqual([]);
    await stream.close();
  });

  it("unknown session: 404", async () => {
    const { status, json } = await post("cart", { session: "no-such-session", id: add, event: "click" });
    expect(status).toBe(404);
    expect(json).toMatchObject({ status: "error", code: "unknown_session" });
    expect(json.error).toMatch(/No open session "no-such-session"/);
  });

  it("unknown component id: 400", async () => {
    const { status, json } = await post("cart", { session: stream.session, id: 999, event: "click" });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "unknown_component", error: "No component has id 999 in this app." });
  });

  it("an event the component does not have: 400", async () => {
    const { status, json } = await post("cart", { session: stream.session, id: add, event: "submit" });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "unknown_event" });
    expect(json.error).toMatch(/has no "submit" event; it accepts: click/);
    expect((await post("cart", { session: stream.session, id: add, event: "input", data: "Go" })).status).toBe(400);
  });

  it("a value the component rejects: 422, and the session is told", async () => {
    const { status, json } = await post("cart", { session: stream.session, id: items, event: "input", data: ["Bread"] });
    expect(status).toBe(422);
    expect(json).toMatchObject({ status: "error", code: "rejected_value" });
    expect(json.error).toMatch(/rejected the input \["Bread"\].*"Bread" is not one of the choices/);
    await eventually(() => stream.events.filter((e) => e.event === "message").map((e) => e.data.type), ["error"]);
  });

  it("malformed JSON, a non-object or bad fields: 400", async () => {
    const broken = await post("cart", '{"session": ', true);
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ code: "bad_json" });
    expect(broken.json.error).toMatch(/not valid JSON/);
    expect((await post("cart", [1, 2])).json.code).toBe("bad_request");
    expect((await post("cart", { session: stream.session, id: "1", event: "click" })).json).toMatchObject({ code: "bad_request", error: expect.stringMatching(/"id" must be/) });
    expect((await post("cart", { session: stream.session, id: add, event: 5 })).status).toBe(400);
    expect((await post("cart", { session: stream.session, id: add, event: "click", seq: -1 })).status).toBe(400);
  });

  it("a body over 1 MB: 413", async () => {
    const huge = JSON.stringify({ session: stream.session, id: items, event: "input", data: ["x".repeat(1024 * 1024)] });
    const { status, json } = await post("cart", huge, true);
    expect(status).toBe(413);
    expect(json).toMatchObject({ code: "too_large", error: "The body is larger than 1048576 bytes." });
  });

  it("wrong method, unknown path, foreign Host: 405, 404, 403", async () => {
    expect((await fetch(`${url}cart/renderer/dispatch`)).status).toBe(405);
    expect((await fetch(`${url}cart/renderer/events`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${url}nope/`)).status).toBe(404);
    expect((await fetch(`${url}cart/other`)).status).toBe(404);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: Number(new URL(server.url).port), path: "/cart/renderer/config", headers: { host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

// #region Chromium

describe("reference renderer in Chromium", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function newPage(app: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    (page as Page & { errors: string[] }).errors = errors;
    await open(page, app);
    return page;
  }

  async function open(page: Page, app: string): Promise<void> {
    await page.goto(`${url}${app}/`);
    await page.waitForSelector('#app[data-session="connected"]');
  }

  /** The session of an open page (its hash is on the page's root element). */
  async function sessionOf(page: Page, app: string): Promise<gr.Session> {
    const hash = await page.locator("#app").getAttribute("data-session-hash");
    return server.apps[app].session(hash!)!;
  }

  function pageErrors(page: Page): string[] {
    return (page as Page & { errors: string[] }).errors;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it("two browser contexts on the cart app see isolated carts", async () => {
    const alice = await newPage("cart");
    const bob = await newPage("cart");
    const size = (page: Page) => page.locator('[data-type="number"] input').inputValue();

    await alice.getByLabel("Milk").check();
    await alice.getByLabel("Water").check();
    await alice.getByRole("button", { name: "Add Items" }).click();
    await eventually(() => size(alice), "2");

    await bob.getByLabel("Cereal").check();
    await bob.getByRole("button", { name: "Add Items" }).click();
    await eventually(() => size(bob), "1");
    await bob.getByRole("button", { name: "Add Items" }).click();
    await eventually(() => size(bob), "2");
    await alice.getByRole("button", { name: "Add Items" }).click();
    await eventually(() => size(alice), "4");
    expect(await size(bob)).toBe("2");
    // Cart Size is only written by a listener: drawn as a display, like Gradio does.
    expect(await alice.locator('[data-type="number"] input').isDisabled()).toBe(true);

    await shot(alice, "cart-alice");
    await shot(bob, "cart-bob");
    expect([...pageErrors(alice), ...pageErrors(bob)]).toEqual([]);
  });

  it("the Interface chatbot keeps its history per page and loses it on reload (S12)", async () => {
    const page = await newPage("chatbot");
    const other = await newPage("chatbot");
    const messages = (p: Page) => p.locator('[data-type="chatbot"] .bs-message').allInnerTexts();
    const box = (p: Page) => p.locator('[data-type="textbox"] input').first();

    await box(page).fill("How are you?");
    await box(page).press("Enter"); // submit
    await eventually(async () => (await messages(page)).length, 2);
    await box(page).fill("Where are you?");
    await page.getByRole("button", { name: "Submit" }).click();
    await eventually(async () => (await messages(page)).length, 4);
    const history = await messages(page);
    expect(history[0]).toBe("how are you?");
    expect(["Great", "Good", "Okay", "Bad"]).toContain(history[1]);
    expect(history[2]).toBe("where are you?");
    expect(["Here", "There", "Somewhere"]).toContain(history[3]);
    await shot(page, "chatbot-history");

    expect(await messages(other)).toEqual([]); // another browser, another session

    await page.reload();
    await page.waitForSelector('#app[data-session="connected"]');
    expect(await messages(page)).toEqual([]);
    await box(page).fill("Hello");
    await box(page).press("Enter");
    // The history State was reset too: one exchange, not three.
    await eventually(async () => (await messages(page)).length, 2);
    await shot(page, "chatbot-after-reload");
    expect(pageErrors(page)).toEqual([]);
  });

  it("the chat with a ClearButton: Enter sends, the box empties, Clear resets", async () => {
    const page = await newPage("chat");
    const box = page.locator('[data-type="textbox"] input');
    const messages = () => page.locator('[data-type="chatbot"] .bs-message').count();
    await box.pressSequentially("Hi there", { delay: 10 });
    await box.press("Enter");
    await eventually(messages, 2);
    await eventually(() => box.inputValue(), "");
    expect(await page.locator(".bs-message-user").innerText()).toBe("Hi there");
    await shot(page, "chat");
    await box.fill("draft");
    await page.getByRole("button", { name: "Clear" }).click();
    await eventually(messages, 0);
    await eventually(() => box.inputValue(), "");
  });

  it("a gr.Error shows an error toast; gr.Info, Warning and Success show theirs", async () => {
    const page = await newPage("showcase");
    await page.locator("#fail button").click();
    const toast = page.locator(".bs-toast-error");
    await toast.waitFor();
    expect(await toast.locator(".bs-toast-title").innerText()).toBe("Oops");
    expect(await toast.locator(".bs-toast-message").innerText()).toBe("Something went wrong on purpose.");
    await page.locator("#notify button").click();
    await page.locator(".bs-toast-success").waitFor();
    expect(await page.locator(".bs-toast").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type))).toEqual(["error", "info", "warning", "success"]);
    await shot(page, "showcase-toasts");
    await toast.locator(".bs-toast-close").click();
    expect(await page.locator(".bs-toast-error").count()).toBe(0);
  });

  it("gr.Examples: a click on a sample fills the inputs, and the greeting computed from them follows; the nested chat answers", async () => {
    const page = await newPage("examples");
    const greeting = page.locator("#greeting input");
    await eventually(() => greeting.inputValue(), "");
    await page.getByRole("button", { name: "Grace · 85" }).click();
    await eventually(() => page.locator("#name input").inputValue(), "Grace");
    expect(await page.locator("#age input").inputValue()).toBe("85");
    await eventually(() => greeting.inputValue(), "Hello Grace (85)");
    const box = page.locator('[data-type="textbox"]:not(#name):not(#greeting):not(#registered) input');
    await box.pressSequentially("hi", { delay: 10 });
    await box.press("Enter");
    await eventually(() => page.locator('[data-type="chatbot"] .bs-message').count(), 2);
    await shot(page, "examples");
    expect(pageErrors(page)).toEqual([]);
  });

  it("a validator's refusal shows its message on the input it refused, until the user edits it", async () => {
    const page = await newPage("examples");
    await page.locator("#register button").click();
    const note = page.locator("#name .bs-validation");
    await note.waitFor();
    expect(await note.innerText()).toBe("Enter a name");
    expect(await page.locator("#age .bs-validation").count()).toBe(0); // the age was valid
    expect(await page.locator("#registered input").inputValue()).toBe(""); // the listener did not run
    await shot(page, "validator");
    await page.locator("#name input").pressSequentially("Ada", { delay: 10 });
    await eventually(() => note.count(), 0);
    await page.locator("#register button").click();
    await eventually(() => page.locator("#registered input").inputValue(), "Registered Ada");
    expect(pageErrors(page)).toEqual([]);
  });

  it("layout containers' events: a Tab's select and its Tabs' change, an Accordion's expand and collapse; an update's selected sends none", async () => {
    const page = await newPage("layout");
    const log = () => page.locator("#log textarea").inputValue();
    const second = page.getByRole("tab", { name: "Second" });
    await second.click();
    await eventually(log, 'selected {"index":1,"value":"Second"}\ntabs changed');
    await page.locator("#details summary").click();
    await eventually(log, 'selected {"index":1,"value":"Second"}\ntabs changed\nexpanded');
    await page.locator("#details summary").click();
    await eventually(log, 'selected {"index":1,"value":"Second"}\ntabs changed\nexpanded\ncollapsed');
    await page.getByRole("tab", { name: "First" }).click();
    await eventually(async () => (await log()).split("\n").length, 5);
    expect(await page.getByText("The first tab").isVisible()).toBe(true);
    await page.locator("#go button").click();
    await page.getByText("The second tab").waitFor({ state: "visible" });
    expect(await second.getAttribute("aria-selected")).toBe("true");
    expect((await log()).split("\n")).toHaveLength(5); // the update sent no event
    // A Walkthrough: its steps numbered, the first shown; its button moves on to the second.
    expect(await page.locator("#walkthrough .bs-steps .bs-tab").allInnerTexts()).toEqual(["Sign in", "Pick a plan"]);
    expect(await page.locator("#walkthrough .bs-tab").last().evaluate((b) => getComputedStyle(b, "::before").content)).toBe('counter(step) ". "');
    expect(await page.getByText("Step two: pick a plan.").isVisible()).toBe(false);
    await page.locator("#next-step button").click();
    await page.getByText("Step two: pick a plan.").waitFor({ state: "visible" });
    expect(await page.getByText("Step one: sign in.").isVisible()).toBe(false);
    await shot(page, "layout-events");
    expect(pageErrors(page)).toEqual([]);
  });

  it("visible: false hides an element; interactive: false disables it; a label update relabels it", async () => {
    const page = await newPage("showcase");
    const target = page.locator("#target");
    expect(await target.isVisible()).toBe(true);
    await page.locator("#hide button").click();
    await target.waitFor({ state: "hidden" });
    expect(await target.evaluate((e) => (e as HTMLElement).hidden)).toBe(true);
    await shot(page, "showcase-hidden");
    await page.locator("#show button").click();
    await target.waitFor({ state: "visible" });
    await page.locator("#hide-keep button").click(); // visible: "hidden" (Gradio 5.46+): not shown, still in the page
    await target.waitFor({ state: "hidden" });
    expect(await target.evaluate((e) => (e as HTMLElement).hidden && e.isConnected)).toBe(true);
    await page.locator("#show button").click();
    await target.waitFor({ state: "visible" });

    expect(await target.locator("input").isDisabled()).toBe(true); // an output only: a display by default
    await page.locator("#lock button").click();
    await eventually(() => target.locator(".bs-label").innerText(), "Target (locked)");
    expect(await target.locator("input").isDisabled()).toBe(true);
    await page.locator("#clear button").click();
    expect(await target.locator("input").inputValue()).toBe("I can be hidden");
    expect(pageErrors(page)).toEqual([]);
  });

  it("a listener hides and shows a container (and what is in it), folds an Accordion and hides a Tab (S72)", async () => {
    const page = await newPage("showcase");
    const inside = page.locator("#inside");
    expect(await inside.isVisible()).toBe(true);
    await page.locator("#hide-panel button").click();
    await page.locator("#panel").waitFor({ state: "hidden" });
    expect(await inside.isVisible()).toBe(false);
    await page.locator("#show-panel button").click();
    await inside.waitFor({ state: "visible" });
    expect(await page.locator("#details").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
    await page.locator("#fold button").click();
    await eventually(() => page.locator("#details").evaluate((e) => (e as HTMLDetailsElement).open), false);
    expect(await page.locator("#details-text").isVisible()).toBe(false);
    // A hidden Tab loses its button in the tab bar.
    expect(await page.getByRole("tab", { name: "Display" }).isVisible()).toBe(true);
    await page.locator("#hide-tab button").click();
    await page.getByRole("tab", { name: "Display" }).waitFor({ state: "hidden" });
    expect(await page.getByRole("tab", { name: "Choices" }).isVisible()).toBe(true);
    // A page opened later draws the session's container props from the snapshot.
    const session = await sessionOf(page, "showcase");
    const panel = idOf("showcase", (c) => c.props.elemId === "panel");
    expect(session.snapshot()[panel]).toEqual({ props: { elemId: "panel", visible: true } });
    expect(pageErrors(page)).toEqual([]);
  });

  it("draws a ChatInterface: examples, streaming replies, retry, undo, edit, stop, clear and the saved conversations", async () => {
    const page = await newPage("chatinterface");
    const session = await sessionOf(page, "chatinterface");
    const messages = () => page.locator('[data-type="chatbot"] .bs-message').allInnerTexts();
    const box = page.locator('[data-type="textbox"] input');
    const chats = () => page.locator('[data-type="radio"] .bs-check').allInnerTexts();

    // Examples while empty; picking one submits it.
    expect(await page.locator(".bs-chat-example").allInnerTexts()).toEqual(["Hello", "What can you do?"]);
    await page.locator(".bs-chat-example", { hasText: "Hello" }).click();
    await eventually(messages, ["Hello", "You said: Hello (#1)"]);
    await eventually(chats, ["Hello"]); // saved after the turn (S106)
    await shot(page, "chatinterface");

    // Retry replaces the reply; undo takes the last message back into the box.
    await page.locator(".bs-chat-retry").click();
    await eventually(messages, ["Hello", "You said: Hello (#2)"]);
    await box.fill("Second");
    await box.press("Enter");
    await eventually(messages, ["Hello", "You said: Hello (#2)", "Second", "You said: Second (#3)"]);
    await page.locator(".bs-chat-undo").click();
    await eventually(messages, ["Hello", "You said: Hello (#2)"]);
    await eventually(() => box.inputValue(), "Second");

    // Edit a user message: what follows is dropped and fn runs again from there.
    await page.locator(".bs-chat-edit").first().click();
    await page.locator(".bs-chat-edit-field").fill("Hi again");
    await page.locator(".bs-chat-save").click();
    await eventually(messages, ["Hi again", "You said: Hi again (#4)"]);

    // Stop keeps the reply so far.
    await box.fill("slow one");
    await box.press("Enter");
    await eventually(async () => (await messages()).at(-1), "Thinking…");
    await page.getByRole("button", { name: "Stop" }).click();
    await session.idle(); // the stop cancelled the run: nothing is left running
    expect(await messages()).toEqual(["Hi again", "You said: Hi again (#4)", "slow one", "Thinking…"]);

    // New chat saves this one and starts empty; the list loads a saved one.
    await page.getByRole("button", { name: "New chat" }).click();
    await eventually(messages, []);
    await box.fill("Another");
    await box.press("Enter");
    await eventually(async () => (await messages()).length, 2);
    await eventually(chats, ["Another", "Hi again"]);
    await page.locator('[data-type="radio"]').getByLabel("Hi again").check();
    await eventually(messages, ["Hi again", "You said: Hi again (#4)", "slow one", "Thinking…"]);
    await shot(page, "chatinterface-saved");

    // Clear empties the history and forgets its saved entry.
    await page.locator(".bs-chat-clear").click();
    await eventually(messages, []);
    await eventually(chats, ["Another"]);
    expect(pageErrors(page)).toEqual([]);
  });

  it("fast typing loses no characters, with or without listeners on the field", async () => {
    const page = await newPage("showcase");
    const session = await sessionOf(page, "showcase");
    const id = (elemId: string) => idOf("showcase", (c) => c.props.elemId === elemId);
    const text = "The quick brown fox jumps over the lazy dog";
    await page.locator("#name input").pressSequentially(text, { delay: 0 }); // an input listener: every keystroke is sent
    await page.locator("#notes textarea").fill("");
    await page.locator("#notes textarea").pressSequentially(text, { delay: 0 }); // no listener: edits are batched
    expect(await page.locator("#name input").inputValue()).toBe(text);
    expect(await page.locator("#notes textarea").inputValue()).toBe(text);
    await eventually(() => [session.snapshot()[id("name")].value, session.snapshot()[id("notes")].value], [text, text]);
    expect(await page.locator("#name input").inputValue()).toBe(text);
  });

  it("draws every component, applies elemId/elemClasses, forwards edits and events, and never injects Markdown HTML", async () => {
    const page = await newPage("showcase");
    // Markdown: formatted, raw HTML shown as text.
    expect(await page.locator("#intro img").count()).toBe(0);
    expect(await page.locator("#intro strong").innerText()).toBe("reference renderer");
    expect(await page.locator("#intro").innerText()).toContain("<img src=x onerror=alert(1)>");
    // HTML component: its purpose is HTML.
    expect(await page.locator("#html b").innerText()).toBe("bold");
    // elemId / elemClasses, data-id.
    const name = page.locator("#name");
    expect(await name.getAttribute("class")).toContain("wide name-box");
    expect(Number(await name.getAttribute("data-id"))).toBe(idOf("showcase", (c) => c.props.elemId === "name"));

    // Typing key by key: every keystroke is an `input` event; the greeting follows, nothing is lost.
    await name.locator("input").pressSequentially("Ada Lovelace", { delay: 15 });
    await eventually(() => page.locator("#greeting input").inputValue(), "Hello, Ada Lovelace!");
    expect(await name.locator("input").inputValue()).toBe("Ada Lovelace");
    expect(await page.locator("#notes textarea").inputValue()).toBe("Line one\nLine two");
    expect(await page.locator("#password input").getAttribute("type")).toBe("password");

    // Slider release writes Count.
    await page.locator("#level input").fill("7");
    await eventually(() => page.locator("#count input").inputValue(), "7");
    await page.locator("#subscribe input").uncheck();
    await shot(page, "showcase");

    await page.getByRole("tab", { name: "Choices" }).click();
    await page.locator("#groceries").getByLabel("Water").check();
    await page.locator("#size").getByLabel("Large").check();
    await page.locator("#colour select").selectOption({ label: "Blue" });
    await page.locator("#genres select").selectOption([{ label: "Rock" }, { label: "Folk" }]);
    await shot(page, "showcase-choices");

    await page.getByRole("tab", { name: "Display" }).click();
    expect(await page.locator("#prediction .bs-label-top").innerText()).toBe("cat");
    expect(await page.locator("#prediction .bs-confidence").count()).toBe(3);
    expect(JSON.parse(await page.locator("#data pre").innerText())).toEqual({ items: ["a", "b"], total: 2 });
    expect(await page.locator("#conversation .bs-message-assistant strong").innerText()).toBe("How");
    await shot(page, "showcase-display");

    // The session holds what the page shows.
    const id = (elemId: string) => idOf("showcase", (c) => c.props.elemId === elemId);
    const session = await sessionOf(page, "showcase");
    await eventually(() => session.snapshot()[id("genres")].value, ["Rock", "Folk"]);
    const snap = session.snapshot();
    expect([snap[id("name")].value, snap[id("count")].value, snap[id("level")].value, snap[id("subscribe")].value]).toEqual(["Ada Lovelace", 7, 7, false]);
    expect([snap[id("groceries")].value, snap[id("size")].value, snap[id("colour")].value]).toEqual([["Milk", "Water"], "Large", "Blue"]);
    expect(pageErrors(page)).toEqual([]);
  });

  it("gr.render: a slider sets how many textboxes exist; typed text stays by key; a button outside joins them (S110, S111)", async () => {
    const page = await newPage("render");
    const boxes = () => page.locator('.bs-render [data-type="textbox"] input');
    await eventually(() => boxes().count(), 2);
    await page.locator("#box-0 input").fill("Hello");
    await page.locator("#box-1 input").fill("there");
    await page.locator("#count input").fill("4"); // the range's value: an edit of the slider
    await eventually(() => boxes().count(), 4);
    expect(await page.locator(".bs-render .bs-label").allInnerTexts()).toEqual(["Box 1", "Box 2", "Box 3", "Box 4"]);
    expect(await boxes().evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(["Hello", "there", "", ""]);
    await page.locator("#box-3 input").fill("world");
    await page.locator("#join button").click();
    await eventually(() => page.locator("#joined input").inputValue(), "Hello there  world");
    expect(await page.locator("#joined input").isDisabled()).toBe(true); // written by a rendered listener only: a display
    await shot(page, "render-4");
    await page.locator("#count input").fill("1");
    await eventually(() => boxes().count(), 1);
    await page.locator("#join button").click();
    await eventually(() => page.locator("#joined input").inputValue(), "Hello");
    // Another page has its own boxes (S112).
    const other = await newPage("render");
    await eventually(() => other.locator('.bs-render [data-type="textbox"] input').count(), 2);
    expect(pageErrors(page)).toEqual([]);
  });

  it("gr.render: a keyed box keeps its element across a re-render (the same id, S111): the user's focus and cursor stay in it", async () => {
    const page = await newPage("render");
    const boxes = () => page.locator('.bs-render [data-type="textbox"] input');
    await eventually(() => boxes().count(), 2);
    const box = page.locator("#box-0 input");
    await box.click();
    await page.keyboard.type("Hel");
    await box.evaluate((input) => ((input as HTMLInputElement & { mark?: boolean }).mark = true));
    // The count changes while the user types in box 1 (as a Timer or another user's action could).
    await page.locator("#count input").evaluate((range) => {
      (range as HTMLInputElement).value = "3";
      range.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await eventually(() => boxes().count(), 3);
    expect(await box.evaluate((input) => [(input as HTMLInputElement & { mark?: boolean }).mark, document.activeElement === input])).toEqual([true, true]);
    await page.keyboard.type("lo");
    expect(await box.inputValue()).toBe("Hello");
    await page.locator("#join button").click();
    await eventually(() => page.locator("#joined input").inputValue(), "Hello  ");
    expect(pageErrors(page)).toEqual([]);
  });
});

// #endregion

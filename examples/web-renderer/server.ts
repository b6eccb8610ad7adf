/**
 * The reference server of the renderer protocol (docs/protocol.md §5), on `node:http` only.
 * It hosts one or more apps, each under its own path (`/cart/`, `/chat/`, ...), and the web
 * renderer (`client.ts` + `renderer.ts`, bundled with esbuild when the server starts):
 *
 * | request | answer |
 * |---|---|
 * | `GET /` | an index page linking the apps |
 * | `GET /<app>/` | the app's page (config embedded) |
 * | `GET /<app>/config` | `demo.config()` as JSON |
 * | `GET /<app>/events` | Server-Sent Events: opens a **new session** (one per page load, S12); first a `snapshot` event `{ session, protocolVersion, components, renders }`, then `update` (`updates$` items, less the echo of the page's own edits) and `message` (`messages$` items). Closing the stream closes the session (S13: unload listeners run). |
 * | `POST /<app>/dispatch` | `{ session, id, event, data?, seq? }` → `session.dispatch(...)` → the `EventResult` as JSON `{ status, error?, title? }` once the cascade settled |
 * | `/<app>/api/...` | Gradio's protocol for the same app (its sessions and Globals), by `blockstate/server`'s handler: `Client.connect("http://127.0.0.1:PORT/<app>/api")` (docs/07) |
 *
 * Bad requests are refused with a 4xx JSON body `{ status: "error", error, code }` and change
 * nothing: unknown session (404), malformed JSON or fields (400), unknown component id or event
 * name (400), a value the component rejects (422; the session also gets the error message),
 * bodies over 1 MB (413). It listens on 127.0.0.1 only and answers only requests addressed to a
 * loopback host name.
 *
 * ```ts
 * const server = await startWebServer({ apps: { cart: cartApp() }, port: 0 });
 * console.log(server.url); // http://127.0.0.1:PORT/
 * await server.close();
 * ```
 *
 * @packageDocumentation
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Subscription } from "rxjs";
import * as gr from "blockstate";
import { createHandler, type GradioHandler } from "blockstate/server";
import { getRequestListener } from "@hono/node-server";

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** The apps to host, by path segment: `{ cart: blocks }` serves it at `/cart/`. */
  apps: Record<string, gr.Blocks>;
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Options for each app's `launch()`. */
  launch?: gr.LaunchOptions;
  /** Largest accepted request body in bytes. Default 1 MB (1,048,576). */
  maxBodyBytes?: number;
  /** Seconds between SSE keep-alive comments. Default 15. */
  keepAliveSeconds?: number;
  /** Title of the index page. */
  title?: string;
}

/** A running server. */
export interface WebServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  /** The launched app behind a path segment (for tests and embedders). */
  app(name: string): gr.App | undefined;
  /** The open session of a page, by app name and session hash. */
  session(name: string, sessionHash: string): gr.Session | undefined;
  /** The open sessions (one per connected page) of an app, oldest first. */
  sessions(name: string): gr.Session[];
  /** Closes every page's stream (closing their sessions), the apps and the listener. */
  close(): Promise<void>;
}

/** The host the server binds to: loopback only. */
export const HOST = "127.0.0.1";
const DEFAULT_MAX_BODY = 1024 * 1024;
/** After this many bytes of an oversized body the connection is dropped instead of drained. */
const DRAIN_LIMIT = 16 * 1024 * 1024;
/** How long a dispatch waits for the ones numbered before it (`seq`) before going ahead. */
const SEQ_WAIT_MS = 2000;

/** One page: its session and its event stream. */
interface Page {
  session: gr.Session;
  res: ServerResponse;
  subscriptions: Subscription[];
  /** SSE chunks written in one go per turn of the event loop. */
  buffer: string[];
  /** Next expected `seq`, and dispatches waiting for their turn. */
  nextSeq: number;
  waiting: Map<number, () => void>;
  keepAlive: ReturnType<typeof setInterval>;
  /** While an edit is being dispatched: its component and value (JSON), to leave out its echo. */
  echo: { id: number; json: string } | undefined;
  /** Events each component of this session's `gr.render` regions accepts, by region. */
  rendered: Map<number, Map<number, Set<string>>>;
}

interface Hosted {
  name: string;
  app: gr.App;
  /** Gradio's protocol for this app (blockstate/server), under `/<app>/api`. */
  api: GradioHandler;
  apiListener: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  configJson: string;
  page: string;
  /** Events each component id accepts through dispatch. */
  events: Map<number, Set<string>>;
  pages: Map<string, Page>;
}

/** Keeps the events a region's rendered components accept, for dispatch's checks. */
function noteRender(page: Page, region: number, render: gr.RenderConfig): void {
  const events = new Map<number, Set<string>>();
  for (const c of render.components) {
    const accepted = acceptedEvents(c);
    if (accepted) events.set(c.id, accepted);
  }
  page.rendered.set(region, events);
}

function renderedEvents(page: Page, id: number): Set<string> | undefined {
  for (const components of page.rendered.values()) {
    const events = components.get(id);
    if (events) return events;
  }
  return undefined;
}

/** A refused request: HTTP status, machine-readable code, message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the server on 127.0.0.1. The renderer is bundled once, here, with esbuild.
 *
 * @throws when an app name is not a plain path segment, or the port is taken.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const keepAliveMs = (options.keepAliveSeconds ?? 15) * 1000;
  const assets = await buildAssets();
  const hosted = new Map<string, Hosted>();
  for (const [name, blocks] of Object.entries(options.apps)) {
    if (!/^[A-Za-z0-9][\w-]*$/.test(name)) throw new Error(`startWebServer: app name "${name}" must be a path segment (letters, digits, "_", "-").`);
    hosted.set(name, host(name, blocks, options.launch));
  }
  const index = indexPage(options.title ?? "blockstate apps", [...hosted.values()]);
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { status: "error", error: `Internal error: ${(e as Error).message}`, code: "internal" });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Loopback only, also against DNS rebinding: the Host must name this machine.
    const hostName = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (!["127.0.0.1", "localhost", "[::1]"].includes(hostName)) {
      return sendJson(res, 403, { status: "error", error: `Host "${req.headers.host}" is not served.`, code: "forbidden" });
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const parts = url.pathname.split("/");
    if (url.pathname === "/") return sendText(res, 200, "text/html; charset=utf-8", index, req);
    if (url.pathname === "/renderer.js") return sendText(res, 200, "text/javascript; charset=utf-8", assets.js, req);
    if (url.pathname === "/renderer.css") return sendText(res, 200, "text/css; charset=utf-8", assets.css, req);
    const app = hosted.get(parts[1]);
    if (app && parts[2] === "api" && parts.length > 3) {
      // Gradio's protocol, by blockstate/server's handler, with the `/<app>/api` prefix removed.
      req.url = (req.url ?? "/").slice(`/${app.name}/api`.length) || "/";
      return app.apiListener(req, res);
    }
    if (!app || parts.length > 3) return notFound(res, url.pathname);
    if (parts.length === 2) {
      res.writeHead(301, { location: `/${app.name}/` });
      return void res.end();
    }
    const route = parts[2];
    const method = req.method ?? "GET";
    const expect = route === "dispatch" ? "POST" : "GET";
    if (!["", "config", "events", "dispatch"].includes(route)) return notFound(res, url.pathname);
    if (method !== expect && !(method === "HEAD" && (route === "" || route === "config"))) {
      res.setHeader("allow", expect);
      return sendJson(res, 405, { status: "error", error: `${url.pathname} accepts ${expect} only.`, code: "method_not_allowed" });
    }
    if (route === "") return sendText(res, 200, "text/html; charset=utf-8", app.page, req);
    if (route === "config") return sendText(res, 200, "application/json; charset=utf-8", app.configJson, req);
    if (route === "events") return openEvents(app, req, res, url);
    return dispatch(app, req, res);
  }

  async function openEvents(app: Hosted, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let gone = false;
    res.once("close", () => (gone = true));
    const session = await app.app.connect({
      request: { headers: flatHeaders(req), query: Object.fromEntries(url.searchParams), client: { host: req.socket.remoteAddress, port: req.socket.remotePort } },
    });
    if (gone) return void (await closeQuietly(session));
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const page: Page = {
      session,
      res,
      subscriptions: [],
      buffer: [],
      nextSeq: 0,
      waiting: new Map(),
      keepAlive: setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs),
      echo: undefined,
      rendered: new Map(),
    };
    page.keepAlive.unref();
    app.pages.set(session.sessionHash, page);
    // Snapshot, then updates: both start in this same synchronous turn, so nothing falls between.
    const renders = session.renders();
    for (const [region, render] of Object.entries(renders)) noteRender(page, Number(region), render);
    emit(page, "snapshot", { session: session.sessionHash, protocolVersion: gr.PROTOCOL_VERSION, components: session.snapshot(), renders });
    page.subscriptions.push(
      session.updates$.subscribe({
        next: (u) => {
          if (u.render) noteRender(page, u.id, u.render);
          if (page.echo?.id === u.id && "value" in u) {
            // The page's own edit, stored as sent: the page shows it already (and maybe newer
            // typing, which a late echo would overwrite). A normalised value is sent.
            const same = JSON.stringify(u.value ?? null) === page.echo.json;
            page.echo = undefined;
            if (same) return;
          }
          emit(page, "update", "value" in u && u.value === undefined ? { id: u.id, value: null } : u);
        },
        // The app dropped the session (closed, evicted): end the stream, so the page reconnects.
        complete: () => setImmediate(() => res.end()),
      }),
    );
    page.subscriptions.push(session.messages$.subscribe((m) => emit(page, "message", m)));
    res.on("close", () => {
      clearInterval(page.keepAlive);
      for (const s of page.subscriptions) s.unsubscribe();
      for (const go of page.waiting.values()) go();
      app.pages.delete(session.sessionHash);
      void closeQuietly(session); // S13: runs the unload listeners
    });
  }

  async function dispatch(app: Hosted, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req, maxBody);
    } catch (e) {
      if (e instanceof Refusal) return refuse(res, e);
      throw e;
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(body) as Record<string, unknown>;
    } catch (e) {
      return refuse(res, new Refusal(400, "bad_json", `The body is not valid JSON: ${(e as Error).message}`));
    }
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      return refuse(res, new Refusal(400, "bad_request", "The body must be a JSON object { session, id, event, data? }."));
    }
    const { session: hash, id, event, data, seq } = message;
    if (typeof hash !== "string") return refuse(res, new Refusal(400, "bad_request", '"session" must be the session hash from the "snapshot" event.'));
    const page = app.pages.get(hash);
    if (!page) return refuse(res, new Refusal(404, "unknown_session", `No open session "${hash.slice(0, 64)}" in app "${app.name}" (closed, or never opened).`));
    if (seq !== undefined && !(Number.isInteger(seq) && (seq as number) >= 0)) {
      return refuse(res, new Refusal(400, "bad_request", '"seq" must be a non-negative integer.'));
    }
    await turn(page, seq as number | undefined);
    if (app.pages.get(hash) !== page) {
      release(page, seq as number | undefined);
      return refuse(res, new Refusal(404, "unknown_session", `The session "${hash.slice(0, 64)}" closed.`));
    }
    let started: Promise<gr.EventResult>;
    try {
      started = start(app, page, id, event, data);
    } catch (e) {
      if (e instanceof Refusal) return refuse(res, e);
      throw e;
    } finally {
      release(page, seq as number | undefined);
    }
    const result = await started;
    const error = result.error;
    const json: Record<string, unknown> = { status: result.status };
    if (error) {
      json.error = error.message;
      if (error instanceof gr.AppError && error.title) json.title = error.title;
    }
    if (result.status === "error" && isRejectedInput(error)) {
      json.code = "rejected_value";
      return sendJson(res, 422, json);
    }
    sendJson(res, 200, json);
  }

  /** Validates `id` and `event` against the config, then starts the dispatch (synchronously). */
  function start(app: Hosted, page: Page, id: unknown, event: unknown, data: unknown): Promise<gr.EventResult> {
    if (typeof id !== "number" || !Number.isInteger(id)) throw new Refusal(400, "bad_request", '"id" must be a component id (an integer).');
    if (typeof event !== "string") throw new Refusal(400, "bad_request", '"event" must be an event name (a string).');
    const events = app.events.get(id) ?? renderedEvents(page, id);
    if (!events) throw new Refusal(400, "unknown_component", `No component has id ${id} in app "${app.name}".`);
    if (!events.has(event)) {
      throw new Refusal(400, "unknown_event", `Component ${id} has no "${event.slice(0, 64)}" event; it accepts: ${[...events].join(", ") || "none"}.`);
    }
    // An edit is stored synchronously inside dispatch(), so its echo comes before it returns.
    if (event === "input" || event === "change") page.echo = { id, json: JSON.stringify(data ?? null) };
    try {
      return page.session.dispatch({ id, event, data: data as gr.EventData });
    } finally {
      page.echo = undefined;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off("error", reject);
      port = (server.address() as AddressInfo).port;
      resolve();
    });
  });

  return {
    url: `http://${HOST}:${port}/`,
    port,
    app: (name) => hosted.get(name)?.app,
    session: (name, hash) => hosted.get(name)?.pages.get(hash)?.session,
    sessions: (name) => [...(hosted.get(name)?.pages.values() ?? [])].map((p) => p.session),
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const app of hosted.values()) for (const page of app.pages.values()) page.res.end();
      server.closeAllConnections();
      await closing;
      for (const app of hosted.values()) {
        await app.api.close();
        await Promise.all([...app.pages.values()].map((p) => closeQuietly(p.session)));
        await app.app.close();
      }
    },
  };
}

// #region Helpers

/** The events dispatch accepts for a component; none for a layout container. */
function acceptedEvents(c: gr.ComponentConfig): Set<string> | undefined {
  if (c.events.length === 0) return undefined;
  const accepted = new Set(c.events);
  // dispatch's `input` (or `change`) is a user edit of any component with a value event.
  if (accepted.has("change") || accepted.has("input")) accepted.add("input").add("change");
  return accepted;
}

function host(name: string, blocks: gr.Blocks, launch: gr.LaunchOptions | undefined): Hosted {
  const config = blocks.config();
  const events = new Map<number, Set<string>>();
  for (const c of config.components) {
    const accepted = acceptedEvents(c);
    if (accepted) events.set(c.id, accepted);
  }
  const configJson = JSON.stringify(config);
  const app = blocks.launch(launch);
  // Loopback names only, as this server; the renderer's pages (same origin) may call it too.
  const api = createHandler(app, { allowedHosts: ["127.0.0.1", "localhost", "[::1]"] });
  const apiListener = getRequestListener(api);
  return { name, app, api, apiListener, configJson, page: appPage(config.title ?? name, configJson), events, pages: new Map() };
}

/**
 * Whether a failed dispatch failed because the component rejected the edited value (S34), as
 * opposed to a listener failing afterwards. The engine reports both as `status: "error"`; the
 * rejection is the `EventError` that `session.input` raises before anything runs.
 */
function isRejectedInput(error: Error | undefined): boolean {
  return error instanceof gr.EventError && error.code === "invalid_input";
}

/** Waits for this dispatch's turn: every dispatch numbered before it has started (or timed out). */
function turn(page: Page, seq: number | undefined): Promise<void> | void {
  if (seq === undefined || seq <= page.nextSeq) return;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(go, SEQ_WAIT_MS);
    function go() {
      clearTimeout(timer);
      page.waiting.delete(seq!);
      resolve();
    }
    page.waiting.set(seq, go);
  });
}

function release(page: Page, seq: number | undefined): void {
  if (seq === undefined) return;
  page.nextSeq = Math.max(page.nextSeq, seq + 1);
  page.waiting.get(page.nextSeq)?.();
}

/** Queues one SSE event; a burst (one cascade's updates) goes out in one write. */
function emit(page: Page, event: string, data: unknown): void {
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch (e) {
    json = JSON.stringify({ type: "error", message: `A value could not be sent to the page: ${(e as Error).message}` });
    event = "message";
  }
  if (page.buffer.push(`event: ${event}\ndata: ${json}\n\n`) === 1) {
    setImmediate(() => {
      const chunk = page.buffer.join("");
      page.buffer.length = 0;
      if (!page.res.writableEnded) page.res.write(chunk);
    });
  }
}

/** Reads a request body as UTF-8, refusing more than `limit` bytes with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      // Keep reading (and dropping) an oversized body so the client gets the 413 answer;
      // past DRAIN_LIMIT, just drop the connection.
      if (tooLarge) {
        chunks.length = 0;
        if (size > DRAIN_LIMIT) req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) reject(new Refusal(413, "too_large", `The body is larger than ${limit} bytes.`));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

async function closeQuietly(session: gr.Session): Promise<void> {
  try {
    await session.close();
  } catch {
    // A failing unload listener was already reported to the (closing) session.
  }
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  sendJson(res, refusal.status, { status: "error", error: refusal.message, code: refusal.code });
}

function notFound(res: ServerResponse, pathname: string): void {
  sendJson(res, 404, { status: "error", error: `Nothing at ${pathname.slice(0, 200)}.`, code: "not_found" });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

/** Content Security Policy of the pages: scripts from this server only (no inline handlers). */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; connect-src 'self'";

function sendText(res: ServerResponse, status: number, type: string, text: string, req: IncomingMessage): void {
  res.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function appPage(title: string, configJson: string): string {
  // `<` is escaped so no value can close the script element.
  const embedded = configJson.replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="../renderer.css">
</head>
<body>
<main id="app"></main>
<script type="application/json" id="bs-config">${embedded}</script>
<script src="../renderer.js"></script>
</body>
</html>
`;
}

function indexPage(title: string, apps: Hosted[]): string {
  const links = apps
    .map((a) => {
      const appTitle = (JSON.parse(a.configJson) as gr.AppConfig).title;
      return `<li><a href="/${a.name}/">/${a.name}/</a>${appTitle ? ` — ${escapeHtml(appTitle)}` : ""}</li>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/renderer.css"></head>
<body><div class="bs-index"><h1>${escapeHtml(title)}</h1><p>Each page load is a new session.</p><ul>
${links}
</ul></div></body>
</html>
`;
}

/** Bundles the browser renderer (esbuild is a dev dependency, used only here). */
async function buildAssets(): Promise<{ js: string; css: string }> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(__dirname, "client.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  return { js: result.outputFiles[0].text, css: readFileSync(path.join(__dirname, "renderer.css"), "utf8") };
}

// #endregion

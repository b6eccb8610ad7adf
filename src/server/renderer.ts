/**
 * The renderer protocol (docs/protocol.md §5) over a launched app: one session per page, its
 * snapshot, `updates$` and `messages$` on a Server-Sent Events stream, and user events by POST.
 * With a renderer's script, also the page that runs it. Served by the same handler as Gradio's
 * protocol, behind the same checks (Host, Origin, body size and depth, stream bound, error text).
 *
 * @packageDocumentation
 */
import type { Hono } from "hono";
import type { Subscription } from "rxjs";
import { AppError, EventError, describeValue, visibleError } from "../core/errors";
import { PROTOCOL_VERSION, type ComponentConfig, type RenderConfig } from "../blocks/config";
import type { EventData } from "../blocks/context";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { EventResult } from "../runtime/cascade";
import type { Guard } from "./guard";
import type { RendererAssets, Settings } from "./options";
import { Refusal, connectFor, readJson, requestInfo } from "./request";
import type { EventStream, EventStreams } from "./stream";

/** How long a dispatch waits for the ones numbered before it (`seq`) before going ahead, in ms. */
const SEQ_WAIT_MS = 2000;

/** Content Security Policy of the pages: scripts from this server only (no inline handlers). */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; connect-src 'self'";

/** One page: its session and its event stream. */
interface Page {
  readonly session: Session;
  stream: EventStream | undefined;
  readonly subscriptions: Subscription[];
  /** SSE frames written in one go per turn of the event loop. */
  readonly buffer: string[];
  /** Next expected `seq`, and dispatches waiting for their turn. */
  nextSeq: number;
  readonly waiting: Map<number, () => void>;
  /** While an edit is being dispatched: its component and value (JSON), to leave out its echo. */
  echo: { id: number; json: string } | undefined;
  /** Events each component of this session's `gr.render` regions accepts, by region. */
  readonly rendered: Map<number, Map<number, Set<string>>>;
}

/** @internal What the renderer routes share with the rest of the handler. */
export interface RendererContext {
  readonly app: App;
  readonly settings: Settings;
  readonly guard: Guard;
  readonly streams: EventStreams;
}

/**
 * @internal Adds the renderer protocol's routes to `hono` (`renderer/config`, `renderer/events`,
 * `renderer/dispatch`), and with `assets` the page (`/`) and its files. The result's `close()`
 * ends every page's stream and closes its session.
 */
export function mountRenderer(hono: Hono, { app, settings, guard, streams }: RendererContext, assets: RendererAssets | undefined): { close(): Promise<void> } {
  const { guarded } = guard;
  const config = app.blocks.config();
  const configJson = JSON.stringify(config);
  /** Events each component id accepts through dispatch. */
  const events = new Map<number, Set<string>>();
  for (const c of config.components) {
    const accepted = acceptedEvents(c);
    if (accepted) events.set(c.id, accepted);
  }
  const pages = new Map<string, Page>();

  if (assets) {
    const page = appPage(config.title ?? "blockstate", configJson);
    hono.get("/", guarded((c) => c.body(page, 200, pageHeaders("text/html; charset=utf-8")), false));
    hono.get("/renderer/script.js", guarded((c) => c.body(assets.script, 200, pageHeaders("text/javascript; charset=utf-8")), false));
    hono.get("/renderer/style.css", guarded((c) => c.body(assets.style ?? "", 200, pageHeaders("text/css; charset=utf-8")), false));
  }
  hono.get("/renderer/config", guarded((c) => c.body(configJson, 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }), false));

  hono.get(
    "/renderer/events",
    guarded(async (c) => {
      const request = c.req.raw;
      const session = await connectFor(app.connect({ request: requestInfo(request) }));
      if (request.signal.aborted) {
        await closeQuietly(session);
        throw new Refusal(499, "The client went away.");
      }
      const page: Page = { session, stream: undefined, subscriptions: [], buffer: [], nextSeq: 0, waiting: new Map(), echo: undefined, rendered: new Map() };
      // An open page is a session in use, whatever the idle timeout (which is for API clients,
      // who never say goodbye): each keep-alive reads it, and a read is a use (S14).
      const stream = streams.create(": keep-alive\n\n", () => gone(page), () => session.renders());
      page.stream = stream;
      pages.set(session.sessionHash, page);
      // Snapshot, then updates: both start in this same synchronous turn, so nothing falls between.
      const renders = session.renders();
      for (const [region, render] of Object.entries(renders)) noteRender(page, Number(region), render);
      emit(page, "snapshot", { session: session.sessionHash, protocolVersion: PROTOCOL_VERSION, components: session.snapshot(), renders });
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
          complete: () => setImmediate(() => stream.end()),
        }),
        session.messages$.subscribe((m) => emit(page, "message", m)),
      );
      return stream.response;
    }, true),
  );

  hono.post(
    "/renderer/dispatch",
    guarded(async (c) => {
      const message = await readJson(c.req.raw, settings);
      const { session: hash, id, event, data, seq } = message;
      if (typeof hash !== "string") throw new Refusal(400, '"session" must be the session hash from the "snapshot" event.');
      const page = pages.get(hash);
      if (!page) throw new Refusal(404, `No open session ${describeValue(hash.slice(0, 64))} (closed, or never opened).`, "unknown_session");
      if (seq !== undefined && !(typeof seq === "number" && Number.isInteger(seq) && seq >= 0)) throw new Refusal(400, '"seq" must be a non-negative integer.');
      await turn(page, seq);
      let started: Promise<EventResult>;
      try {
        if (pages.get(hash) !== page) throw new Refusal(404, `The session ${describeValue(hash.slice(0, 64))} closed.`, "unknown_session");
        started = start(page, id, event, data);
      } finally {
        release(page, seq);
      }
      const result = await started;
      const body: Record<string, unknown> = { status: result.status };
      if (result.error) {
        // What users may see of it (S36): never an exception's text unless showError.
        const shown = visibleError(result.error, app.showError);
        body.error = shown.message;
        if (result.error instanceof AppError && shown.title !== "Error") body.title = shown.title;
      }
      if (result.status === "error" && result.error instanceof EventError && result.error.code === "invalid_input") {
        // The component rejected the edited value (S34), as opposed to a listener failing afterwards.
        body.code = "rejected_value";
        return c.json(body, 422);
      }
      return c.json(body);
    }, true),
  );

  // The protocol's paths answer other methods with 405, naming the one they accept.
  for (const [path, method] of [
    ["/renderer/config", "GET"],
    ["/renderer/events", "GET"],
    ["/renderer/dispatch", "POST"],
  ] as const) {
    hono.all(
      path,
      guarded((c) => {
        c.header("allow", method);
        throw new Refusal(405, `${new URL(c.req.url).pathname} accepts ${method} only.`);
      }, false),
    );
  }

  /** Validates `id` and `event` against the config, then starts the dispatch (synchronously). */
  function start(page: Page, id: unknown, event: unknown, data: unknown): Promise<EventResult> {
    if (typeof id !== "number" || !Number.isInteger(id)) throw new Refusal(400, '"id" must be a component id (an integer).');
    if (typeof event !== "string") throw new Refusal(400, '"event" must be an event name (a string).');
    const accepted = events.get(id) ?? renderedEvents(page, id);
    if (!accepted) throw new Refusal(400, `No component has id ${id} in this app.`, "unknown_component");
    if (!accepted.has(event)) {
      throw new Refusal(400, `Component ${id} has no ${describeValue(event.slice(0, 64))} event; it accepts: ${[...accepted].join(", ") || "none"}.`, "unknown_event");
    }
    // An edit is stored synchronously inside dispatch(), so its echo comes before it returns.
    if (event === "input" || event === "change") page.echo = { id, json: JSON.stringify(data ?? null) };
    try {
      return page.session.dispatch({ id, event, data: data as EventData });
    } finally {
      page.echo = undefined;
    }
  }

  /** The page's stream ended (closed by the page, over its byte bound, or by the server). */
  function gone(page: Page): void {
    for (const s of page.subscriptions) s.unsubscribe();
    for (const go of page.waiting.values()) go();
    if (pages.get(page.session.sessionHash) === page) pages.delete(page.session.sessionHash);
    void closeQuietly(page.session); // S13: runs the unload listeners
  }

  return {
    async close() {
      const open = [...pages.values()];
      for (const page of open) {
        flush(page);
        page.stream?.end();
      }
      await Promise.all(open.map((p) => closeQuietly(p.session)));
    },
  };
}

// #region Helpers

/** The events dispatch accepts for a component; none for a layout container. */
function acceptedEvents(c: ComponentConfig): Set<string> | undefined {
  if (c.events.length === 0) return undefined;
  const accepted = new Set(c.events);
  // dispatch's `input` (or `change`) is a user edit of any component with a value event.
  if (accepted.has("change") || accepted.has("input")) accepted.add("input").add("change");
  return accepted;
}

/** Keeps the events a region's rendered components accept, for dispatch's checks. */
function noteRender(page: Page, region: number, render: RenderConfig): void {
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

/** Waits for this dispatch's turn: every dispatch numbered before it has started (or timed out). */
function turn(page: Page, seq: number | undefined): Promise<void> | void {
  if (seq === undefined || seq <= page.nextSeq) return;
  // A repeated dispatch (a retried POST) whose first is still waiting: the first keeps its turn.
  if (page.waiting.has(seq)) throw new Refusal(409, `"seq" ${seq} is already waiting for its turn on this page (a repeated dispatch).`, "duplicate_seq");
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
  } catch {
    json = JSON.stringify({ type: "error", message: "A value could not be sent to the page.", title: "Error" });
    event = "message";
  }
  if (page.buffer.push(`event: ${event}\ndata: ${json}\n\n`) === 1) setImmediate(() => flush(page));
}

function flush(page: Page): void {
  if (page.buffer.length === 0) return;
  const chunk = page.buffer.join("");
  page.buffer.length = 0;
  page.stream?.write(chunk);
}

async function closeQuietly(session: Session): Promise<void> {
  try {
    await session.close();
  } catch {
    // A failing unload listener was already reported to the (closing) session.
  }
}

function pageHeaders(type: string): Record<string, string> {
  return { "content-type": type, "cache-control": "no-cache", "content-security-policy": CSP, "x-content-type-options": "nosniff" };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An app's page: its config embedded, the renderer's script and style sheet (relative URLs, so it can be mounted anywhere). */
function appPage(title: string, configJson: string): string {
  // `<` is escaped so no value can close the script element.
  const embedded = configJson.replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="renderer/style.css">
</head>
<body>
<main id="app"></main>
<script type="application/json" id="bs-config">${embedded}</script>
<script src="renderer/script.js"></script>
</body>
</html>
`;
}

/** @internal The page listing the apps `serve` hosts, by mount name, with their titles. */
export function indexPage(title: string, apps: readonly { name: string; title: string | null | undefined }[], style: boolean): Response {
  const links = apps.map((a) => `<li><a href="/${a.name}/">/${a.name}/</a>${a.title ? ` — ${escapeHtml(a.title)}` : ""}</li>`).join("\n");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${style && apps.length ? `<link rel="stylesheet" href="/${apps[0].name}/renderer/style.css">` : ""}</head>
<body><div class="bs-index"><h1>${escapeHtml(title)}</h1><p>Each page load is a new session.</p><ul>
${links}
</ul></div></body>
</html>
`;
  return new Response(html, { headers: pageHeaders("text/html; charset=utf-8") });
}

// #endregion

/**
 * The request handling of `blockstate/server`: Gradio's HTTP protocol (`sse_v3`, as Gradio 5/6
 * serve it and `@gradio/client` 2.x speaks it) over a launched app, as a Hono app and a
 * web-standard `(request) => Promise<Response>` handler (docs/07).
 *
 * @packageDocumentation
 */
import { Hono, type Context } from "hono";
import { LRUCache } from "lru-cache";
import type { Subscription } from "rxjs";
import { EventError, checkOptions, describeValue, isRecord, messageOf, visibleError } from "../core/errors";
import { Blocks } from "../blocks/blocks";
import type { Dependency } from "../blocks/dependency";
import type { RequestInfo } from "../blocks/listeners";
import { App, LAUNCH_OPTIONS, type LaunchOptions } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { RunEnd, RunHandle } from "../runtime/handle";
import type { AlertMessage, Message, ProgressMessage } from "../runtime/messages";
import { diff } from "./diff";
import { checkInputs } from "./engine";
import { apiInfo, gradioConfig, isServerState } from "../blocks/gradio-api";

/** Options of {@link createHandler} (and of `serve`). */
export interface HandlerOptions {
  /** Prefix of every route but `/config`. Default `"/gradio_api"`, as in Gradio; `""` for none. */
  apiPrefix?: string;
  /**
   * Origins (`"https://example.com"`) whose pages may open sessions and send events, besides
   * the server's own; `"*"` allows any. Default none: a cross-site page is refused with 403
   * (checked with `Origin` and `Sec-Fetch-Site`). Clients outside browsers send neither header.
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names (without port) requests may be addressed to, against DNS rebinding; `null`: any.
   * Default `null`; `serve` on a loopback address allows only loopback names.
   */
  allowedHosts?: readonly string[] | null;
  /** Largest request body, in bytes; larger ones get 413. Default 1 MiB (1,048,576). */
  maxBodyBytes?: number;
  /**
   * Most bytes an event stream may hold unread, per stream. A client that stops reading past it
   * has its stream ended (it reconnects or its pending events are lost). Default 1 MiB.
   */
  maxStreamBytes?: number;
  /** Deepest nesting of arrays and objects a request body may have. Default 64. */
  maxDepth?: number;
  /** Seconds between heartbeats on open event streams. Default 15, as in Gradio. */
  heartbeatSeconds?: number;
  /** Absolute URL sent as `/config`'s `root` (a server behind a proxy); default: none, clients use the URL they connected to. */
  root?: string;
}

/** A web-standard request handler with the app it serves. */
export interface GradioHandler {
  (request: Request): Promise<Response>;
  /** The launched app (sessions, Globals). */
  readonly app: App;
  /** The Hono app: mount it with `parent.route("/", handler.hono)`. */
  readonly hono: Hono;
  /** Ends every open event stream; closes the app too when the handler launched it. */
  close(): Promise<void>;
}

/** @internal The names {@link createHandler} accepts besides `launch()`'s. */
export const HANDLER_OPTIONS: readonly (keyof HandlerOptions)[] = [
  "apiPrefix",
  "allowedOrigins",
  "allowedHosts",
  "maxBodyBytes",
  "maxStreamBytes",
  "maxDepth",
  "heartbeatSeconds",
  "root",
];
/** `sessionIdleTimeout` of apps the server launches, unless given: one hour. */
const DEFAULT_IDLE_SECONDS = 3600;

const MIB = 1024 * 1024;
/** Unfetched results of the two-step `call` API kept at once; the oldest is dropped past it. */
const MAX_CALLS = 10_000;
const encoder = new TextEncoder();

/** A refused request: status and message (sent as `{ detail, error }`, read by Gradio's clients). */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A Server-Sent Events response that holds at most `limit` unread bytes: past that the client
 * is not reading, and the stream is ended with an error instead of growing (its queue freed).
 */
class EventStream {
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;
  private readonly beat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly limit: number,
    heartbeatMs: number,
    heartbeat: string,
    private readonly onEnd: () => void,
  ) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        cancel: () => this.finish(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: limit }),
    );
    this.response = new Response(body, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
    if (heartbeatMs > 0) {
      this.beat = setInterval(() => this.write(heartbeat), heartbeatMs);
      (this.beat as { unref?: () => void }).unref?.();
    }
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Queues one frame; `false` when the stream is over (ended now if the frame would pass the limit). */
  write(text: string): boolean {
    if (this.ended) return false;
    const bytes = encoder.encode(text);
    if ((this.controller.desiredSize ?? 0) < bytes.byteLength && bytes.byteLength > 0) {
      this.finish();
      this.controller.error(new Error(`The event stream held more than ${this.limit} unread bytes and was ended.`));
      return false;
    }
    this.controller.enqueue(bytes);
    return true;
  }

  /** Ends the stream after what is queued. */
  end(): void {
    if (this.ended) return;
    this.finish();
    try {
      this.controller.close();
    } catch {
      // Already cancelled by the client.
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.beat !== undefined) clearInterval(this.beat);
    this.onEnd();
  }
}

/** One session as the server follows it: its queue events and its one `queue/data` stream. */
interface Channel {
  readonly hash: string;
  session: Session;
  /** Queue events not completed yet, in join order. */
  readonly events: Map<string, QueueEvent>;
  /** Frames waiting for the stream (a fast run finishes before the client opens it). */
  outbox: string[];
  outboxBytes: number;
  stream: EventStream | undefined;
  subscription: Subscription | undefined;
  /** Queue events by the id of their run, for routing messages. */
  readonly byRun: Map<number, QueueEvent>;
  /** The event whose run `session.run` is starting right now. */
  starting: QueueEvent | undefined;
}

/** An event of the queue protocol (`queue/join`) or of the two-step `call` API. */
interface QueueEvent {
  readonly id: string;
  readonly dep: Dependency;
  readonly channel: Channel | undefined;
  readonly send: (frame: string) => void;
  readonly call: boolean;
  handle: RunHandle | undefined;
  runId: number | undefined;
  /** The last yield as sent (JSON values), for diffs. */
  last: unknown[] | undefined;
  started: number;
  cancelledByClient: boolean;
  /** Its final frame was sent. */
  finished: boolean;
}

/**
 * Creates the request handler for an app: Gradio's routes (`/config`, `{apiPrefix}/info`,
 * `queue/join`, `queue/data`, `run/{name}`, `call/{name}`, `cancel`, `heartbeat`, ...).
 * Given a Blocks, it launches it with the launch options among `options` (`sessionIdleTimeout`
 * defaulting to 3600 seconds: API clients never close their sessions); given an App, it serves
 * that app (launch options are then refused).
 *
 * ```ts
 * const handler = createHandler(demo);
 * const response = await handler(new Request("http://localhost/config"));
 * ```
 *
 * @throws TypeError for an unknown option or an invalid value (naming it).
 */
export function createHandler(demo: Blocks | App, options: HandlerOptions & LaunchOptions = {}): GradioHandler {
  const own = demo instanceof Blocks;
  if (!own && !(demo instanceof App)) throw new TypeError(`createHandler(): expected a Blocks or a launched App; got ${describeValue(demo)}.`);
  options = checkOptions("createHandler()", options, own ? [...HANDLER_OPTIONS, ...LAUNCH_OPTIONS] : HANDLER_OPTIONS);
  const launch: LaunchOptions = {};
  const rest: HandlerOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if ((LAUNCH_OPTIONS as readonly string[]).includes(key)) (launch as Record<string, unknown>)[key] = value;
    else (rest as Record<string, unknown>)[key] = value;
  }
  const settings = resolve(rest);
  // API clients never close their sessions: without a word from the app, unused ones close after an hour.
  if (own && !("sessionIdleTimeout" in launch)) launch.sessionIdleTimeout = DEFAULT_IDLE_SECONDS;
  const app = own ? demo.launch(launch) : demo;
  return build(app, settings, own);
}

interface Settings {
  prefix: string;
  origins: readonly string[];
  hosts: readonly string[] | null;
  maxBody: number;
  maxStream: number;
  maxDepth: number;
  heartbeatMs: number;
  root: string | undefined;
}

function positiveInteger(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`createHandler(): ${what} must be a positive integer; got ${describeValue(value)}.`);
  }
  return value;
}

function stringList(what: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TypeError(`createHandler(): ${what} must be an array of strings; got ${describeValue(value)}.`);
  }
  return value as string[];
}

function resolve(options: HandlerOptions): Settings {
  const prefix = options.apiPrefix ?? "/gradio_api";
  if (typeof prefix !== "string" || (prefix !== "" && !/^(\/[\w.-]+)+$/.test(prefix))) {
    throw new TypeError(`createHandler(): apiPrefix must be "" or a path such as "/gradio_api"; got ${describeValue(prefix)}.`);
  }
  const beat = options.heartbeatSeconds ?? 15;
  if (typeof beat !== "number" || !Number.isFinite(beat) || beat < 0) {
    throw new TypeError(`createHandler(): heartbeatSeconds must be a non-negative number of seconds (0: none); got ${describeValue(beat)}.`);
  }
  if (options.root !== undefined && (typeof options.root !== "string" || !/^https?:\/\//.test(options.root))) {
    throw new TypeError(`createHandler(): root must be an absolute http(s) URL; got ${describeValue(options.root)}.`);
  }
  return {
    prefix,
    origins: options.allowedOrigins === undefined ? [] : stringList("allowedOrigins", options.allowedOrigins).map((o) => (o === "*" ? o : o.replace(/\/+$/, ""))),
    hosts: options.allowedHosts == null ? null : stringList("allowedHosts", options.allowedHosts).map((h) => h.toLowerCase()),
    maxBody: positiveInteger("maxBodyBytes", options.maxBodyBytes, MIB),
    maxStream: positiveInteger("maxStreamBytes", options.maxStreamBytes, MIB),
    maxDepth: positiveInteger("maxDepth", options.maxDepth, 64),
    heartbeatMs: beat * 1000,
    root: options.root,
  };
}

function build(app: App, settings: Settings, ownsApp: boolean): GradioHandler {
  const { prefix } = settings;
  const blocks = app.blocks;
  const configJson = JSON.stringify(gradioConfig(blocks, { apiPrefix: prefix, showError: app.showError, root: settings.root }));
  const infoJson = JSON.stringify(apiInfo(blocks));
  const channels = new Map<string, Channel>();
  const connecting = new Map<string, Promise<Channel>>();
  const queueEvents = new Map<string, QueueEvent>();
  const calls = new LRUCache<string, { stream: EventStream; event: QueueEvent }>({ max: MAX_CALLS });
  const streams = new Set<EventStream>();
  /** Events whose run has not ended. */
  const running = new Set<QueueEvent>();
  let closed = false;

  const hono = new Hono();

  // #region Guards

  function refuse(c: Context, refusal: Refusal): Response {
    return c.json({ detail: refusal.message, error: refusal.message }, refusal.status as 400);
  }

  /** Answers a refused request for any `Refusal` thrown by `route`. */
  function guarded(route: (c: Context) => Promise<Response> | Response, writes: boolean) {
    return async (c: Context): Promise<Response> => {
      try {
        if (closed) throw new Refusal(503, "The server is shutting down.");
        if (writes) checkOrigin(c.req.raw);
        const response = await route(c);
        return withCors(c.req.raw, response);
      } catch (e) {
        if (e instanceof Refusal) return withCors(c.req.raw, refuse(c, e));
        throw e;
      }
    };
  }

  function ownOrigin(request: Request): string {
    return new URL(request.url).origin;
  }

  function allowedOrigin(origin: string, request: Request): boolean {
    return origin === ownOrigin(request) || settings.origins.includes("*") || settings.origins.includes(origin);
  }

  /** Cross-site pages may not open sessions or send events (CSRF). */
  function checkOrigin(request: Request): void {
    const origin = request.headers.get("origin");
    if (origin !== null) {
      if (allowedOrigin(origin, request)) return;
      throw new Refusal(403, `Requests from the page at ${describeValue(origin)} are not allowed; allow its origin with the server's allowedOrigins option.`);
    }
    const site = request.headers.get("sec-fetch-site");
    if ((site === "cross-site" || site === "same-site") && !settings.origins.includes("*")) {
      throw new Refusal(403, `Cross-site requests (Sec-Fetch-Site: ${site}) are not allowed; allow the page's origin with the allowedOrigins option.`);
    }
  }

  function withCors(request: Request, response: Response): Response {
    const origin = request.headers.get("origin");
    if (origin === null || origin === ownOrigin(request) || !allowedOrigin(origin, request)) return response;
    response.headers.set("access-control-allow-origin", origin);
    response.headers.append("vary", "origin");
    return response;
  }

  hono.use("*", async (c, next) => {
    if (settings.hosts) {
      const host = (c.req.header("host") ?? new URL(c.req.url).host).toLowerCase().replace(/:\d+$/, "");
      if (!settings.hosts.includes(host)) return c.json({ detail: `Host ${describeValue(host)} is not served.`, error: `Host ${describeValue(host)} is not served.` }, 403);
    }
    if (c.req.method === "OPTIONS") {
      const origin = c.req.header("origin");
      if (!origin || !allowedOrigin(origin, c.req.raw)) return c.body(null, 403);
      return c.body(null, 204, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": c.req.header("access-control-request-headers") ?? "content-type",
        "access-control-max-age": "600",
        vary: "origin",
      });
    }
    await next();
  });

  /** The JSON object body, within the size and depth limits. */
  async function readBody(request: Request): Promise<Record<string, unknown>> {
    const length = request.headers.get("content-length");
    const declared = length === null ? NaN : Number(length);
    if (declared > settings.maxBody) throw new Refusal(413, `The body is larger than ${settings.maxBody} bytes.`);
    // A declared length within the limit is what the body holds (HTTP framing): read it at
    // once. Otherwise (chunked) count the bytes as they come.
    const text = Number.isInteger(declared) ? await request.text() : await readLimited(request, settings.maxBody);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new Refusal(400, `The body is not valid JSON: ${messageOf(e)}`);
    }
    if (!isRecord(body)) throw new Refusal(400, `The body must be a JSON object; got ${describeValue(body)}.`);
    checkDepth(body, settings.maxDepth);
    return body;
  }

  // #endregion
  // #region Sessions

  function requestInfo(request: Request): RequestInfo {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    return { headers, query: Object.fromEntries(url.searchParams) };
  }

  function checkHash(value: unknown): string {
    if (typeof value !== "string" || !/^[\w.~-]{1,128}$/.test(value)) {
      throw new Refusal(400, `session_hash must be 1 to 128 letters, digits, "_", "-", "." or "~"; got ${describeValue(value)}.`);
    }
    return value;
  }

  /** The session of a hash: a new hash connects a new session, a known one resumes it (S13). */
  async function channelFor(hash: string, request: Request): Promise<Channel> {
    const known = channels.get(hash);
    if (known && !known.session.closed) return known;
    let pending = connecting.get(hash);
    if (!pending) {
      pending = app
        .connect({ sessionHash: hash, request: requestInfo(request) })
        .then((session) => attach(hash, session))
        .finally(() => connecting.delete(hash));
      connecting.set(hash, pending);
    }
    return pending;
  }

  function attach(hash: string, session: Session): Channel {
    const existing = channels.get(hash);
    if (existing && existing.session === session) return existing;
    const channel: Channel = {
      hash,
      session,
      events: new Map(),
      outbox: [],
      outboxBytes: 0,
      stream: undefined,
      subscription: undefined,
      byRun: new Map(),
      starting: undefined,
    };
    channels.set(hash, channel);
    let replaying = true; // messages$ first replays recent alerts: they belong to no event here
    channel.subscription = session.messages$.subscribe({
      next: (m) => {
        if (!replaying) route(channel, m);
      },
      // The app dropped the session (retention over, evicted, app closed).
      complete: () => detach(channel),
    });
    replaying = false;
    return channel;
  }

  function detach(channel: Channel): void {
    if (channels.get(channel.hash) === channel) channels.delete(channel.hash);
    channel.subscription?.unsubscribe();
    channel.stream?.end();
    for (const event of channel.events.values()) queueEvents.delete(event.id);
    channel.events.clear();
  }

  /** Sends a queue frame to the session's stream, or keeps it until the stream opens. */
  function post(channel: Channel, frame: string): void {
    if (channel.stream?.open) {
      channel.stream.write(frame);
      return;
    }
    // Nobody reads yet: keep frames up to the stream limit, then drop (the client is gone).
    if (channel.outboxBytes + frame.length > settings.maxStream) return;
    channel.outbox.push(frame);
    channel.outboxBytes += frame.length;
  }

  /** Ends the session's stream once no event of it is pending (Gradio's `close_stream`). */
  function maybeCloseStream(channel: Channel): void {
    if (channel.events.size > 0 || !channel.stream?.open) return;
    channel.stream.write(`data: ${JSON.stringify({ msg: "close_stream", event_id: null })}\n\n`);
    channel.stream.end();
    channel.stream = undefined;
  }

  /**
   * Routes a session message to the event whose run sent it (messages carry their run id). A
   * run starting synchronously inside `session.run` reports before its handle exists: those
   * messages go to the event being started.
   */
  function route(channel: Channel, m: Message): void {
    if (m.run === undefined) return;
    let event = channel.byRun.get(m.run);
    if (!event) {
      const starting = channel.starting;
      if (!starting || starting.runId !== undefined || starting.dep.id !== m.dependency) return;
      starting.runId = m.run;
      channel.byRun.set(m.run, starting);
      event = starting;
    }
    if (m.type === "status") {
      if (m.stage === "pending") post(channel, frameOf({ msg: "estimation", event_id: event.id, rank: m.position ?? 0, queue_size: app.queueSize, rank_eta: null }));
      else if (m.stage === "running") post(channel, frameOf({ msg: "process_starts", event_id: event.id, eta: null }));
    } else if (m.type === "progress") post(channel, frameOf(progressMessage(event.id, m)));
    else if (m.type !== "error") post(channel, frameOf(logMessage(event.id, m)));
  }

  // #endregion
  // #region Runs

  function dependencyOf(body: Record<string, unknown>, name: string | undefined): Dependency {
    const index = body.fn_index;
    if (index !== undefined && index !== null) {
      if (typeof index !== "number" || !Number.isInteger(index) || !blocks._dependencies[index]) {
        throw new Refusal(404, `No listener has fn_index ${describeValue(index)}; the indexes are 0 to ${blocks._dependencies.length - 1}.`);
      }
      return blocks._dependencies[index];
    }
    if (name === undefined) throw new Refusal(400, "The body must name the listener with fn_index.");
    const dep = blocks._byApiName.get(name.replace(/^\//, ""));
    if (!dep) {
      const known = [...blocks._byApiName.keys()].map((n) => `/${n}`);
      throw new Refusal(404, `No endpoint is named ${describeValue(`/${name.replace(/^\//, "")}`)}; the endpoints are ${known.join(", ") || "none"}.`);
    }
    return dep;
  }

  /**
   * The input values of a request. For a session that is not open yet they are checked here,
   * against the template, so that bad input creates no session; `session.run` checks them
   * again against the session's props.
   */
  function dataOf(dep: Dependency, body: Record<string, unknown>, hash: string | undefined): unknown[] {
    const data = body.data ?? [];
    if (!Array.isArray(data)) throw new Refusal(400, `"data" must be an array of input values; got ${describeValue(data)}.`);
    const existing = hash === undefined ? undefined : app.session(hash);
    if (!existing || existing.closed) {
      try {
        checkInputs(dep, data);
      } catch (e) {
        if (e instanceof EventError) throw new Refusal(422, e.message);
        throw e;
      }
    }
    return data;
  }

  function newEvent(dep: Dependency, channel: Channel | undefined, send: (frame: string) => void): QueueEvent {
    return { id: newId(), dep, channel, send, call: channel === undefined, handle: undefined, runId: undefined, last: undefined, started: performance.now(), cancelledByClient: false, finished: false };
  }

  function checkQueue(): void {
    if (app.queueFull) throw new Refusal(503, `The queue is full (maxQueueSize ${app.maxQueueSize}); try again later.`);
  }

  /** Output values as sent: JSON, with `null` for State outputs (hidden, as in Gradio). */
  function wire(dep: Dependency, outputs: readonly unknown[]): unknown[] {
    const values = dep.outputs.map((cell, i) => (isServerState(cell) ? null : outputs[i] ?? null));
    return JSON.parse(JSON.stringify(values)) as unknown[];
  }

  /**
   * Starts the event's run (`session.run`); its outputs stream to the event when the listener
   * is a generator.
   *
   * @throws Refusal 422 when the session refuses the inputs (nothing ran).
   */
  function begin(event: QueueEvent, session: Session, data: readonly unknown[], channel: Channel | undefined): void {
    const generator = event.dep.generator;
    if (channel) channel.starting = event;
    try {
      event.handle = session.run(event.dep, data, { onOutputs: (outputs) => generator && yielded(event, outputs) });
    } catch (e) {
      if (e instanceof EventError) throw new Refusal(422, e.message);
      throw e;
    } finally {
      if (channel) channel.starting = undefined;
    }
    event.runId = event.handle.id;
    channel?.byRun.set(event.handle.id, event);
    running.add(event);
    void event.handle.done.then((end) => completed(event, end));
  }

  function yielded(event: QueueEvent, outputs: readonly unknown[]): void {
    let data: unknown[];
    try {
      data = wire(event.dep, outputs);
    } catch {
      return; // reported at completion, where the same values fail again
    }
    if (event.call) {
      event.send(`event: generating\ndata: ${JSON.stringify(visibleOutputs(event.dep, data))}\n\n`);
      return;
    }
    const sent = event.last ? data.map((value, i) => diff(event.last![i], value)) : data;
    event.last = data;
    event.send(
      `data: ${JSON.stringify({
        msg: "process_generating",
        event_id: event.id,
        success: true,
        time_limit: event.dep.options.timeLimit,
        output: { data: sent, is_generating: true, duration: seconds(event.started), average_duration: null, render_config: null, changed_state_ids: [] },
      })}\n\n`,
    );
  }

  /** The final frame of an event: its outputs, or what the client may see of its error. */
  function completed(event: QueueEvent, end: RunEnd): void {
    if (event.finished) return;
    event.finished = true;
    const { dep } = event;
    let data: unknown[] | undefined;
    let error: Error | undefined = end.error;
    if (end.status === "complete") {
      try {
        data = wire(dep, end.outputs);
      } catch (e) {
        error = new Error(`${dep.describe()} returned a value that cannot be sent as JSON: ${messageOf(e)}`);
      }
    } else if (end.status === "cancelled" && event.cancelledByClient) {
      data = dep.outputs.map(() => null);
    } else {
      error ??= new EventError(`${dep.describe()} was cancelled.`, "cancelled");
    }
    const shown = data === undefined ? visibleError(error!, app.showError) : undefined;
    if (event.call) {
      event.send(shown ? `event: error\ndata: ${JSON.stringify(shown.message)}\n\n` : `event: complete\ndata: ${JSON.stringify(visibleOutputs(dep, data!))}\n\n`);
    } else if (shown) {
      event.send(
        `data: ${JSON.stringify({
          msg: "process_completed",
          event_id: event.id,
          success: false,
          title: shown.title,
          output: { error: shown.message, visible: true, title: shown.title, duration: shown.duration },
        })}\n\n`,
      );
    } else {
      event.send(
        `data: ${JSON.stringify({
          msg: "process_completed",
          event_id: event.id,
          success: true,
          title: null,
          used_cache: null,
          cache_duration: null,
          avg_time: null,
          output: { data, is_generating: false, duration: seconds(event.started), average_duration: null, render_config: null, changed_state_ids: [] },
        })}\n\n`,
      );
    }
    running.delete(event);
    queueEvents.delete(event.id);
    if (event.channel) {
      if (event.runId !== undefined) event.channel.byRun.delete(event.runId);
      event.channel.events.delete(event.id);
      maybeCloseStream(event.channel);
    }
  }

  // #endregion
  // #region Routes

  // Public (any page may read them), with CORS headers for allowed origins' clients.
  const sendConfig = guarded((c) => c.body(configJson, 200, { "content-type": "application/json; charset=utf-8" }), false);
  hono.get("/config", sendConfig);
  hono.get(`${prefix}/config`, sendConfig);
  hono.get(`${prefix}/info`, guarded((c) => c.body(infoJson, 200, { "content-type": "application/json; charset=utf-8" }), false));
  hono.get(`${prefix}/app_id`, guarded((c) => c.json({ app_id: 0 }), false));

  hono.post(
    `${prefix}/queue/join`,
    guarded(async (c) => {
      const body = await readBody(c.req.raw);
      const dep = dependencyOf(body, undefined);
      const hash = checkHash(body.session_hash);
      const data = dataOf(dep, body, hash);
      checkQueue();
      const channel = await channelFor(hash, c.req.raw);
      const event = newEvent(dep, channel, (frame) => post(channel, frame));
      channel.events.set(event.id, event);
      queueEvents.set(event.id, event);
      try {
        begin(event, channel.session, data, channel);
      } catch (e) {
        channel.events.delete(event.id);
        queueEvents.delete(event.id);
        throw e;
      }
      return c.json({ event_id: event.id });
    }, true),
  );

  hono.get(
    `${prefix}/queue/data`,
    guarded((c) => {
      const hash = c.req.query("session_hash");
      const channel = hash === undefined ? undefined : channels.get(hash);
      if (!channel) throw new Refusal(404, `No session ${describeValue(hash ?? null)} has joined the queue (join first with POST ${prefix}/queue/join).`);
      channel.stream?.end(); // one reader per session, as in Gradio: the newest wins
      const stream = openStream(`data: ${JSON.stringify({ msg: "heartbeat", event_id: null })}\n\n`, () => {
        if (channel.stream === stream) channel.stream = undefined;
      });
      channel.stream = stream;
      const frames = channel.outbox;
      channel.outbox = [];
      channel.outboxBytes = 0;
      for (const frame of frames) stream.write(frame);
      maybeCloseStream(channel);
      return stream.response;
    }, true),
  );

  hono.post(
    `${prefix}/run/:name`,
    guarded(async (c) => {
      const body = await readBody(c.req.raw);
      const dep = dependencyOf(body, c.req.param("name"));
      const hash = body.session_hash === undefined || body.session_hash === null ? undefined : checkHash(body.session_hash);
      const input = dataOf(dep, body, hash);
      checkQueue();
      const session = hash === undefined ? await app.connect({ request: requestInfo(c.req.raw) }) : (await channelFor(hash, c.req.raw)).session;
      const started = performance.now();
      let handle: RunHandle;
      try {
        handle = session.run(dep, input);
      } catch (e) {
        if (e instanceof EventError) throw new Refusal(422, e.message);
        throw e;
      }
      const end = await handle.done;
      if (hash === undefined) void session.close().catch(() => undefined);
      let data: unknown[] | undefined;
      let error = end.error;
      if (end.status === "complete") {
        try {
          data = wire(dep, end.outputs);
        } catch (e) {
          error = new Error(messageOf(e));
        }
      }
      if (data === undefined) {
        const shown = visibleError(error ?? new EventError(`${dep.describe()} was cancelled.`, "cancelled"), app.showError);
        const status = error instanceof EventError && error.code === "queue_full" ? 503 : 500;
        return c.json({ error: shown.message, title: shown.title }, status);
      }
      return c.json({ data, is_generating: false, duration: seconds(started), average_duration: null, render_config: null, changed_state_ids: [] });
    }, true),
  );

  hono.post(
    `${prefix}/call/:name`,
    guarded(async (c) => {
      const body = await readBody(c.req.raw);
      const name = c.req.param("name");
      const dep = dependencyOf({ ...body, fn_index: undefined }, name);
      const hash = body.session_hash === undefined || body.session_hash === null ? undefined : checkHash(body.session_hash);
      const input = dataOf(dep, body, hash);
      checkQueue();
      const session = hash === undefined ? await app.connect({ request: requestInfo(c.req.raw) }) : (await channelFor(hash, c.req.raw)).session;
      const stream = openStream("event: heartbeat\ndata: null\n\n", () => undefined);
      const event = newEvent(dep, undefined, (frame) => stream.write(frame));
      try {
        begin(event, session, input, undefined);
      } catch (e) {
        stream.end();
        if (hash === undefined) void session.close().catch(() => undefined);
        throw e;
      }
      calls.set(event.id, { stream, event });
      void event.handle!.done.then(() => {
        stream.end();
        if (hash === undefined) void session.close().catch(() => undefined);
      });
      return c.json({ event_id: event.id });
    }, true),
  );

  hono.get(
    `${prefix}/call/:name/:event_id`,
    guarded((c) => {
      const id = c.req.param("event_id") ?? "";
      const entry = calls.get(id);
      if (!entry || entry.event.dep.apiName !== (c.req.param("name") ?? "").replace(/^\//, "")) {
        throw new Refusal(404, `No result ${describeValue(id)} is waiting at this endpoint (already read, or never started).`);
      }
      calls.delete(id);
      return entry.stream.response;
    }, true),
  );

  hono.post(
    `${prefix}/cancel`,
    guarded(async (c) => {
      const body = await readBody(c.req.raw);
      const id = body.event_id;
      const event = typeof id === "string" ? queueEvents.get(id) : undefined;
      if (!event || (body.session_hash !== undefined && event.channel?.hash !== body.session_hash)) {
        throw new Refusal(404, `No running event ${describeValue(id ?? null)} in this session.`);
      }
      event.cancelledByClient = true;
      event.handle?.cancel(new EventError(`${event.dep.describe()} was cancelled by the client.`, "cancelled"));
      return c.json({ success: true });
    }, true),
  );

  hono.post(
    `${prefix}/reset`,
    guarded(async (c) => {
      await readBody(c.req.raw);
      return c.json({ success: true });
    }, true),
  );

  hono.get(
    `${prefix}/heartbeat/:hash`,
    guarded((c) => {
      checkHash(c.req.param("hash"));
      return openStream("data: ALIVE\n\n", () => undefined).response;
    }, true),
  );

  hono.notFound((c) => c.json({ detail: `Nothing at ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}.`, error: "Not found" }, 404));
  // Never an exception's text: it may say what showError hides.
  hono.onError((_e, c) => c.json({ detail: "Internal server error.", error: "Internal server error." }, 500));

  function openStream(heartbeat: string, onEnd: () => void): EventStream {
    const stream: EventStream = new EventStream(settings.maxStream, settings.heartbeatMs, heartbeat, () => {
      streams.delete(stream);
      onEnd();
    });
    streams.add(stream);
    return stream;
  }

  // #endregion

  const handler = ((request: Request) => Promise.resolve(hono.fetch(request))) as GradioHandler;
  Object.defineProperties(handler, {
    app: { value: app, enumerable: true },
    hono: { value: hono, enumerable: true },
    close: {
      value: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        // Runs still going would outlive the server (a generator ticking forever): stop them.
        const reason = new EventError("The server was closed.", "cancelled");
        for (const event of [...running]) {
          event.handle?.cancel(reason);
          // Answer now: a client whose stream just ends (no error, no close_stream) waits forever.
          completed(event, { status: "cancelled", error: reason, outputs: [] });
        }
        for (const stream of [...streams]) stream.end();
        for (const channel of [...channels.values()]) detach(channel);
        calls.clear();
        if (ownsApp) await app.close();
      },
    },
  });
  return handler;
}

// #region Helpers

/** One frame of the queue protocol's stream. */
function frameOf(message: Record<string, unknown>): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}

function newId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = "";
  for (const b of bytes) id += b.toString(16).padStart(2, "0");
  return id;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** A body of undeclared length (chunked), refused with 413 past `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Refusal(413, `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * Refuses values nested deeper than `max` (checked without recursion): the engine's deep copy
 * and comparison recurse, so a body of ten thousand nested arrays must stop here, as a 400.
 */
function checkDepth(value: unknown, max: number): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) throw new Refusal(400, `The body is nested more than ${max} levels deep.`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
}

/** Output values without the State slots (the `call` API, like `/info`'s returns). */
function visibleOutputs(dep: Dependency, data: readonly unknown[]): unknown[] {
  return data.filter((_, i) => !isServerState(dep.outputs[i]));
}

function progressMessage(eventId: string, m: ProgressMessage): Record<string, unknown> {
  return { msg: "progress", event_id: eventId, progress_data: [{ index: null, length: null, unit: null, progress: m.progress, desc: m.desc ?? null }] };
}

function logMessage(eventId: string, m: AlertMessage): Record<string, unknown> {
  return { msg: "log", event_id: eventId, log: m.message, level: m.type, duration: m.duration ?? null, visible: true, title: m.title ?? null };
}

// #endregion

/**
 * Gradio's call protocols over a launched app: the queue (`queue/join`, the `queue/data`
 * event stream, `cancel`, `heartbeat`), `run/{name}` for `queue: false`, and the two-step
 * `call/{name}` API that Gradio documents for curl.
 *
 * @packageDocumentation
 */
import type { Hono } from "hono";
import { LRUCache } from "lru-cache";
import type { Subscription } from "rxjs";
import { EventError, describeValue, messageOf, visibleError } from "../core/errors";
import type { Dependency } from "../blocks/block";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { RunEnd, RunHandle } from "../runtime/handle";
import type { AlertMessage, Message, ProgressMessage } from "../runtime/messages";
import { isServerState } from "../blocks/gradio-api";
import { diff } from "./diff";
import { checkInputs } from "./engine";
import type { Guard } from "./guard";
import type { Settings } from "./options";
import { Refusal, newId, readJson, requestInfo } from "./request";
import type { EventStream, EventStreams } from "./stream";
import type { RelayReader } from "../runtime/store";

/** Unfetched results of the two-step `call` API kept at once; the oldest is dropped past it. */
const MAX_CALLS = 10_000;

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
  /** With a shared store: reads the cancels sent to other processes (docs/07). */
  cancels?: RelayReader;
}

/** @internal What the queue routes share with the rest of the handler. */
export interface QueueContext {
  readonly app: App;
  readonly settings: Settings;
  readonly guard: Guard;
  readonly streams: EventStreams;
}

/**
 * @internal Adds Gradio's call routes to `hono`. The result's `close()` stops the runs still
 * going (answering their clients) and forgets the sessions' channels.
 */
export function mountQueue(hono: Hono, { app, settings, guard, streams }: QueueContext): { close(): void } {
  const { prefix } = settings;
  const blocks = app.blocks;
  const guarded = guard.guarded;
  const channels = new Map<string, Channel>();
  const connecting = new Map<string, Promise<Channel>>();
  const queueEvents = new Map<string, QueueEvent>();
  const calls = new LRUCache<string, { stream: EventStream; event: QueueEvent }>({ max: MAX_CALLS });
  /** Events whose run has not ended. */
  const running = new Set<QueueEvent>();
  /**
   * With a shared store (docs/07), every frame of the two-step protocols goes through it, so
   * that the second request may reach any process; this process's relayed streams by topic.
   */
  const relay = app._store?.relay;
  const relayed = new Map<string, EventStream>();

  const readBody = (request: Request) => readJson(request, settings);

  // #region Sessions

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
    if (relay) return publish(`q:${channel.hash}`, frame);
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
    if (relay && channel.events.size === 0) return publish(`q:${channel.hash}`, CLOSE_STREAM);
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
    if (relay) listenForCancels(event);
  }

  /**
   * With a shared store (docs/07): a `cancel` that reached another process comes through the
   * store on topic `cancel/<event id>` (its message: the session hash it named, or ""), read
   * while the event runs: one relay reader per queued event.
   */
  function listenForCancels(event: QueueEvent): void {
    const cancel = (hash: string) => {
      if (hash === "" || event.channel?.hash === hash) cancelEvent(event);
    };
    void relay!.read(`${CANCEL_TOPIC}${event.id}`, cancel).then(
      (reader) => {
        if (event.finished) return reader.close();
        event.cancels = reader;
        for (const hash of reader.kept) cancel(hash);
      },
      () => undefined, // the store is down: a cancel sent elsewhere cannot arrive
    );
  }

  function cancelEvent(event: QueueEvent): void {
    event.cancelledByClient = true;
    event.handle?.cancel(new EventError(`${event.dep.describe()} was cancelled by the client.`, "cancelled"));
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
    event.cancels?.close();
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
      if (relay && hash !== undefined) {
        checkHash(hash);
        // Kept frames before a close of an earlier batch of events belong to later events.
        return relayStream(`q:${hash}`, `data: ${JSON.stringify({ msg: "heartbeat", event_id: null })}\n\n`, (kept) => kept.filter((f, i) => f !== CLOSE_STREAM || i === kept.length - 1));
      }
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
      if (relay) {
        // The result goes through the store: its GET may reach another process.
        // The topic names the endpoint: a GET at another endpoint reads (and takes) nothing.
        const event = newEvent(dep, undefined, (frame) => publish(topic, frame));
        const topic = `c:${dep.apiName ?? ""}/${event.id}`;
        const opened = relay.publish(topic, CALL_OPEN, settings.maxStream);
        try {
          begin(event, session, input, undefined);
        } catch (e) {
          publish(topic, CALL_END);
          if (hash === undefined) void session.close().catch(() => undefined);
          throw e;
        }
        void event.handle!.done.then(() => {
          publish(topic, CALL_END);
          if (hash === undefined) void session.close().catch(() => undefined);
        });
        await opened;
        return c.json({ event_id: event.id });
      }
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
      const name = (c.req.param("name") ?? "").replace(/^\//, "");
      if (relay) {
        return relayStream(`c:${name}/${id}`, "event: heartbeat\ndata: null\n\n", (kept) => (kept[0] === CALL_OPEN ? kept.slice(1) : undefined), () => new Refusal(404, `No result ${describeValue(id)} is waiting at this endpoint (already read, or never started).`));
      }
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
      if (!event && relay && typeof id === "string" && id.length <= 128) {
        // Another process may run it (docs/07): the store takes the cancel to it.
        const hash = typeof body.session_hash === "string" ? body.session_hash : "";
        await relay.publish(`${CANCEL_TOPIC}${id}`, hash, settings.maxStream);
        return c.json({ success: true });
      }
      if (!event || (body.session_hash !== undefined && event.channel?.hash !== body.session_hash)) {
        throw new Refusal(404, `No running event ${describeValue(id ?? null)} in this session.`);
      }
      cancelEvent(event);
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

  function openStream(heartbeat: string, onEnd: () => void): EventStream {
    return streams.create(heartbeat, onEnd);
  }

  /** Sends a frame through the store (in order: one connection); a store down loses it. */
  function publish(topic: string, frame: string): void {
    void relay!.publish(topic, frame, settings.maxStream).catch(() => undefined);
  }

  /**
   * A stream of the frames published to `topic` by any process, the kept ones (as `first`
   * passes them; `undefined`: refused with `refusal()`) then new ones, up to a close.
   */
  async function relayStream(topic: string, heartbeat: string, first: (kept: readonly string[]) => readonly string[] | undefined, refusal?: () => Refusal): Promise<Response> {
    let reader: RelayReader | undefined;
    const stream = openStream(heartbeat, () => {
      reader?.close();
      if (relayed.get(topic) === stream) relayed.delete(topic);
    });
    relayed.get(topic)?.end(); // one reader per topic, as in Gradio: the newest wins
    relayed.set(topic, stream);
    const write = (frame: string) => {
      if (frame === CALL_END || frame === CLOSE_STREAM) {
        if (frame === CLOSE_STREAM) stream.write(frame);
        stream.end();
      } else stream.write(frame);
    };
    try {
      reader = await relay!.read(topic, write);
    } catch (e) {
      stream.end();
      throw e;
    }
    if (!stream.open) reader.close();
    const frames = first(reader.kept);
    if (!frames) {
      stream.end();
      throw refusal!();
    }
    for (const frame of frames) write(frame);
    return stream.response;
  }

  // #endregion

  return {
    close() {
      // Runs still going would outlive the server (a generator ticking forever): stop them.
      const reason = new EventError("The server was closed.", "cancelled");
      for (const event of [...running]) {
        event.handle?.cancel(reason);
        // Answer now: a client whose stream just ends (no error, no close_stream) waits forever.
        completed(event, { status: "cancelled", error: reason, outputs: [] });
      }
      for (const channel of [...channels.values()]) detach(channel);
      calls.clear();
    },
  };
}

// #region Helpers

/** The queue stream's last frame (Gradio's `close_stream`): no event of the session is pending. */
const CLOSE_STREAM = `data: ${JSON.stringify({ msg: "close_stream", event_id: null })}\n\n`;
/** Relay markers of the `call` API (frames never start with NUL): a call's start, its end. */
const CALL_OPEN = "\u0000open";
/** Relay topic prefix of the cancels for an event another process runs (docs/07). */
const CANCEL_TOPIC = "cancel/";
const CALL_END = "\u0000end";

/** One frame of the queue protocol's stream. */
function frameOf(message: Record<string, unknown>): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
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

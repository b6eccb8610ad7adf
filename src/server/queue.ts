/**
 * Gradio's call protocols over a launched app: the queue (`queue/join`, the `queue/data`
 * event stream, `cancel`, `heartbeat`), `run/{name}` for `queue: false`, and the two-step
 * `call/{name}` API that Gradio documents for curl.
 *
 * @packageDocumentation
 */
import type { Context, Hono } from "hono";
import { LRUCache } from "lru-cache";
import type { Subscription } from "rxjs";
import { EventError, describeValue, messageOf, toError, visibleError } from "../core/errors";
import type { Dependency } from "../blocks/block";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { RunEnd, RunHandle } from "../runtime/handle";
import { parameterNames, type Judgement } from "../runtime/handler";
import type { Message } from "../runtime/messages";
import { diff } from "./diff";
import { Reranker } from "./rerank";
import {
  CALL_HEARTBEAT,
  CLOSE_STREAM,
  HEARTBEAT,
  callErrorFrame,
  callOutputFrame,
  completedFrame,
  estimationFrame,
  failedFrame,
  generatingFrame,
  logFrame,
  outputOf,
  progressFrame,
  startsFrame,
  wire,
} from "./frames";
import type { Guard } from "./guard";
import type { Settings } from "./options";
import { NO_TRIGGER, Refusal, connectFor, newId, storeRefusal, readJson, requestInfo, targetOf, triggerOf, type Trigger } from "./request";
import { KeptBytes, byteLength, type EventStream, type EventStreams, type Keeper } from "./stream";
import { RELAY_OVERFLOW, type Relay, type RelayReader } from "../runtime/store";

/**
 * Unfetched results of the two-step `call` API kept at once; the oldest is dropped past it (as
 * past `maxKeptBytes`: its run is cancelled).
 */
const MAX_CALLS = 10_000;

/** An unfetched result of the two-step `call` API: kept until its GET, within `maxKeptBytes`. */
interface CallEntry extends Keeper {
  readonly stream: EventStream;
  readonly event: QueueEvent;
}

/** One session as the server follows it: its queue events and its one `queue/data` stream. */
interface Channel {
  readonly hash: string;
  session: Session;
  /** Queue events not completed yet, in join order. */
  readonly events: Map<string, QueueEvent>;
  /** Frames waiting for the stream (a fast run finishes before the client opens it). */
  outbox: string[];
  /** UTF-8 bytes in `outbox`, bounded by `maxStreamBytes` as an open stream is, and with every other kept frame by `maxKeptBytes`. */
  outboxBytes: number;
  /** What counts `outbox` in the handler's {@link KeptBytes}; dropping it drops the outbox. */
  readonly keeper: Keeper;
  /**
   * A frame did not fit in `outbox`: every frame is dropped until a stream opens, which then
   * fails (the client must not see a stream with frames missing end cleanly).
   */
  overflowed: boolean;
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
  /** Its client lost its frames (stream dropped or overflowed): it was cancelled, and sends nothing more. */
  abandoned: boolean;
  /** Its final frame was sent. */
  finished: boolean;
  /** It was told its place in the queue (an `estimation`). */
  ranked: boolean;
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
export function mountQueue(hono: Hono, context: QueueContext): { close(): void } {
  const routes = new QueueRoutes(context);
  routes.mount(hono);
  return { close: () => routes.close() };
}

/**
 * Gradio's call routes over one app: one method per endpoint (`join`, `data`, `run`, `call`,
 * `result`, `cancel`, `reset`, `heartbeat`), and the sessions' channels and events they share.
 */
class QueueRoutes {
  private readonly app: App;
  private readonly settings: Settings;
  private readonly guard: Guard;
  private readonly streams: EventStreams;
  private readonly channels = new Map<string, Channel>();
  private readonly connecting = new Map<string, Promise<Channel>>();
  private readonly queueEvents = new Map<string, QueueEvent>();
  /** Frames kept for streams not opened yet (outboxes, unfetched call results), bounded in all by `maxKeptBytes`. */
  private readonly kept: KeptBytes;
  private readonly calls = new LRUCache<string, CallEntry>({
    max: MAX_CALLS,
    // After the cache let go of it: a delete from inside an eviction's `dispose` corrupts the cache.
    disposeAfter: (entry, _id, reason) => {
      if (reason === "evict") this.letGo(entry);
    },
  });
  /** Events whose run has not ended. */
  private readonly running = new Set<QueueEvent>();
  /** Tells waiting events their new places as their queue moves, as Gradio's queue does. */
  private readonly reranker = new Reranker((waiter, rank, size) => {
    const event = this.channels.get(waiter.session.sessionHash)?.byRun.get(waiter.id);
    if (event && !event.finished) this.post(event, estimationFrame(event.id, rank, size));
  });
  /**
   * With a shared store (docs/07), every frame of the two-step protocols goes through it, so
   * that the second request may reach any process; this process's relayed streams by topic.
   */
  private readonly relay: Relay | undefined;
  private readonly relayed = new Map<string, EventStream>();

  constructor({ app, settings, guard, streams }: QueueContext) {
    this.app = app;
    this.settings = settings;
    this.guard = guard;
    this.streams = streams;
    this.relay = app._store?.relay;
    this.kept = new KeptBytes(settings.maxKept);
  }

  /** Registers the routes, each behind the guard (origin, size and rate checks). */
  mount(hono: Hono): void {
    const { prefix } = this.settings;
    const guarded = this.guard.guarded;
    hono.post(`${prefix}/queue/join`, guarded((c) => this.join(c), true));
    hono.get(`${prefix}/queue/data`, guarded((c) => this.data(c), true));
    hono.post(`${prefix}/run/:name`, guarded((c) => this.run(c), true));
    hono.post(`${prefix}/call/:name`, guarded((c) => this.call(c), true));
    hono.get(`${prefix}/call/:name/:event_id`, guarded((c) => this.result(c), true));
    hono.post(`${prefix}/cancel`, guarded((c) => this.cancel(c), true));
    hono.post(`${prefix}/reset`, guarded((c) => this.reset(c), true));
    hono.get(`${prefix}/heartbeat/:hash`, guarded((c) => this.heartbeat(c), true));
    hono.get(`${prefix}/queue/status`, guarded((c) => this.status(c), true));
  }

  /** Stops the runs still going, answering their clients, and forgets the channels. */
  close(): void {
    // Runs still going would outlive the server (a generator ticking forever): stop them.
    const reason = new EventError("The server was closed.", "cancelled");
    for (const event of [...this.running]) {
      event.handle?.cancel(reason);
      // Answer now: a client whose stream just ends (no error, no close_stream) waits forever.
      this.completed(event, { status: "cancelled", error: reason, outputs: [] });
    }
    for (const channel of [...this.channels.values()]) this.detach(channel);
    this.calls.clear();
    this.reranker.close();
  }

  // #region Routes

  /** `POST /queue/join`: queues a run in the session of `session_hash`; its frames go to `queue/data`. */
  private async join(c: Context): Promise<Response> {
    const body = await this.readBody(c.req.raw);
    const dep = this.dependencyOf(body, undefined);
    const hash = checkHash(body.session_hash);
    const data = this.dataOf(body);
    const trigger = triggerOf(body);
    this.checkQueue();
    const channel = await this.channelFor(hash, c.req.raw);
    if (channel.overflowed && !channel.stream?.open) {
      // Its frames would be dropped like those lost before it, after its run changed the session.
      throw new Refusal(409, `The event stream of session ${describeValue(hash)} failed: its kept frames passed maxStreamBytes before it was read. Read ${this.settings.prefix}/queue/data (which reports that), then join again.`, "stream_failed");
    }
    const judged = await judge(channel.session, dep, data, trigger, this.app.showError);
    const event: QueueEvent = newEvent(dep, channel, (frame) => this.post(event, frame));
    channel.events.set(event.id, event);
    this.queueEvents.set(event.id, event);
    try {
      this.begin(event, channel.session, data, channel, trigger, judged);
    } catch (e) {
      if (!(e instanceof EventError)) {
        channel.events.delete(event.id);
        this.queueEvents.delete(event.id);
        throw e;
      }
      // Inputs the session refuses (a count, a component's check, S34) fail the event in its
      // stream, as Gradio's preprocessing does: both clients report the message (Python's
      // gradio_client reads a 422 from here as Gradio's list of validator results). Nothing ran.
      this.post(event, estimationFrame(event.id, 0, 1));
      this.post(event, startsFrame(event.id));
      this.completed(event, { status: "error", error: e, outputs: [] });
    }
    return c.json({ event_id: event.id });
  }

  /**
   * `GET /queue/data`: the session's event stream (one reader per session: the newest wins),
   * starting with the frames kept for it. A client that drops it (or lets it overflow, or
   * whose kept frames overflowed) loses the session's pending events: they are cancelled, as
   * Gradio cleans a disconnected session's events.
   */
  private data(c: Context): Response | Promise<Response> {
    const hash = c.req.query("session_hash");
    if (this.relay && hash !== undefined) {
      checkHash(hash);
      // Kept frames before a close of an earlier batch of events belong to later events.
      return this.relayStream(`q:${hash}`, HEARTBEAT, (kept) => kept.filter((f, i) => f !== CLOSE_STREAM || i === kept.length - 1));
    }
    const channel = hash === undefined ? undefined : this.channels.get(hash);
    if (!channel) throw new Refusal(404, `No session ${describeValue(hash ?? null)} has joined the queue (join first with POST ${this.settings.prefix}/queue/join).`);
    channel.stream?.end(); // one reader per session, as in Gradio: the newest wins
    const stream = this.streams.create(HEARTBEAT, (how) => {
      if (channel.stream === stream) channel.stream = undefined;
      if (how !== "server") this.abandon(channel);
    });
    channel.stream = stream;
    this.kept.release(channel.keeper);
    if (channel.overflowed) {
      channel.overflowed = false;
      stream.overflow();
      return stream.response;
    }
    const frames = channel.outbox;
    channel.outbox = [];
    channel.outboxBytes = 0;
    for (const frame of frames) stream.write(frame);
    this.maybeCloseStream(channel);
    return stream.response;
  }

  /** `POST /run/{name}`: runs a listener and answers with its outputs (`queue: false` clients). */
  private async run(c: Context): Promise<Response> {
    const body = await this.readBody(c.req.raw);
    const dep = this.dependencyOf(body, c.req.param("name"));
    const hash = optionalHash(body.session_hash);
    const input = this.dataOf(body);
    const trigger = triggerOf(body);
    this.checkQueue();
    const session = await this.sessionFor(hash, c.req.raw);
    const started = performance.now();
    let end: RunEnd;
    try {
      end = await startRun(session, dep, input, trigger).done;
    } finally {
      if (hash === undefined) closeOneOff(session); // also when the session refused the inputs
    }
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
      // Inputs a validator refused: a bad request's 422, as a wrong count or a value a component refuses.
      if (error instanceof EventError && error.code === "invalid_input") throw new Refusal(422, error.message);
      const shown = visibleError(error ?? new EventError(`${dep.describe()} was cancelled.`, "cancelled"), this.app.showError);
      const status = error instanceof EventError && error.code === "queue_full" ? 503 : 500;
      return c.json({ error: shown.message, title: shown.title }, status);
    }
    return c.json(outputOf(data, started, false));
  }

  /** `POST /call/{name}`: starts a run whose result `GET /call/{name}/{event_id}` streams. */
  private async call(c: Context): Promise<Response> {
    const body = await this.readBody(c.req.raw);
    const dep = this.dependencyOf({ ...body, fn_index: undefined }, c.req.param("name"));
    const hash = optionalHash(body.session_hash);
    const input = this.dataOf(body);
    this.checkQueue();
    const session = await this.sessionFor(hash, c.req.raw);
    const done = () => {
      if (hash === undefined) closeOneOff(session);
    };
    let judged: boolean;
    try {
      judged = await judge(session, dep, input, NO_TRIGGER, this.app.showError);
    } catch (e) {
      done();
      throw e;
    }
    if (this.relay) {
      // The result goes through the store: its GET may reach another process.
      // The topic names the endpoint: a GET at another endpoint reads (and takes) nothing.
      const event = newEvent(dep, undefined, (frame) => this.publish(topic, frame));
      const topic = `c:${dep.apiName ?? ""}/${event.id}`;
      const opened = this.relay.publish(topic, CALL_OPEN, this.settings.maxStream);
      const end = () => {
        this.publish(topic, CALL_END);
        done();
      };
      this.startCall(event, session, input, end, judged);
      await opened;
      return c.json({ event_id: event.id });
    }
    // A client that drops the result's stream (or lets it overflow) cancels the run, as Gradio does.
    const stream = this.streams.create(CALL_HEARTBEAT, (how) => {
      if (how !== "server") this.cancelEvent(event);
    });
    // Until its GET, what the stream holds counts in `maxKeptBytes`.
    const send = (frame: string) => {
      if (stream.write(frame) && this.calls.peek(event.id) === entry) this.kept.set(entry, stream.unread);
    };
    const event = newEvent(dep, undefined, send);
    const entry: CallEntry = { stream, event, drop: () => this.dropCall(entry) };
    const end = () => {
      stream.end();
      done();
    };
    this.calls.set(event.id, entry); // before the run starts: a quick one writes at once
    try {
      this.startCall(event, session, input, end, judged);
    } catch (e) {
      this.calls.delete(event.id);
      this.kept.release(entry);
      throw e;
    }
    return c.json({ event_id: event.id });
  }

  /** Drops an unfetched call result past `maxKeptBytes`: see {@link QueueRoutes.letGo}. */
  private dropCall(entry: CallEntry): void {
    this.calls.delete(entry.event.id);
    this.letGo(entry);
  }

  /** An unfetched call result is dropped (past `maxKeptBytes` or `MAX_CALLS`): its stream fails, which cancels its run. */
  private letGo(entry: CallEntry): void {
    this.kept.release(entry);
    entry.stream.overflow();
  }

  /** Starts a `call`'s run; `end` runs once the run ended, or at once when it did not start (rethrown). */
  private startCall(event: QueueEvent, session: Session, input: readonly unknown[], end: () => void, judged: boolean): void {
    try {
      // Gradio's simple API: its body has no event_data or trigger_id (SimplePredictBody).
      this.begin(event, session, input, undefined, NO_TRIGGER, judged);
    } catch (e) {
      end();
      throw asRefusal(e);
    }
    void event.handle!.done.then(end);
  }

  /** `GET /call/{name}/{event_id}`: the stream of a `call`'s result, read once. */
  private result(c: Context): Response | Promise<Response> {
    const id = c.req.param("event_id") ?? "";
    const name = (c.req.param("name") ?? "").replace(/^\//, "");
    const missing = () => new Refusal(404, `No result ${describeValue(id)} is waiting at this endpoint (already read, or never started).`);
    if (this.relay) return this.relayStream(`c:${name}/${id}`, CALL_HEARTBEAT, (kept) => (kept[0] === CALL_OPEN ? kept.slice(1) : undefined), missing);
    const entry = this.calls.get(id);
    if (!entry || entry.event.dep.apiName !== name) throw missing();
    this.calls.delete(id);
    this.kept.release(entry);
    return entry.stream.response;
  }

  /** `POST /cancel`: cancels a queued or running event of the session named (here, or through the store elsewhere). */
  private async cancel(c: Context): Promise<Response> {
    const body = await this.readBody(c.req.raw);
    const id = body.event_id;
    const event = typeof id === "string" ? this.queueEvents.get(id) : undefined;
    if (!event && this.relay && typeof id === "string" && id.length <= 128) {
      // Another process may run it (docs/07): the store takes the cancel to it.
      const hash = typeof body.session_hash === "string" ? body.session_hash : "";
      await this.relay.publish(`${CANCEL_TOPIC}${id}`, hash, this.settings.maxStream);
      return c.json({ success: true });
    }
    // An event that ended, never was, or is another session's is left alone, with the same
    // answer as Gradio's (which neither client reads): a cancel racing the event's end is no
    // error, and the answer tells nobody which event ids exist.
    if (event && (body.session_hash === undefined || event.channel?.hash === body.session_hash)) this.cancelEvent(event);
    return c.json({ success: true });
  }

  /** `POST /reset`: accepted and ignored, as Gradio's clients send it. */
  private async reset(c: Context): Promise<Response> {
    await this.readBody(c.req.raw);
    return c.json({ success: true });
  }

  /** `GET /heartbeat/{hash}`: a stream of `ALIVE` frames while the client stays. */
  private heartbeat(c: Context): Response {
    checkHash(c.req.param("hash"));
    // One at once, as Gradio sends: Python's gradio_client reads this route with a 20 s timeout.
    const stream = this.streams.create(ALIVE, () => undefined);
    stream.write(ALIVE);
    return stream.response;
  }

  /** `GET /queue/status`: the queue as Gradio's `Queue.get_status` answers (monitoring scripts read it). */
  private status(c: Context): Response {
    return c.json({ msg: "estimation", event_id: null, rank: null, queue_size: this.app.queueSize, rank_eta: null });
  }

  // #endregion
  // #region Sessions

  private readBody(request: Request): Promise<Record<string, unknown>> {
    return readJson(request, this.settings);
  }

  /** The session of a hash: a new hash connects a new session, a known one resumes it (S13). */
  private async channelFor(hash: string, request: Request): Promise<Channel> {
    const known = this.channels.get(hash);
    if (known && !known.session.closed) return known;
    let pending = this.connecting.get(hash);
    if (!pending) {
      pending = connectFor(this.app.connect({ sessionHash: hash, request: requestInfo(request) }))
        .then((session) => this.attach(hash, session))
        .finally(() => this.connecting.delete(hash));
      this.connecting.set(hash, pending);
    }
    return pending;
  }

  /** The session a `run` or `call` uses: its hash's, or a one-off session without one. */
  private async sessionFor(hash: string | undefined, request: Request): Promise<Session> {
    return hash === undefined ? connectFor(this.app.connect({ request: requestInfo(request) })) : (await this.channelFor(hash, request)).session;
  }

  private attach(hash: string, session: Session): Channel {
    const existing = this.channels.get(hash);
    if (existing && existing.session === session) return existing;
    const channel: Channel = {
      hash,
      session,
      events: new Map(),
      outbox: [],
      outboxBytes: 0,
      keeper: { drop: () => this.dropOutbox(channel) },
      overflowed: false,
      stream: undefined,
      subscription: undefined,
      byRun: new Map(),
      starting: undefined,
    };
    this.channels.set(hash, channel);
    let replaying = true; // messages$ first replays recent alerts: they belong to no event here
    channel.subscription = session.messages$.subscribe({
      next: (m) => {
        if (!replaying) this.route(channel, m);
      },
      // The app dropped the session (retention over, evicted, app closed).
      complete: () => this.detach(channel),
    });
    replaying = false;
    return channel;
  }

  /** Cancels the channel's pending events, whose frames their client lost; they send nothing more. */
  private abandon(channel: Channel): void {
    for (const event of channel.events.values()) {
      event.abandoned = true;
      this.cancelEvent(event);
    }
  }

  private detach(channel: Channel): void {
    if (this.channels.get(channel.hash) === channel) this.channels.delete(channel.hash);
    channel.subscription?.unsubscribe();
    channel.stream?.end();
    this.kept.release(channel.keeper);
    for (const event of channel.events.values()) this.queueEvents.delete(event.id);
    channel.events.clear();
  }

  /**
   * Sends a frame of a queue event to its session's stream, or keeps it until the stream
   * opens, up to `maxStreamBytes` kept (and `maxKeptBytes` in all). Past that nothing more is
   * kept: the frames are dropped, the pending events cancelled, and the next stream fails.
   */
  private post(event: QueueEvent, frame: string): void {
    const channel = event.channel!;
    if (this.relay) return this.publish(`q:${channel.hash}`, frame);
    if (event.abandoned) return;
    if (channel.stream?.open) {
      channel.stream.write(frame);
      return;
    }
    if (channel.overflowed) return;
    const bytes = byteLength(frame);
    // As an open stream (EventStream.write): any one frame fits in an empty outbox.
    if (channel.outboxBytes > 0 && channel.outboxBytes + bytes > this.settings.maxStream) return this.dropOutbox(channel);
    channel.outbox.push(frame);
    channel.outboxBytes += bytes;
    this.kept.set(channel.keeper, channel.outboxBytes);
  }

  /**
   * Drops the frames kept for a session's stream (past `maxStreamBytes`, or `maxKeptBytes`):
   * nothing more is kept, as later frames alone would be a corrupt sequence (diffs on a lost
   * value, a lost completion); its pending events are cancelled and its next stream fails.
   */
  private dropOutbox(channel: Channel): void {
    this.kept.release(channel.keeper);
    channel.overflowed = true;
    channel.outbox = [];
    channel.outboxBytes = 0;
    this.abandon(channel);
  }

  /** Ends the session's stream once no event of it is pending (Gradio's `close_stream`). */
  private maybeCloseStream(channel: Channel): void {
    if (this.relay && channel.events.size === 0) return this.publish(`q:${channel.hash}`, CLOSE_STREAM);
    if (channel.events.size > 0 || !channel.stream?.open) return;
    channel.stream.write(CLOSE_STREAM);
    channel.stream.end();
    channel.stream = undefined;
  }

  /**
   * Routes a session message to the event whose run sent it (messages carry their run id). A
   * run starting synchronously inside `session.run` reports before its handle exists: those
   * messages go to the event being started.
   */
  private route(channel: Channel, m: Message): void {
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
      // As Gradio's queue: every event is told its rank in its concurrency group's queue and
      // that queue's size, one that starts at once too (rank 0 of a queue it is alone in).
      if (m.stage === "pending") {
        event.ranked = true;
        this.post(event, estimationFrame(event.id, m.position ?? 0, this.app._queueSizeOf(event.dep)));
      } else if (m.stage === "running") {
        if (!event.ranked) this.post(event, estimationFrame(event.id, 0, 1));
        event.ranked = true;
        this.post(event, startsFrame(event.id));
        // The queue moved: the events behind are told their new ranks, as Gradio's are.
        const group = this.app._groupOf(event.dep);
        if (group) this.reranker.moved(group);
      }
    } else if (m.type === "progress") this.post(event, progressFrame(event.id, m));
    else if (m.type !== "error") this.post(event, logFrame(event.id, m));
  }

  // #endregion
  // #region Runs

  private dependencyOf(body: Record<string, unknown>, name: string | undefined): Dependency {
    const blocks = this.app.blocks;
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
   * The input values of a request, an array. They are checked by `session.run`, against the
   * props of the session they go to: a new session's, once its load listeners (which may
   * change what it accepts: a Dropdown's choices) have run, as Gradio preprocesses an event's
   * inputs in its session.
   */
  private dataOf(body: Record<string, unknown>): unknown[] {
    const data = body.data ?? [];
    if (!Array.isArray(data)) throw new Refusal(400, `"data" must be an array of input values; got ${describeValue(data)}.`);
    return data;
  }

  private checkQueue(): void {
    if (this.app.queueFull) throw new Refusal(503, `The queue is full (maxQueueSize ${this.app.maxQueueSize}); try again later.`);
  }

  /**
   * Starts the event's run (`session.run`); its outputs stream to the event when the listener
   * is a generator.
   *
   * @throws EventError when the session refuses the inputs (nothing ran): `join` fails the event, `call` answers 422.
   */
  /**
   * Starts the event's run in `session`; `judged`: its listener's validator judged `data`
   * already (see {@link judge}), so the run does not call it again.
   */
  private begin(event: QueueEvent, session: Session, data: readonly unknown[], channel: Channel | undefined, trigger: Trigger, judged: boolean): void {
    const generator = event.dep.generator;
    const target = targetOf(trigger, session);
    const eventData = trigger.eventData;
    if (channel) channel.starting = event;
    try {
      event.handle = session._run(event.dep, data, { onOutputs: (outputs) => generator && this.yielded(event, outputs), target, event: eventData }, judged);
    } finally {
      if (channel) channel.starting = undefined;
    }
    event.runId = event.handle.id;
    channel?.byRun.set(event.handle.id, event);
    this.running.add(event);
    void event.handle.done.then((end) => this.completed(event, end));
    if (this.relay) this.listenForCancels(event);
  }

  /**
   * With a shared store (docs/07): a `cancel` that reached another process comes through the
   * store on topic `cancel/<event id>` (its message: the session hash it named, or ""), read
   * while the event runs: one relay reader per queued event.
   */
  private listenForCancels(event: QueueEvent): void {
    const cancel = (hash: string) => {
      if (hash === "" || event.channel?.hash === hash) this.cancelEvent(event);
    };
    void this.relay!.read(`${CANCEL_TOPIC}${event.id}`, cancel).then(
      (reader) => {
        if (event.finished) return reader.close();
        event.cancels = reader;
        for (const hash of reader.kept) cancel(hash);
      },
      () => undefined, // the store is down: a cancel sent elsewhere cannot arrive
    );
  }

  private cancelEvent(event: QueueEvent): void {
    event.cancelledByClient = true;
    event.handle?.cancel(new EventError(`${event.dep.describe()} was cancelled by the client.`, "cancelled"));
  }

  private yielded(event: QueueEvent, outputs: readonly unknown[]): void {
    let data: unknown[];
    try {
      data = wire(event.dep, outputs);
    } catch {
      return; // reported at completion, where the same values fail again
    }
    if (event.call) return event.send(callOutputFrame("generating", event.dep, data));
    const sent = event.last ? data.map((value, i) => diff(event.last![i], value)) : data;
    event.last = data;
    event.send(generatingFrame(event.id, event.dep.options.timeLimit, sent, event.started));
  }

  /** The final frame of an event: its outputs, or what the client may see of its error. */
  private completed(event: QueueEvent, end: RunEnd): void {
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
    const shown = data === undefined ? visibleError(error!, this.app.showError) : undefined;
    if (event.call) event.send(shown ? callErrorFrame(shown) : callOutputFrame("complete", dep, data!));
    else event.send(shown ? failedFrame(event.id, shown) : completedFrame(event.id, data!, event.started));
    this.running.delete(event);
    this.queueEvents.delete(event.id);
    if (event.channel) {
      if (event.runId !== undefined) event.channel.byRun.delete(event.runId);
      event.channel.events.delete(event.id);
      this.maybeCloseStream(event.channel);
    }
  }

  // #endregion
  // #region Relay (a shared store, docs/07)

  /** Sends a frame through the store (in order: one connection); a store down loses it. */
  /**
   * Sends `frame` to `topic` through the store. When the store does not take it (down), a
   * stream of the topic that this process serves fails, as an overflowing one does: its client
   * learns that frames were lost instead of waiting for them.
   */
  private publish(topic: string, frame: string): void {
    void this.relay!.publish(topic, frame, this.settings.maxStream).catch(() => this.relayed.get(topic)?.overflow());
  }

  /**
   * A stream of the frames published to `topic` by any process, the kept ones (as `first`
   * passes them; `undefined`: refused with `refusal()`) then new ones, up to a close.
   */
  private async relayStream(topic: string, heartbeat: string, first: (kept: readonly string[]) => readonly string[] | undefined, refusal?: () => Refusal): Promise<Response> {
    let reader: RelayReader | undefined;
    const stream = this.streams.create(heartbeat, () => {
      reader?.close();
      if (this.relayed.get(topic) === stream) this.relayed.delete(topic);
    });
    this.relayed.get(topic)?.end(); // one reader per topic, as in Gradio: the newest wins
    this.relayed.set(topic, stream);
    const write = (frame: string) => {
      // What was kept for the reader passed the bound: fail the stream, as an open one that overflows.
      if (frame === RELAY_OVERFLOW) stream.overflow();
      else if (frame === CALL_END || frame === CLOSE_STREAM) {
        if (frame === CLOSE_STREAM) stream.write(frame);
        stream.end();
      } else stream.write(frame);
    };
    try {
      reader = await this.relay!.read(topic, write);
    } catch (e) {
      stream.end();
      throw storeRefusal(e); // the store is down: a 503 saying so
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
}

// #region Helpers

/** A session hash as the queue takes it: 1 to 128 URL-safe characters. @throws Refusal 400 */
function checkHash(value: unknown): string {
  if (typeof value !== "string" || !/^[\w.~-]{1,128}$/.test(value)) {
    throw new Refusal(400, `session_hash must be 1 to 128 letters, digits, "_", "-", "." or "~"; got ${describeValue(value)}.`);
  }
  return value;
}

/** A `session_hash` that may be left out (`run`, `call`: a one-off session then). */
function optionalHash(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : checkHash(value);
}

/** Closes the one-off session of a `run` or `call` made without a session hash. */
function closeOneOff(session: Session): void {
  void session.close().catch(() => undefined);
}

/**
 * Gradio's check at `queue/join` (`Queue.push`), also for `call/{name}`: the validator of `dep`,
 * if it has one, judges the request's inputs before an event is queued (the session's State
 * inputs as they are now). Inputs the session refuses (a count, a component's check, S34) are
 * not judged: the run refuses them as before.
 *
 * @returns whether the inputs were judged (the run then does not call the validator again).
 * @throws Refusal 422 when the validator refused an input, with Gradio's list of verdicts as
 *   `detail` (`{ __type__: "validate", is_valid, message, parameter_name }` per input it judged,
 *   `{ is_valid: true, message: "" }` for the others), which `@gradio/client` hands to Gradio's
 *   page to show each message at its input and Python's `gradio_client` lists by parameter; 400
 *   when the validator threw (what users may see of it, as of any error).
 */
async function judge(session: Session, dep: Dependency, data: readonly unknown[], trigger: Trigger, showError: boolean): Promise<boolean> {
  const validator = dep.options.validator;
  if (validator === undefined) return false;
  let judging: Promise<Judgement>;
  try {
    judging = session._judge(dep, data, { target: targetOf(trigger, session), event: trigger.eventData });
  } catch (e) {
    if (e instanceof EventError) return false; // refused inputs: the run fails the event with them
    throw e;
  }
  let judgement: Judgement;
  try {
    judgement = await judging;
  } catch (e) {
    throw new Refusal(400, visibleError(toError(e), showError).message, "validator_failed");
  }
  if (judgement.error === undefined) return true;
  const names = parameterNames(validator);
  const detail = judgement.verdicts.map((v, i) =>
    v.given ? { __type__: "validate", is_valid: v.isValid, message: v.message, parameter_name: names?.[i] ?? `parameter_${i}` } : { is_valid: true, message: "" },
  );
  throw new Refusal(422, judgement.error.message, "invalid_input", detail);
}

/**
 * `session.run`, with the session's refusal of the inputs as a 422.
 *
 * @throws Refusal 422 when the session refuses the inputs (nothing ran).
 */
function startRun(session: Session, dep: Dependency, data: readonly unknown[], trigger: Trigger): RunHandle {
  try {
    return session.run(dep, data, { target: targetOf(trigger, session), event: trigger.eventData });
  } catch (e) {
    throw asRefusal(e);
  }
}

/** What `session.run` threw, an EventError (inputs it refuses: a count, a component's check, S34) as a 422. */
function asRefusal(e: unknown): unknown {
  return e instanceof EventError ? new Refusal(422, e.message) : e;
}

function newEvent(dep: Dependency, channel: Channel | undefined, send: (frame: string) => void): QueueEvent {
  return { id: newId(), dep, channel, send, call: channel === undefined, handle: undefined, runId: undefined, last: undefined, started: performance.now(), cancelledByClient: false, abandoned: false, finished: false, ranked: false };
}

/** The frame of the `heartbeat` route. */
const ALIVE = "data: ALIVE\n\n";

/** Relay markers of the `call` API (frames never start with NUL): a call's start, its end. */
const CALL_OPEN = "\u0000open";
const CALL_END = "\u0000end";
/** Relay topic prefix of the cancels for an event another process runs (docs/07). */
const CANCEL_TOPIC = "cancel/";

// #endregion

/**
 * Server-Sent Events responses with a bound on what they hold unread.
 *
 * @packageDocumentation
 */

const encoder = new TextEncoder();

/**
 * @internal How an event stream ended: `"server"` ({@link EventStream.end}), `"client"` (the
 * client cancelled the response body: it disconnected), `"overflow"` (past its bound, the
 * client saw an error).
 */
export type StreamEnd = "server" | "client" | "overflow";

/** @internal The UTF-8 length of `text`, in bytes: what the stream bound counts. */
export function byteLength(text: string): number {
  return encoder.encode(text).byteLength;
}

/**
 * @internal A Server-Sent Events response that holds at most `limit` unread bytes: past that
 * the client is not reading, and the stream is ended with an error instead of growing (its
 * queue freed).
 */
export class EventStream {
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;
  private readonly beat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly limit: number,
    heartbeatMs: number,
    heartbeat: string,
    private readonly onEnd: (how: StreamEnd) => void,
    onBeat?: () => void,
  ) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        cancel: () => this.finish("client"),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: limit }),
    );
    this.response = new Response(body, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
    if (heartbeatMs > 0) {
      this.beat = setInterval(() => {
        if (this.write(heartbeat)) onBeat?.();
      }, heartbeatMs);
      (this.beat as { unref?: () => void }).unref?.();
    }
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Bytes written and not yet read (all of them until a client reads the response). */
  get unread(): number {
    return this.limit - (this.controller.desiredSize ?? this.limit);
  }

  /**
   * Queues one frame; `false` when the stream is over (ended now if the frame would pass the
   * limit with bytes still unread: a client that reads gets any one frame, however large, as a
   * large Chatbot history or snapshot is one frame).
   */
  write(text: string): boolean {
    if (this.ended) return false;
    const bytes = encoder.encode(text);
    const unread = this.unread;
    if (unread > 0 && unread + bytes.byteLength > this.limit) {
      this.overflow();
      return false;
    }
    this.controller.enqueue(bytes);
    return true;
  }

  /** Ends the stream after what is queued. */
  end(): void {
    if (this.ended) return;
    this.finish("server");
    try {
      this.controller.close();
    } catch {
      // Already cancelled by the client.
    }
  }

  /**
   * Ends the stream as past its bound: the client's read fails with an error (what is queued
   * is dropped), never a clean end, so that it knows frames were lost.
   */
  overflow(): void {
    if (this.ended) return;
    this.finish("overflow");
    this.controller.error(new Error(`The event stream held more than ${this.limit} unread bytes and was ended.`));
  }

  private finish(how: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (this.beat !== undefined) clearInterval(this.beat);
    this.onEnd(how);
  }
}

/** @internal What keeps frames for a client that has not opened its stream yet (see {@link KeptBytes}). */
export interface Keeper {
  /** Lets go of the frames it keeps: they are lost, so its stream fails and its events are cancelled. */
  drop(): void;
}

/**
 * @internal The bytes a handler keeps, in all, for streams no client has opened yet: a
 * session's queue frames before its `queue/data` stream opens, `/call` results before their
 * GET. Each is bounded by `maxStreamBytes` too, but a client can make any number of them
 * without keeping a connection open (an open stream needs one), so their sum has a bound of
 * its own (`maxKeptBytes`): past it, the oldest keepers are dropped first.
 */
export class KeptBytes {
  /** Bytes kept by each keeper, oldest keeper first (a Map keeps insertion order). */
  private readonly keepers = new Map<Keeper, number>();
  private total = 0;

  constructor(private readonly limit: number) {}

  /** Bytes kept in all. */
  get size(): number {
    return this.total;
  }

  /** `keeper` now keeps `bytes` in all; then the oldest keepers (it too, in its turn) are dropped while the total is past the bound. */
  set(keeper: Keeper, bytes: number): void {
    this.total += bytes - (this.keepers.get(keeper) ?? 0);
    this.keepers.set(keeper, bytes);
    while (this.total > this.limit) {
      const oldest = this.keepers.keys().next().value!;
      this.release(oldest);
      oldest.drop();
    }
  }

  /** `keeper` keeps nothing any more (its stream opened, or its frames were dropped). */
  release(keeper: Keeper): void {
    const bytes = this.keepers.get(keeper);
    if (bytes === undefined) return;
    this.total -= bytes;
    this.keepers.delete(keeper);
  }
}

/** @internal The open streams of one handler, so that closing it ends them all. */
export class EventStreams {
  private readonly open = new Set<EventStream>();

  constructor(
    private readonly limit: number,
    private readonly heartbeatMs: number,
  ) {}

  /** A new stream sending `heartbeat` (then calling `onBeat`) every heartbeat interval; `onEnd` runs once when it ends, told how. */
  create(heartbeat: string, onEnd: (how: StreamEnd) => void, onBeat?: () => void): EventStream {
    const stream: EventStream = new EventStream(
      this.limit,
      this.heartbeatMs,
      heartbeat,
      (how) => {
        this.open.delete(stream);
        onEnd(how);
      },
      onBeat,
    );
    this.open.add(stream);
    return stream;
  }

  endAll(): void {
    for (const stream of [...this.open]) stream.end();
  }
}

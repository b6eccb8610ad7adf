/**
 * The one delivery path of every stream (`value$`, `props$`, `app.value$`, `updates$`,
 * `messages$`, `errors$`, `RunHandle.outputs$`): RxJS subjects, one per watched key, made on
 * the first subscribe and dropped with the last (S55), fed through the app's one
 * {@link Delivery} queue so that every subscriber sees writes in the order they happened.
 *
 * @packageDocumentation
 */
import { Observable, Subject, type Subscriber, type Subscription } from "rxjs";

/** A queued completion (never a value any stream carries). */
const COMPLETE: unique symbol = Symbol("complete");

/**
 * @internal The app's delivery queue. A notification made while another is being delivered (a
 * subscriber that writes, clicks or subscribes while notified) waits until that one has
 * reached every subscriber: no re-entrant delivery, so all subscribers, of every stream of the
 * app, see writes in causal order. Idle (the common case), a notification is delivered at
 * once and nothing is allocated.
 */
export class Delivery {
  /** Waiting notifications, flat: target (a subject, or a job), then its value. */
  private pending: unknown[] | undefined;
  private head = 0;
  private busy = false;

  /** Sends `value` to `subject`'s subscribers, after every notification already under way. */
  next<T>(subject: Subject<T>, value: T): void {
    this.push(subject, value);
  }

  /** Completes `subject` after every notification already under way. */
  complete<T>(subject: Subject<T>): void {
    this.push(subject, COMPLETE);
  }

  /** Runs `job` (a subscriber's first values and its joining) in the same order. */
  run(job: () => void): void {
    this.push(job, undefined);
  }

  private push(target: unknown, value: unknown): void {
    if (this.busy) {
      (this.pending ??= []).push(target, value);
      return;
    }
    this.busy = true;
    try {
      deliver(target, value);
      const pending = this.pending;
      if (pending) {
        // Read the length each turn: a delivery may queue more.
        while (this.head < pending.length) {
          const at = this.head;
          this.head += 2;
          deliver(pending[at], pending[at + 1]);
          // A long chain of writes made while notified: drop what was delivered now and then.
          if (this.head >= 1024 && this.head * 2 >= pending.length) {
            pending.splice(0, this.head);
            this.head = 0;
          }
        }
        this.pending = undefined;
        this.head = 0;
      }
    } finally {
      this.busy = false;
    }
  }
}

function deliver(target: unknown, value: unknown): void {
  if (typeof target === "function") (target as () => void)();
  else if (value === COMPLETE) (target as Subject<unknown>).complete();
  else (target as Subject<unknown>).next(value);
}

/**
 * @internal A stream's key in its {@link Streams}: a small integer, so that the look-up made on
 * every compared write is an array index. The named streams come first, then two per block id.
 */
export type StreamKey = number;
/** @internal A session's `updates$`. */
export const UPDATES: StreamKey = 0;
/** @internal A session's `messages$`. */
export const MESSAGES: StreamKey = 1;
/** @internal The app's `errors$`. */
export const ERRORS: StreamKey = 2;
/** @internal A session's stream of nothing that completes when the app removes it (what ends its `value$` of a Global). */
export const ENDED: StreamKey = 3;
const NAMED = 4;
/** @internal The key of a cell's `value$` (a Global's in the app's streams). */
export const valueKey = (id: number): StreamKey => NAMED + 2 * id;
/** @internal The key of a block's `props$`. */
export const propsKey = (id: number): StreamKey => NAMED + 2 * id + 1;

/** @internal What a stream does when it starts and stops being watched, and what a new subscriber gets first. */
export interface StreamSource<T> {
  /** The values a new subscriber gets first (the current value; the kept alerts), read at subscribe. */
  first?: () => readonly T[];
  /** Called when the first subscriber arrives (start comparing writes, S55). */
  start?: () => void;
  /** Called when the last subscriber leaves. */
  stop?: () => void;
}

interface Channel {
  readonly subject: Subject<unknown>;
  /** Subscribers, counting those whose first values are still queued. */
  count: number;
  readonly source: StreamSource<unknown>;
}

/**
 * @internal The watched streams of one session (or of the app): a subject per key, only while
 * someone subscribes. The owner makes it on the first subscribe.
 */
export class Streams {
  private readonly channels: (Channel | undefined)[] = [];

  constructor(private readonly delivery: Delivery) {}

  /** Whether anyone subscribes to `key` (its writes are compared and delivered). */
  watched(key: StreamKey): boolean {
    return this.get(key) !== undefined;
  }

  /** Delivers `value` to `key`'s subscribers; nothing when nobody watches it. */
  send(key: StreamKey, value: unknown): void {
    const channel = this.get(key);
    if (channel !== undefined) this.delivery.next(channel.subject, value);
  }

  /** Completes `key`'s subscribers (after what is queued for them) and forgets the key. */
  end(key: StreamKey): void {
    const channel = this.channels[key];
    if (channel === undefined) return;
    this.channels[key] = undefined;
    this.delivery.complete(channel.subject);
  }

  private get(key: StreamKey): Channel | undefined {
    // In bounds only: an out-of-bounds read is a slow path in V8.
    return key < this.channels.length ? this.channels[key] : undefined;
  }

  /** Completes every stream (the session was removed). */
  endAll(): void {
    for (let key = 0; key < this.channels.length; key++) this.end(key);
  }

  /**
   * Adds `subscriber` to `key`'s stream, making the stream if it is the first. Its first values
   * are read now and delivered in turn: what the others were sent before this subscribe is in
   * them, what they are sent after follows them, each once.
   *
   * @returns the teardown.
   */
  subscribe<T>(key: StreamKey, subscriber: Subscriber<T>, source: StreamSource<T>): () => void {
    let channel = this.channels[key];
    if (!channel) {
      channel = { subject: new Subject(), count: 0, source: source as StreamSource<unknown> };
      // Filled up to the key, so the array stays a packed one (a far index would make it a dictionary).
      while (this.channels.length < key) this.channels.push(undefined);
      this.channels[key] = channel;
      source.start?.();
    }
    const joined = channel;
    joined.count++;
    const first = source.first?.();
    let inner: Subscription | undefined;
    this.delivery.run(() => {
      if (first) for (let i = 0; i < first.length && !subscriber.closed; i++) subscriber.next(first[i]);
      if (!subscriber.closed) inner = (joined.subject as Subject<T>).subscribe(subscriber);
    });
    return () => {
      inner?.unsubscribe();
      if (--joined.count > 0 || this.channels[key] !== joined) return;
      this.channels[key] = undefined;
      joined.source.stop?.();
    };
  }
}

/**
 * @internal A stream of `key`, as an Observable: each subscribe joins the {@link Streams} that
 * `open` gives then (made on first use by the owner), or completes at once when it gives none
 * (an app already closed).
 */
export function stream<T>(open: () => Streams | undefined, key: StreamKey, source: StreamSource<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const streams = open();
    if (!streams) return subscriber.complete();
    return streams.subscribe(key, subscriber, source);
  });
}

/**
 * The connection of one launched app to Redis: its clients, its token, and how commands are
 * sent and their failures reported (docs/08). The store's jobs build on it, one class each:
 * the relay (relay.ts), Globals (globals.ts), sessions (sessions.ts); link.ts ties them up.
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import { createClient, RESP_TYPES } from "redis";
import { EventError, messageOf } from "../core/errors";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { GlobalWriteDone } from "../runtime/store";

/** @internal The checked options of `redisStore`. */
export interface Config {
  url: string;
  prefix: string;
  maxGlobalBytes: number;
  processLocal: Set<unknown>;
  commandMs: number;
  leaseMs: number;
  lockMs: number;
  sessionTtlMs: number;
}

export function newClient(url: string, connectTimeout: number) {
  const socket = { connectTimeout, reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 500) };
  return createClient({ url, socket, disableClientInfo: true });
}
export type Client = ReturnType<typeof newClient>;
export type Reply = Buffer | number | null | Reply[];

/** @internal What every part of the store shares: the clients, and how commands are sent. */
export abstract class RedisConnection {
  /** Tells this app instance's locks, leases and messages from other processes'. */
  protected readonly token = randomBytes(12).toString("base64url");
  protected readonly channel: string;
  /** Writes not yet acknowledged, by the session whose event made them (its next settle empties the list). */
  protected readonly pending = new Map<Session, Promise<Error | undefined>[]>();
  /**
   * Commands of no event (lock and lease releases, fan-out saves) until Redis answers: only
   * `close()` waits for them, so each leaves the set when answered.
   */
  protected readonly detached = new Set<Promise<unknown>>();
  protected client: Client | undefined;
  protected subscriber: Client | undefined;
  protected loading: Promise<void> | undefined;
  protected loaded = false;
  protected closed = false;

  constructor(
    protected readonly app: App,
    protected readonly config: Config,
  ) {
    this.channel = `${config.prefix}:ch`;
  }

  /** Settles once connected and every Global's value is loaded (see `StoreLink.ready`). */
  abstract ready(): Promise<void> | undefined;

  protected whenReady(client: Client): Promise<void> {
    if (client.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off("ready", onReady);
        reject(new EventError(`redisStore: Redis at ${this.config.url} did not answer within ${this.config.commandMs / 1000} s.`, "store_unavailable"));
      }, this.config.commandMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once("ready", onReady);
    });
  }

  /**
   * Runs a script with EVAL (Redis caches it by its body). Never EVALSHA with a retry after
   * NOSCRIPT: the retry would reach Redis after commands sent later (an unlock after the next
   * lock), and the order of one connection's commands is what the locks rely on.
   */
  protected async script(source: string, keys: string[], args: (string | Buffer)[]): Promise<Reply> {
    const client = this.client;
    if (!client || this.closed) throw new EventError("redisStore: the app was closed.", "store_unavailable");
    const options = { timeout: this.config.commandMs, rejectInFlight: true, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
    try {
      return await client.sendCommand<Reply>(["EVAL", source, String(keys.length), ...keys, ...args], options);
    } catch (e) {
      throw this.failure(e);
    }
  }

  /**
   * `promise` (a command that takes no timeout of its own, such as a subscriber's `subscribe`,
   * which waits in the client's offline queue while Redis is down), failing as {@link script}
   * does once `commandTimeout` has passed.
   */
  protected async bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error("the command timed out"), { name: "TimeoutError" })), this.config.commandMs);
      (timer as { unref?: () => void }).unref?.();
    });
    try {
      return await Promise.race([promise, late]);
    } catch (e) {
      void promise.catch(() => undefined); // a late failure of the command itself: already answered
      throw this.failure(e);
    } finally {
      clearTimeout(timer);
    }
  }

  protected failure(e: unknown): Error {
    if (e instanceof EventError) return e;
    const name = (e as { name?: unknown } | undefined)?.name;
    const timedOut = typeof name === "string" && /Timeout/.test(name);
    const why = timedOut ? `did not answer within ${this.config.commandMs / 1000} s (down or overloaded)` : `failed: ${messageOf(e)}`;
    const error = new EventError(`redisStore: Redis at ${this.config.url} ${why}.`, "store_unavailable");
    error.cause = e;
    return error;
  }
  protected key(kind: string, id: string | number): string {
    return `${this.config.prefix}:${kind}:${id}`;
  }

  /**
   * Keeps an unacknowledged write for the event of `session` to wait for; `done` (a Global's
   * writes) hears its outcome first, so a failed write is undone before its event settles.
   */
  protected track(session: Session | undefined, promise: Promise<unknown>, done?: readonly GlobalWriteDone[]): void {
    const settled = promise.then(
      () => {
        if (done) for (const d of done) d(undefined);
        return undefined;
      },
      (e: unknown) => {
        const error = e instanceof Error ? e : this.failure(e);
        if (done) for (const d of done) d(error);
        return error;
      },
    );
    if (session === undefined) {
      this.detached.add(settled);
      void settled.then(() => this.detached.delete(settled));
      return;
    }
    const list = this.pending.get(session);
    if (list) list.push(settled);
    else this.pending.set(session, [settled]);
  }
}

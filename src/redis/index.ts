/**
 * `blockstate/redis`: `redisStore({ url, prefix })`, a store for `launch({ store })` that
 * shares Globals and sessions between every app launched on the same Redis and prefix
 * (docs/08). Node only; built on node-redis.
 *
 * What lives in Redis, under `prefix`:
 * - `<prefix>:g:<id>`: a Global's value (a hash: `v` its structured-clone bytes, `n` its version);
 * - `<prefix>:gl:<id>`: a Global's lock (S8 across processes), a lease of `globalLockTimeout`;
 * - `<prefix>:s:<hash>`: a session's saved values; `<prefix>:sl:<hash>`: its lease;
 * - channel `<prefix>:ch`: Global changes and lock releases;
 * - the server's relay (docs/07): `<prefix>:rb:<topic>` messages kept for a topic's next reader
 *   (`:n` their bytes), `<prefix>:rr:<topic>` its reader, channel `<prefix>:rc:<topic>`.
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import { createClient, RESP_TYPES } from "redis";
import type { AnyCell } from "../blocks/block";
import type { State } from "../blocks/state";
import { EventError, checkOptions, checkSeconds, describeValue, messageOf } from "../core/errors";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import type { GlobalWriteDone, Relay, RelayReader, SessionImage, Store, StoreLink } from "../runtime/store";

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The Redis server, as node-redis takes it. Default `"redis://127.0.0.1:6379"`. */
  url?: string;
  /**
   * Prefix of every key and channel. Apps (and processes) with the same Redis and prefix share
   * Globals and sessions; they must run the same app code (cells are matched by id).
   * Default `"blockstate"`.
   */
  prefix?: string;
  /** Largest Global value, in bytes of its structured-clone form. Default 1,048,576 (1 MiB). */
  maxGlobalBytes?: number;
  /**
   * Seconds a Redis command may take before the event that needs it fails (Redis down or
   * slow). Default 2.
   */
  commandTimeout?: number;
  /**
   * Seconds a session's lease lasts without renewal, at most 60. The owning process renews it
   * every third of that; a process that died loses its sessions to another after at most this
   * long. Default 15.
   */
  sessionLease?: number;
  /**
   * Seconds a process may hold a Global's lock (from reading the Global to committing it, S8).
   * A run that holds it longer loses it: its write is refused with an error. A process that
   * died holding it blocks that Global's locked writers for at most this long. Default 10.
   */
  globalLockTimeout?: number;
  /** Seconds a saved session is kept in Redis after its last save. Default 86,400 (one day). */
  sessionTtl?: number;
  /**
   * States kept in each process instead of Redis (values that cannot be serialised: a
   * connection, a function). A resumed session starts them from their default.
   */
  processLocal?: readonly State[];
}

const OPTIONS: readonly (keyof RedisStoreOptions)[] = ["url", "prefix", "maxGlobalBytes", "commandTimeout", "sessionLease", "globalLockTimeout", "sessionTtl", "processLocal"];

/** The longest `sessionLease`, in seconds: a dead owner's sessions return within a minute. */
export const MAX_SESSION_LEASE = 60;

/**
 * A store sharing Globals and sessions through Redis (docs/08). Synchronous: it connects on
 * the app's first `connect()`.
 *
 * ```ts
 * import { redisStore } from "blockstate/redis";
 * const app = demo.launch({ store: redisStore({ url: "redis://10.0.0.5:6379", prefix: "shop" }) });
 * ```
 *
 * @throws TypeError for an unknown option or an invalid value (named, with the value).
 */
export function redisStore(options: RedisStoreOptions = {}): Store {
  const o = checkOptions("redisStore()", options, OPTIONS);
  const { url = "redis://127.0.0.1:6379", prefix = "blockstate", maxGlobalBytes = 1 << 20, processLocal = [] } = o;
  if (typeof url !== "string" || url === "") throw new TypeError(`redisStore(): url must be a Redis URL; got ${describeValue(url)}.`);
  if (typeof prefix !== "string" || prefix === "" || /[\s|]/.test(prefix)) {
    throw new TypeError(`redisStore(): prefix must be a non-empty string without spaces or "|"; got ${describeValue(prefix)}.`);
  }
  if (typeof maxGlobalBytes !== "number" || !Number.isInteger(maxGlobalBytes) || maxGlobalBytes < 1 || maxGlobalBytes > 512 * 2 ** 20) {
    throw new TypeError(`redisStore(): maxGlobalBytes must be an integer from 1 to 536870912 (Redis's largest value); got ${describeValue(maxGlobalBytes)}.`);
  }
  if (!Array.isArray(processLocal)) throw new TypeError(`redisStore(): processLocal must be an array of States; got ${describeValue(processLocal)}.`);
  const sessionLease = checkSeconds("redisStore(): sessionLease", o.sessionLease ?? 15);
  if (sessionLease > MAX_SESSION_LEASE) throw new TypeError(`redisStore(): sessionLease must be at most ${MAX_SESSION_LEASE} seconds; got ${sessionLease}.`);
  const config: Config = {
    url,
    prefix,
    maxGlobalBytes,
    processLocal: new Set<unknown>(processLocal),
    commandMs: checkSeconds("redisStore(): commandTimeout", o.commandTimeout ?? 2) * 1000,
    leaseMs: Math.ceil(sessionLease * 1000),
    lockMs: Math.ceil(checkSeconds("redisStore(): globalLockTimeout", o.globalLockTimeout ?? 10) * 1000),
    sessionTtlMs: Math.ceil(checkSeconds("redisStore(): sessionTtl", o.sessionTtl ?? 86_400) * 1000),
  };
  return { _attach: (app: App) => new RedisLink(app, config) };
}

interface Config {
  url: string;
  prefix: string;
  maxGlobalBytes: number;
  processLocal: Set<unknown>;
  commandMs: number;
  leaseMs: number;
  lockMs: number;
  sessionTtlMs: number;
}

// Lua scripts: each runs atomically in Redis, so a lock, a read and a write are one round trip.

/**
 * KEYS: value, lock. ARGV: token, ms. Takes the lock (or renews it, when this process holds it
 * already): {1, value, version} or {0, ms left}.
 */
const LOCK = `
local o = redis.call('GET', KEYS[2])
if not o or o == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  local r = redis.call('HMGET', KEYS[1], 'v', 'n')
  return {1, r[1], r[2]}
end
return {0, redis.call('PTTL', KEYS[2])}`;

/**
 * KEYS: value, lock. ARGV: token ('' for a write without the lock), bytes, channel, id, origin,
 * keep ('1': keep the lock, renewed for ms), ms. Writes, frees (or keeps) the lock, publishes
 * the change; returns the version, or -1 when the lock is lost.
 */
const WRITE = `
if ARGV[1] ~= '' then
  if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
  if ARGV[6] == '1' then redis.call('PEXPIRE', KEYS[2], ARGV[7]) else redis.call('DEL', KEYS[2]) end
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'v', ARGV[2])
redis.call('PUBLISH', ARGV[3], 'c|' .. ARGV[5] .. '|' .. ARGV[4] .. '|' .. n .. '|' .. ARGV[2])
return n`;

/** KEYS: lock. ARGV: token, channel, id. Frees the lock if held; tells waiters. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'u|' .. ARGV[3])
end
return 1`;

/** KEYS: lease, data. ARGV: token, lease ms, bytes, data ms. Saves if the lease is free or ours. */
const SAVE = `
local o = redis.call('GET', KEYS[1])
if o and o ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return 1`;

/** KEYS: lease, data. ARGV: token, lease ms. Takes the lease: {1, data} or {0, ms left}. */
const RESUME = `
local o = redis.call('GET', KEYS[1])
if o and o ~= ARGV[1] then return {0, redis.call('PTTL', KEYS[1])} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, redis.call('GET', KEYS[2])}`;

/** KEYS: leases. ARGV: token, lease ms. Renews the leases still ours. */
const RENEW = `
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) end
end
return 1`;

/**
 * KEYS: lease, data. ARGV: token, forget ('1': delete the data too), channel, hash. Frees the
 * lease if ours, and tells a process waiting to resume the session.
 */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  if ARGV[2] == '1' then redis.call('DEL', KEYS[2]) end
  redis.call('PUBLISH', ARGV[3], 's|' .. ARGV[4])
end
return 1`;

/**
 * KEYS: reader, kept, kept bytes. ARGV: channel, message, max bytes, keep ms. To the reader (its
 * token first) or kept for the next; 0 when dropped (past max bytes kept).
 */
const RELAY = `
local r = redis.call('GET', KEYS[1])
if r then
  redis.call('PUBLISH', ARGV[1], r .. '|' .. ARGV[2])
  return 1
end
local b = tonumber(redis.call('GET', KEYS[3]) or '0')
if b + #ARGV[2] > tonumber(ARGV[3]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[3], b + #ARGV[2], 'PX', ARGV[4])
return 1`;

/** KEYS: reader, kept, kept bytes. ARGV: token, ms. Becomes the reader; returns what was kept. */
const TAKE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local kept = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2], KEYS[3])
return kept`;

/** KEYS: reader. ARGV: token. Stops being the reader (messages are kept again). */
const LEAVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/**
 * Milliseconds the relay keeps messages no reader took (a client that joined and never read):
 * then they are dropped.
 */
export const RELAY_KEEP_MS = 60_000;
/** Milliseconds a relay reader's claim lasts unless renewed (every third): a dead reader's topic keeps messages again after this. */
export const RELAY_READER_MS = 30_000;

function newClient(url: string, connectTimeout: number) {
  const socket = { connectTimeout, reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 500) };
  return createClient({ url, socket, disableClientInfo: true });
}
type Client = ReturnType<typeof newClient>;

/** A Global's lock this process holds in Redis (times in ms, `Date.now()`). */
interface Owned {
  /** When Redis expires it unless renewed (a write or a LOCK renews it). */
  until: number;
  /** When this process took it. */
  since: number;
  lastUsed: number;
  /** A run of this process holds it now. */
  inUse: boolean;
  /** Another process asked for it (`w|id`). */
  wanted: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Milliseconds a process keeps a Global's lock between its own runs before freeing it, when no
 * other process asked for it.
 */
export const LINGER_MS = 20;
/**
 * Milliseconds a process may keep running listeners under a Global's lock after another
 * process asked for it: contended locks change hands at most this often, so that each hand-over
 * (three round trips) is shared by several runs.
 */
export const MIN_HOLD_MS = 2;
type Reply = Buffer | number | null | Reply[];

/** What a run wrote to a Global under its lock: the last value's bytes, and each write's `done`. */
interface HeldWrite {
  bytes: Buffer;
  readonly done: GlobalWriteDone[];
}

const SEPARATOR = 0x7c; // "|"

/** The hooks of one launched app on Redis (see {@link StoreLink}). */
class RedisLink implements StoreLink {
  /** Tells this app instance's locks, leases and messages from other processes'. */
  private readonly token = randomBytes(12).toString("base64url");
  private readonly channel: string;
  private readonly globals = new Map<number, AnyCell>();
  /** The version of each Global's value this process holds (ignores older messages). */
  private readonly versions = new Map<number, number>();
  /** Bytes of the values `checkGlobal` accepted, for the write that follows. */
  private readonly encoded = new Map<number, { value: unknown; bytes: Buffer }>();
  /** Global locks this process holds in Redis, used by a run or kept between runs. */
  private readonly owned = new Map<number, Owned>();
  /** Globals whose lock a run of this process holds, with what to write when it frees it. */
  private readonly held = new Map<number, HeldWrite | undefined>();
  /** Runs waiting for a Global's lock, woken by its release. */
  private readonly lockWaiters = new Map<number, (() => void)[]>();
  /** Writes not yet acknowledged, by the session whose event made them. */
  private readonly pending = new Map<Session | undefined, Promise<Error | undefined>[]>();
  /** What each session's last save sent. */
  private readonly saved = new WeakMap<Session, Buffer>();
  /** Connects waiting for another process to hand a session over. */
  private readonly sessionWaiters = new Map<string, (() => void)[]>();
  /** Session hashes whose lease this process holds. */
  private readonly leases = new Set<string>();
  private client: Client | undefined;
  private subscriber: Client | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readers = 0;
  readonly relay: Relay = {
    publish: (topic, message, maxBytes) => this.relayPublish(topic, message, maxBytes),
    read: (topic, deliver) => this.relayRead(topic, deliver),
  };

  constructor(
    private readonly app: App,
    private readonly config: Config,
  ) {
    this.channel = `${config.prefix}:ch`;
    for (const cell of app.blocks._cells) {
      if (cell.kind === "global") {
        this.globals.set(cell._id, cell);
        if (!cell._isFactory) this.checkSerialisable(cell, cell._default);
      } else if (cell.kind === "state" && !config.processLocal.has(cell) && !cell._isFactory) this.checkSerialisable(cell, cell._default);
    }
  }

  private checkSerialisable(cell: AnyCell, value: unknown): void {
    try {
      serialize(value);
    } catch (e) {
      const hint = cell.kind === "state" ? ", or list it in redisStore({ processLocal: [...] }) to keep it in each process" : "";
      throw new TypeError(
        `launch(): ${cell.describe()} cannot be kept in Redis: its value ${describeValue(value)} cannot be serialised (${messageOf(e)}). ` +
          `Values are saved with structured clone (no functions, symbols or class prototypes); give it one that can be${hint}.`,
      );
    }
  }

  // #region Connection

  ready(): Promise<void> | undefined {
    if (this.loaded) return undefined;
    return (this.loading ??= this.start().catch((e: unknown) => {
      this.loading = undefined; // the next connect tries again
      throw e;
    }));
  }

  private async start(): Promise<void> {
    if (this.closed) throw new Error("redisStore: the app was closed.");
    if (!this.client) {
      const client = newClient(this.config.url, this.config.commandMs);
      // Errors are reported by the commands that fail; the client reconnects on its own.
      client.on("error", () => undefined);
      const subscriber = client.duplicate();
      subscriber.on("error", () => undefined);
      this.client = client;
      this.subscriber = subscriber;
      void client.connect().catch(() => undefined);
      void subscriber.connect().catch(() => undefined);
    }
    await Promise.all([this.whenReady(this.client), this.whenReady(this.subscriber!)]);
    if (!this.loaded) {
      await this.subscriber!.subscribe(this.channel, (message: Buffer) => this.onMessage(message), true);
      await this.loadGlobals();
      this.loaded = true;
      // After a Redis restart: messages were missed meanwhile, and a Redis without persistence
      // starts empty; the values it holds now are the truth.
      this.subscriber!.on("ready", () => {
        for (const [id, kept] of [...this.owned]) if (!kept.inUse) this.disown(id, kept);
        void this.loadGlobals().catch(() => undefined);
      });
    }
  }

  private whenReady(client: Client): Promise<void> {
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
  private async script(source: string, keys: string[], args: (string | Buffer)[]): Promise<Reply> {
    const client = this.client;
    if (!client || this.closed) throw new EventError("redisStore: the app was closed.", "store_unavailable");
    const options = { timeout: this.config.commandMs, rejectInFlight: true, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
    try {
      return await client.sendCommand<Reply>(["EVAL", source, String(keys.length), ...keys, ...args], options);
    } catch (e) {
      throw this.failure(e);
    }
  }

  private failure(e: unknown): Error {
    if (e instanceof EventError) return e;
    const name = (e as { name?: unknown } | undefined)?.name;
    const timedOut = typeof name === "string" && /Timeout/.test(name);
    const why = timedOut ? `did not answer within ${this.config.commandMs / 1000} s (down or overloaded)` : `failed: ${messageOf(e)}`;
    const error = new EventError(`redisStore: Redis at ${this.config.url} ${why}.`, "store_unavailable");
    error.cause = e;
    return error;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.renewTimer) clearInterval(this.renewTimer);
    await Promise.all([...this.pending.values()].flat());
    for (const [id, kept] of [...this.owned]) {
      this.disown(id, kept);
      this.track(undefined, this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]));
    }
    await Promise.all([...this.pending.values()].flat());
    // Sessions left with the app (not forgotten): another process may resume them at once.
    const hashes = [...this.leases];
    this.leases.clear();
    await Promise.all(hashes.map((h) => this.release(h, false).catch(() => undefined)));
    this.closed = true;
    for (const client of [this.subscriber, this.client]) {
      if (!client) continue;
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    }
  }

  private key(kind: string, id: string | number): string {
    return `${this.config.prefix}:${kind}:${id}`;
  }

  // #endregion
  // #region Relay

  private async relayPublish(topic: string, message: string, maxBytes: number): Promise<void> {
    await this.ready();
    const keys = [this.key("rr", topic), this.key("rb", topic), `${this.key("rb", topic)}:n`];
    await this.script(RELAY, keys, [this.key("rc", topic), message, String(maxBytes), String(RELAY_KEEP_MS)]);
  }

  /**
   * Subscribes before taking what was kept: a message published after the take reaches the
   * subscription, and is held until the kept ones are delivered (the two replies come on two
   * connections, in either order).
   */
  private async relayRead(topic: string, deliver: (message: string) => void): Promise<RelayReader> {
    await this.ready(); // a process whose first request is a read has not connected yet
    const subscriber = this.subscriber;
    if (!subscriber || this.closed) throw new EventError("redisStore: the app was closed.", "store_unavailable");
    const token = `${this.token}.${++this.readers}`;
    const channel = this.key("rc", topic);
    const readerKey = this.key("rr", topic);
    let held: string[] | undefined = [];
    let open = true;
    const listener = (raw: string) => {
      const bar = raw.indexOf("|");
      if (!open || raw.slice(0, bar) !== token) return; // another (older or newer) reader's
      const message = raw.slice(bar + 1);
      if (held) held.push(message);
      else deliver(message);
    };
    let renew: ReturnType<typeof setInterval> | undefined;
    const close = () => {
      if (!open) return;
      open = false;
      if (renew) clearInterval(renew);
      void subscriber.unsubscribe(channel, listener).catch(() => undefined);
      void this.script(LEAVE, [readerKey], [token]).catch(() => undefined);
    };
    let kept: Reply;
    try {
      await subscriber.subscribe(channel, listener);
      kept = await this.script(TAKE, [readerKey, this.key("rb", topic), `${this.key("rb", topic)}:n`], [token, String(RELAY_READER_MS)]);
    } catch (e) {
      close();
      throw this.failure(e);
    }
    const messages = (kept as Buffer[]).map((b) => b.toString("utf8"));
    messages.push(...held);
    held = undefined;
    renew = setInterval(() => void this.script(RENEW, [readerKey], [token, String(RELAY_READER_MS)]).catch(() => undefined), RELAY_READER_MS / 3);
    renew.unref?.();
    if (!open) clearInterval(renew);
    return { kept: messages, close };
  }

  // #endregion
  // #region Globals

  private async loadGlobals(): Promise<void> {
    const client = this.client!;
    const options = { timeout: this.config.commandMs, rejectInFlight: true, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
    await Promise.all(
      [...this.globals.values()].map(async (cell) => {
        let reply: Reply;
        try {
          reply = await client.sendCommand<Reply>(["HMGET", this.key("g", cell._id), "v", "n"], options);
        } catch (e) {
          throw this.failure(e);
        }
        const [bytes, n] = reply as (Buffer | null)[];
        // Absent (never written, or Redis restarted empty): this process's value stays.
        if (!bytes || !n) return this.versions.set(cell._id, 0);
        this.versions.set(cell._id, Number(n.toString()));
        this.app._applyGlobal(cell, deserialize(bytes));
      }),
    );
  }

  /** A message on the channel: `c|origin|id|version|bytes` (a change) or `u|id` (a lock freed). */
  private onMessage(message: Buffer): void {
    const kind = message[0];
    let at = 2;
    const field = () => {
      const end = message.indexOf(SEPARATOR, at);
      const text = message.toString("latin1", at, end < 0 ? message.length : end);
      at = end < 0 ? message.length : end + 1;
      return text;
    };
    if (kind === 0x75 /* u */) return this.wake(Number(field()));
    if (kind === 0x77 /* w */) return this.wanted(Number(field()));
    // A session hash may hold any character: the rest of the message.
    if (kind === 0x68 /* h */) return void this.handOver(message.toString("utf8", 2)).catch(() => undefined);
    if (kind === 0x73 /* s */) return this.wakeSession(message.toString("utf8", 2));
    if (kind !== 0x63 /* c */) return;
    const origin = field();
    const id = Number(field());
    const version = Number(field());
    const cell = this.globals.get(id);
    if (cell && origin !== this.token && version > (this.versions.get(id) ?? 0)) {
      this.versions.set(id, version);
      try {
        this.app._applyGlobal(cell, deserialize(message.subarray(at)));
      } catch {
        // Bytes this process cannot read (another app version): its next read of Redis decides.
      }
    }
    this.wake(id);
  }

  private wakeSession(hash: string): void {
    const waiters = this.sessionWaiters.get(hash);
    this.sessionWaiters.delete(hash);
    for (const w of waiters ?? []) w();
  }

  private wake(id: number): void {
    const waiters = this.lockWaiters.get(id);
    if (!waiters) return;
    this.lockWaiters.delete(id);
    for (const w of waiters) w();
  }

  checkGlobal(cell: AnyCell, value: unknown): void {
    let bytes: Buffer;
    try {
      bytes = serialize(value);
    } catch (e) {
      throw new EventError(
        `The value ${describeValue(value)} for ${cell.describe()} cannot be shared through Redis: ${messageOf(e)} (values are saved with structured clone). ${cell.describe()} keeps its previous value.`,
        "invalid_output",
      );
    }
    if (bytes.length > this.config.maxGlobalBytes) {
      throw new EventError(
        `The value for ${cell.describe()} takes ${bytes.length} bytes, over redisStore's maxGlobalBytes (${this.config.maxGlobalBytes}); ${cell.describe()} keeps its previous value.`,
        "value_too_large",
      );
    }
    this.encoded.set(cell._id, { value, bytes });
  }

  writeGlobal(session: Session | undefined, cell: AnyCell, value: unknown, done: GlobalWriteDone): void {
    const id = cell._id;
    const checked = this.encoded.get(id);
    this.encoded.delete(id);
    let bytes: Buffer;
    if (checked && checked.value === value) bytes = checked.bytes;
    else {
      try {
        bytes = serialize(value);
      } catch (e) {
        return this.track(session, Promise.reject(this.failure(e)), [done]);
      }
    }
    if (this.held.has(id)) {
      // Written when the lock is freed, in one script: its outcome is each of the run's writes'.
      const held = this.held.get(id);
      if (held) {
        held.bytes = bytes;
        held.done.push(done);
      } else this.held.set(id, { bytes, done: [done] });
      return;
    }
    this.track(session, this.write(cell, bytes, ""), [done]);
  }

  private async write(cell: AnyCell, bytes: Buffer, token: string, keep = false): Promise<void> {
    const id = cell._id;
    const args = [token, bytes, this.channel, String(id), this.token, keep ? "1" : "0", String(this.config.lockMs)];
    const n = (await this.script(WRITE, [this.key("g", id), this.key("gl", id)], args)) as number;
    if (n < 0) {
      this.owned.delete(id);
      throw new EventError(
        `${cell.describe()}'s write was refused: its lock in Redis ran out (globalLockTimeout ${this.config.lockMs / 1000} s) and another process may have written it since.`,
        "global_locked",
      );
    }
    if (n > (this.versions.get(id) ?? 0)) this.versions.set(id, n);
  }

  /**
   * Keeps an unacknowledged write for the event of `session` to wait for; `done` (a Global's
   * writes) hears its outcome first, so a failed write is undone before its event settles.
   */
  private track(session: Session | undefined, promise: Promise<unknown>, done?: readonly GlobalWriteDone[]): void {
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
    const list = this.pending.get(session);
    if (list) list.push(settled);
    else this.pending.set(session, [settled]);
  }

  async lockGlobals(_session: Session, cells: readonly AnyCell[]): Promise<void> {
    const taken: AnyCell[] = [];
    try {
      for (const cell of cells) {
        await this.lock(cell);
        taken.push(cell);
      }
    } catch (e) {
      for (const cell of taken.reverse()) {
        this.held.delete(cell._id);
        void this.script(UNLOCK, [this.key("gl", cell._id)], [this.token, this.channel, String(cell._id)]).catch(() => undefined);
      }
      throw e;
    }
  }

  /**
   * Takes one Global's lock, waiting while another process holds it; refreshes its value. A
   * lock this process kept from its last run (see {@link RedisLink.unlockGlobals}) costs no
   * round trip: nobody else wrote the Global under the lock meanwhile.
   */
  private async lock(cell: AnyCell): Promise<void> {
    const id = cell._id;
    const now = Date.now();
    const kept = this.owned.get(id);
    if (kept) {
      // While Redis is unreachable, take the slow path: the run fails before its handler runs.
      if (now < kept.until - this.config.commandMs && !kept.wanted && this.client!.isReady) {
        kept.inUse = true;
        this.held.set(id, undefined);
        return;
      }
      // Close to its expiry, or another process asked for it: take it anew (LOCK renews it).
      this.owned.delete(id);
      if (kept.wanted) this.track(undefined, this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]));
    }
    const deadline = now + this.config.lockMs + this.config.commandMs;
    let asked = false;
    for (;;) {
      // Listen for its release before asking, so a release between the two is not missed.
      let wake!: () => void;
      const released = new Promise<void>((resolve) => (wake = resolve));
      const waiters = this.lockWaiters.get(id);
      if (waiters) waiters.push(wake);
      else this.lockWaiters.set(id, [wake]);
      const reply = (await this.script(LOCK, [this.key("g", id), this.key("gl", id)], [this.token, String(this.config.lockMs)])) as Reply[];
      if (reply[0] === 1) {
        this.dropWaiter(id, wake);
        this.held.set(id, undefined);
        const at = Date.now();
        this.owned.set(id, { until: at + this.config.lockMs, since: at, lastUsed: at, inUse: true, wanted: false, timer: undefined });
        const [, bytes, n] = reply as [number, Buffer | null, Buffer | null];
        const version = n ? Number(n.toString()) : 0;
        if (bytes && version > (this.versions.get(id) ?? 0)) {
          this.versions.set(id, version);
          this.app._applyGlobal(cell, deserialize(bytes));
        }
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.dropWaiter(id, wake);
        throw new EventError(
          `${cell.describe()} stayed locked by another process for longer than globalLockTimeout + commandTimeout (${(this.config.lockMs + this.config.commandMs) / 1000} s); the listener was not run.`,
          "global_locked",
        );
      }
      if (!asked) {
        // Ask the holder to let go of a lock it keeps between runs.
        asked = true;
        this.track(undefined, this.client!.sendCommand(["PUBLISH", this.channel, `w|${id}`], { timeout: this.config.commandMs, rejectInFlight: true }));
      }
      // The release message wakes this; the timer covers a lock that expires (a dead holder).
      const wait = Math.max(1, Math.min(Number(reply[1]), left, 50));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([released, new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)))]);
      clearTimeout(timer);
      this.dropWaiter(id, wake);
    }
  }

  private dropWaiter(id: number, wake: () => void): void {
    const waiters = this.lockWaiters.get(id);
    if (!waiters) return;
    const i = waiters.indexOf(wake);
    if (i >= 0) waiters.splice(i, 1);
    if (waiters.length === 0) this.lockWaiters.delete(id);
  }

  /**
   * Frees the locks, writing what was written under them. Unless another process asked for a
   * lock (and this one has held it {@link MIN_HOLD_MS} at least), it is kept for this process's
   * next run of a listener locking it (renewed by the write), for at most {@link LINGER_MS}
   * idle: a process incrementing a Global in a loop pays one round trip per run, not two.
   */
  unlockGlobals(session: Session, cells: readonly AnyCell[]): void {
    const now = Date.now();
    for (let i = cells.length - 1; i >= 0; i--) {
      const cell = cells[i];
      const id = cell._id;
      if (!this.held.has(id)) continue; // taking it failed: nothing held for this run
      const written = this.held.get(id);
      this.held.delete(id);
      const kept = this.owned.get(id);
      const keep = kept !== undefined && !this.closed && (!kept.wanted || now - kept.since < MIN_HOLD_MS) && now < kept.until - 2 * this.config.commandMs;
      if (!keep) {
        if (kept) this.disown(id, kept);
        if (written) this.track(session, this.write(cell, written.bytes, this.token), written.done);
        else this.track(session, this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]));
        continue;
      }
      kept.inUse = false;
      kept.lastUsed = now;
      if (written) {
        kept.until = now + this.config.lockMs;
        this.track(session, this.write(cell, written.bytes, this.token, true), written.done);
      }
      this.armLinger(id, kept);
    }
  }

  private disown(id: number, kept: Owned): void {
    if (this.owned.get(id) === kept) this.owned.delete(id);
    if (kept.timer) clearTimeout(kept.timer);
    kept.timer = undefined;
  }

  /** Frees a kept lock nobody in this process used for {@link LINGER_MS}. */
  private armLinger(id: number, kept: Owned): void {
    if (kept.timer) return;
    kept.timer = setTimeout(() => {
      kept.timer = undefined;
      if (this.owned.get(id) !== kept || kept.inUse) return;
      const idle = Date.now() - kept.lastUsed;
      if (idle < LINGER_MS && !kept.wanted) return this.armLinger(id, kept);
      this.owned.delete(id);
      this.track(undefined, this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]));
    }, LINGER_MS);
    kept.timer.unref?.();
  }

  /** Another process waits for a lock this one keeps (`w|id`): idle, it is freed now. */
  private wanted(id: number): void {
    const kept = this.owned.get(id);
    if (!kept) return;
    kept.wanted = true;
    if (kept.inUse) return; // freed at its unlock (after MIN_HOLD_MS)
    this.disown(id, kept);
    this.track(undefined, this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]));
  }

  // #endregion
  // #region Sessions

  async settled(session: Session): Promise<void> {
    const writes = this.pending.get(session);
    if (writes) {
      this.pending.delete(session);
      for (const error of await Promise.all(writes)) if (error) throw error;
    }
    await this.save(session);
  }

  private async save(session: Session): Promise<void> {
    const image = session._image((cell) => !this.config.processLocal.has(cell));
    let bytes: Buffer;
    try {
      bytes = serialize(image);
    } catch (e) {
      const culprit = image.values.find(([, v]) => !canSerialise(v));
      const cell = culprit ? session.app.blocks._blocksById[culprit[0]] : undefined;
      const what = cell ? `${cell.describe()} holds ${describeValue(culprit![1])}, which` : "a value";
      throw new EventError(
        `Session ${session.sessionHash} could not be saved to Redis: ${what} cannot be serialised (${messageOf(e)}). ` +
          "List such States in redisStore({ processLocal: [...] }) to keep them in each process.",
        "store_unserialisable",
      );
    }
    const hash = session.sessionHash;
    // Nothing changed since the last save (a listener that wrote only Globals): nothing to send;
    // the lease is renewed by its timer.
    const last = this.saved.get(session);
    if (last && last.equals(bytes) && this.leases.has(hash)) return;
    const ok = await this.script(SAVE, [this.key("sl", hash), this.key("s", hash)], [this.token, String(this.config.leaseMs), bytes, String(this.config.sessionTtlMs)]);
    if (ok !== 1) {
      this.leases.delete(hash);
      throw new EventError(
        `Session ${hash} is now run by another process (this one lost its lease); this event's values were not saved. Connect again to continue there.`,
        "session_locked",
      );
    }
    this.saved.set(session, bytes);
    this.hold(hash);
  }

  /**
   * Takes the session's lease: at once when it is free; else asks its owner to hand it over
   * (the owner does when the session has nothing running) and waits up to `commandTimeout`.
   */
  async resume(sessionHash: string): Promise<SessionImage | undefined> {
    const keys = [this.key("sl", sessionHash), this.key("s", sessionHash)];
    const deadline = Date.now() + this.config.commandMs;
    let reply: Reply[];
    for (let asked = false; ; asked = true) {
      let wake!: () => void;
      const freed = new Promise<void>((resolve) => (wake = resolve));
      const waiters = this.sessionWaiters.get(sessionHash);
      if (waiters) waiters.push(wake);
      else this.sessionWaiters.set(sessionHash, [wake]);
      reply = (await this.script(RESUME, keys, [this.token, String(this.config.leaseMs)])) as Reply[];
      const left = deadline - Date.now();
      if (reply[0] === 1 || left <= 0) {
        this.sessionWaiters.delete(sessionHash);
        break;
      }
      if (!asked) await this.client!.sendCommand(["PUBLISH", this.channel, `h|${sessionHash}`], { timeout: this.config.commandMs, rejectInFlight: true }).catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([freed, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, 50))))]);
      clearTimeout(timer);
    }
    if (reply[0] !== 1) {
      const seconds = Math.max(0, Number(reply[1])) / 1000;
      throw new EventError(
        `connect(): session ${sessionHash} is running in another process, which holds its lease and did not hand it over within commandTimeout ` +
          `(${this.config.commandMs / 1000} s: it has events running, or it died and its lease ends within ${seconds.toFixed(1)} s); connect again later.`,
        "session_locked",
      );
    }
    this.hold(sessionHash);
    const bytes = reply[1] as Buffer | null;
    return bytes ? (deserialize(bytes) as SessionImage) : undefined;
  }

  private hold(hash: string): void {
    this.leases.add(hash);
    if (this.renewTimer || this.closed) return;
    this.renewTimer = setInterval(() => {
      if (this.leases.size === 0) return;
      const keys = [...this.leases].map((h) => this.key("sl", h));
      void this.script(RENEW, keys, [this.token, String(this.config.leaseMs)]).catch(() => undefined);
    }, this.config.leaseMs / 3);
    this.renewTimer.unref?.();
  }

  private release(hash: string, forget: boolean): Promise<Reply> {
    return this.script(RELEASE, [this.key("sl", hash), this.key("s", hash)], [this.token, forget ? "1" : "0", this.channel, hash]);
  }

  /**
   * Another process asks for a session this one holds (`h|hash`): when it has nothing running,
   * it is saved already (after its last event), so it leaves this process, not closed (no
   * unload listeners, S13), and its lease is freed for the asker.
   */
  private async handOver(hash: string): Promise<void> {
    if (!this.leases.has(hash)) return;
    const session = this.app.session(hash);
    if (!session) return;
    await session.idle();
    const writes = this.pending.get(session);
    if (writes) await Promise.all(writes);
    if (session._busyNow || session._removed || !this.leases.has(hash)) return;
    this.app._removeSession(session, false);
  }

  sessionRemoved(session: Session, forget: boolean): void {
    const hash = session.sessionHash;
    this.pending.delete(session);
    if (!this.leases.delete(hash) || this.closed) return;
    // Not an event's: kept (under no session) so that close() waits for it.
    this.track(undefined, this.release(hash, forget));
  }

  // #endregion
}

function canSerialise(value: unknown): boolean {
  try {
    serialize(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * `blockstate/redis`: `redisStore({ url, prefix })`, a store for `launch({ store })` that
 * shares Globals and sessions between every app launched on the same Redis and prefix
 * (docs/08). Node only; built on node-redis.
 *
 * What lives in Redis, under `prefix`:
 * - `<prefix>:g:<id>`: a Global's value (a hash: `v` its structured-clone bytes, `n` its version,
 *   `e` the epoch its count started in);
 * - `<prefix>:gl:<id>`: a Global's lock (S8 across processes), a lease of `globalLockTimeout`;
 * - `<prefix>:s:<hash>`: a session's saved values; `<prefix>:sl:<hash>`: its lease;
 * - `<prefix>:ss`: every saved session, scored by when its lease runs out (adoption, docs/08);
 * - channel `<prefix>:ch`: Global changes and lock releases;
 * - the server's relay (docs/07): `<prefix>:rb:<topic>` messages kept for a topic's next reader
 *   (`:n` their bytes), `<prefix>:rr:<topic>` its reader, channel `<prefix>:rc:<topic>`.
 *
 * @packageDocumentation
 */
import type { State } from "../blocks/state";
import { checkOptions, checkSeconds, describeValue } from "../core/errors";
import type { App } from "../runtime/app";
import { STORE, type Store } from "../runtime/store";
import type { Config } from "./connection";
import { RedisLink } from "./link";
import type { ADOPT_BATCH } from "./sessions";

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The Redis server, as node-redis takes it. Default `"redis://127.0.0.1:6379"`. */
  url?: string;
  /**
   * Prefix of every key and channel. Apps (and processes) with the same Redis and prefix share
   * Globals and sessions; they must run the same app code (cells are matched by id). What one
   * reads there that it cannot use (another app's or version's values, damaged bytes) is
   * reported and left out, never fatal (docs/08, Failures).
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
   * long: to a `connect` with their hash, or else to a process that adopts them (as closed
   * sessions, ended there by retention and State time-to-live, S20-S22), which each connected
   * process looks for every third of `sessionLease` ({@link ADOPT_BATCH} at most per round).
   * Default 15.
   */
  sessionLease?: number;
  /**
   * Seconds a process may hold a Global's lock (from reading the Global to committing it, S8).
   * A run that holds it longer loses it: its write is refused with an error. A process that
   * died holding it blocks that Global's locked writers for at most this long. Default 10.
   */
  globalLockTimeout?: number;
  /**
   * Seconds a saved session is kept in Redis after its last save or, while a process holds it,
   * its last lease renewal. Default 86,400 (one day).
   */
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
  return { [STORE]: true, _attach: (app: App) => new RedisLink(app, config) };
}

export { LINGER_MS, MIN_HOLD_MS } from "./globals";
export { ADOPT_BATCH } from "./sessions";
export { RELAY_KEEP_MS, RELAY_READER_MS } from "./relay";

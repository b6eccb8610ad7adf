/**
 * Globals on Redis (S7, S8, S56 across processes, docs/08): `<prefix>:g:<id>` a Global's value
 * (a hash: `v` its structured-clone bytes, `n` its version, `e` its epoch), `<prefix>:gl:<id>`
 * its lock, a lease of `globalLockTimeout`; changes and lock releases go on the channel
 * `<prefix>:ch`.
 *
 * @packageDocumentation
 */
import { deserialize, serialize } from "node:v8";
import type { AnyCell } from "../blocks/block";
import { EventError, describeValue, messageOf } from "../core/errors";
import type { Session } from "../runtime/session";
import type { GlobalWriteDone } from "../runtime/store";
import { type Reply } from "./connection";
import { RedisRelay } from "./relay";
import { LOCK, READ, UNLOCK, WRITE } from "./scripts";

/**
 * How often a process waiting for a Global's lock asks its holder again to let go (ms): often
 * enough that a lock changes hands within a fraction of `globalLockTimeout`, seldom enough that a
 * busy holder runs many runs per hold.
 */
const ASK_AGAIN_MS = 250;

/**
 * Whether epoch `a` began after epoch `b`. An epoch is Redis's `TIME` when a count started,
 * `"seconds.microseconds"` (microseconds not zero-padded); `""` is a count older than epochs.
 */
function epochAfter(a: string, b: string): boolean {
  const [as, aus = 0] = a.split(".").map(Number);
  const [bs, bus = 0] = b.split(".").map(Number);
  return (as || 0) !== (bs || 0) ? (as || 0) > (bs || 0) : aus > bus;
}

/**
 * Which write of a Global a value is: its version `n`, counted within its epoch (a new one each
 * time Redis starts the count again: the key deleted or evicted, a Redis restarted empty).
 */
interface Version {
  readonly epoch: string;
  readonly n: number;
}

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

/** What a run wrote to a Global under its lock: the last value's bytes, and each write's `done`. */
interface HeldWrite {
  bytes: Buffer;
  readonly done: GlobalWriteDone[];
}

/** @internal The Globals' part of the store. */
export abstract class RedisGlobals extends RedisRelay {
  protected readonly globals = new Map<number, AnyCell>();
  /** The version of each Global's value this process holds (ignores older messages). */
  protected readonly versions = new Map<number, Version>();
  /** Bytes of the values `checkGlobal` accepted, for the write that follows. */
  protected readonly encoded = new Map<number, { value: unknown; bytes: Buffer }>();
  /** Global locks this process holds in Redis, used by a run or kept between runs. */
  protected readonly owned = new Map<number, Owned>();
  /** Globals whose lock a run of this process holds, with what to write when it frees it. */
  protected readonly held = new Map<number, HeldWrite | undefined>();
  /** Runs waiting for a Global's lock, woken by its release. */
  protected readonly lockWaiters = new Map<number, (() => void)[]>();

  /**
   * Takes every Global's value as Redis holds it now (see {@link RedisGlobals.refresh}): when the
   * app connects, and after a Redis restart. One READ script per Global, in parallel.
   *
   * @throws what a READ throws (Redis unreachable): the app's first connect fails, and the next
   *   one tries again.
   */
  protected async loadGlobals(): Promise<void> {
    await Promise.all(
      [...this.globals.values()].map(async (cell) => this.refresh(cell, (await this.script(READ, [this.key("g", cell._id)], [])) as Reply[])),
    );
  }

  /**
   * Takes a Global's value as Redis holds it now (a READ reply, or a LOCK reply's rest: bytes,
   * version, epoch, and the key's type when it is not a hash) as the truth, whenever its version
   * differs from this process's, older or not. Absent (never written, deleted, a Redis restarted
   * empty), this process's value stays, for its next write.
   */
  protected refresh(cell: AnyCell, [bytes, n, epoch, type]: Reply[]): void {
    const version = { epoch: epoch ? String(epoch) : "", n: readVersion(n as Buffer | null) };
    const local = this.versions.get(cell._id);
    if (local && local.epoch === version.epoch && local.n === version.n) return;
    this.versions.set(cell._id, version);
    if (type) this.unreadable(cell, `the key holds a Redis ${String(type)}, not a hash`, "it");
    else if (bytes) this.applyBytes(cell, bytes as Buffer);
  }

  /**
   * A Global's value as Redis holds it. Bytes this app cannot read (another app or version on
   * the same prefix, a hand-written key) are reported on `app.errors$` and leave this process's
   * value as it is: connects and locks go on, and the Global's next write replaces them.
   */
  protected applyBytes(cell: AnyCell, bytes: Buffer): void {
    let value: unknown;
    try {
      value = deserialize(bytes);
    } catch {
      return this.unreadable(cell, `its ${bytes.length} bytes are not structured-clone data`, "them");
    }
    this.app._applyGlobal(cell, value);
  }

  /**
   * Reports on `app.errors$` a Global's value in Redis that cannot be read, saying `why` and
   * `what` the Global's next write replaces ("them", the bytes; "it", the key).
   */
  protected unreadable(cell: AnyCell, why: string, what: string): void {
    const message =
      `${cell.describe()}'s value in Redis (key ${this.key("g", cell._id)}) could not be read: ${why}. ` +
      `This process keeps its value, ${describeValue(this.app._readGlobal(cell._node))}, until the Global's next write replaces ${what}.`;
    this.app._reportFailure(undefined, { source: "store", error: new Error(message), cell: cell.describe() }, message);
  }

  /**
   * Takes a change another process wrote (its message) or this one did (a WRITE's reply) when
   * it is newer than this process's value: a later version of the same epoch, or a later epoch
   * (Redis started the count again; a late message of an older epoch is not newer). Returns
   * whether it did.
   */
  protected advance(id: number, version: Version): boolean {
    const local = this.versions.get(id);
    if (local && (local.epoch === version.epoch ? local.n >= version.n : !epochAfter(version.epoch, local.epoch))) return false;
    this.versions.set(id, version);
    return true;
  }

  protected wake(id: number): void {
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

  protected async write(cell: AnyCell, bytes: Buffer, token: string, keep = false): Promise<void> {
    const id = cell._id;
    const args = [token, bytes, this.channel, String(id), this.token, keep ? "1" : "0", String(this.config.lockMs)];
    const reply = await this.script(WRITE, [this.key("g", id), this.key("gl", id)], args);
    if (!Array.isArray(reply)) {
      this.owned.delete(id);
      throw new EventError(
        `${cell.describe()}'s write was refused: its lock in Redis ran out (globalLockTimeout ${this.config.lockMs / 1000} s) and another process may have written it since.`,
        "global_locked",
      );
    }
    this.advance(id, { epoch: String(reply[1]), n: reply[0] as number });
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
        const kept = this.owned.get(cell._id);
        if (kept) this.disown(cell._id, kept);
        void this.unlockKey(cell._id).catch(() => undefined);
      }
      throw e;
    }
  }

  /**
   * Takes one Global's lock, waiting while another process holds it; refreshes its value. A
   * lock this process kept from its last run (see {@link RedisLink.unlockGlobals}) costs no
   * round trip: nobody else wrote the Global under the lock meanwhile.
   */
  protected async lock(cell: AnyCell): Promise<void> {
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
      if (kept.wanted) this.track(undefined, this.unlockKey(id));
    }
    const deadline = now + this.config.lockMs + this.config.commandMs;
    // When this process last asked the holder to let go (0: not yet).
    let asked = 0;
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
        // Under the lock, what Redis holds is the truth, even an older version (a failover).
        this.refresh(cell, reply.slice(1));
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
      // Ask the holder to let go of a lock it keeps between runs, and again every ASK_AGAIN_MS
      // while this process waits: a holder that let go may have taken it anew first, and its new
      // hold knows nothing of the request. Asking after every failed LOCK would make a busy holder
      // hand over after each run (measured: half the increments per second of 3 contending
      // processes, bench/redis.ts).
      const at = Date.now();
      if (at - asked >= ASK_AGAIN_MS) {
        asked = at;
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

  protected dropWaiter(id: number, wake: () => void): void {
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
        else this.track(session, this.unlockKey(id));
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

  /** Frees the lock of Global `id` in Redis if this process holds it (the UNLOCK script, which tells the processes waiting for it). */
  protected unlockKey(id: number): Promise<Reply> {
    return this.script(UNLOCK, [this.key("gl", id)], [this.token, this.channel, String(id)]);
  }

  protected disown(id: number, kept: Owned): void {
    if (this.owned.get(id) === kept) this.owned.delete(id);
    if (kept.timer) clearTimeout(kept.timer);
    kept.timer = undefined;
  }

  /** Frees a kept lock nobody in this process used for {@link LINGER_MS}. */
  protected armLinger(id: number, kept: Owned): void {
    if (kept.timer) return;
    kept.timer = setTimeout(() => {
      kept.timer = undefined;
      if (this.owned.get(id) !== kept || kept.inUse) return;
      const idle = Date.now() - kept.lastUsed;
      if (idle < LINGER_MS && !kept.wanted) return this.armLinger(id, kept);
      this.owned.delete(id);
      this.track(undefined, this.unlockKey(id));
    }, LINGER_MS);
    kept.timer.unref?.();
  }

  /** Another process waits for a lock this one keeps (`w|id`): idle, it is freed now. */
  protected wanted(id: number): void {
    const kept = this.owned.get(id);
    if (!kept) return;
    kept.wanted = true;
    if (kept.inUse) return; // freed at its unlock (after MIN_HOLD_MS)
    this.disown(id, kept);
    this.track(undefined, this.unlockKey(id));
  }
}

/** A Global's version as Redis holds it: 0 when absent or not a count (see WRITE). */
function readVersion(n: Buffer | null): number {
  const version = n ? Number(n.toString()) : 0;
  return Number.isSafeInteger(version) && version >= 0 ? version : 0;
}

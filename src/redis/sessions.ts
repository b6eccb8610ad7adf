/**
 * Sessions on Redis (docs/08): `<prefix>:s:<hash>` a session's saved values, `<prefix>:sl:<hash>`
 * its lease; hand-over requests and lease releases go on the channel `<prefix>:ch`.
 *
 * @packageDocumentation
 */
import { deserialize, serialize } from "node:v8";
import { EventError, describeValue, isRecord, messageOf } from "../core/errors";
import type { Session } from "../runtime/session";
import { sessionImage } from "../runtime/session-image";
import type { SessionImage } from "../runtime/store";
import { type Reply } from "./connection";
import { RedisGlobals } from "./globals";
import { ADOPT, RELEASE, RENEW_SESSIONS, RESUME, SAVE } from "./scripts";

/**
 * Most listed sessions one adoption round looks at (and so adopts), per process: a round is one
 * script of bounded work, every third of `sessionLease`.
 */
export const ADOPT_BATCH = 100;

/** @internal The sessions' part of the store. */
export abstract class RedisSessions extends RedisGlobals {
  /** What each session's last save sent (forgotten when Redis may have lost it, see {@link resave}). */
  protected readonly saved = new WeakMap<Session, Buffer>();
  /** Connects waiting for another process to hand a session over. */
  protected readonly sessionWaiters = new Map<string, (() => void)[]>();
  /** Session hashes whose lease this process holds. */
  protected readonly leases = new Set<string>();
  protected renewTimer: ReturnType<typeof setInterval> | undefined;
  /** The sorted set listing every saved session by when its lease runs out (see ADOPT). */
  protected readonly index = `${this.config.prefix}:ss`;
  private adopting = false;
  /** The last failure of each kind of round (renewal, adoption), reported once until one of that kind succeeds. */
  private readonly roundFailures = new Map<string, string>();

  protected wakeSession(hash: string): void {
    const waiters = this.sessionWaiters.get(hash);
    this.sessionWaiters.delete(hash);
    for (const w of waiters ?? []) w();
  }

  async settled(session: Session): Promise<void> {
    const writes = this.pending.get(session);
    if (writes) {
      this.pending.delete(session);
      for (const error of await Promise.all(writes)) if (error) throw error;
    }
    await this.save(session);
  }

  protected async save(session: Session): Promise<void> {
    const image = sessionImage(session, (cell) => !this.config.processLocal.has(cell));
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
    const keys = [this.key("sl", hash), this.key("s", hash), this.index];
    const ok = await this.script(SAVE, keys, [this.token, String(this.config.leaseMs), bytes, String(this.config.sessionTtlMs), hash]);
    if (ok !== 1) {
      this.leases.delete(hash);
      void this.drop(session).catch(() => undefined);
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
   * Saved values this app cannot read (see {@link readImage}) resolve as the reason, a string:
   * the lease is held all the same, and the session's next save replaces them.
   */
  async resume(sessionHash: string): Promise<SessionImage | string | undefined> {
    const keys = [this.key("sl", sessionHash), this.key("s", sessionHash), this.index];
    const deadline = Date.now() + this.config.commandMs;
    let reply: Reply[];
    for (let asked = false; ; asked = true) {
      let wake!: () => void;
      const freed = new Promise<void>((resolve) => (wake = resolve));
      const waiters = this.sessionWaiters.get(sessionHash);
      if (waiters) waiters.push(wake);
      else this.sessionWaiters.set(sessionHash, [wake]);
      reply = (await this.script(RESUME, keys, [this.token, String(this.config.leaseMs), sessionHash])) as Reply[];
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
    return reply[1] === null ? undefined : readSaved(reply[1]);
  }

  protected hold(hash: string): void {
    this.leases.add(hash);
    this.armRounds();
  }

  /**
   * Every third of `sessionLease`, while the app is connected: renews the leases this process
   * holds (their scores in the index, and their saved values' `sessionTtl`), saves again those
   * whose lease or saved values were lost, then adopts sessions other processes left.
   */
  protected armRounds(): void {
    if (this.renewTimer || this.closed) return;
    this.renewTimer = setInterval(() => {
      if (this.leases.size > 0) {
        const hashes = [...this.leases];
        const keys = [this.index, ...hashes.flatMap((h) => [this.key("sl", h), this.key("s", h)])];
        const args = [this.token, String(this.config.leaseMs), String(this.config.sessionTtlMs), ...hashes];
        const renewal = this.script(RENEW_SESSIONS, keys, args).then((lost) => this.resave((lost as Buffer[]).map(String)));
        this.watchRound("The leases of the sessions this process holds could not be renewed in Redis", renewal);
      }
      this.watchRound("Sessions other processes left in Redis could not be adopted", this.adopt());
    }, this.config.leaseMs / 3);
    this.renewTimer.unref?.();
  }

  /**
   * Reports a round that failed on `app.errors$` (source `"store"`), `what` and the reason: once,
   * until a round of the same kind succeeds, as the next round tries again anyway.
   */
  private watchRound(what: string, round: Promise<unknown>): void {
    void round.then(
      () => this.roundFailures.delete(what),
      (e: unknown) => {
        const message = `${what} (tried again every third of sessionLease): ${messageOf(e)}`;
        if (this.roundFailures.get(what) === message) return;
        this.roundFailures.set(what, message);
        this.app._reportFailure(undefined, { source: "store", error: new Error(message) }, message);
      },
    );
  }

  /**
   * Saves these held sessions again, whatever their last save sent, when Redis may have lost
   * them (restarted empty, their lease run out): a save re-takes a lease nobody holds; one
   * another process took is lost, and the session dropped here (see {@link drop}).
   */
  protected resave(hashes: Iterable<string>): void {
    for (const hash of hashes) {
      const session = this.leases.has(hash) ? this.app.session(hash) : undefined;
      if (!session) continue;
      this.saved.delete(session);
      void this.sessionChanged(session);
    }
  }

  /**
   * A session whose lease another process took (docs/08): it leaves this process once idle,
   * not closed (as handed over), unless a save took the lease back meanwhile.
   */
  protected async drop(session: Session): Promise<void> {
    await session.idle();
    if (session._busyNow || session._removed || this.leases.has(session.sessionHash)) return;
    this.app._removeSession(session, false);
  }

  /**
   * Adopts sessions whose process died or let go of them (docs/08): at most
   * {@link ADOPT_BATCH}, and no more than the app has room for (`sessionCapacity`: an adoption
   * never evicts). Each is held here as closed, since it closed in its old process or else since
   * its lease ran out, so that retention (S20) and time-to-live (S21, S22) end it here, delete
   * callbacks and all; a reconnect reopens it (S13). Resolves with the hashes adopted.
   */
  protected async adopt(): Promise<string[]> {
    const room = Math.min(ADOPT_BATCH, this.app.sessionCapacity - this.app.sessionCount);
    if (room <= 0 || this.adopting || this.closed || !this.loaded) return [];
    this.adopting = true;
    let reply: Reply[];
    try {
      reply = (await this.script(ADOPT, [this.index], [this.token, String(this.config.leaseMs), String(room), `${this.config.prefix}:`])) as Reply[];
    } finally {
      this.adopting = false;
    }
    const adopted: string[] = [];
    for (let i = 0; i < reply.length; i += 3) {
      const hash = (reply[i] as Buffer).toString("utf8");
      const overdue = Number(reply[i + 1]);
      this.leases.add(hash);
      const image = readSaved(reply[i + 2]);
      if (typeof image === "string") {
        // Values this app cannot read (another app's, or a damaged save): nobody can resume
        // them, and kept they would be picked again each round, crowding out the others.
        this.leases.delete(hash);
        this.track(undefined, this.release(hash, true));
        const message = `Session ${hash} was left in Redis by a process that is gone, with saved values this app cannot read (${image}); they were deleted.`;
        this.app._reportFailure(undefined, { source: "store", error: new Error(message), sessionHash: hash }, message);
        continue;
      }
      const session = this.app._adopt(hash, image, image.closedAt ?? this.app.clock.now() - overdue);
      if (!session) {
        if (this.leases.delete(hash) && !this.closed) this.track(undefined, this.release(hash, false));
        continue;
      }
      adopted.push(hash);
      // Its closing time, so a process adopting it after this one keeps it.
      if (image.closedAt === undefined) void this.sessionChanged(session);
    }
    return adopted;
  }

  protected release(hash: string, forget: boolean): Promise<Reply> {
    const keys = [this.key("sl", hash), this.key("s", hash), this.index];
    return this.script(RELEASE, keys, [this.token, forget ? "1" : "0", this.channel, hash, String(this.config.leaseMs)]);
  }

  sessionChanged(session: Session): Promise<void> | undefined {
    if (!this.leases.has(session.sessionHash) || this.closed) return undefined;
    const saved = this.save(session);
    // Not an event's: kept (under no session) so that close() waits for it.
    this.track(undefined, saved);
    return saved.catch(() => undefined);
  }

  /**
   * Another process asks for a session this one holds (`h|hash`): when it has nothing running,
   * it is saved already (after its last event), so it leaves this process, not closed (no
   * unload listeners, S13), and its lease is freed for the asker.
   */
  protected async handOver(hash: string): Promise<void> {
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
}

/**
 * A session's saved values as a script read them (see `savedData` in scripts.ts): its bytes, as
 * {@link readImage} reads them, or `[type]` for a key of another type (a hash, a list: written
 * by hand or by another app), which cannot be read either.
 */
function readSaved(saved: Reply): SessionImage | string {
  return Array.isArray(saved) ? `the key holds a Redis ${String(saved[0])}, not a string` : readImage(saved as Buffer);
}

/**
 * A session's saved bytes as a {@link SessionImage}, or why they are not one: bytes that do not
 * deserialise, or a value of another shape (another app, or another version of it, on the same
 * prefix; a hand-written key). Never the deserialiser's own message: it may reach a client.
 * Only the shape is checked here; each value is checked by its cell when loaded.
 */
export function readImage(bytes: Buffer): SessionImage | string {
  let image: unknown;
  try {
    image = deserialize(bytes);
  } catch {
    return `its ${bytes.length} bytes are not structured-clone data`;
  }
  // No holes, checked first: a sparse array of length 2^32 - 1 takes 38 bytes, and `every`
  // walks its length (110 s), where Object.keys lists only the elements it has.
  const pairs = (list: unknown, second: (v: unknown) => boolean) =>
    Array.isArray(list) &&
    Object.keys(list).length === list.length &&
    list.every((e) => Array.isArray(e) && e.length === 2 && Number.isSafeInteger(e[0]) && e[0] >= 0 && second(e[1]));
  if (
    !isRecord(image) ||
    !pairs(image.values, () => true) ||
    !pairs(image.props, isRecord) ||
    (image.writtenAt !== undefined && !pairs(image.writtenAt, Number.isFinite)) ||
    (image.closedAt !== undefined && !Number.isFinite(image.closedAt))
  ) {
    return `they hold ${describeValue(image)}, not { values: [id, value][], props: [id, props][] }`;
  }
  return image as unknown as SessionImage;
}

function canSerialise(value: unknown): boolean {
  try {
    serialize(value);
    return true;
  } catch {
    return false;
  }
}

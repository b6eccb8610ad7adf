/**
 * Sessions on Redis (docs/08): `<prefix>:s:<hash>` a session's saved values, `<prefix>:sl:<hash>`
 * its lease; hand-over requests and lease releases go on the channel `<prefix>:ch`.
 *
 * @packageDocumentation
 */
import { deserialize, serialize } from "node:v8";
import { EventError, describeValue, messageOf } from "../core/errors";
import type { Session } from "../runtime/session";
import type { SessionImage } from "../runtime/store";
import { type Reply } from "./connection";
import { RedisGlobals } from "./globals";
import { RELEASE, RENEW, RESUME, SAVE } from "./scripts";

/** @internal The sessions' part of the store. */
export abstract class RedisSessions extends RedisGlobals {
  /** What each session's last save sent. */
  protected readonly saved = new WeakMap<Session, Buffer>();
  /** Connects waiting for another process to hand a session over. */
  protected readonly sessionWaiters = new Map<string, (() => void)[]>();
  /** Session hashes whose lease this process holds. */
  protected readonly leases = new Set<string>();
  protected renewTimer: ReturnType<typeof setInterval> | undefined;

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

  protected hold(hash: string): void {
    this.leases.add(hash);
    if (this.renewTimer || this.closed) return;
    this.renewTimer = setInterval(() => {
      if (this.leases.size === 0) return;
      const keys = [...this.leases].map((h) => this.key("sl", h));
      void this.script(RENEW, keys, [this.token, String(this.config.leaseMs)]).catch(() => undefined);
    }, this.config.leaseMs / 3);
    this.renewTimer.unref?.();
  }

  protected release(hash: string, forget: boolean): Promise<Reply> {
    return this.script(RELEASE, [this.key("sl", hash), this.key("s", hash)], [this.token, forget ? "1" : "0", this.channel, hash]);
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

function canSerialise(value: unknown): boolean {
  try {
    serialize(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hooks of one launched app on Redis (see `StoreLink`): the store's parts (relay, Globals,
 * sessions) with what ties them up: connecting, the channel's messages, closing.
 *
 * @packageDocumentation
 */
import { serialize } from "node:v8";
import type { AnyCell } from "../blocks/block";
import { describeValue, messageOf } from "../core/errors";
import type { App } from "../runtime/app";
import type { StoreLink } from "../runtime/store";
import { newClient, type Config } from "./connection";
import { RedisSessions } from "./sessions";

const SEPARATOR = 0x7c; // "|"

/** The hooks of one launched app on Redis (see {@link StoreLink}). */
export class RedisLink extends RedisSessions implements StoreLink {
  constructor(app: App, config: Config) {
    super(app, config);
    for (const cell of app.blocks._cells) {
      if (cell.kind === "global") {
        this.globals.set(cell._id, cell);
        if (!cell._isFactory) this.checkSerialisable(cell, cell._default);
      } else if (cell.kind === "state" && !config.processLocal.has(cell) && !cell._isFactory) this.checkSerialisable(cell, cell._default);
    }
  }

  protected checkSerialisable(cell: AnyCell, value: unknown): void {
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

  ready(): Promise<void> | undefined {
    if (this.loaded) return undefined;
    return (this.loading ??= this.start().catch((e: unknown) => {
      this.loading = undefined; // the next connect tries again
      throw e;
    }));
  }

  protected async start(): Promise<void> {
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
      this.armRounds(); // lease renewals, and adoption of sessions other processes left
      // After a Redis restart: messages were missed meanwhile (a kept lock asked for is freed),
      // and a Redis without persistence starts empty: the Globals' values it holds now are the
      // truth, and the sessions held here are saved again, their leases taken anew.
      this.subscriber!.on("ready", () => {
        for (const [id, kept] of [...this.owned]) {
          if (kept.inUse) continue;
          this.disown(id, kept);
          this.track(undefined, this.unlockKey(id));
        }
        void this.loadGlobals().catch(() => undefined);
        this.resave([...this.leases]);
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.renewTimer) clearInterval(this.renewTimer);
    await Promise.all([...this.pending.values(), ...this.detached].flat());
    for (const [id, kept] of [...this.owned]) {
      this.disown(id, kept);
      this.track(undefined, this.unlockKey(id));
    }
    await Promise.all([...this.pending.values(), ...this.detached].flat());
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

  /**
   * A message on the channel: `e|origin|id|version|epoch|bytes` (a change; earlier builds'
   * `c|...`, without the epoch, are ignored), `u|id` (a lock
   * freed), `w|id` (a lock asked for), `h|hash` (a session asked for), `s|hash` (a lease freed).
   */
  protected onMessage(message: Buffer): void {
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
    if (kind !== 0x65 /* e */) return;
    const origin = field();
    const id = Number(field());
    const n = Number(field());
    const epoch = field();
    const cell = this.globals.get(id);
    if (cell && origin !== this.token && this.advance(id, { epoch, n })) this.applyBytes(cell, message.subarray(at));
    this.wake(id);
  }
}

/**
 * The server's relay on Redis (docs/07): `<prefix>:rb:<topic>` messages kept for a topic's next
 * reader (`:n` their bytes), `<prefix>:rr:<topic>` its reader, channel `<prefix>:rc:<topic>`.
 *
 * @packageDocumentation
 */
import { EventError } from "../core/errors";
import { RELAY_OVERFLOW, type Relay, type RelayReader } from "../runtime/store";
import { RedisConnection, type Reply } from "./connection";
import { LEAVE, RELAY, RENEW, TAKE } from "./scripts";

/**
 * Milliseconds the relay keeps messages no reader took (a client that joined and never read):
 * then they are dropped.
 */
export const RELAY_KEEP_MS = 60_000;
/** Milliseconds a relay reader's claim lasts unless renewed (every third): a dead reader's topic keeps messages again after this. */
export const RELAY_READER_MS = 30_000;

/** @internal The relay's part of the store. */
export abstract class RedisRelay extends RedisConnection {
  protected readers = 0;
  readonly relay: Relay = {
    publish: (topic, message, maxBytes) => this.relayPublish(topic, message, maxBytes),
    read: (topic, deliver) => this.relayRead(topic, deliver),
  };

  protected async relayPublish(topic: string, message: string, maxBytes: number): Promise<void> {
    await this.ready();
    const keys = [this.key("rr", topic), this.key("rb", topic), `${this.key("rb", topic)}:n`];
    await this.script(RELAY, keys, [this.key("rc", topic), message, String(maxBytes), String(RELAY_KEEP_MS), RELAY_OVERFLOW]);
  }

  /**
   * Subscribes before taking what was kept: a message published after the take reaches the
   * subscription, and is held until the kept ones are delivered (the two replies come on two
   * connections, in either order).
   */
  protected async relayRead(topic: string, deliver: (message: string) => void): Promise<RelayReader> {
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
      await this.bounded(subscriber.subscribe(channel, listener));
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
}

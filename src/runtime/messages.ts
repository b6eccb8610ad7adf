/**
 * Messages a session receives (`session.messages$`): alerts and errors (S36), run status, and
 * progress.
 *
 * @packageDocumentation
 */
import { Observable, type Subscriber } from "rxjs";

/** An alert or error shown to the user (S36). `duration` in seconds; `null`: until dismissed. */
export interface AlertMessage {
  type: "info" | "warning" | "success" | "error";
  message: string;
  title?: string;
  duration?: number | null;
  /** The listener whose run sent it, when there is one. */
  dependency?: number;
}

/** The stage of a run (docs/03). `position` (0-based) is set while waiting in a queue. */
export interface StatusMessage {
  type: "status";
  /** The listener's id. */
  dependency: number;
  stage: "pending" | "running" | "generating" | "complete" | "error" | "cancelled";
  position?: number;
}

/** `ctx.progress(fraction, desc)` or a step of `ctx.progress.tqdm(...)` of a running listener. */
export interface ProgressMessage {
  type: "progress";
  dependency: number;
  /** In [0, 1]. */
  progress: number;
  desc?: string;
  /** From `tqdm`: how many items are done. */
  index?: number;
  /** From `tqdm`: how many items there are. */
  length?: number;
  /** From `tqdm`: what an item is ("steps"). */
  unit?: string;
}

/** Everything `messages$` delivers. */
export type Message = AlertMessage | StatusMessage | ProgressMessage;

/** How many alerts a session keeps for late subscribers. */
export const MESSAGE_REPLAY = 100;

/**
 * @internal A session's message log. Alerts and errors are kept (the last
 * {@link MESSAGE_REPLAY}) and replayed to each new subscriber; status and progress messages
 * only go to live subscribers, since a late one has no use for superseded stages. Nothing is
 * allocated until the first message or subscriber.
 */
export class MessageLog {
  private replay: AlertMessage[] | undefined;
  private subscribers: Set<Subscriber<Message>> | undefined;

  /** Whether anyone listens live (status messages are skipped otherwise). */
  get observed(): boolean {
    return this.subscribers !== undefined && this.subscribers.size > 0;
  }

  push(message: Message): void {
    if (message.type !== "status" && message.type !== "progress") {
      this.replay ??= [];
      this.replay.push(message);
      if (this.replay.length > MESSAGE_REPLAY) this.replay.shift();
    }
    if (this.subscribers) for (const s of [...this.subscribers]) s.next(message);
  }

  /** The kept alerts, oldest first. */
  recent(): readonly AlertMessage[] {
    return this.replay ?? [];
  }

  observable(): Observable<Message> {
    return new Observable<Message>((subscriber) => {
      for (const m of this.recent()) subscriber.next(m);
      this.subscribers ??= new Set();
      this.subscribers.add(subscriber);
      return () => this.subscribers?.delete(subscriber);
    });
  }

  /** Completes every subscriber (session removed). */
  complete(): void {
    if (this.subscribers) for (const s of this.subscribers) s.complete();
    this.subscribers = undefined;
  }
}

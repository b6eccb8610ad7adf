/**
 * Messages a session receives (`session.messages$`): alerts and errors (S36), run status, and
 * progress.
 *
 * @packageDocumentation
 */
import { describeValue } from "../core/errors";

/** An alert or error shown to the user (S36). `duration` in seconds; `null`: until dismissed. */
export interface AlertMessage {
  type: "info" | "warning" | "success" | "error";
  message: string;
  title?: string;
  duration?: number | null;
  /** The listener whose run sent it, when there is one. */
  dependency?: number;
  /** The run that sent it (`RunHandle.id`), when there is one: tells concurrent runs apart. */
  run?: number;
  /**
   * An error from a listener's validator: each refused input's block id and message, to show
   * on that input (as Gradio's page does). The `message` says the same in one sentence.
   */
  inputs?: { id: number; message: string }[];
}

/** The stage of a run (docs/03). `position` (0-based) is set while waiting in a queue. */
export interface StatusMessage {
  type: "status";
  /** The listener's id. */
  dependency: number;
  stage: "pending" | "running" | "generating" | "complete" | "error" | "cancelled";
  position?: number;
  /** The run (`RunHandle.id`). */
  run?: number;
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
  /** The run (`RunHandle.id`). */
  run?: number;
}

/** Everything `messages$` delivers. */
export type Message = AlertMessage | StatusMessage | ProgressMessage;

/** How many alerts a session keeps for late subscribers. */
export const MESSAGE_REPLAY = 100;

/**
 * The most text, in characters (UTF-16 code units: `message` plus `title`), of the alerts a
 * session keeps for late subscribers: the oldest are dropped beyond it, even when fewer than
 * {@link MESSAGE_REPLAY} are kept. 64 Ki characters: at most 128 KiB of text per session. Not
 * configurable.
 */
export const MESSAGE_REPLAY_CHARS = 65_536;

/**
 * The longest `message` (and `title`) an alert may have, in characters: longer ones are cut to
 * this length, ending in `…`, for live subscribers and the log alike. It applies to every
 * alert, a handler's `gr.Error`, `gr.Info` and friends included: a message quoting a whole
 * 1 MB value would otherwise be kept for as long as the session lives. Not configurable.
 */
export const MESSAGE_MAX_CHARS = 4_096;

/**
 * `text` cut to {@link MESSAGE_MAX_CHARS}, as a fresh string: a V8 slice can keep the whole
 * original alive, so the kept part is copied out. Not a string (a JavaScript caller's
 * `gr.Info({...})`): its {@link describeValue}, cut the same way.
 */
function cutText(text: unknown): string {
  if (typeof text !== "string") return describeValue(text, MESSAGE_MAX_CHARS);
  if (text.length <= MESSAGE_MAX_CHARS) return text;
  return JSON.parse(JSON.stringify(`${text.slice(0, MESSAGE_MAX_CHARS - 1)}…`)) as string;
}

/** The characters an alert counts for against {@link MESSAGE_REPLAY_CHARS}. */
function sizeOf(message: AlertMessage): number {
  return message.message.length + (message.title?.length ?? 0);
}

/** `message` with its texts cut to {@link MESSAGE_MAX_CHARS} (itself when they are short). */
function cutAlert(message: AlertMessage): AlertMessage {
  const { message: text, title } = message;
  const short = (t: unknown) => typeof t === "string" && t.length <= MESSAGE_MAX_CHARS;
  if (short(text) && (title == null || short(title))) return message;
  const cut: AlertMessage = { ...message, message: cutText(text) };
  if (title != null) cut.title = cutText(title);
  return cut;
}

/**
 * @internal The alerts and errors a session keeps for late `messages$` subscribers (S36): the
 * last {@link MESSAGE_REPLAY}, at most {@link MESSAGE_REPLAY_CHARS} of text. A bounded replay
 * in characters as well as in count, which RxJS's `ReplaySubject` (count and time only) cannot
 * bound; delivery goes through the session's streams. Status and progress messages are never
 * kept, since a late subscriber has no use for superseded stages.
 */
export class MessageLog {
  private replay: AlertMessage[] | undefined;
  /** The characters of `replay`, by {@link sizeOf}. */
  private replayChars = 0;

  /** Keeps an alert, cut to {@link MESSAGE_MAX_CHARS}; returns what to deliver. */
  push(message: AlertMessage): AlertMessage {
    message = cutAlert(message);
    this.replay ??= [];
    this.replay.push(message);
    this.replayChars += sizeOf(message);
    while (this.replay.length > MESSAGE_REPLAY || (this.replayChars > MESSAGE_REPLAY_CHARS && this.replay.length > 1)) {
      this.replayChars -= sizeOf(this.replay.shift()!);
    }
    return message;
  }

  /** The kept alerts, oldest first. */
  recent(): readonly AlertMessage[] {
    return this.replay ?? [];
  }
}

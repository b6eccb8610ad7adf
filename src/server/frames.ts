/**
 * The frames of Gradio's queue protocol (`queue/data`) and of its two-step `call` API, as this
 * server sends them (`shared/research/gradio-protocol.md`): what each message carries, apart
 * from when it is sent (server/queue.ts).
 *
 * @packageDocumentation
 */
import { MESSAGE_SECONDS, type VisibleError } from "../core/errors";
import type { Dependency } from "../blocks/block";
import type { AlertMessage, ProgressMessage } from "../runtime/messages";
import { isServerState } from "../blocks/gradio-api";

/** @internal The queue stream's first frame and keep-alive. */
export const HEARTBEAT = `data: ${JSON.stringify({ msg: "heartbeat", event_id: null })}\n\n`;
/** @internal The `call` API stream's keep-alive. */
export const CALL_HEARTBEAT = "event: heartbeat\ndata: null\n\n";
/** @internal The queue stream's last frame (Gradio's `close_stream`): no event of the session is pending. */
export const CLOSE_STREAM = `data: ${JSON.stringify({ msg: "close_stream", event_id: null })}\n\n`;

/** @internal One frame of the queue protocol's stream. */
export function frameOf(message: Record<string, unknown>): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}

/**
 * @internal Output values as sent: JSON, with `null` for State outputs (hidden, as in Gradio).
 *
 * @throws what `JSON.stringify` throws for a value it cannot write (a cycle, a BigInt).
 */
export function wire(dep: Dependency, outputs: readonly unknown[]): unknown[] {
  const values = dep.outputs.map((cell, i) => (isServerState(cell) ? null : outputs[i] ?? null));
  return JSON.parse(JSON.stringify(values)) as unknown[];
}

/**
 * @internal An `output` of `process_generating`/`process_completed`, and `run/{name}`'s answer:
 * the values, and the seconds since `started` (a `performance.now()` reading, ms).
 */
export function outputOf(data: unknown, started: number, generating: boolean): Record<string, unknown> {
  return { data, is_generating: generating, duration: (performance.now() - started) / 1000, average_duration: null, render_config: null, changed_state_ids: [] };
}

/** @internal `estimation`: the event waits in the queue at 0-based `rank`. */
export function estimationFrame(eventId: string, rank: number, queueSize: number): string {
  return frameOf({ msg: "estimation", event_id: eventId, rank, queue_size: queueSize, rank_eta: null });
}

/** @internal `process_starts`: the event's run started. */
export function startsFrame(eventId: string): string {
  return frameOf({ msg: "process_starts", event_id: eventId, eta: null });
}

/** @internal `progress`, from a run's progress message: a `tqdm`'s steps as Gradio's (index, length, unit "steps"). */
export function progressFrame(eventId: string, m: ProgressMessage): string {
  const unit = m.unit ?? "steps";
  return frameOf({ msg: "progress", event_id: eventId, progress_data: [{ index: m.index ?? null, length: m.length ?? null, unit, progress: m.progress, desc: m.desc ?? null }] });
}

/** Gradio's titles of an alert without one (`gr.Info(message)` is titled "Info"). */
const ALERT_TITLES: Readonly<Record<string, string>> = { info: "Info", warning: "Warning", success: "Success" };

/**
 * @internal `log`, from a run's alert (`gr.Info`, `gr.Warning`, `gr.Success`), with Gradio's
 * defaults for what it was not given: its level as its title, 10 seconds (a `null` duration,
 * given, keeps it until dismissed).
 */
export function logFrame(eventId: string, m: AlertMessage): string {
  const duration = m.duration === undefined ? MESSAGE_SECONDS : m.duration;
  return frameOf({ msg: "log", event_id: eventId, log: m.message, level: m.type, duration, visible: true, title: m.title ?? ALERT_TITLES[m.type] ?? null });
}

/** @internal `process_generating`: a generator's yield, `sent` as values or diffs of the last ones. */
export function generatingFrame(eventId: string, timeLimit: number | null, sent: unknown[], started: number): string {
  return frameOf({ msg: "process_generating", event_id: eventId, success: true, time_limit: timeLimit, output: outputOf(sent, started, true) });
}

/** @internal `process_completed` of an event that ended well, with its output values. */
export function completedFrame(eventId: string, data: unknown[], started: number): string {
  return frameOf({ msg: "process_completed", event_id: eventId, success: true, title: null, used_cache: null, cache_duration: null, avg_time: null, output: outputOf(data, started, false) });
}

/** @internal `process_completed` of an event that failed, with what the client may see of its error. */
export function failedFrame(eventId: string, shown: VisibleError): string {
  return frameOf({ msg: "process_completed", event_id: eventId, success: false, title: shown.title, output: errorOutput(shown) });
}

/** The error payload of a failed event: its `process_completed` output, its `call` API `error` frame. */
function errorOutput(shown: VisibleError): Record<string, unknown> {
  return { error: shown.message, visible: true, title: shown.title, duration: shown.duration };
}

/** @internal Output values without the State slots (the `call` API, like `/info`'s returns). */
export function visibleOutputs(dep: Dependency, data: readonly unknown[]): unknown[] {
  return data.filter((_, i) => !isServerState(dep.outputs[i]));
}

/** @internal A `call` API frame: `generating` (a yield) or `complete` with the visible values. */
export function callOutputFrame(kind: "generating" | "complete", dep: Dependency, data: readonly unknown[]): string {
  return `event: ${kind}\ndata: ${JSON.stringify(visibleOutputs(dep, data))}\n\n`;
}

/**
 * @internal A `call` API `error` frame: what the client may see of the error, as the `output`
 * of a failed `process_completed` (Gradio 6.25 sends that payload here).
 */
export function callErrorFrame(shown: VisibleError): string {
  return `event: error\ndata: ${JSON.stringify(errorOutput(shown))}\n\n`;
}

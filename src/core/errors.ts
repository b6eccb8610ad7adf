/**
 * Errors and alerts raised by handlers (S36), and the errors the engine raises itself.
 *
 * @packageDocumentation
 */
import { createCarrier } from "./async-context";

/** Options of {@link AppError}: `duration` in seconds (`null`: stays until dismissed). */
export interface AppErrorOptions {
  title?: string;
  duration?: number | null;
}

/**
 * `gr.Error`: thrown inside a handler, fails the event and always shows its message, title and
 * duration to that session (S36), whatever `launch({ showError })` says. Exported as `Error`
 * (mirroring Gradio) and as `AppError` (not shadowing the JavaScript global).
 *
 * @example
 * ```ts
 * btn.click((n) => { if (n < 0) throw new gr.Error("Must be positive", { title: "Oops" }); return n; }, num, out);
 * ```
 */
export class AppError extends Error {
  readonly title?: string;
  /** Seconds the renderer should show the message; `null` keeps it until dismissed. */
  readonly duration?: number | null;
  constructor(message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = "AppError";
    this.title = options.title;
    this.duration = options.duration;
  }
}

/**
 * An error the engine itself reports at run time: a rejected component value (S34), a wrong
 * output count (S32), a full queue (S62), a `.change` cycle. Its message names the listener,
 * the component and the value, and it always reaches the session, like {@link AppError}.
 */
export class EventError extends AppError {
  constructor(
    message: string,
    /** What went wrong, for programs (a renderer choosing an HTTP status, a test). */
    readonly code: EventErrorCode,
  ) {
    super(message);
    this.name = "EventError";
  }
}

/**
 * The kinds of {@link EventError}: a value a component rejected, from a user (`invalid_input`)
 * or a handler (`invalid_output`) (S34); a handler's result of the wrong shape (S32); a full queue (S62); a `.change` cycle;
 * a time limit; a dispatch to an unknown component or event; a cancelled API call (S39); an
 * event on a session the app no longer holds (`session_removed`: retention over, evicted, or
 * the app closed, S13, S14, S20).
 */
export type EventErrorCode =
  | "invalid_input"
  | "invalid_output"
  | "output_count"
  | "not_an_output"
  | "queue_full"
  | "change_cycle"
  | "time_limit"
  | "unknown_target"
  | "cancelled"
  | "session_removed";

/** Alert levels a handler can send (S36). */
export type AlertType = "info" | "warning" | "success";

/** @internal What `gr.Info` and friends need from the run they are called in. */
export interface AlertSink {
  alert(type: AlertType, message: string, options?: AppErrorOptions): void;
}

/**
 * @internal The run a piece of handler code belongs to. One carrier for the whole library:
 * it holds a per-async-flow value, not shared state, so sessions cannot leak into each other.
 */
export const currentRun = createCarrier<AlertSink>();

function sendAlert(type: AlertType, message: string, options?: AppErrorOptions): void {
  const sink = currentRun.get();
  if (!sink) {
    throw new globalThis.Error(
      `gr.${type[0].toUpperCase()}${type.slice(1)}("${message}") was called outside an event handler ` +
        `(or, in a browser, after an await: use ctx.${type}(...) there).`,
    );
  }
  sink.alert(type, message, options);
}

/**
 * `gr.Info(message)`: sends an info alert to the session whose handler is running, without
 * stopping the handler (S36). Works after an `await` on Node (AsyncLocalStorage); in a browser
 * use `ctx.info(...)` after an `await`.
 *
 * @throws Error when called outside a handler.
 */
export function Info(message: string, options?: AppErrorOptions): void {
  sendAlert("info", message, options);
}

/**
 * `gr.Warning(message)`: like {@link Info}, as a warning (S36).
 *
 * @throws Error when called outside a handler.
 */
export function Warning(message: string, options?: AppErrorOptions): void {
  sendAlert("warning", message, options);
}

/**
 * `gr.Success(message)`: like {@link Info}, as a success notice (S36).
 *
 * @throws Error when called outside a handler.
 */
export function Success(message: string, options?: AppErrorOptions): void {
  sendAlert("success", message, options);
}

/** What a user, or an API client, is shown of a failed run (S36). `duration` in seconds. */
export interface VisibleError {
  message: string;
  title: string;
  /** Seconds to show it; `null`: until dismissed (or not said). */
  duration: number | null;
}

/** The message shown for errors other than `gr.Error` while `showError` is off (S36). */
export const GENERIC_ERROR_MESSAGE = "An error occurred while running the app.";

/**
 * S36, the rule every renderer and server applies to a run's error: a `gr.Error` (and an
 * {@link EventError} of the engine: a rejected value, a full queue, ...) shows its message,
 * title (default `"Error"`) and duration; anything else shows its message only when the app
 * was launched with `showError: true`, else {@link GENERIC_ERROR_MESSAGE}, so that an
 * exception's text (a path, a query, a secret) never reaches users by default.
 *
 * ```ts
 * visibleError(new gr.Error("Too big", { title: "Oops" }), false); // { message: "Too big", title: "Oops", duration: null }
 * visibleError(new Error("db password ..."), app.showError);        // { message: "An error occurred while running the app.", ... }
 * ```
 */
export function visibleError(error: unknown, showError: boolean): VisibleError {
  if (error instanceof AppError) return { message: error.message, title: error.title ?? "Error", duration: error.duration ?? null };
  return { message: showError ? messageOf(error) : GENERIC_ERROR_MESSAGE, title: "Error", duration: null };
}

/** Cuts a value's printed form to at most `max` characters, for error messages (S34). */
export function describeValue(value: unknown, max = 200): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "function") text = `[function ${value.name || "anonymous"}]`;
  else if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "number") text = String(value); // JSON would say null for NaN and Infinity
  else if (value === undefined) text = "undefined";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * @internal Checks a duration option given in seconds: a finite number, greater than 0 (or at
 * least 0 with `allowZero`). Returns it.
 *
 * @throws TypeError "`what` must be a positive number of seconds; got …" (or non-negative).
 */
export function checkSeconds(what: string, value: unknown, allowZero = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`${what} must be a ${allowZero ? "non-negative" : "positive"} number of seconds; got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * @internal Whether `value` can be an options or props argument: an object, neither `null` nor
 * an array.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * @internal Checks that an options object names only `known` options, as Python does for
 * Gradio's keyword arguments: a misspelt option (`concurencyLimit`) would otherwise be ignored
 * without a word. `undefined` and `null` stand for no options.
 *
 * @returns `options`, or `{}` for `undefined` and `null`.
 * @throws TypeError "`where`: options must be an object; got …" for anything else, or
 *   "`where`: unknown option "x" (did you mean "y"?); the options are …".
 */
export function checkOptions<T extends object>(where: string, options: T | null | undefined, known: readonly (keyof T & string)[]): T {
  if (options == null) return {} as T;
  if (!isRecord(options)) throw new TypeError(`${where}: options must be an object; got ${describeValue(options)}.`);
  const names: readonly string[] = known;
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const near = names.find((k) => k.toLowerCase() === key.toLowerCase()) ?? names.find((k) => editDistance(k, key) <= 2);
    const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
    throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}${hint}; the options are ${names.join(", ")}.`);
  }
  return options;
}

/** Levenshtein distance, for {@link checkOptions}'s suggestions (short option names only). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/** @internal Anything thrown, as an Error: Errors as they are, strings as messages. */
export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(typeof e === "string" ? e : `non-Error thrown: ${describeValue(e)}`);
}

/**
 * @internal The message of anything thrown, for wrapping in another message; `withName` puts
 * the error's class first when it says something (`QuotaExceededError: …`).
 */
export function messageOf(e: unknown, withName = false): string {
  // Error-like, not only Errors: a DOMException (a full storage) is not an Error on Node 20.
  if (typeof e !== "object" || e === null || typeof (e as Error).message !== "string") return String(e);
  const { name, message } = e as Error;
  return withName && typeof name === "string" && name && name !== "Error" ? `${name}: ${message}` : message;
}

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
    /**
     * For `invalid_input` from a listener's validator: each refused input's block id and
     * message, which a renderer can show on that input (as Gradio's page does).
     */
    readonly inputs?: readonly InputVerdict[],
  ) {
    super(message);
    this.name = "EventError";
  }
}

/** A refused input of a listener's validator ({@link EventError.inputs}): its block's id and why. */
export interface InputVerdict {
  readonly id: number;
  readonly message: string;
}

/**
 * The kinds of {@link EventError}: a value a component rejected, from a user (`invalid_input`)
 * or a handler (`invalid_output`: also an update naming a prop its target does not have, S74) (S34); a handler's result of the wrong shape (S32); a full queue (S62); a `.change` cycle;
 * a time limit; a dispatch to an unknown component or event; a cancelled API call (S39); an
 * event on a session the app no longer holds (`session_removed`: retention over, evicted, or
 * the app closed, S13, S14, S20), or on a session closed with `session.close()` (`session_closed`;
 * reconnecting with its hash reopens it); a handler result the engine could not read
 * (`unreadable_value`: a throwing getter or Proxy trap, a revoked Proxy such as an Immer draft
 * after `produce`, an iterator whose `next()` returns a non-object); a value nested deeper than
 * {@link MAX_VALUE_DEPTH} (`value_too_deep`). With a shared store (docs/08): the store did not
 * answer in time (`store_unavailable`), a Global's value over its size limit (`value_too_large`),
 * a Global whose lock another process held too long or this run lost (`global_locked`), a
 * session another process runs (`session_locked`), a session value that cannot be saved
 * (`store_unserialisable`).
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
  | "session_removed"
  | "session_closed"
  | "unreadable_value"
  | "value_too_deep"
  | "store_unavailable"
  | "value_too_large"
  | "global_locked"
  | "session_locked"
  | "store_unserialisable";

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
  /**
   * Seconds to show it; `null`: until dismissed. A `gr.Error` given none shows 10 seconds, as
   * Gradio's `gr.Error(duration=10)`; any other error says nothing (`null`).
   */
  duration: number | null;
}

/**
 * @internal Seconds Gradio shows a message given no duration: a `gr.Error`, `gr.Info`,
 * `gr.Warning` or `gr.Success` (their `duration=10`).
 */
export const MESSAGE_SECONDS = 10;

/** The message shown for errors other than `gr.Error` while `showError` is off (S36). */
export const GENERIC_ERROR_MESSAGE = "An error occurred while running the app.";

/**
 * S36, the rule every renderer and server applies to a run's error: a `gr.Error` (and an
 * {@link EventError} of the engine: a rejected value, a full queue, ...) shows its message,
 * title (default `"Error"`) and duration; anything else shows its message only when the app
 * was launched with `showError: true`, else {@link GENERIC_ERROR_MESSAGE}, so that an
 * exception's text (a path, a query, a secret) never reaches users by default. Never throws: a
 * `gr.Error` whose getters throw shows as {@link GENERIC_ERROR_MESSAGE}.
 *
 * ```ts
 * visibleError(new gr.Error("Too big", { title: "Oops" }), false); // { message: "Too big", title: "Oops", duration: 10 }
 * visibleError(new Error("db password ..."), app.showError);        // { message: "An error occurred while running the app.", ... }
 * ```
 */
export function visibleError(error: unknown, showError: boolean): VisibleError {
  try {
    if (error instanceof AppError) {
      const duration = error.duration;
      return { message: error.message, title: error.title ?? "Error", duration: duration === undefined ? MESSAGE_SECONDS : duration };
    }
  } catch {
    // Its getters threw (app code; they may have read well before): show nothing of it.
    return { message: GENERIC_ERROR_MESSAGE, title: "Error", duration: null };
  }
  return { message: showError ? messageOf(error) : GENERIC_ERROR_MESSAGE, title: "Error", duration: null };
}

/** @internal `a Map`, `an Error`, `a Uint8Array` (a leading U as in "you"): a noun with its article, for messages. */
export function article(noun: string): string {
  return `${/^[aeioAEIO]/.test(noun) ? "an" : "a"} ${noun}`;
}

/**
 * Cuts a value's printed form (JSON-like) to at most `max` characters, for error messages
 * (S34). Total: it never throws, whatever it is given (a symbol, an `Object.create(null)`
 * object, a Proxy with throwing traps or a revoked one, a `toJSON` that throws, a cycle), so
 * that reporting a bad value can never fail in its turn; it never calls a value's own
 * `toString`. Its work is bounded by `max`, not by the value's size: a 10 MB string or a
 * million-element array is printed only as far as the cut.
 */
export function describeValue(value: unknown, max = 200): string {
  let text: string;
  try {
    text = printed(value, max);
  } catch {
    text = "[unprintable value]";
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * @internal About how many decimal digits `value` has, from its bit length: time linear in its
 * size, where its decimal text takes more (a 2 MB bigint took 2 s to print).
 */
export function bigintDigits(value: bigint): number {
  const hex = (value < 0n ? -value : value).toString(16);
  const bits = (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0], 16));
  return Math.floor(bits * LOG10_2) + 1;
}

const LOG10_2 = Math.log10(2);

/** A bigint as `12n`, or its size when its digits would not fit in `max` characters. */
function bigintText(value: bigint, max: number): string {
  return bigintDigits(value) < max ? `${value}n` : `[a bigint of about ${bigintDigits(value)} digits]`;
}

function printed(value: unknown, max: number): string {
  switch (typeof value) {
    case "string": // max + 1 characters are enough to know whether to cut
      return JSON.stringify(value.slice(0, max + 1));
    case "function": {
      const name: unknown = value.name; // a class may define a static `name` of any kind
      return `[function ${typeof name === "string" && name ? name : "anonymous"}]`;
    }
    case "bigint":
      return bigintText(value, max);
    case "number": // JSON would say null for NaN and Infinity
    case "boolean":
    case "undefined":
    case "symbol": // Symbol.prototype.toString cannot be replaced by user code on the symbol
      return String(value);
  }
  try {
    const json = boundedJson(value, max);
    if (json !== undefined) return json;
  } catch {
    // A throwing getter or toJSON, a Proxy with throwing traps: the object's tag instead.
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return "[object]"; // a revoked Proxy
  }
}

/**
 * {@link describeValue}'s walk: the JSON text of `root` (with `toJSON` applied, as
 * `JSON.stringify` does) up to a little past `max` characters, then stops; `undefined` where
 * JSON has no text. Bigints print as `1n` and a cycle as `[Circular]`, where JSON.stringify
 * would throw. Nesting is bounded too: every level writes at least one character.
 */
function boundedJson(root: unknown, max: number): string | undefined {
  let out = "";
  const ancestors: object[] = [];
  const write = (raw: unknown, key: string): boolean => {
    const value =
      typeof raw === "object" && raw !== null && typeof (raw as { toJSON?: unknown }).toJSON === "function"
        ? (raw as { toJSON(key: string): unknown }).toJSON(key)
        : raw;
    if (value === undefined || typeof value === "function" || typeof value === "symbol") return false;
    if (typeof value === "string") out += JSON.stringify(value.slice(0, max + 1));
    else if (typeof value === "bigint") out += bigintText(value, max);
    else if (typeof value !== "object" || value === null) out += JSON.stringify(value);
    else if (value instanceof Number || value instanceof String || value instanceof Boolean) out += JSON.stringify(value);
    else if (ancestors.includes(value)) out += "[Circular]";
    else {
      ancestors.push(value);
      if (Array.isArray(value)) {
        out += "[";
        for (let i = 0; i < value.length && out.length <= max; i++) {
          if (i > 0) out += ",";
          if (!write(value[i], String(i))) out += "null";
        }
        out += "]";
      } else {
        out += "{";
        let first = true;
        for (const k in value) {
          if (out.length > max) break;
          if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
          const mark = out.length;
          out += `${first ? "" : ","}${JSON.stringify(k.slice(0, max + 1))}:`;
          if (write((value as Record<string, unknown>)[k], k)) first = false;
          else out = out.slice(0, mark);
        }
        out += "}";
      }
      ancestors.pop();
    }
    return true;
  };
  return write(root, "") ? out : undefined;
}

/**
 * The longest duration any timing accepts, in seconds: 10^12 s (about 31,700 years; 10^15 ms,
 * below `Number.MAX_SAFE_INTEGER`, so a clock reading plus a duration stays exact to the
 * millisecond). Longer ones, and `Infinity`, are refused: for "never" the options take `null`.
 */
export const MAX_SECONDS = 1e12;

/**
 * The shortest interval of a periodic timing (a Timer's tick, the retention sweep), in
 * seconds: 0.001 s, the clocks' resolution. A shorter one would fire again at the same
 * millisecond forever, hanging a `ManualClock` and flooding real time.
 */
export const MIN_INTERVAL_SECONDS = 0.001;

/**
 * @internal Checks a duration option given in seconds: a finite number, greater than 0 (or at
 * least 0 with `allowZero`, at least `min` when given), and at most {@link MAX_SECONDS}.
 * Returns it.
 *
 * @throws TypeError "`what` must be a positive number of seconds; got …" (or non-negative, or
 *   at least `min`), or "`what` must be at most 1e12 seconds …" for a longer one.
 */
export function checkSeconds(what: string, value: unknown, allowZero = false, min?: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`${what} must be a ${allowZero ? "non-negative" : "positive"} number of seconds; got ${describeValue(value)}.`);
  }
  if (min !== undefined && value < min) throw new TypeError(`${what} must be at least ${min} seconds; got ${describeValue(value)}.`);
  if (value > MAX_SECONDS) {
    throw new TypeError(`${what} must be at most 1e12 seconds (about 31,700 years; null means never); got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * @internal Whether `value` is a promise or any thenable (a handler's result, a delete
 * callback's, a storage method's, a ChatInterface reply's). Reads `then` once (a native
 * promise's not at all); a getter or Proxy trap (`get`, `getPrototypeOf`) that throws there
 * throws to the caller.
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  // A native promise (an async handler's result) first: reading `then` from results of every
  // kind made that read megamorphic in V8 (measured in a full `npm run bench` run).
  if (value instanceof Promise) return true;
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

/** The built-in `Promise.prototype.then`, read once: app code may replace the prototype's. */
const promiseThen = Promise.prototype.then;

/**
 * @internal Calls `onFulfilled` or `onRejected` once `value` settles, following it as `await`
 * follows a plain promise: a native promise (of any subclass) through the built-in `then`, so
 * that a `then` of its own is never called (a hostile one could throw here, or never call back
 * and keep a run's queue slot forever); any other thenable adopted by `Promise.resolve`, which
 * calls its `then` in a later microtask, where a throw is a rejection.
 *
 * @throws what reading a native promise's `constructor` throws (a hostile getter, or its
 *   species' constructor), and a TypeError for an object that passes `instanceof Promise`
 *   without being a promise: nothing is attached then.
 */
export function whenSettled<T>(value: PromiseLike<T>, onFulfilled: (value: T) => void, onRejected: (reason: unknown) => void): void {
  promiseThen.call(value instanceof Promise ? value : Promise.resolve(value), onFulfilled, onRejected);
}

/**
 * @internal A promise that settles as `value` does, followed as {@link whenSettled} follows it
 * (what `await value` would give); a failure to follow it is its rejection.
 */
export function follow<T>(value: PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => whenSettled(value, resolve, reject));
}

/** @internal `Array.isArray`, false for a revoked Proxy (where it throws). */
export function isArraySafe(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * @internal Whether `value` can be an options or props argument: an object, neither `null` nor
 * an array.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  try {
    return !Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
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
  let keys: string[];
  try {
    keys = Object.keys(options);
  } catch (e) {
    throw new TypeError(`${where}: could not read the options (${messageOf(e)}); got ${describeValue(options)}.`);
  }
  for (const key of keys) {
    if (names.includes(key)) continue;
    const near = nearestName(key, names);
    const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
    throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}${hint}; the options are ${names.join(", ")}.`);
  }
  return options;
}

/**
 * @internal The known name a misspelt `name` most likely meant: one differing only in case,
 * else the first within two edits; `undefined` when none is that close.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  return known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? known.find((k) => editDistance(k, name) <= 2);
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

/** @internal Anything thrown, as an Error: Errors as they are, strings as messages. Never throws. */
export function toError(e: unknown): Error {
  let isError: boolean;
  try {
    isError = e instanceof Error;
  } catch {
    isError = false; // a Proxy whose getPrototypeOf trap throws
  }
  return isError ? (e as Error) : new Error(typeof e === "string" ? e : `non-Error thrown: ${describeValue(e)}`);
}

/**
 * @internal The message of anything thrown, for wrapping in another message; `withName` puts
 * the error's class first when it says something (`QuotaExceededError: …`). Never throws.
 */
export function messageOf(e: unknown, withName = false): string {
  try {
    if (typeof e === "string") return e;
    // Error-like, not only Errors: a DOMException (a full storage) is not an Error on Node 20.
    if (typeof e !== "object" || e === null || typeof (e as Error).message !== "string") return describeValue(e);
    const { name, message } = e as Error;
    return withName && typeof name === "string" && name && name !== "Error" ? `${name}: ${message}` : message;
  } catch {
    return describeValue(e);
  }
}

/**
 * How many levels of objects a value may nest (`{ a: { b: 1 } }` is 2 levels deep; arrays,
 * `Map`s, `Set`s and class instances count too). The engine's recursive walks stop here with a
 * {@link ValueTooDeep} rather than overflowing the call stack: the deep copy of a State, Global
 * or component default (S2, S3; at definition time), and the snapshot and comparison of a
 * value written to a watched cell (S50, S55). A write into a cell nobody watches is stored by
 * reference and not walked (S5), so no limit applies there.
 *
 * 1,000 is well inside Node's default stack (measured on Node 20: the deepest of these walks
 * overflows at about 2,300 levels, the others at 4,000 or more).
 */
export const MAX_VALUE_DEPTH = 1000;

/**
 * A value nested deeper than {@link MAX_VALUE_DEPTH}. A `TypeError`, so a default that is too
 * deep fails its constructor like any other bad default; at run time the engine reports it as
 * an {@link EventError} with code `value_too_deep` naming the listener and the cell.
 */
export class ValueTooDeep extends TypeError {
  /** The limit's reason, for messages: "… is too deep: " + reason. */
  static readonly limit = `it nests more than ${MAX_VALUE_DEPTH} levels of objects (the limit, MAX_VALUE_DEPTH = ${MAX_VALUE_DEPTH})`;
  /**
   * @param what - The value, as the message names it: `The default`, `The value`.
   * @param reason - Why it is too deep, for messages that name the value themselves.
   */
  constructor(
    what = "The value",
    readonly reason = ValueTooDeep.limit,
  ) {
    super(`${what} is too deep: ${reason}.`);
    this.name = "ValueTooDeep";
  }
}

/**
 * @internal Whether `e` is the engine's "call stack exceeded" error (V8 and JavaScriptCore throw
 * a RangeError, SpiderMonkey an InternalError "too much recursion").
 */
export function isStackOverflow(e: unknown): boolean {
  try {
    return (e instanceof RangeError || (e instanceof Error && e.name === "InternalError")) && /call stack|too much recursion/i.test(e.message);
  } catch {
    return false; // a hostile thrown value (a revoked Proxy) is no stack overflow
  }
}

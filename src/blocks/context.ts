/**
 * What a handler receives after its input values: the event context (S31), with the request
 * info, the trigger's event data and progress reports. Types only; they name no block, so every
 * file of the folder may use them.
 *
 * @packageDocumentation
 */
import type { AppErrorOptions } from "../core/errors";

/** What `connect({ request })` was given: headers, query, client address, ... (S31). */
export interface RequestInfo {
  headers?: Record<string, string>;
  query?: Record<string, string>;
  client?: { host?: string; port?: number };
  username?: string;
  [key: string]: unknown;
}

/** Options of {@link Progress.tqdm}. */
export interface TqdmOptions {
  /** Shown with each step, like the `desc` of `ctx.progress(fraction, desc)`. */
  desc?: string;
  /** How many items there are; needed when `items` has no `length` or `size` (an async iterable, a generator). */
  total?: number;
  /** What an item is, for renderers ("steps", "files"); default "steps", as in Gradio. */
  unit?: string;
}

/** `ctx.progress`: a function reporting a fraction, with {@link Progress.tqdm} for loops. */
export interface Progress {
  /** Reports `fraction` (in [0, 1]) of the work done, with an optional description. */
  (fraction: number, desc?: string): void;
  /**
   * Wraps an iterable so that iterating it reports progress (Gradio's `progress.tqdm`): `0/n`
   * before the first item, then `i/n` as the loop asks for item `i + 1`, and `n/n` when it
   * ends; each message carries `index` (items done), `length` (`n`), `unit` and `desc`.
   * Leaving the loop early stops the reports.
   *
   * @example
   * ```ts
   * btn.click((files: string[], ctx) => {
   *   for (const f of ctx.progress.tqdm(files, { desc: "Indexing" })) index(f);
   * }, files, out);
   * ```
   *
   * @throws TypeError when `items` is not iterable, or when its size is unknown (no numeric
   *   `length` or `size`) and no `total` is given, or `total` is not a non-negative integer.
   */
  tqdm<T>(items: Iterable<T>, options?: TqdmOptions): Iterable<T>;
  tqdm<T>(items: AsyncIterable<T>, options: TqdmOptions & { total: number }): AsyncIterable<T>;
}

/**
 * The event context, passed to every handler after its input values (S31).
 */
export interface EventContext {
  /** The session's hash (S10); Gradio's `request.session_hash`. */
  readonly sessionHash: string;
  /** What `connect({ request })` was given, plus `sessionHash`. */
  readonly request: RequestInfo & { sessionHash: string };
  /** The trigger's event data: what `trigger(component, event, data)` / `dispatch` gave. */
  readonly event: EventData;
  /**
   * The block whose event started this run (Gradio's `EventData.target`): the component
   * clicked, the Timer that ticked, the layout container selected; for a `.change` listener,
   * the cell that changed. A chained listener (`.then`, S37) has its chain's. `undefined` for
   * load and unload listeners, and for an API call (`session.call`, `session.run`) unless
   * `session.run` was given a `target`. Compare it with the blocks of the app
   * (`ctx.target === btn`) to tell the triggers of `gr.on([...])` apart.
   */
  readonly target: TargetBlock | undefined;
  /**
   * Reports progress (a `progress` message for renderers): `ctx.progress(fraction, desc?)`
   * with a fraction in [0, 1], or `ctx.progress.tqdm(items, { desc })` to report each step of
   * a loop (Gradio's `progress.tqdm`).
   */
  readonly progress: Progress;
  /** `gr.Info` for this session; works everywhere, also after an `await` in browsers (S36). */
  info(message: string, options?: AppErrorOptions): void;
  /** `gr.Warning` for this session, likewise (S36). */
  warning(message: string, options?: AppErrorOptions): void;
  /** `gr.Success` for this session, likewise (S36). */
  success(message: string, options?: AppErrorOptions): void;
  /** Fires when the run is cancelled (S39) or exceeds its time limit. */
  readonly signal: AbortSignal;
}

/**
 * @internal The engine's event context as the library's own Blocks see it (ChatInterface,
 * ClearButton): `_hasRuns(dependency)` says whether that listener of the app has a run waiting
 * or going in this session; `_propsOf(block)` gives a block's props in this session (its
 * template's, with the session's updates, S74). (Typed as `object`: this file is below the
 * ones that define listeners and blocks.)
 */
export interface EngineContext extends EventContext {
  _hasRuns(dependency: object): boolean;
  _propsOf(block: object): Readonly<Record<string, unknown>>;
}

/**
 * What {@link EventContext.target} is: a block of the app (a component, State, Global, Timer or
 * layout container; the `Block` class, named here by what it shows, as this file is below it).
 */
export interface TargetBlock {
  /** The block's id in the app (Gradio's component id; what renderers dispatch with). */
  readonly id: number;
  /** How messages name it: `Textbox "Name"`, `State #3`. */
  describe(): string;
}

/** Event data of a trigger (e.g. `{ index, value }` for `select`); `undefined` when none given. */
export type EventData = any;

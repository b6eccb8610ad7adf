/**
 * Registering event listeners (S30): component event methods (`btn.click(...)`), `gr.on`, and
 * the argument forms they share.
 *
 * @packageDocumentation
 */
import { describeValue, isRecord, type AppErrorOptions } from "../core/errors";
import type { AnyCell, Block, CellList, InputValues } from "./block";
import { toArray } from "./lists";
import type { OutputList } from "./layout";
import { currentBuild } from "./build-context";
import { Dependency, type ListenerOptions } from "./dependency";
import type { Blocks } from "./blocks";

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

/** Event data of a trigger (e.g. `{ index, value }` for `select`); `undefined` when none given. */
export type EventData = any;

/** A handler: input values positionally, then the event context (S31). */
export type Handler<I> = (...args: [...InputValues<I>, EventContext]) => unknown;

/** The object form of a registration. */
export interface ListenerConfig<I> extends ListenerOptions {
  fn?: Handler<I>;
  inputs?: I;
  /** Cells, or layout containers (props only, S72). */
  outputs?: OutputList;
}

/** The trigger a bound event method stands for: `(block, eventName)`. */
export interface Trigger {
  readonly block: Block;
  readonly event: string;
}

/**
 * The call forms shared by event methods and the chaining methods (`.then`, `.success`,
 * `.failure`): `(fn, inputs?, outputs?, options?)`, `({ fn, inputs, outputs, ...options })`,
 * and without `fn` a registrar `(fn) => Dependency`. `fn`'s parameter types are inferred
 * from `inputs`.
 */
export interface ListenerMethod {
  <const I extends CellList = undefined>(fn: Handler<I>, inputs?: I, outputs?: OutputList, options?: ListenerOptions): Dependency;
  <const I extends CellList = undefined>(config: ListenerConfig<I> & { fn: Handler<I> }): Dependency;
  <const I extends CellList = undefined>(config: ListenerConfig<I> & { fn?: undefined }): (fn: Handler<I>) => Dependency;
}

/**
 * An event method such as `btn.click` or `textbox.change`. Three forms:
 *
 * - `btn.click(fn, inputs?, outputs?, options?)` returns the {@link Dependency};
 * - `btn.click({ fn, inputs, outputs, ...options })` likewise;
 * - `btn.click({ inputs, outputs, ...options })` (no `fn`) returns a registrar
 *   `(fn) => Dependency`, the counterpart of Gradio's decorator form.
 *
 * `fn`'s parameter types are inferred from `inputs`.
 *
 * @throws Error outside a Blocks build, after the Blocks was frozen, or for a block that
 *   belongs to another Blocks (S30).
 */
export interface EventListener extends ListenerMethod {
  /** The trigger this method stands for, so that `gr.on([a.change, b.click], ...)` can read it. */
  readonly trigger: Trigger;
}

/** @internal Builds the event method `block[event]`. */
export function makeEventListener(block: Block, event: string): EventListener {
  const method = ((...args: unknown[]) => register([{ block, event }], args, `${block.describe()}.${event}`)) as EventListener;
  Object.defineProperty(method, "trigger", { value: { block, event } });
  return method;
}

/**
 * @internal Parses the argument forms of an event method and registers the listener.
 * `parent` links a chained listener (`.then`, `.success`, `.failure`) to its parent.
 */
export function register(
  triggers: Trigger[],
  args: unknown[],
  where: string,
  parent?: { dependency: Dependency; on: ChainKind },
): Dependency | ((fn: Handler<unknown>) => Dependency) {
  const first = args[0];
  if (typeof first === "function" || first == null) {
    const [fn, inputs, outputs, options] = args as [Handler<unknown>, CellList, OutputList, unknown];
    return create(triggers, { ...optionsObject(where, options), fn, inputs, outputs }, where, parent);
  }
  if (typeof first === "object" && args.length === 1) {
    const config = first as ListenerConfig<CellList>;
    if (config.fn) return create(triggers, config, where, parent);
    // Validate the context now (so a misplaced registrar fails where it is written).
    openBuild(where);
    return (fn: Handler<unknown>) => create(triggers, { ...config, fn }, where, parent);
  }
  throw new TypeError(`${where}: expected (fn, inputs?, outputs?, options?) or ({ fn?, inputs?, outputs?, ...options }).`);
}

/**
 * The positional form's options as an object of its own. Spreading a string or a number would
 * silently give `{ 0: "x" }` or `{}`, and a Proxy could throw from inside the spread.
 */
function optionsObject(where: string, options: unknown): ListenerOptions {
  if (options == null) return {};
  let copy: ListenerOptions | undefined;
  try {
    if (isRecord(options)) copy = { ...options };
  } catch {
    // A Proxy whose traps throw: refused below like any other non-object.
  }
  if (!copy) throw new TypeError(`${where}: options must be an object; got ${describeValue(options)}.`);
  return copy;
}

/** How a chained listener follows its parent (S37). */
export type ChainKind = "then" | "success" | "failure";

function openBuild(where: string, owner?: Blocks) {
  const frame = currentBuild();
  if (!frame && owner?.frozen) {
    throw new Error(`${where}: this Blocks is frozen; listeners must be registered inside its build callback (S30).`);
  }
  if (!frame) {
    throw new Error(`${where}: event listeners must be registered inside a Blocks build (S30).`);
  }
  return frame;
}

function create(
  triggers: Trigger[],
  config: ListenerConfig<CellList>,
  where: string,
  parent?: { dependency: Dependency; on: ChainKind },
): Dependency {
  const frame = openBuild(where, triggers[0]?.block._blocks ?? parent?.dependency.blocks);
  const blocks = frame.blocks;
  for (const t of triggers) {
    if (t.block !== blocks && t.block._blocks !== blocks) {
      throw new Error(`${where}: ${t.block.describe()} is not part of the Blocks being built; call .render() on it first.`);
    }
  }
  if (parent && parent.dependency.blocks !== blocks) {
    throw new Error(`${where}: a chained listener must be registered in the build of its parent's Blocks.`);
  }
  if (frame.scope) return frame.scope.addDependency(triggers, config, where, parent);
  return blocks._addDependency(triggers, config, parent);
}

/** Something `gr.on` accepts as a trigger: an event method such as `btn.click`. */
export type TriggerLike = EventListener | { readonly trigger: Trigger };

/** The object form of {@link on}. */
export interface OnConfig<I> extends ListenerConfig<I> {
  triggers?: TriggerLike | readonly TriggerLike[] | null;
}

/**
 * `gr.on(triggers, fn, inputs?, outputs?, options?)`: one listener for several triggers (S30).
 * `triggers` are event methods (`[name.submit, btn.click]`) or one of them; `null`/omitted means
 * "the change event of every input", as in Gradio. Also `gr.on({ triggers, fn, inputs, outputs })`
 * and, without `fn`, `gr.on({ triggers, inputs, outputs })` / `gr.on(triggers, { inputs, outputs })`
 * returning a registrar.
 *
 * @throws Error outside a build; TypeError when a trigger is not an event method, or when
 *   `triggers` is `null` and no input has a `change` event (the listener could never run).
 */
export function on<const I extends CellList = undefined>(
  triggers: TriggerLike | readonly TriggerLike[] | null | undefined,
  fn: Handler<I>,
  inputs?: I,
  outputs?: OutputList,
  options?: ListenerOptions,
): Dependency;
export function on<const I extends CellList = undefined>(config: OnConfig<I> & { fn: Handler<I> }): Dependency;
export function on<const I extends CellList = undefined>(config: OnConfig<I> & { fn?: undefined }): (fn: Handler<I>) => Dependency;
export function on<const I extends CellList = undefined>(
  triggers: TriggerLike | readonly TriggerLike[] | null | undefined,
  config: ListenerConfig<I> & { fn?: undefined },
): (fn: Handler<I>) => Dependency;
export function on(...args: unknown[]): unknown {
  const first = args[0];
  let triggerArg: unknown;
  let rest: unknown[];
  if (first && typeof first === "object" && !Array.isArray(first) && !("trigger" in (first as object))) {
    const { triggers, ...config } = first as OnConfig<CellList>;
    triggerArg = triggers;
    rest = [config];
  } else {
    triggerArg = first;
    rest = args.slice(1);
  }
  const triggers = resolveTriggers(triggerArg, rest);
  return register(triggers, rest, "gr.on");
}

function resolveTriggers(arg: unknown, rest: unknown[]): Trigger[] {
  if (arg == null) {
    // S73, as Gradio's `triggers=None`: every input's change, and the load of the Blocks being
    // built, so a derived output is right from the first read.
    const inputs = typeof rest[0] === "function" ? rest[1] : (rest[0] as ListenerConfig<CellList>)?.inputs;
    const cells = toArray(inputs as AnyCell | readonly AnyCell[] | null | undefined);
    const triggers: Trigger[] = cells.filter((c) => c._events.includes("change")).map((block) => ({ block, event: "change" }));
    const frame = currentBuild();
    // Inside a gr.render run the render itself is the "load" of its listeners (S110).
    if (frame && !frame.scope) triggers.push({ block: frame.blocks, event: "load" });
    return triggers;
  }
  const list = (Array.isArray(arg) ? arg : [arg]) as unknown[];
  return list.map((t, i) => {
    const trigger = (t as { trigger?: Trigger } | null)?.trigger;
    if (!trigger) throw new TypeError(`gr.on: triggers[${i}] is not an event method (pass e.g. btn.click, not btn.click()).`);
    return trigger;
  });
}

/**
 * Registering event listeners (S30): the argument forms shared by component event methods
 * (`btn.click(...)`) and the chaining methods (which reach {@link register} through the Blocks
 * being built), and `gr.on`.
 *
 * @packageDocumentation
 */
import { describeValue, isRecord } from "../core/errors";
import { toArray } from "./lists";
import {
  currentBuild,
  openBuild,
  type AnyCell,
  type CellList,
  type ChainLink,
  type Dependency,
  type EventListener,
  type BatchHandler,
  type Handler,
  type Inferred,
  type ListenerConfig,
  type ListenerOptions,
  type OutputList,
  type Trigger,
} from "./block";

/**
 * @internal Parses the argument forms of an event method and registers the listener.
 * `parent` links a chained listener (`.then`, `.success`, `.failure`) to its parent.
 */
export function register(
  triggers: Trigger[],
  args: unknown[],
  where: string,
  parent?: ChainLink,
): Dependency | ((fn: Handler<unknown>) => Dependency) {
  const first = args[0];
  if (typeof first === "function" || first == null) {
    const [fn, inputs, outputs, options] = args as [Handler<unknown>, CellList, OutputList, unknown];
    return create(triggers, { ...optionsObject(where, options), fn, inputs, outputs }, where, parent);
  }
  if (typeof first === "object" && args.length === 1) {
    const config = first as ListenerConfig<CellList>;
    if (config.fn || (config.fn === null && config.js != null)) return create(triggers, config, where, parent);
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

function create(
  triggers: Trigger[],
  config: ListenerConfig<CellList>,
  where: string,
  parent?: ChainLink,
): Dependency {
  const frame = openBuild(where, triggers[0]?.block._blocks ?? parent?.dependency.blocks);
  const blocks = frame.blocks;
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
  fn: BatchHandler<I>,
  inputs: I,
  outputs: OutputList,
  options: ListenerOptions<Inferred<I>> & { batch: true },
): Dependency;
export function on<const I extends CellList = undefined>(
  triggers: TriggerLike | readonly TriggerLike[] | null | undefined,
  fn: Handler<I>,
  inputs?: I,
  outputs?: OutputList,
  options?: ListenerOptions<Inferred<I>>,
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

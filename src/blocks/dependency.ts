/**
 * A registered event listener (Gradio's "dependency"): one `fn` with its triggers, inputs,
 * outputs and options. Dependencies are part of the template; runs live in sessions.
 *
 * @packageDocumentation
 */
import { checkOptions, checkSeconds, describeValue } from "../core/errors";
import type { AnyCell, CellList } from "./block";
import { toArray } from "./lists";
import type { Output } from "./layout";
import type { Blocks } from "./blocks";
import { register, type ChainKind, type Handler, type ListenerMethod, type Trigger } from "./listeners";

/** Options of an event listener (docs/02). */
export interface ListenerOptions {
  /**
   * Name for `session.call` and API clients (a non-empty string); default: the function's name;
   * `false` hides it.
   */
  apiName?: string | false;
  /** S38. Default: `always_last` when the first trigger is a `change`, `once` otherwise. */
  triggerMode?: TriggerMode;
  /**
   * S60. Runs at once across all sessions in this listener's concurrency group; `null` =
   * unlimited; `"default"` (the default) = `launch({ defaultConcurrencyLimit })`. A group whose
   * listeners give different limits uses the smallest.
   */
  concurrencyLimit?: number | null | "default";
  /** S60. Listeners sharing an id (a non-empty string) share one concurrency group. */
  concurrencyId?: string;
  /** S61. `false` bypasses the queue and its limits. Default `true`. */
  queue?: boolean;
  /** S39. Triggering this listener first cancels the runs of these in the same session. */
  cancels?: Dependency | readonly Dependency[];
  /** Seconds a run may take before it is cancelled with an error; greater than 0, at most 1e12 (`MAX_SECONDS`). */
  timeLimit?: number | null;
  /** Metadata for renderers. Default `"full"`. */
  showProgress?: "full" | "minimal" | "hidden";
  /**
   * Whether the listener streams its outputs (yields several times), as described to
   * renderers and API clients (`config()`, Gradio's `/config` and `/info`). Default: whether
   * `fn` is a generator function (`function*`, `async function*`). Declare it for a plain
   * function that returns an iterator (compiled or wrapped generators); it does not change how
   * the run goes (S35).
   */
  generator?: boolean;
}

/** The names of {@link ListenerOptions}: anything else is refused at registration. */
export const LISTENER_OPTIONS: readonly (keyof ListenerOptions)[] = [
  "apiName",
  "triggerMode",
  "concurrencyLimit",
  "concurrencyId",
  "queue",
  "cancels",
  "timeLimit",
  "showProgress",
  "generator",
];

/** S38: what happens when a listener is triggered while an earlier run of it is pending. */
export type TriggerMode = "once" | "multiple" | "always_last";

/** Options after defaults were applied. */
export interface ResolvedListenerOptions {
  /** As given; the unique name actually used is {@link Dependency.apiName}. */
  readonly apiName: string | false | undefined;
  readonly triggerMode: TriggerMode;
  readonly concurrencyLimit: number | null | "default";
  readonly concurrencyId: string | undefined;
  readonly queue: boolean;
  readonly cancels: readonly Dependency[];
  readonly timeLimit: number | null;
  readonly showProgress: "full" | "minimal" | "hidden";
  /** As given; the flag in effect is {@link Dependency.generator}. */
  readonly generator: boolean | undefined;
}

/** A chained child and the condition it runs on (S37). */
export interface ChainLink {
  readonly dependency: Dependency;
  readonly on: ChainKind;
}

/** The chaining methods' shape: the call forms of an event method. */
export type ChainMethod = ListenerMethod;

/**
 * One registered event listener. Returned by every registration; chain further listeners with
 * {@link Dependency.then}, {@link Dependency.success} and {@link Dependency.failure} (S37).
 */
export class Dependency {
  /** Chained children, in registration order. @internal */
  readonly _children: ChainLink[] = [];
  /**
   * Runs after this listener's run ends, whatever its outcome (S37). Same argument forms as
   * an event method.
   *
   * @throws Error outside the build that registered this listener.
   */
  readonly then: ChainMethod;
  /** Runs after this listener's run succeeded (S37). */
  readonly success: ChainMethod;
  /** Runs after this listener's run failed or was cancelled (S37, S39). */
  readonly failure: ChainMethod;

  /** @internal Created by `Blocks._addDependency`. */
  constructor(
    /** Registration-order id within its Blocks. */
    readonly id: number,
    /** The Blocks this listener belongs to. */
    readonly blocks: Blocks,
    /** The triggers, as `(block, eventName)`; empty for a chained listener. */
    readonly triggers: readonly Trigger[],
    /** The handler. */
    readonly fn: Handler<any>,
    /** Input cells, read when a run starts (S31). */
    readonly inputs: readonly AnyCell[],
    /** Output cells (and layout containers, S72), written with the handler's results (S32, S33). */
    readonly outputs: readonly Output[],
    /** Options with defaults applied. */
    readonly options: ResolvedListenerOptions,
    /** The parent of a chained listener. */
    readonly parent?: ChainLink,
  ) {
    this.then = this.chain("then");
    this.success = this.chain("success");
    this.failure = this.chain("failure");
  }

  /**
   * The unique name `session.call` and API clients use, or `false` when hidden. Assigned when
   * the Blocks is frozen: the given `apiName`, else the function's name, else `"lambda"`;
   * repeated names get `_1`, `_2`, ... as in Gradio.
   */
  apiName: string | false = false;

  /**
   * Whether the listener is described as streaming (renderers, API clients): the `generator`
   * option when given, else whether `fn` is a generator function.
   */
  get generator(): boolean {
    if (this.options.generator !== undefined) return this.options.generator;
    const kind = (Object.getPrototypeOf(this.fn) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction";
  }

  /** How messages name this listener: its given `apiName`, else its function's name, else `#id`. */
  get name(): string {
    return this.options.apiName || this.fn.name || `#${this.id}`;
  }

  /** A phrase for error messages: `listener "add_items"`, or `listener #3 (Button "Add".click)`. */
  describe(): string {
    if (this.options.apiName || this.fn.name) return `listener "${this.name}"`;
    const t = this.triggers[0];
    const where = t ? ` (${t.block.describe()}.${t.event})` : this.parent ? ` (${this.parent.on} of ${this.parent.dependency.describe()})` : "";
    return `listener #${this.id}${where}`;
  }

  private chain(on: ChainKind): ChainMethod {
    return ((...args: unknown[]) => register([], args, `${this.describe()}.${on}`, { dependency: this, on })) as ChainMethod;
  }
}

/**
 * @internal Applies defaults and checks options at build time (programmer errors throw here),
 * by name (nothing outside {@link LISTENER_OPTIONS}) and by type: a wrong type would otherwise
 * surface later and elsewhere (a BigInt `apiName` breaks `config()`).
 *
 * @throws TypeError "`where`: `option` must be …; got …" naming the listener's trigger, the
 *   option and the value.
 */
export function resolveOptions(
  options: ListenerOptions,
  triggers: readonly Trigger[],
  where: string,
): ResolvedListenerOptions {
  checkOptions(where, options, LISTENER_OPTIONS);
  const { apiName, concurrencyLimit = "default", concurrencyId, queue = true, timeLimit = null, showProgress = "full" } = options;
  const refuse = (option: string, expected: string, value: unknown): never => {
    throw new TypeError(`${where}: ${option} must be ${expected}; got ${describeValue(value)}.`);
  };
  if (apiName !== undefined && apiName !== false && (typeof apiName !== "string" || apiName === "")) {
    refuse("apiName", "a non-empty string or false", apiName);
  }
  if (concurrencyLimit !== null && concurrencyLimit !== "default") {
    if (typeof concurrencyLimit !== "number" || !Number.isInteger(concurrencyLimit) || concurrencyLimit < 1) {
      refuse("concurrencyLimit", 'a positive integer, null or "default"', concurrencyLimit);
    }
  }
  if (concurrencyId != null && (typeof concurrencyId !== "string" || concurrencyId === "")) {
    refuse("concurrencyId", "a non-empty string", concurrencyId);
  }
  if (typeof queue !== "boolean") refuse("queue", "true or false", queue);
  if (timeLimit !== null) checkSeconds(`${where}: timeLimit (or null)`, timeLimit);
  if (!SHOW_PROGRESS.includes(showProgress)) refuse("showProgress", '"full", "minimal" or "hidden"', showProgress);
  const mode = options.triggerMode ?? (triggers[0]?.event === "change" ? "always_last" : "once");
  if (!TRIGGER_MODES.includes(mode)) refuse("triggerMode", '"once", "multiple" or "always_last"', mode);
  if (options.generator !== undefined && typeof options.generator !== "boolean") refuse("generator", "true or false", options.generator);
  const cancels = toArray<Dependency>(options.cancels);
  cancels.forEach((d, i) => {
    if (!(d instanceof Dependency)) refuse(Array.isArray(options.cancels) ? `cancels[${i}]` : "cancels", "a listener (what registering one returns)", d);
  });
  return {
    apiName,
    triggerMode: mode,
    concurrencyLimit,
    concurrencyId: concurrencyId ?? undefined,
    queue,
    cancels,
    timeLimit,
    showProgress,
    generator: options.generator,
  };
}

const TRIGGER_MODES: readonly unknown[] = ["once", "multiple", "always_last"];
const SHOW_PROGRESS: readonly unknown[] = ["full", "minimal", "hidden"];

export type { CellList };

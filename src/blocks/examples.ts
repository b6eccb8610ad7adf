/**
 * `gr.Examples`: sample inputs a user clicks to fill the inputs in (Gradio's `gr.Examples`),
 * and `fn`'s results kept per example (`cacheExamples`).
 *
 * @packageDocumentation
 */
import { EventError, checkOptions, describeValue, isArraySafe, isPromiseLike } from "../core/errors";
import { deepCopy } from "../core/copy";
import { Cell, currentBuild, isGeneratorFunction, rejectionReason, type Dependency, type Handler, type Output } from "./block";
import { toArray } from "./lists";
import { isSkip, isUpdate, skip, update } from "./update";
import type { EngineContext, EventContext } from "./context";
import { Component } from "../components/component";
import { Dataset } from "../components/dataset";

/** Options of {@link Examples}. */
export interface ExamplesOptions {
  /**
   * One list of input values per example, a value per input in order (`null` leaves that input
   * out of the example); with one input, the values alone (`["Hi", "Hello"]`).
   */
  examples: readonly unknown[];
  /** The components the examples fill in. */
  inputs: Component<any> | readonly Component<any>[];
  /** With `runOnClick`: where `fn`'s results go. */
  outputs?: Output | readonly Output[];
  /** With `runOnClick`: run after an example is loaded, with every input (not only those the example fills). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fn's parameters are the inputs' values, as an Interface's
  fn?: (...args: any[]) => unknown;
  /** Run `fn` when an example is clicked. Default `false`, as in Gradio. */
  runOnClick?: boolean;
  /**
   * Gradio's `cache_examples`: a click on an example also writes `fn`'s results for it to the
   * outputs, computed by the first click on that example (in any session of any app of this
   * Blocks) on the example's own values (`null` for an input it leaves out) and kept once
   * written without error: later clicks write a copy without running `fn`. `true` and `"lazy"`
   * are the same here: Gradio's `true` runs `fn` on every example at launch, which a headless
   * app has no session for. Needs `fn` and `outputs`; `fn` may be async, not a generator. A
   * session whose Dataset shows other samples (`gr.update({ samples })`) runs `fn` on its inputs
   * each click, uncached. A run that fails or is cancelled keeps nothing. With it, the loading
   * listener also writes the Dataset's value (the index), for API clients. Default `false`.
   */
  cacheExamples?: boolean | "lazy";
  /** The Dataset's label. Default `"Examples"`. */
  label?: string | null;
  /** How many examples a page shows (metadata for renderers). Default 10. */
  examplesPerPage?: number;
  /** A label per example, shown instead of its values. */
  exampleLabels?: readonly string[] | null;
  /** The API name of the listener that loads an example. Default `false` (hidden). */
  apiName?: string | false;
  /** The Dataset's `visible`. Default `true`. */
  visible?: boolean | "hidden";
  /** The Dataset's `elemId`. */
  elemId?: string | null;
}

const EXAMPLES_OPTIONS: readonly (keyof ExamplesOptions)[] = [
  "examples",
  "inputs",
  "outputs",
  "fn",
  "runOnClick",
  "cacheExamples",
  "label",
  "examplesPerPage",
  "exampleLabels",
  "apiName",
  "visible",
  "elemId",
];

/**
 * `gr.Examples`: a {@link Dataset} of example inputs, made where it is created in a build; a
 * click on one (`session.trigger(examples.dataset, "click", { index })`; an API client sends the
 * index as the listener's input) writes the sample the session's Dataset shows (its `samples`,
 * which `gr.update` may replace per session) to the inputs, through a `queue: false` listener
 * hidden from the API unless `apiName` names it; then, with `runOnClick` and only after a load
 * that succeeded, runs `fn` on every input. As in Gradio, an input whose value is `null` in
 * every example is left out (not a column of the Dataset, not written); a `null` in one example
 * clears that input. A click that names no example fails (`EventError` `invalid_input`).
 *
 * ```ts
 * const name = new gr.Textbox({ label: "Name" });
 * const greeting = new gr.Textbox();
 * new gr.Examples({ examples: ["Ada", "Grace"], inputs: name, outputs: greeting, fn: (n: string) => `Hello ${n}`, runOnClick: true });
 * ```
 *
 * Each example value is checked (and normalised) by its input component when the Examples is
 * made, as a click writes it (S34: a JSON input's string is JSON text). With `cacheExamples`,
 * a click also writes `fn`'s results for the example, kept from its first click.
 *
 * @throws TypeError outside a Blocks build; for an input that is not a component (a State has
 *   no examples); for `examples` that are not a list, an example that is not a list of at most
 *   one value per input (unless there is one input), or a value its input refuses (naming the
 *   example, the component and the reason); for `runOnClick` without `fn`; for `cacheExamples`
 *   without `fn` or outputs, with a generator `fn`, or not `true`/`false`/`"lazy"`; for `exampleLabels`
 *   not one per example; and for an unknown option (with the nearest known one suggested).
 */
export class Examples {
  /** The Dataset that shows the examples (its value: the index of the one clicked). */
  readonly dataset: Dataset;
  /** The inputs, in order. */
  readonly inputs: readonly Component<unknown>[];
  /** `fn`'s outputs. */
  readonly outputs: readonly Output[];
  /** The examples as checked: one list per example, a value (or `null`) per input. */
  readonly examples: readonly (readonly unknown[])[];
  /** The listener a click on the Dataset runs: it writes the example to the inputs. */
  readonly loadInputEvent: Dependency;
  /** With `runOnClick`: the listener that runs `fn` after an example is loaded (its `.success`). */
  readonly runEvent: Dependency | undefined;

  constructor(options: ExamplesOptions);
  constructor(examples: readonly unknown[], inputs: Component<any> | readonly Component<any>[], options?: Omit<ExamplesOptions, "examples" | "inputs">);
  constructor(a: ExamplesOptions | readonly unknown[], b?: Component<any> | readonly Component<any>[], c?: Omit<ExamplesOptions, "examples" | "inputs">) {
    const known = EXAMPLES_OPTIONS as readonly string[] as readonly never[];
    const given = Array.isArray(a) ? { ...checkOptions<object>("Examples", c, known), examples: a, inputs: b } : a;
    const options = checkOptions<object>("Examples", given, known) as ExamplesOptions;
    const { examples, inputs, outputs, fn, runOnClick = false, cacheExamples = false, label = "Examples", examplesPerPage = 10, exampleLabels = null, apiName = false, visible, elemId } = options;
    const frame = currentBuild();
    if (!frame) throw new TypeError("Examples must be made inside a Blocks build (where its Dataset is shown).");
    const ins = toArray<Component<unknown>>(inputs as Component<unknown> | Component<unknown>[]);
    if (ins.length === 0) throw new TypeError("Examples: inputs must name at least one component.");
    ins.forEach((input: unknown, i) => {
      if (!(input instanceof Component)) {
        const what = input instanceof Cell ? input.describe() : describeValue(input);
        throw new TypeError(`Examples: inputs[${i}] must be a component (the examples fill components in); got ${what}.`);
      }
    });
    if (runOnClick && typeof fn !== "function") throw new TypeError("Examples: runOnClick needs fn, the function to run.");
    if (fn !== undefined && typeof fn !== "function") throw new TypeError(`Examples: fn must be a function; got ${describeValue(fn)}.`);
    if (typeof runOnClick !== "boolean") throw new TypeError(`Examples: runOnClick must be true or false; got ${describeValue(runOnClick)}.`);
    this.inputs = ins;
    this.outputs = toArray<Output>(outputs as Output | Output[] | undefined);
    const cached = checkCaching(cacheExamples, fn, this.outputs);
    this.examples = checkExamples(examples, ins);
    // As Gradio: an input no example gives a value is left out.
    const filled = ins.map((_, i) => this.examples.some((row) => row[i] !== null));
    const columns = ins.filter((_, i) => filled[i]);
    const samples = this.examples.map((row) => row.filter((_, i) => filled[i]));
    this.dataset = new Dataset({
      components: columns.map((c) => c.type),
      headers: columns.map((c) => (typeof c.props.label === "string" ? c.props.label : "")),
      samples,
      label: label ?? undefined,
      samplesPerPage: examplesPerPage,
      sampleLabels: exampleLabels,
      ...(visible === undefined ? {} : { visible }),
      ...(elemId == null ? {} : { elemId }),
    });
    const dataset = this.dataset;
    // The samples the session's Dataset shows (an update may have replaced them, as in Gradio).
    // The index is the Dataset's value: a click's `{ index }` sets it first, checked against the
    // session's samples (Dataset._eventValue), and an API client sends it as this input.
    const load = (index: number | null, ctx: EventContext): unknown => {
      if (index === null) throw new EventError("Examples: the click names no example; a renderer sends its index as { index }.", "invalid_input");
      const shown = (ctx as EngineContext)._propsOf(dataset).samples as readonly (readonly unknown[])[];
      const sample = shown[index];
      if (!Array.isArray(sample) || sample.length !== columns.length) {
        throw new EventError(`Examples: sample ${describeValue(sample)} does not give one value per column (${columns.length}).`, "invalid_input");
      }
      // Written as a listener's result, a fresh copy each click: a handler changing an input's
      // value in place must not change the example.
      const values = columns.map((input, i) => input._asOutput(deepCopy(sample[i])));
      // Cached: the Dataset's value too, so that the results written next are this example's
      // also when an API client loads it (its index is then this listener's input, not a click's).
      if (cached) return [index, ...values];
      return columns.length === 1 ? values[0] : values;
    };
    this.loadInputEvent = dataset.click(load, [dataset], cached ? [dataset, ...columns] : columns, { queue: false, showProgress: "hidden", apiName });
    // After a load that succeeded: a click naming no example runs nothing.
    if (cached) this.runEvent = cacheResults(this, fn!);
    else this.runEvent = runOnClick ? this.loadInputEvent.success(fn as Handler<unknown>, ins, this.outputs, { apiName: false }) : undefined;
  }
}

/**
 * Whether the examples' results are cached (`cacheExamples`).
 *
 * @throws TypeError for a value that is not `true`, `false` or `"lazy"`; or caching without `fn`,
 *   without outputs, or with a generator `fn`.
 */
function checkCaching(cacheExamples: unknown, fn: unknown, outputs: readonly Output[]): boolean {
  if (cacheExamples !== true && cacheExamples !== false && cacheExamples !== "lazy") {
    throw new TypeError(`Examples: cacheExamples must be true, false or "lazy"; got ${describeValue(cacheExamples)}.`);
  }
  if (cacheExamples === false) return false;
  if (typeof fn !== "function") throw new TypeError("Examples: cacheExamples needs fn, whose results it keeps.");
  if (outputs.length === 0) throw new TypeError("Examples: cacheExamples needs outputs, where fn's results go.");
  if (isGeneratorFunction(fn)) throw new TypeError("Examples: cacheExamples cannot keep the results of a generator fn (it yields several); cache a function's.");
  return true;
}

/**
 * The listeners of cached examples (`cacheExamples`), after a load that succeeded: the one that
 * writes `fn`'s results for the example (returned: `runEvent`), the kept ones when an earlier
 * click computed them, else `fn`'s on the example's own values (`null` for the inputs it leaves
 * out, as Gradio's cache calls it: never a session's values); and two of its own, which keep
 * those results once the run wrote them without error, or drop them. A session whose Dataset
 * shows other samples runs `fn` on its inputs, uncached.
 */
function cacheResults(examples: Examples, fn: (...args: unknown[]) => unknown): Dependency {
  const { dataset, inputs } = examples;
  const kept = new Map<number, unknown>();
  /** Results of runs not known to have written without error yet, by session. */
  const pending = new Map<string, { index: number; result: unknown }>();
  const hold = (ctx: EventContext, index: number, result: unknown): void => {
    try {
      pending.set(ctx.sessionHash, { index, result: copyResult(result) });
    } catch {
      // A result that cannot be copied is written, not kept: the next click runs fn again.
    }
  };
  const run = (index: unknown, ...rest: unknown[]): unknown => {
    const ctx = rest[inputs.length] as EngineContext;
    // Only the Blocks' own samples: a session shown others (an update) has other examples.
    const own = typeof index === "number" && ctx._propsOf(dataset).samples === dataset.props.samples && index < examples.examples.length;
    if (!own) return fn(...rest);
    if (kept.has(index)) return copyResult(kept.get(index));
    const result = fn(...examples.examples[index], ctx);
    if (!isPromiseLike(result)) {
      hold(ctx, index, result);
      return result;
    }
    return Promise.resolve(result).then((value) => {
      hold(ctx, index, value);
      return value;
    });
  };
  const runEvent = examples.loadInputEvent.success(run, [dataset, ...inputs], examples.outputs, { apiName: false });
  runEvent.success(
    (ctx: EventContext) => {
      const done = pending.get(ctx.sessionHash);
      pending.delete(ctx.sessionHash);
      if (done) kept.set(done.index, done.result);
    },
    undefined,
    undefined,
    { apiName: false, queue: false },
  );
  // A run that failed, was cancelled or hit its time limit keeps nothing.
  runEvent.failure((ctx: EventContext) => void pending.delete(ctx.sessionHash), undefined, undefined, { apiName: false, queue: false });
  return runEvent;
}

/**
 * A copy of a listener's result that means the same when returned again: `gr.skip()` and
 * `gr.update(...)` stay markers, a Map keeps its keys (the outputs), the values are copied.
 *
 * @throws what copying a value throws (a function, a value too deep).
 */
function copyResult(result: unknown): unknown {
  if (isSkip(result)) return skip();
  if (isUpdate(result)) return update(deepCopy({ ...result.changes }));
  if (result instanceof Map) return new Map([...result].map(([output, value]) => [output, copyResult(value)]));
  if (Array.isArray(result)) return result.map(copyResult);
  return deepCopy(result);
}

/**
 * The examples as one list per example, a value per input (missing ones `null`), each value
 * checked and normalised by its input (S34); a copy, so that changing the given lists changes
 * no example.
 */
function checkExamples(examples: unknown, inputs: readonly Component<unknown>[]): (readonly unknown[])[] {
  if (!isArraySafe(examples)) throw new TypeError(`Examples: examples must be a list; got ${describeValue(examples)}.`);
  const rows = examples.length === 0 || Array.isArray(examples[0]) ? examples : inputs.length === 1 ? examples.map((e) => [e]) : undefined;
  if (!rows) throw new TypeError(`Examples: with ${inputs.length} inputs, each example must be a list of values, one per input; got ${describeValue(examples[0])}.`);
  return rows.map((row: unknown, r) => {
    if (!Array.isArray(row) || row.length > inputs.length) {
      throw new TypeError(`Examples: example ${r} must be a list of at most ${inputs.length} value(s), one per input; got ${describeValue(row)}.`);
    }
    return inputs.map((input, i) => {
      const value: unknown = row[i] ?? null;
      if (value === null) return null;
      try {
        return deepCopy(input._normalizeAsOutput(value, input.props)); // as a click writes it (Gradio postprocesses examples)
      } catch (e) {
        throw new TypeError(`Examples: example ${r} has a value ${input.describe()} refuses: ${rejectionReason(e)}.`);
      }
    });
  });
}

/**
 * Calling a listener's handler (S31, S35, S36): its arguments and event context, a plain
 * value, a promise or a generator as its result, cancellation while it is awaited (S39), and
 * what it threw as an error the session can report.
 *
 * @packageDocumentation
 */
import { AppError, EventError, currentRun, describeValue, follow, isPromiseLike, toError, whenSettled, type AlertSink, type AppErrorOptions } from "../core/errors";
import { DIRECT, type Invoker } from "../core/async-context";
import { UNSET } from "../core/dataflow";
import type { Block, Dependency } from "../blocks/block";
import type { EngineContext, EventData, Progress, RequestInfo } from "../blocks/context";
import { secondsToMs } from "./clock";
import { makeProgress } from "./progress";
import { REVOKED, isRevokedProxyError, resultError, unreadable } from "./outputs";
import { isValidation } from "../blocks/update";
import type { RunSite } from "./sites";

/** @internal How a run goes on once its handler answered; the scheduler's functions. */
export interface RunEnds {
  /** The handler's value arrived: apply it and end the run. */
  complete(run: RunSite, value: unknown): void;
  /** The run ended, nothing thrown. */
  release(run: RunSite): void;
  /** The run ended with `thrown`, what the handler threw or rejected with (`undefined` too). */
  fail(run: RunSite, thrown: unknown): void;
  /** A generator yielded a set of outputs (S35). */
  apply(run: RunSite, value: unknown): void;
}

/** @internal The event context handlers receive (S31); one per run, created on first use. */
export class RunContext implements EngineContext {
  constructor(private readonly run: RunSite) {}
  get sessionHash(): string {
    return this.run.session.sessionHash;
  }
  get request(): RequestInfo & { sessionHash: string } {
    return { ...this.run.session.request, sessionHash: this.run.session.sessionHash };
  }
  get event(): EventData {
    return this.run.event;
  }
  get target(): Block | undefined {
    return this.run.target;
  }
  get signal(): AbortSignal {
    return this.run.signal;
  }
  private _progress: Progress | undefined;
  get progress(): Progress {
    return (this._progress ??= makeProgress((m) => this.run.live && this.run.session._message({ type: "progress", dependency: this.run.dependency.id, ...m, run: this.run.id })));
  }
  info(message: string, options?: AppErrorOptions): void {
    this.run.alert("info", message, options);
  }
  warning(message: string, options?: AppErrorOptions): void {
    this.run.alert("warning", message, options);
  }
  success(message: string, options?: AppErrorOptions): void {
    this.run.alert("success", message, options);
  }
  _hasRuns(dependency: object): boolean {
    return this.run.session._hasRuns(dependency as Dependency);
  }
  _propsOf(block: object): Readonly<Record<string, unknown>> {
    return this.run.session._propsOf(block as Parameters<RunSite["session"]["_propsOf"]>[0]);
  }
}

type NextMethod = (this: unknown) => unknown;

/**
 * @internal The `next` method of an iterator (a generator, S35), read once as `for...of` does;
 * else undefined.
 *
 * @throws what a getter or Proxy trap of `value` throws.
 */
export function nextMethodOf(value: unknown): NextMethod | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const next = (value as { next?: unknown }).next;
  const iterator =
    typeof next === "function" &&
    (Symbol.iterator in value || Symbol.asyncIterator in value) &&
    typeof (value as { throw?: unknown }).throw === "function";
  return iterator ? (next as NextMethod) : undefined;
}

/** A generator's step (S35) or cancellation (S39), whichever comes first; the step followed as `await` follows it. */
async function raceCancel<T>(promise: PromiseLike<T>, run: RunSite): Promise<T | undefined> {
  const result = await Promise.race([follow(promise), run.whenCancelled()]);
  return run.cancelled ? undefined : (result as T);
}

/**
 * @internal Calls the handler (S31, S35) and hands its result on; every path ends in `ends.release`.
 *
 * The common case (a value that is no promise or generator) stays in this function, and every
 * other in functions of their own, as along the whole run path (run.ts): V8 inlines a function
 * into its caller only while the bytecode inlined there stays within a budget (460 bytes per
 * function, 920 in all), so cold branches kept here crowd the calls of the common case out.
 * Measured on `bench/floor.ts`'s fan-out (Node 20, medians of 6-8 processes, each comparison
 * in one alternating batch): raising that budget by flag took the engine from 1.12× the floor
 * to 1.02×; splitting the run path so, from 1.10× to 0.94×.
 */
export function invoke(run: RunSite, ends: RunEnds): void {
  if (run.cancelled) return ends.release(run);
  const { session, dependency } = run;
  const options = dependency.options;
  run.stage = "running";
  session._status(dependency, "running", undefined, run.id);
  if (options.timeLimit !== null) armTimeLimit(run, options.timeLimit);
  if (options.validator !== undefined && !run.judged) return invokeValidated(run, ends);
  let result: unknown;
  try {
    result = callHandler(run, run.runtime.context);
  } catch (e) {
    return ends.fail(run, e);
  }
  // A primitive (most results): neither a promise nor a generator, and nothing to read.
  if (result === null || (typeof result !== "object" && typeof result !== "function")) return ends.complete(run, result);
  settle(run, result, ends);
}

/** {@link invoke} for a result that is an object or a function: a promise, a generator or a value. */
function settle(run: RunSite, result: unknown, ends: RunEnds): void {
  const dependency = run.dependency;
  // Telling a promise or a generator from a value reads the result (`then`, `next`): a getter
  // or Proxy trap may throw there, and the run must still end and free its slot.
  let thenable: boolean;
  let next: NextMethod | undefined;
  try {
    thenable = isPromiseLike(result);
    next = thenable ? undefined : nextMethodOf(result);
    if (thenable) {
      whenSettled(
        result as PromiseLike<unknown>,
        (value) => ends.complete(run, value),
        (e: unknown) => ends.fail(run, e),
      );
      // A run something can cancel (a handle's, RunHandle.cancel) ends at the first of the two;
      // the other then finds it ended.
      if (run.runtime.cancellable || run.watcher) void run.whenCancelled().then(() => ends.release(run));
      return;
    }
  } catch (e) {
    return ends.fail(run, resultError(dependency, undefined, e));
  }
  if (next) {
    stream(run, result as object, next, run.runtime.cancellable || run.watcher !== undefined, ends).then(
      () => ends.release(run),
      (e: unknown) => ends.fail(run, e),
    );
  } else ends.complete(run, result);
}

/** @internal S39: cancels the run once its listener's `timeLimit` (seconds) has passed. */
export function armTimeLimit(run: RunSite, limit: number): void {
  const { session, dependency } = run;
  run.timer = session.app.clock.setTimeout(() => {
    const err = new EventError(`${dependency.describe()} exceeded its time limit of ${limit} s and was cancelled.`, "time_limit");
    session._reportError(err, dependency, run.id);
    run.cancel(err);
  }, secondsToMs(limit));
}

/**
 * @internal What a run failed with, as an Error the session can report (S36): what the handler threw,
 * as it is, unless it is no Error (a number, a revoked Proxy: an Error naming the listener),
 * the engine cannot read it (an Error whose `message` getter throws), or it is the TypeError of
 * a revoked Proxy, which the promise of an async handler that resolved to one rejects with.
 * Those two become an EventError naming the listener.
 * Never throws: the run must go on to free its slot and locks.
 */
export function failure(dependency: Dependency, thrown: unknown): Error {
  try {
    // toError's "non-Error thrown: …" would not say which listener; still a plain Error, which
    // users see only with showError (S36), as what app code throws.
    if (typeof thrown !== "string" && toError(thrown) !== thrown) {
      return new Error(`${dependency.describe()} threw a non-Error value: ${describeValue(thrown)}.`);
    }
    const error = toError(thrown);
    void error.message; // as _reportError will
    if (error instanceof AppError) {
      void error.title;
      void error.duration;
      return error;
    }
    if (isRevokedProxyError(error)) return unreadable(`${dependency.describe()} used or returned ${REVOKED}.`, error);
    return error;
  } catch {
    return unreadable(`${dependency.describe()} threw a value that could not be read.`, thrown);
  }
}

/**
 * Calls the handler with one value per input (S31), then the event context when the handler
 * can see it (see {@link takesContext}); up to 4 arguments without an array of them. The run is
 * the current one there, for `gr.Info` (S36): in its trigger's async context when it kept one
 * (a run that waited, see `Run.keepContext`), else in the caller's.
 */
function callHandler(run: RunSite, context: boolean): unknown {
  if (run.scope !== undefined) return callInScope(run, context);
  const inputs = run.runtime.inputs;
  // Most handlers: one input, no context (small, so that V8 inlines it; see invoke).
  if (!context && inputs.length === 1 && !run.inputValues && !run.runtime.asMap) return currentRun.call(run, run.dependency.fn, 1, run.session._read(inputs[0]));
  return callWithInputs(run, context, currentRun);
}

/**
 * {@link callHandler} in the run's kept scope (which it lets go). Where the scope undoes an
 * `enter` when it returns (Node 24), the run is entered there: one context frame for the call
 * instead of a `run`'s two (measured: 58 against 257 ns a call). Elsewhere the run is made
 * current by `run`, as the scope would keep an entered run for what follows the handler (the
 * code of a run that waited runs in that same scope).
 */
function callInScope(run: RunSite, context: boolean): unknown {
  const scope = run.scope!;
  run.scope = undefined;
  return scope.runInAsyncScope(currentRun.scopedEnter ? callEntered : callRunning, undefined, run, context);
}

/** {@link callInScope}'s call, inside the scope: the run entered, then the handler called as is. */
function callEntered(run: RunSite, context: boolean): unknown {
  currentRun.enter(run);
  return callWithInputs(run, context, DIRECT);
}

/** {@link callInScope}'s call, inside the scope, where an `enter` would outlast it. */
function callRunning(run: RunSite, context: boolean): unknown {
  return callWithInputs(run, context, currentRun);
}

/** {@link callHandler}'s general case; `via` makes the run current for the call (or it is already). */
function callWithInputs(run: RunSite, context: boolean, via: Invoker<AlertSink>): unknown {
  const { fn } = run.dependency;
  const inputs = run.runtime.inputs;
  const n = inputs.length;
  const count = context ? n + 1 : n;
  if (count > 4 || run.inputValues || run.runtime.asMap) return via.run(run, fn, handlerArguments(run, context));
  // Inputs are read when the run starts (S31), under its Global locks (S8), in order.
  const session = run.session;
  const a = n > 0 ? session._read(inputs[0]) : context ? run.ctx : undefined;
  const b = n > 1 ? session._read(inputs[1]) : context && n === 1 ? run.ctx : undefined;
  const c = n > 2 ? session._read(inputs[2]) : context && n === 2 ? run.ctx : undefined;
  const d = n > 3 ? session._read(inputs[3]) : context && n === 3 ? run.ctx : undefined;
  return via.call(run, fn, count, a, b, c, d);
}

/**
 * The handler's arguments: one value per input (S31), then the event context when it can see
 * it; for inputs given as a Set, one Map of their values instead.
 */
function handlerArguments(run: RunSite, context: boolean): unknown[] {
  const inputs = run.runtime.inputs;
  const n = inputs.length;
  const args = inputValues(run, context ? n + 1 : n);
  if (run.runtime.asMap) {
    // Gradio's set notation: one dict of the input values, keyed by their cells.
    const values = new Map(inputs.map((node, i) => [node.cell, args[i]]));
    return context ? [values, run.ctx] : [values];
  }
  if (context) args[n] = run.ctx;
  return args;
}

/**
 * @internal The run's input values, one per input in order, in an array of `length` (S31):
 * what `session.call` gave, else the session's own (UNSET in what it gave means that too).
 */
export function inputValues(run: RunSite, length: number): unknown[] {
  const inputs = run.runtime.inputs;
  const given = run.inputValues;
  const values = new Array(length);
  for (let i = 0; i < inputs.length; i++) values[i] = given && given[i] !== UNSET ? given[i] : run.session._read(inputs[i]);
  return values;
}

/**
 * @internal Whether a handler can see the event context passed after its `inputs` values
 * (S31): it declares a parameter for it, or it could reach it through a rest parameter, a
 * default value (which hides later parameters from `fn.length`) or `arguments`. Decided once
 * per listener from `fn.length` and the function's source; anything it cannot read (a bound
 * or native function, a Proxy) is taken to see it. A handler that cannot see it is not given
 * one, so most runs make no context object.
 */
export function takesContext(fn: (...args: never[]) => unknown, inputs: number): boolean {
  try {
    if (fn.length > inputs) return true;
    const source = Function.prototype.toString.call(fn);
    if (source.includes("arguments") || source.includes("[native code]")) return true;
    const params = parameterList(source);
    return params === undefined || params.includes("...") || params.includes("=") || params.includes("/");
  } catch {
    return true;
  }
}

/**
 * @internal The names of a function's parameters, as Gradio reads them from a validator's
 * signature to name its verdicts (`parameter_name`): from its source, each a plain name (an
 * entry that is not one, such as a destructured parameter, is `undefined`); `undefined` when the
 * source cannot be read (a bound or native function, a Proxy).
 */
export function parameterNames(fn: (...args: never[]) => unknown): (string | undefined)[] | undefined {
  let params: string | undefined;
  try {
    params = parameterList(Function.prototype.toString.call(fn));
  } catch {
    return undefined;
  }
  if (params === undefined) return undefined;
  return topLevelParts(params.replace(/^\s*async\b/, "").replace(/^\s*\(|\)\s*$/g, "")).map((part) => {
    const name = part.trim();
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
  });
}

/** `text` split at its commas outside brackets and quotes (a parameter list's parameters). */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The text of a function's parameter list, from its source; `undefined` when not found. */
function parameterList(source: string): string | undefined {
  const open = source.indexOf("(");
  const arrow = source.indexOf("=>");
  // `x => ...` (or `async x => ...`): one plain parameter, before any parenthesis.
  if (arrow >= 0 && (open < 0 || arrow < open)) return source.slice(0, arrow);
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return source.slice(open + 1, i);
  }
  return undefined;
}

/**
 * {@link invoke} for a listener with a validator (Gradio's `validator=`, see
 * `ListenerOptions.validator`): in the run's trigger context, reads the inputs once, calls the
 * validator with them, and then the handler with the same values, so that the handler gets
 * exactly what was judged. Inputs are read when the run starts (S31), after its queue and
 * under its Global locks (S8), so this is when it is judged too. A refusal, or a validator
 * that throws, fails the run and starts nothing chained to it (`Run.refuse`); an awaited
 * validator loses to a cancellation (S39) and counts in the time limit.
 */
function invokeValidated(run: RunSite, ends: RunEnds): void {
  const scope = run.scope;
  if (scope === undefined) return validateThenCall(run, ends);
  run.scope = undefined;
  scope.runInAsyncScope(validateThenCall, undefined, run, ends);
}

/** {@link invokeValidated} in the run's context. */
function validateThenCall(run: RunSite, ends: RunEnds): void {
  const dependency = run.dependency;
  const validator = dependency.options.validator!;
  let values: unknown[];
  let verdict: unknown;
  let thenable: boolean;
  try {
    values = handlerArguments(run, false);
    verdict = currentRun.run(run, validator, run.runtime.validatorContext ? [...values, run.ctx] : values);
    thenable = isPromiseLike(verdict);
  } catch (e) {
    return refuse(run, ends, validatorError(dependency, e));
  }
  if (!thenable) return judgeThenCall(run, ends, values, verdict);
  whenSettled(
    Promise.race([follow(verdict as PromiseLike<unknown>), run.whenCancelled()]),
    (answer) => judgeThenCall(run, ends, values, answer),
    (e) => refuse(run, ends, validatorError(dependency, e)),
  );
}

/** {@link validateThenCall} once the validator answered `verdict`: the handler, with `values`, unless it refused one. */
function judgeThenCall(run: RunSite, ends: RunEnds, values: unknown[], verdict: unknown): void {
  if (run.cancelled) return ends.release(run);
  const dependency = run.dependency;
  let refused: Refusal[];
  try {
    refused = refusals(run, verdict);
  } catch (e) {
    return refuse(run, ends, resultError(dependency, undefined, e, "'s validator returned"));
  }
  if (refused.length > 0) return refuse(run, ends, refusalError(dependency, refused));
  let result: unknown;
  try {
    result = currentRun.run(run, dependency.fn, run.runtime.context ? [...values, run.ctx] : values);
  } catch (e) {
    return ends.fail(run, e);
  }
  if (result === null || (typeof result !== "object" && typeof result !== "function")) return ends.complete(run, result);
  settle(run, result, ends);
}

/** The error of a run whose validator refused `refused`: an EventError naming each of them. */
function refusalError(dependency: Dependency, refused: readonly Refusal[]): EventError {
  const text = refused.map((r) => `${r.node ? r.node.describe() : "its inputs"}: ${r.message}`).join("; ");
  const inputs = refused.filter((r) => r.node !== undefined).map((r) => ({ id: r.node!._id, message: r.message }));
  return new EventError(`${dependency.describe()} did not run: its validator refused ${text}.`, "invalid_input", inputs);
}

/**
 * @internal A validator's answer on a run's inputs, judged before the run is queued (see
 * {@link prejudge}).
 */
export interface Judgement {
  /**
   * The answer as Gradio lists it for its clients (`process_validation_response`): for an
   * answer per input, one entry per input it answers for (anything but a `gr.validate(...)` is
   * valid); for one verdict on all inputs, that verdict; for no verdict, one valid entry.
   * `given` tells a `gr.validate(...)` from an entry that stands for none.
   */
  readonly verdicts: readonly { readonly isValid: boolean; readonly message: string; readonly given: boolean }[];
  /** What the run would fail with at its start: an EventError naming each refused input; undefined when none is. */
  readonly error: EventError | undefined;
}

const VALID = Object.freeze({ isValid: true, message: "", given: false });

/**
 * @internal Gradio's check at `queue/join` (`Queue.push`): calls the listener's validator on
 * `run`'s inputs (its given input values, its States read now) before the run is queued, as the
 * run's start would (in the caller's context, the run current for `gr.Info`, its event context
 * when the validator takes one). `run` is not scheduled; a run started afterwards with
 * `judged` set does not call the validator again. An awaited validator counts in the
 * listener's `timeLimit`.
 *
 * @returns the judgement (refused inputs, if any, in `error`).
 * @throws (rejects with) what the validator threw, as the run would fail with it, an EventError
 *   (`unreadable_value`) when its answer cannot be read, or (`time_limit`) when it answers too late.
 */
export function prejudge(run: RunSite): Promise<Judgement> {
  const dependency = run.dependency;
  return new Promise<Judgement>((resolve, reject) => {
    const judge = (answer: unknown): void => {
      try {
        resolve(judgement(run, answer));
      } catch (e) {
        reject(resultError(dependency, undefined, e, "'s validator returned"));
      }
    };
    const failed = (e: unknown): void => reject(validatorError(dependency, e));
    let verdict: unknown;
    try {
      const values = handlerArguments(run, false);
      verdict = currentRun.run(run, dependency.options.validator!, run.runtime.validatorContext ? [...values, run.ctx] : values);
      if (!isPromiseLike(verdict)) return judge(verdict);
    } catch (e) {
      return failed(e);
    }
    const limit = dependency.options.timeLimit;
    const clock = run.session.app.clock;
    const timer =
      limit === null
        ? undefined
        : clock.setTimeout(() => reject(new EventError(`The validator of ${dependency.describe()} exceeded the time limit of ${limit} s.`, "time_limit")), secondsToMs(limit));
    const stop = (): void => {
      if (timer !== undefined) clock.clearTimeout(timer);
    };
    whenSettled(
      verdict as PromiseLike<unknown>,
      (answer) => (stop(), judge(answer)),
      (e) => (stop(), failed(e)),
    );
  });
}

/** {@link prejudge}'s judgement of the validator's `answer`. @throws what reading it throws. */
function judgement(run: RunSite, answer: unknown): Judgement {
  const { all, verdicts } = readAnswer(run, answer);
  const refused = refusalsIn(run, all, verdicts);
  return {
    verdicts: verdicts.length === 0 ? [VALID] : verdicts.map((v) => (v ? { isValid: v.isValid, message: v.message, given: true } : VALID)),
    error: refused.length > 0 ? refusalError(run.dependency, refused) : undefined,
  };
}

/** The validator refused the run (or failed): it fails, and nothing chained to it starts. */
function refuse(run: RunSite, ends: RunEnds, error: Error): void {
  run.refuse();
  ends.fail(run, error);
}

/** What a validator threw (or rejected with), as the run's error. */
function validatorError(dependency: Dependency, thrown: unknown): Error {
  const error = failure(dependency, thrown);
  if (error instanceof AppError) return error; // a gr.Error, an EventError: shown as they are
  return new Error(`The validator of ${dependency.describe()} failed: ${error.message}`, { cause: error });
}

/** A refused input of a validator's answer: its node (none for a verdict on all of them) and why. */
interface Refusal {
  readonly node: RunSite["runtime"]["inputs"][number] | undefined;
  readonly message: string;
}

/** A `gr.validate(...)` verdict as read from a validator's answer. */
interface Verdict {
  readonly isValid: boolean;
  readonly message: string;
}

/**
 * A validator's answer, each part read once: one `gr.validate(...)` per input in order
 * (entries past the inputs ignored, anything that is not a verdict `undefined`), or one for
 * all of them (`all`); no verdicts for anything else.
 *
 * @throws what reading the answer throws (a Proxy's traps, a getter).
 */
function readAnswer(run: RunSite, value: unknown): { all: boolean; verdicts: (Verdict | undefined)[] } {
  if (isValidation(value)) return { all: true, verdicts: [{ isValid: value.isValid, message: value.message }] };
  if (!Array.isArray(value)) return { all: false, verdicts: [] };
  const n = Math.min(value.length, run.runtime.inputs.length);
  const verdicts: (Verdict | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const verdict: unknown = value[i];
    verdicts.push(isValidation(verdict) ? { isValid: verdict.isValid, message: verdict.message } : undefined);
  }
  return { all: false, verdicts };
}

/** The inputs `verdicts` refuse (see {@link readAnswer}), each with its message. */
function refusalsIn(run: RunSite, all: boolean, verdicts: readonly (Verdict | undefined)[]): Refusal[] {
  const refused: Refusal[] = [];
  for (let i = 0; i < verdicts.length; i++) {
    const verdict = verdicts[i];
    if (verdict && !verdict.isValid) refused.push({ node: all ? undefined : run.runtime.inputs[i], message: verdict.message });
  }
  return refused;
}

/**
 * The inputs a validator's answer refuses, each with its message (see {@link readAnswer}).
 *
 * @throws what reading the answer throws (a Proxy's traps, a getter).
 */
function refusals(run: RunSite, value: unknown): Refusal[] {
  const { all, verdicts } = readAnswer(run, value);
  return refusalsIn(run, all, verdicts);
}

const NO_ARGUMENTS: readonly unknown[] = Object.freeze([]);

/** S35: each yield is a full set of outputs; the last one stays. */
async function stream(run: RunSite, iterator: object, next: NextMethod, cancellable: boolean, ends: RunEnds): Promise<void> {
  const { session, dependency } = run;
  let exhausted = false;
  try {
    // A run cancelled at a yield stops there: its generator is not stepped again (S39).
    while (!run.cancelled) {
      const pending = currentRun.run<unknown>(run, next, NO_ARGUMENTS, iterator);
      let thenable: boolean;
      try {
        thenable = isPromiseLike(pending);
      } catch (e) {
        throw resultError(dependency, undefined, e, "yielded");
      }
      const step = !thenable ? pending : cancellable ? await raceCancel(pending as PromiseLike<unknown>, run) : await pending;
      if (run.cancelled) break;
      if (typeof step !== "object" || step === null) {
        // `for...of` throws here too; carrying on would loop forever on a synchronous `next`.
        throw new EventError(
          `${dependency.describe()} returned an iterator whose next() returned a non-object (${describeValue(step)}); it must return { value, done }.`,
          "unreadable_value",
        );
      }
      let done: unknown;
      let value: unknown;
      try {
        done = (step as IteratorResult<unknown>).done;
        if (!done) value = (step as IteratorResult<unknown>).value;
      } catch (e) {
        throw resultError(dependency, undefined, e, "yielded");
      }
      if (done) {
        exhausted = true;
        break;
      }
      session._status(dependency, "generating", undefined, run.id);
      ends.apply(run, value);
      // A synchronous generator is stepped without awaiting: past the slice's budget it waits
      // for a later one, or its time limit, a stop button and every other session would wait
      // for its last yield (an endless one would hold the process).
      if (!thenable && session.app._slicer.overBudget()) await session.app._slicer.nextSlice();
    }
  } finally {
    if (!exhausted) {
      // Cancelled, or a yield was rejected (S34) or the generator threw: stop it at its yield
      // so its `finally` blocks run; anything it still produces is discarded.
      Promise.resolve()
        .then(() => (iterator as Iterator<unknown>).return?.())
        .catch(() => undefined);
    }
  }
}

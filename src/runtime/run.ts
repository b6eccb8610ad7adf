/**
 * Running event listeners: trigger modes (S38), the queue (S60-S62), cancellation and time
 * limits (S39), handler invocation (S31, S35, S36), output normalisation and atomic writes
 * (S32-S34), change propagation (S37, S50-S56) and chaining (S37).
 *
 * Everything here is per session: a run belongs to one session and touches only that
 * session's cells (and the app's Globals, under their locks).
 *
 * @packageDocumentation
 */
import {
  AppError,
  EventError,
  ValueTooDeep,
  currentRun,
  describeValue,
  isStackOverflow,
  nearestName,
  toError,
  MAX_VALUE_DEPTH,
  type AlertSink,
  type AlertType,
  type AppErrorOptions,
} from "../core/errors";
import { Cell, UNSET, ValueRejection, type AnyCell } from "../blocks/block";
import type { Dependency } from "../blocks/dependency";
import { makeProgress } from "./progress";
import type { EventContext, EventData, Progress, RequestInfo } from "../blocks/listeners";
import { LayoutBlock, type Output } from "../blocks/layout";
import { isSkip, isUpdate } from "../blocks/update";
import { Component, type Props } from "../components/component";
import { Cascade, type RunOutcome } from "./cascade";
import type { ConcurrencyGroup, Slicer, Waiter } from "./queue";
import type { App } from "./app";
import type { Comparison, Session } from "./session";

/** How many `.change` rounds one cascade may go through before it is stopped as a cycle. */
export const MAX_CHANGE_DEPTH = 50;

/** @internal Why a run exists: the chain of `.change` triggers that led to it (cycle detection). */
export interface Lineage {
  readonly depth: number;
  readonly cell: AnyCell;
  readonly dependency: Dependency;
  readonly parent: Lineage | undefined;
}

/** @internal Per (session, listener) bookkeeping for S38 and S39. */
export interface DependencyState {
  /**
   * The runs started and not yet ended, usually none or one. An array, not a `Set`: V8's
   * ordered hash tables do not reuse deleted slots, so a Set that gains and loses a run per
   * event keeps rehashing (measured: a third of the cost of a queued event).
   */
  readonly runs: Run[];
  rerun: Run | undefined;
}

/** @internal Options of {@link schedule}. */
export interface ScheduleOptions {
  event?: EventData;
  lineage?: Lineage;
  /** Input values given by `session.call` instead of reading the cells; UNSET: read the cell. */
  inputValues?: unknown[];
  /** `session.call`: run even when a run is pending (API calls are not subject to S38). */
  ignoreTriggerMode?: boolean;
  /** Receives the run (for `session.call` to read its outputs). */
  onRun?: (run: Run) => void;
}

type Stage = "waiting" | "queued" | "running" | "done";

/** The event context handlers receive (S31); one per run, created on first use. */
class RunContext implements EventContext {
  constructor(private readonly run: Run) {}
  get sessionHash(): string {
    return this.run.session.sessionHash;
  }
  get request(): RequestInfo & { sessionHash: string } {
    return { ...this.run.session.request, sessionHash: this.run.session.sessionHash };
  }
  get event(): EventData {
    return this.run.event;
  }
  get signal(): AbortSignal {
    return this.run.signal;
  }
  private _progress: Progress | undefined;
  get progress(): Progress {
    return (this._progress ??= makeProgress((m) => this.run.session._message({ type: "progress", dependency: this.run.dependency.id, ...m, run: this.run.id })));
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
}

/**
 * The parts of a {@link Run} that most runs never use (cancellation, a time limit, a handle or
 * `session.call` following it), made on first use: a queued run is only this small while it
 * waits, and a burst keeps thousands of them alive (issue 11: their size set the length of the
 * young-generation GCs that stalled the event loop).
 */
class RunExtras {
  cancelReason: Error | undefined = undefined;
  outputValues: unknown[] | undefined = undefined;
  watcher: ((outputs: unknown[]) => void) | undefined = undefined;
  abortController: AbortController | undefined = undefined;
  cancelPromise: Promise<void> | undefined = undefined;
  cancelWake: (() => void) | undefined = undefined;
  timer: unknown = undefined;
}

/** @internal One execution of a listener in a session. */
export class Run implements AlertSink, Waiter {
  stage: Stage = "waiting";
  cancelled = false;
  /** The run's id within its app (`RunHandle.id`, the `run` of its messages); 0 for none. */
  id = 0;
  private extras: RunExtras | undefined = undefined;
  private context: RunContext | undefined = undefined;
  group: ConcurrencyGroup | undefined = undefined;
  /** Whether the run holds a slot of its concurrency group (S60). */
  entered = false;
  /** How many of its Global locks it holds (S8). */
  locked = 0;

  private get more(): RunExtras {
    return (this.extras ??= new RunExtras());
  }

  get cancelReason(): Error | undefined {
    return this.extras?.cancelReason;
  }

  /**
   * The values last written to each output, kept only when `session.call` asks (it sets this to
   * an empty array before the run starts).
   */
  get outputValues(): unknown[] | undefined {
    return this.extras?.outputValues;
  }
  set outputValues(values: unknown[] | undefined) {
    this.more.outputValues = values;
  }

  /** Told each set of outputs the run writes; set by `session.run` (a handle follows the run). */
  get watcher(): ((outputs: unknown[]) => void) | undefined {
    return this.extras?.watcher;
  }
  set watcher(watcher: ((outputs: unknown[]) => void) | undefined) {
    this.more.watcher = watcher;
  }

  /** Its time-limit timer, if it has a time limit (S39). */
  get timer(): unknown {
    return this.extras?.timer;
  }
  set timer(timer: unknown) {
    this.more.timer = timer;
  }

  /**
   * Shape anchors: one inert instance of each per-event class, held as long as this class is.
   * V8 keeps the hidden classes that field initialisers build only while some instance is
   * alive; a full GC while no event is in flight (an idle server) collects them and
   * deoptimises every function compiled against them, so the next ~20,000 events ran
   * unoptimised (measured: 3-5× slower for the first 10,000 events after a GC, without these).
   */
  static readonly _shapeAnchors: readonly object[] = (() => {
    const inert = new Run(undefined as never, undefined as never, [], undefined, undefined, undefined);
    inert.timer = undefined; // makes its RunExtras
    return [new Cascade(), inert, inert.ctx, inert.extras!];
  })();

  constructor(
    readonly session: Session,
    readonly dependency: Dependency,
    /** The cascades this run counts in; shared with its trigger, so never mutated in place. */
    public cascades: readonly Cascade[],
    public event: EventData,
    public lineage: Lineage | undefined,
    readonly inputValues: unknown[] | undefined,
  ) {}

  get ctx(): RunContext {
    return (this.context ??= new RunContext(this));
  }

  get signal(): AbortSignal {
    return (this.more.abortController ??= new AbortController()).signal;
  }

  alert(type: AlertType, message: string, options: AppErrorOptions = {}): void {
    this.session._message({ type, message, title: options.title, duration: options.duration, dependency: this.dependency.id, run: this.id });
  }

  /** Joins the group's queue (S60); `admit` continues the run or ends it as cancelled. */
  enqueue(group: ConcurrencyGroup): void {
    this.group = group;
    this.stage = "queued";
    const position = group.enqueue(this);
    this.session._status(this.dependency, "pending", position, this.id);
  }

  admit(entered: boolean): void {
    this.session.app._waiting--;
    if (entered) begin(this, true);
    else finish(this, "cancelled", this.cancelReason);
  }

  /** Resolves when the run is cancelled; lets an `await` on the handler be abandoned (S39). */
  whenCancelled(): Promise<void> {
    const more = this.more;
    return (more.cancelPromise ??= new Promise((resolve) => (more.cancelWake = resolve)));
  }

  /** Cancels the run (S39): removes it from the queue or abandons the handler's result. */
  cancel(reason?: Error): void {
    if (this.stage === "done" || this.cancelled) return;
    this.cancelled = true;
    const extras = this.extras ?? (reason === undefined ? undefined : this.more);
    if (extras) extras.cancelReason = reason;
    extras?.abortController?.abort(reason);
    if (this.stage === "queued") this.group?.remove(this);
    extras?.cancelWake?.();
  }
}

/**
 * @internal Triggers `dependency` in `session` as part of `cascades`, honouring `cancels`
 * (S39) and the trigger mode (S38).
 */
export function schedule(session: Session, dependency: Dependency, cascades: readonly Cascade[], options: ScheduleOptions = {}): void {
  for (const target of dependency.options.cancels) cancelRuns(session, target);
  const state = session._dependencyState(dependency);
  if (state.runs.length > 0 && !options.ignoreTriggerMode) {
    const mode = dependency.options.triggerMode;
    if (mode === "once") {
      for (const c of cascades) c.drop();
      return;
    }
    if (mode === "always_last") {
      const rerun = state.rerun;
      if (rerun) {
        // Further triggers collapse into the one remembered re-run, which reads the latest event.
        rerun.event = options.event;
        rerun.lineage = options.lineage;
        for (const c of cascades) {
          if (!rerun.cascades.includes(c)) {
            c.add();
            rerun.cascades = [...rerun.cascades, c];
          }
        }
      } else {
        state.rerun = createRun(session, dependency, cascades, options);
      }
      return;
    }
  }
  start(createRun(session, dependency, cascades, options));
}

function createRun(session: Session, dependency: Dependency, cascades: readonly Cascade[], options: ScheduleOptions): Run {
  const run = new Run(session, dependency, cascades, options.event, options.lineage, options.inputValues);
  run.id = ++session.app._runCount;
  for (const c of cascades) c.add();
  session._busy(1);
  options.onRun?.(run);
  return run;
}

function start(run: Run): void {
  run.session._dependencyState(run.dependency).runs.push(run);
  void execute(run);
}

/** @internal Cancels the pending and running runs of `dependency` in `session` (S39). */
export function cancelRuns(session: Session, dependency: Dependency, reason?: Error): void {
  const state = session._dependencyState(dependency);
  const rerun = state.rerun;
  if (rerun) {
    // A remembered re-run that never started ends like any cancelled run: status, .failure
    // and .then children (S37, S39).
    state.rerun = undefined;
    rerun.cancel(reason);
    finish(rerun, "cancelled", reason);
  }
  for (const run of [...state.runs]) run.cancel(reason);
}

/** @internal A promise or any thenable (a handler's, a delete callback's, a storage method's result). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

type NextMethod = (this: unknown) => unknown;

/** The `next` method of an iterator (a generator, S35), read once as `for...of` does; else undefined. */
function nextMethodOf(value: unknown): NextMethod | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const next = (value as { next?: unknown }).next;
  const iterator =
    typeof next === "function" &&
    (Symbol.iterator in value || Symbol.asyncIterator in value) &&
    typeof (value as { throw?: unknown }).throw === "function";
  return iterator ? (next as NextMethod) : undefined;
}

async function raceCancel<T>(promise: PromiseLike<T>, run: Run): Promise<T | undefined> {
  const result = await Promise.race([promise, run.whenCancelled()]);
  return run.cancelled ? undefined : (result as T);
}

/**
 * Starts a run: takes a slot in its concurrency group (S60) or joins the group's queue, whose
 * `admit` calls {@link begin} when a slot frees (no promise per waiting run).
 */
function execute(run: Run): void {
  const { session, dependency } = run;
  const app = session.app;
  const group = app._runtimeOf(dependency).group;
  if (!group || group.tryEnter()) {
    begin(run, group !== undefined);
    return;
  }
  if (app._queueIsFull()) {
    const error = new EventError(`The queue is full (maxQueueSize ${app.maxQueueSize}): ${dependency.describe()} was not run. Try again later.`, "queue_full");
    session._reportError(error, dependency, run.id);
    finish(run, "error", error);
    return;
  }
  app._waiting++;
  run.enqueue(group);
}

/**
 * Runs the handler once the run holds its slot (`entered`) or bypasses the queue (S61).
 *
 * Plain functions and promise callbacks rather than an `async` function: a run awaits at most
 * its Global locks and the handler's own promise, so the common run (no locks, no time limit,
 * nothing that can cancel it) costs one promise reaction on top of the handler's.
 */
function begin(run: Run, entered: boolean): void {
  run.entered = entered;
  const locks = run.session.app._runtimeOf(run.dependency).locks;
  for (let i = 0; i < locks.length; i++) {
    if (!locks[i].tryLock()) {
      void lockRest(run, locks, i);
      return;
    }
    run.locked++;
  }
  if (locks.length > 0 && run.session.app._store) void lockShared(run);
  else invoke(run);
}

/** S8: waits for the Global locks from `from` on, then invokes the handler. */
async function lockRest(run: Run, locks: readonly { lock(): Promise<void> }[], from: number): Promise<void> {
  for (let i = from; i < locks.length; i++) {
    await locks[i].lock();
    run.locked++;
  }
  if (run.session.app._store) await lockShared(run);
  else invoke(run);
}

/** S8 across processes (docs/08): the shared store's locks, taken after this process's. */
async function lockShared(run: Run): Promise<void> {
  const { session, dependency } = run;
  try {
    await session.app._store!.lockGlobals(session, session.app._runtimeOf(dependency).globals);
  } catch (e) {
    return release(run, e); // the store let go of what it took
  }
  invoke(run);
}

/** Calls the handler (S31, S35) and hands its result on; every path ends in {@link release}. */
function invoke(run: Run): void {
  if (run.cancelled) return release(run);
  const { session, dependency } = run;
  const app = session.app;
  run.stage = "running";
  session._status(dependency, "running", undefined, run.id);
  const limit = dependency.options.timeLimit;
  if (limit !== null) {
    run.timer = app.clock.setTimeout(() => {
      const err = new EventError(`${dependency.describe()} exceeded its time limit of ${limit} s and was cancelled.`, "time_limit");
      session._reportError(err, dependency, run.id);
      run.cancel(err);
    }, limit * 1000);
  }
  let result: unknown;
  try {
    result = currentRun.run(run, dependency.fn, handlerArguments(run));
  } catch (e) {
    return release(run, e);
  }
  // Telling a promise or a generator from a value reads the result (`then`, `next`): a getter
  // or Proxy trap may throw there, and the run must still end and free its slot.
  let thenable: boolean;
  let next: NextMethod | undefined;
  try {
    thenable = isPromiseLike(result);
    next = thenable ? undefined : nextMethodOf(result);
  } catch (e) {
    return release(run, resultError(dependency, undefined, e));
  }
  if (thenable) {
    // Promise.resolve: a native promise as is; any other thenable adopted (its `then` may throw).
    const promise = result as PromiseLike<unknown>;
    // A handle's run can be cancelled by its holder at any time (RunHandle.cancel).
    const settled = app._runtimeOf(dependency).cancellable || run.watcher ? raceCancel(promise, run) : Promise.resolve(promise);
    settled.then(
      (value) => complete(run, value),
      (e: unknown) => release(run, e),
    );
  } else if (next) {
    stream(run, result as object, next, app._runtimeOf(dependency).cancellable || run.watcher !== undefined).then(
      () => release(run),
      (e: unknown) => release(run, e),
    );
  } else complete(run, result);
}

/** The handler's value arrived: apply it (unless the run was cancelled meanwhile), then end. */
function complete(run: Run, value: unknown): void {
  if (!run.cancelled) {
    try {
      applyOutputs(run, value);
    } catch (e) {
      return release(run, e);
    }
  }
  release(run);
}

/** What {@link release} gets when nothing was thrown (`undefined` can be thrown). */
const NOTHING = Symbol("nothing thrown");

/**
 * Frees what the run holds (timer, locks, its group's slot) and ends it (S39, S60); `thrown` is
 * what the handler threw or rejected with, if anything.
 */
function release(run: Run, thrown: unknown = NOTHING): void {
  const { session, dependency } = run;
  const runtime = session.app._runtimeOf(dependency);
  let outcome: RunOutcome = "complete";
  let error: Error | undefined;
  if (thrown !== NOTHING && !run.cancelled) {
    outcome = "error";
    error = failure(dependency, thrown);
    session._reportError(error, dependency, run.id);
  }
  if (run.timer !== undefined) session.app.clock.clearTimeout(run.timer);
  // A shared store frees the locks it holds for this run (none when taking them failed).
  if (run.locked > 0 && session.app._store) session.app._store.unlockGlobals(session, runtime.globals);
  for (let i = 0; i < run.locked; i++) runtime.locks[i].unlock();
  run.locked = 0;
  if (run.entered) runtime.group!.leave();
  if (run.cancelled) {
    outcome = "cancelled";
    error = run.cancelReason;
  }
  finish(run, outcome, error);
}

/** V8's (and other engines') message for any operation on a revoked Proxy. */
const REVOKED_PROXY = /revoked/i;
const REVOKED = "a revoked Proxy (an Immer draft is one once produce() has returned: return produce()'s result)";

function isRevokedProxyError(e: unknown): boolean {
  try {
    return e instanceof TypeError && REVOKED_PROXY.test(e.message);
  } catch {
    return false;
  }
}

/**
 * An EventError for a value the engine could not read. Its message is the engine's and names
 * the listener; what was thrown is app code's (a getter, a Proxy trap, a `[gr.hash]()`) and may
 * say anything, so it is kept as the `cause`, not shown to users unasked (S36, `showError`).
 */
function unreadable(message: string, cause: unknown): EventError {
  const error = new EventError(message, "unreadable_value");
  error.cause = cause;
  return error;
}

/**
 * What a run failed with, as an Error the session can report (S36): what the handler threw,
 * as it is, unless it is no Error (a number, a revoked Proxy: an Error naming the listener),
 * the engine cannot read it (an Error whose `message` getter throws), or it is the TypeError of
 * a revoked Proxy, which the promise of an async handler that resolved to one rejects with.
 * Those two become an EventError naming the listener.
 * Never throws: {@link release} must go on to free the run's slot and locks.
 */
function failure(dependency: Dependency, thrown: unknown): Error {
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
 * A failure to read what the handler returned or yielded (S32-S35), as an error naming the
 * listener and, when known, the output (see {@link valueError}).
 */
function resultError(dependency: Dependency, cell: Output | undefined, e: unknown, verb = "returned"): Error {
  return valueError(`${dependency.describe()} ${verb} a value${cell ? ` for ${cell.describe()}` : ""} that`, e);
}

/**
 * @internal A failure to read or compare a value, as an error whose message starts with
 * `subject` ("listener "f" returned a value for State #1 that"): a value too deep to compare or
 * copy (code `value_too_deep`, naming {@link MAX_VALUE_DEPTH}), one whose getters, Proxy traps or
 * `[gr.hash]()` throw (`unreadable_value`, see {@link unreadable}). EventErrors (a rejected
 * value, a wrong count) and `gr.Error`s are clear already and pass as they are. Never throws.
 */
export function valueError(subject: string, e: unknown): Error {
  try {
    if (e instanceof AppError) return e;
    if (e instanceof ValueTooDeep) return new EventError(`${subject} is too deep: ${e.reason}.`, "value_too_deep");
    if (isStackOverflow(e)) {
      return new EventError(`${subject} is too deep: reading it overflowed the call stack (values may nest at most MAX_VALUE_DEPTH = ${MAX_VALUE_DEPTH} levels).`, "value_too_deep");
    }
    if (isRevokedProxyError(e)) return unreadable(`${subject} could not be read: it is or holds ${REVOKED}.`, e);
    return unreadable(`${subject} could not be read: reading it threw (see this error's cause).`, e);
  } catch {
    return unreadable(`${subject} could not be read.`, e);
  }
}

/** The handler's arguments: one value per input (S31), then the event context. */
function handlerArguments(run: Run): unknown[] {
  const { inputs } = run.dependency;
  const given = run.inputValues;
  const n = inputs.length;
  const args = new Array(n + 1);
  // Inputs are read when the run starts (S31), under its Global locks (S8); `session.call`
  // gives component values, UNSET where the session's own value is read.
  for (let i = 0; i < n; i++) args[i] = given && given[i] !== UNSET ? given[i] : run.session._read(inputs[i]);
  args[n] = run.ctx;
  return args;
}

const NO_ARGUMENTS: readonly unknown[] = Object.freeze([]);
const NO_LINKS: readonly never[] = Object.freeze([]);

/** S35: each yield is a full set of outputs; the last one stays. */
async function stream(run: Run, iterator: object, next: NextMethod, cancellable: boolean): Promise<void> {
  const { session, dependency } = run;
  let exhausted = false;
  try {
    for (;;) {
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
      applyOutputs(run, value);
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

function finish(run: Run, outcome: RunOutcome, error: Error | undefined): void {
  const { session, dependency } = run;
  run.stage = "done";
  const state = session._dependencyState(dependency);
  const runs = state.runs;
  const at = runs.indexOf(run);
  if (at >= 0) {
    runs[at] = runs[runs.length - 1];
    runs.pop();
  }
  session._status(dependency, outcome === "complete" ? "complete" : outcome === "error" ? "error" : "cancelled", undefined, run.id);
  // S37: chained children, after this run's outputs and .change listeners.
  const succeeded = outcome === "complete";
  // A run cancelled by session.close() starts nothing after it (S13).
  const children = run.cancelled && session._ending ? NO_LINKS : dependency._children;
  for (const link of children) {
    if (link.on === "then" || (link.on === "success") === succeeded) {
      schedule(session, link.dependency, run.cascades, { event: run.event, lineage: run.lineage });
    }
  }
  // S38 always_last: the remembered re-run starts once this run has ended (also after errors).
  const rerun = state.rerun;
  if (rerun && state.runs.length === 0) {
    state.rerun = undefined;
    start(rerun);
  }
  for (const c of run.cascades) c.end(outcome, error);
  session._busy(-1);
}

/** One output's pending write, validated and compared before anything is committed. */
interface Write {
  cell: Output;
  hasValue: boolean;
  value: unknown;
  /** The component's props after the write, when it changes them. */
  props: Props | undefined;
  /** `Session._compare`'s answer; `undefined` (compare when written) for an output listed twice. */
  comparison: Comparison;
}

const SKIPPED = Symbol("skipped");

/** S32: turns a handler's return value into one entry per output (`SKIPPED` for skips). */
function perOutput(run: Run, returned: unknown): unknown[] {
  const { dependency } = run;
  const outputs = dependency.outputs;
  const n = outputs.length;
  if (n === 0) return [];
  if (isSkip(returned)) return new Array(n).fill(SKIPPED);
  if (returned instanceof Map && [...returned.keys()].every((k) => k instanceof Cell || k instanceof LayoutBlock)) {
    for (const key of returned.keys()) {
      if (!outputs.includes(key)) {
        throw new EventError(`${dependency.describe()} returned a value for ${(key as AnyCell).describe()}, which is not one of its outputs.`, "not_an_output");
      }
    }
    return outputs.map((o) => (returned.has(o) ? returned.get(o) : SKIPPED));
  }
  if (n === 1) return [returned === undefined ? null : returned];
  if (!Array.isArray(returned)) {
    throw new EventError(`${dependency.describe()} has ${n} outputs but returned ${describeValue(returned)}; return an array of ${n} values (or a Map).`, "output_count");
  }
  if (returned.length < n) {
    throw new EventError(`${dependency.describe()} has ${n} outputs but returned ${returned.length} values: ${describeValue(returned)}.`, "output_count");
  }
  if (returned.length > n) {
    run.session._message({
      type: "warning",
      message: `${dependency.describe()} returned ${returned.length} values for ${n} outputs; the extra values were ignored.`,
      dependency: dependency.id,
    });
  }
  return returned.length === n ? returned : returned.slice(0, n);
}

/**
 * @internal Applies a handler's result (S32-S34). Everything that can fail happens before the
 * first write: normalising each value (a rejected one, S34), and reading and comparing it with
 * the cell's last reported content (S50: a value too deep, or whose getters or Proxy traps
 * throw). So a failed result writes nothing, and a good one writes every output; then it
 * notifies, and triggers `.change` listeners (S53, S54).
 */
export function applyOutputs(run: Run, returned: unknown): void {
  const { session, dependency } = run;
  if (dependency.outputs.length === 0) return; // S32.5: whatever it returned, nothing to write
  const writes: Write[] = [];
  let at: Output | undefined; // the output being read, for messages
  try {
    const values = perOutput(run, returned);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === SKIPPED || isSkip(v)) continue;
      const cell = (at = dependency.outputs[i]);
      if (cell instanceof LayoutBlock) {
        const changes = containerProps(dependency, cell, v);
        let earlier: Write | undefined;
        for (let j = 0; j < writes.length; j++) if (writes[j].cell === cell) earlier = writes[j];
        const props = changes && session._nextProps(cell, changes, earlier?.props);
        if (props) writes.push({ cell, hasValue: false, value: undefined, props, comparison: undefined });
        continue;
      }
      let hasValue = true;
      let value = v;
      let changes: Record<string, unknown> | undefined;
      if (isUpdate(v)) {
        const { value: updated, ...rest } = v.changes;
        hasValue = "value" in v.changes;
        value = updated;
        changes = rest;
      } else if (v instanceof Component) {
        // S33: a component instance made inside the handler is an update with the props it was given.
        hasValue = v._given.hasValue;
        value = v._given.value;
        changes = { ...v._given.props };
      }
      if (!(cell instanceof Component)) changes = undefined; // for a State only `value` counts
      if (changes) checkProps(dependency, cell as Component, changes);
      // An output listed twice is compared when written, after its first write (rare).
      let earlier: Write | undefined;
      for (let j = 0; j < writes.length; j++) if (writes[j].cell === cell) earlier = writes[j];
      let props: Props | undefined;
      if (changes && Object.keys(changes).length > 0) props = session._nextProps(cell as Component, changes, earlier?.props);
      let comparison: Comparison = undefined;
      if (hasValue) {
        try {
          value = cell._normalize(value, props ?? earlier?.props ?? session._propsOf(cell));
        } catch (e) {
          if (e instanceof ValueRejection) {
            throw new EventError(`${dependency.describe()} returned an invalid value for ${cell.describe()}: ${describeValue(value)} (${e.message}).`, "invalid_output");
          }
          throw e;
        }
        comparison = session._compare(cell, value);
        if (earlier) comparison = undefined;
      }
      writes.push({ cell, hasValue, value, props, comparison });
    }
  } catch (e) {
    throw resultError(dependency, at, e);
  }
  const changed: AnyCell[] = [];
  for (const w of writes) {
    if (w.props) session._setProps(w.cell as Component | LayoutBlock, w.props);
    if (w.hasValue) session._commit(w.cell as AnyCell, w.value, changed, w.comparison);
  }
  // `session.call` answers with the values this run wrote, not what later listeners made of them.
  if (run.outputValues) run.outputValues = dependency.outputs.map((o) => session._outputValue(o));
  if (run.watcher) run.watcher(run.outputValues ?? dependency.outputs.map((o) => session._outputValue(o)));
  propagateChanges(session, changed, run.cascades, run.lineage, dependency);
}

/**
 * S72: what a handler returned for a layout container: the props of an update, or of a
 * container made in the handler (`new gr.Row({ visible: false })`, as Gradio's
 * `return gr.Row(visible=False)`), checked (S74); `undefined` to leave it as it is (`null`,
 * `undefined`; skips never get here).
 *
 * @throws EventError "invalid_output" for any other value: a container has no value.
 */
function containerProps(dependency: Dependency, container: LayoutBlock, v: unknown): Record<string, unknown> | undefined {
  if (v == null) return undefined;
  if (v instanceof LayoutBlock && v !== container) {
    const props = { ...v._given };
    checkProps(dependency, container, props);
    return Object.keys(props).length > 0 ? props : undefined;
  }
  if (!isUpdate(v)) {
    throw new EventError(
      `${dependency.describe()} returned ${describeValue(v)} for ${container.describe()}, a layout container, which has no value; ` +
        `return gr.update({ visible }) to change its props, or gr.skip() to leave it.`,
      "invalid_output",
    );
  }
  const props = { ...v.changes };
  checkProps(dependency, container, props);
  return Object.keys(props).length > 0 ? props : undefined;
}

/**
 * S74: an update may set only the props its target's class declares (`propNames`), as
 * Gradio's constructors refuse unknown keyword arguments.
 *
 * @throws EventError "invalid_output" naming the listener, the target, the prop and the nearest
 *   known one.
 */
function checkProps(dependency: Dependency, target: Component | LayoutBlock, props: Record<string, unknown>): void {
  const known = (target.constructor as unknown as { propNames: readonly string[] }).propNames;
  for (const key in props) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const why =
      key === "value" && target instanceof LayoutBlock
        ? "a layout container has no value"
        : `${near === undefined ? "" : `did you mean "${near}"? `}its props are ${known.join(", ")}`;
    throw new EventError(`${dependency.describe()} returned an update of ${target.describe()} with the unknown prop ${JSON.stringify(key)} (${why}).`, "invalid_output");
  }
}

/**
 * @internal Runs the `.change` listeners of cells that changed (S53), each once even when it
 * watches several of them (S54); a Global's in every open session (S56). Stops a cascade that
 * keeps changing cells past {@link MAX_CHANGE_DEPTH} rounds, naming the cells of the cycle.
 *
 * A Global's listeners in another session run in a cascade of that session's: their errors
 * and cancellations reach that session only (S1), never the triggering event's result, which
 * still waits for them (so `await a.click(...)` is enough before reading `b`).
 *
 * Those other sessions' runs are scheduled in a later macrotask (the app's {@link Slicer}), not
 * at once, and coalesce: a session whose fan-out run of a listener has not been scheduled yet
 * gets no second one. That run reads its inputs when it starts (S31), so it sees the newest
 * value, and the later change's event waits for it too. So a burst of N sessions each changing
 * the Global costs O(N) runs of each listener instead of N²: N in the changing sessions, and N
 * per fan-out round, a round taking in every change made before it starts (one round when the
 * burst fits in one macrotask; a long burst and the rounds take turns by {@link Slicer} slices,
 * so their number depends on the ratio of the two listeners' costs, not on N). Changes awaited
 * one by one still run each listener once per change in every session.
 */
export function propagateChanges(
  session: Session,
  changed: readonly AnyCell[],
  cascades: readonly Cascade[],
  lineage: Lineage | undefined,
  cause: Dependency | undefined,
): void {
  if (changed.length === 0) return;
  let local: Map<Dependency, AnyCell> | undefined;
  let global: Map<Dependency, AnyCell> | undefined;
  for (const cell of changed) {
    const deps = session._changeDepsOf(cell); // the cell's own, and this session's rendered ones (S110)
    if (deps.length === 0) continue;
    const target = cell.kind === "global" ? (global ??= new Map()) : (local ??= new Map());
    for (const dep of deps) if (!target.has(dep)) target.set(dep, cell);
  }
  if (!local && !global) return;
  const depth = (lineage?.depth ?? 0) + 1;
  if (depth > MAX_CHANGE_DEPTH) {
    const first = (local ?? global)!.values().next().value as AnyCell;
    const error = new EventError(describeCycle(first, lineage), "change_cycle");
    session._reportError(error, cause);
    for (const c of cascades) c.fail(error);
    return;
  }
  // In registration order; sorted once, not once per session of a Global's fan-out.
  const ordered = (deps: Map<Dependency, AnyCell>) => [...deps].sort((a, b) => a[0].id - b[0].id);
  if (global) fanOut(session, ordered(global), cascades, depth, lineage);
  if (global && local) for (const [dep, cell] of global) if (!local.has(dep)) local.set(dep, cell);
  for (const [dep, cell] of ordered(local ?? global!)) {
    schedule(session, dep, cascades, { lineage: { depth, cell, dependency: dep, parent: lineage } });
  }
}

/**
 * @internal One Global change's `.change` runs in the other open sessions (S56), scheduled
 * session by session in the app's {@link Slicer} macrotasks. Until it starts, later changes
 * that trigger the same listeners join it instead of adding another round.
 */
export class FanOutRound {
  /** The runs count in it; the changes' events wait for it, not for each session's runs. */
  readonly batch = new Cascade();
  /** `[batch]`, shared by the round's runs (they never change their cascades array in place). */
  private readonly batches: readonly Cascade[] = [this.batch];
  /** Per listener, its schedule options; made when the round starts (`join` may change lineages until then). */
  private options: ScheduleOptions[] | undefined;
  /**
   * The changing session, which ran the listeners itself; undefined once another one joined,
   * or for a change another process made (docs/08).
   */
  private origin: Session | undefined;
  private sessions: Session[] | undefined;
  private next = 0;
  /** The sessions open at the change, which count the round as pending work (`idle()`). */
  private readonly busy: Session[] = [];

  /**
   * A shape anchor (see `Run._shapeAnchors`): without a live instance, each forced or idle full
   * GC deoptimised the fan-out (measured: a 1,000-session fan-out 3-20× slower after a GC).
   */
  static readonly _shapeAnchor: FanOutRound = new FanOutRound(undefined as never, "", [], undefined, []);

  constructor(
    private readonly app: App,
    private readonly key: string,
    private readonly deps: readonly Dependency[],
    origin: Session | undefined,
    private lineages: readonly Lineage[],
  ) {
    // `origin` may be undefined: a change made by another process (docs/08).
    this.origin = origin;
  }

  /** Counts the round as pending work of every open session but its origin (`idle()`). */
  hold(): void {
    for (const s of this.app._openSessions()) {
      if (s === this.origin) continue;
      s._busy(1);
      this.busy.push(s);
    }
  }

  /** A later change of the same listeners, from `session`, before the round started. */
  join(session: Session | undefined, lineages: readonly Lineage[]): void {
    if (session !== this.origin) this.origin = undefined;
    this.lineages = lineages;
  }

  /** The slicer job: schedules the runs session by session; false when it must yield. */
  readonly step = (): boolean => {
    const app = this.app;
    if (!this.sessions) {
      // Started: a change from now on needs a round of its own, as this one may have passed its session.
      if (app._fanOuts.get(this.key) === this) app._fanOuts.delete(this.key);
      this.sessions = [...app._openSessions()];
      this.options = this.lineages.map((lineage) => ({ lineage }));
    }
    const sessions = this.sessions;
    const options = this.options!;
    while (this.next < sessions.length) {
      const session = sessions[this.next++];
      if (session !== this.origin && !session._closed) {
        for (let i = 0; i < this.deps.length; i++) schedule(session, this.deps[i], this.batches, options[i]);
      }
      if (this.next < sessions.length && app._slicer.overBudget()) return false;
    }
    this.batch.end(null);
    for (const s of this.busy) s._busy(-1);
    return true;
  };
}

/**
 * S56 in the sessions other than `session`: joins the listeners' pending round or starts one;
 * `cascades` wait for it.
 */
function fanOut(session: Session, deps: readonly [Dependency, AnyCell][], cascades: readonly Cascade[], depth: number, parent: Lineage | undefined): void {
  const app = session.app;
  const lineages: Lineage[] = deps.map(([dependency, cell]) => ({ depth, cell, dependency, parent }));
  const key = deps.map(([dep]) => dep.id).join(",");
  let round = app._fanOuts.get(key);
  if (round) round.join(session, lineages);
  else {
    round = new FanOutRound(app, key, deps.map(([dep]) => dep), session, lineages);
    round.hold();
    app._fanOuts.set(key, round);
    app._slicer.deferBackground(round.step);
  }
  for (const c of cascades) round.batch.holdOpen(c);
}

/**
 * @internal S56 for a Global another process changed (a shared store, docs/08): its `.change`
 * listeners run in every open session of this process, in the same coalescing rounds.
 */
export function fanOutRemote(app: App, cell: AnyCell): void {
  const deps = [...cell._changeDeps].sort((a, b) => a.id - b.id);
  const lineages: Lineage[] = deps.map((dependency) => ({ depth: 1, cell, dependency, parent: undefined }));
  const key = deps.map((dep) => dep.id).join(",");
  const round = app._fanOuts.get(key);
  if (round) return round.join(undefined, lineages);
  const created = new FanOutRound(app, key, deps, undefined, lineages);
  app._fanOuts.set(key, created);
  app._slicer.deferBackground(created.step);
}

function describeCycle(cell: AnyCell, lineage: Lineage | undefined): string {
  const cells: string[] = [cell.describe()];
  const listeners = new Set<string>();
  for (let l = lineage; l && cells.length < 8; l = l.parent) {
    listeners.add(l.dependency.describe());
    const name = l.cell.describe();
    if (name === cells[0] && cells.length > 1) break;
    if (!cells.includes(name)) cells.push(name);
  }
  return (
    `.change cycle stopped after ${MAX_CHANGE_DEPTH} rounds: ${[...cells].reverse().join(" → ")} → ${cells[cells.length - 1]} ` +
    `keep changing each other through ${[...listeners].join(", ")}. ` +
    `Make a listener return an equal value (or gr.skip()) to end the cycle.`
  );
}


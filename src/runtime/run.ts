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
import { EventError, currentRun, describeValue, toError, type AlertSink, type AlertType, type AppErrorOptions } from "../core/errors";
import { Cell, UNSET, ValueRejection, type AnyCell } from "../blocks/block";
import type { Dependency } from "../blocks/dependency";
import type { EventContext, EventData, RequestInfo } from "../blocks/listeners";
import { isSkip, isUpdate } from "../blocks/update";
import { Component } from "../components/component";
import { Cascade, type RunOutcome } from "./cascade";
import type { ConcurrencyGroup, Waiter } from "./queue";
import type { Session } from "./session";

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
  progress(fraction: number, desc?: string): void {
    this.run.session._message({ type: "progress", dependency: this.run.dependency.id, progress: fraction, desc });
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

/** @internal One execution of a listener in a session. */
export class Run implements AlertSink, Waiter {
  stage: Stage = "waiting";
  cancelled = false;
  cancelReason: Error | undefined;
  /**
   * The values last written to each output, kept only when `session.call` asks (it sets this to
   * an empty array before the run starts).
   */
  outputValues: unknown[] | undefined;
  private abortController: AbortController | undefined;
  private cancelPromise: Promise<void> | undefined;
  private cancelWake: (() => void) | undefined;
  private context: RunContext | undefined;
  group: ConcurrencyGroup | undefined;
  /** Whether the run holds a slot of its concurrency group (S60). */
  entered = false;
  /** How many of its Global locks it holds (S8). */
  locked = 0;
  /** Its time-limit timer, if it has a time limit (S39). */
  timer: unknown;

  /**
   * Shape anchors: one inert instance of each per-event class, held as long as this class is.
   * V8 keeps the hidden classes that field initialisers build only while some instance is
   * alive; a full GC while no event is in flight (an idle server) collects them and
   * deoptimises every function compiled against them, so the next ~20,000 events ran
   * unoptimised (measured: 3-5× slower for the first 10,000 events after a GC, without these).
   */
  static readonly _shapeAnchors: readonly object[] = (() => {
    const inert = new Run(undefined as never, undefined as never, [], undefined, undefined, undefined);
    return [new Cascade(), inert, inert.ctx];
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
    return (this.abortController ??= new AbortController()).signal;
  }

  alert(type: AlertType, message: string, options: AppErrorOptions = {}): void {
    this.session._message({ type, message, title: options.title, duration: options.duration, dependency: this.dependency.id });
  }

  /** Joins the group's queue (S60); `admit` continues the run or ends it as cancelled. */
  enqueue(group: ConcurrencyGroup): void {
    this.group = group;
    this.stage = "queued";
    const position = group.enqueue(this);
    this.session._status(this.dependency, "pending", position);
  }

  admit(entered: boolean): void {
    this.session.app._waiting--;
    if (entered) begin(this, true);
    else finish(this, "cancelled", this.cancelReason);
  }

  /** Resolves when the run is cancelled; lets an `await` on the handler be abandoned (S39). */
  whenCancelled(): Promise<void> {
    return (this.cancelPromise ??= new Promise((resolve) => (this.cancelWake = resolve)));
  }

  /** Cancels the run (S39): removes it from the queue or abandons the handler's result. */
  cancel(reason?: Error): void {
    if (this.stage === "done" || this.cancelled) return;
    this.cancelled = true;
    this.cancelReason = reason;
    this.abortController?.abort(reason);
    if (this.stage === "queued") this.group?.remove(this);
    this.cancelWake?.();
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

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

function isIterator(value: unknown): value is Iterator<unknown> | AsyncIterator<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { next?: unknown }).next === "function" &&
    (Symbol.iterator in value || Symbol.asyncIterator in value) &&
    typeof (value as { throw?: unknown }).throw === "function"
  );
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
    session._reportError(error, dependency);
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
  invoke(run);
}

/** S8: waits for the Global locks from `from` on, then invokes the handler. */
async function lockRest(run: Run, locks: readonly { lock(): Promise<void> }[], from: number): Promise<void> {
  for (let i = from; i < locks.length; i++) {
    await locks[i].lock();
    run.locked++;
  }
  invoke(run);
}

/** Calls the handler (S31, S35) and hands its result on; every path ends in {@link release}. */
function invoke(run: Run): void {
  if (run.cancelled) return release(run);
  const { session, dependency } = run;
  const app = session.app;
  run.stage = "running";
  session._status(dependency, "running");
  const limit = dependency.options.timeLimit;
  if (limit !== null) {
    run.timer = app.clock.setTimeout(() => {
      const err = new EventError(`${dependency.describe()} exceeded its time limit of ${limit} s and was cancelled.`, "time_limit");
      session._reportError(err, dependency);
      run.cancel(err);
    }, limit * 1000);
  }
  let result: unknown;
  try {
    result = currentRun.run(run, dependency.fn, handlerArguments(run));
  } catch (e) {
    return release(run, e);
  }
  if (isPromiseLike(result)) {
    // Promise.resolve: a native promise as is; any other thenable adopted (its `then` may throw).
    const settled = app._runtimeOf(dependency).cancellable ? raceCancel(result, run) : Promise.resolve(result);
    settled.then(
      (value) => complete(run, value),
      (e: unknown) => release(run, e),
    );
  } else if (isIterator(result)) {
    stream(run, result, app._runtimeOf(dependency).cancellable).then(
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
    error = toError(thrown);
    session._reportError(error, dependency);
  }
  if (run.timer !== undefined) session.app.clock.clearTimeout(run.timer);
  for (let i = 0; i < run.locked; i++) runtime.locks[i].unlock();
  run.locked = 0;
  if (run.entered) runtime.group!.leave();
  if (run.cancelled) {
    outcome = "cancelled";
    error = run.cancelReason;
  }
  finish(run, outcome, error);
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

/** S35: each yield is a full set of outputs; the last one stays. */
async function stream(run: Run, iterator: Iterator<unknown> | AsyncIterator<unknown>, cancellable: boolean): Promise<void> {
  const { session, dependency } = run;
  let exhausted = false;
  try {
    for (;;) {
      const next = currentRun.run<IteratorResult<unknown> | PromiseLike<IteratorResult<unknown>>>(run, iterator.next, NO_ARGUMENTS, iterator);
      const step = !isPromiseLike(next) ? next : cancellable ? await raceCancel(next, run) : await next;
      if (!step || step.done) exhausted = !run.cancelled;
      if (run.cancelled || !step || step.done) break;
      session._status(dependency, "generating");
      applyOutputs(run, step.value);
    }
  } finally {
    if (!exhausted) {
      // Cancelled, or a yield was rejected (S34) or the generator threw: stop it at its yield
      // so its `finally` blocks run; anything it still produces is discarded.
      Promise.resolve()
        .then(() => iterator.return?.())
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
  session._status(dependency, outcome === "complete" ? "complete" : outcome === "error" ? "error" : "cancelled");
  // S37: chained children, after this run's outputs and .change listeners.
  const succeeded = outcome === "complete";
  for (const link of dependency._children) {
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

/** One output's pending write, validated before anything is committed. */
interface Write {
  cell: AnyCell;
  hasValue: boolean;
  value: unknown;
  props: Record<string, unknown> | undefined;
}

const SKIPPED = Symbol("skipped");

/** S32: turns a handler's return value into one entry per output (`SKIPPED` for skips). */
function perOutput(run: Run, returned: unknown): unknown[] {
  const { dependency } = run;
  const outputs = dependency.outputs;
  const n = outputs.length;
  if (n === 0) return [];
  if (isSkip(returned)) return new Array(n).fill(SKIPPED);
  if (returned instanceof Map && [...returned.keys()].every((k) => k instanceof Cell)) {
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
 * @internal Applies a handler's result (S32-S34): validates every output first, so a rejected
 * value writes nothing; then commits, notifies, and triggers `.change` listeners (S53, S54).
 */
export function applyOutputs(run: Run, returned: unknown): void {
  const { session, dependency } = run;
  if (dependency.outputs.length === 0) return; // S32.5: whatever it returned, nothing to write
  const values = perOutput(run, returned);
  const writes: Write[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === SKIPPED || isSkip(v)) continue;
    const cell = dependency.outputs[i];
    let hasValue = true;
    let value = v;
    let props: Record<string, unknown> | undefined;
    if (isUpdate(v)) {
      const { value: updated, ...rest } = v.changes;
      hasValue = "value" in v.changes;
      value = updated;
      props = rest;
    } else if (v instanceof Component) {
      // S33: a component instance made inside the handler is an update with the props it was given.
      hasValue = v._given.hasValue;
      value = v._given.value;
      props = { ...v._given.props };
    }
    if (!(cell instanceof Component)) props = undefined; // for a State only `value` counts
    if (props && Object.keys(props).length === 0) props = undefined;
    if (hasValue) {
      const effectiveProps = props ? { ...session._propsOf(cell as Component), ...props } : session._propsOf(cell);
      try {
        value = cell._normalize(value, effectiveProps);
      } catch (e) {
        if (e instanceof ValueRejection) {
          throw new EventError(`${dependency.describe()} returned an invalid value for ${cell.describe()}: ${describeValue(value)} (${e.message}).`, "invalid_output");
        }
        throw e;
      }
    }
    writes.push({ cell, hasValue, value, props });
  }
  const changed: AnyCell[] = [];
  for (const w of writes) {
    if (w.props) session._setProps(w.cell as Component, w.props);
    if (w.hasValue) session._commit(w.cell, w.value, changed);
  }
  // `session.call` answers with the values this run wrote, not what later listeners made of them.
  if (run.outputValues) run.outputValues = dependency.outputs.map((o) => session._read(o));
  propagateChanges(session, changed, run.cascades, run.lineage, dependency);
}

/**
 * @internal Runs the `.change` listeners of cells that changed (S53), each once even when it
 * watches several of them (S54); a Global's in every open session (S56). Stops a cascade that
 * keeps changing cells past {@link MAX_CHANGE_DEPTH} rounds, naming the cells of the cycle.
 *
 * A Global's listeners in another session run in a cascade of that session's: their errors
 * and cancellations reach that session only (S1), never the triggering event's result, which
 * still waits for them (so `await a.click(...)` is enough before reading `b`).
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
  const runIn = (target: Session, deps: readonly [Dependency, AnyCell][], into: readonly Cascade[]) => {
    for (const [dep, cell] of deps) schedule(target, dep, into, { lineage: { depth, cell, dependency: dep, parent: lineage } });
  };
  if (global) {
    const fanOut = ordered(global);
    for (const other of session.app._openSessions()) {
      if (other === session) continue;
      const own = new Cascade();
      for (const c of cascades) own.holdOpen(c);
      runIn(other, fanOut, [own]);
      own.end(null);
    }
    if (local) for (const [dep, cell] of global) if (!local.has(dep)) local.set(dep, cell);
  }
  runIn(session, ordered(local ?? global!), cascades);
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


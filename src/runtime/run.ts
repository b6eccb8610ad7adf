/**
 * Scheduling event listeners: trigger modes (S38), the queue (S60-S62), cancellation and
 * time limits (S39), Global locks (S8), writing a run's outputs and the `.change` runs they
 * cause (S53-S56, through the dataflow core's `propagate`) and chaining (S37). Calling the
 * handler is `handler.ts`'s job, normalising its outputs `outputs.ts`', and a Global's
 * fan-out rounds to the other sessions (S56) `fanout.ts`'.
 *
 * Everything here is per session: a run belongs to one session and touches only that
 * session's cells (and the app's Globals, under their locks).
 *
 * @packageDocumentation
 */
import { EventError, currentRun, type AlertSink, type AlertType, type AppErrorOptions } from "../core/errors";
import { captureAsyncContext, type AsyncScope } from "../core/async-context";
import { propagate, propagateOne, type ChangeTarget, type Comparison } from "../core/dataflow";
import type { Block, CellNode, Dependency, LayoutBlock } from "../blocks/block";
import type { EventData } from "../blocks/context";
import type { Component } from "../components/component";
import { Cascade, addTo, countsIn, dropIn, endIn, failIn, holdOpenAll, withCascade, type Cascades, type RunOutcome } from "./cascade";
import { RunContext, failure, invoke, type RunEnds } from "./handler";
import { invokeBatch } from "./batch";
import { isPlainResult, normaliseOutputs, normaliseValue, resultError } from "./outputs";
import { fanOut as fanOutRound, type FanOutApp, type FanOutSession, type Lineage } from "./fanout";
import type { ConcurrencyGroup, Slicer, Waiter } from "./queue";
import type { DependencyRuntime } from "./sites";

export { MAX_CHANGE_DEPTH } from "../core/dataflow";

/** @internal What runs use of their session: a {@link FanOutSession} that also keeps their bookkeeping. */
export interface RunSession extends FanOutSession {
  readonly app: RunApp;
  /** The runs of `dependency` in this session (S38, S39): its {@link RunSlot}. */
  _runSlot(dependency: Dependency): RunSlot;
  _setRunSlot(dependency: Dependency, slot: RunSlot): void;
  /** The listener holding `dependency`'s id now (a keyed rendered listener may have replaced it, S111). */
  _liveListener(dependency: Dependency): Dependency;
}

/** @internal What runs use of their app: a {@link FanOutApp}, which holds the pending fan-out rounds. */
export type RunApp = FanOutApp<RunSession>;

/**
 * @internal The runs of one listener in one session (S38, S39) when there are several, or a
 * remembered re-run: its slot holds one of these only then (see {@link RunSlot}).
 */
export class RunSet {
  /**
   * The runs started and not yet ended: the first in `run`, any others in `more` (as one list:
   * `run` is its element 0). Not a `Set`: V8's ordered hash tables do not reuse deleted slots,
   * so a Set that gains and loses a run per event keeps rehashing (measured: a third of the
   * cost of a queued event).
   */
  constructor(
    public run: Run | undefined,
    public more: Run[] | undefined,
    public rerun: Run | undefined,
  ) {}
}

/**
 * @internal A listener's slot in a session: `undefined` while it has no run, the {@link Run}
 * itself while it has one (nearly always), a {@link RunSet} with its first run in `run` for
 * more. So the common run makes no bookkeeping object. Measured with a bookkeeping object per
 * (session, listener), made by its first run: after the floor bench's earlier rounds, fewer
 * than half of those objects lay within 4 KB of the previous session's (in visit order), and
 * without them a 1,000-session Global fan-out took about 10% less time (`bench/floor.ts`).
 */
export type RunSlot = Run | RunSet | undefined;

/** Whether a slot holds a run started and not yet ended (a {@link RunSet} may hold only a re-run, for a moment). */
function hasRun(slot: RunSlot): slot is Run | RunSet {
  return slot !== undefined && (slot instanceof Run || slot.run !== undefined);
}

/** The runs of a slot started and not yet ended (a new array). */
function runsOf(slot: RunSlot): Run[] {
  if (slot === undefined) return [];
  if (slot instanceof Run) return [slot];
  if (!slot.run) return [];
  return slot.more ? [slot.run, ...slot.more] : [slot.run];
}

/**
 * @internal Whether `slot` holds a run (or a remembered re-run) of `dependency` itself: a keyed
 * rendered listener shares its slot with the one it replaced (`ListenerOptions.key`).
 */
export function slotHasRunOf(slot: RunSlot, dependency: Dependency): boolean {
  return runsOf(slot).some((run) => run.dependency === dependency) || (slot instanceof RunSet && slot.rerun?.dependency === dependency);
}

/** Adds a started run to the slot of its listener in its session, which holds `slot` now. */
function addRun(run: Run, slot: RunSlot): void {
  if (slot === undefined) run.session._setRunSlot(run.dependency, run);
  else addToSet(run, slot);
}

/** {@link addRun} to a slot that holds runs already (`triggerMode: "multiple"`, S38). */
function addToSet(run: Run, slot: Run | RunSet): void {
  const { session } = run;
  const dependency = run.dependency;
  if (slot instanceof Run) session._setRunSlot(dependency, new RunSet(slot, [run], undefined));
  else if (!slot.run) slot.run = run;
  else (slot.more ??= []).push(run);
}

/**
 * Removes an ended run from its slot.
 *
 * @returns the slot's {@link RunSet} when one stays (see {@link removeFromSet}).
 */
function removeRun(run: Run): RunSet | undefined {
  const { session } = run;
  const slot = session._runSlot(run.dependency);
  if (slot !== run) return removeFromSet(run, slot);
  session._setRunSlot(run.dependency, undefined);
  return undefined;
}

/**
 * {@link removeRun} from a slot that is not the run alone: the last run takes its place (the
 * list's order as an array's swap-remove); an empty slot with no re-run is emptied.
 *
 * @returns the slot's {@link RunSet} when one stays, so that its re-run can start (S38).
 */
function removeFromSet(run: Run, slot: RunSlot): RunSet | undefined {
  const { session } = run;
  const dependency = run.dependency;
  if (!(slot instanceof RunSet)) return undefined;
  const more = slot.more;
  if (slot.run === run) slot.run = more && more.length > 0 ? more.pop() : undefined;
  else if (more) {
    const at = more.indexOf(run);
    if (at >= 0) {
      more[at] = more[more.length - 1];
      more.pop();
    }
  }
  if (!slot.run && !slot.rerun) {
    session._setRunSlot(dependency, undefined);
    return undefined;
  }
  session._setRunSlot(dependency, slot); // the same slot, one run less (a replaced render may be freed)
  return slot;
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
  /**
   * With `inputValues`: the listener's validator judged these inputs already (handler.ts's
   * `prejudge`), so the run does not call it.
   */
  judged?: boolean;
}

type Stage = "waiting" | "queued" | "running" | "ending" | "done";

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
  inputValues: unknown[] | undefined = undefined;
  /** Its listener's validator refused its inputs (or failed): nothing chained to it starts. */
  refused = false;
  /** Its inputs were judged before it was queued (`ScheduleOptions.judged`). */
  judged = false;
  /** The runs that joined its batch when it was admitted (`ListenerOptions.batch`). */
  batch: Run[] | undefined = undefined;
  /** The slot its batch shares, when it is in a batch of several (see {@link BatchSlot}). */
  batchSlot: BatchSlot | undefined = undefined;
}

/**
 * The one group slot of a batch of several runs (`ListenerOptions.batch`): the batch holds it
 * until its last run ends, whichever that is (a run cancelled early must not free it while
 * the others' function still runs).
 */
class BatchSlot {
  constructor(public pending: number) {}
}

/** @internal One execution of a listener in a session. */
export class Run implements AlertSink, Waiter {
  // Fields are declared (no initialisers) and set in the constructor, in one order: a class
  // field compiles to a definition run by a separate initialiser function before the body,
  // and a parameter property to a definition plus an assignment, which cost a call and a
  // second store per run wherever V8 does not inline the construction (as in a fan-out's loop).
  declare readonly session: RunSession;
  /**
   * Its listener and the listener's queue group and locks in this app (looked up once per run;
   * a re-run remembered before a re-render takes the keyed listener that replaced its own).
   */
  declare runtime: DependencyRuntime;
  /** The cascades this run counts in; shared with its trigger, so never mutated in place. */
  declare cascades: Cascades;
  declare event: EventData;
  /**
   * The block whose event started it or its chain, when the trigger named it (a click, an API
   * call's `target`); a `.change` run's is its lineage's cell (see {@link Run.target}).
   */
  declare origin: Block | undefined;
  declare lineage: Lineage | undefined;
  declare stage: Stage;
  declare cancelled: boolean;
  /** The run's id within its app (`RunHandle.id`, the `run` of its messages); 0 for none. */
  declare id: number;
  private declare extras: RunExtras | undefined;
  private declare context: RunContext | undefined;
  /** How many of its Global locks it holds (S8). */
  declare locked: number;
  /**
   * Its trigger's async context, from when it is kept ({@link Run.keepContext}) until its
   * handler is called in it (handler.ts's `callHandler`, which lets it go).
   */
  declare scope: AsyncScope | undefined;

  private get more(): RunExtras {
    return (this.extras ??= new RunExtras());
  }

  /** Its listener's validator refused it: it ends without running, and starts nothing chained (S37). */
  refuse(): void {
    this.more.refused = true;
  }

  /** See {@link Run.refuse}. */
  get refused(): boolean {
    return this.extras?.refused === true;
  }

  /**
   * Its listener's validator judged its inputs before it was queued (handler.ts's `prejudge`,
   * Gradio's check at `queue/join`): it is not called again when the run starts.
   */
  get judged(): boolean {
    return this.extras?.judged === true;
  }

  /** See {@link Run.judged}. */
  markJudged(): void {
    this.more.judged = true;
  }

  /** The runs of its listener that joined its batch when it was admitted (`ListenerOptions.batch`). */
  get batch(): readonly Run[] {
    return this.extras?.batch ?? NO_RUNS;
  }

  /**
   * Frees its group's slot as it ends (S60): at once, or, in a batch of several, once the
   * batch's last run has ended.
   */
  leaveGroup(group: ConcurrencyGroup): void {
    const shared = this.extras?.batchSlot;
    if (shared === undefined || --shared.pending === 0) group.leave();
  }

  /** Whether it has none of the rarer state (a time limit, input values, a watcher, a signal, ...). */
  get plain(): boolean {
    return this.extras === undefined;
  }

  /**
   * Gradio's `EventData.target`: the block whose event started this run or the chain it is in
   * (S37); for a `.change` run (S53, S56), the cell whose change it is. `undefined` for load and
   * unload listeners and for API calls that name none.
   */
  get target(): Block | undefined {
    return this.origin ?? this.lineage?.cell.cell;
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
    const inert = new Run(undefined as never, undefined as never, new Cascade(), undefined, undefined, undefined);
    inert.timer = undefined; // makes its RunExtras
    return [new Cascade(), inert, inert.ctx, inert.extras!];
  })();

  constructor(session: RunSession, runtime: DependencyRuntime, cascades: Cascades, event: EventData, lineage: Lineage | undefined, origin: Block | undefined) {
    this.session = session;
    this.runtime = runtime;
    this.cascades = cascades;
    this.event = event;
    this.origin = origin;
    this.lineage = lineage;
    this.stage = "waiting";
    this.cancelled = false;
    this.id = 0;
    this.extras = undefined;
    this.context = undefined;
    this.locked = 0;
    this.scope = undefined;
  }

  /** Input values given by `session.call`/`session.run` (UNSET: read the cell); undefined for an event. */
  get inputValues(): unknown[] | undefined {
    return this.extras?.inputValues;
  }
  set inputValues(values: unknown[] | undefined) {
    this.more.inputValues = values;
  }

  get ctx(): RunContext {
    return (this.context ??= new RunContext(this));
  }

  /** Aborts when the run is cancelled (S39); already aborted when first read after that. */
  get signal(): AbortSignal {
    const more = this.more;
    if (!more.abortController) {
      more.abortController = new AbortController();
      if (this.cancelled) more.abortController.abort(more.cancelReason);
    }
    return more.abortController.signal;
  }

  alert(type: AlertType, message: string, options: AppErrorOptions = {}): void {
    if (!this.live) return;
    this.session._message({ type, message, title: options.title, duration: options.duration, dependency: this.dependency.id, run: this.id });
  }

  /**
   * Whether its alerts and progress still reach the session: not once it ended or was
   * cancelled (work its handler left behind, after its status said so), as Gradio's queue
   * sends messages only for an event that is alive.
   */
  get live(): boolean {
    return this.stage !== "done" && !this.cancelled;
  }

  /** The listener it runs (its runtime's: one field less per run). */
  get dependency(): Dependency {
    return this.runtime.dependency;
  }

  /** The group whose queue it joined (S60), while it waits. */
  get group(): ConcurrencyGroup | undefined {
    return this.stage === "queued" ? this.runtime.group : undefined;
  }

  /**
   * Keeps the caller's async context for {@link Run.inTriggerContext}: a run that starts later
   * than its trigger (queued, S60; a remembered re-run, S38) starts when another run ends, in
   * that run's context, and its handler must see its own trigger's instead. Else an app's own
   * `AsyncLocalStorage` (a request's tracing context, its signed-in user) reaches another
   * session's handler.
   */
  keepContext(): void {
    this.scope = captureAsyncContext(QUEUED);
  }

  /**
   * Calls `fn(this)` in the context {@link Run.keepContext} kept, else as is. Where the storage
   * keeps context frames (Node 24) the context stays kept for the handler's call, which enters
   * the run in it (see handler.ts's `callInScope`). With promise hooks (Node 20, 22) it is let
   * go: the handler is called inside this call, or after an `await` that began in it, so in
   * the same context, and a second entry of the scope would cost its hooks again.
   */
  inTriggerContext(fn: (run: Run) => void): void {
    const scope = this.scope;
    if (scope === undefined) return fn(this);
    if (!currentRun.scopedEnter) this.scope = undefined;
    scope.runInAsyncScope(fn, undefined, this);
  }

  /** Joins the group's queue (S60); `admit` continues the run (in its trigger's context) or ends it as cancelled. */
  enqueue(group: ConcurrencyGroup): void {
    this.stage = "queued";
    this.scope ??= captureAsyncContext(QUEUED); // a remembered re-run keeps its latest trigger's
    const position = group.enqueue(this);
    this.session._status(this.dependency, "pending", position, this.id);
  }

  admit(entered: boolean): void {
    this.session.app._waiting--;
    if (!entered) return finish(this, "cancelled", this.cancelReason);
    if (this.runtime.maxBatch > 1) this.gatherBatch(this.runtime.group!);
    this.inTriggerContext(begin);
  }

  /**
   * Gradio's batch (`ListenerOptions.batch`): takes the runs of its listener that wait in
   * `group` behind it, up to `maxBatchSize` with itself, into its batch. They run in its slot
   * and its context.
   */
  private gatherBatch(group: ConcurrencyGroup): void {
    const runtime = this.runtime;
    const joined = group.takeBatch((w) => w instanceof Run && w.runtime === runtime, runtime.maxBatch - 1) as Run[];
    if (joined.length === 0) return;
    const slot = new BatchSlot(joined.length + 1);
    for (const run of joined) {
      run.session.app._waiting--;
      run.stage = "waiting"; // out of the queue: a cancellation ends it when its batch starts
      run.more.batchSlot = slot; // its kept context stays: its part of the result is applied in it
    }
    this.more.batch = joined;
    this.more.batchSlot = slot;
  }

  /** Resolves when the run is cancelled; lets an `await` on the handler be abandoned (S39). */
  whenCancelled(): Promise<void> {
    const more = this.more;
    return (more.cancelPromise ??= new Promise((resolve) => (more.cancelWake = resolve)));
  }

  /** Cancels the run (S39): removes it from the queue or abandons the handler's result. */
  cancel(reason?: Error): void {
    // An ending run's handler is done: only its session's close still cancels it (S13: nothing
    // of a closed session's runs follows), not what its outputs start (S37, S39).
    if (this.stage === "done" || this.cancelled || (this.stage === "ending" && !this.session._ending)) return;
    this.cancelled = true;
    const extras = this.extras ?? (reason === undefined ? undefined : this.more);
    if (extras) extras.cancelReason = reason;
    extras?.abortController?.abort(reason);
    if (this.stage === "queued") this.runtime.group?.remove(this);
    extras?.cancelWake?.(); // an awaited handler (or a wait for a Global's lock) loses its race
    // A running run whose handler is awaited without a race (invoke races only a listener that
    // something can cancel, or a handle's run; this one is cancelled by session.close()) ends too,
    // once the caller's stack has unwound, not when its handler's promise settles: it would keep
    // its group's slot as long as that takes (S13, S39).
    if (this.stage === "running" && !this.runtime.cancellable && !this.watcher) queueMicrotask(() => release(this));
  }
}

/** The type of a waiting run's kept context, as `async_hooks` listeners see it. */
const QUEUED = "blockstate.queued";

const NO_OPTIONS: ScheduleOptions = Object.freeze({});
const NO_RUNS: readonly Run[] = Object.freeze([]);

/**
 * @internal Triggers `dependency` in `session` as part of `cascades`, honouring `cancels`
 * (S39) and the trigger mode (S38).
 */
export function schedule(
  session: RunSession,
  dependency: Dependency,
  cascades: Cascades,
  options: ScheduleOptions = NO_OPTIONS,
  lineage: Lineage | undefined = options.lineage, // a `.change` run's, without an options object per run
  target?: Block, // a user event's block (`ctx.target`), likewise
): void {
  const cancels = dependency.options.cancels;
  if (cancels.length > 0) cancelAll(session, cancels);
  const slot = session._runSlot(dependency);
  if (slot !== undefined) return scheduleBeside(session, dependency, slot, cascades, options, lineage, target);
  start(createRun(session, dependency, cascades, options, lineage, target), undefined);
}

/** {@link schedule} in a slot that holds runs: the trigger mode decides (S38). */
function scheduleBeside(
  session: RunSession,
  dependency: Dependency,
  slot: Run | RunSet,
  cascades: Cascades,
  options: ScheduleOptions,
  lineage: Lineage | undefined,
  target: Block | undefined,
): void {
  if (hasRun(slot) && !options.ignoreTriggerMode && dependency.options.triggerMode !== "multiple") {
    return collapse(session, dependency, slot, cascades, options, lineage, target);
  }
  start(createRun(session, dependency, cascades, options, lineage, target), slot);
}

/** S39: `cancels` of a listener, before it is triggered. */
function cancelAll(session: RunSession, cancels: readonly Dependency[]): void {
  for (let i = 0; i < cancels.length; i++) cancelRuns(session, cancels[i]);
}

/**
 * S38 for a trigger of a listener with a run pending in `slot`: `once` drops it, and
 * `always_last` remembers one re-run, which later triggers join. Out of {@link schedule}, so
 * that its common path (no run pending) stays small enough for V8 to inline what it calls.
 */
function collapse(
  session: RunSession,
  dependency: Dependency,
  slot: Run | RunSet,
  cascades: Cascades,
  options: ScheduleOptions,
  lineage: Lineage | undefined,
  target: Block | undefined,
): void {
  if (dependency.options.triggerMode === "once") return dropIn(cascades);
  let set: RunSet;
  if (slot instanceof RunSet) set = slot;
  else session._setRunSlot(dependency, (set = new RunSet(slot, undefined, undefined)));
  const rerun = set.rerun;
  if (!rerun) {
    (set.rerun = createRun(session, dependency, cascades, options, lineage, target)).keepContext();
    return;
  }
  // Further triggers collapse into the one remembered re-run, which reads the latest event.
  rerun.event = options.event;
  rerun.origin = target;
  rerun.lineage = lineage;
  rerun.keepContext();
  const joining = cascades instanceof Cascade ? [cascades] : cascades;
  for (const c of joining) {
    if (!countsIn(rerun.cascades, c)) {
      c.add();
      rerun.cascades = withCascade(rerun.cascades, c);
    }
  }
}

function createRun(session: RunSession, dependency: Dependency, cascades: Cascades, options: ScheduleOptions, lineage: Lineage | undefined, target: Block | undefined): Run {
  const app = session.app;
  const run = new Run(session, app._runtimeOf(dependency), cascades, options.event, lineage, target);
  if (options.inputValues) {
    run.inputValues = options.inputValues;
    if (options.judged) run.markJudged();
  }
  run.id = ++app._runCount;
  addTo(cascades);
  session._busy(1);
  options.onRun?.(run);
  return run;
}

/** Records a created run in its slot, which holds `slot` now, and starts it. */
function start(run: Run, slot: RunSlot): void {
  addRun(run, slot);
  void execute(run);
}

/** @internal Cancels the pending and running runs of `dependency` in `session` (S39). */
export function cancelRuns(session: RunSession, dependency: Dependency, reason?: Error): void {
  const slot = session._runSlot(dependency);
  if (slot instanceof RunSet && slot.rerun) {
    // A remembered re-run that never started ends like any cancelled run: status, .failure
    // and .then children (S37, S39).
    const rerun = slot.rerun;
    slot.rerun = undefined;
    rerun.cancel(reason);
    finish(rerun, "cancelled", reason);
  }
  for (const run of runsOf(slot)) run.cancel(reason);
}


/**
 * Starts a run: takes a slot in its concurrency group (S60) or joins the group's queue, whose
 * `admit` calls {@link begin} when a slot frees (no promise per waiting run).
 */
function execute(run: Run): void {
  if (run.cancelled) return finish(run, "cancelled", run.cancelReason); // before it started (an aborted signal)
  const group = run.runtime.group;
  if (group && !group.tryEnter()) return wait(run, group);
  begin(run);
}

/** {@link execute} for a run whose group has no free slot: it joins the queue, unless that is full (S62). */
function wait(run: Run, group: ConcurrencyGroup): void {
  const { session, dependency } = run;
  const app = session.app;
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
 * Runs the handler once the run holds a slot of its listener's group, or at once when the
 * listener has none (S61): so a run that began holds a slot exactly when its listener has a
 * group, which is how {@link release} knows (no flag per run).
 *
 * Plain functions and promise callbacks rather than an `async` function: a run awaits at most
 * its Global locks and the handler's own promise, so the common run (no locks, no time limit,
 * nothing that can cancel it) costs one promise reaction on top of the handler's.
 */
function begin(run: Run): void {
  if (run.runtime.maxBatch > 0) invokeBatch(run, ENDS); // a batch listener has no locks (refused at build)
  else if (run.runtime.locks.length === 0) invoke(run, ENDS);
  else lockAll(run);
}

/** {@link begin} for a listener that writes Globals: takes their locks (S8), then invokes the handler. */
function lockAll(run: Run): void {
  const locks = run.runtime.locks;
  for (let i = 0; i < locks.length; i++) {
    if (!locks[i].tryLock()) {
      void lockRest(run, locks, i);
      return;
    }
    run.locked++;
  }
  if (run.session.app._store) void lockShared(run);
  else invoke(run, ENDS);
}

/** S8: waits for the Global locks from `from` on, then invokes the handler. */
async function lockRest(run: Run, locks: readonly { lock(): Promise<void>; unlock(): void }[], from: number): Promise<void> {
  for (let i = from; i < locks.length; i++) {
    const lock = locks[i];
    const granted = lock.lock();
    // A run cancelled while it waits ends at once (S39); the lock, once granted, is passed on.
    await Promise.race([granted, run.whenCancelled()]);
    if (run.cancelled) {
      void granted.then(() => lock.unlock());
      return release(run);
    }
    run.locked++;
  }
  if (run.session.app._store) await lockShared(run);
  else invoke(run, ENDS);
}

/** S8 across processes (docs/08): the shared store's locks, taken after this process's. */
async function lockShared(run: Run): Promise<void> {
  const { session } = run;
  try {
    await session.app._store!.lockGlobals(session, run.runtime.globals);
  } catch (e) {
    return fail(run, e); // the store let go of what it took
  }
  invoke(run, ENDS);
}

/** The handler's value arrived: apply it (unless the run was cancelled meanwhile), then end. */
function complete(run: Run, value: unknown): void {
  if (run.stage === "done") return; // ended when it was cancelled (see Run.cancel)
  if (!run.cancelled) {
    // Its handler is done: what its outputs start (a `.change` listener that cancels it, S37,
    // S39) finds nothing left to cancel, so it ends as it completed.
    run.stage = "ending";
    try {
      applyOutputs(run, value);
    } catch (e) {
      return fail(run, e);
    }
  }
  release(run);
}

/** What {@link release} gets when nothing was thrown (`undefined` can be thrown). */
const NOTHING = Symbol("nothing thrown");

/** Frees what the run holds (timer, locks, its group's slot) and ends it (S39, S60): nothing was thrown. */
function release(run: Run): void {
  end(run, NOTHING);
}

/**
 * {@link release} for a run whose handler threw or rejected with `thrown`: whatever it is,
 * `undefined` included (`throw undefined`, `Promise.reject()`), the run failed (S36).
 */
function fail(run: Run, thrown: unknown): void {
  end(run, thrown);
}

/** {@link release} or {@link fail}: `thrown` is {@link NOTHING} when nothing was thrown. */
function end(run: Run, thrown: unknown): void {
  if (run.stage === "done") return; // ended when it was cancelled (see Run.cancel): nothing is held
  // The common run: it ended well, holding no timer or lock, at most its group's slot.
  if (thrown === NOTHING && !run.cancelled && run.locked === 0 && run.plain) {
    run.runtime.group?.leave(); // it holds a slot: see begin
    return finish(run, "complete", undefined);
  }
  releaseAll(run, thrown);
}

/** {@link release} for a run that failed, was cancelled, or holds a timer or locks. */
function releaseAll(run: Run, thrown: unknown): void {
  const { session, dependency, runtime } = run;
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
  if (runtime.group) run.leaveGroup(runtime.group); // it holds a slot (or its batch does): see begin
  if (run.cancelled) {
    outcome = "cancelled";
    error = run.cancelReason;
  }
  finish(run, outcome, error);
}


/** What the handler's side (handler.ts) calls to go on: plain functions, no closure per run. */
const ENDS: RunEnds = { complete, release, fail, apply: applyOutputs };

const NO_LINKS: readonly never[] = Object.freeze([]);


function finish(run: Run, outcome: RunOutcome, error: Error | undefined): void {
  const { session, dependency } = run;
  run.stage = "done";
  const kept = removeRun(run);
  session._status(dependency, outcome, undefined, run.id);
  // Only a slot that kept a RunSet can hold a re-run now: children that trigger this listener
  // again start a run in an emptied slot, or remember a re-run beside that run.
  if (dependency._children.length > 0 || kept) follow(run, outcome === "complete", kept);
  endIn(run.cascades, outcome, error);
  session._busy(-1);
}

/**
 * What follows an ended run in {@link finish}: its chained children (S37), then the re-run
 * its slot remembered (S38 always_last).
 */
function follow(run: Run, succeeded: boolean, kept: RunSet | undefined): void {
  const { session, dependency } = run;
  // S37: chained children, after this run's outputs and .change listeners.
  // A run cancelled by session.close() starts nothing after it (S13).
  const children = (run.cancelled && session._ending) || run.refused ? NO_LINKS : dependency._children;
  for (let i = 0; i < children.length; i++) {
    const link = children[i];
    if (link.on === "then" || (link.on === "success") === succeeded) {
      schedule(session, link.dependency, run.cascades, { event: run.event }, run.lineage, run.origin);
    }
  }
  // S38 always_last: the remembered re-run starts once this run has ended (also after errors).
  const slot = kept && session._runSlot(dependency);
  if (slot instanceof RunSet && slot.rerun && !slot.run) {
    const rerun = slot.rerun;
    session._setRunSlot(dependency, undefined);
    // Remembered before a re-render whose keyed listener took its listener's id (S111): it is
    // that listener's run now, as Gradio's page sends it by id after the re-render.
    const live = session._liveListener(rerun.dependency);
    if (live !== rerun.dependency) rerun.runtime = session.app._runtimeOf(live);
    rerun.inTriggerContext(startAlone); // in its latest trigger's async context
  }
}

/** {@link start} of a run in an empty slot. */
function startAlone(run: Run): void {
  start(run, undefined);
}

/**
 * @internal Applies a handler's result (S32-S34): normalises every output first (see
 * {@link normaliseOutputs}), so a failed result writes nothing and a good one writes every
 * output; then it notifies, and triggers `.change` listeners (S53, S54).
 */
export function applyOutputs(run: Run, returned: unknown): void {
  if (run.dependency.outputs.length === 0) return; // S32.5: whatever it returned, nothing to write
  const only = run.runtime.onlyOutput;
  if (only !== undefined && isPlainResult(returned)) applyPlain(run, only, returned);
  else applyWrites(run, returned);
}

/** {@link applyOutputs} of any result: a list, a dict, updates (S32, S33). */
function applyWrites(run: Run, returned: unknown): void {
  const session = run.session;
  const writes = normaliseOutputs(run, returned);
  let changed: CellNode[] | undefined; // made by the first change: most writes change one cell or none
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i];
    if (w.props) session._setProps(w.cell as Component | LayoutBlock, w.props);
    const node = w.node;
    if (node !== undefined && session._commit(node, w.value, w.comparison)) {
      if (changed) changed.push(node);
      else changed = [node];
    }
  }
  if (!run.plain) tellOutputs(run);
  if (changed) propagateChanges(run, changed, run.lineage);
}

/**
 * What a run wrote, for `session.call` (which answers with the values this run wrote, not what
 * later listeners made of them) and for a handle's watcher (`session.run`).
 */
function tellOutputs(run: Run): void {
  const { session, dependency } = run;
  if (run.outputValues) run.outputValues = dependency.outputs.map((o) => session._outputValue(o));
  if (run.watcher) run.watcher(run.outputValues ?? dependency.outputs.map((o) => session._outputValue(o)));
}

/**
 * {@link applyOutputs} of a primitive returned for one output that is a cell (most results):
 * the same steps as {@link normaliseOutputs} takes for it (normalise, then compare, S34, S50;
 * a failure writes nothing), with no write record or array.
 */
function applyPlain(run: Run, node: CellNode, returned: unknown): void {
  const { session, dependency } = run;
  let value: unknown = returned === undefined ? null : returned;
  let comparison: Comparison;
  try {
    value = normaliseValue(dependency, node, value, session._nodeProps(node));
    comparison = session._compare(node, value);
  } catch (e) {
    throw resultError(dependency, node.cell, e);
  }
  const changed = session._commit(node, value, comparison);
  if (!run.plain) tellOutputs(run);
  if (changed) propagateOne(node, run.lineage, run, CHANGES);
}

/** Where a change happened: the session, the cascades its runs count in, and the listener that wrote. */
interface ChangeSite {
  readonly session: RunSession;
  readonly cascades: Cascades;
  readonly dependency: Dependency | undefined;
}

/** The dataflow core's {@link propagate}, turned into runs of this session (and fan-out rounds). */
const CHANGES: ChangeTarget<Dependency, CellNode, ChangeSite> = {
  depsOf: (site, cell) => site.session._changeDepsOf(cell), // the cell's own, and this session's rendered ones (S110)
  run: (site, dependency, lineage) => schedule(site.session, dependency, site.cascades, NO_OPTIONS, lineage),
  fanOut,
  cycle(site, message) {
    const error = new EventError(message, "change_cycle");
    site.session._reportError(error, site.dependency);
    failIn(site.cascades, error);
  },
};

/**
 * @internal Runs the `.change` listeners of cells that changed (S53), each once even when it
 * watches several of them (S54); a Global's in every open session (S56). Stops a cascade that
 * keeps changing cells past MAX_CHANGE_DEPTH rounds, naming the cells of the cycle. The
 * algorithm is the dataflow core's {@link propagate}; `site` is the run that wrote (or the
 * event, for a user's write).
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
export function propagateChanges(site: ChangeSite, changed: readonly CellNode[], lineage: Lineage | undefined): void {
  if (changed.length > 0) propagate(changed, lineage, site, CHANGES);
}


/**
 * S56 in the sessions other than `site`'s: joins the listeners' pending round or starts one
 * (fanout.ts); the site's cascades wait for it.
 */
function fanOut(site: ChangeSite, deps: readonly Dependency[], lineages: readonly Lineage[]): void {
  const round = fanOutRound(site.session.app, deps, site.session, lineages, schedule);
  holdOpenAll(round.batch, site.cascades);
}

/**
 * @internal S56 for a Global another process changed (a shared store, docs/08): its `.change`
 * listeners run in every open session of this process, in the same coalescing rounds.
 */
export function fanOutRemote(app: RunApp, node: CellNode): void {
  const deps = [...node._changeDeps].sort((a, b) => a.id - b.id);
  const lineages: Lineage[] = deps.map((dependency) => ({ depth: 1, cell: node, dependency, parent: undefined }));
  fanOutRound(app, deps, undefined, lineages, schedule);
}

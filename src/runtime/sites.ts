/**
 * What the runtime's lower files use of an App, a Session and a Run, as interfaces: `run.ts`,
 * `fanout.ts`, `handler.ts`, `outputs.ts`, `renders.ts`, `handle.ts`, `lifecycle.ts` and
 * `browser-states.ts` name these instead of importing `app.ts` or `session.ts`, which import
 * them (no import circle, README "The repository"). `App`, `Session` and `Run` satisfy them
 * structurally; no class `implements` them (an internal interface would then be named by the
 * emitted `.d.ts`).
 *
 * Types only: this file imports nothing of the runtime but leaf files.
 *
 * @packageDocumentation
 */
import type { Observable } from "rxjs";
import type { AlertType, AppErrorOptions } from "../core/errors";
import type { AsyncScope } from "../core/async-context";
import type { CellStore, Comparison } from "../core/dataflow";
import type { AnyCell, Block, CellNode, Dependency, LayoutBlock, Output } from "../blocks/block";
import type { Blocks } from "../blocks/blocks";
import type { Render } from "../blocks/render";
import type { Global } from "../blocks/state";
import type { EventContext, EventData, RequestInfo } from "../blocks/context";
import type { Component, Props } from "../components/component";
import type { StorageLike } from "../storage/web-storage";
import type { Clock } from "./clock";
import type { Message, StatusMessage } from "./messages";
import type { ConcurrencyGroup, Mutex, Slicer } from "./queue";
import type { Delivery } from "./streams";

/**
 * What failed outside any event run, on `App.errors$`:
 * - `"deleteCallback"`: a State's `deleteCallback` threw or its promise rejected, for a session
 *   the app no longer holds (evicted, retention over); while it holds the session, the failure
 *   goes to that session's messages instead (`type: "error"`).
 * - `"storage"`: a BrowserState write (`setItem`/`removeItem` threw or rejected) finished
 *   after its session was removed; before that, it goes to the session (S94).
 * - `"eviction"`: an open session was evicted to make room (S14): every session held was open.
 * - `"store"`: what a shared store holds could not be read (docs/08, Failures): a Global's
 *   value (`cell` names it; this process keeps its own value), or saved session values left by
 *   a dead process (deleted). Saved values of a session being connected or held go to that
 *   session instead (`type: "error"`).
 */
export type AppErrorSource = "deleteCallback" | "storage" | "eviction" | "store";

/** One item of `App.errors$`. */
export interface AppErrorEvent {
  /** What was thrown or rejected (anything not an Error wrapped in one), or, for an eviction, an Error describing it. */
  readonly error: Error;
  readonly source: AppErrorSource;
  /** The session concerned (no longer held by the app when the event is sent). */
  readonly sessionHash?: string;
  /** The cell concerned, as `describe()` names it (`State #3`), for `deleteCallback`, `storage` and a Global's `store`. */
  readonly cell?: string;
}

/** @internal What a listener needs at run time: its concurrency group and Global locks. */
export interface DependencyRuntime {
  /** The listener this is the runtime of (so that a run need not hold both). */
  readonly dependency: Dependency;
  readonly group: ConcurrencyGroup | undefined;
  readonly locks: readonly Mutex[];
  /** The Globals of {@link DependencyRuntime.locks}, in the same order (a shared store locks them too). */
  readonly globals: readonly AnyCell[];
  /**
   * Whether a run can be stopped from outside (another listener `cancels` it, or it has a time
   * limit): only then does awaiting its handler need a race with cancellation (S39).
   */
  readonly cancellable: boolean;
  /** Whether the handler can see the event context argument (`takesContext`, S31): else it gets none. */
  readonly context: boolean;
  /** Whether its validator (`ListenerOptions.validator`), if any, can see the event context, likewise. */
  readonly validatorContext: boolean;
  /** The node of the listener's one output when it has exactly one and it is a cell (`onlyOutputNode`), else undefined. */
  readonly onlyOutput: CellNode | undefined;
  /** The nodes of its input cells, in order (the handler's arguments, S31). */
  readonly inputs: readonly CellNode[];
  /** Inputs given as a Set: the handler gets one Map of them ({@link Dependency.inputsAsMap}). */
  readonly asMap: boolean;
  /** For a batch listener (`ListenerOptions.batch`), its `maxBatchSize`; else 0. */
  readonly maxBatch: number;
}

/**
 * The app a session belongs to (`session.app`), as the runtime's files below `App` see it; `S`
 * is the type they see its sessions as. `App` is one.
 */
export interface AppSite<S> {
  /** The Blocks this app runs. */
  readonly blocks: Blocks;
  /** The clock of its timers and idle times. */
  readonly clock: Clock;
  /** `launch({ sessionIdleTimeout })`, in seconds; `null`: none. */
  readonly sessionIdleTimeout: number | null;
  /** `launch({ showError })`. */
  readonly showError: boolean;
  /** `launch({ maxQueueSize })`; `null`: unbounded. */
  readonly maxQueueSize: number | null;
  /** Opens a session (`App.connect`). */
  connect(options?: { storage?: StorageLike; request?: RequestInfo }): Promise<S>;
  /** A Global's value and its changes (`App.value$`). */
  value$<T>(global: Global<T>): Observable<T>;
  /** @internal */
  _waiting: number;
  /** @internal */
  _runCount: number;
  /** @internal */
  readonly _slicer: Slicer;
  /** @internal */
  readonly _delivery: Delivery;
  /** @internal */
  readonly _lifecycle: {
    slotWritten(session: S, cell: AnyCell, at?: number): void;
    writtenAt(session: S): [number, number][];
    closedAt(session: S): number | undefined;
    timerChanged(session: S, timer: AnyCell): void;
  };
  /** @internal */
  readonly _browserStates: { readonly active: boolean; persist(session: S, cell: AnyCell, value: unknown): void; flush(session: S): Promise<void> };
  /** @internal */
  _runtimeOf(dependency: Dependency): DependencyRuntime;
  /** @internal */
  _addRendered(dependency: Dependency): void;
  /** @internal */
  _refreshRendered(dependency: Dependency): void;
  /** @internal */
  _queueIsFull(): boolean;
  /** @internal */
  _hasOpenSession(): boolean;
  /** @internal */
  _openSessionList(): S[];
  /** @internal */
  _idleSessions(): S[];
  /** @internal */
  _touch(session: S): void;
  /** @internal */
  _closeSession(session: S): Promise<void> | undefined;
  /** @internal */
  _removeSession(session: S, runDeleteCallbacks: boolean, forget?: boolean): void;
  /** @internal A session's State changed outside an event (a time-to-live deletion): a shared store saves it. */
  _sessionChanged(session: S): void;
  /** @internal */
  _reportFailure(session: S | undefined, event: AppErrorEvent, message: string, title?: string): void;
  /** @internal */
  _readGlobal(node: CellNode): unknown;
  /** @internal */
  _compareGlobal(node: CellNode, value: unknown): Comparison;
  /** @internal */
  _writeGlobal(node: CellNode, value: unknown, comparison: Comparison, session?: S): boolean;
}

/** @internal What runs, handles, outputs and render regions use of their `Session`. */
export interface SessionSite extends CellStore<CellNode> {
  readonly app: AppSite<SessionSite>;
  readonly sessionHash: string;
  readonly request: RequestInfo;
  _closed: boolean;
  readonly _ending: boolean;
  call(apiName: string, ...inputs: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
  _busy(delta: number): void;
  _read(node: CellNode): unknown;
  _propsOf(block: AnyCell | LayoutBlock): Props;
  _nodeProps(node: CellNode): Props;
  _outputValue(output: Output): unknown;
  _changeDepsOf(node: CellNode): readonly Dependency[];
  _placedShadow(cell: AnyCell, value: unknown): unknown;
  _place(cell: AnyCell, value: unknown, props: Props | undefined, shadow: unknown, carried?: boolean): void;
  _placeProps(container: LayoutBlock, props: Props, carried?: boolean): void;
  _rendered(region: Render): void;
  _forget(block: Block): void;
  _hasRuns(dependency: Dependency): boolean;
  _hasOwnRuns(dependency: Dependency): boolean;
  _forgetDependency(dependency: Dependency): void;
  _compare(node: CellNode, value: unknown): Comparison;
  _commit(node: CellNode, value: unknown, comparison?: Comparison): boolean;
  _nextProps(component: Component<unknown> | LayoutBlock, changes: Record<string, unknown>, base?: Props): Props | undefined;
  _setProps(component: Component<unknown> | LayoutBlock, next: Props): void;
  _message(message: Message): void;
  _status(dependency: Dependency, stage: StatusMessage["stage"], position?: number, run?: number): void;
  _reportError(error: Error, dependency: Dependency | undefined, run?: number): void;
}

/** @internal What calling a handler (`handler.ts`) uses of its `Run`. */
export interface RunSite {
  readonly session: SessionSite;
  readonly dependency: Dependency;
  readonly runtime: DependencyRuntime;
  readonly inputValues: unknown[] | undefined;
  readonly event: EventData;
  /** `ctx.target` (see `Run.target`). */
  readonly target: Block | undefined;
  readonly id: number;
  stage: "waiting" | "queued" | "running" | "ending" | "done";
  readonly cancelled: boolean;
  /** Neither ended nor cancelled: its alerts and progress reach the session. */
  readonly live: boolean;
  readonly ctx: EventContext;
  readonly signal: AbortSignal;
  readonly watcher: ((outputs: unknown[]) => void) | undefined;
  timer: unknown;
  /** Its trigger's async context, kept while it waited to start; the handler is called in it. */
  scope: AsyncScope | undefined;
  alert(type: AlertType, message: string, options?: AppErrorOptions): void;
  whenCancelled(): Promise<void>;
  /** Its listener's validator refused it: nothing chained to it starts (`Run.refuse`). */
  refuse(): void;
  /** Its inputs were judged before it was queued (`Run.judged`): the validator is not called again. */
  readonly judged: boolean;
  /** The runs that joined its batch (`ListenerOptions.batch`, `Run.batch`); none for most. */
  readonly batch: readonly RunSite[];
  cancel(reason?: Error): void;
}

/**
 * A session: one user's page load, an isolated instance of the Blocks' graph (S1, S10-S13).
 *
 * @packageDocumentation
 */
import { endWith, takeUntil, type Observable } from "rxjs";
import { AppError, EventError, GENERIC_ERROR_MESSAGE, ValueTooDeep, checkOptions, describeValue, isRecord, isStackOverflow, messageOf, toError, visibleError } from "../core/errors";
import { sameContent } from "../core/equality";
import { UNSET, clearCell, commitWrite, compareWrite, peekCell, placeCell, placedShadow, readCell, restoreCell, storeSlots, unwatchCell, watchCell, watchCellIfSet, type CellStore, type Comparison } from "../core/dataflow";
import type { Snapshot } from "../core/equality";
import { Cell, NO_DEPS, rejectionReason, type AnyCell, type Block, type CellNode, type CellSite, type Dependency, type EventListener, LayoutBlock, type Output } from "../blocks/block";
import { Render } from "../blocks/render";
import type { RenderConfig } from "../blocks/config";
import type { EventData, RequestInfo } from "../blocks/context";
import type { Global } from "../blocks/state";
import { Component, type Props } from "../components/component";
import { MemoryStorage, type StorageLike } from "../storage/web-storage";
import type { AppSite } from "./sites";
import type { StoreLink } from "./store";
import { Cascade, type EventResult } from "./cascade";
import { MessageLog, type AlertMessage, type Message, type StatusMessage } from "./messages";
import { RunHandle, apiInputs, type RunOptions } from "./handle";
import type { FanOutRound, PendingRounds } from "./fanout";
import { Run, cancelRuns, propagateChanges, schedule, slotHasRunOf, type RunSession, type RunSlot } from "./run";
import { prejudge, type Judgement } from "./handler";
import { valueError } from "./outputs";
import { SessionRenders } from "./renders";
import { blockMatcher, layoutOrder, type BlockQuery } from "./query";
import { ENDED, MESSAGES, Streams, UPDATES, propsKey, stream, valueKey } from "./streams";

/**
 * The app a session belongs to (`session.app`): what the session and its runs use of the `App`
 * that connected it, declared here so that this file need not import `app.ts` (which imports it).
 */
export interface SessionApp extends AppSite<Session> {
  /** @internal */
  readonly _fanOuts: Map<string, FanOutRound<RunSession>>;
  /** @internal */
  readonly _pendingRounds: PendingRounds;
  /** @internal */
  readonly _store: StoreLink | undefined;
}

/** What {@link Session._judge} gives where it calls no validator. */
const NOT_JUDGED: Judgement = Object.freeze({ verdicts: Object.freeze([]), error: undefined });

/**
 * One user's session. Created by `app.connect()`; every method that simulates a user event
 * returns a promise that resolves when the whole cascade it caused has settled (docs/03),
 * never rejecting for app errors.
 *
 * Every method that takes a cell or component throws a `TypeError` at once (synchronously)
 * for anything else than a cell or component of this app's Blocks (one of another Blocks,
 * `undefined`, a plain object, ...): a mistake in the calling code, not an app error. The
 * message names the method, the argument and what it expected.
 */
export class Session {
  /**
   * @internal This session's slots (the dataflow core's {@link CellStore}, whose owner the
   * session is): first each of the app's listeners' {@link RunSlot}, by listener id (`_base`
   * of them), then the cell values, by cell id. One array, held by the session itself: see
   * {@link CellStore}.
   */
  readonly _values: unknown[];
  /** @internal How many of {@link Session._values} are run slots: the app's listeners. */
  readonly _base: number;
  /** @internal The last reported content of watched cells, by cell id (the core's; made on first use). */
  _shadows: (Snapshot | typeof UNSET | undefined)[] | undefined = undefined;
  /** @internal Per-session props overrides by component id (absent: template props). */
  _propsById: (Props | undefined)[] | undefined;
  /** @internal The streams someone subscribes to (S55): none until the first subscribe. */
  private _streams: Streams | undefined;
  /** @internal This session's `gr.render` regions (S110), once one has rendered. */
  _renders: SessionRenders | undefined;
  /** @internal */
  private _messages: MessageLog | undefined;
  /** @internal */
  private _active = 0;
  /** @internal */
  private _idleWaiters: (() => void)[] | undefined;
  /** @internal Set by close(); cleared by a reconnect before expiry (S13). */
  _closed = false;
  /**
   * @internal When the session was last used (app clock, ms), kept only with an idle timeout
   * (undefined without). Not 0 at first: a field that held a small integer and then a time
   * changed every session's hidden class (V8), leaving `App._shapeAnchors` on an old one.
   */
  _lastActive: number | undefined = undefined;
  /** @internal Set once the app has dropped the session (retention over, eviction, app closed). */
  _removed = false;
  /**
   * @internal The app's use count at this session's last use (S14): the larger, the more
   * recently used (see `App._touch`).
   */
  _used = 0;
  /** @internal Its place in the app's eviction order while it is there (`App._evictionOrder`), else -1. */
  _evictionSlot = -1;
  /** @internal Settles when `connect` has restored BrowserStates and run load listeners. */
  _started: Promise<void> = STARTED;
  /** @internal A `close()` still running (its unload listeners); a reconnect waits for it (S13). */
  _closing: Promise<void> | undefined;
  /** @internal Set while `close()` cancels runs and runs the unload listeners. */
  private _shutting = false;
  /** @internal The browser storage `connect` was given; made on first use without one. */
  private _storage: StorageLike | undefined;
  /** @internal What `connect({ request })` was given; without one, `{}` made on first read. */
  private _request: RequestInfo | undefined;

  /** @internal Created by `App.connect`. */
  constructor(
    /** The app this session belongs to. */
    readonly app: SessionApp,
    /** The session hash (S10): 22 URL-safe characters of 6 random bits each (132 bits), unless the caller supplied one. */
    readonly sessionHash: string,
    storage: StorageLike | undefined,
    request: RequestInfo | undefined,
  ) {
    this._storage = storage;
    this._request = request;
    this._base = app.blocks._dependencies.length;
    this._values = storeSlots(this._base, app.blocks._blocksById.length);
  }

  /**
   * The browser storage of this session (S90); sessions sharing one object are one browser.
   * Without one given to `connect`, a fresh in-memory storage, created on first use.
   */
  get storage(): StorageLike {
    return (this._storage ??= new MemoryStorage());
  }

  /** What `connect({ request })` was given (headers, query, ...), exposed as `ctx.request`; `{}` without one. */
  get request(): RequestInfo {
    return (this._request ??= {});
  }

  /** Whether the session was closed (S13). */
  get closed(): boolean {
    return this._closed;
  }

  /** @internal Closed or closing: takes no user events, and its cancelled runs chain nothing (S13). */
  get _ending(): boolean {
    return this._closed || this._shutting;
  }

  // #region Reading

  /**
   * The current value of a cell in this session: a component's, a State's (created lazily from
   * its default, S2), a BrowserState's, or the app's value of a Global.
   *
   * @throws TypeError "session.get(cell): expected a cell …" for anything else than a cell of
   *   this app's Blocks.
   */
  get<T>(cell: Cell<T>): T {
    this._own(cell, "session.get(cell)", "cell");
    this.app._touch(this);
    return this._read(cell._node) as T;
  }

  /**
   * The current props in this session (S1) of a component, or of a layout container (S72:
   * `visible`, an Accordion's `open`, as set by `gr.update`).
   *
   * @throws TypeError for anything else than a component or layout container of this app's Blocks.
   */
  props(component: Component<unknown> | LayoutBlock): Props {
    this._own(component, "session.props(component)", "props"); // a layout container too (S72)
    this.app._touch(this);
    return this._propsOf(component);
  }

  /**
   * An RxJS observable of a cell's value in this session: the current value on subscribe, then
   * each change (by content, S50). Subscribing makes the session watch the cell; the last
   * unsubscribe stops it. For a Global, the app's value. It completes when the app removes the
   * session, as every stream of the session does.
   *
   * @throws TypeError at once for anything else than a cell of this app's Blocks.
   */
  value$<T>(cell: Cell<T>): Observable<T> {
    this._own(cell, "session.value$(cell)", "cell");
    if (cell.kind === "global") return this._globalValue$(cell as Global<T>);
    const id = cell._id;
    return stream<T>(() => this._streamsNow(), valueKey(id), {
      // Start watching: remember the current content so later writes can be compared.
      start: () => watchCell(this, this._liveNode(cell)),
      first: () => {
        this.app._touch(this);
        return [this._read(this._liveNode(cell)) as T];
      },
      stop: () => unwatchCell(this, this._liveNode(cell)),
    });
  }

  /**
   * @internal The node of the block that holds `cell`'s slot now: for a rendered keyed cell that
   * later renders carried on (S111), the newest one's, whose `.change` listeners say whether
   * writes are compared; else the cell's own.
   */
  private _liveNode(cell: AnyCell): CellNode {
    const live = cell._scope !== undefined ? this._renders?.blockById(cell._id) : undefined;
    return live !== undefined && live !== cell && live.constructor === cell.constructor ? (live as AnyCell)._node : cell._node;
  }

  /**
   * @internal A Global's `value$` in this session: the app's stream itself (one delivery path,
   * so its values keep their causal order with the session's own streams), ended when the app
   * removes the session, as the session's streams are: {@link ENDED} completes then.
   */
  private _globalValue$<T>(global: Global<T>): Observable<T> {
    const ended = stream<never>(() => this._streamsNow(), ENDED, {});
    return this.app.value$(global).pipe(takeUntil(ended.pipe(endWith(undefined))));
  }

  /** Like {@link Session.value$}, for a component's or a layout container's props. */
  props$(component: Component<unknown> | LayoutBlock): Observable<Props> {
    this._own(component, "session.props$(component)", "props");
    return stream<Props>(() => this._streamsNow(), propsKey(component._id), {
      first: () => {
        this.app._touch(this);
        return [this._propsOf(component)];
      },
    });
  }

  /**
   * Alerts, errors, run status and progress for this session (docs/03). Alerts and errors
   * (the last 100) are replayed to each new subscriber; status and progress messages are
   * delivered live only.
   */
  get messages$(): Observable<Message> {
    return stream<Message>(() => this._streamsNow(), MESSAGES, { first: () => [...this.messages] });
  }

  /** The alerts and errors this session received (the last 100), oldest first. */
  get messages(): readonly Message[] {
    return this._messages?.recent() ?? [];
  }

  /**
   * The renderer protocol's update stream (protocol version 2): `{ id, value }` whenever a
   * component's value changes by content (S50), `{ id, props }` (the full current props)
   * whenever the props of a component or a layout container (S72) are updated, and
   * `{ id: regionId, render }` when a `gr.render` region re-rendered (S110; `render` as in
   * {@link Session.renders}). Never State, BrowserState or Global values. Subscribing
   * makes the session compare component writes (S55 cost, only while subscribed).
   */
  get updates$(): Observable<ComponentUpdate> {
    return stream<ComponentUpdate>(() => this._streamsNow(), UPDATES, {
      // Start comparing: remember the content of components already holding a value.
      start: () => {
        for (const cell of this._components()) watchCellIfSet(this, cell._node);
      },
      stop: () => {
        for (const cell of this._components()) unwatchCell(this, cell._node);
      },
    });
  }

  /**
   * @internal This session's streams, made on the first subscribe (S55: none for an unwatched
   * session); none once the app removed it (a subscriber is completed at once, as those it had
   * were then).
   */
  private _streamsNow(): Streams | undefined {
    return this._removed ? undefined : (this._streams ??= new Streams(this.app._delivery));
  }

  /**
   * Every component's current value and props, and every layout container's props (no
   * `value`: S72), by id: what a renderer that attaches late needs to draw the page (protocol
   * version 2), rendered components included. Never State values. Components hidden with
   * `visible: false` are included, with that prop, so that a later update showing one (which
   * carries only the prop) finds its value already drawn; a container hidden so hides
   * everything in it.
   */
  snapshot(): Record<number, { value?: unknown; props: Props }> {
    this.app._touch(this);
    const result: Record<number, { value?: unknown; props: Props }> = {};
    for (const block of this.app.blocks._blocksById) if (block instanceof LayoutBlock) result[block._id] = { props: this._propsOf(block) };
    if (this._renders) for (const block of this._renders.liveBlocks()) if (block instanceof LayoutBlock) result[block._id] = { props: this._propsOf(block) };
    for (const cell of this._components()) result[cell._id] = { value: this._read(cell._node), props: this._propsOf(cell) };
    return result;
  }

  /**
   * What each `gr.render` region (S110) holds in this session, by the region's id: its
   * components, layout, listeners and their current values (protocol version 2). A renderer
   * draws these inside the region's node, and replaces one when `updates$` sends
   * `{ id, render }` for it. Regions not rendered yet (a render that failed at load) are absent.
   */
  renders(): Record<number, RenderConfig> {
    this.app._touch(this);
    const result: Record<number, RenderConfig> = {};
    for (const region of this._renders?.regions() ?? []) result[region._id] = this._renders!.config(region);
    return result;
  }

  /**
   * The first block of this session matching `query`, in layout order, or `undefined`. Sees the
   * app's blocks and what this session's `gr.render` regions hold now (S110), so a test can
   * reach a rendered component: `session.find({ key: "box-2" })`.
   *
   * `query` is a label, or `{ label?, elemId?, key?, type? }` where every given field must
   * match: `label`, `elemId` and `key` as the block has them in this session (a label set by
   * `gr.update` counts), `type` the class name (`"Textbox"`, `"Number"`, `"Row"`, `"State"`).
   * Drawn blocks come first, in layout order; then States, in creation order.
   *
   * @throws TypeError for a query that is neither a string nor such an object (unknown field
   *   names get the nearest known one suggested).
   */
  find<B extends Block = Component<any>>(query: string | BlockQuery): B | undefined {
    const match = blockMatcher(query, "find", (block) => this._matchProps(block));
    this.app._touch(this);
    for (const block of layoutOrder(this.app.blocks, this._renders)) if (match(block)) return block as B;
    return undefined;
  }

  /** Every block of this session matching `query` (see {@link Session.find}), in layout order. */
  findAll<B extends Block = Component<any>>(query: string | BlockQuery): B[] {
    const match = blockMatcher(query, "findAll", (block) => this._matchProps(block));
    this.app._touch(this);
    const found: B[] = [];
    for (const block of layoutOrder(this.app.blocks, this._renders)) if (match(block)) found.push(block as B);
    return found;
  }

  /** @internal A block's props in this session, as {@link Session.find} matches them. */
  private _matchProps(block: Block): Props {
    return block instanceof LayoutBlock || block instanceof Cell ? this._propsOf(block) : EMPTY;
  }

  /** @internal The app's components, then this session's rendered ones. */
  private *_components(): IterableIterator<AnyCell> {
    for (const cell of this.app.blocks._cells) if (cell.kind === "component") yield cell;
    if (this._renders) for (const block of this._renders.liveBlocks()) if (block instanceof Cell && block.kind === "component") yield block;
  }

  /**
   * The by-id counterpart of {@link Session.trigger} for renderers (protocol version 2): `id`
   * is an app component's, or one a `gr.render` region holds now.
   * `event: "input"` (or `"change"`) carries the edited value in `data` and behaves like
   * {@link Session.input}; other events behave like `trigger(component, event, data)`.
   * Never throws: an unknown id or event name resolves with `status: "error"` and an error
   * message to the session, leaving every cell as it was.
   */
  dispatch(message: { id: number; event: string; data?: EventData }): Promise<EventResult> {
    let error: string;
    try {
      const target = this._dispatchTarget(message);
      if (typeof target !== "string") {
        const { block, event, data } = target;
        return block instanceof Component && (event === "input" || event === "change") ? this.input(block, data) : this._trigger("dispatch", block, event, data);
      }
      error = target;
    } catch (e) {
      // The message was checked; this is the last guard of the promise never to throw.
      error = `dispatch: ${messageOf(e)}`;
    }
    const cascade = new Cascade();
    this._fail(cascade, new EventError(error, "unknown_target"));
    cascade.end(null);
    return cascade.promise;
  }

  /** @internal The block with this id in the session: the app's, or one a `gr.render` region holds now (S110). */
  _blockById(id: number): Block | undefined {
    return this.app.blocks._blocksById[id] ?? this._renders?.blockById(id);
  }

  /**
   * @internal The component and event a renderer's message names, or what is wrong with it. Reads each
   * field once: a message may be anything a renderer sent, Proxies and getters included.
   */
  private _dispatchTarget(message: unknown): { block: Component<unknown> | LayoutBlock; event: string; data: EventData } | string {
    if (!isRecord(message)) return `dispatch: expected a message { id, event, data? }; got ${describeValue(message)}.`;
    let id: unknown, event: unknown, data: EventData;
    try {
      ({ id, event, data } = message);
    } catch (e) {
      return `dispatch: the message could not be read (${messageOf(e)}).`;
    }
    const block = typeof id === "number" ? this._blockById(id) : undefined;
    // A layout container's events (a Tab's select, an Accordion's expand) are triggers too.
    if (!(block instanceof Component || block instanceof LayoutBlock)) return `dispatch: no component or layout container has id ${describeValue(id)}.`;
    const events = block._events;
    if (block instanceof Component && (event === "input" || event === "change")) {
      const why = notEditable(block);
      if (why) return `dispatch: ${block.describe()} (id ${id}) ${why}.`;
    } else if (typeof event !== "string" || !events.includes(event)) {
      return `dispatch: ${block.describe()} (id ${id}) ${block._noSuchEvent(event)}.`;
    }
    return { block, event, data };
  }

  // #endregion
  // #region User events

  /**
   * A user edit (S34, S53): validates and normalises the value under the component's current
   * props, sets it, then fires `input` listeners always and `change` listeners if the value
   * differs. A rejected value resolves with `status: "error"` and writes nothing.
   *
   * Takes what `dispatch` takes: a component with a `change` or `input` event. A Button (its
   * value is its text) and a State are not user-editable (Gradio ignores State values an API
   * client sends); set a State with {@link Session.setState}.
   *
   * @throws TypeError at once for any other target, like {@link Session.trigger} for an
   *   unknown event (a mistake in the calling code, not an app error).
   */
  input<T>(component: Component<T>, value: unknown): Promise<EventResult> {
    this._own(component, "session.input(component, value)", "component");
    const why = notEditable(component);
    if (why) throw new TypeError(`session.input(component, value): ${component.describe()} ${why}.`);
    const refused = this._refusal();
    if (refused) return refused;
    this.app._touch(this);
    const cascade = new Cascade();
    try {
      const normalised = this._normalizeInput(component, value, undefined);
      const node = component._node;
      const changed: readonly CellNode[] = this._commit(node, normalised) ? [node] : [];
      for (const dep of this._listenersOf(component, "input")) schedule(this, dep, cascade, undefined, undefined, component);
      propagateChanges({ session: this, cascades: cascade, dependency: undefined }, changed, undefined);
    } catch (e) {
      this._fail(cascade, e);
    }
    cascade.end(null);
    return this._settled(cascade);
  }

  /**
   * Sets a State's or BrowserState's value in this session as a listener's output would (by
   * reference, S5), then runs its `.change` listeners if the content changed (S50, S53): a
   * way for tests to put a session in a given state without a listener. Not a user event:
   * users cannot edit a State (see {@link Session.input}).
   *
   * @returns the cascade's result, like a user event.
   * @throws TypeError at once for a cell that is not a State or BrowserState of this app
   *   (a component: use {@link Session.input}; a Global is the app's, not the session's).
   */
  setState<T>(state: Cell<T>, value: T): Promise<EventResult> {
    this._own(state, "session.setState(state, value)", "cell");
    if (state.kind !== "state" && state.kind !== "browser") {
      throw new TypeError(`session.setState: ${state.describe()} is not a State or BrowserState${state.kind === "component" ? "; use session.input for a component" : ""}.`);
    }
    const refused = this._refusal();
    if (refused) return refused;
    this.app._touch(this);
    const cascade = new Cascade();
    try {
      const node = state._node;
      const changed: readonly CellNode[] = this._commit(node, this._normalizeInput(state as AnyCell as Component<unknown>, value, undefined)) ? [node] : [];
      propagateChanges({ session: this, cascades: cascade, dependency: undefined }, changed, undefined);
    } catch (e) {
      this._fail(cascade, e);
    }
    cascade.end(null);
    return this._settled(cascade);
  }

  /**
   * A click on a button (or any component with a `click` event).
   *
   * @throws TypeError for anything else than a component of this app's Blocks with a `click` event.
   */
  click(component: Component<unknown> & { readonly click: EventListener }): Promise<EventResult> {
    this._own(component, "session.click(component)", "component");
    return this._trigger("session.click(component)", component, "click", undefined);
  }

  /**
   * A submit (Enter) on a Textbox or Number.
   *
   * @throws TypeError for anything else than a component of this app's Blocks with a `submit` event.
   */
  submit(component: Component<unknown> & { readonly submit: EventListener }): Promise<EventResult> {
    this._own(component, "session.submit(component)", "component");
    return this._trigger("session.submit(component)", component, "submit", undefined);
  }

  /**
   * Fires `event` on a block with optional event data (`ctx.event`, e.g. `{ index, value }` for
   * `select`): a cell's, or a layout container's (a Tab's `select`, an Accordion's or a
   * Sidebar's `expand` and `collapse`, a Tabs' `change` and `select`). As in Gradio, the event
   * tells listeners what the user did; it changes no prop (an Accordion's `open` stays as the
   * app last set it).
   *
   * @throws TypeError for anything else than a cell or layout container of this app's Blocks,
   *   or when it has no such event (a mistake in the calling code, not an app error).
   */
  trigger(block: Cell<unknown> | LayoutBlock, event: string, data?: EventData): Promise<EventResult> {
    this._own(block, "session.trigger(block, event, data?)", "block");
    return this._trigger("session.trigger(block, event, data?)", block, event, data);
  }

  /** @internal */
  private _trigger(call: string, block: Block, event: unknown, data: EventData): Promise<EventResult> {
    const deps = typeof event === "string" ? this._listenersOf(block, event) : NO_DEPS;
    // Listeners exist only for events of the block's class: the class's list is read (as the
    // message needs it) only when there are none.
    if (deps.length === 0 && (typeof event !== "string" || !block._events.includes(event))) {
      throw new TypeError(`${call}: ${block.describe()} ${block._noSuchEvent(event)}.`);
    }
    const refused = this._refusal();
    if (refused) return refused;
    this.app._touch(this);
    // An event that sets the component's value first (a Dataset's click on a sample, as Gradio's
    // page sets it); only events with data can (a plain click pays nothing).
    if (data !== undefined && block instanceof Component && block._eventValue !== undefined) return this._fireWithValue(block, event as string, deps, data);
    return this._fire(deps, data, undefined, block);
  }

  /**
   * @internal {@link Session._fire} after writing the value `event` gives `component` (see
   * `Component._eventValue`), checked as a user's input (S34): a value it refuses, or data that
   * cannot be read, fails the event and runs nothing.
   */
  private _fireWithValue(component: Component<unknown>, event: string, deps: readonly Dependency[], data: EventData): Promise<EventResult> {
    let changed: CellNode[] = [];
    try {
      let given: unknown;
      try {
        given = component._eventValue!(event, data);
      } catch (e) {
        throw new EventError(`${component.describe()}: the data of its ${event} event could not be read (${messageOf(e)}).`, "invalid_input");
      }
      if (given !== undefined) {
        const node = component._node;
        if (this._commit(node, this._normalizeInput(component, given, undefined))) changed = [node];
      }
    } catch (e) {
      const cascade = new Cascade();
      this._fail(cascade, e);
      cascade.end(null);
      return this._settled(cascade);
    }
    return this._fire(deps, data, changed, component);
  }

  /**
   * Runs the listener named `apiName` with these input values, as an API client would: one
   * value per input that is not a State, BrowserState or Global, in order (as Gradio's clients
   * send them), or one per declared input with the values at those positions ignored (those
   * are read from the session). Not subject to `triggerMode`.
   *
   * @returns one value per declared output, in order, after the cascade settles.
   * @throws (rejects) with the run's error when it fails; with a TypeError naming `session.call`
   *   for an `apiName` that is not a string, or listing the known names for an unknown one; with
   *   an {@link EventError} (`invalid_input`) for a wrong number of values ("needed 2, got 1")
   *   or an input value a component rejects. Nothing runs then.
   */
  async call(apiName: string, ...inputs: unknown[]): Promise<unknown[]> {
    const dep = typeof apiName === "string" ? this.app.blocks._byApiName.get(apiName) : undefined;
    if (!dep) {
      const known = [...this.app.blocks._byApiName.keys()];
      const what = typeof apiName === "string" ? "no listener is named" : "expected a listener's api name (a string); got";
      throw new TypeError(`session.call(apiName, ...inputs): ${what} ${describeValue(apiName)}. Known api names: ${known.join(", ") || "none"}.`);
    }
    const refused = this._refusal();
    if (refused) throw (await refused).error;
    this.app._touch(this);
    const values = apiInputs(dep, inputs, (component, value) => this._normalizeInput(component, value, dep));
    const cascade = new Cascade();
    let run: Run | undefined;
    schedule(this, dep, cascade, { inputValues: values, ignoreTriggerMode: true, onRun: (r) => ((run = r).outputValues = []) });
    cascade.end(null);
    const result = await this._settled(cascade);
    if (result.status === "error") throw result.error;
    if (result.status === "cancelled") throw result.error ?? new EventError(`${dep.describe()} was cancelled.`, "cancelled");
    const written = run?.outputValues;
    // A run that wrote nothing (a generator that never yielded): the outputs as they are.
    return written && written.length === dep.outputs.length ? written : dep.outputs.map((o) => this._outputValue(o));
  }

  /**
   * Starts one run of a listener, as an API client (or a full UI) would, and returns its
   * {@link RunHandle}: each yield's outputs, the final ones, and `cancel()` for this run alone.
   * Not subject to `triggerMode`; `.change` and chained listeners it causes run as usual, and
   * `handle.done` waits for them. Every message the run sends carries its `handle.id` as `run`.
   *
   * ```ts
   * const run = session.run("count_up", []);
   * run.outputs$.subscribe(([n]) => console.log(n));   // each yield
   * setTimeout(() => run.cancel(), 1000);
   * const end = await run.done;                         // { status: "cancelled", outputs, error }
   * ```
   *
   * @param listener its api name, its dependency id (`dep.id`, also for `apiName: false`), or
   *   the Dependency itself.
   * @param inputs one value per input that is not a State, BrowserState or Global, in order (as
   *   Gradio's clients send them); or one per declared input, the values at those positions
   *   ignored (the session's own values are read).
   * @throws TypeError for an unknown listener, a Dependency of another Blocks, or an unknown
   *   option; EventError (`invalid_input`) for a wrong number of values ("needed 2, got 1") or a
   *   value a component rejects (S34). Nothing runs then, and the session is unchanged.
   */
  run(listener: string | number | Dependency, inputs: readonly unknown[] = [], options?: RunOptions): RunHandle {
    return this._run(listener, inputs, options, false);
  }

  /**
   * @internal {@link Session.run}; `judged`: the listener's validator judged these inputs
   * already ({@link Session._judge}), so the run does not call it again.
   */
  _run(listener: string | number | Dependency, inputs: readonly unknown[], options: RunOptions | undefined, judged: boolean): RunHandle {
    const where = "session.run(listener, inputs, options?)";
    const opts = checkOptions(where, options, ["signal", "onOutputs", "event", "target"]);
    const blocks = this.app.blocks;
    const dep =
      typeof listener === "string" ? blocks._byApiName.get(listener) : typeof listener === "number" ? blocks._dependencies[listener] : listener;
    if (!dep || typeof dep !== "object" || dep.blocks !== blocks) {
      const known = [...blocks._byApiName.keys()];
      throw new TypeError(
        `${where}: no listener ${describeValue(listener)} in this app; give an api name (${known.join(", ") || "none"}), a dependency id (0 to ${blocks._dependencies.length - 1}) or a Dependency of its Blocks.`,
      );
    }
    if (!Array.isArray(inputs)) throw new TypeError(`${where}: inputs must be an array of values; got ${describeValue(inputs)}.`);
    if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw new TypeError(`${where}: signal must be an AbortSignal; got ${describeValue(opts.signal)}.`);
    if (opts.onOutputs !== undefined && typeof opts.onOutputs !== "function") throw new TypeError(`${where}: onOutputs must be a function; got ${describeValue(opts.onOutputs)}.`);
    const target = opts.target as Block | undefined; // a block of this app or session: checked here
    if (target !== undefined) this._own(target, `${where}: target`, "block");
    const values = apiInputs(dep, inputs, (component, value) => this._normalizeInput(component, value, dep));
    return new RunHandle(dep, this, opts, (watch) => {
      const refused = this._refusal();
      if (refused) return refused;
      this.app._touch(this);
      const cascade = new Cascade();
      schedule(this, dep, cascade, { inputValues: values, ignoreTriggerMode: true, onRun: watch, event: opts.event, judged }, undefined, target);
      cascade.end(null);
      return this._settled(cascade);
    });
  }

  /**
   * @internal Gradio's check at `queue/join`: the validator of `dep` (which has one) called on
   * the inputs {@link Session.run} would get (`inputs` as there, State inputs read now), before
   * any run is queued; see handler.ts's `prejudge`. Nothing runs, and nothing is written. A
   * closed session judges nothing (its run is refused as any other).
   *
   * @throws EventError (`invalid_input`) for inputs `session.run` refuses; (rejects with) what the
   *   validator threw, as a run would fail with it.
   */
  _judge(dep: Dependency, inputs: readonly unknown[], options: Pick<RunOptions, "event" | "target">): Promise<Judgement> {
    const values = apiInputs(dep, inputs, (component, value) => this._normalizeInput(component, value, dep));
    if (this._removed || this._ending) return Promise.resolve(NOT_JUDGED); // the run is refused as any other
    const run = new Run(this, this.app._runtimeOf(dep), new Cascade(), options.event as EventData, undefined, options.target as Block | undefined);
    run.inputValues = values;
    return prejudge(run);
  }

  /**
   * Resolves when nothing is pending or running for this session: none of its runs, and no
   * Global fan-out round (S56) of the app that has yet to schedule its runs in the sessions.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this._active > 0) await new Promise<void>((resolve) => (this._idleWaiters ??= []).push(resolve));
      else if (this.app._pendingRounds.any) await this.app._pendingRounds.settled();
      else break;
    }
    await this.app._browserStates.flush(this);
  }

  /**
   * Closes the session (S13): cancels its running and queued runs (S39: their outputs are
   * discarded, a streaming generator is closed at its next yield, `ctx.signal` aborts; the
   * events that started them resolve `cancelled` with an `EventError` of code
   * `"session_closed"`), runs the `unload` listeners, then marks it closed. From the call on,
   * user events on it (`input`, `click`, `trigger`, `dispatch`, `setState`, `call`) resolve with
   * `status: "error"` and that code instead of running. Its State is kept for the retention
   * time (S20, S22); reconnecting with the same hash before then reopens it.
   */
  close(): Promise<void> {
    if (this._closed) return STARTED;
    // A second close() while the first runs the unload listeners answers with the first.
    return (this._closing ??= this._closeNow().finally(() => (this._closing = undefined)));
  }

  /** @internal */
  private async _closeNow(): Promise<void> {
    this._shutting = true;
    try {
      this._cancelRuns();
      await this._fire(this.app.blocks._listenersFor("unload"), undefined);
      await this.app._browserStates.flush(this);
      await this.app._closeSession(this);
    } finally {
      this._shutting = false;
    }
  }

  /** @internal Cancels every pending and running run of this session (close, S13; removal, S14). */
  _cancelRuns(reason = new EventError(`Session ${this.sessionHash} was closed; its runs were cancelled.`, "session_closed")): void {
    for (const dep of this.app.blocks._dependencies) if (this._hasRuns(dep)) cancelRuns(this, dep, reason);
    if (this._renders) for (const dep of [...this._renders.dependencies()]) if (this._hasRuns(dep)) cancelRuns(this, dep, reason);
  }

  /** A page refresh (S12): closes this session and connects a new one with the same storage. */
  async reload(): Promise<Session> {
    await this.close();
    return this.app.connect({ storage: this.storage, request: this.request });
  }

  // #endregion
  // #region Engine internals

  /** @internal Runs listeners as one cascade: an event of `target` (`ctx.target`), with `changed` cells' `.change` listeners first. */
  _fire(deps: readonly Dependency[], data: EventData, changed?: readonly CellNode[], target?: Block): Promise<EventResult> {
    if (this._removed) return this._refuseRemoved();
    const cascade = new Cascade();
    if (changed?.length) propagateChanges({ session: this, cascades: cascade, dependency: undefined }, changed, undefined);
    // Most events carry no data (a click): the shared empty options, no object per event.
    const options = data === undefined ? undefined : { event: data };
    for (let i = 0; i < deps.length; i++) schedule(this, deps[i], cascade, options, undefined, target);
    cascade.end(null);
    return this._settled(cascade);
  }

  /**
   * @internal The event's promise: the cascade, and then this session's BrowserState writes
   * (S92), so that a test can reload right after `await click(...)`. Apps without a
   * BrowserState pay nothing.
   */
  _settled(cascade: Cascade): Promise<EventResult> {
    const store = this.app._store;
    if (!this.app._browserStates.active && !store) return cascade.promise;
    return cascade.promise.then(async (result) => {
      await this.app._browserStates.flush(this);
      if (store && !this._removed) {
        // A shared store (docs/08): the event resolves once its writes are acknowledged and the
        // session is saved, so nothing settled is lost with this process.
        try {
          await store.settled(this);
        } catch (e) {
          const error = toError(e);
          this._reportError(error, undefined);
          return { status: "error", error };
        }
      }
      return result;
    });
  }

  /**
   * @internal A cell's value, initialising its slot on first read (S2, S4).
   *
   * @throws EventError (`value_too_deep`) naming the cell when its first value is too deep to
   *   compare, or what its factory threw (as app code's errors are reported, S36); the slot stays
   *   unset then, so the next read tries again.
   */
  _read(node: CellNode): unknown {
    if (node.kind === "global") return this.app._readGlobal(node);
    try {
      return readCell(this, node);
    } catch (e) {
      throw initialValueError(node, e);
    }
  }

  /**
   * @internal Sets a value read from outside (BrowserState storage, S91) without writing it
   * back; returns whether it differs from the default (S95).
   */
  _restore(cell: AnyCell, value: unknown): boolean {
    return restoreCell(this, cell._node, value);
  }

  /** @internal Props of a component or layout container in this session. */
  _propsOf(block: AnyCell | LayoutBlock): Props {
    return this._propsById?.[block._id] ?? (block as Component<unknown>)._props ?? EMPTY;
  }

  /** @internal {@link Session._propsOf} a cell, by its node (the write path's). */
  _nodeProps(node: CellNode): Props {
    return this._propsById?.[node._id] ?? node.props ?? EMPTY;
  }

  /** @internal What `session.call` answers for an output: its value; `undefined` for a container (S72). */
  _outputValue(output: Output): unknown {
    return output instanceof LayoutBlock ? undefined : this._read(output._node);
  }

  /**
   * @internal {@link CellStore}: who, besides `.change` listeners, compares a cell's writes for
   * the session's life: persistence of a BrowserState (S92), a `gr.render` region's inputs (S110).
   */
  _alwaysWatched(node: CellNode): boolean {
    const renders = this._renders;
    return node.kind === "browser" || (renders !== undefined && renders.watches(node.cell));
  }

  /** @internal {@link CellStore}: a value was stored; the kind's hook runs (`_stored`: a State's lifetime, a Timer's ticks, S21, S80). */
  _stored(node: CellNode, old: unknown, value: unknown): void {
    node.stored(this, old, value);
  }

  /**
   * @internal {@link CellStore}: whether a stream compares this cell's writes now (S55): its
   * `value$`, or for a component `updates$`. The `.change` listeners, persistence and renders
   * that always do are {@link Session._alwaysWatched}'s.
   */
  _observes(node: CellNode): boolean {
    const streams = this._streams;
    return streams !== undefined && (streams.watched(valueKey(node._id)) || (node.kind === "component" && streams.watched(UPDATES)));
  }

  /** @internal {@link CellStore}: a cell's content changed (S50): its streams get the value, and the kind's hook runs (a BrowserState is saved, S92). */
  _notify(node: CellNode, value: unknown): void {
    const streams = this._streams;
    if (streams !== undefined) {
      const id = node._id;
      streams.send(valueKey(id), value);
      if (node.kind === "component" && streams.watched(UPDATES)) streams.send(UPDATES, { id, value });
    }
    node.changed(this, value);
  }

  /** @internal The listeners `event` on `block` runs in this session (the app's, then rendered ones, S110). */
  _listenersOf(block: Block, event: string): readonly Dependency[] {
    // The field, not `_listenersFor`: one read of a block, whose class varies (V8, see CellNode).
    return this._renders === undefined ? (block._listeners?.get(event) ?? NO_DEPS) : this._renders.listenersOf(block, event);
  }

  /** @internal A cell's `.change` listeners in this session (S53), rendered ones included. */
  _changeDepsOf(node: CellNode): readonly Dependency[] {
    return this._renders === undefined ? node._changeDeps : this._renders.listenersOf(node.cell, "change");
  }

  /** @internal Runs a `gr.render` region's function for this session (S110-S112). */
  _renderRegion(region: Render, args: readonly unknown[]): void {
    (this._renders ??= new SessionRenders(this)).run(region, args);
  }

  /**
   * @internal What a rendered cell placed with `value` is compared with (see `placedShadow`).
   *
   * @throws ValueTooDeep, or what the value's `[gr.hash]()` or getters throw, for a watched cell.
   */
  _placedShadow(cell: AnyCell, value: unknown): unknown {
    return placedShadow(this, cell._node, value);
  }

  /**
   * @internal A rendered layout container's starting props, kept by its key (S111). `carried`:
   * it took the id of the previous render's (see {@link Session._place}).
   */
  _placeProps(container: LayoutBlock, props: Props, carried = false): void {
    const before = carried ? this._propsById?.[container._id] : undefined;
    (this._propsById ??= [])[container._id] = props;
    if (carried) this._tellPlaced(container._id, UNSET, UNSET, before, props);
  }

  /**
   * @internal A rendered cell's starting value, props (S111) and {@link Session._placedShadow}.
   * `carried`: it took the id of the previous render's block with its key, whose `value$` and
   * `props$` go on as its own: they get the new value and props where those differ.
   */
  _place(cell: AnyCell, value: unknown, props: Props | undefined, shadow: unknown, carried = false): void {
    const id = cell._id;
    const before = carried ? peekCell(this, id) : UNSET;
    const propsBefore = carried ? this._propsById?.[id] : undefined;
    (this._propsById ??= [])[id] = props;
    placeCell(this, cell._node, value, shadow);
    if (carried) this._tellPlaced(id, before, value, propsBefore, props);
  }

  /** @internal {@link Session._place} of a carried block: its streams get what differs. */
  private _tellPlaced(id: number, before: unknown, value: unknown, propsBefore: Props | undefined, props: Props | undefined): void {
    const streams = this._streams;
    if (streams === undefined) return;
    if (value !== UNSET && streams.watched(valueKey(id)) && !same(before, value)) streams.send(valueKey(id), value);
    if (props !== undefined && streams.watched(propsKey(id)) && !same(propsBefore, props)) streams.send(propsKey(id), props);
  }

  /** @internal Tells renderers a region was rendered again (protocol version 2). */
  _rendered(region: Render): void {
    if (this._streams?.watched(UPDATES)) this._streams.send(UPDATES, { id: region._id, render: this._renders!.config(region) });
  }

  /** @internal Drops what the session holds for a block a later render replaced. */
  _forget(block: Block): void {
    const id = block._id;
    clearCell(this, id);
    if (this._propsById) this._propsById[id] = undefined;
    this._streams?.end(valueKey(id));
    this._streams?.end(propsKey(id));
  }

  /** @internal Whether a listener has a run pending or going in this session. */
  _hasRuns(dependency: Dependency): boolean {
    return this._runSlot(dependency) !== undefined;
  }

  /**
   * @internal Whether `dependency` itself has a run pending or going here: not a listener of a
   * later render that took its id with its key (`ListenerOptions.key`), whose runs share its slot.
   */
  _hasOwnRuns(dependency: Dependency): boolean {
    return slotHasRunOf(this._runSlot(dependency), dependency);
  }

  /** @internal Drops the run bookkeeping of a replaced rendered listener. */
  _forgetDependency(dependency: Dependency): void {
    this._setRunSlot(dependency, undefined);
  }

  /**
   * @internal The comparison half of a write (S50-S52, S55), made before anything is stored, so
   * that a value that cannot be compared (too deep, a throwing getter or Proxy trap) fails its
   * event with the session as it was. Pure: reads the session, changes nothing (apart from
   * initialising a Global's slot from its default).
   *
   * @returns `NOT_WATCHED` when nothing compares the cell's writes, `UNCHANGED` when
   *   `value` has the content last reported, else the snapshot {@link Session._commit} records.
   * @throws ValueTooDeep (more than MAX_VALUE_DEPTH levels), or whatever a getter, a Proxy
   *   trap or a `[hash]()` method throws.
   */
  _compare(node: CellNode, value: unknown): Comparison {
    return node.kind === "global" ? this.app._compareGlobal(node, value) : compareWrite(this, node, value);
  }

  /**
   * @internal Stores a value (by reference, S5). When the cell is watched and `comparison` (from
   * {@link Session._compare}; `undefined`: compare now) says it changed, records the new
   * snapshot and notifies observers.
   *
   * @returns whether the content changed (S50): the cell's `.change` listeners are due.
   * @throws EventError (`value_too_deep`, `unreadable_value`) naming the cell when comparing now
   *   fails; nothing is stored then.
   */
  _commit(node: CellNode, value: unknown, comparison: Comparison = this._compareGiven(node, value)): boolean {
    return node.kind === "global" ? this.app._writeGlobal(node, value, comparison, this) : commitWrite(this, node, value, comparison);
  }

  /** @internal {@link Session._compare} for {@link Session._commit}, its failure an EventError naming the cell. */
  private _compareGiven(node: CellNode, value: unknown): Comparison {
    try {
      return this._compare(node, value);
    } catch (e) {
      throw valueError(`The value given to ${node.describe()}`, e);
    }
  }

  /**
   * @internal The props a component has in this session after `changes` (S33), merged over
   * `base` (its current props unless given); `undefined` when they set props to what they
   * already are. Compares before anything is stored, like {@link Session._compare}.
   */
  _nextProps(component: Component<unknown> | LayoutBlock, changes: Record<string, unknown>, base: Props = this._propsOf(component)): Props | undefined {
    // An update that sets props to what they already are is no change: nothing to notify.
    if (Object.keys(changes).every((key) => key in base && sameContent(base[key], changes[key]))) return undefined;
    return Object.freeze({ ...base, ...changes });
  }

  /** @internal Sets props made by {@link Session._nextProps} and notifies props observers. */
  _setProps(component: Component<unknown> | LayoutBlock, next: Props): void {
    const current = this._propsOf(component);
    (this._propsById ??= [])[component._id] = next;
    const streams = this._streams;
    if (streams !== undefined) {
      streams.send(propsKey(component._id), next);
      if (streams.watched(UPDATES)) streams.send(UPDATES, { id: component._id, props: next });
    }
    component._propsChanged(this, current, next);
  }

  /** @internal {@link CellSite}: a State's time-to-live restarts (S21). */
  _restartTtl(cell: AnyCell): void {
    this.app._lifecycle.slotWritten(this, cell);
  }

  /** @internal {@link CellSite}: a Timer's ticks re-arm (S80). */
  _rearmTicks(cell: AnyCell): void {
    this.app._lifecycle.timerChanged(this, cell);
  }

  /** @internal {@link CellSite}: a BrowserState's value is saved (S92). */
  _persist(cell: AnyCell, value: unknown): void {
    this.app._browserStates.persist(this, cell, value);
  }

  /** @internal Clears a State slot (TTL, retention, eviction: S14, S20, S21). */
  _clearSlot(cell: AnyCell): void {
    clearCell(this, cell._id);
  }


  /** @internal Sends a message to `messages$`; alerts are kept for late subscribers (cut to size). */
  _message(message: Message): void {
    if (message.type !== "status" && message.type !== "progress") message = (this._messages ??= new MessageLog()).push(message);
    this._streams?.send(MESSAGES, message);
  }

  /** @internal A run status message; skipped when nobody listens live. */
  _status(dependency: Dependency, stage: StatusMessage["stage"], position?: number, run?: number): void {
    if (this._streams !== undefined) this._sendStatus(dependency, stage, position, run);
  }

  /** @internal {@link Session._status} once some stream exists (small, so that V8 inlines the check on the run path). */
  private _sendStatus(dependency: Dependency, stage: StatusMessage["stage"], position: number | undefined, run: number | undefined): void {
    if (!this._streams?.watched(MESSAGES)) return;
    const message: StatusMessage = { type: "status", dependency: dependency.id, stage };
    if (position !== undefined) message.position = position;
    if (run !== undefined) message.run = run;
    this._streams.send(MESSAGES, message);
  }

  /** @internal Reports a failed run to the session (S36). */
  _reportError(error: Error, dependency: Dependency | undefined, run?: number): void {
    let message: AlertMessage;
    try {
      const shown = visibleError(error, this.app.showError);
      message = { type: "error", message: shown.message, title: error instanceof AppError ? error.title : shown.title, dependency: dependency?.id };
      if (error instanceof AppError) message.duration = error.duration;
    } catch {
      // A gr.Error whose getters threw on this read (app code: they may have read well before).
      message = { type: "error", message: GENERIC_ERROR_MESSAGE, title: "Error", dependency: dependency?.id };
    }
    if (run !== undefined) message.run = run;
    if (error instanceof EventError && error.inputs?.length) message.inputs = error.inputs.map(({ id, message }) => ({ id, message }));
    this._message(message);
  }

  /** @internal The runs of `dependency` in this session (S38, S39): its {@link RunSlot}, kept in `_values` or, for a rendered listener, by its render. */
  _runSlot(dependency: Dependency): RunSlot {
    const id = dependency.id;
    // A rendered listener's id is above the app's (S110): its slot is its render's.
    return id < this._base ? (this._values[id] as RunSlot) : (this._renders?.runSlot(id) as RunSlot);
  }

  /**
   * @internal The listener that holds `dependency`'s id in this session now: itself, or the
   * keyed listener of a later run of its `gr.render` region that took its id (S111).
   */
  _liveListener(dependency: Dependency): Dependency {
    if (dependency.id < this._base) return dependency;
    return this._renders?.listenerById(dependency.id) ?? dependency;
  }

  /** @internal Sets the runs of `dependency` in this session ({@link Session._runSlot}); `undefined`: none. */
  _setRunSlot(dependency: Dependency, slot: RunSlot): void {
    const id = dependency.id;
    if (id < this._base) this._values[id] = slot;
    else this._renders?.setRunSlot(id, slot);
  }

  /** @internal Whether a run is pending or running, or a fan-out round may yet schedule one (see {@link Session.idle}). */
  get _busyNow(): boolean {
    return this._active > 0 || this.app._pendingRounds.any;
  }

  /** @internal Counts pending runs for `idle()`. */
  _busy(delta: number): void {
    if ((this._active += delta) === 0 && this._idleWaiters !== undefined) this._idled();
  }

  /** @internal The last pending run ended: `idle()` resolves. */
  private _idled(): void {
    const waiters = this._idleWaiters;
    if (waiters) {
      this._idleWaiters = undefined;
      for (const w of waiters) w();
    }
  }

  /** @internal Completes every observer (the session is removed from the app). */
  _dispose(): void {
    this._streams?.endAll();
  }

  /** @internal */
  private _normalizeInput(component: Component<unknown>, value: unknown, dep: Dependency | undefined): unknown {
    try {
      return component._normalize(value, this._propsOf(component));
    } catch (e) {
      // Anything a user sends that a component cannot even read (a Proxy whose traps throw, an
      // object whose getters throw) is a rejected input too, not an engine failure.
      const why = rejectionReason(e);
      const via = dep ? ` for ${dep.describe()}` : "";
      throw new EventError(`${component.describe()} rejected the input ${describeValue(value)}${via}: ${why}.`, "invalid_input");
    }
  }

  /**
   * @internal An event on a session the app dropped: nothing runs (its State is gone, and a run would
   * re-create it and its timers for a session nobody holds).
   */
  private _refuseRemoved(): Promise<EventResult> {
    const cascade = new Cascade();
    const error = new EventError(
      `Session ${this.sessionHash} is no longer held by the app (closed and expired, evicted, or the app was closed); connect again.`,
      "session_removed",
    );
    this._fail(cascade, error);
    cascade.end(null);
    return cascade.promise;
  }

  /**
   * @internal The answer to a user event this session no longer takes: dropped by the app, or closed
   * (or closing); `undefined` when it takes events.
   */
  private _refusal(): Promise<EventResult> | undefined {
    if (this._removed) return this._refuseRemoved();
    if (!this._ending) return undefined;
    const cascade = new Cascade();
    const error = new EventError(
      `Session ${this.sessionHash} is closed: the event was not run (connect again with its hash to reopen it, S13).`,
      "session_closed",
    );
    this._fail(cascade, error);
    cascade.end(null);
    return cascade.promise;
  }

  /** @internal */
  private _fail(cascade: Cascade, e: unknown): void {
    const error = toError(e);
    this._reportError(error, undefined);
    cascade.fail(error);
  }

  /**
   * @internal Checks a public method's block argument: a component (`"component"`), a component
   * or layout container (`"props"`), any cell (`"cell"`), or any cell or layout container
   * (`"block"`) of this app's Blocks, and for a block
   * of a `gr.render` run, one of this session's current render (S110, S111). Never lets a
   * hostile value (a Proxy, a throwing getter) throw anything but the TypeError naming `call`.
   */
  private _own(value: unknown, call: string, accepts: "component" | "props" | "cell" | "block"): asserts value is AnyCell {
    let got: string | undefined;
    try {
      if (value instanceof Cell || (accepts !== "cell" && accepts !== "component" && value instanceof LayoutBlock)) {
        const mine = value._blocks === this.app.blocks;
        const scope = value._scope;
        if (mine && scope !== undefined && (scope.session !== this || !scope.live)) {
          // A block of a gr.render run (S110, S111): another session's, or replaced since.
          const why = scope.session !== this ? "was rendered for another session" : "was removed: a later run of its gr.render replaced it (S111)";
          got = `${value.describe()}, which ${why}; find the current one with session.find(...)`;
        } else if (mine && (accepts === "cell" || accepts === "block" || !(value instanceof Cell) || value instanceof Component)) return;
        else got = mine ? value.describe() : `${value.describe()}, which belongs to another Blocks`;
      }
    } catch {
      // A Proxy whose traps throw: described below like any other value.
    }
    const expected =
      accepts === "component"
        ? "a component"
        : accepts === "props"
          ? "a component or layout container"
          : `a cell (component, State, BrowserState or Global)${accepts === "block" ? " or layout container" : ""}`;
    throw new TypeError(`${call}: expected ${expected} of this app's Blocks; got ${got ?? describeValue(value)}.`);
  }

  // #endregion
}

const EMPTY: Props = Object.freeze({});

/** Whether two values have the same content (S50); `false` when one cannot be compared (never throws). */
function same(a: unknown, b: unknown): boolean {
  if (a === UNSET || a === undefined) return false;
  try {
    return sameContent(a, b);
  } catch {
    return false;
  }
}

/** What {@link Session._read} throws when a cell's first value fails: too deep to compare is an EventError naming the cell; anything else as it is. */
function initialValueError(node: CellNode, e: unknown): unknown {
  return e instanceof ValueTooDeep || isStackOverflow(e) ? valueError(`The initial value of ${node.describe()}`, e) : e;
}


/**
 * Why a user cannot edit `block`, or `undefined` when they can: a component with a `change` or
 * `input` event (the same rule for `session.input` and `dispatch`).
 */
function notEditable(block: Cell<unknown>): string | undefined {
  if (!(block instanceof Component)) return "is not a component a user can edit (set a State with session.setState)";
  const events = block._events;
  return events.includes("change") || events.includes("input") ? undefined : "cannot be edited by a user (it has no change or input event)";
}

/** A settled promise, for start-ups and closes with nothing to wait for. */
const STARTED: Promise<void> = Promise.resolve();

/**
 * One item of {@link Session.updates$}: a component's new value, or its new props, or (protocol
 * version 2) a `gr.render` region's new content, `{ id: regionId, render }`.
 */
export interface ComponentUpdate {
  id: number;
  value?: unknown;
  props?: Props;
  render?: RenderConfig;
}

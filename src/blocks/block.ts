/**
 * The template graph: blocks ({@link Block}), cells ({@link Cell}), layout containers
 * ({@link LayoutBlock}) and the event listeners between them ({@link Dependency}), with the types
 * of the listener API. One module, because their types name each other: a block's event methods
 * ({@link EventListener}) return a Dependency, whose `.then` is again a {@link ListenerMethod},
 * whose `inputs` and `outputs` are cells and containers, and whose triggers keep it on their
 * block. The `Blocks` class builds them and sits above this file (blocks.ts); what they know of
 * it is {@link BlocksSite}. Registration itself (parsing an event method's call forms, `gr.on`)
 * is in listeners.ts, which event methods reach through a Blocks (`BlocksSite._listen`).
 *
 * A Block is a *description*: per-session values live in the runtime's sessions, never here.
 *
 * @packageDocumentation
 */
import { deepCopy } from "../core/copy";
import { describeValue, messageOf } from "../core/errors";
import { snapshot, type Snapshot } from "../core/equality";
import { UNSET } from "../core/dataflow";
import { toArray } from "./lists";
import type { EventContext } from "./context";
import { ValueRejection, checkBlockProps, checkPropsGiven, rejectAsTypeError, type Props } from "./props";

// ---------------------------------------------------------------------------------------------
// The build context: `new gr.Textbox()` inside `new gr.Blocks((demo) => ...)` registers with that
// Blocks, the counterpart of Python's `with gr.Blocks():`.
//
// The stack is module-level because JavaScript has no other way to reach "the Blocks being
// built" from a constructor. It only holds entries during a synchronous build callback and is
// always unwound in `finally`, so it never carries anything between builds or sessions.

/**
 * What blocks, listeners and builds use of the `Blocks` they belong to, which the class
 * (blocks.ts) satisfies structurally: that file imports this one, so this one names the interface
 * (no import circle). A listener's {@link Dependency.blocks} has this type.
 */
export interface BlocksSite extends Block {
  /** Whether the build has ended (S30). */
  readonly frozen: boolean;
  /** Every registered listener, in registration order. */
  readonly dependencies: readonly Dependency[];
  /** @internal Registers a block created during the build. */
  _register(block: Block, container: LayoutBlock | BlocksSite): void;
  /**
   * @internal Creates a listener of this Blocks; `where` names it in errors (default: its first
   * trigger). Throws when a trigger, input or output is another Blocks' block.
   */
  _addDependency(triggers: Trigger[], config: ListenerConfig<CellList>, parent?: ChainLink, where?: string): Dependency;
  /**
   * @internal Parses an event method's call forms and registers the listener (`register` in
   * listeners.ts, which this file cannot import: it imports this one).
   */
  _listen(triggers: Trigger[], args: unknown[], where: string, parent?: ChainLink): Dependency | ((fn: Handler<unknown>) => Dependency);
  /** @internal Moves a block of the layout to the end of `container`'s children; `undefined`: out of the layout. */
  _move(block: Block, container: LayoutBlock | BlocksSite | undefined): void;
}

/**
 * @internal Where the blocks and listeners of a `gr.render` run go instead of the (frozen)
 * Blocks: one session's render of one region (S110). Implemented by the runtime.
 */
export interface BuildScope {
  register(block: Block, container: LayoutBlock | BlocksSite): void;
  addDependency(triggers: Trigger[], config: ListenerConfig<CellList>, where: string, parent?: ChainLink): Dependency;
}

/** @internal One open build: the Blocks, the innermost open layout container, and a render's scope. */
export interface BuildFrame {
  blocks: BlocksSite;
  container: LayoutBlock | BlocksSite;
  /** Set while a `gr.render` function runs for a session (S110). */
  scope?: BuildScope;
}

/** Whether `target` is `container` or inside it. */
function holds(container: LayoutBlock, target: Block): boolean {
  return container === target || container._children.some((child) => child instanceof LayoutBlock && holds(child, target));
}

/** @internal Registers `block` with the open build: the Blocks, or the render run's scope. */
export function registerInFrame(frame: BuildFrame, block: Block): void {
  if (frame.scope) frame.scope.register(block, frame.container);
  else frame.blocks._register(block, frame.container);
}

const stack: BuildFrame[] = [];

/** @internal The innermost open build, if any. */
export function currentBuild(): BuildFrame | undefined {
  return stack[stack.length - 1];
}

/** @internal Runs `fn` with `frame` as the innermost open build. */
export function withBuild<R>(frame: BuildFrame, fn: () => R): R {
  stack.push(frame);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/**
 * @internal The open build a listener registers with, or the error saying why there is none:
 * `owner` is the Blocks of its first trigger (or its parent), to say when it is frozen (S30).
 */
export function openBuild(where: string, owner?: BlocksSite): BuildFrame {
  const frame = currentBuild();
  if (!frame && owner?.frozen) {
    throw new Error(`${where}: this Blocks is frozen; listeners must be registered inside its build callback (S30).`);
  }
  if (!frame) {
    throw new Error(`${where}: event listeners must be registered inside a Blocks build (S30).`);
  }
  return frame;
}

/**
 * Registers a listener: the Blocks being built parses the call forms (`BlocksSite._listen`).
 * Outside a build the block's own Blocks (or the parent listener's) parses them all the same, so
 * that a wrong call form is reported before the missing build, and a frozen Blocks says so (S30).
 */
function listen(triggers: Trigger[], args: unknown[], where: string, parent?: ChainLink) {
  const site = currentBuild()?.blocks ?? triggers[0]?.block._blocks ?? parent?.dependency.blocks ?? openBuild(where).blocks;
  return site._listen(triggers, args, where, parent);
}

// ---------------------------------------------------------------------------------------------
// Blocks and cells

/** What kind of cell a block is; decides where its value lives (S1, S2, S6, S7). */
export type CellKind = "component" | "state" | "browser" | "global";

/**
 * Any element of a Blocks. `id` is assigned in creation order when the block is registered
 * with a Blocks (-1 while unregistered), like Gradio's block ids.
 */
export abstract class Block {
  /** The Gradio type name, e.g. `"textbox"`, `"state"`, `"row"`. */
  abstract readonly type: string;
  /** @internal */ _id = -1;
  /** @internal The Blocks this block is registered with. */ _blocks: BlocksSite | undefined;
  /**
   * @internal Its place in the layout is provisional: taken out by {@link Block.unrender}, or
   * placed by a ChatInterface it was given; a `.render()` in the build moves it there.
   */
  _provisional = false;
  /** @internal Listeners by event name, filled when the Blocks is frozen. */
  _listeners: Map<string, Dependency[]> | undefined;
  /**
   * @internal For a block a `gr.render` run created: that session's render it belongs to
   * (S110); `undefined` for the Blocks' own (static) blocks.
   */
  _scope: RenderedIn | undefined;

  /** The event names this kind of block supports; the engine creates one method per name. */
  static readonly events: readonly string[] = [];
  /** The name messages use for this class when it differs from the JavaScript one (`Number`). */
  static readonly displayName: string | undefined = undefined;

  constructor() {
    for (const event of (new.target as typeof Block).events) {
      // Configurable: a Blocks made inside another's build takes that one's `load` (blocks.ts).
      Object.defineProperty(this, event, { value: makeEventListener(this, event), enumerable: false, configurable: true });
    }
  }

  /** @internal The event names of this block's class ({@link Block.events}). */
  get _events(): readonly string[] {
    return (this.constructor as typeof Block).events;
  }

  /**
   * @internal `has no "click" event; it has: change, input`, for messages about an unknown
   * event. The name comes from the client, so it is quoted (and cut) as a value.
   */
  _noSuchEvent(event: unknown): string {
    // describeValue, not String(): the name may be anything a renderer sent (a symbol, a Proxy).
    return `has no ${describeValue(event, 64)} event; it has: ${this._events.join(", ") || "none"}`;
  }

  /** The block's id in its Blocks (-1 while not registered). */
  get id(): number {
    return this._id;
  }

  /**
   * Registers this block with the Blocks being built (inside the innermost open layout
   * container). Blocks created inside a build register themselves; this is for blocks created
   * outside (for example an Interface's components).
   *
   * @throws Error outside a build, or when the block already belongs to another Blocks.
   */
  render(): this {
    const frame = currentBuild();
    if (!frame) throw new Error(`${this.describe()}.render() must be called inside a Blocks build.`);
    if (this._blocks && this._blocks !== frame.blocks) {
      throw new Error(`${this.describe()} is already part of another Blocks.`);
    }
    if (this._blocks && frame.scope) {
      // One object cannot be in every session's render: each run creates its own (S110).
      throw new Error(`${this.describe()}.render(): it is already part of the app; a gr.render function must create the components it shows.`);
    }
    if (!this._blocks) registerInFrame(frame, this);
    else if (this._provisional && isDrawn(this)) {
      if (this instanceof LayoutBlock && holds(this, frame.container)) {
        throw new Error(`${this.describe()}.render(): it would go inside itself; render it outside its own contents.`);
      }
      this._provisional = false;
      frame.blocks._move(this, frame.container);
    }
    return this;
  }

  /**
   * Gradio's `unrender()`: takes this block out of the layout of the Blocks being built, keeping
   * it and its listeners, so that a later `.render()` in the build places it where that is called
   * (made first, shown further down or in another container). A component left unrendered works
   * as a cell but is drawn nowhere. A block in no layout is left as it is.
   *
   * @returns this block.
   * @throws Error once its Blocks is built (the layout is fixed then, S30), and for a block a
   *   `gr.render` run created (leave it out of the run instead).
   */
  unrender(): this {
    const site = this._blocks;
    if (site === undefined || !isDrawn(this)) return this;
    if (this._scope !== undefined) throw new Error(`${this.describe()}.unrender(): it was created by a gr.render run; leave it out of the run instead.`);
    if (site.frozen) throw new Error(`${this.describe()}.unrender(): its Blocks is built, and the layout is fixed once its build ends (S30).`);
    site._move(this, undefined);
    this._provisional = true;
    return this;
  }

  /** @internal Registers with the current build, if there is one. Called by constructors. */
  protected _autoRegister(): void {
    const frame = currentBuild();
    if (frame) registerInFrame(frame, this);
  }

  /** A short human name for messages: `Number "Cart Size"` or `State #3`. */
  describe(): string {
    const ctor = this.constructor as typeof Block;
    const kind = ctor.displayName ?? ctor.name;
    const label = this._labelForMessages();
    if (label) return `${kind} "${label}"`;
    return this._id >= 0 ? `${kind} #${this._id}` : kind;
  }

  /** @internal The label {@link Block.describe} shows, if the block has one (components do). */
  protected _labelForMessages(): string | undefined {
    return undefined;
  }

  /** @internal Listeners registered for `event` on this block (after freeze). */
  _listenersFor(event: string): readonly Dependency[] {
    return this._listeners?.get(event) ?? NO_DEPS;
  }

  /**
   * @internal Why a `gr.render` function may not create a block of this kind (S110), as a noun
   * phrase ("a Timer"), or `undefined` when it may: the kinds whose behaviour outlives one
   * render or reaches beyond one session refuse.
   */
  _unrenderable(): string | undefined {
    return undefined;
  }

  /** @internal Kind hook: this block's props changed in a session (`gr.update`, S33). */
  _propsChanged(_site: CellSite, _before: Props, _after: Props): void {}
}

/**
 * @internal What a session does for a kind of cell besides storing its value, implemented by
 * the runtime's Session. A kind asks for it from its hooks ({@link Cell._stored},
 * {@link Cell._changed}, {@link Block._propsChanged}), so that its behaviour lives with the
 * kind and the runtime calls the hooks of every cell alike, switching on no kind.
 */
export interface CellSite {
  /** Restarts a State's time-to-live (S21). */
  _restartTtl(cell: AnyCell): void;
  /** Re-arms a Timer's ticks with its current interval and `active` prop (S80). */
  _rearmTicks(cell: AnyCell): void;
  /** Saves a BrowserState's value to the session's browser storage (S92). */
  _persist(cell: AnyCell, value: unknown): void;
}

/** @internal What a rendered block knows of the render that created it (S110, S111). */
export interface RenderedIn {
  /** The session it was rendered for. */
  readonly session: object;
  /** False once a later run replaced that render, or the run failed. */
  readonly live: boolean;
}

/** @internal An empty listener list, shared. */
export const NO_DEPS: readonly Dependency[] = Object.freeze([]);

/** A default value, or a factory called once per session (S4). */
export type ValueOrFactory<T> = T | (() => T);

/** The key of {@link Cell}'s phantom value type; a type only (no such symbol exists at run time). */
declare const VALUE_TYPE: unique symbol;

/**
 * A block that holds a value: components, State, BrowserState, Global. `T` is the value's
 * type as handlers see it.
 */
export abstract class Cell<T = unknown> extends Block {
  /**
   * The value type, so that TypeScript infers `T` from a cell (a handler's parameter types,
   * {@link ValueOf}). A type only: never set. Public, since the emitted `.d.ts` needs it too.
   */
  declare readonly [VALUE_TYPE]?: T;
  /** Where the value lives. */
  abstract readonly kind: CellKind;
  /** @internal The declared default, or a factory (S2, S4). */
  _default: unknown;
  /** @internal Whether `_default` is a factory. */
  _isFactory = false;
  /** @internal Lazily computed snapshot of the default, shared by all sessions. */
  private _defaultSnap: Snapshot | typeof UNSET = UNSET;
  /** @internal See {@link Cell._node}. */
  private _nodeOf: CellNode | undefined = undefined;

  /**
   * @internal The engine's record of this cell ({@link CellNode}), made on first use, which must
   * come after the cell was registered and constructed (launch, or a render's commit).
   */
  get _node(): CellNode {
    return (this._nodeOf ??= new CellNode(this));
  }

  /**
   * @internal This cell, replaced by a later `gr.render` run, is written through `node` from now
   * on: the node of the keyed block that took its id (S111), as Gradio writes a block by id.
   */
  _forwardTo(node: CellNode): void {
    this._nodeOf = node;
  }

  /** @internal A fresh per-session value: the factory's result, or a copy of the default (S2-S4). */
  _initialValue(): T {
    return (this._isFactory ? (this._default as () => T)() : deepCopy(this._default)) as T;
  }

  /** @internal The snapshot of the default, for change detection of untouched slots. */
  _defaultSnapshot(): Snapshot {
    if (this._defaultSnap === UNSET) this._defaultSnap = snapshot(this._default);
    return this._defaultSnap;
  }

  /**
   * @internal Kind hook: a session stored `value` in this cell's slot, initialised or written
   * (`old`: the value before, {@link UNSET} for a slot never read), whether or not its content
   * changed.
   */
  _stored(_site: CellSite, _old: unknown, _value: unknown): void {}

  /** @internal Kind hook: this cell's content changed in a session (S50), after its subscribers were told. */
  _changed(_site: CellSite, _value: unknown): void {}

  /**
   * @internal Checks and normalises a value written to this cell (S34). The default accepts
   * anything; components override it. Throws a `ValueRejection` (reason only; the engine adds
   * the listener and component to the message).
   */
  _normalize(value: unknown, _props: Props): T {
    return value as T;
  }

  /**
   * @internal Kind hook for a value a listener writes (its output, an update's `value`) where
   * the kind reads it otherwise than a user's (Gradio's `postprocess` against `preprocess`):
   * a JSON component parses a string. Kinds without it use {@link Cell._normalize}.
   */
  _normalizeOutput?(value: unknown, props: Props): T;
}

/** {@link Cell}'s own kind hooks, which do nothing: a {@link CellNode} does not call them. */
const baseHooks = Cell.prototype;

/** A kind hook of `cell`'s class, or undefined when the class keeps {@link Cell}'s (a no-op). */
function hookOf<K extends "_stored" | "_changed" | "_normalize" | "_normalizeOutput">(cell: AnyCell, name: K): AnyCell[K] | undefined {
  return cell[name] === baseHooks[name] ? undefined : cell[name];
}

/**
 * @internal The engine's record of a cell: what the dataflow core and the runtime's read and
 * write paths use of it (its id, kind, `.change` listeners, template props and kind hooks), in
 * one class for every kind of cell. An app's cells are instances of many classes (`Number`,
 * `Textbox`, `State`, ...), each with its own hidden class in V8, so code that reads their
 * fields directly sees more shapes than its inline caches hold and falls back to a slower
 * lookup. Measured (Node 20, the counter app's click awaited in one session, against the
 * same-semantics floor of `bench/floor.ts`, one process per figure): after an app with eight
 * kinds of cells ran through the engine, 1.32-1.59× the floor (8 processes), against
 * 0.84-1.21× after none (8), 0.84-1.29× after an app with the counter's own kinds (4) and
 * 0.99-1.23× after the eight-kind app ran on a separate copy of the engine (4); with the
 * nodes, 1.21-1.35× where the same build without them gave 1.40-1.58× (4 each).
 *
 * The kind hooks (`_stored`, `_changed`, `_normalize`) are the class's methods, kept here so
 * that a write looks none of them up on the cell; one the class does not override is not
 * called at all.
 */
export class CellNode {
  /** The cell's id: its slot in a session's values (S1). */
  readonly _id: number;
  readonly kind: CellKind;
  /** The component's template props (`Component._props`); undefined for other cells. */
  readonly props: Props | undefined;
  /** Its `.change` listeners (set when its Blocks or render is frozen); non-empty: watched (S55). */
  _changeDeps: readonly Dependency[] = NO_DEPS;
  private readonly storedHook: AnyCell["_stored"] | undefined;
  private readonly changedHook: AnyCell["_changed"] | undefined;
  /** The kind's {@link Cell._normalizeOutput}, else its {@link Cell._normalize}: the engine writes through a node what listeners return. */
  private readonly normalizer: AnyCell["_normalize"] | undefined;

  /** @throws Error for a cell not registered yet (its id is still -1): an engine bug. */
  constructor(readonly cell: AnyCell) {
    if (cell._id < 0) throw new Error(`${cell.describe()} has no id yet: its node is made once it is registered.`);
    this._id = cell._id;
    this.kind = cell.kind;
    this.props = (cell as { _props?: Props })._props;
    this.storedHook = hookOf(cell, "_stored");
    this.changedHook = hookOf(cell, "_changed");
    this.normalizer = hookOf(cell, "_normalizeOutput") ?? hookOf(cell, "_normalize");
  }

  /** Whether the default is a factory (read from the cell: a Slider sets it after registering). */
  get _isFactory(): boolean {
    return this.cell._isFactory;
  }

  _initialValue(): unknown {
    return this.cell._initialValue();
  }

  _defaultSnapshot(): Snapshot {
    return this.cell._defaultSnapshot();
  }

  describe(): string {
    return this.cell.describe();
  }

  /** {@link Cell._stored}. */
  stored(site: CellSite, old: unknown, value: unknown): void {
    const hook = this.storedHook;
    if (hook !== undefined) hook.call(this.cell, site, old, value);
  }

  /** {@link Cell._changed}. */
  changed(site: CellSite, value: unknown): void {
    const hook = this.changedHook;
    if (hook !== undefined) hook.call(this.cell, site, value);
  }

  /** A value a listener writes, under `props`: {@link Cell._normalizeOutput} or {@link Cell._normalize}. */
  normalize(value: unknown, props: Props): unknown {
    const normalizer = this.normalizer;
    return normalizer === undefined ? value : normalizer.call(this.cell, value, props);
  }
}

/**
 * @internal Why a component refused a value, for a message: a {@link ValueRejection}'s reason,
 * or, for anything else `_normalize` threw (a Proxy trap, a getter), that it could not be read.
 */
export function rejectionReason(e: unknown): string {
  return e instanceof ValueRejection ? e.message : `it could not be read (${messageOf(e)})`;
}

/** A cell of any value type. */
export type AnyCell = Cell<any>;
/** Inputs or outputs of a listener: one cell, a list, or none. */
export type CellList = AnyCell | readonly AnyCell[] | ReadonlySet<AnyCell> | null | undefined;
/** The value type of a cell. */
export type ValueOf<C> = C extends Cell<infer T> ? T : never;
/** The handler's positional parameter types for the given inputs. */
export type InputValues<I> = I extends readonly AnyCell[]
  ? { -readonly [K in keyof I]: ValueOf<I[K]> }
  : I extends AnyCell
    ? [ValueOf<I>]
    : [];

/** @internal Normalises a `CellList` to an array. */
export function toCellArray(cells: CellList): AnyCell[] {
  if (cells instanceof Set) return [...cells];
  return toArray(cells as AnyCell | readonly AnyCell[] | null | undefined);
}

/** @internal Whether a renderer draws this block: layout and components, not State, BrowserState or Global. */
export function isDrawn(block: Block): boolean {
  return !(block instanceof Cell) || block.kind === "component";
}

// ---------------------------------------------------------------------------------------------
// Layout containers (the classes are in layout.ts)

/** Props shared by layout containers. */
export interface LayoutProps {
  /**
   * `false` hides the container and everything in it; `"hidden"` (Gradio 5.46+) hides it
   * visually but keeps it in the page. Per session with `gr.update({ visible })` (S72).
   */
  visible?: boolean | "hidden";
  elemId?: string;
  elemClasses?: string[];
  /** Inside a `gr.render`: a container with the key of one in the previous run is that one (S111). */
  key?: string | number;
  /**
   * The props a keyed container keeps from the previous run when this session changed them
   * (an Accordion's `open`, say), as Gradio's `preserved_by_key`. Default: none.
   */
  preservedByKey?: string[];
}

/** The props every container accepts in a `gr.update` (S72, S74). */
const LAYOUT_PROPS = ["visible", "elemId", "elemClasses", "key", "preservedByKey"] as const;

/** A listener output: a value cell, or a layout container (props only, S72). */
export type Output = AnyCell | LayoutBlock;
/** Outputs of a listener: one, a list, or none. */
export type OutputList = Output | readonly Output[] | null | undefined;

/**
 * Base of the layout containers: takes a build callback and registers the blocks created in it
 * as its children.
 */
export abstract class LayoutBlock extends Block {
  /** The props `gr.update` may set on this class (S74). */
  static readonly propNames: readonly string[] = LAYOUT_PROPS;
  /** @internal Children in creation order. */
  readonly _children: Block[] = [];
  /** Props given to the constructor (with the class's defaults), for renderers. */
  readonly props: Readonly<Props>;
  /** @internal What the constructor was given, without defaults: an instance returned by a handler is an update of these (S72). */
  readonly _given: Readonly<Props>;

  /** @internal The template props, under the name sessions read components' by. */
  get _props(): Readonly<Props> {
    return this.props;
  }

  /**
   * @internal S74: checks the values of the props present in `props` (a constructor's, or a
   * session's after an update): `visible` a boolean or `"hidden"`, `elemId` a string or null, `elemClasses`
   * a list of strings, `key` a string, a number or null. Subclasses add their own props' rules
   * and call `super._checkProps(props)`.
   *
   * @throws ValueRejection naming the prop and the value.
   */
  _checkProps(props: Props): void {
    checkBlockProps(props);
  }

  /** @internal Messages name a labelled container by its label (`Accordion "More"`). */
  protected override _labelForMessages(): string | undefined {
    const label = this.props?.label; // none yet while the constructor checks its arguments
    return typeof label === "string" ? label : undefined;
  }

  /** `props`: the class's props type (a {@link LayoutProps}), checked here by name and value. */
  constructor(props: object, build: ((container: never) => void) | undefined, defaults: Props = {}) {
    super();
    checkPropsGiven(this.describe(), props, (new.target as unknown as typeof LayoutBlock).propNames, "{ visible }");
    if (build !== undefined && typeof build !== "function") {
      throw new TypeError(`${this.describe()}: expected its contents as a function that builds them, got ${describeValue(build)}.`);
    }
    this._given = Object.freeze({ ...props });
    this.props = Object.freeze({ ...defaults, ...props });
    rejectAsTypeError(this, () => this._checkProps(this.props));
    this._autoRegister();
    const frame = currentBuild();
    if (build) {
      if (!frame) throw new Error(`${this.describe()}: a layout container's callback must run inside a Blocks build.`);
      withBuild({ ...frame, container: this }, () => build(this as never)); // given the container, as `with gr.Tabs() as tabs:`
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Event listeners

/**
 * A handler's arguments: input values positionally, then the event context (S31). For inputs
 * given as an array whose length TypeScript does not know (a variable of type `Cell[]`, built
 * before the call as Gradio ports often do), any arguments: the positions are not in the type.
 * For inputs given as a Set (Gradio's set notation), one `Map` from each input to its value.
 */
export type HandlerArgs<I> =
  I extends ReadonlySet<AnyCell>
    ? [values: Map<AnyCell, any>, ctx: EventContext]
    : I extends readonly AnyCell[]
      ? number extends I["length"]
        ? any[]
        : [...InputValues<I>, EventContext]
      : [...InputValues<I>, EventContext];

/** A handler: input values positionally, then the event context (S31); see {@link HandlerArgs}. */
export type Handler<I> = (...args: HandlerArgs<I>) => unknown;

/**
 * A batch handler's arguments (`ListenerOptions.batch`): one list per input, of that input's
 * values (one per run of the batch), then the first run's event context; for inputs given as
 * a Set, one `Map` from each input to its list.
 */
export type BatchHandlerArgs<I> =
  I extends ReadonlySet<AnyCell>
    ? [values: Map<AnyCell, any[]>, ctx: EventContext]
    : I extends readonly AnyCell[]
      ? number extends I["length"]
        ? any[]
        : WithContext<ListsOf<InputValues<I>>>
      : WithContext<ListsOf<InputValues<I>>>;

/** A tuple of arguments, then the event context. */
type WithContext<T> = T extends readonly unknown[] ? [...T, EventContext] : never;

/** Each element type of a tuple of values, as a list of them. */
type ListsOf<T> = { [K in keyof T]: T[K][] };

/**
 * A batch handler (`ListenerOptions.batch`): one list per input (see {@link BatchHandlerArgs});
 * it returns one list per output, each with one value per run.
 */
export type BatchHandler<I> = (...args: BatchHandlerArgs<I>) => unknown;

/** The object form of a registration. */
export interface ListenerConfig<I> extends ListenerOptions<Inferred<I>> {
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
  // With `batch: true` (a literal) first: fn takes one list per input (`ListenerOptions.batch`).
  <const I extends CellList = undefined>(fn: BatchHandler<I>, inputs: I, outputs: OutputList, options: ListenerOptions<Inferred<I>> & { batch: true }): Dependency;
  <const I extends CellList = undefined>(fn: Handler<I>, inputs?: I, outputs?: OutputList, options?: ListenerOptions<Inferred<I>>): Dependency;
  // `fn: null` with `js`: a listener that runs only in a page (`ListenerOptions.js`).
  <const I extends CellList = undefined>(fn: null, inputs: I, outputs: OutputList, options: ListenerOptions<Inferred<I>> & { js: string }): Dependency;
  <const I extends CellList = undefined>(config: Omit<ListenerConfig<I>, "fn"> & { fn: null; js: string }): Dependency;
  <const I extends CellList = undefined>(config: Omit<ListenerConfig<I>, "fn"> & { fn: BatchHandler<I>; batch: true }): Dependency;
  <const I extends CellList = undefined>(config: ListenerConfig<I> & { fn: Handler<I> }): Dependency;
  <const I extends CellList = undefined>(config: ListenerConfig<I> & { fn?: undefined; batch: true }): (fn: BatchHandler<I>) => Dependency;
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
  const method = ((...args: unknown[]) => listen([{ block, event }], args, `${block.describe()}.${event}`)) as EventListener;
  Object.defineProperty(method, "trigger", { value: { block, event } });
  return method;
}

/** @internal Whether `fn` is a generator function (`function*`, `async function*`). */
export function isGeneratorFunction(fn: unknown): boolean {
  if (typeof fn !== "function") return false;
  const kind = (Object.getPrototypeOf(fn) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction";
}

/** How a chained listener follows its parent (S37). */
export type ChainKind = "then" | "success" | "failure";

/** Options of an event listener (docs/02). */
export interface ListenerOptions<I = unknown> {
  /**
   * Name for `session.call` and API clients (a non-empty string); default: the function's name;
   * `false` hides it.
   */
  apiName?: string | false;
  /**
   * Gradio 6's `api_visibility`: `"public"` (the default) lists the listener in the API
   * description (a server's `/info`) and lets API clients call it by name; `"undocumented"`
   * lets them call it but leaves it out of the description; `"private"` gives it no API name
   * at all, as `apiName: false` does (Gradio 5's `show_api=False` is `"undocumented"`).
   */
  apiVisibility?: "public" | "private" | "undocumented";
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
  /**
   * Gradio's `validator=`: called when each run starts (after its queue, S60, and under its
   * Global locks, S8), with the arguments the listener's function then gets (the inputs' values,
   * read once for both, then the event context), and may return a promise (which the run's
   * `timeLimit` covers). It returns `gr.validate(isValid, message)` for each input,
   * in order (an array; anything else in it, such as `undefined`, counts as valid), or one
   * `gr.validate(...)` for all, or nothing (all valid). When an input is not valid, the listener
   * does not run and neither do its chained listeners (`.then`, `.success`, `.failure`, S37):
   * the event resolves with `status: "error"` and an `EventError` of code `"invalid_input"`
   * whose message names the listener and each refused input with its message, sent to the
   * session as an error message. A validator that throws fails the run as the listener would.
   * Served to Gradio's clients (blockstate/server), `queue/join` and `call/{name}` call it on
   * the request's inputs before the event is queued, as Gradio's `Queue.push` does, and refuse
   * the request with a 422 listing the verdicts; the run does not call it again (docs/07).
   */
  validator?: Validator<I>;
  /**
   * Gradio's `key=` of an event listener (a string or a finite number; `null`: none), for a
   * listener made inside a `gr.render` function (S110): the listener with the same key in the
   * region's next run is the same listener in the session. It keeps the id (so status messages
   * and renderers see one listener), and runs of the replaced one count as its runs, so its
   * `triggerMode` (S38) and `cancels` (S39) apply to them too: a `"once"` listener whose run
   * goes on after a re-render drops a click on its new button until that run ends. Keys are
   * unique among the listeners of one run (else that run fails, S112). Outside a render it does
   * nothing, as in Gradio. See also the `key` of components, which keep their value (S111).
   */
  key?: string | number | null;
  /**
   * Gradio's `batch=True`: `fn` takes a batch of runs at once. Each input's argument is a list
   * with one value per run (each read in its run's own session, S31), and `fn` returns one list
   * per output, each with one value per run, in the same order (as Gradio's: `[results]` for
   * one output), which each run writes in its own session. Runs of the listener waiting in its
   * concurrency group's queue (S60) are taken together, up to `maxBatchSize`, when a slot
   * frees; a run that starts at once is a batch of one. The event context (S31) is the first
   * run's, and so are the messages `fn` sends. Default `false`. Not with a generator `fn` (as
   * Gradio), a `validator`, or a Global both input and output (its lock, S8, is per run).
   */
  batch?: boolean;
  /** Gradio's `max_batch_size`: at most this many runs in a batch (a positive integer). Default 4. */
  maxBatchSize?: number;
  /**
   * Gradio's `js=`: JavaScript source (a function expression) for a page to run when the
   * listener is triggered, before `fn`: its result becomes `fn`'s inputs, or, with `fn: null`,
   * the outputs. blockstate never runs it; it is described to renderers (`config()`) and to
   * Gradio's page served by blockstate/server, which runs it. With `fn: null` the listener runs
   * nothing in a session: its runs write no output (as `gr.skip()`), its chained listeners
   * (S37) follow, and it has no API name (`apiVisibility: "private"`, as Gradio sets it) and
   * is unqueued unless `queue` is given.
   */
  js?: string | null;
}

/**
 * A listener's validator (`ListenerOptions.validator`): the listener's own signature, typed from
 * its inputs where they are known.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any signature where the inputs are not known
export type Validator<I> = unknown extends I ? (...args: any[]) => unknown : Handler<I>;

/**
 * `I` where it must not be inferred from (a listener's options: its inputs give it). TypeScript's
 * own `NoInfer` loses a tuple's element types in the mapped types of {@link HandlerArgs}; this
 * one is resolved only once `I` is known.
 */
export type Inferred<I> = [I][I extends unknown ? 0 : never];

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
  /** Gradio's `validator=` (see {@link ListenerOptions.validator}). */
  readonly validator: ((...args: never[]) => unknown) | undefined;
  /** {@link ListenerOptions.key}; `undefined` for none. */
  readonly key: string | number | undefined;
  /** {@link ListenerOptions.batch}. */
  readonly batch: boolean;
  /** {@link ListenerOptions.maxBatchSize}. */
  readonly maxBatchSize: number;
  /** {@link ListenerOptions.js}; `undefined` for none. */
  readonly js: string | undefined;
  /** {@link ListenerOptions.apiVisibility}: `"private"` also for `apiName: false`. */
  readonly apiVisibility: "public" | "private" | "undocumented";
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
    readonly blocks: BlocksSite,
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
    /**
     * Inputs given as a Set (Gradio's set notation): the handler gets one `Map` from each input
     * cell to its value, then the event context, instead of one argument per input.
     */
    readonly inputsAsMap = false,
    /**
     * Whether it has a function to run (Gradio's `backend_fn`): false for a listener registered
     * with `fn: null` and `js` (`ListenerOptions.js`), which runs only in a page.
     */
    readonly backendFn = true,
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
    return this.options.generator ?? isGeneratorFunction(this.fn);
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
    return ((...args: unknown[]) => listen([], args, `${this.describe()}.${on}`, { dependency: this, on })) as ChainMethod;
  }
}

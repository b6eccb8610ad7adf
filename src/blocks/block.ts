/**
 * The template layer's base classes: every element of a Blocks (component, State, layout
 * container, the Blocks itself) is a {@link Block}; the ones that hold a value are
 * {@link Cell}s. A Block is a *description*: per-session values live in the runtime's
 * sessions, never here.
 *
 * @packageDocumentation
 */
import { deepCopy } from "../core/copy";
import { describeValue } from "../core/errors";
import { snapshot, type Snapshot } from "../core/equality";
import { UNSET } from "../core/dataflow";
import { currentBuild, registerInFrame } from "./build-context";
import type { Blocks } from "./blocks";
import { makeEventListener, type EventListener } from "./listeners";
import { toArray } from "./lists";
import type { Dependency } from "./dependency";


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
  /** @internal The Blocks this block is registered with. */ _blocks: Blocks | undefined;
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
      Object.defineProperty(this, event, { value: makeEventListener(this, event), enumerable: false });
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
  _propsChanged(_site: CellSite, _before: Readonly<Record<string, unknown>>, _after: Readonly<Record<string, unknown>>): void {}
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

/**
 * A block that holds a value: components, State, BrowserState, Global. `T` is the value's
 * type as handlers see it.
 */
export abstract class Cell<T = unknown> extends Block {
  /** @internal Phantom field so TypeScript can infer `T` from a cell (never set). */
  declare readonly __value?: T;
  /** Where the value lives. */
  abstract readonly kind: CellKind;
  /** @internal The declared default, or a factory (S2, S4). */
  _default: unknown;
  /** @internal Whether `_default` is a factory. */
  _isFactory = false;
  /** @internal Change listeners (after freeze); non-empty means the cell is watched (S55). */
  _changeDeps: readonly Dependency[] = NO_DEPS;
  /** @internal Lazily computed snapshot of the default, shared by all sessions. */
  private _defaultSnap: Snapshot | typeof UNSET = UNSET;

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
  _normalize(value: unknown, _props: Readonly<Record<string, unknown>>): T {
    return value as T;
  }
}

/** @internal Thrown by `_normalize` with the reason a value was rejected (S34). */
export class ValueRejection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ValueRejection";
  }
}

/** A cell of any value type. */
export type AnyCell = Cell<any>;
/** Inputs or outputs of a listener: one cell, a list, or none. */
export type CellList = AnyCell | readonly AnyCell[] | null | undefined;
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
  return toArray(cells as AnyCell | readonly AnyCell[] | null | undefined);
}


export type { EventListener };

/** @internal Whether a renderer draws this block: layout and components, not State, BrowserState or Global. */
export function isDrawn(block: Block): boolean {
  return !(block instanceof Cell) || block.kind === "component";
}

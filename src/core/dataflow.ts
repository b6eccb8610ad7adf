/**
 * The dataflow core: cell values, content comparison of writes (S50-S52, S55), and which
 * listeners a change triggers (S53, S54, S56) up to the cycle cap. It knows nothing about
 * components, queues, sessions or transports: a cell is an id with a default, a listener an id,
 * and the owner of a store says, by subclassing it, who observes a cell and what a write does. It imports only the
 * content comparison of this layer (`snapshot`, `snapshotAfter`, `matchesSnapshot`).
 *
 * The runtime builds on it: a `Session` holds one {@link CellStore} of its cells, the `App`
 * one of its Globals, and the scheduler passes {@link propagate} a {@link ChangeTarget} that
 * turns a triggered listener into a run.
 *
 * @packageDocumentation
 */
import { matchesSnapshot, snapshot, snapshotAfter, type Snapshot } from "./equality";

/** @internal Marks a slot that has not been initialised yet (values may be `undefined`). */
export const UNSET: unique symbol = Symbol("blockstate.unset");

/** @internal {@link CellStore.compare}: nothing compares this cell's writes (S55). */
export const NOT_WATCHED: unique symbol = Symbol("not watched");
/** @internal {@link CellStore.compare}: the value has the content last reported (S52). */
export const UNCHANGED: unique symbol = Symbol("unchanged");
/**
 * @internal What {@link CellStore.compare} found: {@link NOT_WATCHED}, {@link UNCHANGED}, or the
 * snapshot of a changed value (any value: a primitive's snapshot is itself).
 */
export type Comparison = Snapshot | typeof NOT_WATCHED | typeof UNCHANGED;

/** How many `.change` rounds one cascade may go through before it is stopped as a cycle. */
export const MAX_CHANGE_DEPTH = 50;

/** @internal What the core needs of a listener: its id (registration order) and a name for messages. */
export interface Listener {
  readonly id: number;
  describe(): string;
}

/**
 * @internal What the core needs of a cell: its id (the slot), its default (S2-S4), its `.change`
 * listeners, and whether it is shared by every session (`kind: "global"`, S7, S56).
 */
export interface DataCell {
  readonly _id: number;
  readonly kind: string;
  readonly _isFactory: boolean;
  readonly _changeDeps: readonly Listener[];
  _initialValue(): unknown;
  _defaultSnapshot(): Snapshot;
  describe(): string;
}

/**
 * @internal One set of cell values (a session's, or the app's Globals) with the last reported
 * content of the watched ones (S51, S55), by cell id. Its owner (the runtime) subclasses it to
 * say who observes a cell and what a write or a change does there.
 */
export abstract class CellStore<C extends DataCell> {
  /** Values by cell id ({@link UNSET} until first read, S2). */
  readonly values: unknown[];
  /** Last reported content of watched cells; `undefined`: not compared. */
  readonly shadows: (Snapshot | typeof UNSET | undefined)[] = [];

  constructor(size: number) {
    this.values = new Array(size).fill(UNSET);
  }

  /** Whether writes are compared for the store's whole life besides `.change` listeners (persistence, a render's inputs). */
  protected abstract alwaysWatched(cell: C): boolean;
  /** Whether someone observes the cell now (a subscriber of its value or of component updates). */
  abstract observed(cell: C): boolean;
  /** A slot got its first value from the default (S2). */
  protected abstract initialised(cell: C): void;
  /** A value was stored (`old`: the previous one, {@link UNSET} for none). */
  protected abstract written(cell: C, old: unknown, value: unknown): void;
  /** The content changed (S50): notify observers. */
  protected abstract changed(cell: C, value: unknown): void;

  /** Whether `.change` listeners or the host need before/after comparison for the store's life (S55). */
  watched(cell: C): boolean {
    return cell._changeDeps.length > 0 || this.alwaysWatched(cell);
  }

  /** A cell's value, initialising its slot on first read (S2, S4). */
  read(cell: C): unknown {
    const value = this.values[cell._id];
    return value !== UNSET ? value : this.initialise(cell);
  }

  private initialise(cell: C): unknown {
    const value = cell._initialValue();
    this.values[cell._id] = value;
    if (this.watched(cell)) {
      // The slot starts from the default, so that is what its first write compares with.
      this.shadows[cell._id] = cell._isFactory ? snapshot(value) : cell._defaultSnapshot();
    }
    this.initialised(cell);
    return value;
  }

  /**
   * The comparison half of a write (S50-S52, S55), made before anything is stored, so that a
   * value that cannot be compared fails with the store as it was. Pure.
   *
   * @throws ValueTooDeep, or whatever a getter, a Proxy trap or a `[hash]()` method throws.
   */
  compare(cell: C, value: unknown): Comparison {
    const id = cell._id;
    if (!this.watched(cell) && !this.observed(cell)) return NOT_WATCHED;
    let shadow = this.shadows[id];
    if (shadow === undefined) shadow = this.values[id] === UNSET && !cell._isFactory ? cell._defaultSnapshot() : UNSET;
    if (shadow !== UNSET && matchesSnapshot(shadow, value)) return UNCHANGED; // S52: equal content is no change
    // The new snapshot reuses the unchanged part of the last one (an appended history).
    return shadow === UNSET ? snapshot(value) : snapshotAfter(shadow, value);
  }

  /**
   * Stores a value (by reference, S5). When `comparison` (from {@link CellStore.compare}) says
   * it changed, records the new snapshot and tells the owner ({@link CellStore.changed}).
   *
   * @returns whether the content changed (S50): the cell's `.change` listeners are due.
   */
  commit(cell: C, value: unknown, comparison: Comparison): boolean {
    const id = cell._id;
    const old = this.values[id];
    this.values[id] = value;
    this.written(cell, old, value);
    if (comparison === UNCHANGED) {
      // A first write equal to the default (S52): the default is now the content reported, so
      // the next write compares with it, not with nothing.
      if (this.shadows[id] === undefined) this.shadows[id] = cell._defaultSnapshot();
      return false;
    }
    if (comparison === NOT_WATCHED) return false;
    this.shadows[id] = comparison;
    this.changed(cell, value);
    return true;
  }

  /** Sets a value read from outside (storage, S91) without a write; returns whether it differs from the default (S95). */
  restore(cell: C, value: unknown): boolean {
    this.values[cell._id] = value;
    const changed = !matchesSnapshot(cell._defaultSnapshot(), value);
    this.shadows[cell._id] = changed ? snapshot(value) : cell._defaultSnapshot();
    return changed;
  }

  /** A cell's starting value placed from outside (a rendered cell, S111); watched ones get their snapshot. */
  place(cell: C, value: unknown): void {
    const id = cell._id;
    while (this.values.length < id) this.values.push(UNSET);
    this.values[id] = value;
    this.shadows[id] = this.watched(cell) || this.observed(cell) ? snapshot(value) : undefined;
  }

  /** Starts comparing a cell's writes with its current content (a first observer subscribed). */
  watch(cell: C): void {
    if (this.shadows[cell._id] === undefined) this.shadows[cell._id] = snapshot(this.read(cell));
  }

  /** Starts comparing a cell's writes if it holds a value (updates$ subscribed). */
  watchIfSet(cell: C): void {
    const id = cell._id;
    if (this.values[id] !== UNSET && this.shadows[id] === undefined) this.shadows[id] = snapshot(this.values[id]);
  }

  /** Forgets a cell's last reported content once nothing compares its writes any more (S55). */
  unwatch(cell: C): void {
    if (this.watched(cell) || this.observed(cell)) return;
    this.shadows[cell._id] = undefined;
  }

  /** Empties a slot (TTL, retention, eviction: S14, S20, S21; a replaced rendered block). */
  clear(id: number): void {
    this.values[id] = UNSET;
    this.shadows[id] = undefined;
  }
}

/** @internal Why a run exists: the chain of `.change` triggers that led to it (cycle detection). */
export interface Lineage<L extends Listener = Listener, C extends DataCell = DataCell> {
  readonly depth: number;
  readonly cell: C;
  readonly dependency: L;
  readonly parent: Lineage<L, C> | undefined;
}

/**
 * @internal Where {@link propagate} sends what a change triggers; `x` is the caller's context
 * (the run, or the event), passed through so that no closure is made per change.
 */
export interface ChangeTarget<L extends Listener, C extends DataCell, X> {
  /** A cell's `.change` listeners where the change happened (rendered ones included, S110). */
  depsOf(x: X, cell: C): readonly L[];
  /** Runs one listener there. */
  run(x: X, listener: L, lineage: Lineage<L, C>): void;
  /** Runs a Global's listeners in every other open session (S56); ascending ids. */
  fanOut(x: X, listeners: readonly L[], lineages: readonly Lineage<L, C>[]): void;
  /** The cascade went past {@link MAX_CHANGE_DEPTH} rounds: `message` names the cycle. */
  cycle(x: X, message: string): void;
}

/**
 * @internal Runs the `.change` listeners of cells that changed (S53), each once even when it
 * watches several of them (S54), in registration order; a Global's also in every other open
 * session (S56). Stops a cascade that keeps changing cells past {@link MAX_CHANGE_DEPTH}
 * rounds, naming the cells of the cycle.
 */
export function propagate<L extends Listener, C extends DataCell, X>(
  changed: readonly C[],
  lineage: Lineage<L, C> | undefined,
  x: X,
  target: ChangeTarget<L, C, X>,
): void {
  if (changed.length === 0) return;
  if (changed.length === 1) return propagateOne(changed[0], lineage, x, target);
  propagateMany(changed, lineage, x, target);
}

/** @internal {@link propagate} for one changed cell (the common case), with no array to hold it. */
export function propagateOne<L extends Listener, C extends DataCell, X>(cell: C, lineage: Lineage<L, C> | undefined, x: X, target: ChangeTarget<L, C, X>): void {
  const deps = target.depsOf(x, cell);
  if (deps.length === 0) return;
  // Its listeners are usually one each, in order already: no map, sort or closure.
  if (!ascending(deps)) return propagateMany([cell], lineage, x, target);
  const depth = (lineage?.depth ?? 0) + 1;
  if (depth > MAX_CHANGE_DEPTH) return target.cycle(x, describeCycle(cell, lineage));
  if (cell.kind === "global") {
    const lineages = deps.map((dependency) => ({ depth, cell, dependency, parent: lineage }));
    target.fanOut(x, deps, lineages);
    for (let i = 0; i < deps.length; i++) target.run(x, deps[i], lineages[i]);
  } else {
    for (let i = 0; i < deps.length; i++) target.run(x, deps[i], { depth, cell, dependency: deps[i], parent: lineage });
  }
}

function propagateMany<L extends Listener, C extends DataCell, X>(
  changed: readonly C[],
  lineage: Lineage<L, C> | undefined,
  x: X,
  target: ChangeTarget<L, C, X>,
): void {
  let local: Map<L, C> | undefined;
  let global: Map<L, C> | undefined;
  for (const cell of changed) {
    const deps = target.depsOf(x, cell);
    if (deps.length === 0) continue;
    const into = cell.kind === "global" ? (global ??= new Map()) : (local ??= new Map());
    for (const dep of deps) if (!into.has(dep)) into.set(dep, cell);
  }
  if (!local && !global) return;
  const depth = (lineage?.depth ?? 0) + 1;
  if (depth > MAX_CHANGE_DEPTH) {
    const first = (local ?? global)!.values().next().value as C;
    return target.cycle(x, describeCycle(first, lineage));
  }
  if (global) {
    const pairs = ordered(global);
    target.fanOut(
      x,
      pairs.map(([dep]) => dep),
      pairs.map(([dependency, cell]) => ({ depth, cell, dependency, parent: lineage })),
    );
    if (local) for (const [dep, cell] of global) if (!local.has(dep)) local.set(dep, cell);
  }
  for (const [dependency, cell] of ordered(local ?? global!)) target.run(x, dependency, { depth, cell, dependency, parent: lineage });
}

/** In registration order. */
function ordered<L extends Listener, C>(deps: Map<L, C>): [L, C][] {
  return [...deps].sort((a, b) => a[0].id - b[0].id);
}

/** Whether listener ids strictly ascend: one each, in registration order. */
function ascending(deps: readonly Listener[]): boolean {
  for (let i = 1; i < deps.length; i++) if (deps[i - 1].id >= deps[i].id) return false;
  return true;
}

function describeCycle(cell: DataCell, lineage: Lineage | undefined): string {
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

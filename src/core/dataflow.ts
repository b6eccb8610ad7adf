/**
 * The dataflow core: cell values, content comparison of writes (S50-S52, S55), and which
 * listeners a change triggers (S53, S54, S56) up to the cycle cap. It knows nothing about
 * components, queues, sessions or transports: a cell is an id with a default, a listener an id,
 * and the owner of a store keeps its slots and says who observes a cell and what a write does.
 * It imports only the content comparison of this layer (`snapshot`, `snapshotAfter`,
 * `matchesSnapshot`).
 *
 * The runtime builds on it: a `Session` is the {@link CellStore} of its cells, the app's
 * `Globals` that of its Globals, and the scheduler passes {@link propagate} a
 * {@link ChangeTarget} that turns a triggered listener into a run.
 *
 * @packageDocumentation
 */
import { matchesSnapshot, snapshot, snapshotAfter, type Snapshot } from "./equality";

/** @internal Marks a slot that has not been initialised yet (values may be `undefined`). */
export const UNSET: unique symbol = Symbol("blockstate.unset");

/** @internal {@link compareWrite}: nothing compares this cell's writes (S55). */
export const NOT_WATCHED: unique symbol = Symbol("not watched");
/** @internal {@link compareWrite}: the value has the content last reported (S52). */
export const UNCHANGED: unique symbol = Symbol("unchanged");
/**
 * @internal What {@link compareWrite} found: {@link NOT_WATCHED}, {@link UNCHANGED}, or the
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
 * content of the watched ones (S51, S55), by cell id, kept in its owner's own fields: a
 * session's values are one array held by the session, with no store object between them.
 * Measured (`bench/floor.ts`, after its earlier rounds): without the store object and a
 * separate array of run slots, a 1,000-session Global fan-out went from 1.69× the floor to
 * 1.48×. The owner says who observes a cell and what a write or a change does there. The
 * functions below are the store's operations.
 */
export interface CellStore<C extends DataCell> {
  /**
   * The owner's slots: cell values at `_base + id` ({@link UNSET} until first read, S2); the
   * `_base` slots before them are the owner's own (a session's run bookkeeping).
   */
  readonly _values: unknown[];
  readonly _base: number;
  /** Last reported content of watched cells, by id; `undefined`: not compared. Made on first use. */
  _shadows: (Snapshot | typeof UNSET | undefined)[] | undefined;
  /** Whether writes are compared for the store's whole life besides `.change` listeners (persistence, a render's inputs). */
  _alwaysWatched(cell: C): boolean;
  /** Whether someone observes the cell now (a subscriber of its value or of component updates). */
  _observes(cell: C): boolean;
  /** A value was stored in a slot: its first (`old` is {@link UNSET}) or a write. */
  _stored(cell: C, old: unknown, value: unknown): void;
  /** The content changed (S50): notify observers. */
  _notify(cell: C, value: unknown): void;
}

/** @internal The slots of a store of `size` cells after `base` slots of its owner's (`undefined`). */
export function storeSlots(base: number, size: number): unknown[] {
  return new Array(base + size).fill(undefined, 0, base).fill(UNSET, base);
}

/** @internal A slot's value as it is: {@link UNSET} when it was never read or was cleared. */
export function peekCell(store: CellStore<DataCell>, id: number): unknown {
  return store._values[store._base + id];
}

/** @internal Whether `.change` listeners or the owner need before/after comparison for the store's life (S55). */
export function isWatched<C extends DataCell>(store: CellStore<C>, cell: C): boolean {
  return cell._changeDeps.length > 0 || store._alwaysWatched(cell);
}

function shadowOf(store: CellStore<DataCell>, id: number): Snapshot | typeof UNSET | undefined {
  const shadows = store._shadows;
  return shadows === undefined ? undefined : shadows[id];
}

function setShadow(store: CellStore<DataCell>, id: number, shadow: Snapshot | typeof UNSET | undefined): void {
  (store._shadows ??= [])[id] = shadow;
}

/** @internal A cell's value, initialising its slot on first read (S2, S4). */
export function readCell<C extends DataCell>(store: CellStore<C>, cell: C): unknown {
  const value = store._values[store._base + cell._id];
  return value !== UNSET ? value : initialise(store, cell);
}

/**
 * Makes a slot's first value. The slot starts from the default, so that is what its first write
 * compares with; that snapshot is taken before anything is stored, so a value that cannot be
 * compared (too deep, a throwing getter) leaves the slot unset, as does a factory that throws.
 */
function initialise<C extends DataCell>(store: CellStore<C>, cell: C): unknown {
  const value = cell._initialValue();
  const shadow = isWatched(store, cell) ? (cell._isFactory ? snapshot(value) : cell._defaultSnapshot()) : undefined;
  store._values[store._base + cell._id] = value;
  if (shadow !== undefined) setShadow(store, cell._id, shadow);
  store._stored(cell, UNSET, value);
  return value;
}

/**
 * @internal The comparison half of a write (S50-S52, S55), made before anything is stored, so
 * that a value that cannot be compared fails with the store as it was. Pure.
 *
 * @throws ValueTooDeep, or whatever a getter, a Proxy trap or a `[hash]()` method throws.
 */
export function compareWrite<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown): Comparison {
  const id = cell._id;
  if (!isWatched(store, cell) && !store._observes(cell)) return NOT_WATCHED;
  let shadow = shadowOf(store, id);
  if (shadow === undefined) shadow = store._values[store._base + id] === UNSET && !cell._isFactory ? cell._defaultSnapshot() : UNSET;
  if (shadow !== UNSET && matchesSnapshot(shadow, value)) return UNCHANGED; // S52: equal content is no change
  // The new snapshot reuses the unchanged part of the last one (an appended history).
  return shadow === UNSET ? snapshot(value) : snapshotAfter(shadow, value);
}

/**
 * @internal Stores a value (by reference, S5). When `comparison` (from {@link compareWrite})
 * says it changed, records the new snapshot and tells the owner (`_notify`).
 *
 * @returns whether the content changed (S50): the cell's `.change` listeners are due.
 */
export function commitWrite<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown, comparison: Comparison): boolean {
  const id = cell._id;
  const at = store._base + id;
  const old = store._values[at];
  store._values[at] = value;
  store._stored(cell, old, value);
  if (comparison === NOT_WATCHED) return false; // most writes
  return commitWatched(store, cell, value, comparison);
}

/** {@link commitWrite} of a watched cell: its snapshot, and its observers told of a change. */
function commitWatched<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown, comparison: Comparison): boolean {
  const id = cell._id;
  if (comparison === UNCHANGED) {
    // A first write equal to the default (S52): the default is now the content reported, so
    // the next write compares with it, not with nothing.
    if (shadowOf(store, id) === undefined) setShadow(store, id, cell._defaultSnapshot());
    return false;
  }
  setShadow(store, id, comparison);
  store._notify(cell, value);
  return true;
}

/**
 * @internal Sets a value read from outside (storage, S91) without a write; returns whether it differs
 * from the default (S95).
 *
 * @throws ValueTooDeep, or what a getter or Proxy trap throws, when `value` cannot be compared;
 *   nothing is stored then.
 */
export function restoreCell<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown): boolean {
  // Compared before it is stored: a value that cannot be (too deep) leaves the slot as it was.
  const changed = !matchesSnapshot(cell._defaultSnapshot(), value);
  const shadow = changed ? snapshot(value) : cell._defaultSnapshot();
  store._values[store._base + cell._id] = value;
  setShadow(store, cell._id, shadow);
  return changed;
}

/**
 * @internal What {@link placeCell} will compare a cell's later writes with: the snapshot of
 * `value` when the cell is watched, else `undefined`. Taken apart from placing, so a caller that
 * places several cells at once (a render's commit, S112) can take every snapshot before it
 * changes anything.
 *
 * @throws ValueTooDeep for a watched cell's value too deep to compare; whatever a
 *   `[gr.hash]()` or getter of the value throws.
 */
export function placedShadow<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown): unknown {
  return isWatched(store, cell) || store._observes(cell) ? snapshot(value) : undefined;
}

/**
 * @internal A cell's starting value placed from outside (a rendered cell, S111; a session
 * resumed from a shared store), with its {@link placedShadow} (taken here when not given).
 *
 * @throws what {@link placedShadow} throws, when it is taken here: nothing is placed then.
 */
export function placeCell<C extends DataCell>(store: CellStore<C>, cell: C, value: unknown, shadow = placedShadow(store, cell, value)): void {
  const values = store._values;
  const at = store._base + cell._id;
  while (values.length < at) values.push(UNSET);
  values[at] = value;
  if (shadow !== undefined || shadowOf(store, cell._id) !== undefined) setShadow(store, cell._id, shadow);
}

/** @internal Starts comparing a cell's writes with its current content (a first observer subscribed). */
export function watchCell<C extends DataCell>(store: CellStore<C>, cell: C): void {
  if (shadowOf(store, cell._id) === undefined) setShadow(store, cell._id, snapshot(readCell(store, cell)));
}

/** @internal Starts comparing a cell's writes if it holds a value (updates$ subscribed). */
export function watchCellIfSet<C extends DataCell>(store: CellStore<C>, cell: C): void {
  const value = store._values[store._base + cell._id];
  if (value !== UNSET && shadowOf(store, cell._id) === undefined) setShadow(store, cell._id, snapshot(value));
}

/** @internal Forgets a cell's last reported content once nothing compares its writes any more (S55). */
export function unwatchCell<C extends DataCell>(store: CellStore<C>, cell: C): void {
  if (isWatched(store, cell) || store._observes(cell)) return;
  if (shadowOf(store, cell._id) !== undefined) setShadow(store, cell._id, undefined);
}

/** @internal Empties a slot (TTL, retention, eviction: S14, S20, S21; a replaced rendered block). */
export function clearCell(store: CellStore<DataCell>, id: number): void {
  store._values[store._base + id] = UNSET;
  if (shadowOf(store, id) !== undefined) setShadow(store, id, undefined);
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
  if (deps.length > 0) propagateTo(cell, deps, lineage, x, target);
}

/** {@link propagateOne} for a cell that has listeners (a function of its own: most cells have none, and the check stays small enough for V8 to inline). */
function propagateTo<L extends Listener, C extends DataCell, X>(cell: C, deps: readonly L[], lineage: Lineage<L, C> | undefined, x: X, target: ChangeTarget<L, C, X>): void {
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

// The dataflow core on its own: plain cells and listeners, no components, sessions or queues.
import { snapshot } from "../../src/core/equality";
import {
  MAX_CHANGE_DEPTH,
  NOT_WATCHED,
  UNCHANGED,
  UNSET,
  clearCell,
  commitWrite,
  compareWrite,
  peekCell,
  placeCell,
  propagate,
  readCell,
  storeSlots,
  type CellStore,
  type ChangeTarget,
  type DataCell,
  type Lineage,
  type Listener,
} from "../../src/core/dataflow";

function listener(id: number): Listener {
  return { id, describe: () => `listener #${id}` };
}

function cell(id: number, initial: unknown, changeDeps: Listener[] = [], kind = "state"): DataCell {
  return {
    _id: id,
    kind,
    _isFactory: false,
    _changeDeps: changeDeps,
    _initialValue: () => structuredClone(initial),
    _defaultSnapshot: () => snapshot(initial),
    describe: () => `cell #${id}`,
  };
}

/** A store of `size` cells after `base` slots of its owner's, recording what it is told. */
class Store implements CellStore<DataCell> {
  readonly notified: [number, unknown][] = [];
  readonly stored: [number, unknown, unknown][] = [];
  readonly _values: unknown[];
  _shadows: CellStore<DataCell>["_shadows"] = undefined;
  constructor(
    size: number,
    readonly _base = 0,
  ) {
    this._values = storeSlots(_base, size);
  }
  _alwaysWatched(): boolean {
    return false;
  }
  _observes(): boolean {
    return false;
  }
  _stored(c: DataCell, old: unknown, value: unknown): void {
    this.stored.push([c._id, old, value]);
  }
  _notify(c: DataCell, value: unknown): void {
    this.notified.push([c._id, value]);
  }
}

/** Records what `propagate` asks for. */
function recorder(): { target: ChangeTarget<Listener, DataCell, null>; runs: [number, number][]; fanOuts: number[][]; cycles: string[] } {
  const runs: [number, number][] = [];
  const fanOuts: number[][] = [];
  const cycles: string[] = [];
  return {
    runs,
    fanOuts,
    cycles,
    target: {
      depsOf: (_x, c) => c._changeDeps,
      run: (_x, l, lineage) => runs.push([l.id, lineage.depth]),
      fanOut: (_x, ls) => fanOuts.push(ls.map((l) => l.id)),
      cycle: (_x, message) => cycles.push(message),
    },
  };
}

describe("the dataflow core", () => {
  it("compares a watched cell's writes by content (S50, S52): equal content is no change, an in-place edit is one", () => {
    const store = new Store(1);
    const list = cell(0, [1, 2], [listener(0)]);
    expect(compareWrite(store, list, [1, 2])).toBe(UNCHANGED); // a first write equal to the default
    const value = readCell(store, list) as number[];
    expect(value).toEqual([1, 2]);
    value.push(3); // in place: the store compares with its snapshot, not the reference
    const comparison = compareWrite(store, list, value);
    expect(comparison).not.toBe(UNCHANGED);
    expect(commitWrite(store, list, value, comparison)).toBe(true);
    expect(store.notified).toEqual([[0, [1, 2, 3]]]);
    expect(commitWrite(store, list, value, compareWrite(store, list, value))).toBe(false);
    expect(store.stored).toEqual([
      [0, UNSET, [1, 2, 3]], // the first read (the array was changed in place since)
      [0, value, value],
      [0, value, value],
    ]);
  });

  it("does not compare a cell nothing watches (S55), and empties a cleared slot", () => {
    const store = new Store(1);
    const plain = cell(0, 1);
    expect(compareWrite(store, plain, 2)).toBe(NOT_WATCHED);
    expect(commitWrite(store, plain, 2, NOT_WATCHED)).toBe(false);
    expect(readCell(store, plain)).toBe(2);
    expect(store._shadows).toBeUndefined(); // nothing compared: no snapshots made
    clearCell(store, 0);
    expect(peekCell(store, 0)).toBe(UNSET);
    expect(readCell(store, plain)).toBe(1);
  });

  it("keeps the owner's slots before the cells' (a session's run slots) apart from every cell operation", () => {
    const store = new Store(2, 3);
    const owner = ["run 0", undefined, "run 2"];
    owner.forEach((v, i) => (store._values[i] = v));
    const a = cell(0, "a", [listener(0)]);
    const b = cell(1, "b");
    expect(store._values).toEqual([...owner, UNSET, UNSET]);
    expect(readCell(store, a)).toBe("a");
    expect(commitWrite(store, b, "B", compareWrite(store, b, "B"))).toBe(false);
    const rendered = cell(4, "r");
    placeCell(store, rendered, "placed"); // a rendered cell's id is past the store's size: the slots grow
    expect(store._values).toEqual([...owner, "a", "B", UNSET, UNSET, "placed"]);
    clearCell(store, 1);
    expect([peekCell(store, 0), peekCell(store, 1), peekCell(store, 4)]).toEqual(["a", UNSET, "placed"]);
    expect(store._values.slice(0, 3)).toEqual(owner);
  });

  it("runs each listener once, in registration order, however many changed cells it watches (S53, S54)", () => {
    const [l0, l1, l2] = [listener(0), listener(1), listener(2)];
    const a = cell(0, 0, [l2, l0]);
    const b = cell(1, 0, [l1, l2]);
    const { target, runs, fanOuts } = recorder();
    propagate([a, b], undefined, null, target);
    expect(runs).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(fanOuts).toEqual([]);
    runs.length = 0;
    propagate([a], undefined, null, target); // one cell whose listeners were registered out of order
    expect(runs.map(([id]) => id)).toEqual([0, 2]);
  });

  it("fans a Global's listeners out to the other sessions and runs them here too (S56)", () => {
    const l0 = listener(0);
    const shared = cell(0, 0, [l0], "global");
    const { target, runs, fanOuts } = recorder();
    propagate([shared], undefined, null, target);
    expect(fanOuts).toEqual([[0]]);
    expect(runs).toEqual([[0, 1]]);
  });

  it(`stops a cascade past MAX_CHANGE_DEPTH (${MAX_CHANGE_DEPTH}) rounds, naming the cells of the cycle`, () => {
    const l0 = listener(0);
    const a = cell(0, 0, [l0]);
    const { target, runs, cycles } = recorder();
    let lineage: Lineage | undefined;
    for (let depth = 1; depth <= MAX_CHANGE_DEPTH; depth++) lineage = { depth, cell: a, dependency: l0, parent: lineage };
    propagate([a], lineage, null, target);
    expect(runs).toEqual([]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toContain(`.change cycle stopped after ${MAX_CHANGE_DEPTH} rounds`);
    expect(cycles[0]).toContain("cell #0");
  });
});

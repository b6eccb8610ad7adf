// The dataflow core on its own: plain cells and listeners, no components, sessions or queues.
import { snapshot } from "../../src/core/equality";
import { CellStore, MAX_CHANGE_DEPTH, NOT_WATCHED, UNCHANGED, UNSET, propagate, type ChangeTarget, type DataCell, type Lineage, type Listener } from "../../src/core/dataflow";

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

class Store extends CellStore<DataCell> {
  readonly notified: [number, unknown][] = [];
  protected alwaysWatched(): boolean {
    return false;
  }
  observed(): boolean {
    return false;
  }
  protected initialised(): void {}
  protected written(): void {}
  protected changed(c: DataCell, value: unknown): void {
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
    expect(store.compare(list, [1, 2])).toBe(UNCHANGED); // a first write equal to the default
    const value = store.read(list) as number[];
    expect(value).toEqual([1, 2]);
    value.push(3); // in place: the store compares with its snapshot, not the reference
    const comparison = store.compare(list, value);
    expect(comparison).not.toBe(UNCHANGED);
    expect(store.commit(list, value, comparison)).toBe(true);
    expect(store.notified).toEqual([[0, [1, 2, 3]]]);
    expect(store.commit(list, value, store.compare(list, value))).toBe(false);
  });

  it("does not compare a cell nothing watches (S55), and empties a cleared slot", () => {
    const store = new Store(1);
    const plain = cell(0, 1);
    expect(store.compare(plain, 2)).toBe(NOT_WATCHED);
    expect(store.commit(plain, 2, NOT_WATCHED)).toBe(false);
    expect(store.read(plain)).toBe(2);
    store.clear(0);
    expect(store.values[0]).toBe(UNSET);
    expect(store.read(plain)).toBe(1);
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

/**
 * The app's Globals (S7): one value per app, shared by its sessions, in the dataflow core's
 * store; and, with a shared store (docs/08), the writes it has not acknowledged yet, which a
 * failed write undoes, and the values other processes wrote, which fan out here (S56).
 *
 * @packageDocumentation
 */
import { commitWrite, compareWrite, readCell, storeSlots, type CellStore, type Comparison, type UNSET } from "../core/dataflow";
import type { Snapshot } from "../core/equality";
import type { AnyCell, CellNode } from "../blocks/block";
import { fanOutRemote, type RunApp, type RunSession } from "./run";
import { valueKey, type Streams } from "./streams";

/** @internal What the Globals use of their app (`App` is one). */
export interface GlobalsApp extends RunApp {
  /** The app's watched streams (a Global's `value$`). */
  readonly _streams: Streams | undefined;
  /** Closed: a change another process made runs no `.change` listener here. */
  readonly _closed: boolean;
}

/** @internal A Global's write a shared store has not answered yet: the value it replaced. */
export interface UnackedWrite {
  readonly previous: unknown;
  failed: boolean;
}

/**
 * @internal The app's Globals: compared while they have `.change` listeners or observers
 * (S55); their changes go to `app.value$` observers.
 */
export class Globals implements CellStore<CellNode> {
  /** Each Global's value, by cell id (the core's {@link CellStore}). */
  readonly _values: unknown[];
  readonly _base = 0;
  _shadows: (Snapshot | typeof UNSET | undefined)[] | undefined = undefined;
  /**
   * A shared store's Global writes not yet acknowledged, by Global id, oldest first: what a
   * failed write puts back (docs/08, Failures). Empty without a store.
   */
  readonly unacked = new Map<number, UnackedWrite[]>();

  constructor(
    size: number,
    private readonly app: GlobalsApp,
  ) {
    this._values = storeSlots(0, size);
  }

  _alwaysWatched(): boolean {
    return false;
  }

  _observes(node: CellNode): boolean {
    return this.app._streams?.watched(valueKey(node._id)) === true;
  }

  _stored(): void {}

  _notify(node: CellNode, value: unknown): void {
    this.app._streams?.send(valueKey(node._id), value);
  }

  /** A Global's value, initialising its slot on first read (S2, S4). */
  read(node: CellNode): unknown {
    return readCell(this, node);
  }

  /** The comparison half of a write (`Session._compare` for a Global): with its last reported content. */
  compareWrite(node: CellNode, value: unknown): Comparison {
    this.app._store?.checkGlobal(node.cell, value);
    this.read(node);
    return compareWrite(this, node, value);
  }

  /**
   * Writes a Global; returns whether it changed (S50) by `comparison` (from
   * {@link Globals.compareWrite}), notifying observers if so. With a shared store, the value
   * goes back if the store rejects the write ({@link Globals.answered}).
   */
  write(node: CellNode, value: unknown, comparison: Comparison, session?: RunSession): boolean {
    const previous = this.read(node);
    const store = this.app._store;
    if (store) {
      const write: UnackedWrite = { previous, failed: false };
      const writes = this.unacked.get(node._id);
      if (writes) writes.push(write);
      else this.unacked.set(node._id, [write]);
      store.writeGlobal(session, node.cell, value, (error) => this.answered(node, write, error));
    }
    return commitWrite(this, node, value, comparison);
  }

  /**
   * A shared store answered a Global's write (docs/08). A failed write's run wrote nothing
   * (S32-S34 across processes): the Global goes back to its value before that write, unless a
   * later write (of this process, still standing, or read from the store) replaced it. A later
   * write that failed too goes back past it: each failed write undoes its own.
   */
  private answered(node: CellNode, write: UnackedWrite, error: Error | undefined): void {
    const writes = this.unacked.get(node._id);
    const at = writes ? writes.indexOf(write) : -1;
    if (at < 0) return; // the store's value replaced it meanwhile
    if (error === undefined) writes!.splice(0, at + 1); // nothing before an acknowledged write is put back
    else {
      write.failed = true;
      let undone: UnackedWrite | undefined;
      while (writes!.length && writes![writes!.length - 1].failed) undone = writes!.pop();
      // The restore is a change in this process: observers and `.change` listeners see it (S56).
      if (undone) this.set(node, undone.previous);
    }
    if (!writes!.length) this.unacked.delete(node._id);
  }

  /**
   * A Global's value as another process wrote it (a shared store, docs/08): stored, and when it
   * changed by content (S50), observers are told and its `.change` listeners run in every open
   * session of this process (S56).
   */
  apply(cell: AnyCell, value: unknown): void {
    this.unacked.delete(cell._id); // the store's value: this process's earlier writes put nothing back
    this.set(cell._node, value);
  }

  /** Sets a Global without writing it to the store: observers and `.change` listeners see a change (S50, S56). */
  private set(node: CellNode, value: unknown): void {
    this.read(node);
    let comparison: Comparison;
    try {
      comparison = compareWrite(this, node, value);
    } catch {
      // A value this process cannot compare (too deep): stored, with no change reported.
      this._values[node._id] = value;
      return;
    }
    if (commitWrite(this, node, value, comparison) && node._changeDeps.length && !this.app._closed) fanOutRemote(this.app, node);
  }
}

/**
 * BrowserState persistence (S6, S90-S95): load at session start, write back on change.
 *
 * @packageDocumentation
 */
import type { AnyCell } from "../blocks/block";
import type { App } from "./app";
import type { Session } from "./session";

/** @internal The app's BrowserState persistence (placeholder until storage is wired in). */
export class BrowserStates {
  private readonly cells: AnyCell[];

  constructor(private readonly app: App) {
    this.cells = app.blocks._cells.filter((c) => c.kind === "browser");
  }

  /**
   * S91: reads every BrowserState of a new session from its storage, setting the values with
   * `session._restore`; returns the cells whose stored value differs from the default (S95).
   */
  async load(_session: Session): Promise<AnyCell[]> {
    return this.cells.length === 0 ? [] : [];
  }

  /** S92: a BrowserState's value changed: write it back (asynchronously, in order). */
  persist(_session: Session, _cell: AnyCell, _value: unknown): void {}

  /** Resolves when this session's pending writes are done (`idle`, `close`). */
  async flush(_session: Session): Promise<void> {}
}

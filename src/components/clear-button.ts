/**
 * `gr.ClearButton` (S71).
 *
 * @packageDocumentation
 */
import { Cell, toCellArray, type AnyCell } from "../blocks/block";
import type { EngineContext, EventContext } from "../blocks/context";
import { Button, type ButtonProps } from "./button";
import { Component } from "./component";

/**
 * `gr.ClearButton(components)`: a {@link Button} (text default `"Clear"`) whose click resets each
 * listed cell to its default (S71): a component to a fresh copy of its initial value (or a new
 * factory result; empty when the component's props in this session refuse it), a State to a
 * fresh deep copy of its default (or the factory called again).
 * Resets are ordinary writes: they are validated, and trigger `.change` when the value differs.
 *
 * ```ts
 * const chat = new gr.Chatbot();
 * const msg = new gr.Textbox();
 * const clear = new gr.ClearButton([msg, chat]);
 * clear.add(history);                              // Gradio's ClearButton.add
 * ```
 *
 * Each non-empty constructor list and each `.add(...)` registers its own click listener
 * (`queue: false`, hidden from the API), resetting exactly the cells given in that call. This is
 * what Gradio's `ClearButton.add` does, and it is needed because a listener's outputs are fixed
 * when it is registered; one click runs them all. Cells already listed are skipped.
 *
 * A ClearButton created outside a build keeps its list and registers the listeners when it is
 * registered with `.render()`.
 *
 * @throws TypeError when an item is not a component or State; Error (from the listener
 *   registration, S30) when a cell is not part of the Blocks being built, or after the freeze.
 */
export class ClearButton extends Button {
  override readonly type: string = "clearbutton";
  /** @internal Every cell a click resets, in the order given. */
  private _targets: AnyCell[] = [];
  /** @internal Cells added while unregistered, waiting for `.render()`. */
  private _pending: AnyCell[] = [];

  constructor(components?: AnyCell | readonly AnyCell[] | null, props: ButtonProps = {}) {
    super(props);
    this.add(components);
  }

  /** The cells a click resets. */
  get components(): readonly AnyCell[] {
    return this._targets;
  }

  /**
   * Adds cells to reset on click (Gradio's `ClearButton.add`); returns the button for chaining.
   * Inside the build of the button's Blocks it registers one more click listener at once.
   *
   * @throws TypeError when an item is not a component or State; Error when called after the
   *   build, or for cells of another Blocks (S30).
   */
  add(components: AnyCell | readonly AnyCell[] | null | undefined): this {
    const cells = toCellArray(components);
    cells.forEach((cell, i) => {
      if (!(cell instanceof Cell)) throw new TypeError(`${this.describe()}: components[${i}] is not a component or State.`);
    });
    const fresh = cells.filter((cell, i) => !this._targets.includes(cell) && cells.indexOf(cell) === i);
    this._pending.push(...fresh);
    if (this._blocks) this._registerPending();
    this._targets.push(...fresh);
    return this;
  }

  /** Registers the button (see `Block.render`), then the listeners for cells given before. */
  override render(): this {
    super.render();
    this._registerPending();
    return this;
  }

  /** @internal */
  override _emptyValue(): string {
    return "Clear";
  }

  /**
   * @internal Registers one click listener resetting the pending cells. When the registration throws, the
   * cells are dropped from the list too, so `components` only names cells a click resets.
   */
  private _registerPending(): void {
    if (this._pending.length === 0) return;
    const cells = this._pending;
    // `_initialValue` gives a fresh value per call (a copy or a new factory result), so two
    // sessions, or two clicks, never share the reset value.
    const reset = (ctx: EventContext) => new Map<AnyCell, unknown>(cells.map((cell) => [cell, resetValue(cell, ctx as EngineContext)]));
    try {
      this.click(reset, undefined, cells, { queue: false, apiName: false });
    } catch (e) {
      this._targets = this._targets.filter((cell) => !cells.includes(cell));
      throw e;
    } finally {
      this._pending = [];
    }
  }
}

/**
 * What a click writes to `cell` (S71): its initial value, or empty (`null`) for a component
 * whose initial value its props in this session refuse (an update narrowed a Dropdown's
 * choices, a Slider's range), as Gradio's ClearButton always empties a component.
 */
function resetValue(cell: AnyCell, ctx: EngineContext): unknown {
  const initial = cell._initialValue();
  if (!(cell instanceof Component)) return initial;
  try {
    cell._normalize(initial, ctx._propsOf(cell));
    return cell._asOutput(initial); // written as a listener's result
  } catch {
    return null;
  }
}

/**
 * `gr.Timer` (S80).
 *
 * @packageDocumentation
 */
import { UNSET } from "../core/dataflow";
import type { CellSite, EventListener } from "../blocks/block";
import { MAX_SECONDS, MIN_INTERVAL_SECONDS } from "../core/errors";
import { Component, propNames, type BaseProps, type Props } from "./component";
import { checkProp, isBoolean, reject, show } from "../blocks/props";

/** Props of {@link Timer}. */
export interface TimerProps extends BaseProps {
  /** Whether it ticks. Default `true`; `update({ active: false })` stops it for a session (S80). */
  active?: boolean;
}

function checkInterval(value: unknown): number {
  // The bounds: a shorter tick would re-arm at the same millisecond forever (S80 on a
  // ManualClock would never return); a longer one is past every clock's exact range.
  if (typeof value !== "number" || !(value >= MIN_INTERVAL_SECONDS && value <= MAX_SECONDS)) {
    reject(`a Timer's value is its interval in seconds, a number from 0.001 to 1e12; got ${show(value)}`);
  }
  return value;
}

/**
 * `gr.Timer(seconds, { active })`: an invisible component whose value is its tick interval in
 * seconds (default 1). While `active` (default `true`) the runtime fires its `tick` event every
 * `value` seconds in each open session (S80). Writes must be numbers from 0.001
 * (`MIN_INTERVAL_SECONDS`, one millisecond) to 1e12 (`MAX_SECONDS`); anything else, including
 * `null` and numeric text, is rejected (S34).
 *
 * ```ts
 * const now = new gr.Textbox({ label: "Now" });
 * const timer = new gr.Timer(5);
 * timer.tick(() => new Date().toISOString(), undefined, now);
 * ```
 *
 * @throws TypeError at construction for an interval below 0.001 s or above 1e12 s, or not a
 *   number (the message names it), or a non-boolean `active`.
 */
export class Timer extends Component<number> {
  readonly type: string = "timer";
  static override readonly events: readonly string[] = ["tick"];
  static override readonly propNames = propNames<TimerProps>({ active: true });
  /** Fires every `value` seconds per open session while `active` (S80). */
  declare readonly tick: EventListener;

  constructor(seconds?: number, props?: TimerProps);
  /** The props form, as Gradio's keyword arguments: `new gr.Timer({ value: 2, active: false })`. */
  constructor(props: TimerProps & { value?: number });
  constructor(first?: number | (TimerProps & { value?: number }), second: TimerProps = {}) {
    super();
    let seconds = first as number | undefined;
    let props = second;
    if (first !== null && typeof first === "object") ({ value: seconds, ...props } = first);
    this._checkPropsObject(props);
    // Checked here, not left to `_init`, which would take a function for a factory.
    if (seconds !== undefined && typeof seconds !== "number") {
      throw new TypeError(`Timer: the interval must be a number of seconds from 0.001 to 1e12; got ${show(seconds)}.`);
    }
    // Omitted seconds stay omitted (default from `_emptyValue`), so the instance read as an
    // update (S33) only sets the interval when one was given.
    this._init(seconds === undefined ? props : { ...props, value: seconds }, { active: true });
  }
  /** @internal {@link Component._checkProps}, and `active` a boolean. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "active", "true or false", isBoolean);
  }
  /** @internal */
  _emptyValue(): number {
    return 1;
  }
  /** @internal */
  _check(value: unknown): number {
    return checkInterval(value);
  }
  /** @internal A Timer has no empty state: `null` goes to `_check`, which refuses it, instead of clearing. */
  override _normalize(value: unknown): number {
    return this._check(value);
  }

  /** @internal Its value is its interval: a new one re-arms its ticks (S80). */
  override _stored(site: CellSite, old: unknown, value: unknown): void {
    if (!Object.is(old === UNSET ? this._default : old, value)) site._rearmTicks(this);
  }

  /** @internal Only `active` matters to its ticks (S80): a label change must not restart them. */
  override _propsChanged(site: CellSite, before: Props, after: Props): void {
    if (before.active !== after.active) site._rearmTicks(this);
  }

  /** @internal Its ticks run on the session's timers from connect to close, past any render. */
  override _unrenderable(): string {
    return "a Timer";
  }
}

/**
 * Numeric components: Number, Slider.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, reject, type ComponentProps, type Props } from "./component";

/** Props of {@link NumberBox}. */
export interface NumberProps extends ComponentProps<number | null> {
  /** Smallest accepted value; smaller ones are rejected (S34). `null`: none. */
  minimum?: number | null;
  /** Largest accepted value; larger ones are rejected (S34). `null`: none. */
  maximum?: number | null;
  /** Decimal places to round to; `0` gives integers. `null`: no rounding. */
  precision?: number | null;
  /** The increment a renderer's arrows use (not enforced). */
  step?: number;
}

/** @internal Parses numbers and numeric text; rejects the rest (S34). */
export function toNumber(value: unknown): number {
  if (typeof value === "number") {
    if (Number.isNaN(value)) reject("NaN is not a number");
    return value;
  }
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  return reject(`${typeof value === "string" ? "text" : typeof value} is not a number`);
}

/** @internal Range check shared by Number and Slider. */
export function checkRange(n: number, props: Props): void {
  const { minimum, maximum } = props as { minimum?: number | null; maximum?: number | null };
  if (typeof minimum === "number" && n < minimum) reject(`${n} is below the minimum ${minimum}`);
  if (typeof maximum === "number" && n > maximum) reject(`${n} is above the maximum ${maximum}`);
}

function round(n: number, precision: unknown): number {
  if (typeof precision !== "number") return n;
  const f = 10 ** precision;
  return Math.round(n * f) / f;
}

/**
 * `gr.Number` (exported also as `NumberBox`, which does not shadow the global `Number`): a
 * number or `null` (empty). Numeric text is parsed; other text, `NaN` and values outside
 * `minimum`/`maximum` are rejected; `precision` rounds (S34).
 */
export class NumberBox extends Component<number | null> {
  readonly type: string = "number";
  static override readonly events: readonly string[] = ["change", "input", "submit", "focus", "blur"];
  static override readonly displayName = "Number";
  static override readonly propNames = propNames<NumberProps>({ minimum: true, maximum: true, precision: true, step: true });
  declare readonly change: EventListener;
  declare readonly input: EventListener;
  declare readonly submit: EventListener;
  declare readonly focus: EventListener;
  declare readonly blur: EventListener;

  constructor(props: NumberProps = {}) {
    super();
    this._init(props, { minimum: null, maximum: null, precision: null, step: 1 });
  }
  /** @internal */
  _emptyValue(): null {
    return null;
  }
  /** @internal */
  _check(value: unknown, props: Props): number | null {
    if (value === "") return null; // an emptied input box
    const n = round(toNumber(value), props.precision);
    checkRange(n, props);
    return n;
  }
}

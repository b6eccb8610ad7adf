/**
 * Numeric components: Number, Slider.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, type ComponentProps, type Props } from "./component";
import { checkProp, isCount, isFiniteNumber, orNull, reject } from "../blocks/props";

/** Props of {@link NumberBox}. */
export interface NumberProps extends ComponentProps<number | null> {
  /** Smallest accepted value; smaller ones are rejected (S34). `null`: none. */
  minimum?: number | null;
  /** Largest accepted value; larger ones are rejected (S34). `null`: none. */
  maximum?: number | null;
  /** Decimal places to round to (an integer `>= 0`), as Python's `round`; `0` gives integers. `null`: no rounding. */
  precision?: number | null;
  /** The increment a renderer's arrows use (not enforced); a number greater than 0. */
  step?: number;
}

/** Decimal text: digits with an optional point and exponent. Not `Infinity`, `0x1F`, `0b101`, `1_000`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * @internal Parses numbers and numeric text; rejects the rest (S34): `NaN`, `±Infinity`, and
 * text that is not a finite decimal number (`"Infinity"`, `"1e400"`, `"0x1F"`).
 */
export function toNumber(value: unknown): number {
  if (typeof value === "number") {
    if (Number.isNaN(value)) reject("NaN is not a number");
    if (!Number.isFinite(value)) reject(`${value} is not a finite number`);
    return value;
  }
  if (typeof value === "string") {
    const text = value.trim();
    const n = DECIMAL.test(text) ? Number(text) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return reject(`${typeof value === "string" ? "text" : typeof value} is not a number`);
}

/** @internal Range check shared by Number and Slider. */
export function checkRange(n: number, props: Props): void {
  const { minimum, maximum } = props as { minimum?: number | null; maximum?: number | null };
  if (typeof minimum === "number" && n < minimum) reject(`${n} is below the minimum ${minimum}`);
  if (typeof maximum === "number" && n > maximum) reject(`${n} is above the maximum ${maximum}`);
}

/**
 * @internal The range rule of Number and Slider, when both bounds are numbers: `minimum <=
 * maximum`, or with `strict` (a Slider, as Gradio's constructor: "Slider minimum must be less
 * than maximum") `minimum < maximum`.
 * @throws ValueRejection `minimum 10 is greater than maximum 0`, `minimum 5 must be less than maximum 5`.
 */
export function checkBounds(props: Props, strict = false): void {
  const { minimum, maximum } = props;
  if (typeof minimum !== "number" || typeof maximum !== "number") return;
  if (minimum > maximum) reject(strict ? `minimum ${minimum} must be less than maximum ${maximum}` : `minimum ${minimum} is greater than maximum ${maximum}`);
  if (strict && minimum === maximum) reject(`minimum ${minimum} must be less than maximum ${maximum}`);
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * @internal Gradio's `Number.round_to_precision`: `n` rounded to `precision` decimal places as Python's
 * `round` does (see {@link roundTo}); as is when `precision` is not a number (`null`). Precision
 * 0 is an integer, as Python's `int(round(n))`: never -0, which S50 tells from 0.
 */
export function roundToPrecision(n: number, precision: unknown): number {
  if (typeof precision !== "number") return n;
  return precision === 0 ? roundTo(n, 0) + 0 : roundTo(n, precision);
}

/**
 * @internal A Number's or Slider's value (S34): `n` within the range, then rounded to the
 * precision, as Gradio checks then rounds, and within the range once rounded too: rounding may
 * leave it (0.5 at precision 0 is 0, below a minimum of 0.5), and a session never holds a value
 * outside its range.
 *
 * @throws ValueRejection naming the bound, and the rounding when that is what crossed it.
 */
export function checkedNumber(n: number, props: Props): number {
  checkRange(n, props);
  const rounded = roundToPrecision(n, props.precision);
  if (rounded !== n) {
    const { minimum, maximum } = props as { minimum?: number | null; maximum?: number | null };
    if ((typeof minimum === "number" && rounded < minimum) || (typeof maximum === "number" && rounded > maximum)) {
      reject(`${n} rounds to ${rounded} at precision ${props.precision}, outside the range ${minimum ?? "-∞"} to ${maximum ?? "∞"}`);
    }
  }
  return rounded;
}

/**
 * @internal Python's `round(n, decimals)`: `n` rounded to `decimals` (an integer `>= 0`) decimal
 * places, half to even, on the exact value of the double. So `round(2.5)` is 2, `round(0.5)`
 * is 0 and `round(1.25, 1)` is 1.2 (ties), while `round(0.15, 1)` is 0.1, as 0.15 is stored as
 * 0.1499…. Computed exactly (no `n * 10 ** decimals`, which overflows to Infinity or NaN): a
 * value already exact to `decimals` places (an integer, `±Infinity`, `NaN`, any double for 1074
 * or more places) is returned as it is.
 */
export function roundTo(n: number, decimals: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n;
  // |n| = mantissa / 2 ** shift exactly; shift >= 1 as n is not an integer.
  bits.setFloat64(0, Math.abs(n));
  const high = bits.getUint32(0);
  const exponent = high >>> 20; // 0 for subnormals
  const mantissa = (BigInt((high & 0xfffff) | (exponent === 0 ? 0 : 0x100000)) << 32n) | BigInt(bits.getUint32(4));
  const shift = 1075 - Math.max(exponent, 1);
  if (shift <= decimals) return n;
  const scaled = mantissa * 10n ** BigInt(decimals);
  const divisor = 1n << BigInt(shift);
  let q = scaled / divisor;
  const twice = (scaled % divisor) * 2n;
  if (twice > divisor || (twice === divisor && (q & 1n) === 1n)) q++;
  const rounded = Number(`${q}e-${decimals}`);
  return n < 0 ? -rounded : rounded;
}

/**
 * `gr.Number` (exported also as `NumberBox`, which does not shadow the global `Number`): a
 * number or `null` (empty). Numeric text is parsed (finite decimal numbers only); other text,
 * `NaN`, `±Infinity` and values outside `minimum`/`maximum` are rejected, the range checked
 * before rounding as in Gradio; `precision` rounds as Python's `round` (half to even: 2.5
 * becomes 2), see `roundTo` (S34).
 *
 * @throws TypeError at construction for an invalid prop (see `_checkProps`) or initial value.
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
  /**
   * @internal {@link Component._checkProps}, and `minimum`, `maximum` finite numbers or `null`
   * with `minimum <= maximum`, `precision` an integer `>= 0` or `null`, `step` a finite number
   * greater than 0.
   */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "minimum", "a finite number or null", orNull(isFiniteNumber));
    checkProp(props, "maximum", "a finite number or null", orNull(isFiniteNumber));
    checkProp(props, "precision", "a whole number of decimal places (0 or more) or null", orNull(isCount));
    checkProp(props, "step", "a finite number greater than 0", (v) => isFiniteNumber(v) && v > 0);
    checkBounds(props);
  }
  /** @internal */
  _emptyValue(): null {
    return null;
  }
  /** @internal */
  _check(value: unknown, props: Props): number | null {
    if (value === "") return null; // an emptied input box
    return checkedNumber(toNumber(value), props);
  }
}

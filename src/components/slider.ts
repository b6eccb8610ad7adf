/**
 * `gr.Slider`.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, type ComponentProps, type Props } from "./component";
import { checkProp, isBoolean, isCount, isFiniteNumber, orNull } from "../blocks/props";
import { checkBounds, checkedNumber, roundTo, toNumber } from "./number";

/** The decimal places of `n`'s shortest text: 2 for 0.25, 7 for 1e-7, 0 for 300. */
function decimalsOf(n: number): number {
  const [digits, exponent = "0"] = String(n).split("e");
  return Math.max(0, (digits.split(".")[1]?.length ?? 0) - Number(exponent));
}

/**
 * @internal Gradio's default Slider `step`: `10 ** floor(log10(maximum - minimum) - 2)`, a
 * negative power taken as `1 / 10 ** n` so that it is the exact decimal (`1e-5`, where
 * `10 ** -5` is 0.000009999999999999999). `1` for a range that is not a positive finite number
 * (the props check refuses it).
 */
export function defaultStep(minimum: unknown, maximum: unknown): number {
  if (typeof minimum !== "number" || typeof maximum !== "number") return 1;
  const range = maximum - minimum;
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const power = Math.floor(Math.log10(range) - 2);
  return power >= 0 ? 10 ** power : 1 / 10 ** -power;
}

/** Props of {@link Slider}. */
export interface SliderProps extends ComponentProps<number> {
  /** Lowest value. Default `0`. */
  minimum?: number;
  /** Highest value. Default `100`. */
  maximum?: number;
  /**
   * Increment of the handle (metadata for renderers; values between steps are accepted).
   * Default, as Gradio's: the power of ten two orders of magnitude below the range, `1` for
   * 0..100, `0.01` for 0..1, `10` for 0..1000 (computed at construction).
   */
  step?: number;
  /**
   * Decimal places values are rounded to, in and out (Gradio's `precision`; 0 makes them
   * integers). Default `null`: no rounding.
   */
  precision?: number | null;
  /**
   * Gradio's `randomize`: each session starts at a random multiple of `step` within the range
   * (the value becomes a per-session factory, S4), rounded to the decimals of `step` (or of
   * `minimum` when it has more): 0.3, not 0.30000000000000004. Ignored when `value` is given.
   */
  randomize?: boolean;
}

/**
 * `gr.Slider`: a number within `[minimum, maximum]` (defaults 0 and 100, `step` derived from
 * the range as Gradio's, `precision` rounding as Number's). The initial
 * value defaults to `minimum`; `null` becomes the session's current `minimum`. Numeric text is
 * parsed (`"42"` → 42). Rejected (S34): other text, `NaN`, non-numbers and values outside the
 * session's current range.
 *
 * @throws TypeError at construction when `minimum`/`maximum`/`step` are not finite numbers,
 *   `minimum >= maximum`, `step <= 0`, another prop is invalid (see `_checkProps`), or the
 *   initial value is. Made in a handler (an update, S33), only the props it was given are
 *   checked: `new gr.Slider({ minimum: 150 })` raises a 0..200 slider's floor.
 */
export class Slider extends Component<number> {
  readonly type: string = "slider";
  static override readonly events: readonly string[] = ["change", "input", "release"];
  static override readonly propNames = propNames<SliderProps>({ minimum: true, maximum: true, step: true, precision: true, randomize: true });
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires while the user drags the handle. */
  declare readonly input: EventListener;
  /** Fires when the user releases the handle. */
  declare readonly release: EventListener;

  constructor(props: SliderProps = {}) {
    super();
    this._checkPropsObject(props);
    const { minimum = 0, maximum = 100 } = props;
    this._init(props, { minimum, maximum, step: defaultStep(minimum, maximum), precision: null, randomize: false });
    if (props.randomize === true && props.value === undefined) {
      // Set after `_init` (not passed as `value`) so the instance, read as an update (S33),
      // carries no value. Multiples of step from minimum: values the handle can reach.
      const { minimum, maximum, step } = this._props as { minimum: number; maximum: number; step: number };
      const steps = Math.floor((maximum - minimum) / step);
      // Rounded as Gradio's `_get_random_value` does (0.1 * 3 is 0.30000000000000004), to the
      // step's decimals, or the minimum's when it has more (so 0.05 + 0.1 stays 0.15).
      const decimals = Math.max(decimalsOf(step), decimalsOf(minimum));
      this._default = () => roundTo(minimum + Math.floor(Math.random() * (steps + 1)) * step, decimals);
      this._isFactory = true;
    }
  }
  /**
   * @internal {@link Component._checkProps}, and `minimum`, `maximum` and `step` finite
   * numbers with `minimum < maximum` (Gradio: "Slider minimum must be less than maximum") and
   * `step > 0`, `precision` an integer `>= 0` or `null`, `randomize` a boolean.
   */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    for (const name of ["minimum", "maximum", "step"]) checkProp(props, name, "a finite number", isFiniteNumber);
    checkProp(props, "step", "greater than 0", (v: number) => v > 0);
    checkProp(props, "precision", "a whole number of decimal places (0 or more) or null", orNull(isCount));
    checkProp(props, "randomize", "true or false", isBoolean);
    checkBounds(props, true);
  }
  /** @internal */
  _emptyValue(props: Props): number {
    return typeof props.minimum === "number" ? props.minimum : 0;
  }
  /** @internal */
  _check(value: unknown, props: Props): number {
    return checkedNumber(toNumber(value), props);
  }
}

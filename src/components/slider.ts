/**
 * `gr.Slider`.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, type ComponentProps, type Props } from "./component";
import { checkRange, toNumber } from "./number";

/** Props of {@link Slider}. */
export interface SliderProps extends ComponentProps<number> {
  /** Lowest value. Default `0`. */
  minimum?: number;
  /** Highest value. Default `100`. */
  maximum?: number;
  /** Increment of the handle (metadata for renderers; values between steps are accepted). Default `1`. */
  step?: number;
  /**
   * Gradio's `randomize`: each session starts at a random multiple of `step` within the range
   * (the value becomes a per-session factory, S4). Ignored when `value` is given.
   */
  randomize?: boolean;
}

/**
 * `gr.Slider`: a number within `[minimum, maximum]` (defaults 0 and 100, `step` 1). The initial
 * value defaults to `minimum`; `null` becomes the session's current `minimum`. Numeric text is
 * parsed (`"42"` → 42). Rejected (S34): other text, `NaN`, non-numbers and values outside the
 * session's current range.
 *
 * @throws TypeError at construction when `minimum`/`maximum`/`step` are not finite numbers,
 *   `minimum > maximum`, `step <= 0`, or the initial value is invalid.
 */
export class Slider extends Component<number> {
  readonly type: string = "slider";
  static override readonly events: readonly string[] = ["change", "input", "release"];
  static override readonly propNames = propNames<SliderProps>({ minimum: true, maximum: true, step: true, randomize: true });
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires while the user drags the handle. */
  declare readonly input: EventListener;
  /** Fires when the user releases the handle. */
  declare readonly release: EventListener;

  constructor(props: SliderProps = {}) {
    super();
    this._checkProps(props);
    const minimum = props.minimum === undefined ? 0 : props.minimum;
    const maximum = props.maximum === undefined ? 100 : props.maximum;
    const step = props.step === undefined ? 1 : props.step;
    for (const [name, n] of [["minimum", minimum], ["maximum", maximum], ["step", step]] as const) {
      if (typeof n !== "number" || !Number.isFinite(n)) throw new TypeError(`Slider: ${name} must be a finite number; got ${String(n)}.`);
    }
    if (minimum > maximum) throw new TypeError(`Slider: minimum ${minimum} is greater than maximum ${maximum}.`);
    if (step <= 0) throw new TypeError(`Slider: step must be greater than 0; got ${step}.`);
    this._init(props, { minimum, maximum, step, randomize: false });
    if (props.randomize === true && props.value === undefined) {
      // Set after `_init` (not passed as `value`) so the instance, read as an update (S33),
      // carries no value. Multiples of step from minimum: values the handle can reach.
      const steps = Math.floor((maximum - minimum) / step);
      this._default = () => minimum + Math.floor(Math.random() * (steps + 1)) * step;
      this._isFactory = true;
    }
  }
  /** @internal */
  _emptyValue(props: Props): number {
    return typeof props.minimum === "number" ? props.minimum : 0;
  }
  /** @internal */
  _check(value: unknown, props: Props): number {
    const n = toNumber(value);
    checkRange(n, props);
    return n;
  }
}

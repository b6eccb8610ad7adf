/**
 * Return helpers: `gr.update({...})` and `gr.skip()` (S32, S33).
 *
 * @packageDocumentation
 */
import { describeValue, isRecord } from "../core/errors";

const UPDATE: unique symbol = Symbol("blockstate.update");
const SKIP: unique symbol = Symbol("blockstate.skip");

/** Props (and optionally the value) to set on an output: the result of {@link update}. */
export interface Update {
  readonly [UPDATE]: true;
  /** The props to merge, and `value` when the update sets the value too. */
  readonly changes: Readonly<Record<string, unknown>>;
}

/** The marker {@link skip} returns. */
export interface Skip {
  readonly [SKIP]: true;
}

/**
 * `gr.update({ value?, visible?, label?, ...props })`: returned for an output, sets those props
 * for this session and, if `value` is present, the value (S33). For a State only `value`
 * counts.
 *
 * @example
 * ```ts
 * btn.click(() => gr.update({ visible: false }), undefined, panelText);
 * ```
 *
 * @param changes - props to set (one given as `undefined` is not set, as in a constructor's
 *   props), and `value` to write (omit it to leave the value as it is).
 * @returns a frozen update marker; the engine validates it against the output when applied
 *   (S34), so a bad value fails the run then, not here; so does a prop the output's class does
 *   not declare (S74: an `EventError` of code `"invalid_output"` suggesting the nearest known
 *   prop; for a State, props are ignored). A layout container takes props only (S72).
 * @throws TypeError when `changes` is not an object (`gr.update(5)` for `gr.update({ value: 5 })`).
 */
export function update(changes: Record<string, unknown> = {}): Update {
  if (!isRecord(changes)) {
    throw new TypeError(`gr.update: expected an object of props, such as { value, visible }; got ${describeValue(changes)}.`);
  }
  // A prop given as undefined is not given, as in a constructor's props (`value` aside: given,
  // it is written, undefined as null).
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) if (changes[key] !== undefined || key === "value") given[key] = changes[key];
  return { [UPDATE]: true, changes: Object.freeze(given) };
}

const SKIP_VALUE: Skip = Object.freeze({ [SKIP]: true as const });

/**
 * `gr.skip()`: returned for an output, leaves it untouched (S33); returned alone for a
 * listener with several outputs, skips them all (S32).
 */
export function skip(): Skip {
  return SKIP_VALUE;
}

/** @internal */
export function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && (value as Update)[UPDATE] === true;
}

/** @internal */
export function isSkip(value: unknown): value is Skip {
  return value === SKIP_VALUE;
}

const VALIDATION: unique symbol = Symbol("blockstate.validation");

/** What {@link validate} returns: an input's verdict, for a listener's `validator`. */
export interface Validation {
  readonly [VALIDATION]: true;
  readonly isValid: boolean;
  readonly message: string;
}

/**
 * `gr.validate(isValid, message)`: what a listener's `validator` returns for an input, one per
 * input in order (or one for all), as Gradio's `gr.validate`. An input whose verdict is not
 * valid stops the event before its listener runs (see `ListenerOptions.validator`), and
 * `message` says why.
 *
 * @example
 * ```ts
 * btn.click(greet, name, out, {
 *   validator: (n: string) => gr.validate(n.trim() !== "", "Enter a name"),
 * });
 * ```
 *
 * @throws TypeError when `isValid` is not a boolean or `message` not a string.
 */
export function validate(isValid: boolean, message: string): Validation {
  if (typeof isValid !== "boolean") throw new TypeError(`gr.validate(isValid, message): isValid must be true or false; got ${describeValue(isValid)}.`);
  if (typeof message !== "string") throw new TypeError(`gr.validate(isValid, message): message must be a string; got ${describeValue(message)}.`);
  return Object.freeze({ [VALIDATION]: true as const, isValid, message });
}

/** @internal */
export function isValidation(value: unknown): value is Validation {
  return typeof value === "object" && value !== null && (value as Validation)[VALIDATION] === true;
}

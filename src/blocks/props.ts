/**
 * Checking values and props of components and layout containers (S34, S74): the error that
 * carries a rejection's reason, and the small helpers every class's `_checkProps` and `_check`
 * use to word one. Imports only the core, so that the template classes of `block.ts` and
 * `components/` can share it.
 *
 * @packageDocumentation
 */
import { article, describeValue, isRecord, nearestName } from "../core/errors";

/** A block's props: as given to its constructor, or after an update (`gr.update`, S33). */
export type Props = Readonly<Record<string, unknown>>;

/** @internal Thrown by `_normalize` with the reason a value was rejected (S34). */
export class ValueRejection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ValueRejection";
  }
}

/**
 * @internal `check()`'s result, its {@link ValueRejection} turned into the TypeError a
 * constructor throws: `<block>: <reason>.`, or `<block>: <what>: <reason>` with `what`.
 *
 * @throws TypeError for a rejection; anything else `check` throws, as it is.
 */
export function rejectAsTypeError<T>(block: { describe(): string }, check: () => T, what?: string): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof ValueRejection)) throw e;
    throw new TypeError(what === undefined ? `${block.describe()}: ${e.message}.` : `${block.describe()}: ${what}: ${e.message}`);
  }
}

/**
 * @internal What a value is, for rejection messages: `null`, `an array`, `an object`, `a Map`
 * (class instances by their class), `a string`.
 */
export function typeName(v: unknown): string {
  if (v == null) return String(v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== "Object" ? article(name) : "an object";
  }
  return article(typeof v);
}

/**
 * @internal A value for rejection messages: strings quoted and cut like {@link describeValue}
 * (200 characters), numbers and booleans as they are, else its {@link typeName}.
 */
export function show(v: unknown): string {
  if (typeof v === "string") return describeValue(v);
  if (typeof v === "number" || typeof v === "boolean" || v == null) return String(v);
  return typeName(v);
}

/** @internal Throws a {@link ValueRejection}; helpers for `_check` implementations. */
export function reject(reason: string): never {
  throw new ValueRejection(reason);
}

/**
 * @internal For `_checkProps` implementations: refuses `props[name]`, when present (not
 * `undefined`), unless `ok` accepts it.
 *
 * @throws ValueRejection `<name> must be <expected>; got <value>` (the value cut as {@link show} does).
 */
export function checkProp(props: Props, name: string, expected: string, ok: (v: any) => boolean): void {
  const v = props[name];
  if (v !== undefined && !ok(v)) reject(`${name} must be ${expected}; got ${show(v)}`);
}

/** @internal Prop predicates for {@link checkProp}. */
export const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
/** @internal */
export const isText = (v: unknown): v is string => typeof v === "string";
/** @internal */
export const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** @internal An integer `>= 0` (a length, a count, decimal places). */
export const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
/** @internal A renderer's height: a number of pixels or a CSS length. */
export const isHeight = (v: unknown): boolean => isFiniteNumber(v) || isText(v);
/** @internal */
export const isTextList = (v: unknown): boolean => Array.isArray(v) && v.every(isText);
/** @internal `ok`, or `null`. */
export const orNull =
  (ok: (v: any) => boolean) =>
  (v: unknown): boolean =>
    v === null || ok(v);
/** @internal An id or `key`: a string, a number, or `null`. */
/** Gradio's `visible: bool | Literal["hidden"]` ("hidden": kept in the page, not shown, taking no space). */
export const isVisibility = (v: unknown): boolean => v === true || v === false || v === "hidden";

export const isKey = (v: unknown): boolean => v === null || isText(v) || (typeof v === "number" && Number.isFinite(v));

/**
 * @internal The props every block has (components and layout containers alike, S74):
 * `visible` a boolean or `"hidden"`, `elemId` a string or null, `elemClasses` a list of strings, `key` a
 * string, a finite number or null (`NaN` never equals itself, so no run could match it,
 * S111), `preservedByKey` a list of strings.
 *
 * @throws ValueRejection naming the prop and the value.
 */
export function checkBlockProps(props: Props): void {
  checkProp(props, "visible", 'true, false or "hidden"', isVisibility);
  checkProp(props, "elemId", "a string or null", orNull(isText));
  checkProp(props, "elemClasses", "a list of strings", isTextList);
  checkProp(props, "key", "a string, a finite number or null", isKey);
  checkProp(props, "preservedByKey", "a list of prop names", isTextList);
}

/**
 * @internal A constructor's props (`owner` names the block in messages): an object, whose
 * names are all in `known` (besides `value`), as Gradio refuses an unknown keyword argument and
 * `gr.update` an unknown prop (S74). Else a misspelt prop (`lable`) would be kept and do nothing.
 *
 * @throws TypeError for a non-object (`new gr.Textbox("hi")`), or naming the unknown prop and
 *   the nearest known one.
 */
export function checkPropsGiven(owner: string, props: unknown, known: readonly string[], example?: string): void {
  checkPropsObject(owner, props, example);
  for (const key of Object.keys(props)) {
    if (key === "value" || known.includes(key)) continue;
    const near = nearestName(key, known);
    throw new TypeError(`${owner}: unknown prop ${describeValue(key)} (${near === undefined ? "" : `did you mean "${near}"? `}its props are ${known.join(", ")}).`);
  }
}

/**
 * @internal A constructor's props are an object.
 *
 * @throws TypeError for a string, number, array or `null` in place of the props object (a
 *   JavaScript caller's `new gr.Textbox("hi")`, say), naming `owner`.
 */
export function checkPropsObject(owner: string, props: unknown, example = "{ value, label }"): asserts props is Record<string, unknown> {
  if (!isRecord(props)) throw new TypeError(`${owner}: expected its props as an object, such as ${example}, got ${describeValue(props)}.`);
}

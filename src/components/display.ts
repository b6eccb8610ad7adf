/**
 * Display components: Label (classification results) and JSON.
 *
 * @packageDocumentation
 */
import type { ValueOrFactory, EventListener } from "../blocks/block";
import { isPlainPrototype } from "../core/equality";
import { checkJsonValue } from "./json-check";
import { Component, propNames, type BaseProps, type ComponentProps, type Props } from "./component";
import { checkProp, isBoolean, isCount, isHeight, orNull, reject, show, typeName } from "../blocks/props";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && isPlainPrototype(Object.getPrototypeOf(v));
}

//#region Label

/** One class of a {@link Label}: its name and confidence. */
export interface LabelConfidence {
  label: string;
  confidence: number;
}

/** A {@link Label}'s stored value: the top label and, optionally, confidences sorted descending. */
export interface LabelValue {
  label: string;
  confidences?: LabelConfidence[];
}

/**
 * What a {@link Label} accepts: a label (`"cat"`, `3`), a `{ class: confidence }` record, the
 * stored shape, or `null`.
 */
export type LabelInput = LabelValue | { confidences: LabelConfidence[]; label?: string } | Record<string, number> | string | number | null;

/** Props of {@link Label}. */
export interface LabelProps extends BaseProps {
  /** The initial value in any accepted form (normalised at construction), or a factory. */
  value?: ValueOrFactory<LabelInput>;
  /** Keep only the this many most confident classes. Default: all. */
  numTopClasses?: number | null;
  /** Whether renderers show the label above the component. */
  showLabel?: boolean;
}

/**
 * `gr.Label`: a classification result, `{ label, confidences? }`, or `null` (the default).
 *
 * Accepted and normalised (S34):
 * - a string or number: `{ label: String(x) }`;
 * - a record of confidences, `{ cat: 0.7, dog: 0.3 }`: `label` is the most confident class and
 *   `confidences` lists all, sorted descending;
 * - `{ label, confidences? }` (or `{ confidences }`, labelled with the top class): confidences
 *   are sorted descending; a value already in that form is stored as is.
 *
 * With `numTopClasses`, only that many confidences are kept. Rejected: other types, records
 * whose values are not finite numbers, an empty record, malformed confidences (named by index)
 * and unknown keys next to `label`/`confidences`.
 */
export class Label extends Component<LabelValue | null> {
  readonly type: string = "label";
  static override readonly events: readonly string[] = ["change", "select"];
  static override readonly propNames = propNames<LabelProps>({ numTopClasses: true, showLabel: true });
  /** Fires when the value changes. */
  declare readonly change: EventListener;
  /** Fires when the user selects a class (event data: `{ index, value }`). */
  declare readonly select: EventListener;

  constructor(props: LabelProps = {}) {
    super();
    // The wider input forms are normalised by `_check`, so the stored default is a LabelValue.
    this._init(props as ComponentProps<LabelValue | null>, { numTopClasses: null });
  }
  /** @internal {@link Component._checkProps}, and `numTopClasses` an integer `>= 0` or `null`, `showLabel` a boolean. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "numTopClasses", "a whole number (0 or more) or null", orNull(isCount));
    checkProp(props, "showLabel", "true or false", isBoolean);
  }
  /** @internal */
  _emptyValue(): null {
    return null;
  }
  /** @internal */
  _check(value: unknown, props: Props): LabelValue | null {
    if (typeof value === "string") return { label: value };
    if (typeof value === "number") return { label: String(value) };
    if (!isPlainObject(value)) return reject(`a Label takes a label, a { class: confidence } record or { label, confidences }, got ${typeName(value)}`);
    const top = props.numTopClasses;
    const limit = typeof top === "number" && top >= 0 ? top : Infinity;
    if (typeof value.label === "string" || Array.isArray(value.confidences)) return labelShape(value, limit);
    return labelFromRecord(value, limit);
  }
}

function labelFromRecord(record: Record<string, unknown>, limit: number): LabelValue {
  const entries = Object.entries(record);
  if (entries.length === 0) reject("an empty confidences record has no label");
  const confidences: LabelConfidence[] = entries.map(([label, confidence]) => {
    if (typeof confidence !== "number" || !Number.isFinite(confidence)) {
      reject(`the confidence of ${show(label)} is ${typeName(confidence)}; expected a finite number`);
    }
    return { label, confidence };
  });
  confidences.sort(byConfidence);
  return { label: confidences[0].label, confidences: confidences.slice(0, limit) };
}

function labelShape(value: Record<string, unknown>, limit: number): LabelValue {
  for (const key of Object.keys(value)) {
    if (key !== "label" && key !== "confidences") reject(`unexpected key ${show(key)} next to label/confidences`);
  }
  const { label, confidences } = value;
  if (label !== undefined && typeof label !== "string") reject(`label is ${typeName(label)}; expected a string`);
  if (confidences === undefined) return value as unknown as LabelValue;
  if (!Array.isArray(confidences)) return reject(`confidences is ${typeName(confidences)}; expected an array`);
  let sorted = true;
  confidences.forEach((c: unknown, i) => {
    if (!isPlainObject(c) || typeof c.label !== "string") reject(`confidences [${i}] has no string label`);
    const n = (c as Record<string, unknown>).confidence;
    if (typeof n !== "number" || !Number.isFinite(n)) reject(`confidences [${i}] has confidence ${typeName(n)}; expected a finite number`);
    if (i > 0 && confidences[i - 1].confidence < n) sorted = false;
  });
  const list = confidences as LabelConfidence[];
  if (sorted && list.length <= limit && typeof label === "string") return value as unknown as LabelValue;
  const ordered = sorted ? list : [...list].sort(byConfidence);
  const top = typeof label === "string" ? label : ordered[0]?.label;
  if (top === undefined) return reject("{ confidences: [] } without a label has no label");
  return { label: top, confidences: ordered.slice(0, limit) };
}

/** Descending; `sort` is stable, so ties keep their given order. */
function byConfidence(a: LabelConfidence, b: LabelConfidence): number {
  return b.confidence - a.confidence;
}

//#endregion
//#region JSON

/** Props of {@link JSONView}. */
export interface JSONProps<T = any> extends ComponentProps<T> {
  /** Whether renderers show the value expanded. */
  open?: boolean;
  /** Whether renderers show array indices. */
  showIndices?: boolean;
  /** Height for renderers: pixels, or a CSS length; `null`: the renderer's own (Gradio's `height=None`, its default). */
  height?: number | string | null;
}

/**
 * `gr.JSON` (exported as `JSONView`, which does not shadow the global `JSON`): any
 * JSON-serialisable value (default `null`). `undefined` becomes `null`. The value is stored as
 * is, not copied or re-serialised.
 *
 * Rejected (S34), with the path of the offending part (`value.items[2].fn is a function`):
 * functions, symbols, bigints, cycles, and objects JSON would silently store as something else,
 * by the rule BrowserState values follow (`lossyObject` in `blockstate/storage`'s source):
 * `Map`s and `Set`s, typed arrays, `ArrayBuffer`s, `RegExp`s, `Error`s, and other objects that
 * are not plain and have no own enumerable property. Instances of classes with fields are
 * accepted (JSON keeps the fields). Shared (non-cyclic) references are fine. An object's
 * `toJSON()` result is what is checked, as `JSON.stringify` would use it (so `Date`s are fine). `undefined` inside objects
 * and arrays is accepted, as `JSON.stringify` drops it (or writes `null` in arrays).
 * Values nesting more than `MAX_VALUE_DEPTH` (1,000) levels are rejected too.
 */
export class JSONView<T = any> extends Component<T> {
  readonly type: string = "json";
  /** Messages say `JSON "Config"`, Gradio's name. */
  static override readonly displayName = "JSON";
  static override readonly propNames = propNames<JSONProps>({ open: true, showIndices: true, height: true });
  static override readonly events: readonly string[] = ["change"];
  /** Fires when the value changes. */
  declare readonly change: EventListener;

  constructor(props: JSONProps<T> = {}) {
    super();
    this._init(props);
  }
  /**
   * @internal The app's string (a listener's result, the initial value, a factory's result) is
   * JSON text, parsed (Gradio's `postprocess`); a user's or an API client's string is a string
   * value (Gradio's `preprocess` passes it on).
   */
  override _normalizeOutput(value: unknown, props: Props): T {
    return this._normalize(typeof value === "string" ? parseJsonText(value) : value, props);
  }
  /** @internal A string value written by a listener as the JSON text of that string. */
  override _asOutput(value: T): unknown {
    return typeof value === "string" ? JSON.stringify(value) : value;
  }
  /** @internal {@link Component._checkProps}, and `open` and `showIndices` booleans, `height` a number, a CSS length or `null` (as Gradio's `height: int | str | None`). */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "open", "true or false", isBoolean);
    checkProp(props, "showIndices", "true or false", isBoolean);
    checkProp(props, "height", "a number, a CSS length or null", orNull(isHeight));
  }
  /** @internal */
  _emptyValue(): T {
    return null as T;
  }
  /** @internal */
  _check(value: unknown): T {
    checkJsonValue(value, "value");
    return value as T;
  }
}

/**
 * JSON text parsed, as Gradio's JSON component reads a string it is given to show.
 *
 * @throws ValueRejection `not valid JSON text (...)` with the parser's reason.
 */
function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    reject(`a string for a JSON component is JSON text to parse, and this is not valid JSON (${(e as Error).message})`);
  }
}

//#endregion

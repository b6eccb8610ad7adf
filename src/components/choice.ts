/**
 * Choice components: Checkbox, CheckboxGroup, Radio, Dropdown.
 *
 * Choices are given as values (`"Milk"`, `3`) or `[label, value]` pairs, as in Gradio; the
 * *value* is what the component stores and what handlers receive. Values are checked against the
 * choices in the props passed to `_check`, i.e. the session's current props, so
 * `update({ choices })` changes what later writes may hold in that session (S34).
 *
 * @packageDocumentation
 */
import { describeValue, isRecord } from "../core/errors";
import type { EventListener } from "../blocks/block";
import { Component, propNames, type BaseProps, type ComponentProps, type Props } from "./component";
import { checkProp, isBoolean, isCount, orNull, reject, show, typeName } from "../blocks/props";

/** What a choice component stores per choice: a string or a number. */
export type ChoiceValue = string | number;

/** A choice as given in `choices`: a value shown as itself, or a `[label, value]` pair. */
export type Choice<V extends ChoiceValue = ChoiceValue> = V | readonly [string, V];

/** Props shared by the components that have `choices`. */
export interface ChoiceProps<V extends ChoiceValue> extends BaseProps {
  /** The selectable choices (default none). Updatable per session with `update({ choices })`. */
  choices?: readonly Choice<V>[];
}

/** How many choices an error message lists before cutting the list short. */
const LISTED_CHOICES = 10;

/** @internal The stored values of `choices`; tolerant of a malformed prop so `_check` never crashes. */
function choiceValues(choices: unknown): ChoiceValue[] {
  if (!Array.isArray(choices)) return [];
  return choices.map((c) => (Array.isArray(c) ? c[1] : c) as ChoiceValue);
}

/**
 * The prop check of `choices` (see `Component._checkProps`): an array of values or `[label,
 * value]` pairs, when present.
 *
 * @throws ValueRejection `choices must be an array; got a string`, or naming the bad item.
 */
function checkChoices(props: Props): void {
  const choices = props.choices;
  if (choices === undefined) return;
  if (!Array.isArray(choices)) reject(`choices must be an array; got ${typeName(choices)}`);
  choices.forEach((c, i) => {
    const ok = Array.isArray(c)
      ? c.length === 2 && typeof c[0] === "string" && isChoiceValue(c[1])
      : isChoiceValue(c);
    if (!ok) reject(`choices[${i}] must be a string, a number or a [label, value] pair; got ${show(c)}`);
  });
}

function isChoiceValue(v: unknown): v is ChoiceValue {
  return typeof v === "string" || typeof v === "number";
}

/**
 * `value` must be a string or number among `values`, unless `custom`. `index` names the item of
 * a list value in messages.
 */
function checkChoice(value: unknown, values: readonly ChoiceValue[], custom: boolean, index?: number): void {
  const item = index === undefined ? "" : `value [${index}] `;
  if (!isChoiceValue(value)) reject(`${item || "the value "}is ${typeName(value)}; choices are strings or numbers`);
  // Strict comparison: "3" is not the choice 3 (Gradio's `in` on a list is strict too).
  if (!custom && !values.includes(value)) reject(`${item}${show(value)} is not one of the choices: ${listChoices(values)}`);
}

/**
 * Checks every item of a list value with {@link checkChoice}, and that no choice is selected
 * twice: Gradio's frontend cannot send a duplicate, and accepting them would let one request
 * store a list of any length (130,000 copies of one choice in 1 MB).
 */
function checkChoiceList(list: readonly unknown[], values: readonly ChoiceValue[], custom: boolean): void {
  const seen = new Map<unknown, number>();
  // An index loop, not forEach, which skips holes: a hole reads as undefined, and is refused.
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    checkChoice(v, values, custom, i);
    const first = seen.get(v);
    if (first !== undefined) reject(`value [${i}] ${show(v)} is selected twice (also value [${first}]); each choice can be selected once`);
    seen.set(v, i);
  }
}

function listChoices(values: readonly ChoiceValue[]): string {
  if (values.length === 0) return "(none)";
  const shown = values.slice(0, LISTED_CHOICES).map(show).join(", ");
  return values.length > LISTED_CHOICES ? `${shown}, ... (${values.length} in all)` : shown;
}

/**
 * Splits the `(choices, props)` / `(props)` constructor forms (Gradio's positional `choices`), and
 * copies the choices, so later changes to the caller's array do not alter the template. (`_init`
 * checks them, see {@link checkChoices}.)
 *
 * @throws TypeError naming `owner` for a first argument that is neither the choices nor the props.
 */
function choiceArgs<P extends ChoiceProps<any>>(owner: string, a: readonly unknown[] | P | undefined, b: Omit<P, "choices"> | undefined): P {
  if (a !== undefined && !Array.isArray(a) && !isRecord(a)) {
    throw new TypeError(`${owner}: expected its choices (an array) or its props (an object), got ${describeValue(a)}.`);
  }
  const props = (Array.isArray(a) ? { ...b, choices: a } : { ...(a as P | undefined) }) as P;
  if (Array.isArray(props.choices)) (props as { choices?: readonly unknown[] }).choices = [...props.choices];
  return props;
}

//#region Checkbox

/** Props of {@link Checkbox}. */
export type CheckboxProps = ComponentProps<boolean>;

/**
 * `gr.Checkbox`: a boolean (default `false`). `null` becomes `false`; anything that is not a
 * boolean is rejected (S34): `"true"` or `1` are not coerced, so a wrong output type surfaces.
 */
export class Checkbox extends Component<boolean> {
  readonly type: string = "checkbox";
  static override readonly events: readonly string[] = ["change", "input", "select"];
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires when the user toggles it. */
  declare readonly input: EventListener;
  /** Fires when the user selects or deselects it (event data: `{ value, selected }`). */
  declare readonly select: EventListener;

  constructor(props: CheckboxProps = {}) {
    super();
    this._init(props);
  }
  /** @internal */
  _emptyValue(): boolean {
    return false;
  }
  /** @internal */
  _check(value: unknown): boolean {
    if (typeof value !== "boolean") reject(`a Checkbox holds true or false, got ${show(value)}`);
    return value;
  }
}

//#endregion
//#region CheckboxGroup

/** Props of {@link CheckboxGroup}. */
export interface CheckboxGroupProps<V extends ChoiceValue = string> extends ComponentProps<V[]>, ChoiceProps<V> {}

/**
 * `gr.CheckboxGroup`: the list of checked choice values (default `[]`).
 *
 * ```ts
 * new gr.CheckboxGroup({ choices: ["Cereal", "Milk"], label: "Items" });
 * new gr.CheckboxGroup(["Cereal", "Milk"], { label: "Items" });       // Gradio's positional form
 * new gr.CheckboxGroup<number>({ choices: [["One", 1], ["Two", 2]] });  // stores 1 and 2
 * ```
 *
 * `V` is the value type; it is not inferred from `choices` (they may change per session), so
 * give `<number>` for numeric values. `null` becomes `[]`. Rejected (S34): a non-array, any
 * item that is not among the session's current choices (named by index), and a choice listed
 * twice (Gradio's frontend cannot send that). A valid array is stored as is, not copied.
 *
 * @throws TypeError at construction for an invalid prop (malformed `choices`, say; see
 *   `_checkProps`) or initial value.
 */
export class CheckboxGroup<V extends ChoiceValue = string> extends Component<V[]> {
  readonly type: string = "checkboxgroup";
  static override readonly events: readonly string[] = ["change", "input", "select"];
  static override readonly propNames = propNames<CheckboxGroupProps>({ choices: true });
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires when the user checks or unchecks a choice. */
  declare readonly input: EventListener;
  /** Fires when the user selects a choice (event data: `{ index, value, selected }`). */
  declare readonly select: EventListener;

  constructor(props?: CheckboxGroupProps<NoInfer<V>>);
  constructor(choices: readonly Choice<NoInfer<V>>[], props?: Omit<CheckboxGroupProps<NoInfer<V>>, "choices">);
  constructor(a?: readonly Choice<V>[] | CheckboxGroupProps<V>, b?: Omit<CheckboxGroupProps<V>, "choices">) {
    super();
    const props = choiceArgs("CheckboxGroup", a, b);
    this._init(props, { choices: [] });
  }
  /** @internal {@link Component._checkProps}, and `choices` (values or `[label, value]` pairs). */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkChoices(props);
  }
  /** @internal */
  _emptyValue(): V[] {
    return [];
  }
  /** @internal */
  _check(value: unknown, props: Props): V[] {
    if (!Array.isArray(value)) reject(`a CheckboxGroup holds a list of choices, got ${show(value)}`);
    checkChoiceList(value, choiceValues(props.choices), false);
    return value as V[];
  }
}

//#endregion
//#region Radio

/** Props of {@link Radio}. */
export interface RadioProps<V extends ChoiceValue = string> extends ComponentProps<V | null>, ChoiceProps<V> {}

/**
 * `gr.Radio`: one choice value, or `null` when nothing is selected (the default).
 * Constructor forms as {@link CheckboxGroup}: `(props)` or `(choices, props)`.
 *
 * Rejected (S34): anything but a string or number, and values not among the session's current
 * choices.
 *
 * @throws TypeError at construction for an invalid prop (malformed `choices`, say; see
 *   `_checkProps`) or initial value.
 */
export class Radio<V extends ChoiceValue = string> extends Component<V | null> {
  readonly type: string = "radio";
  static override readonly events: readonly string[] = ["change", "input", "select"];
  static override readonly propNames = propNames<RadioProps>({ choices: true });
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires when the user picks a choice. */
  declare readonly input: EventListener;
  /** Fires when the user selects a choice (event data: `{ index, value }`). */
  declare readonly select: EventListener;

  constructor(props?: RadioProps<NoInfer<V>>);
  constructor(choices: readonly Choice<NoInfer<V>>[], props?: Omit<RadioProps<NoInfer<V>>, "choices">);
  constructor(a?: readonly Choice<V>[] | RadioProps<V>, b?: Omit<RadioProps<V>, "choices">) {
    super();
    const props = choiceArgs("Radio", a, b);
    this._init(props, { choices: [] });
  }
  /** @internal {@link Component._checkProps}, and `choices` (values or `[label, value]` pairs). */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkChoices(props);
  }
  /** @internal */
  _emptyValue(): null {
    return null;
  }
  /** @internal */
  _check(value: unknown, props: Props): V | null {
    checkChoice(value, choiceValues(props.choices), false);
    return value as V;
  }
}

//#endregion
//#region Dropdown

/** A Dropdown's value type: a list with `multiselect: true`, else one value or `null`. */
export type DropdownValue<V extends ChoiceValue, M extends boolean> = M extends true ? V[] : V | null;

/** Props of {@link Dropdown}. */
export type DropdownProps<V extends ChoiceValue = string, M extends boolean = false> = DropdownOptions<V, M> & ChoiceProps<V> & MultiselectGiven<M>;

/**
 * A Dropdown whose value type is a list (`M` given as `true`) must say `multiselect: true`:
 * without it the value is one choice, whatever the type says.
 */
export type MultiselectGiven<M extends boolean> = true extends M ? { multiselect: M } : unknown;

/** {@link DropdownProps} but `choices` (the positional form's second argument). */
export interface DropdownOptions<V extends ChoiceValue = string, M extends boolean = false> extends ComponentProps<DropdownValue<V, M>> {
  /** Whether several choices can be selected; the value is then a list. Default `false`. */
  multiselect?: M;
  /** Whether values outside `choices` are accepted (still strings or numbers). Default `false`. */
  allowCustomValue?: boolean;
  /** With `multiselect`, the most choices that may be selected. Default: no limit. */
  maxChoices?: number | null;
  /** Whether the user can type to filter the choices (metadata for renderers). */
  filterable?: boolean;
}

/**
 * `gr.Dropdown`: one choice value (or `null`), or with `multiselect: true` a list of them.
 * Constructor forms as {@link CheckboxGroup}: `(props)` or `(choices, props)`.
 *
 * Default value, as in Gradio: the first choice, or `[]` with `multiselect`; pass
 * `value: null` for no initial selection. `null` becomes `null` (`[]` with `multiselect`).
 * Rejected (S34): values not among the session's current choices unless `allowCustomValue`,
 * anything but strings and numbers, an array without `multiselect`, a non-array with
 * `multiselect` (named by index), a choice listed twice (custom values included), and more than
 * `maxChoices` selections. A valid array is stored as is, not copied.
 *
 * @throws TypeError at construction for an invalid prop (malformed `choices`, say; see
 *   `_checkProps`) or initial value.
 */
export class Dropdown<V extends ChoiceValue = string, M extends boolean = false> extends Component<DropdownValue<V, M>> {
  readonly type: string = "dropdown";
  static override readonly events: readonly string[] = ["change", "input", "select", "focus", "blur"];
  static override readonly propNames = propNames<DropdownProps>({ choices: true, multiselect: true, allowCustomValue: true, maxChoices: true, filterable: true });
  /** Fires when the value changes, by the user or by a listener's output. */
  declare readonly change: EventListener;
  /** Fires when the user picks or removes a choice. */
  declare readonly input: EventListener;
  /** Fires when the user selects a choice (event data: `{ index, value, selected }`). */
  declare readonly select: EventListener;
  /** Fires when the dropdown gains focus. */
  declare readonly focus: EventListener;
  /** Fires when the dropdown loses focus. */
  declare readonly blur: EventListener;

  constructor(props?: DropdownProps<NoInfer<V>, M>);
  constructor(choices: readonly Choice<NoInfer<V>>[], props?: DropdownOptions<NoInfer<V>, M> & MultiselectGiven<M>);
  constructor(a?: readonly Choice<V>[] | DropdownProps<V, M>, b?: DropdownOptions<V, M>) {
    super();
    const props = choiceArgs("Dropdown", a, b as Omit<DropdownProps<V, M>, "choices"> | undefined);
    this._init(props, { choices: [], multiselect: false, allowCustomValue: false, maxChoices: null });
    // Gradio's DEFAULT_VALUE: an omitted value selects the first choice. Set after `_init` (not
    // passed as `value`) so the instance, read as an update (S33), still carries no value.
    if (props.value === undefined && this._props.multiselect !== true) {
      const first = choiceValues(this._props.choices)[0];
      if (first !== undefined) this._default = first;
    }
  }
  /**
   * @internal {@link Component._checkProps}, and `choices` (values or `[label, value]` pairs),
   * `multiselect`, `allowCustomValue` and `filterable` booleans, `maxChoices` an integer `>= 0`
   * or `null`.
   */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkChoices(props);
    for (const name of ["multiselect", "allowCustomValue", "filterable"]) checkProp(props, name, "true or false", isBoolean);
    checkProp(props, "maxChoices", "a whole number (0 or more) or null", orNull(isCount));
  }
  /** @internal */
  _emptyValue(props: Props): DropdownValue<V, M> {
    return (props.multiselect === true ? [] : null) as DropdownValue<V, M>;
  }
  /** @internal */
  _check(value: unknown, props: Props): DropdownValue<V, M> {
    const multi = props.multiselect === true;
    const values = choiceValues(props.choices);
    const custom = props.allowCustomValue === true;
    if (!multi) {
      if (Array.isArray(value)) reject("a Dropdown without multiselect holds one choice, got an array");
      checkChoice(value, values, custom);
      return value as DropdownValue<V, M>;
    }
    if (!Array.isArray(value)) reject(`a multiselect Dropdown holds a list of choices, got ${show(value)}`);
    const max = props.maxChoices;
    if (typeof max === "number" && value.length > max) reject(`${value.length} choices selected; maxChoices is ${max}`);
    checkChoiceList(value, values, custom);
    return value as DropdownValue<V, M>;
  }
}

//#endregion

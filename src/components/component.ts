/**
 * The component base class: a visible cell with a value and props (S1), value validation and
 * normalisation (S34), and the "instance as update" reading of S33.
 *
 * @packageDocumentation
 */
import { Cell, type EventListener, type ValueOrFactory, currentBuild } from "../blocks/block";
import { checkBlockProps, checkPropsGiven, checkPropsObject, rejectAsTypeError, type Props, checkProp, isBoolean, isFiniteNumber, isText, orNull } from "../blocks/props";
import { deepCopy } from "../core/copy";
import { MAX_SECONDS, MIN_INTERVAL_SECONDS, currentRun, describeValue, isRecord } from "../core/errors";

/** Props every component accepts (docs/02). */
export interface BaseProps {
  /** Shown next to the component, and in messages (`Number "Cart Size"`). */
  label?: string;
  /**
   * `false` hides it; `"hidden"` (Gradio 5.46+) hides it visually but keeps it in the page.
   * Per session through `gr.update({ visible })` (S33). Default `true`: shown.
   */
  visible?: boolean | "hidden";
  /** Whether the user may edit it. A renderer hint: the engine does not refuse edits. */
  interactive?: boolean;
  /** An HTML id for renderers (Gradio's `elem_id`). */
  elemId?: string;
  /** HTML classes for renderers (Gradio's `elem_classes`). */
  elemClasses?: string[];
  /**
   * Gradio's `key`: identifies the component across runs of its `gr.render` (S111), where a
   * component with the key of one in the previous run keeps that one's value if the user or a
   * listener changed it. Carried in `config()`.
   */
  key?: string | number;
  /**
   * The props a keyed component keeps across runs of its `gr.render` when they were changed
   * since rendered (S111). Default `["value"]`; `[]` keeps nothing.
   */
  preservedByKey?: string[];
  /** Help text shown under the label. */
  info?: string;
  /**
   * Its width relative to its siblings' in a Row (Gradio's `scale`, every component has it);
   * `null`: the renderer's default. Metadata for renderers.
   */
  scale?: number | null;
  /** Its least width in pixels (Gradio's `min_width`). Metadata for renderers. */
  minWidth?: number;
}

/**
 * `BaseProps`' names, as a record so the compiler checks the list is complete: what
 * `gr.update` may set on every component (S74).
 */
const BASE_PROP_NAMES: Record<keyof BaseProps, true> = {
  label: true,
  visible: true,
  interactive: true,
  elemId: true,
  elemClasses: true,
  key: true,
  preservedByKey: true,
  info: true,
  scale: true,
  minWidth: true,
};

/**
 * Declares a component class's known props (its `static propNames`): `BaseProps` and the
 * names of `own`, which must list every prop `P` adds (and nothing else): the compiler checks
 * it against the props interface, so the list cannot drift from it. `gr.update` may set these
 * props and no others (S74).
 *
 * @example
 * ```ts
 * static override readonly propNames = propNames<TextboxProps>({ lines: true, maxLines: true, ... });
 * ```
 */
export function propNames<P extends BaseProps = BaseProps>(own: Record<Exclude<keyof P, keyof BaseProps | "value" | "inputs" | "every">, true> = {} as never): readonly string[] {
  return Object.freeze([...Object.keys(BASE_PROP_NAMES), ...Object.keys(own)]);
}

export type { Props } from "../blocks/props";

/** Constructor props of a component with value type `T`. */
export interface ComponentProps<T> extends BaseProps {
  /**
   * The initial value, or a function called for each session to produce it (Gradio: callable
   * value); with `inputs`, a function of their values (see {@link ComponentProps.inputs}).
   */
  value?: ValueOrFactory<T> | ((...values: any[]) => T | Promise<T>);
  /**
   * With a function `value` (Gradio's `inputs`): the cells whose values it is called with. The
   * component starts empty, and the function (sync or async) runs as a listener when a session
   * starts (a load listener, S11) and whenever one of them changes (a `.change` trigger), its
   * result written to the component.
   */
  inputs?: Cell<any> | readonly Cell<any>[];
  /**
   * With a function `value` (Gradio's `every`): a listener runs it when a session starts and
   * again every `every` seconds (a number makes a `gr.Timer`, placed at the end of the app's
   * layout) or on each tick of the Timer given (S80).
   */
  every?: number | (Cell<number> & { readonly tick: EventListener });
}

/**
 * @internal A value computed by a listener (Gradio's callable `value` with `inputs` or `every`),
 * which the Blocks registers when its build ends.
 */
export interface BoundValue {
  readonly fn: (...values: any[]) => unknown;
  readonly inputs: readonly Cell<unknown>[];
  readonly every: number | (Cell<number> & { readonly tick: EventListener }) | undefined;
}

/**
 * Base of every component. Subclasses give `type`, `events`, their empty value and
 * `_check` (validation and normalisation, S34); `null` never reaches `_check`, it clears the
 * component to its empty value.
 *
 * Template props are frozen; per-session props live in the session (S1).
 */
export abstract class Component<T = unknown> extends Cell<T> {
  readonly kind = "component" as const;
  /** The props `gr.update` may set on this class (S74); see {@link propNames}. */
  static readonly propNames: readonly string[] = propNames();
  /** @internal Template props (without `value`), frozen. */
  _props: Props = EMPTY_PROPS;
  /** @internal What the constructor was given, for reading an instance as an update (S33). */
  _given: { props: Props; hasValue: boolean; value: unknown } = { props: EMPTY_PROPS, hasValue: false, value: undefined };
  /** @internal Whether `_default` is a given value not yet checked (an instance made in a handler). */
  private _unchecked = false;
  /** @internal Gradio's callable `value` with `inputs` or `every`: the listener the Blocks registers for it. */
  _bound: BoundValue | undefined = undefined;
  /** @internal Whether `_props` are not yet checked as a whole (an instance made in a handler). */
  private _propsUnchecked = false;

  /**
   * @internal Subclass constructors call this after `super()`: checks and stores props, checks the
   * initial value against them and registers with the Blocks being built (if any).
   *
   * An instance made while a handler runs is an update (S33): its value is checked against
   * the *target's* props when it is applied, and its own props may lack what the value needs
   * (`return new gr.CheckboxGroup({ value: ["Milk"] })` names no choices). So only the props it
   * was given are checked now (`new gr.Slider({ minimum: 150 })` is not compared with the
   * default `maximum` 100); the target's props merged with them are checked when the update is
   * applied. The rest of its checks wait until it is rendered into a build, if it ever is. (On
   * platforms without AsyncLocalStorage, code after a handler's first `await` is not known to
   * be in a handler.)
   *
   * @throws TypeError when a prop (see {@link Component._checkProps}) or the initial value is
   *   invalid for the component (S34).
   */
  protected _init(given: ComponentProps<T>, defaults: Record<string, unknown> = {}): void {
    const props = this._takeBound(given);
    checkPropsGiven(this.describe(), props, (this.constructor as typeof Component).propNames);
    const { value, ...rest } = props as ComponentProps<T> & Record<string, unknown>;
    for (const key of Object.keys(rest)) if (rest[key] === undefined) delete rest[key];
    const hasValue = "value" in props && value !== undefined;
    this._given = { props: Object.freeze({ ...rest }), hasValue, value };
    this._props = Object.freeze({ ...defaults, ...rest });
    const inHandler = !currentBuild() && currentRun.get() !== undefined;
    this._checkPropsOrThrow(inHandler ? this._given.props : this._props);
    this._propsUnchecked = inHandler;
    // A value computed by a listener (inputs, every) starts empty: the session's load computes it.
    if (typeof value === "function" && !this._bound) {
      this._default = value;
      this._isFactory = true;
    } else if (!hasValue || this._bound) {
      this._default = this._emptyValue(this._props);
    } else {
      this._default = value;
      this._unchecked = true;
    }
    if (!inHandler) this._checkTemplate();
    this._autoRegister();
  }

  /**
   * @internal Takes `inputs` and `every` out of the props (they are no props: nothing updates
   * them), keeping them in {@link Component._bound} for the Blocks.
   *
   * @throws TypeError when they come without a function `value`, outside a Blocks build (in a
   *   handler, or in a `gr.render` function), or are not cells and a number or a Timer.
   */
  private _takeBound(given: ComponentProps<T>): ComponentProps<T> {
    if (given === null || typeof given !== "object" || (!("inputs" in given) && !("every" in given))) return given;
    const { inputs, every, ...props } = given;
    if (inputs === undefined && every === undefined) return props;
    // Named as describe() will name it once its props are stored.
    const ctor = this.constructor as typeof Component;
    const where = `${ctor.displayName ?? ctor.name}${typeof props.label === "string" && props.label ? ` "${props.label}"` : ""}`;
    if (typeof props.value !== "function") throw new TypeError(`${where}: inputs and every need a function value to compute (Gradio's callable value); got ${describeValue(props.value)}.`);
    const frame = currentBuild();
    if (!frame || frame.scope) throw new TypeError(`${where}: a value computed from inputs or every is registered with a Blocks: make the component in a Blocks' build, not ${frame ? "in a gr.render function" : "in a handler or outside a build"}.`);
    const cells = inputs === undefined ? [] : Array.isArray(inputs) ? [...(inputs as readonly unknown[])] : [inputs];
    cells.forEach((cell, i) => {
      if (!(cell instanceof Cell)) throw new TypeError(`${where}: inputs[${i}] must be a component or a State; got ${describeValue(cell)}.`);
    });
    // A number makes a Timer when the build ends: its range is checked here, to name this component.
    const seconds = typeof every === "number" && every >= MIN_INTERVAL_SECONDS && every <= MAX_SECONDS;
    const timer = every === undefined || seconds || (every instanceof Cell && every._events.includes("tick"));
    if (!timer) throw new TypeError(`${where}: every must be a number of seconds from 0.001 to 1e12 or a gr.Timer; got ${describeValue(every)}.`);
    this._bound = { fn: props.value as BoundValue["fn"], inputs: cells as Cell<unknown>[], every };
    return props;
  }

  /**
   * @internal For constructors that read their props before `_init` (which also calls it).
   *
   * @throws TypeError `<Component>: expected its props as an object, …, got <value>` for a
   *   string, number, array or `null` in place of the props object (a JavaScript caller's
   *   `new gr.Textbox("hi")`, say).
   */
  protected _checkPropsObject(props: unknown): void {
    checkPropsObject(this.describe(), props);
  }

  /**
   * @internal Checks prop values (S34, S74): the one rule for a constructor's props (merged with
   * the class's defaults) and for a session's props after an update (the current ones merged
   * with the update's, checked before anything is stored). Each prop is checked only when
   * present (not `undefined`), and a rule relating two props (a Slider's `minimum <= maximum`)
   * only when both are, so an instance made in a handler can be checked on what it was given.
   * Names are checked elsewhere (`propNames`, S74). Subclasses add their own props' rules and
   * call `super._checkProps(props)`.
   *
   * This one checks {@link BaseProps}: `label`, `elemId` and `info` strings (or `null`),
   * `visible` a boolean or `"hidden"`, `interactive` a boolean (or `null`), `elemClasses` and
   * `preservedByKey` lists of strings, `key` a string or number (or `null`).
   *
   * @throws ValueRejection whose message names the prop and the value: `visible must be true,
   *   false or "hidden"; got "false"`.
   */
  _checkProps(props: Props): void {
    checkBlockProps(props);
    checkProp(props, "label", "a string or null", orNull(isText));
    checkProp(props, "interactive", "true, false or null", orNull(isBoolean));
    checkProp(props, "info", "a string or null", orNull(isText));
    checkProp(props, "scale", "a number or null", orNull(isFiniteNumber));
    checkProp(props, "minWidth", "a number of pixels", isFiniteNumber);
  }

  /**
   * @internal Adds props to the template while its Blocks is still being built (a ChatInterface
   * giving its examples to the Chatbot it was given, as Gradio's sets them), checked with the
   * value, as the constructor checks them.
   *
   * @throws TypeError for a prop or value the merged props refuse; Error once the Blocks is frozen.
   */
  _extendProps(extra: Props): void {
    if (this._blocks?.frozen) throw new Error(`${this.describe()}: its props are fixed once its Blocks is built.`);
    const props = Object.freeze({ ...this._props, ...extra });
    this._checkPropsOrThrow(props);
    if (!this._isFactory) rejectAsTypeError(this, () => this._normalize(this._default, props), "invalid initial value");
    this._props = props;
    this._given = { ...this._given, props: Object.freeze({ ...this._given.props, ...extra }) };
  }

  /** @internal {@link Component._checkProps}, its rejection as a TypeError `<Component>: <reason>.`. */
  private _checkPropsOrThrow(props: Props): void {
    rejectAsTypeError(this, () => this._checkProps(props));
  }

  /**
   * @internal Checks what `_init` left unchecked (see there) once the component joins a build:
   * its props, then a given initial value, of which it keeps a deep copy as the template (S1,
   * S2): the caller's object stays the caller's.
   */
  private _checkTemplate(): void {
    if (this._propsUnchecked) {
      this._checkPropsOrThrow(this._props);
      this._propsUnchecked = false;
    }
    if (!this._unchecked) return;
    this._default = deepCopy(this._normalizeOrThrow(this._default, "invalid initial value"));
    this._unchecked = false;
  }

  /** @internal */
  private _normalizeOrThrow(value: unknown, what: string): T {
    // The app's value (an initial value, a factory's result) is read as a listener's is.
    return rejectAsTypeError(this, () => this._normalizeAsOutput(value, this._props), what);
  }

  /** @internal {@link Cell._normalizeOutput} where the kind has it, else {@link Component._normalize}. */
  _normalizeAsOutput(value: unknown, props: Props): T {
    return this._normalizeOutput ? this._normalizeOutput(value, props) : this._normalize(value, props);
  }

  /**
   * @internal Kind hook: the value a user event sets before its listeners run (a Dataset's
   * click sets the index of the sample clicked, as Gradio's page does), or `undefined` for none.
   * Called only for events with data.
   *
   * @throws what reading `data` throws (a hostile getter): the event fails.
   */
  _eventValue?(event: string, data: unknown): unknown;

  /**
   * @internal What a listener writes to store `value`, a value this component holds already
   * (a ClearButton's reset, an example): `value` itself, unless the kind reads what listeners
   * write otherwise ({@link Cell._normalizeOutput}: a JSON component's string is JSON text).
   */
  _asOutput(value: T): unknown {
    return value;
  }

  /**
   * Renders the component into the Blocks being built (see `Block.render` in `blockstate/blocks`).
   *
   * @throws TypeError when its props, or its initial value under them, are invalid (S34); Error
   *   outside a build or when it belongs to another Blocks.
   */
  override render(): this {
    super.render();
    this._checkTemplate();
    return this;
  }

  /** @internal A factory's result is checked and normalised like any value (S4, S34). */
  override _initialValue(): T {
    const value = super._initialValue();
    return this._isFactory ? this._normalizeOrThrow(value, "its value factory returned an invalid value") : value;
  }

  /** @internal */
  protected override _labelForMessages(): string | undefined {
    return typeof this._props.label === "string" ? this._props.label : undefined;
  }

  /** Template props (what every session starts with), without `value`. */
  get props(): Props {
    return this._props;
  }

  /**
   * The template's initial value (a factory when one was given). An object value is a fresh
   * deep copy on each read: changing it changes no session and no later template.
   */
  get value(): unknown {
    return this._isFactory ? this._default : deepCopy(this._default);
  }

  /** @internal The value an empty component holds (also what `null` clears to). */
  abstract _emptyValue(props: Props): T;

  /**
   * @internal Validates and normalises a value other than `null`/`undefined` under `props`
   * (S34); {@link Component._normalize} has already turned those into the empty value.
   * @throws ValueRejection with the reason.
   */
  abstract _check(value: unknown, props: Props): T;

  /**
   * @internal S34 for every component: `null` (or `undefined`) clears it to its empty value (a
   * Textbox's `""`, a Slider's `minimum`, a Button's label); anything else goes to `_check`.
   */
  override _normalize(value: unknown, props: Props): T {
    return value == null ? this._emptyValue(props) : this._check(value, props);
  }
}

const EMPTY_PROPS: Props = Object.freeze({});

/** @internal Splits `(text, props)` / `(props)` constructor forms into props with `value`. */
export function textArgs<P extends object>(a: string | P | undefined, b: P | undefined): P {
  if (typeof a === "string" || typeof a === "function") {
    // Props that are not an object are passed on as they are, for `_init` to refuse.
    if (!isRecord(b)) return (b === undefined ? { value: a } : b) as P;
    return { ...b, value: a } as P;
  }
  return (a ?? b ?? {}) as P;
}

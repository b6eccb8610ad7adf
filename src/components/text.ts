/**
 * Text components: Textbox, Markdown, HTML.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, textArgs, type ComponentProps, type Props } from "./component";
import { checkProp, isCount, isText, orNull, reject } from "../blocks/props";
import { bigintDigits } from "../core/errors";

/**
 * The most digits of a bigint turned into text, as Python's `str(int)` allows (4,300): the
 * decimal text of a larger one takes time more than linear in its size (a 2 MB one, 2 s).
 */
const MAX_BIGINT_DIGITS = 4300;

function toText(value: unknown, what: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" && bigintDigits(value) > MAX_BIGINT_DIGITS) {
    return reject(`${what} takes a bigint of at most ${MAX_BIGINT_DIGITS} digits as text (as Python's str() does), got one of about ${bigintDigits(value)}`);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return reject(`${what} expects text, got ${Array.isArray(value) ? "an array" : typeof value}`);
}

const isRows = (v: unknown): boolean => isCount(v) && v > 0;

/** Props of {@link Textbox}. */
export interface TextboxProps extends ComponentProps<string> {
  /** Rows shown (default 1). */
  lines?: number;
  /** Rows the box may grow to. */
  maxLines?: number;
  /** Hint shown while empty. */
  placeholder?: string;
  /** How a renderer shows it; `"password"` masks the text. */
  type?: "text" | "password" | "email";
  /** Longest accepted value, in UTF-16 code units; longer values are rejected (S34). */
  maxLength?: number;
}

/**
 * `gr.Textbox`: a string. `null` becomes `""`; numbers and booleans become their text; other
 * values are rejected (S34). `maxLength`, when set, is enforced.
 *
 * @throws TypeError at construction for an invalid prop (see `_checkProps`) or initial value.
 */
export class Textbox extends Component<string> {
  readonly type: string = "textbox";
  static override readonly events: readonly string[] = ["change", "input", "submit", "focus", "blur", "select"];
  static override readonly propNames = propNames<TextboxProps>({ lines: true, maxLines: true, placeholder: true, type: true, maxLength: true });
  declare readonly change: EventListener;
  declare readonly input: EventListener;
  declare readonly submit: EventListener;
  declare readonly focus: EventListener;
  declare readonly blur: EventListener;
  declare readonly select: EventListener;

  constructor(props: TextboxProps = {}) {
    super();
    this._init(props, { lines: 1, type: "text" });
  }
  /**
   * @internal {@link Component._checkProps}, and `lines` and `maxLines` integers `>= 1`,
   * `placeholder` a string (or `null`), `type` `"text"`, `"password"` or `"email"`, `maxLength`
   * an integer `>= 0` (or `null`).
   */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "lines", "a whole number from 1", isRows);
    checkProp(props, "maxLines", "a whole number from 1 or null", orNull(isRows));
    checkProp(props, "placeholder", "a string or null", orNull(isText));
    checkProp(props, "type", '"text", "password" or "email"', (v) => v === "text" || v === "password" || v === "email");
    checkProp(props, "maxLength", "a whole number (0 or more) or null", orNull(isCount));
  }
  /** @internal */
  _emptyValue(): string {
    return "";
  }
  /** @internal */
  _check(value: unknown, props: Props): string {
    const text = toText(value, "Textbox");
    const max = props.maxLength;
    if (typeof max === "number" && text.length > max) reject(`text is longer than maxLength ${max}`);
    return text;
  }
}

/** `gr.Markdown("# Hi", { visible })`: Markdown text (string; `null` becomes `""`). */
export class Markdown extends Component<string> {
  readonly type: string = "markdown";
  static override readonly events: readonly string[] = ["change"];
  declare readonly change: EventListener;

  constructor(value?: string | ComponentProps<string>, props?: ComponentProps<string>) {
    super();
    this._init(textArgs(value, props));
  }
  /** @internal */
  _emptyValue(): string {
    return "";
  }
  /** @internal */
  _check(value: unknown, _props?: Props): string {
    return toText(value, "Markdown");
  }
}

/** `gr.HTML("<b>hi</b>")`: HTML text (string; `null` becomes `""`). */
export class HTML extends Component<string> {
  readonly type: string = "html";
  static override readonly events: readonly string[] = ["change", "click"];
  declare readonly change: EventListener;
  declare readonly click: EventListener;

  constructor(value?: string | ComponentProps<string>, props?: ComponentProps<string>) {
    super();
    this._init(textArgs(value, props));
  }
  /** @internal */
  _emptyValue(): string {
    return "";
  }
  /** @internal */
  _check(value: unknown, _props?: Props): string {
    return toText(value, "HTML");
  }
}

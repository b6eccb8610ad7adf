/**
 * Buttons.
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { Component, propNames, textArgs, type ComponentProps, type Props } from "./component";
import { checkProp, reject } from "../blocks/props";

/** Props of {@link Button}. */
export interface ButtonProps extends ComponentProps<string> {
  /** Its style (default `"secondary"`). */
  variant?: "primary" | "secondary" | "stop" | "huggingface";
  /** Its size. */
  size?: "sm" | "md" | "lg";
}

const VARIANTS: readonly unknown[] = ["primary", "secondary", "stop", "huggingface"];

/**
 * `gr.Button("Add Items")`: its value is its text (default `"Run"`). Event: `click`.
 */
export class Button extends Component<string> {
  readonly type: string = "button";
  static override readonly events: readonly string[] = ["click"];
  static override readonly propNames = propNames<ButtonProps>({ variant: true, size: true });
  /** Fires when the user clicks (`session.click(button)`). */
  declare readonly click: EventListener;

  constructor(value?: string | ButtonProps, props?: ButtonProps) {
    super();
    this._init(textArgs(value, props), { variant: "secondary" });
  }
  /** @internal {@link Component._checkProps}, and `variant` and `size` among their values. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "variant", '"primary", "secondary", "stop" or "huggingface"', (v) => VARIANTS.includes(v));
    checkProp(props, "size", '"sm", "md" or "lg"', (v) => v === "sm" || v === "md" || v === "lg");
  }
  /** @internal */
  _emptyValue(): string {
    return "Run";
  }
  /** @internal */
  _check(value: unknown, _props?: Props): string {
    if (typeof value !== "string") reject(`a Button's value is its text, got ${typeof value}`);
    return value;
  }
}

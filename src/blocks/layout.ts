/**
 * Layout containers (Row, Column, Tab, Group, Accordion). They hold no value; the Blocks
 * records them as structure for renderers. They may be listener outputs: `gr.update({ visible })`
 * (and `open` for an Accordion) sets their props per session (S72).
 *
 * @packageDocumentation
 */
import { Block, type AnyCell } from "./block";
import { currentBuild, withBuild } from "./build-context";

/** Props shared by layout containers. */
export interface LayoutProps {
  /** `false` hides the container and everything in it; per session with `gr.update({ visible })` (S72). */
  visible?: boolean;
  elemId?: string;
  elemClasses?: string[];
  key?: string | number;
  [prop: string]: unknown;
}

/** The props every container accepts in a `gr.update` (S72, S74). */
const LAYOUT_PROPS = ["visible", "elemId", "elemClasses", "key"] as const;

/** A listener output: a value cell, or a layout container (props only, S72). */
export type Output = AnyCell | LayoutBlock;
/** Outputs of a listener: one, a list, or none. */
export type OutputList = Output | readonly Output[] | null | undefined;

/**
 * Base of the layout containers: takes a build callback and registers the blocks created in it
 * as its children.
 */
export abstract class LayoutBlock extends Block {
  /** The props `gr.update` may set on this class (S74). */
  static readonly propNames: readonly string[] = LAYOUT_PROPS;
  /** @internal Children in creation order. */
  readonly _children: Block[] = [];
  /** Props given to the constructor (with the class's defaults), for renderers. */
  readonly props: Readonly<LayoutProps>;
  /** @internal What the constructor was given, without defaults: an instance returned by a handler is an update of these (S72). */
  readonly _given: Readonly<LayoutProps>;

  /** @internal The template props, under the name sessions read components' by. */
  get _props(): Readonly<LayoutProps> {
    return this.props;
  }

  /** @internal Messages name a labelled container by its label (`Accordion "More"`). */
  protected override _labelForMessages(): string | undefined {
    return typeof this.props.label === "string" ? this.props.label : undefined;
  }

  constructor(props: LayoutProps, build: (() => void) | undefined, defaults: LayoutProps = {}) {
    super();
    this._given = Object.freeze({ ...props });
    this.props = Object.freeze({ ...defaults, ...props });
    this._autoRegister();
    const frame = currentBuild();
    if (build) {
      if (!frame) throw new Error(`${this.describe()}: a layout container's callback must run inside a Blocks build.`);
      withBuild({ ...frame, container: this }, build);
    }
  }
}

function splitArgs(a: unknown, b: unknown): [LayoutProps, (() => void) | undefined] {
  if (typeof a === "function") return [{}, a as () => void];
  return [(a as LayoutProps) ?? {}, b as (() => void) | undefined];
}

/** `gr.Row`: children side by side. `new gr.Row(() => {...})` or `new gr.Row({ variant }, () => {...})`. */
export class Row extends LayoutBlock {
  readonly type = "row";
  static override readonly propNames: readonly string[] = [...LAYOUT_PROPS, "variant", "equalHeight", "height"];
  constructor(props?: LayoutProps | (() => void), build?: () => void) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Column`: children stacked. */
export class Column extends LayoutBlock {
  readonly type = "column";
  static override readonly propNames: readonly string[] = [...LAYOUT_PROPS, "variant", "scale", "minWidth"];
  constructor(props?: LayoutProps | (() => void), build?: () => void) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Group`: children without gaps. */
export class Group extends LayoutBlock {
  readonly type = "group";
  constructor(props?: LayoutProps | (() => void), build?: () => void) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Tab("name", () => {...})`: one tab of a tab set. */
export class Tab extends LayoutBlock {
  readonly type = "tab";
  static override readonly propNames: readonly string[] = [...LAYOUT_PROPS, "label", "id", "interactive"];
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ ...p, label }, b);
  }
}

/** `gr.Accordion("label", () => {...})`: a collapsible section (`open` prop, default true). */
export class Accordion extends LayoutBlock {
  readonly type = "accordion";
  static override readonly propNames: readonly string[] = [...LAYOUT_PROPS, "label", "open"];
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ ...p, label }, b, { open: true });
  }
}

/**
 * Layout containers (Row, Column, Tab, Group, Accordion). They hold no value; the Blocks
 * records them as structure for renderers.
 *
 * @packageDocumentation
 */
import { Block } from "./block";
import { currentBuild, withBuild } from "./build-context";

/** Props shared by layout containers. */
export interface LayoutProps {
  visible?: boolean;
  elemId?: string;
  elemClasses?: string[];
  key?: string | number;
  [prop: string]: unknown;
}

/**
 * Base of the layout containers: takes a build callback and registers the blocks created in it
 * as its children.
 */
export abstract class LayoutBlock extends Block {
  /** @internal Children in creation order. */
  readonly _children: Block[] = [];
  /** Props given to the constructor, for renderers. */
  readonly props: Readonly<LayoutProps>;

  constructor(props: LayoutProps, build: (() => void) | undefined) {
    super();
    this.props = Object.freeze({ ...props });
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
  constructor(props?: LayoutProps | (() => void), build?: () => void) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Column`: children stacked. */
export class Column extends LayoutBlock {
  readonly type = "column";
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
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ ...p, label }, b);
  }
}

/** `gr.Accordion("label", () => {...})`: a collapsible section (`open` prop, default true). */
export class Accordion extends LayoutBlock {
  readonly type = "accordion";
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ open: true, ...p, label }, b);
  }
}

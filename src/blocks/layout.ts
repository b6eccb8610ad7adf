/**
 * Layout containers (Row, Column, Tab, Group, Accordion). They hold no value; the Blocks
 * records them as structure for renderers. They may be listener outputs: `gr.update({ visible })`
 * (and `open` for an Accordion) sets their props per session (S72). Their base class,
 * `LayoutBlock`, is in block.ts with the types that name it.
 *
 * @packageDocumentation
 */
import { LayoutBlock, type LayoutProps } from "./block";

function splitArgs(a: unknown, b: unknown): [LayoutProps, (() => void) | undefined] {
  if (typeof a === "function") return [{}, a as () => void];
  return [(a as LayoutProps) ?? {}, b as (() => void) | undefined];
}

/** `gr.Row`: children side by side. `new gr.Row(() => {...})` or `new gr.Row({ variant }, () => {...})`. */
export class Row extends LayoutBlock {
  readonly type = "row";
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "variant", "equalHeight", "height"];
  constructor(props?: LayoutProps | (() => void), build?: () => void) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Column`: children stacked. */
export class Column extends LayoutBlock {
  readonly type = "column";
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "variant", "scale", "minWidth"];
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
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "id", "interactive"];
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ ...p, label }, b);
  }
}

/** `gr.Accordion("label", () => {...})`: a collapsible section (`open` prop, default true). */
export class Accordion extends LayoutBlock {
  readonly type = "accordion";
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "open"];
  constructor(label: string, props?: LayoutProps | (() => void), build?: () => void) {
    const [p, b] = splitArgs(props, build);
    super({ ...p, label }, b, { open: true });
  }
}

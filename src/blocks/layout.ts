/**
 * Layout containers (Row, Column, Group, Tabs and Tab, Walkthrough and Step, Accordion, Sidebar). They hold no value; the Blocks
 * records them as structure for renderers. They may be listener outputs: `gr.update({ visible })`
 * (and `open` for an Accordion) sets their props per session (S72). Their base class,
 * `LayoutBlock`, is in block.ts with the types that name it.
 *
 * @packageDocumentation
 */
import { LayoutBlock, type EventListener, type LayoutProps } from "./block";
import { checkProp, isBoolean, isFiniteNumber, isHeight, isKey, isText, orNull } from "./props";

type Props = Readonly<Record<string, unknown>>;

/** A container's contents: a function that builds them, given the container (`with gr.Tabs() as tabs:`). */
type Build<C> = (container: C) => void;

function splitArgs(a: unknown, b: unknown): [object, Build<never> | undefined] {
  if (typeof a === "function") return [{}, a as Build<never>];
  return [(a ?? {}) as object, b as Build<never> | undefined]; // the container checks both
}

/** Props of {@link Row}. */
export interface RowProps extends LayoutProps {
  variant?: string;
  /** Whether the children get the height of the tallest. */
  equalHeight?: boolean;
  /** Pixels, or a CSS length. */
  height?: number | string | null;
}

/** Props of {@link Column}. */
export interface ColumnProps extends LayoutProps {
  variant?: string;
  /** Its width relative to its siblings'. */
  scale?: number | null;
  /** Pixels. */
  minWidth?: number;
}

/** Props of {@link Tab} (its label is the constructor's first argument). */
export interface TabProps extends LayoutProps {
  id?: string | number | null;
  interactive?: boolean;
}

/** Props of {@link Tabs}. */
export interface TabsProps extends LayoutProps {
  /** The `id` (or index) of the tab shown; `null` (the default) for the first. Per session through `gr.update({ selected })`. */
  selected?: string | number | null;
}

/** Props of {@link Walkthrough}. */
export interface WalkthroughProps extends LayoutProps {
  /** The `id` (or index) of the step shown; `null` (the default) for the first. Per session through `gr.update({ selected })`. */
  selected?: number | null;
}

/** Props of {@link Step} (its label is the constructor's first argument). */
export interface StepProps extends LayoutProps {
  /** A number naming the step, for the Walkthrough's `selected`. */
  id?: number | null;
  /** `false`: the user cannot click it. Default `true`. */
  interactive?: boolean;
  /** Its size relative to its siblings'. */
  scale?: number | null;
}

/** Props of {@link Sidebar}. */
export interface SidebarProps extends LayoutProps {
  label?: string;
  /** Unfolded. Default `true`. */
  open?: boolean;
  /** The side of the page. Default `"left"`. */
  position?: "left" | "right";
  /** Pixels, or a CSS length. */
  width?: number | string;
}

/** Props of {@link Accordion} (its label is the constructor's first argument). */
export interface AccordionProps extends LayoutProps {
  /** Unfolded. Default `true`. */
  open?: boolean;
}

/** `gr.Row`: children side by side. `new gr.Row(() => {...})` or `new gr.Row({ variant }, () => {...})`. */
export class Row extends LayoutBlock {
  readonly type = "row";
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "variant", "equalHeight", "height"];
  constructor(props?: RowProps | Build<Row>, build?: Build<Row>) {
    super(...splitArgs(props, build));
  }

  /** @internal S74: `variant` a string, `equalHeight` a boolean, `height` pixels or a CSS length (or null). */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "variant", "a string", isText);
    checkProp(props, "equalHeight", "true or false", isBoolean);
    checkProp(props, "height", "a number of pixels, a CSS length or null", orNull(isHeight));
  }
}

/** `gr.Column`: children stacked. */
export class Column extends LayoutBlock {
  readonly type = "column";
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "variant", "scale", "minWidth"];
  constructor(props?: ColumnProps | Build<Column>, build?: Build<Column>) {
    super(...splitArgs(props, build));
  }

  /** @internal S74: `variant` a string, `scale` a number (or null), `minWidth` a number of pixels. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "variant", "a string", isText);
    checkProp(props, "scale", "a number or null", orNull(isFiniteNumber));
    checkProp(props, "minWidth", "a number of pixels", isFiniteNumber);
  }
}

/** `gr.Group`: children without gaps. */
export class Group extends LayoutBlock {
  readonly type = "group";
  constructor(props?: LayoutProps | Build<Group>, build?: Build<Group>) {
    super(...splitArgs(props, build));
  }
}

/** `gr.Tab("name", () => {...})`: one tab of a tab set. */
export class Tab extends LayoutBlock {
  readonly type = "tab";
  static override readonly events: readonly string[] = ["select"];
  /** Fires when the user selects this tab (event data: `{ index, value }`: its place in its tab set and its label). */
  declare readonly select: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "id", "interactive"];
  constructor(label: string, props?: TabProps | Build<Tab>, build?: Build<Tab>) {
    const [p, b] = splitArgs(props, build);
    // A Tab made in a handler without a label is an update that leaves the label (S33).
    super(label === undefined ? p : { ...p, label }, b);
  }

  /** @internal S74: `label` a string, `id` a string, a number or null, `interactive` a boolean. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "label", "a string", isText);
    checkProp(props, "id", "a string, a number or null", isKey);
    checkProp(props, "interactive", "true or false", isBoolean);
  }
}

/**
 * `gr.Tabs(() => {...})`: a tab set around {@link Tab}s; `selected` names the tab shown, which
 * a listener switches with `gr.update({ selected: id })` (Tabs as an output, S72).
 */
export class Tabs extends LayoutBlock {
  readonly type = "tabs";
  static override readonly events: readonly string[] = ["change", "select"];
  /** Fires when the user switches tabs. */
  declare readonly change: EventListener;
  /** Fires when the user selects a tab (event data: `{ index, value }`: its place and its label). */
  declare readonly select: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "selected"];
  constructor(props?: TabsProps | Build<Tabs>, build?: Build<Tabs>) {
    super(...splitArgs(props, build), { selected: null });
  }

  /** @internal S74: `selected` a string, a number or null. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "selected", "a tab's id (a string or a number) or null", isKey);
  }
}

/**
 * `gr.Walkthrough(() => {...})` (Gradio 5.36+): a step-by-step workflow around {@link Step}s,
 * shown one at a time; `selected` names the step shown, which a listener moves on with
 * `gr.update({ selected: id })` or `new gr.Walkthrough({ selected: id })` (the Walkthrough as an
 * output, S72). Like {@link Tabs} for renderers: type `"walkthrough"`.
 */
export class Walkthrough extends LayoutBlock {
  readonly type = "walkthrough";
  static override readonly events: readonly string[] = ["change", "select"];
  /** Fires when the user moves to another step. */
  declare readonly change: EventListener;
  /** Fires when the user selects a step (event data: `{ index, value }`: its place and its label). */
  declare readonly select: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "selected"];
  constructor(props?: WalkthroughProps | Build<Walkthrough>, build?: Build<Walkthrough>) {
    super(...splitArgs(props, build), { selected: null });
  }

  /** @internal S74: `selected` a number or null (Gradio's `int | None`). */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "selected", "a step's id (a number) or null", orNull(isFiniteNumber));
  }
}

/** `gr.Step("label", () => {...})`: one step of a {@link Walkthrough}. Type `"walkthroughstep"`, as Gradio's. */
export class Step extends LayoutBlock {
  readonly type = "walkthroughstep";
  static override readonly events: readonly string[] = ["select"];
  /** Fires when the user selects this step (event data: `{ index, value }`: its place and its label). */
  declare readonly select: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "id", "interactive", "scale"];
  constructor(label: string, props?: StepProps | Build<Step>, build?: Build<Step>) {
    const [p, b] = splitArgs(props, build);
    // A Step made in a handler without a label is an update that leaves the label (S33).
    super(label === undefined ? p : { ...p, label }, b);
  }

  /** @internal S74: `label` a string, `id` a number or null, `interactive` a boolean, `scale` a number or null. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "label", "a string", isText);
    checkProp(props, "id", "a number or null", orNull(isFiniteNumber));
    checkProp(props, "interactive", "true or false", isBoolean);
    checkProp(props, "scale", "a number or null", orNull(isFiniteNumber));
  }
}

/** `gr.Sidebar(() => {...})`: a collapsible panel at a side of the page (Gradio 5.14+). */
export class Sidebar extends LayoutBlock {
  readonly type = "sidebar";
  static override readonly events: readonly string[] = ["expand", "collapse"];
  /** Fires when the user unfolds it. */
  declare readonly expand: EventListener;
  /** Fires when the user folds it. */
  declare readonly collapse: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "open", "position", "width"];
  constructor(props?: SidebarProps | Build<Sidebar>, build?: Build<Sidebar>) {
    super(...splitArgs(props, build), { open: true, position: "left" });
  }

  /** @internal S74: `label` a string, `open` a boolean, `position` `"left"` or `"right"`, `width` pixels or a CSS length. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "label", "a string", isText);
    checkProp(props, "open", "true or false", isBoolean);
    checkProp(props, "position", '"left" or "right"', (v) => v === "left" || v === "right");
    checkProp(props, "width", "a number of pixels or a CSS length", isHeight);
  }
}

/** `gr.Accordion("label", () => {...})`: a collapsible section (`open` prop, default true). */
export class Accordion extends LayoutBlock {
  readonly type = "accordion";
  static override readonly events: readonly string[] = ["expand", "collapse"];
  /** Fires when the user unfolds it. */
  declare readonly expand: EventListener;
  /** Fires when the user folds it. */
  declare readonly collapse: EventListener;
  static override readonly propNames: readonly string[] = [...LayoutBlock.propNames, "label", "open"];
  constructor(label: string, props?: AccordionProps | Build<Accordion>, build?: Build<Accordion>) {
    const [p, b] = splitArgs(props, build);
    super(label === undefined ? p : { ...p, label }, b, { open: true });
  }

  /** @internal S74: `label` a string, `open` a boolean. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "label", "a string", isText);
    checkProp(props, "open", "true or false", isBoolean);
  }
}

/**
 * The reference web renderer: draws any {@link AppConfig} (renderer protocol version 2) with
 * plain DOM, no framework, and talks to a session only through data: it forwards user events
 * as `{ id, event, data }` to a {@link Send} function and applies `snapshot()`, `updates$` items
 * and `messages$` items given to it, and `gr.render` regions' content (`renders()`, `{ id, render }`). It imports no component classes (type imports only), so the
 * same file works with any transport; `client.ts` wires it to the reference server.
 *
 * Every component's element carries `data-id` (its numeric id) and `data-type`; `elemId` and
 * `elemClasses` props become the element's `id` and classes.
 *
 * @packageDocumentation
 */
import type { AlertMessage, AppConfig, ComponentConfig, ComponentUpdate, DependencyConfig, LayoutConfig, Message, RenderConfig } from "blockstate";
import { escapeHtml, markdownToHtml } from "./markdown";

type Props = Readonly<Record<string, unknown>>;

/** What the transport answers to one dispatch (the server's JSON): an `EventResult`, or a transport error with a `code`. */
export interface DispatchResult {
  status: "complete" | "error" | "cancelled" | "dropped";
  error?: string;
  title?: string;
  /** Set by the reference server for requests it refused before they reached the session. */
  code?: string;
}

/** Sends one user event to the session; resolves with the outcome when its cascade settled. */
export type Send = (message: { id: number; event: string; data?: unknown }) => Promise<DispatchResult>;

/** Per component: current value and props in this page's session, and how to show them. */
interface View {
  config: ComponentConfig;
  el: HTMLElement;
  labelEl: HTMLElement;
  body: HTMLElement;
  props: Props;
  value: unknown;
  control: Control;
  /** Listeners (dependencies) that output to this component and show progress on it, now running. */
  pending: number;
}

/** A layout container's element and current props (protocol 2: containers take props updates). */
/** Consecutive Tab siblings drawn as one set, with the Tabs that holds them (if any). */
interface TabSet {
  bar: HTMLElement;
  set: HTMLElement;
  /** The Tabs' id: its `select` and `change` are sent with a tab's. */
  owner?: number;
  /** The Tabs' `selected`: the `id` (or index) of the tab shown first. */
  selected?: unknown;
}

interface ContainerView {
  type: string;
  el: HTMLElement;
  /** A tab's button in its tab bar. */
  tabButton?: HTMLButtonElement;
  props: Props;
}

/** The part of a view that depends on the component type. */
interface Control {
  show(value: unknown): void;
  setInteractive(on: boolean): void;
}

interface Ctx {
  id: number;
  props: Props;
  body: HTMLElement;
  /** A user edit: sent as an `input` event, after `delayMs` (edits in between replace it). */
  edit(value: unknown, delayMs?: number): void;
  /** A user event: pending edits are sent first, so the session sees them before it. */
  fire(event: string, data?: unknown): void;
  /** Whether any listener is registered for this component's `event`. */
  listened(event: string): boolean;
}

/** Props handled for every component without rebuilding its control. */
/** Whether a block is not shown: `visible` false, or `"hidden"` (still in the page, as here: `hidden` keeps the element). */
const isHidden = (props: Props): boolean => props.visible === false || props.visible === "hidden";

const COMMON_PROPS = new Set(["label", "visible", "interactive", "elemId", "elemClasses", "info", "key", "preservedByKey", "showLabel", "scale", "minWidth"]);
/** Types whose `label` prop is not shown above them (as in Gradio). */
const NO_LABEL = new Set(["button", "clearbutton", "markdown", "html", "checkbox", "timer"]);
/** Milliseconds to wait before sending a text edit nobody listens to (sent at once before any other event). */
const QUIET_EDIT_DELAY_MS = 300;
/** Default seconds a toast stays (Gradio's default alert duration). */
const DEFAULT_TOAST_SECONDS = 10;
const MAX_TOASTS = 5;

let uniqueCounter = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Choices as `[label, value]` pairs (Gradio accepts plain values and pairs). */
function choicePairs(choices: unknown): [string, string | number][] {
  if (!Array.isArray(choices)) return [];
  return choices.map((c) => (Array.isArray(c) ? [String(c[0]), c[1]] : [String(c), c]));
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Draws an app and keeps it in step with its session. Create it with the config, then feed it
 * `applySnapshot`, `applyUpdate` and `showMessage` from the transport.
 */
export class Renderer {
  private readonly views = new Map<number, View>();
  private readonly containers = new Map<number, ContainerView>();
  private readonly listenedEvents = new Set<string>();
  private readonly outputsOf = new Map<number, number[]>();
  private readonly defaultInteractive = new Map<number, boolean>();
  /** Edits not sent yet, by component id, in the order they were first made. */
  private readonly pendingEdits = new Map<number, unknown>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly toasts: HTMLElement;
  /** `gr.render` regions (protocol version 2): their element, and what their current content drew. */
  private readonly regions = new Map<number, { box: HTMLElement; ids: number[]; listened: string[]; dependencies: DependencyConfig[] }>();

  constructor(
    root: HTMLElement,
    readonly config: AppConfig,
    private readonly send: Send,
  ) {
    this.indexDependencies(config.dependencies);
    this.setDefaults(config.components.map((c) => c.id));
    if (config.title) document.title = config.title;
    this.toasts = el("div", "bs-toasts");
    this.toasts.setAttribute("aria-live", "polite");
    const byId = new Map(config.components.map((c) => [c.id, c]));
    root.classList.add("bs-app");
    root.replaceChildren(...this.buildChildren(config.layout, byId), this.toasts);
  }

  // #region Protocol input

  /** Draws every component's value and props from `session.snapshot()` (sent first on connect). */
  applySnapshot(snapshot: Record<string, { value?: unknown; props: Props }>, fresh = true): void {
    if (fresh) this.pendingEdits.clear();
    for (const [key, { value, props }] of Object.entries(snapshot)) {
      const container = this.containers.get(Number(key));
      if (container) this.setContainerProps(container, props);
      const view = this.views.get(Number(key));
      if (!view) continue;
      view.pending = 0;
      view.el.classList.remove("bs-pending");
      this.setProps(view, props);
      // What the user typed and this page has not sent yet stays (a keyed component a render kept).
      if (fresh || !this.pendingEdits.has(view.config.id)) this.setValue(view, value);
    }
  }

  /** Draws the content of every `gr.render` region from `session.renders()` (sent with the snapshot). */
  applyRenders(renders: Record<string, RenderConfig>): void {
    for (const [id, render] of Object.entries(renders)) this.applyRender(Number(id), render);
  }

  /**
   * Replaces a region's content (protocol version 2): its old components go, the new ones are
   * drawn inside the region's element with their values and props in this session. A keyed
   * component the new run carried on (the same id and type, S111) keeps its element, so the
   * user's focus, cursor and unsent typing stay in it.
   */
  applyRender(regionId: number, render: RenderConfig): void {
    const region = this.regions.get(regionId);
    if (!region) return;
    const types = new Map(render.components.map((c) => [c.id, c.type]));
    for (const id of region.ids) {
      if (types.get(id) === this.views.get(id)?.config.type) continue; // kept: see buildComponent
      this.views.delete(id);
      this.pendingEdits.delete(id);
      this.defaultInteractive.delete(id);
    }
    for (const key of region.listened) this.listenedEvents.delete(key);
    for (const dep of region.dependencies) this.outputsOf.delete(dep.id);
    const listenedBefore = new Set(this.listenedEvents);
    this.indexDependencies([...this.config.dependencies, ...render.dependencies]);
    region.listened = [...this.listenedEvents].filter((key) => !listenedBefore.has(key));
    region.dependencies = render.dependencies;
    region.ids = render.components.map((c) => c.id);
    // Rendered listeners may write the app's components too: their default may change.
    this.setDefaults([...this.views.keys(), ...region.ids]);
    const focus = saveFocus(region.box);
    region.box.replaceChildren(...this.buildChildren(render.layout, new Map(render.components.map((c) => [c.id, c]))));
    focus?.();
    this.applySnapshot(render.snapshot, false);
  }

  /** Applies one `updates$` item: `{ id, value }`, `{ id, props }` (the full current props) or `{ id, render }`. */
  applyUpdate(update: ComponentUpdate): void {
    if (update.render) return this.applyRender(update.id, update.render);
    const container = this.containers.get(update.id);
    if (container && update.props) this.setContainerProps(container, update.props);
    const view = this.views.get(update.id);
    if (!view) return;
    if (update.props) this.setProps(view, update.props);
    if ("value" in update) {
      // The echo of this page's own edits is left out by the transport (docs/protocol.md §5),
      // so a value here is the session's: it wins over an edit not sent yet.
      this.pendingEdits.delete(update.id);
      this.setValue(view, update.value);
    }
  }

  /** Shows a `messages$` item: alerts and errors as toasts; run status as a pending mark on outputs. */
  showMessage(message: Message): void {
    if (message.type === "status") {
      const outputs = this.outputsOf.get(message.dependency);
      if (!outputs) return;
      const delta = message.stage === "pending" ? 1 : message.stage === "complete" || message.stage === "error" || message.stage === "cancelled" ? -1 : 0;
      for (const id of outputs) {
        const view = this.views.get(id);
        if (!view || delta === 0) continue;
        view.pending = Math.max(0, view.pending + delta);
        view.el.classList.toggle("bs-pending", view.pending > 0);
      }
      return;
    }
    if (message.type === "progress") return;
    if (message.type === "error" && message.inputs) for (const { id, message: why } of message.inputs) this.markInvalid(id, why);
    this.toast(message);
  }

  /**
   * Shows a listener's validator refusal on the input it refused (as Gradio's page does), until
   * the user edits that input.
   */
  private markInvalid(id: number, why: string): void {
    const view = this.views.get(id);
    if (!view) return;
    let note = view.el.querySelector<HTMLElement>(":scope > .bs-validation");
    if (!note) {
      note = el("div", "bs-validation");
      note.setAttribute("role", "alert");
      view.el.append(note);
      const clear = () => {
        note!.remove();
        view.el.classList.remove("bs-invalid");
      };
      view.el.addEventListener("input", clear, { once: true });
    }
    note.textContent = why;
    view.el.classList.add("bs-invalid");
  }

  /** Shows a toast; `duration` in seconds, `null` keeps it until closed. */
  toast({ type, message, title, duration }: Pick<AlertMessage, "type" | "message" | "title" | "duration">): HTMLElement {
    const toast = el("div", `bs-toast bs-toast-${type}`);
    toast.setAttribute("role", type === "error" ? "alert" : "status");
    toast.dataset.type = type;
    const close = el("button", "bs-toast-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => toast.remove());
    const heading = el("div", "bs-toast-title", title ?? type[0].toUpperCase() + type.slice(1));
    toast.append(close, heading, el("div", "bs-toast-message", message));
    this.toasts.append(toast);
    while (this.toasts.childElementCount > MAX_TOASTS) this.toasts.firstElementChild!.remove();
    const seconds = duration === undefined ? DEFAULT_TOAST_SECONDS : duration;
    if (seconds !== null) setTimeout(() => toast.remove(), seconds * 1000);
    return toast;
  }

  /** The element of a component, by id. */
  element(id: number): HTMLElement | undefined {
    return this.views.get(id)?.el;
  }

  /** Notes which events listeners wait for and which outputs show progress. */
  private indexDependencies(dependencies: readonly DependencyConfig[]): void {
    for (const dep of dependencies) {
      for (const [id, event] of dep.triggers) if (id !== null) this.listenedEvents.add(`${id}:${event}`);
      if (dep.showProgress !== "hidden") this.outputsOf.set(dep.id, dep.outputs);
    }
  }

  /**
   * Gradio's default `interactive` for these components, from the app's and the regions'
   * listeners: one only ever written by listeners is a display. Drawn ones are updated.
   */
  private setDefaults(ids: readonly number[]): void {
    const inputs = new Set<number>();
    const triggers = new Set<number>();
    const outputs = new Set<number>();
    for (const dep of [this.config.dependencies, ...[...this.regions.values()].map((r) => r.dependencies)].flat()) {
      for (const [id] of dep.triggers) if (id !== null) triggers.add(id);
      dep.inputs.forEach((id) => inputs.add(id));
      dep.outputs.forEach((id) => outputs.add(id));
    }
    for (const id of ids) {
      const interactive = !(outputs.has(id) && !inputs.has(id) && !triggers.has(id));
      if (this.defaultInteractive.get(id) === interactive) continue;
      this.defaultInteractive.set(id, interactive);
      const view = this.views.get(id);
      if (view && typeof view.props.interactive !== "boolean") view.control.setInteractive(interactive);
    }
  }

  // #endregion
  // #region Layout

  private buildChildren(nodes: readonly LayoutConfig[], byId: Map<number, ComponentConfig>, owner?: ComponentConfig): HTMLElement[] {
    const out: HTMLElement[] = [];
    let tabs: TabSet | undefined;
    for (const node of nodes) {
      const config = byId.get(node.id);
      if (!config) continue;
      if (config.type === "tab" || config.type === "walkthroughstep") {
        if (!tabs) {
          // A Walkthrough's steps are drawn as tabs numbered in order.
          const set = el("div", config.type === "tab" ? "bs-tabs" : "bs-tabs bs-steps");
          const bar = el("div", "bs-tabbar");
          bar.setAttribute("role", "tablist");
          set.append(bar);
          out.push(set);
          tabs = { bar, set, owner: owner?.id, selected: owner?.props.selected };
        }
        this.buildTab(config, node, byId, tabs);
        continue;
      }
      tabs = undefined;
      out.push(node.children.length || isContainer(config) ? this.buildContainer(config, node, byId) : this.buildComponent(config));
    }
    return out;
  }

  private buildContainer(config: ComponentConfig, node: LayoutConfig, byId: Map<number, ComponentConfig>): HTMLElement {
    const props = config.props;
    let box: HTMLElement;
    if (config.type === "accordion" || config.type === "sidebar") {
      const details = el("details", `bs-${config.type}`);
      details.open = props.open !== false;
      // The user's fold or unfold, when a listener wants it (an update's `open` is no event).
      details.addEventListener("toggle", () => {
        if (details.dataset.quiet) return void delete details.dataset.quiet; // an update's `open`
        const event = details.open ? "expand" : "collapse";
        if (this.listenedEvents.has(`${config.id}:${event}`)) this.fire(config.id, event);
      });
      details.append(el("summary", undefined, String(props.label ?? (config.type === "sidebar" ? "Sidebar" : ""))));
      const inner = el("div", "bs-column");
      inner.append(...this.buildChildren(node.children, byId));
      details.append(inner);
      box = details;
    } else if (config.type === "render") {
      // A gr.render region: its content comes per session (applyRender).
      box = el("div", "bs-column bs-render");
      const previous = this.regions.get(config.id);
      this.regions.set(config.id, { box, ids: previous?.ids ?? [], listened: previous?.listened ?? [], dependencies: previous?.dependencies ?? [] });
    } else {
      box = el("div", `bs-${config.type === "row" || config.type === "group" ? config.type : "column"}`);
      // A Tabs' tabs: its `selected` says which is shown, and its events are sent with theirs.
      box.append(...this.buildChildren(node.children, byId, config.type === "tabs" || config.type === "walkthrough" ? config : undefined));
    }
    box.dataset.id = String(config.id);
    box.dataset.type = config.type;
    applyElemProps(box, props);
    box.hidden = isHidden(props);
    if (typeof props.scale === "number") box.style.flexGrow = String(props.scale);
    this.containers.set(config.id, { type: config.type, el: box, props });
    return box;
  }

  /**
   * A container's props from the session (S72): `visible: false` hides it and so everything in
   * it; an Accordion's `open` folds or unfolds it; a Tab's `visible` shows or hides its button
   * (and its panel, when it was the one shown).
   */
  private setContainerProps(view: ContainerView, props: Props): void {
    const old = view.props;
    view.props = props;
    applyElemProps(view.el, props, old);
    const hidden = isHidden(props);
    if (view.tabButton) {
      view.tabButton.hidden = hidden;
      if (hidden) view.el.hidden = true;
      else view.el.hidden = view.tabButton.getAttribute("aria-selected") !== "true";
      return;
    }
    view.el.hidden = hidden;
    if (view.el instanceof HTMLDetailsElement && old.open !== props.open && view.el.open !== (props.open !== false)) {
      view.el.dataset.quiet = "1"; // its toggle event is no user's
      view.el.open = props.open !== false;
    }
    if ((view.type === "tabs" || view.type === "walkthrough") && old.selected !== props.selected) this.showTab(view.el, props.selected);
  }

  /** Shows the tab of a Tabs (or the step of a Walkthrough) whose `id` (or index) is `selected` (the first for `null`), as an update sets it. */
  private showTab(box: HTMLElement, selected: unknown): void {
    const set = box.querySelector<HTMLElement>(":scope > .bs-tabs");
    if (!set) return;
    const panels = Array.from(set.querySelectorAll<HTMLElement>(":scope > .bs-tabpanel"));
    const target = panels.find((p, i) => (selected == null ? i === 0 : p.dataset.tabKey === JSON.stringify(selected)));
    if (!target) return;
    const buttons = Array.from(set.querySelectorAll<HTMLElement>(":scope > .bs-tabbar > .bs-tab"));
    panels.forEach((p, i) => {
      p.hidden = p !== target;
      buttons[i]?.setAttribute("aria-selected", String(p === target));
    });
  }

  private buildTab(config: ComponentConfig, node: LayoutConfig, byId: Map<number, ComponentConfig>, tabs: TabSet): void {
    const button = el("button", "bs-tab", String(config.props.label ?? "Tab"));
    button.type = "button";
    button.setAttribute("role", "tab");
    const panel = el("div", "bs-tabpanel bs-column");
    panel.setAttribute("role", "tabpanel");
    panel.dataset.id = String(config.id);
    panel.dataset.type = config.type;
    applyElemProps(panel, config.props);
    panel.append(...this.buildChildren(node.children, byId));
    const index = tabs.bar.childElementCount;
    const key = config.props.id ?? index;
    panel.dataset.tabKey = JSON.stringify(key);
    const shown = tabs.selected == null ? index === 0 : key === tabs.selected;
    button.setAttribute("aria-selected", String(shown));
    panel.hidden = !shown;
    button.hidden = isHidden(config.props);
    button.addEventListener("click", () => {
      const already = button.getAttribute("aria-selected") === "true";
      for (const b of Array.from(tabs.bar.children)) b.setAttribute("aria-selected", String(b === button));
      for (const p of Array.from(tabs.set.querySelectorAll<HTMLElement>(":scope > .bs-tabpanel"))) p.hidden = p !== panel;
      // A Tab's select (and its Tabs' select and change), when a listener wants them.
      const data = { index, value: String(config.props.label ?? "") };
      if (this.listenedEvents.has(`${config.id}:select`)) this.fire(config.id, "select", data);
      if (tabs.owner !== undefined) {
        if (this.listenedEvents.has(`${tabs.owner}:select`)) this.fire(tabs.owner, "select", data);
        if (!already && this.listenedEvents.has(`${tabs.owner}:change`)) this.fire(tabs.owner, "change");
      }
    });
    tabs.bar.append(button);
    tabs.set.append(panel);
    this.containers.set(config.id, { type: config.type, el: panel, tabButton: button, props: config.props });
  }

  // #endregion
  // #region Components

  private buildComponent(config: ComponentConfig): HTMLElement {
    const kept = this.views.get(config.id);
    if (kept && kept.config.type === config.type) {
      // A keyed component of a gr.render region, carried on by its next run (S111).
      kept.config = config;
      return kept.el;
    }
    const wrapper = el("div", `bs-component bs-type-${config.type}`);
    wrapper.dataset.id = String(config.id);
    wrapper.dataset.type = config.type;
    const labelEl = el("label", "bs-label");
    const body = el("div", "bs-body");
    wrapper.append(labelEl, body);
    const view: View = { config, el: wrapper, labelEl, body, props: {}, value: undefined, control: NO_CONTROL, pending: 0 };
    this.views.set(config.id, view);
    this.setProps(view, config.props);
    this.setValue(view, "value" in config ? config.value : null);
    return wrapper;
  }

  private setProps(view: View, props: Props): void {
    const old = view.props;
    view.props = props;
    const { el: wrapper, config } = view;
    wrapper.hidden = isHidden(props) || config.type === "timer";
    applyElemProps(wrapper, props, old);
    const label = typeof props.label === "string" ? props.label : "";
    view.labelEl.textContent = label;
    view.labelEl.hidden = !label || props.showLabel === false || NO_LABEL.has(config.type);
    if (typeof props.info === "string") wrapper.title = props.info;
    if (typeof props.scale === "number") wrapper.style.flexGrow = String(props.scale);
    if (typeof props.minWidth === "number") wrapper.style.minWidth = `${props.minWidth}px`;
    // Props that shape the control (choices, lines, type, ...) rebuild it; others are applied in place.
    const rebuild = view.control === NO_CONTROL || Object.keys({ ...old, ...props }).some((k) => !COMMON_PROPS.has(k) && !same(old[k], props[k]));
    if (rebuild) {
      view.body.replaceChildren();
      view.control = this.makeControl(view);
      if (view.value !== undefined) view.control.show(view.value);
    } else if (config.type === "checkbox" && old.label !== props.label) {
      view.body.replaceChildren();
      view.control = this.makeControl(view);
      view.control.show(view.value);
    }
    view.control.setInteractive(typeof props.interactive === "boolean" ? props.interactive : (this.defaultInteractive.get(config.id) ?? true));
  }

  private setValue(view: View, value: unknown): void {
    view.value = value;
    view.control.show(value);
  }

  private makeControl(view: View): Control {
    const id = view.config.id;
    const ctx: Ctx = {
      id,
      props: view.props,
      body: view.body,
      edit: (value, delayMs = 0) => this.edit(view, value, delayMs),
      fire: (event, data) => this.fire(id, event, data),
      listened: (event) => this.listenedEvents.has(`${id}:${event}`),
    };
    const make = CONTROLS[view.config.type] ?? unknownControl;
    return make(ctx, view.config);
  }

  // #endregion
  // #region Sending events

  private edit(view: View, value: unknown, delayMs: number): void {
    view.value = value;
    this.pendingEdits.delete(view.config.id);
    this.pendingEdits.set(view.config.id, value);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (delayMs <= 0) this.flush();
    else this.flushTimer = setTimeout(() => this.flush(), delayMs);
  }

  /** Sends every pending edit, oldest first. */
  flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const edits = [...this.pendingEdits];
    this.pendingEdits.clear();
    for (const [id, value] of edits) void this.deliver({ id, event: "input", data: value });
  }

  private fire(id: number, event: string, data?: unknown): void {
    this.flush();
    void this.deliver(data === undefined ? { id, event } : { id, event, data });
  }

  private async deliver(message: { id: number; event: string; data?: unknown }): Promise<void> {
    let result: DispatchResult;
    try {
      result = await this.send(message);
    } catch (e) {
      this.toast({ type: "error", title: "Connection error", message: `Could not send the event: ${(e as Error).message}` });
      return;
    }
    // Errors that reached the session arrive as messages; only those refused before it are shown here.
    if (result.status === "error" && result.code && result.code !== "rejected_value") {
      this.toast({ type: "error", title: "Request refused", message: result.error ?? "The server refused the event." });
    }
  }

  // #endregion
}

function isContainer(config: ComponentConfig): boolean {
  return ["row", "column", "group", "tab", "tabs", "walkthrough", "walkthroughstep", "accordion", "sidebar", "form", "render"].includes(config.type);
}

function applyElemProps(node: HTMLElement, props: Props, old: Props = {}): void {
  if (props.elemId !== old.elemId) {
    if (typeof props.elemId === "string") node.id = props.elemId;
    else node.removeAttribute("id");
  }
  if (props.elemClasses !== old.elemClasses) {
    if (Array.isArray(old.elemClasses)) node.classList.remove(...old.elemClasses.map(String));
    const classes = Array.isArray(props.elemClasses) ? props.elemClasses : typeof props.elemClasses === "string" ? [props.elemClasses] : [];
    if (classes.length) node.classList.add(...classes.map(String));
  }
}

const NO_CONTROL: Control = { show() {}, setInteractive() {} };

// #region Controls, by component type

type MakeControl = (ctx: Ctx, config: ComponentConfig) => Control;

/** Value for a text-like field: `""` for `null`. */
function text(value: unknown): string {
  return value == null ? "" : String(value);
}

/** Sets a field's text unless it already shows it (keeps the caret where the user is typing). */
function setField(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (field.value !== value) field.value = value;
}

/** focus/blur events, sent only when a listener wants them. */
function focusEvents(ctx: Ctx, field: HTMLElement): void {
  if (ctx.listened("focus")) field.addEventListener("focus", () => ctx.fire("focus"));
  if (ctx.listened("blur")) field.addEventListener("blur", () => ctx.fire("blur"));
}

const textbox: MakeControl = (ctx) => {
  const { props } = ctx;
  const lines = typeof props.lines === "number" ? props.lines : 1;
  let field: HTMLInputElement | HTMLTextAreaElement;
  if (lines > 1) {
    field = el("textarea", "bs-input");
    field.rows = lines;
  } else {
    field = el("input", "bs-input");
    field.type = props.type === "password" ? "password" : props.type === "email" ? "email" : "text";
  }
  if (typeof props.placeholder === "string") field.placeholder = props.placeholder;
  if (typeof props.maxLength === "number") field.maxLength = props.maxLength;
  field.autocomplete = "off";
  const eager = ctx.listened("input") || ctx.listened("change");
  field.addEventListener("input", () => ctx.edit(field.value, eager ? 0 : QUIET_EDIT_DELAY_MS));
  field.addEventListener("keydown", (e) => {
    const key = e as KeyboardEvent;
    if (key.key !== "Enter" || key.isComposing) return;
    if (lines > 1 && !(key.ctrlKey || key.metaKey)) return; // Enter is a new line in a text area
    key.preventDefault();
    ctx.fire("submit");
  });
  focusEvents(ctx, field);
  if (ctx.listened("select")) {
    field.addEventListener("select", () => {
      const start = field.selectionStart ?? 0;
      const end = field.selectionEnd ?? 0;
      ctx.fire("select", { index: [start, end], value: field.value.slice(start, end), selected: true });
    });
  }
  ctx.body.append(field);
  return { show: (v) => setField(field, text(v)), setInteractive: (on) => (field.disabled = !on) };
};

const numberBox: MakeControl = (ctx) => {
  const { props } = ctx;
  const field = el("input", "bs-input");
  field.type = "number";
  if (typeof props.minimum === "number") field.min = String(props.minimum);
  if (typeof props.maximum === "number") field.max = String(props.maximum);
  field.step = typeof props.step === "number" ? String(props.step) : "any";
  const eager = ctx.listened("input") || ctx.listened("change");
  const read = () => (field.value === "" ? null : field.valueAsNumber);
  field.addEventListener("input", () => ctx.edit(read(), eager ? 0 : QUIET_EDIT_DELAY_MS));
  field.addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).key !== "Enter") return;
    e.preventDefault();
    ctx.fire("submit");
  });
  focusEvents(ctx, field);
  ctx.body.append(field);
  return {
    show: (v) => {
      // While the user types ("1." or "-"), the field may hold text that reads as the same number.
      if (document.activeElement === field && read() === (v ?? null)) return;
      setField(field, text(v));
    },
    setInteractive: (on) => (field.disabled = !on),
  };
};

const slider: MakeControl = (ctx) => {
  const { props } = ctx;
  const range = el("input", "bs-range");
  range.type = "range";
  range.min = String(props.minimum ?? 0);
  range.max = String(props.maximum ?? 100);
  range.step = String(props.step ?? 1);
  const output = el("output", "bs-range-value");
  const eager = ctx.listened("input") || ctx.listened("change");
  range.addEventListener("input", () => {
    output.textContent = range.value;
    ctx.edit(range.valueAsNumber, eager ? 0 : QUIET_EDIT_DELAY_MS);
  });
  range.addEventListener("change", () => {
    if (ctx.listened("release")) ctx.fire("release", range.valueAsNumber);
    else ctx.edit(range.valueAsNumber); // send the final position now
  });
  ctx.body.append(range, output);
  return {
    show: (v) => {
      setField(range, text(v));
      output.textContent = text(v);
    },
    setInteractive: (on) => (range.disabled = !on),
  };
};

const checkbox: MakeControl = (ctx) => {
  const label = el("label", "bs-check");
  const box = el("input");
  box.type = "checkbox";
  label.append(box, el("span", undefined, typeof ctx.props.label === "string" ? ctx.props.label : ""));
  box.addEventListener("change", () => {
    ctx.edit(box.checked);
    if (ctx.listened("select")) ctx.fire("select", { value: box.checked, selected: box.checked });
  });
  ctx.body.append(label);
  return { show: (v) => (box.checked = v === true), setInteractive: (on) => (box.disabled = !on) };
};

const checkboxGroup: MakeControl = (ctx) => {
  const pairs = choicePairs(ctx.props.choices);
  const boxes = pairs.map(([label, value], index) => {
    const wrap = el("label", "bs-check");
    const box = el("input");
    box.type = "checkbox";
    box.value = String(value);
    wrap.append(box, el("span", undefined, label));
    box.addEventListener("change", () => {
      ctx.edit(pairs.filter((_, i) => boxes[i].checked).map(([, v]) => v));
      if (ctx.listened("select")) ctx.fire("select", { index, value, selected: box.checked });
    });
    ctx.body.append(wrap);
    return box;
  });
  ctx.body.classList.add("bs-choices");
  return {
    show: (v) => {
      const list = Array.isArray(v) ? v : [];
      pairs.forEach(([, value], i) => (boxes[i].checked = list.includes(value)));
    },
    setInteractive: (on) => boxes.forEach((b) => (b.disabled = !on)),
  };
};

const radio: MakeControl = (ctx) => {
  const pairs = choicePairs(ctx.props.choices);
  const name = `bs-radio-${ctx.id}-${++uniqueCounter}`;
  const buttons = pairs.map(([label, value], index) => {
    const wrap = el("label", "bs-check");
    const button = el("input");
    button.type = "radio";
    button.name = name;
    button.value = String(value);
    wrap.append(button, el("span", undefined, label));
    button.addEventListener("change", () => {
      if (!button.checked) return;
      ctx.edit(value);
      if (ctx.listened("select")) ctx.fire("select", { index, value, selected: true });
    });
    ctx.body.append(wrap);
    return button;
  });
  ctx.body.classList.add("bs-choices");
  return {
    show: (v) => pairs.forEach(([, value], i) => (buttons[i].checked = value === v)),
    setInteractive: (on) => buttons.forEach((b) => (b.disabled = !on)),
  };
};

const dropdown: MakeControl = (ctx) => {
  const { props } = ctx;
  const pairs = choicePairs(props.choices);
  const multi = props.multiselect === true;
  if (!multi && props.allowCustomValue === true) {
    // Free text with suggestions.
    const field = el("input", "bs-input");
    const list = el("datalist");
    list.id = `bs-list-${ctx.id}-${++uniqueCounter}`;
    for (const [label, value] of pairs) {
      const option = el("option");
      option.value = String(value);
      option.label = label;
      list.append(option);
    }
    field.setAttribute("list", list.id);
    field.addEventListener("change", () => {
      const match = pairs.find(([, v]) => String(v) === field.value);
      ctx.edit(match ? match[1] : field.value === "" ? null : field.value);
    });
    focusEvents(ctx, field);
    ctx.body.append(field, list);
    return { show: (v) => setField(field, text(v)), setInteractive: (on) => (field.disabled = !on) };
  }
  const select = el("select", "bs-select");
  select.multiple = multi;
  if (multi) select.size = Math.min(Math.max(pairs.length, 2), 6);
  const rebuildOptions = (current: unknown) => {
    select.replaceChildren();
    const values: unknown[] = pairs.map(([, v]) => v);
    if (!multi) select.append(new Option("", "")); // "nothing selected" (null)
    const extra = (multi ? (Array.isArray(current) ? current : []) : current == null ? [] : [current]).filter((v) => !values.includes(v));
    [...pairs, ...extra.map((v): [string, string | number] => [String(v), v as string | number])].forEach(([label, value], i) => {
      select.append(new Option(label, String(i)));
      values[i] = value;
    });
    return values;
  };
  let values = rebuildOptions(undefined);
  select.addEventListener("change", () => {
    const chosen = Array.from(select.selectedOptions).filter((o) => o.value !== "").map((o) => values[Number(o.value)]);
    ctx.edit(multi ? chosen : chosen[0] ?? null);
    if (!multi && chosen.length && ctx.listened("select")) ctx.fire("select", { index: Number(select.value), value: chosen[0], selected: true });
  });
  focusEvents(ctx, select);
  ctx.body.append(select);
  return {
    show: (v) => {
      const current = multi ? (Array.isArray(v) ? v : []) : v;
      const known = pairs.map(([, value]) => value as unknown);
      const needsExtra = (multi ? (current as unknown[]) : current == null ? [] : [current]).some((x) => !known.includes(x));
      values = rebuildOptions(needsExtra ? current : undefined);
      for (const option of Array.from(select.options)) {
        const value = option.value === "" ? null : values[Number(option.value)];
        option.selected = multi ? (current as unknown[]).includes(value) : option.value === "" ? current == null : value === current;
      }
    },
    setInteractive: (on) => (select.disabled = !on),
  };
};

const button: MakeControl = (ctx) => {
  const node = el("button", `bs-button bs-variant-${String(ctx.props.variant ?? "secondary")} bs-size-${String(ctx.props.size ?? "md")}`);
  node.type = "button";
  node.addEventListener("click", () => ctx.fire("click"));
  ctx.body.append(node);
  return { show: (v) => (node.textContent = text(v)), setInteractive: (on) => (node.disabled = !on) };
};

const markdown: MakeControl = (ctx) => {
  const box = el("div", "bs-prose");
  ctx.body.append(box);
  return { show: (v) => (box.innerHTML = markdownToHtml(text(v))), setInteractive() {} };
};

/** The HTML component's purpose is HTML: its value is trusted app output, as in Gradio. */
const html: MakeControl = (ctx) => {
  const box = el("div", "bs-html");
  if (ctx.listened("click")) box.addEventListener("click", () => ctx.fire("click"));
  ctx.body.append(box);
  return { show: (v) => (box.innerHTML = text(v)), setInteractive() {} };
};

const label: MakeControl = (ctx) => {
  const box = el("div", "bs-label-value");
  ctx.body.append(box);
  return {
    show: (v) => {
      box.replaceChildren();
      if (v == null || typeof v !== "object") return;
      const { label: top, confidences } = v as { label?: string; confidences?: { label: string; confidence: number }[] };
      box.append(el("div", "bs-label-top", top ?? ""));
      (confidences ?? []).forEach((c, index) => {
        const row = el("div", "bs-confidence");
        const bar = el("div", "bs-bar");
        const fill = el("div", "bs-bar-fill");
        fill.style.width = `${Math.max(0, Math.min(1, c.confidence)) * 100}%`;
        bar.append(fill);
        row.append(el("span", "bs-confidence-label", c.label), bar, el("span", "bs-confidence-value", `${Math.round(c.confidence * 100)}%`));
        if (ctx.listened("select")) row.addEventListener("click", () => ctx.fire("select", { index, value: c.label }));
        box.append(row);
      });
    },
    setInteractive() {},
  };
};

const json: MakeControl = (ctx) => {
  const pre = el("pre", "bs-json");
  ctx.body.append(pre);
  return { show: (v) => (pre.textContent = JSON.stringify(v ?? null, null, 2)), setInteractive() {} };
};

/**
 * A chat history. Besides the messages: a Clear button (`clear`), Retry and Undo under the
 * last reply (`retry`, `undo`, data `{ index, value }` of the message), example messages while
 * the history is empty (`example_select`, `{ index, value }`), and with the `editable` prop an
 * Edit button on the editable messages (`edit`, `{ index, value, previousValue }`), each shown
 * only when a listener wants that event (a ChatInterface listens to all of them, S104, S105).
 */
const chatbot: MakeControl = (ctx) => {
  const list = el("div", "bs-chat");
  list.setAttribute("role", "log");
  const height = ctx.props.height;
  if (height != null) list.style.height = typeof height === "number" ? `${height}px` : String(height);
  ctx.body.append(list);
  const buttons: HTMLButtonElement[] = [];
  const action = (text: string, className: string, onClick: () => void): HTMLButtonElement => {
    const b = el("button", `bs-chat-action ${className}`, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    buttons.push(b);
    return b;
  };
  let clear: HTMLButtonElement | undefined;
  if (ctx.listened("clear")) {
    clear = action("Clear", "bs-chat-clear", () => {
      // The edit's echo is not sent back (docs/protocol.md §5): show the empty history here.
      ctx.edit([]);
      control.show([]);
      ctx.fire("clear");
    });
    ctx.body.append(clear);
  }
  const examples = Array.isArray(ctx.props.examples) ? (ctx.props.examples as { text?: unknown; displayText?: unknown }[]) : [];
  let enabled = true;
  const control: Control = {
    show: (v) => {
      const messages = Array.isArray(v) ? (v as { role: string; content: unknown }[]) : [];
      buttons.length = clear ? 1 : 0;
      if (messages.length === 0) {
        const empty = el("div", "bs-chat-empty", typeof ctx.props.placeholder === "string" ? ctx.props.placeholder : "");
        const shown: HTMLElement[] = [empty];
        if (examples.length && ctx.listened("example_select")) {
          const row = el("div", "bs-chat-examples");
          examples.forEach((example, index) => {
            const value = text(example.text);
            row.append(action(text(example.displayText ?? example.text), "bs-chat-example", () => ctx.fire("example_select", { index, value })));
          });
          shown.push(row);
        }
        list.replaceChildren(...shown);
        for (const b of buttons) b.disabled = !enabled;
        return;
      }
      const last = messages.length - 1;
      list.replaceChildren(
        ...messages.map((m, index) => {
          const bubble = el("div", `bs-message bs-message-${escapeHtml(String(m.role))}`);
          bubble.dataset.role = String(m.role);
          bubble.innerHTML = markdownToHtml(text(m.content));
          if (ctx.listened("select")) bubble.addEventListener("click", () => ctx.fire("select", { index, value: m.content }));
          const editable = ctx.props.editable === "all" || (ctx.props.editable === "user" && m.role === "user");
          if (!editable || !ctx.listened("edit")) return bubble;
          const wrap = el("div", `bs-message-wrap bs-message-wrap-${escapeHtml(String(m.role))}`);
          const edit = action("Edit", "bs-chat-edit", () => {
            const field = el("textarea", "bs-input bs-chat-edit-field");
            field.value = text(m.content);
            const save = action("Save", "bs-chat-save", () => ctx.fire("edit", { index, value: field.value, previousValue: m.content }));
            const cancel = action("Cancel", "bs-chat-cancel", () => control.show(v));
            wrap.replaceChildren(field, save, cancel);
            field.focus();
          });
          wrap.append(bubble, edit);
          return wrap;
        }),
      );
      const data = { index: last, value: messages[last].content };
      const tools = el("div", "bs-chat-tools");
      if (ctx.listened("retry")) tools.append(action("Retry", "bs-chat-retry", () => ctx.fire("retry", data)));
      if (ctx.listened("undo")) tools.append(action("Undo", "bs-chat-undo", () => ctx.fire("undo", data)));
      if (tools.childElementCount) list.append(tools);
      for (const b of buttons) b.disabled = !enabled;
      list.scrollTop = list.scrollHeight;
    },
    setInteractive: (on) => {
      enabled = on;
      for (const b of buttons) b.disabled = !on;
    },
  };
  return control;
};

/** A Dataset (what gr.Examples shows): one button per sample, a click sends `click` with `{ index }`. */
const dataset: MakeControl = (ctx) => {
  const samples = Array.isArray(ctx.props.samples) ? (ctx.props.samples as unknown[][]) : [];
  const labels = Array.isArray(ctx.props.sampleLabels) ? (ctx.props.sampleLabels as unknown[]) : undefined;
  const list = el("div", "bs-dataset");
  const buttons = samples.map((sample, index) => {
    const shown = labels ? String(labels[index] ?? "") : sample.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" · ");
    const node = el("button", "bs-sample", shown);
    node.type = "button";
    node.addEventListener("click", () => ctx.fire("click", { index }));
    return node;
  });
  list.append(...buttons);
  ctx.body.append(list);
  return { show() {}, setInteractive: (on) => buttons.forEach((b) => (b.disabled = !on)) };
};

const unknownControl: MakeControl = (ctx, config) => {
  const pre = el("pre", "bs-json bs-unknown");
  pre.title = `No renderer for component type "${config.type}"; showing its value.`;
  ctx.body.append(pre);
  return { show: (v) => (pre.textContent = JSON.stringify(v ?? null, null, 2)), setInteractive() {} };
};

const CONTROLS: Record<string, MakeControl> = {
  textbox,
  dataset,
  number: numberBox,
  slider,
  checkbox,
  checkboxgroup: checkboxGroup,
  radio,
  dropdown,
  button,
  clearbutton: button,
  markdown,
  html,
  label,
  json,
  chatbot,
  timer: () => NO_CONTROL,
};

// #endregion

/**
 * The focus inside `box` (and a text field's selection), to give back once its children were
 * moved: moving an element out of the page and back takes its focus. `undefined` when the
 * focus is elsewhere.
 */
function saveFocus(box: HTMLElement): (() => void) | undefined {
  const focused = document.activeElement;
  if (!(focused instanceof HTMLElement) || !box.contains(focused)) return undefined;
  const field = focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement ? focused : undefined;
  const [start, end] = field ? [field.selectionStart, field.selectionEnd] : [null, null];
  return () => {
    if (!focused.isConnected || document.activeElement === focused) return;
    focused.focus();
    if (field && start !== null && end !== null) field.setSelectionRange(start, end);
  };
}

/**
 * The renderer protocol's app description (`demo.config()`): plain JSON, so any renderer can
 * draw an app without importing component classes. Versioned by {@link PROTOCOL_VERSION}.
 * Each call builds new objects that share nothing with the template, so a renderer may keep and
 * change what it was given: a `choices` array pushed to must not widen what later sessions accept.
 *
 * @packageDocumentation
 */
import { deepCopy } from "../core/copy";
import { LayoutBlock, type Block, type Cell, type Dependency } from "./block";

/**
 * The protocol version; bumped on any incompatible change to these shapes. 2: dynamic regions
 * (`gr.render`, S110): a `"render"` layout node whose content each session sends; layout
 * containers as listener outputs (S72): their props in `snapshot()` and `updates$`.
 */
export const PROTOCOL_VERSION = 2;

/** A component or layout container. `value` is absent for containers and per-session defaults. */
export interface ComponentConfig {
  id: number;
  /** Gradio's type name: `"textbox"`, `"number"`, `"row"`, ... */
  type: string;
  props: Record<string, unknown>;
  /** The initial value; absent when it is computed per session (a factory) or for containers. */
  value?: unknown;
  /** Event names the component supports. */
  events: string[];
}

/** A node of the layout tree. */
export interface LayoutConfig {
  id: number;
  children: LayoutConfig[];
}

/** A trigger: `[componentId, eventName]`; `null` stands for the Blocks itself (`load`, `unload`). */
export type TriggerConfig = [number | null, string];

/** A listener, as renderers and API clients need it. */
export interface DependencyConfig {
  id: number;
  triggers: TriggerConfig[];
  inputs: number[];
  outputs: number[];
  /** For chained listeners (S37): the parent and the condition. */
  triggerAfter: { id: number; onlyOnSuccess: boolean; onlyOnFailure: boolean } | null;
  triggerMode: "once" | "multiple" | "always_last";
  apiName: string | false;
  queue: boolean;
  concurrencyLimit: number | null | "default";
  concurrencyId: string | null;
  cancels: number[];
  /** Seconds, or `null`. */
  timeLimit: number | null;
  showProgress: "full" | "minimal" | "hidden";
  /** Whether the listener streams (yields several times): see `ListenerOptions.generator`. */
  generator: boolean;
  /** JavaScript for the page to run when it is triggered (`ListenerOptions.js`), or `null`. */
  js: string | null;
  /** Whether it has a function to run in the session: false for `fn: null` with `js` (it runs only in a page). */
  backendFn: boolean;
}

/** `demo.config()`: everything a renderer needs to draw the app and wire its events. */
export interface AppConfig {
  protocolVersion: number;
  title: string | null;
  /** Components and layout containers (States, BrowserStates and Globals are not listed: never their values). */
  components: ComponentConfig[];
  /** Top-level layout nodes, by id. */
  layout: LayoutConfig[];
  dependencies: DependencyConfig[];
}

/**
 * What one session's `gr.render` region holds (protocol version 2): its components and
 * containers, its layout (the region's children), its listeners, and each component's current
 * value and props in that session (as in `session.snapshot()`).
 */
export interface RenderConfig {
  components: ComponentConfig[];
  layout: LayoutConfig[];
  dependencies: DependencyConfig[];
  /** Its components' current values and props, and its layout containers' props (no `value`), by id. */
  snapshot: Record<number, { value?: unknown; props: Record<string, unknown> }>;
}

/** @internal A block's entry in `components`. */
export function componentConfig(block: Block): ComponentConfig {
  const events = [...block._events];
  if (block instanceof LayoutBlock) return { id: block._id, type: block.type, props: fresh(block.props), events };
  const cell = block as Cell<unknown> & { _props?: Record<string, unknown> };
  const config: ComponentConfig = { id: cell._id, type: cell.type, props: fresh(cell._props ?? {}), events };
  if (!cell._isFactory) config.value = fresh(cell._default);
  return config;
}

/**
 * A copy of template data (props, a default value) for one `config()` call. Props and values
 * are JSON-like, so arrays and plain objects are rebuilt directly, which is cheaper than a
 * general deep copy (`config()` is benchmarked); anything else goes through {@link deepCopy}.
 */
function fresh<T>(value: T, depth = 0): T {
  if (typeof value !== "object" || value === null) return value;
  // A value nested this deep may hold a cycle: deepCopy keeps cycles and shared references.
  if (depth > 32) return deepCopy(value);
  if (Array.isArray(value)) return value.map((v) => fresh(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return deepCopy(value);
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const v = copy[key];
    if (typeof v === "object" && v !== null) copy[key] = fresh(v, depth + 1);
  }
  return copy as T;
}

/** @internal A block's layout node. */
export function layoutOf(block: Block): LayoutConfig {
  return { id: block._id, children: block instanceof LayoutBlock ? block._children.map(layoutOf) : [] };
}

/** `root`: the Blocks, whose own events (`load`, `unload`) have no component id. */
function triggerOf(root: Block, t: { block: Block; event: string }): TriggerConfig {
  return [t.block === root ? null : t.block._id, t.event];
}

/** @internal A listener's entry in `dependencies`; `root` is its Blocks. */
export function dependencyConfig(root: Block, dep: Dependency): DependencyConfig {
  const o = dep.options;
  return {
    id: dep.id,
    triggers: dep.triggers.map((t) => triggerOf(root, t)),
    inputs: dep.inputs.map((c) => c._id),
    outputs: dep.outputs.map((c) => c._id),
    triggerAfter: dep.parent
      ? { id: dep.parent.dependency.id, onlyOnSuccess: dep.parent.on === "success", onlyOnFailure: dep.parent.on === "failure" }
      : null,
    triggerMode: o.triggerMode,
    apiName: dep.apiName,
    queue: o.queue,
    concurrencyLimit: o.concurrencyLimit,
    concurrencyId: o.concurrencyId ?? null,
    cancels: o.cancels.map((d) => d.id),
    timeLimit: o.timeLimit,
    showProgress: o.showProgress,
    generator: dep.generator,
    js: o.js ?? null,
    backendFn: dep.backendFn,
  };
}

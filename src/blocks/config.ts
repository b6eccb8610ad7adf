/**
 * The renderer protocol's app description (`demo.config()`): plain JSON, so any renderer can
 * draw an app without importing component classes. Versioned by {@link PROTOCOL_VERSION}.
 *
 * @packageDocumentation
 */
import { isDrawn, type Block, type Cell } from "./block";
import type { Blocks } from "./blocks";
import type { Dependency } from "./dependency";
import { LayoutBlock } from "./layout";

/** The protocol version; bumped on any incompatible change to these shapes. */
export const PROTOCOL_VERSION = 1;

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

function componentConfig(block: Block): ComponentConfig {
  const events = [...block._events];
  if (block instanceof LayoutBlock) return { id: block._id, type: block.type, props: { ...block.props }, events };
  const cell = block as Cell<unknown> & { _props?: Record<string, unknown> };
  const config: ComponentConfig = { id: cell._id, type: cell.type, props: { ...cell._props }, events };
  if (!cell._isFactory) config.value = cell._default;
  return config;
}

function layoutOf(block: Block): LayoutConfig {
  return { id: block._id, children: block instanceof LayoutBlock ? block._children.map(layoutOf) : [] };
}

function triggerOf(blocks: Blocks, t: { block: Block; event: string }): TriggerConfig {
  return [t.block === blocks ? null : t.block._id, t.event];
}

function dependencyConfig(blocks: Blocks, dep: Dependency): DependencyConfig {
  const o = dep.options;
  return {
    id: dep.id,
    triggers: dep.triggers.map((t) => triggerOf(blocks, t)),
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
  };
}

/** @internal Builds the config of a frozen Blocks. */
export function buildConfig(blocks: Blocks): AppConfig {
  const title = blocks.options.title;
  return {
    protocolVersion: PROTOCOL_VERSION,
    title: typeof title === "string" ? title : null,
    components: blocks._blocksById.filter(isDrawn).map(componentConfig),
    layout: blocks._children.map(layoutOf),
    dependencies: blocks._dependencies.map((d) => dependencyConfig(blocks, d)),
  };
}

/**
 * `blockstate/blocks`: the template classes, for renderer and framework authors. An app needs
 * none of it (everything an app uses is in `blockstate`); a renderer or a framework on top of
 * blockstate walks a Blocks' blocks and cells, tells kinds apart with `instanceof`, and reads a
 * listener's triggers, inputs and outputs.
 *
 * ```ts
 * import * as gr from "blockstate";
 * import { Cell, LayoutBlock } from "blockstate/blocks";
 *
 * const values = demo.blocks.filter((b): b is Cell<unknown> => b instanceof Cell);
 * ```
 *
 * The classes are the same objects as the ones behind `blockstate`'s components (one copy of
 * the engine per build), so `instanceof` works across the two entry points.
 *
 * @packageDocumentation
 */
export {
  Block,
  Cell,
  LayoutBlock,
  Dependency,
  type BlocksSite,
  type CellKind,
  type CellList,
  type InputValues,
  type HandlerArgs,
  type BatchHandlerArgs,
  type ValueOf,
  type ValueOrFactory,
  type Output,
  type OutputList,
  type ResolvedListenerOptions,
  type ChainLink,
  type ChainMethod,
  type EventListener,
  type ListenerMethod,
  type Handler,
  type BatchHandler,
  type ListenerConfig,
  type Trigger,
  type ChainKind,
} from "./block";
export type { OnConfig, TriggerLike } from "./listeners";
export { Render, type RenderFn, type Synchronous } from "./render";
export { Component, propNames } from "../components/component";

/**
 * blockstate: Gradio's state model without any UI.
 *
 * ```ts
 * import * as gr from "blockstate";
 * ```
 *
 * @packageDocumentation
 */
export { hash, clone, type Hashable, type Cloneable } from "./core/symbols";
export {
  AppError,
  AppError as Error,
  EventError,
  type EventErrorCode,
  Info,
  Warning,
  Success,
  type AppErrorOptions,
  type AlertType,
  visibleError,
  type VisibleError,
  GENERIC_ERROR_MESSAGE,
} from "./core/errors";
export { Block, Cell, type AnyCell, type CellKind, type CellList, type InputValues, type ValueOf, type ValueOrFactory } from "./blocks/block";
export { Blocks, type BlocksOptions, type LayoutNode } from "./blocks/blocks";
export { Row, Column, Tab, Group, Accordion, LayoutBlock, type LayoutProps, type Output, type OutputList } from "./blocks/layout";
export { State, Variable, Global, BrowserState, type StateOptions, type BrowserStateOptions } from "./blocks/state";
export { Dependency, type ListenerOptions, type TriggerMode, type ResolvedListenerOptions, type ChainLink, type ChainMethod } from "./blocks/dependency";
export {
  on,
  type EventListener,
  type ListenerMethod,
  type EventContext,
  type Progress,
  type TqdmOptions,
  type EventData,
  type Handler,
  type ListenerConfig,
  type OnConfig,
  type RequestInfo,
  type Trigger,
  type TriggerLike,
  type ChainKind,
} from "./blocks/listeners";
export { update, skip, type Update, type Skip } from "./blocks/update";
export { render, Render, type RenderOptions, type RenderFn } from "./blocks/render";
export { Interface, INTERFACE_SHORTCUTS, type InterfaceOptions, type InterfaceIO, type PageOptions } from "./blocks/interface";
export { ChatInterface, type ChatInterfaceOptions, type ChatFn, type ChatReply } from "./blocks/chat-interface";
export * from "./components/index";
export { NumberBox as Number, JSONView as JSON } from "./components/index";
export { App, MAX_SESSION_CAPACITY, type LaunchOptions, type ConnectOptions, type AppErrorEvent, type AppErrorSource } from "./runtime/app";
export { Session, type ComponentUpdate, type BlockQuery } from "./runtime/session";
export { RunHandle, type RunOptions, type RunEnd } from "./runtime/handle";
export {
  gradioConfig,
  apiInfo,
  valueSchema,
  type ValueSchema,
  type ApiInfo,
  type EndpointInfo,
  type ParameterInfo,
  type ReturnInfo,
  type GradioConfigOptions,
} from "./blocks/gradio-api";
export { PROTOCOL_VERSION, type AppConfig, type ComponentConfig, type DependencyConfig, type LayoutConfig, type TriggerConfig, type RenderConfig } from "./blocks/config";
export type { EventResult } from "./runtime/cascade";
export { MESSAGE_REPLAY, MESSAGE_REPLAY_CHARS, MESSAGE_MAX_CHARS, type Message, type AlertMessage, type StatusMessage, type ProgressMessage } from "./runtime/messages";
export { realClock, type Clock } from "./runtime/clock";
export { MemoryStore, type Store } from "./runtime/store";
export { MAX_SECONDS, MIN_INTERVAL_SECONDS, MAX_VALUE_DEPTH } from "./core/errors";
export { MAX_CHANGE_DEPTH } from "./runtime/run";
export { MemoryStorage, assertStorageLike, type StorageLike, type MemoryStorageOptions } from "./storage/web-storage";

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
  type InputVerdict,
  Info,
  Warning,
  Success,
  type AppErrorOptions,
  type AlertType,
  visibleError,
  type VisibleError,
  GENERIC_ERROR_MESSAGE,
} from "./core/errors";
// What the guides name is here; the template classes themselves (Block, Cell, Dependency, ...)
// for renderer and framework authors are in "blockstate/blocks" (src/blocks/index.ts).
export type { AnyCell, Dependency, ListenerOptions, TriggerMode, LayoutProps } from "./blocks/block";
export { Blocks, type BlocksOptions, type LayoutNode } from "./blocks/blocks";
export {
  Row,
  Column,
  Tab,
  Tabs,
  Group,
  Accordion,
  Sidebar,
  Walkthrough,
  Step,
  type RowProps,
  type ColumnProps,
  type TabProps,
  type TabsProps,
  type AccordionProps,
  type SidebarProps,
  type WalkthroughProps,
  type StepProps,
} from "./blocks/layout";
export { State, Variable, Global, BrowserState, type StateOptions, type BrowserStateOptions } from "./blocks/state";
export { on } from "./blocks/listeners";
export type { EventContext, Progress, TqdmOptions, EventData, RequestInfo, TargetBlock } from "./blocks/context";
export { update, skip, validate, type Update, type Skip, type Validation } from "./blocks/update";
export { render, type Render, type RenderOptions } from "./blocks/render";
export { Interface, INTERFACE_SHORTCUTS, type InterfaceOptions, type InterfaceIO, type PageOptions } from "./blocks/interface";
export { ChatInterface, type ChatInterfaceOptions, type ChatFn, type ChatReply } from "./blocks/chat-interface";
export { Examples, type ExamplesOptions } from "./blocks/examples";
export * from "./components/index";
export { NumberBox as Number, JSONView as JSON } from "./components/index";
export { App, MAX_SESSION_CAPACITY, type LaunchOptions, type ConnectOptions, type AppErrorEvent, type AppErrorSource } from "./runtime/app";
export { STORAGE_TIMEOUT_SECONDS } from "./runtime/browser-states";
export { Session, type ComponentUpdate } from "./runtime/session";
export type { BlockQuery } from "./runtime/query";
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
export { MemoryStorage, type StorageLike, type MemoryStorageOptions } from "./storage/web-storage";

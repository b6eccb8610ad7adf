/**
 * What Gradio's `/config` and `/info` answer, built from a frozen Blocks (docs/07): the
 * companion of `config()` for API clients. Browser-safe. Shapes
 * follow Gradio 5/6 as `@gradio/client` 2.x reads them: State cells are components of type
 * `"state"` with `skip_api`, never their values; endpoints list only the values a client sends
 * and receives.
 *
 * @packageDocumentation
 */
import type { AnyCell, Dependency, Output } from "./block";
import type { Blocks } from "./blocks";
import { parameterNames } from "./interface";
import { Component } from "../components/component";

/** A JSON Schema of the values a component sends and receives over the API. */
export type ValueSchema = Record<string, unknown>;

/** Gradio's per-component API description: the JSON schema and the Python type it names. */
interface TypeInfo {
  schema: ValueSchema;
  python: string;
  /** Gradio's class name (`Textbox`, `Number`), shown by `view_api()`. */
  component: string;
}

const STRING: ValueSchema = { type: "string" };
const NUMBER: ValueSchema = { type: "number" };
const CHOICE: ValueSchema = { anyOf: [{ type: "string" }, { type: "number" }] };
const MESSAGES: ValueSchema = {
  type: "array",
  items: {
    type: "object",
    properties: { role: { enum: ["user", "assistant", "system"] }, content: { type: "string" }, metadata: { type: "object" } },
    required: ["role", "content"],
  },
};

/** Component type (Gradio's lower-case block name) → its API types. */
const TYPES: Readonly<Record<string, TypeInfo>> = {
  textbox: { schema: STRING, python: "str", component: "Textbox" },
  markdown: { schema: STRING, python: "str", component: "Markdown" },
  html: { schema: STRING, python: "str", component: "HTML" },
  button: { schema: STRING, python: "str", component: "Button" },
  clearbutton: { schema: STRING, python: "str", component: "ClearButton" },
  timer: { schema: NUMBER, python: "float", component: "Timer" },
  checkbox: { schema: { type: "boolean" }, python: "bool", component: "Checkbox" },
  checkboxgroup: { schema: { type: "array", items: CHOICE }, python: "list[str | float]", component: "Checkboxgroup" },
  radio: { schema: { anyOf: [...(CHOICE.anyOf as ValueSchema[]), { type: "null" }] }, python: "str | float | None", component: "Radio" },
  dataset: { schema: { anyOf: [{ type: "integer" }, { type: "null" }] }, python: "int | None", component: "Dataset" },
  chatbot: { schema: MESSAGES, python: "list[dict(role: str, content: str)]", component: "Chatbot" },
  json: { schema: {}, python: "Any", component: "Json" },
  label: {
    schema: { anyOf: [{ type: "object", properties: { label: CHOICE, confidences: { type: "array" } } }, { type: "null" }] },
    python: "dict(label: str | float, confidences: list) | None",
    component: "Label",
  },
};

/**
 * The JSON schema of the values a component holds over the API (what a client sends as an
 * input and receives as an output), from its type and props: a multiselect Dropdown holds a
 * list, other Dropdowns one choice or `null`. Unknown component types get `{}` (any JSON).
 */
export function valueSchema(component: Component<unknown>): ValueSchema {
  return typeInfo(component).schema;
}

function typeInfo(cell: AnyCell): TypeInfo {
  if (cell.type === "number" || cell.type === "slider") {
    // As Gradio's `api_info`: precision 0 makes an integer; a Slider describes its range.
    const props = (cell as Component<unknown>).props;
    const integer = props.precision === 0;
    const schema: ValueSchema = { type: integer ? "integer" : "number" };
    if (cell.type === "slider") schema.description = `numeric value between ${props.minimum} and ${props.maximum}`;
    return { schema, python: integer ? "int" : "float", component: cell.type === "slider" ? "Slider" : "Number" };
  }
  if (cell.type === "dropdown") {
    const multi = (cell as Component<unknown>).props.multiselect === true;
    return multi
      ? { schema: { type: "array", items: CHOICE }, python: "list[str | float]", component: "Dropdown" }
      : { schema: { anyOf: [...(CHOICE.anyOf as ValueSchema[]), { type: "null" }] }, python: "str | float | None", component: "Dropdown" };
  }
  return TYPES[cell.type] ?? { schema: {}, python: "Any", component: cell.type.charAt(0).toUpperCase() + cell.type.slice(1) };
}

/**
 * Whether an output is hidden from the API: a cell kept on the server (State, BrowserState,
 * Global), or a layout container (S72: props only, no value).
 */
export function isServerState(cell: AnyCell | Output): boolean {
  return !(cell instanceof Component);
}

function labelOf(cell: AnyCell): string | undefined {
  return cell instanceof Component && typeof cell.props.label === "string" ? cell.props.label : undefined;
}

/** One parameter of an endpoint (State inputs are not parameters). */
export interface ParameterInfo {
  label: string;
  parameter_name: string;
  parameter_has_default: boolean;
  parameter_default: unknown;
  type: ValueSchema;
  python_type: { type: string; description: string };
  component: string;
  example_input: unknown;
}

/** One return value of an endpoint (State outputs are not returned). */
export interface ReturnInfo {
  label: string;
  type: ValueSchema;
  python_type: { type: string; description: string };
  component: string;
}

/** An endpoint of `/info`. */
export interface EndpointInfo {
  parameters: ParameterInfo[];
  returns: ReturnInfo[];
  api_visibility: "public";
}

/** Gradio's `/info`: named endpoints (keys with a leading `/`); `unnamed_endpoints` always `{}`. */
export interface ApiInfo {
  named_endpoints: Record<string, EndpointInfo>;
  unnamed_endpoints: Record<string, EndpointInfo>;
}

function identifier(text: string): string {
  const id = text.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(id) ? id : `param_${id}`;
}

function endpointInfo(dep: Dependency): EndpointInfo {
  const names = parameterNames(dep.fn);
  const parameters: ParameterInfo[] = [];
  dep.inputs.forEach((cell, i) => {
    if (isServerState(cell)) return;
    const info = typeInfo(cell);
    const label = labelOf(cell);
    const name = names.length === dep.inputs.length ? names[i] : label ? identifier(label) : `param_${i}`;
    // As Gradio: only a starting value that is not None is a default (a Number's null is none,
    // and a client refuses a call that leaves such a parameter out).
    const fallback = cell._isFactory ? null : (cell as Component<unknown>).value;
    const hasDefault = fallback !== null && fallback !== undefined;
    parameters.push({
      label: label ?? name,
      parameter_name: name,
      parameter_has_default: hasDefault,
      parameter_default: fallback ?? null,
      type: info.schema,
      python_type: { type: info.python, description: describeSchema(info.schema) },
      component: info.component,
      example_input: fallback ?? null,
    });
  });
  const returns: ReturnInfo[] = (dep.outputs.filter((c) => !isServerState(c)) as AnyCell[]).map((cell, i) => {
    const info = typeInfo(cell);
    return { label: labelOf(cell) ?? `value_${i}`, type: info.schema, python_type: { type: info.python, description: describeSchema(info.schema) }, component: info.component };
  });
  return { parameters, returns, api_visibility: "public" };
}

/** Gradio's `python_type.description`: its schema's `description`, else empty. */
function describeSchema(schema: ValueSchema): string {
  return typeof schema.description === "string" ? schema.description : "";
}

/** `/info` for a frozen Blocks: every listener with an api name. */
export function apiInfo(blocks: Blocks): ApiInfo {
  blocks._assertApp("apiInfo(blocks)");
  const named: Record<string, EndpointInfo> = {};
  for (const dep of blocks._dependencies) if (dep.apiName !== false && dep.options.apiVisibility === "public") named[`/${dep.apiName}`] = endpointInfo(dep);
  return { named_endpoints: named, unnamed_endpoints: {} };
}

function componentConfig(block: Output): Record<string, unknown> {
  // A State, BrowserState, Global or layout container: an id without a value for clients (see isServerState).
  if (!(block instanceof Component)) return { id: block._id, type: "state", props: { name: "state" }, skip_api: true, key: null };
  const component: Component<unknown> = block;
  const info = typeInfo(component);
  const props: Record<string, unknown> = { ...component.props, name: component.type };
  if (!component._isFactory) props.value = component.value;
  return {
    id: component._id,
    type: component.type,
    props,
    skip_api: false,
    key: component.props.key ?? null,
    api_info: info.schema,
    api_info_as_input: info.schema,
    api_info_as_output: info.schema,
  };
}

/** Options of {@link gradioConfig}. */
export interface GradioConfigOptions {
  apiPrefix: string;
  showError: boolean;
  /** Absolute URL clients prefix every path with; omitted: the URL they connected to. */
  root?: string;
}

/**
 * Gradio's `/config` for a frozen Blocks: protocol `sse_v3`, the components (States as
 * `"state"`, never their values) and every listener (`id` is its dependency id, the
 * `fn_index` clients send).
 *
 * A layout container a listener names as an output (S72) is a component here too: Python's
 * `gradio_client` fails to build an endpoint naming an id that is not one. Gradio lists it
 * under its own type; it is listed as a `"state"` with `skip_api`, like the other outputs
 * without a value, since `@gradio/client` drops exactly the `"state"` slots from a result
 * (`handle_payload`), which then holds the returns `/info` lists.
 */
export function gradioConfig(blocks: Blocks, options: GradioConfigOptions): Record<string, unknown> {
  blocks._assertApp("gradioConfig(blocks)");
  const cells = new Map<number, Output>();
  for (const cell of blocks._cells) cells.set(cell._id, cell);
  for (const dep of blocks._dependencies) for (const output of dep.outputs) if (!cells.has(output._id)) cells.set(output._id, output);
  const title = blocks.options.title;
  const config: Record<string, unknown> = {
    version: "5.0.0",
    mode: "blocks",
    app_id: 0,
    dev_mode: false,
    analytics_enabled: false,
    title: typeof title === "string" ? title : "blockstate",
    space_id: null,
    enable_queue: true,
    show_error: options.showError,
    connect_heartbeat: false,
    protocol: "sse_v3",
    api_prefix: options.apiPrefix,
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    components: [...cells.values()].map(componentConfig),
    dependencies: blocks._dependencies.map((dep) => ({
      id: dep.id,
      targets: dep.triggers.map((t) => [t.block === blocks ? null : t.block._id, t.event]),
      inputs: dep.inputs.map((c) => c._id),
      outputs: dep.outputs.map((c) => c._id),
      backend_fn: dep.backendFn,
      js: dep.options.js ?? null,
      queue: dep.options.queue,
      api_name: dep.apiName === false ? null : dep.apiName,
      scroll_to_output: false,
      show_progress: dep.options.showProgress,
      batch: dep.options.batch,
      max_batch_size: dep.options.maxBatchSize,
      cancels: dep.options.cancels.map((d) => d.id),
      types: { generator: dep.generator, cancel: dep.options.cancels.length > 0 },
      collects_event_data: false,
      trigger_after: dep.parent?.dependency.id ?? null,
      trigger_only_on_success: dep.parent?.on === "success",
      trigger_only_on_failure: dep.parent?.on === "failure",
      trigger_mode: dep.options.triggerMode,
      api_visibility: dep.apiName === false ? "private" : dep.options.apiVisibility,
      connection: "sse",
      time_limit: dep.options.timeLimit,
    })),
  };
  if (options.root !== undefined) config.root = options.root.replace(/\/+$/, "");
  return config;
}

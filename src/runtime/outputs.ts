/**
 * Normalising a handler's outputs (S32-S34, S72, S74): one entry per output, each value
 * checked by its component and compared with the cell's last reported content (S50) before
 * anything is written; and the errors naming the listener and output when a value cannot be
 * read.
 *
 * @packageDocumentation
 */
import { AppError, EventError, ValueTooDeep, describeValue, isStackOverflow, nearestName, MAX_VALUE_DEPTH } from "../core/errors";
import type { Comparison } from "../core/dataflow";
import { Cell, type AnyCell, type CellNode, type Dependency, LayoutBlock, type Output } from "../blocks/block";
import { ValueRejection } from "../blocks/props";
import { isSkip, isUpdate } from "../blocks/update";
import { Component, type Props } from "../components/component";
import type { SessionSite } from "./sites";

/** @internal One output's pending write, validated and compared before anything is committed. */
export interface Write {
  cell: Output;
  /** The cell's node when the write sets its value (normalised and compared here); undefined for props only. */
  node: CellNode | undefined;
  value: unknown;
  /** The component's props after the write, when it changes them. */
  props: Props | undefined;
  /** `Session._compare`'s answer (`undefined`: compare when written). */
  comparison: Comparison;
}

/** @internal What normalising needs of a run: where it runs and which listener returned the value. */
export interface Returning {
  readonly session: SessionSite;
  readonly dependency: Dependency;
}

/**
 * @internal A handler's result as writes (S32-S34). Everything that can fail happens here,
 * before the first write: normalising each value (a rejected one, S34), and reading and
 * comparing it with the cell's last reported content (S50: a value too deep, or whose getters
 * or Proxy traps throw). So a failed result writes nothing, and a good one writes every output.
 *
 * @throws EventError naming the listener (and the output) for a result that cannot be written.
 */
export function normaliseOutputs(run: Returning, returned: unknown): readonly Write[] {
  const { session, dependency } = run;
  // Made by its first write: `[write]` holds one, where a push into `[]` would make room for 17.
  let writes: Write[] | undefined;
  let at: Output | undefined; // the output being read, for messages
  try {
    // One output and a plain value (the common case): no array of one value per output.
    const single = dependency.outputs.length === 1 && !(returned instanceof Map) && !isSkip(returned);
    const values = single ? undefined : perOutput(run, returned);
    const count = values ? values.length : 1;
    for (let i = 0; i < count; i++) {
      const v = values ? values[i] : returned === undefined ? null : returned;
      if (v === SKIPPED || isSkip(v)) continue;
      const cell = (at = dependency.outputs[i]);
      if (!(cell instanceof Cell)) {
        // A layout container (S72): the only output that is not a cell.
        const changes = containerProps(dependency, cell, v);
        let earlier: Write | undefined;
        if (writes) for (let j = 0; j < writes.length; j++) if (writes[j].cell === cell) earlier = writes[j];
        const props = changes && session._nextProps(cell, changes, earlier?.props);
        if (props) {
          checkPropValues(dependency, cell, props);
          const write: Write = { cell, node: undefined, value: undefined, props, comparison: undefined };
          if (writes) writes.push(write);
          else writes = [write];
        }
        continue;
      }
      let hasValue = true;
      let value = v;
      let changes: Record<string, unknown> | undefined;
      if (isUpdate(v)) {
        const { value: updated, ...rest } = v.changes;
        hasValue = "value" in v.changes;
        value = updated;
        changes = rest;
      } else if (v instanceof Component) {
        // S33: a component instance made inside the handler is an update with the props it was given.
        hasValue = v._given.hasValue;
        value = v._given.value;
        changes = { ...v._given.props };
      }
      if (cell.kind !== "component") changes = undefined; // for a State only `value` counts
      if (changes) checkProps(dependency, cell as Component, changes);
      // An output listed twice (rare): its last value is the one written and compared (S50).
      let earlier: Write | undefined;
      if (writes) for (let j = 0; j < writes.length; j++) if (writes[j].cell === cell) earlier = writes[j];
      let props: Props | undefined;
      if (changes && Object.keys(changes).length > 0) props = session._nextProps(cell as Component, changes, earlier?.props);
      if (props) checkPropValues(dependency, cell as Component, props);
      let comparison: Comparison = undefined;
      let node: CellNode | undefined;
      if (hasValue) {
        node = cell._node;
        value = normaliseValue(dependency, node, value, props ?? earlier?.props ?? session._nodeProps(node));
        comparison = session._compare(node, value);
        if (earlier) keepPropsOnly(writes!, cell);
      }
      const write: Write = { cell, node, value, props, comparison };
      if (writes) writes.push(write);
      else writes = [write];
    }
  } catch (e) {
    throw resultError(dependency, at, e);
  }
  return writes ?? NO_WRITES;
}

const NO_WRITES: readonly Write[] = Object.freeze([]);

/**
 * An output listed twice, given a new value: its earlier writes keep their props (the new
 * write's props start from them) and lose their value, which is never written. So the cell is
 * compared once, its last value with its value before the run (S50): a value written back as
 * it was changed nothing, as Gradio's page shows only the last one.
 */
function keepPropsOnly(writes: Write[], cell: Output): void {
  for (let j = 0; j < writes.length; j++) {
    const w = writes[j];
    if (w.cell === cell && w.node) writes[j] = { ...w, node: undefined, value: undefined, comparison: undefined };
  }
}

/**
 * @internal A value a handler returned for `cell`, checked and normalised by the cell under
 * `props` (S34).
 *
 * @throws EventError "invalid_output" naming the listener, the cell and the value when the cell
 *   rejects it; whatever else `_normalize` throws, as it is.
 */
export function normaliseValue(dependency: Dependency, node: CellNode, value: unknown, props: Props): unknown {
  try {
    return node.normalize(value, props);
  } catch (e) {
    throw invalidOutput(dependency, node, value, e);
  }
}

/** What {@link normaliseValue} throws: a rejection as an EventError (`invalid_output`) naming the listener, the cell and the value; anything else as it is. */
function invalidOutput(dependency: Dependency, node: CellNode, value: unknown, e: unknown): unknown {
  if (!(e instanceof ValueRejection)) return e;
  return new EventError(`${dependency.describe()} returned an invalid value for ${node.describe()}: ${describeValue(value)} (${e.message}).`, "invalid_output");
}

/** @internal The node of a listener's one output when it has exactly one and it is a cell (not a layout container). */
export function onlyOutputNode(dependency: Dependency): CellNode | undefined {
  const outputs = dependency.outputs;
  return outputs.length === 1 && outputs[0] instanceof Cell ? (outputs[0] as AnyCell)._node : undefined;
}

/**
 * @internal Whether {@link normaliseOutputs} would read nothing of `returned` but the value
 * itself: a primitive (not a skip, an update, a Map, a component or a Proxy, and nothing whose
 * reading can throw). For one output that is a cell, the result is then that cell's write of
 * `returned` (`null` for `undefined`), which the scheduler makes without a {@link Write}.
 */
export function isPlainResult(returned: unknown): boolean {
  return returned === null || (typeof returned !== "object" && typeof returned !== "function");
}

const SKIPPED = Symbol("skipped");

/** S32: turns a handler's return value into one entry per output (`SKIPPED` for skips). */
function perOutput(run: Returning, returned: unknown): unknown[] {
  const { dependency } = run;
  const outputs = dependency.outputs;
  const n = outputs.length;
  if (n === 0) return [];
  if (isSkip(returned)) return new Array(n).fill(SKIPPED);
  // An empty Map is a value, as Gradio applies its dict rule only to a non-empty dict.
  if (returned instanceof Map && returned.size > 0 && [...returned.keys()].every((k) => k instanceof Cell || k instanceof LayoutBlock)) {
    for (const key of returned.keys()) {
      if (!outputs.includes(key)) {
        throw new EventError(`${dependency.describe()} returned a value for ${(key as AnyCell).describe()}, which is not one of its outputs.`, "not_an_output");
      }
    }
    return outputs.map((o) => (returned.has(o) ? returned.get(o) : SKIPPED));
  }
  if (n === 1) return [returned === undefined ? null : returned];
  if (!Array.isArray(returned)) {
    throw new EventError(`${dependency.describe()} has ${n} outputs but returned ${describeValue(returned)}; return an array of ${n} values (or a Map).`, "output_count");
  }
  if (returned.length < n) {
    throw new EventError(`${dependency.describe()} has ${n} outputs but returned ${returned.length} values: ${describeValue(returned)}.`, "output_count");
  }
  if (returned.length > n) {
    run.session._message({
      type: "warning",
      message: `${dependency.describe()} returned ${returned.length} values for ${n} outputs; the extra values were ignored.`,
      dependency: dependency.id,
    });
  }
  return returned.length === n ? returned : returned.slice(0, n);
}

/**
 * S72: what a handler returned for a layout container: the props of an update, or of a
 * container made in the handler (`new gr.Row({ visible: false })`, as Gradio's
 * `return gr.Row(visible=False)`), checked (S74); `undefined` to leave it as it is (`null`,
 * `undefined`; skips never get here).
 *
 * @throws EventError "invalid_output" for any other value: a container has no value.
 */
function containerProps(dependency: Dependency, container: LayoutBlock, v: unknown): Record<string, unknown> | undefined {
  if (v == null) return undefined;
  if (v instanceof LayoutBlock && v !== container) {
    const props = { ...v._given };
    checkProps(dependency, container, props);
    return Object.keys(props).length > 0 ? props : undefined;
  }
  if (!isUpdate(v)) {
    throw new EventError(
      `${dependency.describe()} returned ${describeValue(v)} for ${container.describe()}, a layout container, which has no value; ` +
        `return gr.update({ visible }) to change its props, or gr.skip() to leave it.`,
      "invalid_output",
    );
  }
  const props = { ...v.changes };
  checkProps(dependency, container, props);
  return Object.keys(props).length > 0 ? props : undefined;
}

/**
 * S74: an update may set only the props its target's class declares (`propNames`), as
 * Gradio's constructors refuse unknown keyword arguments.
 *
 * @throws EventError "invalid_output" naming the listener, the target, the prop and the nearest
 *   known one.
 */
function checkProps(dependency: Dependency, target: Component | LayoutBlock, props: Record<string, unknown>): void {
  const known = (target.constructor as unknown as { propNames: readonly string[] }).propNames;
  for (const key in props) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const why =
      key === "value" && target instanceof LayoutBlock
        ? "a layout container has no value"
        : `${near === undefined ? "" : `did you mean "${near}"? `}its props are ${known.join(", ")}`;
    throw new EventError(`${dependency.describe()} returned an update of ${target.describe()} with the unknown prop ${JSON.stringify(key)} (${why}).`, "invalid_output");
  }
}

/**
 * S34, S74: a component's or layout container's props after an update (its current props merged with the update's)
 * must pass the check its constructor applies (`Component._checkProps`, `LayoutBlock._checkProps`): `choices` an
 * array, a Slider's `minimum <= maximum`, `visible` a boolean, …
 *
 * @throws EventError "invalid_output" naming the listener, the target and the prop (the
 *   component's reason: `minimum 50 is greater than maximum 10`).
 */
function checkPropValues(dependency: Dependency, target: Component | LayoutBlock, props: Props): void {
  try {
    target._checkProps(props);
  } catch (e) {
    if (!(e instanceof ValueRejection)) throw e;
    throw new EventError(`${dependency.describe()} returned an update of ${target.describe()} with an invalid prop: ${e.message}.`, "invalid_output");
  }
}

/** V8's (and other engines') message for any operation on a revoked Proxy. */
const REVOKED_PROXY = /revoked/i;
/** @internal How messages name a revoked Proxy. */
export const REVOKED = "a revoked Proxy (an Immer draft is one once produce() has returned: return produce()'s result)";

/** @internal Whether `e` is the TypeError of an operation on a revoked Proxy. */
export function isRevokedProxyError(e: unknown): boolean {
  try {
    return e instanceof TypeError && REVOKED_PROXY.test(e.message);
  } catch {
    return false;
  }
}

/**
 * @internal An EventError for a value the engine could not read. Its message is the engine's and names
 * the listener; what was thrown is app code's (a getter, a Proxy trap, a `[gr.hash]()`) and may
 * say anything, so it is kept as the `cause`, not shown to users unasked (S36, `showError`).
 */
export function unreadable(message: string, cause: unknown): EventError {
  const error = new EventError(message, "unreadable_value");
  error.cause = cause;
  return error;
}

/**
 * @internal A failure to read what the handler returned or yielded (S32-S35), as an error naming the
 * listener and, when known, the output (see {@link valueError}).
 */
export function resultError(dependency: Dependency, cell: Output | undefined, e: unknown, verb = "returned"): Error {
  return valueError(`${dependency.describe()} ${verb} a value${cell ? ` for ${cell.describe()}` : ""} that`, e);
}

/**
 * @internal A failure to read or compare a value, as an error whose message starts with
 * `subject` ("listener "f" returned a value for State #1 that"): a value too deep to compare or
 * copy (code `value_too_deep`, naming {@link MAX_VALUE_DEPTH}), one whose getters, Proxy traps or
 * `[gr.hash]()` throw (`unreadable_value`, see {@link unreadable}). EventErrors (a rejected
 * value, a wrong count) and `gr.Error`s are clear already and pass as they are. Never throws.
 */
export function valueError(subject: string, e: unknown): Error {
  try {
    if (e instanceof AppError) return e;
    if (e instanceof ValueTooDeep) return new EventError(`${subject} is too deep: ${e.reason}.`, "value_too_deep");
    if (isStackOverflow(e)) {
      return new EventError(`${subject} is too deep: reading it overflowed the call stack (values may nest at most MAX_VALUE_DEPTH = ${MAX_VALUE_DEPTH} levels).`, "value_too_deep");
    }
    if (isRevokedProxyError(e)) return unreadable(`${subject} could not be read: it is or holds ${REVOKED}.`, e);
    return unreadable(`${subject} could not be read: reading it threw (see this error's cause).`, e);
  } catch {
    return unreadable(`${subject} could not be read.`, e);
  }
}


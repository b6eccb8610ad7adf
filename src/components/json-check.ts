/**
 * The check of values that renderers and Gradio's clients get as JSON (a JSON component's
 * value, a Chatbot message's metadata, a Dataset's samples): what `JSON.stringify` can write as
 * they are, within {@link MAX_VALUE_DEPTH}.
 *
 * @packageDocumentation
 */
import { MAX_VALUE_DEPTH, ValueTooDeep } from "../core/errors";
import { lossyObject } from "../storage/json-value";
import { reject, show } from "../blocks/props";

/**
 * @internal Checks that `value` is JSON data (S34): no functions, symbols, bigints or cycles,
 * no object JSON would store as something else (`lossyObject`: `Map`s, `Set`s, typed arrays,
 * ...), at most {@link MAX_VALUE_DEPTH} levels deep; an object's `toJSON()` result is what is
 * checked, and shared (non-cyclic) references are fine.
 *
 * @param path how messages name `value` (`value`, `message [2]`), followed by the path of the
 *   offending part (`value.items[2].fn is a function`).
 * @throws ValueRejection naming the part and what is wrong with it (past
 *   {@link MAX_VALUE_DEPTH}: `the value is too deep: ...`); what a getter or a Proxy's trap throws.
 */
export function checkJsonValue(value: unknown, path: string): void {
  assertJSON(value, path, { ancestors: new Map(), checked: new Map() }, 0);
}

/** A property access for paths in messages: `.name`, or `["odd key"]` (cut like any value). */
function key(k: string): string {
  return k.length <= 200 && /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${show(k)}]`;
}

/** What {@link assertJSON} knows of the objects it met. */
interface JsonWalk {
  /** The objects on the current path, with their paths: only those make a cycle. */
  readonly ancestors: Map<object, string>;
  /**
   * The objects already checked whole, with their height (see {@link assertJSON}): one met
   * again is not walked again. So a DAG (the same object under two keys) is accepted, and
   * walked in time linear in its objects, not in its paths (2^n for n objects each held twice
   * by the next).
   */
  readonly checked: Map<object, number>;
}

/**
 * Walks `value` as `JSON.stringify` would, each object once (see {@link JsonWalk}). `depth`
 * objects enclose `value`: past {@link MAX_VALUE_DEPTH} it is rejected, not walked until the
 * stack overflows.
 *
 * @returns its height: 0 for a primitive, else 1 more than its highest child's (a `toJSON`
 *   result counts as its child).
 */
function assertJSON(value: unknown, path: string, walk: JsonWalk, depth: number): number {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return 0;
    case "bigint":
      return reject(`${path} is a bigint; JSON has no bigints (convert it with Number() or String())`);
    case "symbol":
      return reject(`${path} is a symbol; JSON cannot hold symbols`);
    case "function":
      return reject(`${path} is a function; JSON cannot hold functions`);
  }
  if (value === null) return 0;
  const obj = value as object;
  let height = walk.checked.get(obj);
  if (height === undefined) walk.checked.set(obj, (height = walkObject(obj, path, walk, depth)));
  // The path is as long as the value is deep: not worth printing.
  if (depth + height > MAX_VALUE_DEPTH) reject(`the value is too deep: ${ValueTooDeep.limit}`);
  return height;
}

/** {@link assertJSON} of an object met for the first time. */
function walkObject(obj: object, path: string, walk: JsonWalk, depth: number): number {
  if (depth >= MAX_VALUE_DEPTH) reject(`the value is too deep: ${ValueTooDeep.limit}`);
  const { ancestors } = walk;
  const seenAt = ancestors.get(obj);
  if (seenAt !== undefined) reject(`${path} refers back to ${seenAt} (a cycle); JSON cannot hold cycles`);
  ancestors.set(obj, path);
  let highest = 0;
  if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    highest = assertJSON((obj as { toJSON(key: string): unknown }).toJSON(""), path, walk, depth + 1);
  } else {
    const lossy = lossyObject(obj);
    if (lossy !== undefined) reject(`${path} is ${lossy}`);
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) highest = Math.max(highest, assertJSON(obj[i], `${path}[${i}]`, walk, depth + 1));
    } else {
      for (const k of Object.keys(obj)) highest = Math.max(highest, assertJSON((obj as Record<string, unknown>)[k], path + key(k), walk, depth + 1));
    }
  }
  ancestors.delete(obj);
  return highest + 1;
}

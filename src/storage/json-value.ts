/**
 * The values BrowserState stores (S92): JSON, refusing what JSON would lose silently.
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 */
import { article, describeValue, messageOf } from "../core/errors";

/**
 * The JSON text BrowserState stores for `value` (S92): `JSON.stringify`, refusing what JSON
 * would lose silently. JSON's own conversions apply (`toJSON` is called, so a `Date` becomes
 * its ISO text; `NaN` becomes `null`; object properties that are `undefined` are dropped; an
 * instance of a class is stored as a plain object of its own enumerable properties).
 *
 * @throws TypeError `BrowserState value is not JSON-serialisable: …` for a cycle, a bigint, a
 *   function or symbol anywhere (naming its key or index), `undefined` at the top level, or an
 *   object JSON would store as something else (see {@link lossyObject}: a Map, a Uint8Array, a
 *   RegExp, an Error, …).
 *
 * @example
 * ```ts
 * serializeBrowserStateValue(["ann", ""]);  // '["ann",""]'
 * serializeBrowserStateValue({ f() {} });   // throws: … key "f" is a function
 * ```
 */
export function serializeBrowserStateValue(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // A cycle or a bigint: the engine's own message says which.
    throw notSerialisable(messageOf(error), error);
  }
  if (json === undefined) {
    const what = value === undefined ? "undefined" : `a ${typeof value}`;
    throw notSerialisable(`the value is ${what}`);
  }
  let lossy: string | undefined;
  try {
    lossy = findLossy(value);
  } catch (error) {
    // A second walk reads what stringify read once: a getter, `toJSON` or Proxy trap may throw now.
    throw notSerialisable(`reading it threw: ${messageOf(error)}`, error);
  }
  if (lossy !== undefined) throw notSerialisable(lossy);
  return json;
}

function notSerialisable(detail: string, cause?: unknown): TypeError {
  return new TypeError(`BrowserState value is not JSON-serialisable: ${detail}`, { cause });
}

/**
 * Where JSON.stringify silently lost something: a function or symbol that it dropped (in an
 * object) or turned into `null` (in an array), or an object it wrote as something else (see
 * {@link lossyObject}), so that what is read back differs from what was written. Walks the graph as JSON.stringify does (own enumerable keys, `toJSON` applied, boxed
 * primitives as primitives); only called after stringify succeeded, so there is no cycle.
 * `toJSON` methods therefore run twice per write; they are expected to be pure (Date's is).
 * A separate walk rather than a stringify replacer: a replacer is a call from native code for
 * every key and made stringify about 40% slower; this walk visits objects only.
 */
function findLossy(root: unknown): string | undefined {
  const pending: object[] = [];
  const visit = (inArray: boolean, key: string, raw: unknown): string | undefined => {
    const value = applyToJson(raw, key);
    const where = () => (raw === root ? "the value" : inArray ? `element ${key}` : `key ${describeValue(key)}`);
    if (typeof value === "function" || typeof value === "symbol") return `${where()} is a ${typeof value}`;
    if (typeof value === "object" && value !== null && !isBoxedPrimitive(value)) {
      const lossy = lossyObject(value);
      if (lossy !== undefined) return `${where()} is ${lossy}`;
      pending.push(value);
    }
    return undefined;
  };
  const atRoot = visit(false, "", root);
  if (atRoot !== undefined) return atRoot;
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const found = visit(true, String(i), node[i]);
        if (found !== undefined) return found;
      }
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const found = visit(false, key, record[key]);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function applyToJson(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON !== "function") return value;
  return (toJSON as (key: string) => unknown).call(value, key);
}

function isBoxedPrimitive(value: object): boolean {
  return value instanceof Number || value instanceof String || value instanceof Boolean;
}

/**
 * What JSON would store in place of `value`, an object whose `toJSON` (if any) has been
 * applied, when that is not `value` itself: `"a Map, which JSON would store as {} (…)"`, or
 * `undefined` for an object JSON keeps (a plain object, an array, a boxed primitive, or a class
 * instance with own enumerable properties, stored as a plain object of them). Refused:
 * - a `Map` or `Set` (stored as `{}`);
 * - a typed array (an object keyed by index), a `DataView` or `ArrayBuffer` (`{}`);
 * - an `Error` (its message and stack are not enumerable: `{}` or its extra fields only);
 * - any other object that is not plain and has no own enumerable property (a `RegExp`, a
 *   `WeakMap`, a `Promise`, a class instance whose state is in `#private` fields): `{}`.
 *
 * The one rule for BrowserState values (S92, S94) and `gr.JSON` values (S34).
 *
 * @internal
 */
export function lossyObject(value: object): string | undefined {
  if (Array.isArray(value) || isBoxedPrimitive(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  // A plain object's prototype is Object.prototype (of any realm: its own prototype is null) or null.
  if (proto === null || Object.getPrototypeOf(proto) === null) return undefined;
  const className = proto.constructor?.name;
  const name = typeof className === "string" && className !== "" ? article(className) : "an object";
  if (value instanceof Map || value instanceof Set) return `${name}, which JSON would store as {} (convert it to an object or array)`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `${name}, which JSON would store as an object keyed by index (convert it with Array.from)`;
  }
  if (value instanceof Error) return `${name}, which JSON would store without its message (store the message)`;
  if (Object.keys(value).length === 0) return `${name}, which JSON would store as {}`;
  return undefined;
}

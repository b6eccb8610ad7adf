/**
 * Gradio's streaming diffs (protocol `sse_v3`): after a generator's first yield, each output
 * is sent as a list of edits `[action, path, value]` from its previous value, which
 * `@gradio/client` applies in order. Values here are JSON (what went over the wire).
 *
 * @packageDocumentation
 */

/** One edit: `replace`/`append` at a path, or `add`/`delete` of an array item or object key. */
export type Edit = [action: "replace" | "append" | "add" | "delete", path: (string | number)[], value: unknown];

/** The one key an edit's path must never name (see {@link diff}). */
const PROTO = "__proto__";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The edits turning JSON value `before` into `after`: `[]` when equal; a string that grew is an
 * `append` (a streamed chat reply sends only its new characters); arrays and objects are
 * compared item by item, objects by their own keys; anything else is a `replace`, as is an
 * object with a `__proto__` key of its own, so that no path names that key.
 */
export function diff(before: unknown, after: unknown, path: (string | number)[] = [], edits: Edit[] = []): Edit[] {
  if (same(before, after)) return edits;
  if (typeof before === "string" && typeof after === "string" && after.startsWith(before)) {
    edits.push(["append", path, after.slice(before.length)]);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) diff(before[i], after[i], [...path, i], edits);
    for (let i = common; i < after.length; i++) edits.push(["add", [...path, i], after[i]]);
    // From the end, so each index still names the item it meant.
    for (let i = before.length - 1; i >= common; i--) edits.push(["delete", [...path, i], null]);
  } else if (isPlainObject(before) && isPlainObject(after) && !Object.hasOwn(before, PROTO) && !Object.hasOwn(after, PROTO)) {
    // Own keys only: a key named like an inherited member (`constructor`) is a key like any other.
    for (const key of Object.keys(after)) {
      if (Object.hasOwn(before, key)) diff(before[key], after[key], [...path, key], edits);
      else edits.push(["add", [...path, key], after[key]]);
    }
    for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) edits.push(["delete", [...path, key], null]);
  } else {
    // Also an object with a `__proto__` key of its own (JSON may have one): the client applies
    // an edit by assigning along its path, and assigning `__proto__` sets a prototype.
    edits.push(["replace", path, after]);
  }
  return edits;
}

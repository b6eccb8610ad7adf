/**
 * Gradio's streaming diffs (protocol `sse_v3`): after a generator's first yield, each output
 * is sent as a list of edits `[action, path, value]` from its previous value, which
 * `@gradio/client` applies in order. Values here are JSON (what went over the wire).
 *
 * @packageDocumentation
 */

/** One edit: `replace`/`append` at a path, or `add`/`delete` of an array item or object key. */
export type Edit = [action: "replace" | "append" | "add" | "delete", path: (string | number)[], value: unknown];

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
 * compared item by item; anything else is a `replace`.
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
  } else if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(after)) {
      if (key in before) diff(before[key], after[key], [...path, key], edits);
      else edits.push(["add", [...path, key], after[key]]);
    }
    for (const key of Object.keys(before)) if (!(key in after)) edits.push(["delete", [...path, key], null]);
  } else {
    edits.push(["replace", path, after]);
  }
  return edits;
}

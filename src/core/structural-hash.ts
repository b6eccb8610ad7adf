/**
 * The structural hash of class instances (S50): what change detection compares for an instance
 * of a user class that has no `[hash]()` of its own. Split from `equality.ts`, which records and
 * compares everything else.
 *
 * @packageDocumentation
 * @internal
 */

import objectHash from "object-hash";
import { _isPlatformObject } from "./copy";
import { MAX_VALUE_DEPTH, ValueTooDeep, isStackOverflow } from "./errors";
import { hash } from "./symbols";

const objectToString = Object.prototype.toString;

/** An object that may implement the `hash` protocol (S50). */
export type Hashish = { [hash]?: unknown };

/** Memo of {@link isPlatform} answers, per prototype, for one snapshot or comparison. */
export type PlatformCache = { platform: Map<object, boolean> | undefined };

/** Whether instances of `proto` are engine or platform objects (see `_isPlatformObject`). */
export function isPlatform(proto: object, tag: string, ctx: PlatformCache): boolean {
  let answer = ctx.platform?.get(proto);
  if (answer === undefined) {
    answer = _isPlatformObject(proto, tag);
    (ctx.platform ??= new Map()).set(proto, answer);
  }
  return answer;
}

/** A byte view of a buffer or view with tag `tag`; `undefined` when `v` is not one. */
export function bytesOf(v: object, tag: string): Uint8Array | undefined {
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") {
    return new Uint8Array(v as ArrayBufferLike);
  }
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}

/**
 * `object-hash` of an instance's own enumerable string-keyed fields, with the `passthrough`
 * algorithm: the result is object-hash's canonical, length-prefixed serialization rather than a
 * digest of it, which is exact (no collisions) and twice as fast; its size is that of the fields,
 * like every other snapshot.
 *
 * `object-hash` only knows plain shapes (with `respectType` it would also read prototypes and
 * constructor sources, slowly), so a replacer rewrites every non-plain object into a tagged plain
 * shape first: user classes as `["#class", name, fields]`, nested `[hash]()` implementers as
 * `["#hash", name, result]`, errors with their name and message, bytes as a string, platform
 * objects as their type name. Replacements are memoised per call so that a cycle reaches the same
 * object twice, which `object-hash` writes as `[CIRCULAR:n]` instead of recursing forever. (It
 * does so for any object met twice, so an instance whose two fields share one object hashes
 * differently from one holding two equal objects.)
 *
 * @throws ValueTooDeep when `object-hash`'s recursion exhausts the call stack: it takes several
 *   frames per level, so this can happen below `MAX_VALUE_DEPTH` (instances nested about 800
 *   deep on Node 20's default stack).
 */
export function structuralHash(root: object, cache: PlatformCache): string {
  const replaced = new Map<object, unknown>();
  const replacer = (x: unknown): unknown => {
    if (typeof x !== "object" || x === null || Array.isArray(x)) return x;
    const proto = Object.getPrototypeOf(x) as object | null;
    if (proto === Object.prototype || proto === null) return x;
    const prior = replaced.get(x);
    if (prior !== undefined) return prior;
    const replacement = replaceForHash(x, proto, cache);
    replaced.set(x, replacement);
    return replacement;
  };
  try {
    return objectHash(root, { algorithm: "passthrough", respectType: false, ignoreUnknown: true, replacer });
  } catch (e) {
    if (isStackOverflow(e)) {
      throw new ValueTooDeep("The value", `its class instances nest too deeply to hash (hashing them takes more stack per level, so this comes before the limit, MAX_VALUE_DEPTH = ${MAX_VALUE_DEPTH})`);
    }
    throw e;
  }
}

function replaceForHash(
  x: object,
  proto: object | null,
  cache: PlatformCache,
): unknown {
  const name = className(proto);
  const ownHash = (x as Hashish)[hash];
  if (typeof ownHash === "function") return ["#hash", name, ownHash.call(x)];
  const tag: string = objectToString.call(x);
  switch (tag) {
    case "[object Map]":
    case "[object Set]":
    case "[object Date]":
    case "[object RegExp]":
    case "[object Number]":
    case "[object String]":
    case "[object Boolean]":
    case "[object BigInt]":
      return x; // object-hash reads these by content
    case "[object Error]":
      return ["#error", name, String((x as Error).name), String((x as Error).message), fieldsOf(x)];
  }
  const bytes = bytesOf(x, tag);
  if (bytes !== undefined) return ["#bytes", tag, latin1(bytes)];
  if (proto !== null && isPlatform(proto, tag, cache)) return ["#platform", name];
  return ["#class", name, fieldsOf(x)];
}

function fieldsOf(x: object): Record<string, unknown> {
  // A null prototype so that an own "__proto__" field stays a field.
  const fields: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(x)) fields[key] = (x as Record<string, unknown>)[key];
  return fields;
}

function className(proto: object | null): string {
  if (proto === null) return "null";
  const ctor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
  return typeof ctor === "function" && ctor.name ? ctor.name : "anonymous";
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}


/**
 * Deep copy of State values (S2-S4): structured-clone semantics, extended so that instances of
 * user classes keep their prototype, and with errors that name the offending value's path.
 *
 * Two walks share one classification: a fast copy that keeps no path bookkeeping (it runs once
 * per session and State, so it must cost little more than the allocation of the copy), and a
 * slower check that builds paths. The check only runs when the fast copy has already failed, or
 * once at definition time ({@link assertCopyable}).
 *
 * @packageDocumentation
 */

import { MAX_VALUE_DEPTH, ValueTooDeep } from "./errors";
import { clone } from "./symbols";

//#region Public API

/**
 * Deep-copies `value` with structured-clone semantics, extended (S3).
 *
 * - Primitives (including `bigint`, `undefined`, `null`) are returned as they are.
 * - Arrays (elements only: holes become `undefined`, extra properties are dropped), plain
 *   objects (prototype `Object.prototype` or `null`; own enumerable string keys), `Map` (keys
 *   and values copied), `Set`, `Date`, `RegExp` (`lastIndex` reset), `ArrayBuffer`,
 *   `SharedArrayBuffer` (copied, never shared: sessions must not share memory, S1), typed
 *   arrays and `DataView` (views of one buffer still share the copied buffer), `Error` objects
 *   (all own properties, so `message`, `stack` and `cause`) and boxed primitives are copied as
 *   `structuredClone` would.
 * - An object with a `[clone]()` method (see `symbols.ts`) is copied by calling it; its result is
 *   used as is.
 * - Any other object whose prototype chain holds only user-defined constructors is copied
 *   keeping its prototype: `Object.create(Object.getPrototypeOf(v))`, then its own enumerable
 *   string and symbol properties, recursively. A copied `UserSession` is still
 *   `instanceof UserSession`. Subclasses of built-ins (`class Registry extends Map`) keep their
 *   prototype and own fields too. JavaScript `#private` fields cannot be reached from outside a
 *   class, so a class that has them must implement `[clone]()`.
 * - Platform objects (a prototype chain with a native constructor other than the built-ins
 *   above, e.g. `Blob` or `ImageData` in a browser) are copied with the platform's `structuredClone`
 *   when it accepts them (Node >= 17 and every current browser have it).
 * - Cycles and shared references are preserved: a value reached twice is copied once.
 *
 * @param value - The value to copy, typically a State's default.
 * @returns A copy that shares no mutable object with `value` (except results of `[clone]()`).
 * @throws TypeError when `value` holds something that cannot be copied: a function, a symbol,
 *   a `WeakMap`/`WeakSet`/`WeakRef`/`Promise`, a generator, or a platform object that
 *   `structuredClone` refuses (sockets, streams, ports, DOM nodes). The message names the
 *   value's type and its path with root `value`, e.g.
 *   `Cannot copy value.handlers[2]: a function (handler) cannot be deep-copied. ...`.
 *   ValueTooDeep (a TypeError) when `value` nests more than {@link MAX_VALUE_DEPTH} levels of
 *   objects (a cycle does not count: each object is copied once).
 *   Errors thrown by a `[clone]()` method or by a getter propagate unchanged.
 *
 * @example
 * ```ts
 * class UserSession { visits = 0; tags = new Set<string>(); }
 * const copy = deepCopy(new UserSession());
 * copy instanceof UserSession; // true
 * ```
 */
export function deepCopy<T>(value: T): T {
  // Fast path: no context, no allocation.
  if (typeof value !== "object" || value === null) {
    if (typeof value === "function" || typeof value === "symbol") {
      throw new TypeError(uncopyableMessage("value", describeLeaf(value)));
    }
    return value;
  }
  const ctx: CopyContext = { seen: new Map(), protoKinds: undefined };
  try {
    return copyValue(value, ctx, 0) as T;
  } catch (error) {
    if (!(error instanceof Uncopyable)) throw error;
    // The fast copy only knows that something failed; a second walk finds where.
    assertCopyable(value, "value");
    // The second walk found nothing: a getter or `[clone]()` answered differently this time.
    throw new TypeError(uncopyableMessage("value", error.what));
  }
}

/**
 * Checks that {@link deepCopy} can copy `value` (S3), without copying it. The State
 * constructor calls it so that an uncopyable default fails at definition time, never at a
 * user's first click.
 *
 * Objects with a `[clone]()` method are trusted and not looked into. Platform objects are tried
 * with `structuredClone`, so this may allocate a copy of those.
 *
 * @param value - The value to check.
 * @param root - How the path of the value starts in the message: `"default"` (the State's
 *   default) unless given.
 * @throws TypeError naming the type and path of the first uncopyable value found, in the form
 *   `Cannot copy default.handlers[2]: a function (handler) cannot be deep-copied. Make the
 *   State's value a factory (() => value) or implement [gr.clone]().` Paths write keys as
 *   `.name` (or `["odd key"]`, `[Symbol(k)]`), array indexes as `[2]`, `Map` values as
 *   `.get("key")` and `Map` keys as `<map key>`, `Set` members as `<set member>`.
 *   ValueTooDeep (a TypeError) when `value` nests more than {@link MAX_VALUE_DEPTH} levels of
 *   objects: `The default is too deep: it nests more than 1000 levels of objects (...)`.
 *
 * @example
 * ```ts
 * assertCopyable({ handlers: [1, 2, () => 0] }); // TypeError: Cannot copy default.handlers[2]: ...
 * ```
 */
export function assertCopyable(value: unknown, root = "default"): void {
  const found = findUncopyable(value, root, { visited: new Set(), protoKinds: undefined, root }, 0);
  if (found !== undefined) throw new TypeError(uncopyableMessage(found.path, found.what));
}

//#endregion

//#region Classification (shared by the copy and the check)

const objectToString = Object.prototype.toString;
/** Thrown by the fast copy; carries no path because the fast copy keeps none. */
class Uncopyable extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/**
 * What the prototype chain of a non-plain, non-built-in object says about it. Cached per walk,
 * because it reads constructor sources and an array of 1,000 instances has one prototype.
 */
type ProtoKind =
  | {
      readonly user: true;
      /**
       * Keys that an accessor or a read-only property on the prototype chain owns: a copied
       * field of that name must be defined, as assigning it would call the setter or throw.
       * Every other field is assigned, which is several times faster.
       */
      readonly guarded: ReadonlySet<PropertyKey>;
    }
  /**
   * An engine or platform object, named `name` in errors. Copyable only when
   * `tryStructuredClone` (a platform constructor was found) and `structuredClone` accepts it.
   */
  | { readonly user: false; readonly name: string; readonly tryStructuredClone: boolean };

interface CopyContext {
  /** original → copy; also what makes cycles terminate. */
  readonly seen: Map<object, unknown>;
  protoKinds: Map<object, ProtoKind> | undefined;
}

interface CheckContext {
  readonly visited: Set<object>;
  protoKinds: Map<object, ProtoKind> | undefined;
  /** How the value is named in messages (`default`). */
  readonly root: string;
}

/** Tags of built-ins that can never be copied; named in the error as they are. */
const uncopyableTags: ReadonlySet<string> = new Set([
  "[object WeakMap]",
  "[object WeakSet]",
  "[object WeakRef]",
  "[object FinalizationRegistry]",
  "[object Promise]",
  "[object Symbol]",
  "[object Generator]",
  "[object AsyncGenerator]",
]);

/** V8 prints `{ [native code] }`, SpiderMonkey and JavaScriptCore add line breaks. */
const nativeCodePattern = /\{\s*\[native code\]\s*\}\s*$/;

function isNativeFunction(fn: Function): boolean {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return false; // a revoked proxy or similar: not something the platform made
  }
  return nativeCodePattern.test(source.length > 80 ? source.slice(-80) : source);
}

function classifyProto(
  proto: object,
  tag: string,
  ctx: { protoKinds: Map<object, ProtoKind> | undefined },
): ProtoKind {
  const cached = ctx.protoKinds?.get(proto);
  if (cached !== undefined) return cached;
  const kind = walkProtoChain(proto, tag);
  (ctx.protoKinds ??= new Map()).set(proto, kind);
  return kind;
}

/**
 * A user class instance has only user-written constructors above `Object`. A platform
 * constructor (Node's `TCP` handle, a browser's `WebSocket`, `EventTarget` under a user
 * subclass) means internal slots or `#private` fields that a structural copy would lose. A
 * platform constructor is a native one, or a global of the same name: Node writes `URL`,
 * `AbortController` or `Blob` in JavaScript, with private fields.
 */
function walkProtoChain(proto: object, tag: string): ProtoKind {
  let sawUserConstructor = false;
  for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = Object.getOwnPropertyDescriptor(p, "constructor")?.value;
    if (typeof ctor !== "function") continue;
    if (ctor.name === "Object" && Object.getPrototypeOf(p) === null) break; // some realm's Object.prototype
    const platform =
      (ctor.name !== "" && (globalThis as Record<string, unknown>)[ctor.name] === ctor) || isNativeFunction(ctor);
    if (!platform) {
      sawUserConstructor = true;
      continue;
    }
    const own = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
    const alias = typeof own === "function" && own !== ctor && own.name ? ` (${own.name})` : "";
    return { user: false, name: `${ctor.name || "native object"}${alias}`, tryStructuredClone: true };
  }
  // Prototype objects without constructors (`Object.create(protoWithMethods)`) are user data
  // too, unless a tag says the engine made them (iterators, for instance).
  if (sawUserConstructor || tag === "[object Object]") return { user: true, guarded: guardedKeys(proto) };
  return { user: false, name: tag.slice(8, -1), tryStructuredClone: false };
}

function guardedKeys(proto: object): ReadonlySet<PropertyKey> {
  const guarded = new Set<PropertyKey>(["__proto__"]);
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Reflect.ownKeys(p)) {
      const desc = Object.getOwnPropertyDescriptor(p, key)!;
      if (!("value" in desc) || !desc.writable) guarded.add(key);
    }
  }
  return guarded;
}

/**
 * `structuredClone` copies what the platform knows how to (a `Blob`, an `ImageData`) and throws
 * `DataCloneError` for the rest, but flattens a JavaScript-implemented object (Node's `URL`) to
 * a plain one: only a copy with the original's prototype counts.
 */
function tryStructuredClone(value: object): { ok: true; copy: unknown } | { ok: false } {
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch {
    return { ok: false };
  }
  const sameKind =
    typeof copy === "object" && copy !== null && Object.getPrototypeOf(copy) === Object.getPrototypeOf(value);
  return sameKind ? { ok: true, copy } : { ok: false };
}

function isIntrinsicPrototype(proto: object | null, tag: string): boolean {
  const ctor = (globalThis as Record<string, unknown>)[tag.slice(8, -1)];
  return typeof ctor === "function" && proto === ctor.prototype;
}

/** Keys of own enumerable fields a structural copy carries: strings, then symbols. */
function ownFieldKeys(v: object): (string | symbol)[] {
  const keys: (string | symbol)[] = Object.keys(v);
  for (const s of Object.getOwnPropertySymbols(v)) {
    if (Object.prototype.propertyIsEnumerable.call(v, s)) keys.push(s);
  }
  return keys;
}

const arrayIndexPattern = /^(?:0|[1-9]\d*)$/;

/**
 * Whether an object that is neither plain, an array, nor a built-in copied by content is an
 * engine or platform object (a `WeakMap`, a `Promise`, a socket handle, a DOM node) rather than
 * an instance of a user class. Change detection compares those by identity.
 *
 * @internal Shared with `equality.ts`; not part of the public API.
 * @param proto - The object's prototype.
 * @param tag - `Object.prototype.toString.call(object)`.
 */
export function _isPlatformObject(proto: object, tag: string): boolean {
  return uncopyableTags.has(tag) || !walkProtoChain(proto, tag).user;
}

//#endregion

//#region Fast copy

/** Copies `v`, which `depth` objects enclose (`depth + 1` is its level, see MAX_VALUE_DEPTH). */
function copyValue(v: unknown, ctx: CopyContext, depth: number): unknown {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "function" || typeof v === "symbol") throw new Uncopyable(describeLeaf(v));
    return v;
  }
  const prior = ctx.seen.get(v);
  if (prior !== undefined) return prior;
  if (depth >= MAX_VALUE_DEPTH) throw new ValueTooDeep();
  depth++;

  if (Array.isArray(v)) {
    const out: unknown[] = [];
    ctx.seen.set(v, out);
    for (let i = 0; i < v.length; i++) out.push(copyValue(v[i], ctx, depth));
    const proto = Object.getPrototypeOf(v);
    if (proto !== Array.prototype) {
      Object.setPrototypeOf(out, proto);
      copyFields(v, out, ctx, true, depth);
    }
    return out;
  }

  const proto = Object.getPrototypeOf(v);
  if ((proto === Object.prototype || proto === null) && typeof (v as Cloneish)[clone] !== "function") {
    const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
    ctx.seen.set(v, out);
    for (const key of Object.keys(v)) {
      const item = copyValue((v as Record<string, unknown>)[key], ctx, depth);
      // Assigning "__proto__" (own key from JSON.parse) would replace the copy's prototype.
      if (key === "__proto__") defineField(out, key, item);
      else out[key] = item;
    }
    return out;
  }
  return copyOther(v, proto, ctx, depth);
}

type Cloneish = { [clone]?: unknown };

/** `depth`: how many objects enclose the children of `v`. */
function copyOther(v: object, proto: object | null, ctx: CopyContext, depth: number): unknown {
  const cloneMethod = (v as Cloneish)[clone];
  if (typeof cloneMethod === "function") {
    const out: unknown = cloneMethod.call(v);
    ctx.seen.set(v, out);
    return out;
  }

  const tag: string = objectToString.call(v);
  let out: object;
  switch (tag) {
    case "[object Map]": {
      const map = new Map<unknown, unknown>();
      out = map;
      ctx.seen.set(v, out);
      Map.prototype.forEach.call(v, (item: unknown, key: unknown) => {
        map.set(copyValue(key, ctx, depth), copyValue(item, ctx, depth));
      });
      break;
    }
    case "[object Set]": {
      const set = new Set<unknown>();
      out = set;
      ctx.seen.set(v, out);
      Set.prototype.forEach.call(v, (item: unknown) => {
        set.add(copyValue(item, ctx, depth));
      });
      break;
    }
    case "[object Date]":
      out = new Date(Date.prototype.getTime.call(v));
      break;
    case "[object RegExp]":
      out = new RegExp((v as RegExp).source, (v as RegExp).flags);
      break;
    case "[object ArrayBuffer]":
      out = ArrayBuffer.prototype.slice.call(v, 0);
      break;
    case "[object SharedArrayBuffer]": {
      const source = new Uint8Array(v as SharedArrayBuffer);
      const shared = new SharedArrayBuffer(source.byteLength);
      new Uint8Array(shared).set(source);
      out = shared;
      break;
    }
    case "[object Error]":
      out = copyError(v as Error, ctx, depth);
      break;
    case "[object Number]":
      out = Object(Number.prototype.valueOf.call(v));
      break;
    case "[object String]":
      out = Object(String.prototype.valueOf.call(v));
      break;
    case "[object Boolean]":
      out = Object(Boolean.prototype.valueOf.call(v));
      break;
    case "[object BigInt]":
      out = Object(BigInt.prototype.valueOf.call(v));
      break;
    default: {
      if (uncopyableTags.has(tag)) throw new Uncopyable(describeTag(tag));
      if (ArrayBuffer.isView(v)) {
        out = copyView(v, tag, ctx, depth);
        break;
      }
      const kind = classifyProto(proto as object, tag, ctx);
      if (!kind.user) {
        const cloned = kind.tryStructuredClone ? tryStructuredClone(v) : { ok: false as const };
        if (!cloned.ok) throw new Uncopyable(withArticle(kind.name));
        ctx.seen.set(v, cloned.copy);
        return cloned.copy;
      }
      const instance = Object.create(proto) as Record<PropertyKey, unknown>;
      ctx.seen.set(v, instance);
      for (const key of ownFieldKeys(v)) {
        const item = copyValue((v as Record<PropertyKey, unknown>)[key], ctx, depth);
        if (kind.guarded.has(key)) defineField(instance, key, item);
        else instance[key] = item;
      }
      return instance;
    }
  }
  ctx.seen.set(v, out);
  if (tag !== "[object Error]" && !isIntrinsicPrototype(proto, tag)) {
    // A user subclass of a built-in is still a user class instance (S3). Index keys are the
    // content of views and String objects, already copied.
    Object.setPrototypeOf(out, proto);
    copyFields(v, out, ctx, true, depth);
  }
  return out;
}

function copyView(v: ArrayBufferView, tag: string, ctx: CopyContext, depth: number): object {
  // Copying the whole buffer through `seen` keeps two views of one buffer sharing their copy,
  // as structuredClone does.
  const buffer = copyValue(v.buffer, ctx, depth) as ArrayBufferLike;
  if (tag === "[object DataView]") return new DataView(buffer, v.byteOffset, v.byteLength);
  const Ctor = (globalThis as Record<string, unknown>)[tag.slice(8, -1)] as new (
    b: ArrayBufferLike,
    offset: number,
    length: number,
  ) => object;
  const length = v.byteLength / (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Ctor(buffer, v.byteOffset, length);
}

function copyError(v: Error, ctx: CopyContext, depth: number): object {
  // `new Error()` rather than Object.create so the copy keeps the [[ErrorData]] brand.
  const out = new Error();
  ctx.seen.set(v, out);
  delete (out as { stack?: string }).stack;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Error.prototype) Object.setPrototypeOf(out, proto);
  for (const key of Reflect.ownKeys(v)) {
    const desc = Object.getOwnPropertyDescriptor(v, key)!;
    const item = "value" in desc ? desc.value : Reflect.get(v, key);
    Object.defineProperty(out, key, {
      value: copyValue(item, ctx, depth),
      writable: true,
      enumerable: desc.enumerable ?? false,
      configurable: true,
    });
  }
  return out;
}

function copyFields(from: object, to: object, ctx: CopyContext, skipIndexes: boolean, depth: number): void {
  for (const key of ownFieldKeys(from)) {
    if (skipIndexes && typeof key === "string" && arrayIndexPattern.test(key)) continue;
    // defineProperty, not assignment: a setter or read-only accessor of the same name on the
    // prototype must not intercept the copy.
    defineField(to, key, copyValue((from as Record<string | symbol, unknown>)[key], ctx, depth));
  }
}

function defineField(to: object, key: string | symbol, value: unknown): void {
  Object.defineProperty(to, key, { value, writable: true, enumerable: true, configurable: true });
}

//#endregion

//#region Check with paths

interface Found {
  readonly path: string;
  readonly what: string;
}

/** As {@link copyValue}: `depth` objects enclose `v`. */
function findUncopyable(v: unknown, path: string, ctx: CheckContext, depth: number): Found | undefined {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "function" || typeof v === "symbol") return { path, what: describeLeaf(v) };
    return undefined;
  }
  if (ctx.visited.has(v)) return undefined;
  ctx.visited.add(v);
  // The path would be as long as the value is deep: the message names the root only.
  if (depth >= MAX_VALUE_DEPTH) throw new ValueTooDeep(`The ${ctx.root}`);
  depth++;

  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = findUncopyable(v[i], `${path}[${i}]`, ctx, depth);
      if (found) return found;
    }
    return Object.getPrototypeOf(v) === Array.prototype ? undefined : checkFields(v, path, ctx, true, depth);
  }

  if (typeof (v as Cloneish)[clone] === "function") return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(v)) {
      const found = findUncopyable((v as Record<string, unknown>)[key], path + formatKey(key), ctx, depth);
      if (found) return found;
    }
    return undefined;
  }

  const tag: string = objectToString.call(v);
  let found: Found | undefined;
  switch (tag) {
    case "[object Map]":
      for (const [key, item] of Map.prototype.entries.call(v) as IterableIterator<[unknown, unknown]>) {
        found =
          findUncopyable(key, `${path}<map key>`, ctx, depth) ??
          findUncopyable(item, `${path}.get(${formatMapKey(key)})`, ctx, depth);
        if (found) return found;
      }
      break;
    case "[object Set]":
      for (const item of Set.prototype.values.call(v) as IterableIterator<unknown>) {
        found = findUncopyable(item, `${path}<set member>`, ctx, depth);
        if (found) return found;
      }
      break;
    case "[object Error]":
      for (const key of Reflect.ownKeys(v)) {
        const desc = Object.getOwnPropertyDescriptor(v, key)!;
        const item = "value" in desc ? desc.value : Reflect.get(v, key);
        found = findUncopyable(item, path + formatKey(key), ctx, depth);
        if (found) return found;
      }
      return undefined;
    case "[object Date]":
    case "[object RegExp]":
    case "[object ArrayBuffer]":
    case "[object SharedArrayBuffer]":
    case "[object Number]":
    case "[object String]":
    case "[object Boolean]":
    case "[object BigInt]":
      break;
    default: {
      if (uncopyableTags.has(tag)) return { path, what: describeTag(tag) };
      if (ArrayBuffer.isView(v)) break;
      const kind = classifyProto(proto as object, tag, ctx);
      if (kind.user) return checkFields(v, path, ctx, false, depth);
      const copyable = kind.tryStructuredClone && tryStructuredClone(v).ok;
      return copyable ? undefined : { path, what: withArticle(kind.name) };
    }
  }
  return isIntrinsicPrototype(proto, tag) ? undefined : checkFields(v, path, ctx, true, depth);
}

function checkFields(v: object, path: string, ctx: CheckContext, skipIndexes: boolean, depth: number): Found | undefined {
  for (const key of ownFieldKeys(v)) {
    if (skipIndexes && typeof key === "string" && arrayIndexPattern.test(key)) continue;
    const found = findUncopyable((v as Record<string | symbol, unknown>)[key], path + formatKey(key), ctx, depth);
    if (found) return found;
  }
  return undefined;
}

//#endregion

//#region Messages

function uncopyableMessage(path: string, what: string): string {
  return (
    `Cannot copy ${path}: ${what} cannot be deep-copied. ` +
    `Make the State's value a factory (() => value) or implement [gr.clone]().`
  );
}

function describeLeaf(v: Function | symbol): string {
  if (typeof v === "symbol") return `a symbol (${v.toString()})`;
  return v.name ? `a function (${v.name})` : "an anonymous function";
}

function describeTag(tag: string): string {
  const name = tag.slice(8, -1);
  return name === "Symbol" ? "a Symbol object" : withArticle(name);
}

function withArticle(name: string): string {
  // "an EventTarget", "an Int8Array", but "a URL": an acronym is read letter by letter.
  return `${/^[AEIOU][a-z]/i.test(name) && !/^[A-Z]{2}/.test(name) ? "an" : "a"} ${name}`;
}

const identifierPattern = /^[A-Za-z_$][\w$]*$/;

function formatKey(key: string | symbol): string {
  if (typeof key === "symbol") return `[${key.toString()}]`;
  if (identifierPattern.test(key)) return `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

function formatMapKey(key: unknown): string {
  switch (typeof key) {
    case "string":
      return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
    case "bigint":
      return `${key}n`;
    case "symbol":
      return key.toString();
    case "function":
      return "<function>";
    case "object":
      if (key === null) return "null";
      if (Array.isArray(key)) return "<array>";
      return `<${(key as { constructor?: { name?: string } }).constructor?.name || "object"}>`;
    default:
      return String(key);
  }
}

//#endregion

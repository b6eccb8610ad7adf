/**
 * Change detection (S50-S52, S55): snapshots of watched cells and content comparison.
 *
 * The engine snapshots a watched cell after each reported value and, after the next write, asks
 * whether the live value still matches. Snapshots are *copies of content*, not hashes: data is
 * copied once and compared by a walk that allocates next to nothing, some fifty times cheaper
 * than hashing it (with `object-hash`, measured by `bench/change.ts`). Instances of user classes
 * are walked too, field by field, as S50's structural hash of their fields would compare them:
 * so shared and cyclic references inside an instance follow the same rules as in plain data.
 *
 * Cells nobody watches are never snapshotted (S55): that is the engine's side of the contract;
 * this module only keeps the per-watched-cell cost proportional to the value's size.
 *
 * @packageDocumentation
 */

import { _isPlatformObject } from "./copy";
import { MAX_VALUE_DEPTH, ValueTooDeep } from "./errors";
import { hash } from "./symbols";

//#region Public API

/**
 * An immutable, comparable record of a value's content at one moment. Opaque: only
 * {@link matchesSnapshot} reads it. A primitive's snapshot is the primitive itself.
 */
export type Snapshot = unknown;

/**
 * Records the content of `value` as S50 compares it, so that later in-place mutations of
 * `value` are detected (S51): mutating the live value never alters the snapshot.
 *
 * What is recorded:
 * - primitives, functions and symbols: themselves (compared with `Object.is`);
 * - arrays, plain objects (own enumerable string keys), `Map` and `Set`: a copy of their
 *   elements' snapshots;
 * - `Date` (time), `RegExp` (source and flags), `ArrayBuffer`, typed arrays and `DataView`
 *   (their bytes), boxed primitives (their value);
 * - an object with a `[hash]()` method (see `symbols.ts`), other than a plain object: its
 *   prototype and a snapshot of what `[hash]()` returned;
 * - any other instance of a user class: its prototype and its own enumerable string-keyed
 *   fields, recorded as a plain object's are (S50's structural hash, without the hashing).
 *   `Error`s the same way, with their name and message added;
 * - engine and platform objects (`WeakMap`, `Promise`, sockets, DOM nodes): a reference,
 *   compared by identity, as their content cannot be read.
 *
 * Cost is proportional to the size of the data, class instances included. Cycles and
 * shared objects terminate in linear time: data nested {@link MAX_VALUE_DEPTH} levels deep, or
 * reaching more than {@link FAST_PASS_MAX_NODES} objects (counting each reference to a shared
 * one), is snapshotted a second time with every visited object recorded, so that a shared
 * object is recorded once however many paths lead to it, and such a snapshot is compared with
 * cycle tracking (see {@link matchesSnapshot}).
 *
 * @param value - The live value of a watched cell.
 * @returns The snapshot; `value` itself when it is not an object.
 * @throws ValueTooDeep when `value` nests more than {@link MAX_VALUE_DEPTH} levels of objects
 *   (a cycle does not count: each object is recorded once). Whatever a `[hash]()` method or a
 *   getter throws.
 */
export function snapshot(value: unknown): Snapshot {
  if (typeof value !== "object" || value === null) return value;
  const ctx: SnapshotContext = { seen: undefined, shared: false, visits: 0, platform: undefined };
  try {
    return snap(value, ctx, 0);
  } catch (error) {
    if (!(error instanceof FastPassAbort)) throw error;
  }
  // Probably a cycle or shared objects. Start again, this time recording every object met.
  ctx.seen = new Map();
  const root = snap(value, ctx, 0);
  // Only snapshots with shared nodes pay for cycle tracking when compared.
  return ctx.shared ? new SharedRoot(root) : root;
}

/**
 * Whether `value`'s current content equals what `snap` recorded, i.e. whether writing `value`
 * over the snapshotted one is *not* a change (S50, S52). Implements S50's rules:
 *
 * - primitives by `Object.is` (`NaN` equals `NaN`; `0` and `-0` differ);
 * - an array never equals a non-array, a `Map` never equals a plain object;
 * - plain objects: same set of own enumerable string keys with equal values, in any order
 *   (a `null`-prototype object equals an ordinary one with the same content);
 * - `Map`: same size and, for every recorded entry, a live entry with an equal key and an equal
 *   value, in any order. Keys are compared by content like everything else: primitive keys are
 *   looked up directly, object keys are paired with unused live object keys (quadratic in the
 *   number of object keys, and only when the live entries are not in the recorded order);
 * - `Set`: the same rule with members instead of entries, so a `Set` of objects matches a new
 *   `Set` of equal objects, and an in-place change to a member is detected;
 * - class instances: same prototype and, with a `[hash]()`, equal results compared by content;
 *   without, equal fields by the plain-object rule (and, for errors, equal name and message).
 *   Two classes with equal fields therefore differ;
 * - cyclic or shared data: a (recorded node, live object) pair met again while it is still
 *   being compared counts as equal (co-inductive, like Node's `isDeepStrictEqual`), so cycles
 *   terminate and equal cyclic graphs match. A pair whose comparison did not rest on such an
 *   assumption is compared once: data whose objects are shared along many paths (a DAG) costs
 *   time linear in its objects, not in its paths.
 *
 * Allocates nothing for plain data in recorded key order, apart from `Object.keys` of each live
 * plain object.
 *
 * @param snap - A value returned by {@link snapshot}.
 * @param value - The live value to compare.
 * @returns `true` when `value` has the recorded content.
 * @throws ValueTooDeep when the comparison goes more than {@link MAX_VALUE_DEPTH} levels deep
 *   (only possible against a cyclic snapshot). Whatever a `[hash]()` method or a getter throws.
 *
 * @example
 * ```ts
 * const history = [{ role: "user", content: "hi" }];
 * const before = snapshot(history);
 * history.push({ role: "assistant", content: "hello" });
 * matchesSnapshot(before, history); // false: the in-place append is a change (S51)
 * ```
 */
export function matchesSnapshot(snap: Snapshot, value: unknown): boolean {
  if (typeof snap !== "object" || snap === null) return Object.is(snap, value);
  if (snap instanceof SharedRoot) {
    return match(snap.root, value, { memo: new Map(), settled: new Map(), assumptions: 0 }, 0);
  }
  return match(snap, value, { memo: undefined, settled: undefined, assumptions: 0 }, 0);
}

/**
 * {@link snapshot} of `value` for a cell whose last snapshot was `previous` and whose write
 * `value` did not match it: the elements of an array that still match `previous`'s element at
 * the same index keep that element's record instead of being copied again. Appending a message
 * to a 1,000-message history records one message, not 1,000 (the engine's cost per chat event
 * grew with the history's length). Records are never changed once made and never handed out,
 * so a cell's old and new snapshots can share them.
 *
 * Anything but an array after an array is {@link snapshot}; so is an array holding a cycle or
 * shared objects (the first pass gives up on it), and one after a snapshot with shared nodes.
 * Matching an element costs what {@link matchesSnapshot} costs, which allocates next to nothing;
 * recording it costs a copy.
 *
 * @param previous - The cell's snapshot before the write (from {@link snapshot} or this function).
 * @param value - The live value written.
 * @throws As {@link snapshot} and {@link matchesSnapshot}.
 */
export function snapshotAfter(previous: Snapshot, value: unknown): Snapshot {
  if (!Array.isArray(previous) || !Array.isArray(value)) return snapshot(value);
  const ctx: SnapshotContext = { seen: undefined, shared: false, visits: 0, platform: undefined };
  const matching: MatchContext = { memo: undefined, settled: undefined, assumptions: 0 };
  try {
    const out: Snapshot[] = [];
    const reusable = previous.length;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i < reusable && match(previous[i], item, matching, 1)) out.push(previous[i]);
      else out.push(snap(item, ctx, 1));
    }
    return out;
  } catch (error) {
    if (!(error instanceof FastPassAbort)) throw error;
  }
  return snapshot(value);
}

/**
 * Content equality of two live values (S50), e.g. to decide that writing an equal value is not
 * a change (S52). Identical references are equal without a walk; otherwise this costs a
 * {@link snapshot} of `a` plus a {@link matchesSnapshot} against `b`, so both follow exactly the
 * same rules.
 *
 * @throws As {@link snapshot} and {@link matchesSnapshot}.
 */
export function sameContent(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return false;
  return matchesSnapshot(snapshot(a), b);
}

//#endregion

//#region Snapshot nodes

// Arrays are recorded as arrays; everything else that is an object is one of these classes,
// told apart by `kind` so that comparing costs one switch, not a chain of instanceof.
const OBJECT = 0;
const MAP = 1;
const SET = 2;
const OWN_HASH = 3;
const INSTANCE = 4;
const DATE = 5;
const REGEXP = 6;
const BYTES = 7;
const BOXED = 8;
const IDENTITY = 9;

class ObjectNode {
  readonly kind = OBJECT;
  /** `keys` comes from `Object.keys` at snapshot time; `values` is filled in the same order. */
  constructor(
    readonly keys: string[],
    readonly values: Snapshot[],
  ) {}
}

class MapNode {
  readonly kind = MAP;
  readonly keys: Snapshot[] = [];
  readonly values: Snapshot[] = [];
}

class SetNode {
  readonly kind = SET;
  readonly members: Snapshot[] = [];
}

class OwnHashNode {
  readonly kind = OWN_HASH;
  /** Set after the node is registered, so a `[hash]()` that returns `this` terminates. */
  hash: Snapshot = undefined;
  constructor(readonly proto: object | null) {}
}

/** A user-class instance without `[hash]()`: its prototype and fields, as in {@link ObjectNode}. */
class InstanceNode {
  readonly kind = INSTANCE;
  readonly keys: string[];
  readonly values: Snapshot[] = [];
  /** An `Error`'s name and message, which are not fields but are part of its content. */
  readonly error: readonly [string, string] | undefined;
  constructor(
    readonly proto: object | null,
    v: object,
    isError: boolean,
  ) {
    this.keys = Object.keys(v);
    this.error = isError ? errorContent(v as Error) : undefined;
  }
}

class DateNode {
  readonly kind = DATE;
  constructor(readonly time: number) {}
}

class RegExpNode {
  readonly kind = REGEXP;
  constructor(
    readonly source: string,
    readonly flags: string,
  ) {}
}

class BytesNode {
  readonly kind = BYTES;
  constructor(
    readonly tag: string,
    readonly bytes: Uint8Array,
  ) {}
}

class BoxedNode {
  readonly kind = BOXED;
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}

class IdentityNode {
  readonly kind = IDENTITY;
  constructor(readonly ref: object) {}
}

type Node =
  | ObjectNode
  | MapNode
  | SetNode
  | OwnHashNode
  | InstanceNode
  | DateNode
  | RegExpNode
  | BytesNode
  | BoxedNode
  | IdentityNode;

/** Marks a snapshot in which some node is reached twice: comparing it must track cycles. */
class SharedRoot {
  constructor(readonly root: Snapshot) {}
}

//#endregion

//#region Taking snapshots

/**
 * How many objects the first pass visits before it gives up. A value whose objects are shared
 * along many paths (level `n` holding two references to level `n + 1`) has exponentially many
 * paths, and the first pass, which does not recognise a shared object, would walk every one of
 * them (24 levels: 16 million visits). Past this budget the snapshot is taken again with
 * `seen`, in time linear in the distinct objects. A real tree this large (over 250,000
 * objects: a chat history of 125,000 messages with a metadata object each) pays for both
 * passes, about 2.5× the first alone (measured).
 */
export const FAST_PASS_MAX_NODES = 250_000;

/**
 * Aborts the first pass: too deep (probably a cycle) or too many visits (probably sharing).
 *
 * The first pass records no visited objects: a `Map` of them would cost a third of the snapshot
 * of a chat history, and real State is a tree. Depth is counted instead; data reaching
 * {@link MAX_VALUE_DEPTH} is taken for a cycle and snapshotted again with `seen`, which tells a
 * cycle from data that is too deep. (In the first pass a shared object is recorded once per
 * reference, which changes nothing but the size.)
 */
class FastPassAbort extends Error {}

interface SnapshotContext {
  /** Second pass only: live object → its node; shares nodes and ends cycles. */
  seen: Map<object, Snapshot> | undefined;
  /** Set when a node with children is reached twice. */
  shared: boolean;
  /** First pass only: objects visited so far (see {@link FAST_PASS_MAX_NODES}). */
  visits: number;
  /** prototype → is a platform object; reading constructor sources is not free. */
  platform: Map<object, boolean> | undefined;
}

const objectToString = Object.prototype.toString;

/**
 * @internal Whether `proto` is a plain object's prototype: `null`, or `Object.prototype` of this
 * realm or another one (its own prototype is `null`): an object made in a `vm` context, as
 * jest runs tests, or by Node's global `structuredClone` seen from one, is a plain object too
 * (S50), as JSON sees it (`storage/json-value.ts`).
 */
export function isPlainPrototype(proto: object | null): boolean {
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** An object that may implement the `hash` protocol (S50). */
type Hashish = { [hash]?: unknown };

/** Whether instances of `proto` are engine or platform objects (see `_isPlatformObject`). */
function isPlatform(proto: object, tag: string, ctx: SnapshotContext): boolean {
  let answer = ctx.platform?.get(proto);
  if (answer === undefined) {
    answer = _isPlatformObject(proto, tag);
    (ctx.platform ??= new Map()).set(proto, answer);
  }
  return answer;
}

/** A byte view of a buffer or view with tag `tag`; `undefined` when `v` is not one. */
function bytesOf(v: object, tag: string): Uint8Array | undefined {
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(v as ArrayBufferLike);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}

function snap(v: unknown, ctx: SnapshotContext, depth: number): Snapshot {
  if (typeof v !== "object" || v === null) return v;
  const seen = ctx.seen;
  if (seen === undefined) {
    if (depth >= MAX_VALUE_DEPTH || ++ctx.visits > FAST_PASS_MAX_NODES) throw new FastPassAbort();
  } else {
    const prior = seen.get(v);
    if (prior !== undefined) {
      if (hasChildren(prior)) ctx.shared = true;
      return prior;
    }
    // `depth` objects enclose `v`: it is level depth + 1.
    if (depth >= MAX_VALUE_DEPTH) throw new ValueTooDeep();
  }
  depth++;

  if (Array.isArray(v)) {
    const out: Snapshot[] = [];
    seen?.set(v, out);
    for (let i = 0; i < v.length; i++) out.push(snap(v[i], ctx, depth));
    return out;
  }

  const proto = Object.getPrototypeOf(v) as object | null;
  if (isPlainPrototype(proto)) {
    const keys = Object.keys(v);
    const values: Snapshot[] = [];
    const node = new ObjectNode(keys, values);
    seen?.set(v, node);
    for (let i = 0; i < keys.length; i++) {
      values.push(snap((v as Record<string, unknown>)[keys[i]], ctx, depth));
    }
    return node;
  }

  const node = snapOther(v, proto, ctx, depth);
  seen?.set(v, node);
  return node;
}

function hasChildren(node: Snapshot): boolean {
  if (Array.isArray(node)) return true;
  const kind = (node as Node).kind;
  return kind === OBJECT || kind === MAP || kind === SET || kind === OWN_HASH || kind === INSTANCE;
}

function snapOther(v: object, proto: object | null, ctx: SnapshotContext, depth: number): Node {
  const ownHash = (v as Hashish)[hash];
  if (typeof ownHash === "function") {
    const node = new OwnHashNode(proto);
    ctx.seen?.set(v, node);
    node.hash = snap(ownHash.call(v), ctx, depth);
    return node;
  }

  const tag: string = objectToString.call(v);
  switch (tag) {
    case "[object Map]": {
      const node = new MapNode();
      ctx.seen?.set(v, node);
      Map.prototype.forEach.call(v, (item: unknown, key: unknown) => {
        node.keys.push(snap(key, ctx, depth));
        node.values.push(snap(item, ctx, depth));
      });
      return node;
    }
    case "[object Set]": {
      const node = new SetNode();
      ctx.seen?.set(v, node);
      Set.prototype.forEach.call(v, (item: unknown) => {
        node.members.push(snap(item, ctx, depth));
      });
      return node;
    }
    case "[object Date]":
      return new DateNode(Date.prototype.getTime.call(v));
    case "[object RegExp]":
      return new RegExpNode((v as RegExp).source, (v as RegExp).flags);
    case "[object ArrayBuffer]":
    case "[object SharedArrayBuffer]":
      return new BytesNode(tag, bytesOf(v, tag)!.slice());
    case "[object Number]":
    case "[object String]":
    case "[object Boolean]":
    case "[object BigInt]":
      return new BoxedNode(tag, boxedValue(v, tag));
  }
  if (ArrayBuffer.isView(v)) return new BytesNode(tag, bytesOf(v, tag)!.slice());
  const isError = tag === "[object Error]";
  if (!isError && proto !== null && isPlatform(proto, tag, ctx)) return new IdentityNode(v);
  const node = new InstanceNode(proto, v, isError);
  ctx.seen?.set(v, node); // before the fields, so that a cycle through them ends here
  for (const key of node.keys) node.values.push(snap((v as Record<string, unknown>)[key], ctx, depth));
  return node;
}

function errorContent(error: Error): [string, string] {
  return [String(error.name), String(error.message)];
}

function boxedValue(v: object, tag: string): unknown {
  switch (tag) {
    case "[object Number]":
      return Number.prototype.valueOf.call(v);
    case "[object String]":
      return String.prototype.valueOf.call(v);
    case "[object Boolean]":
      return Boolean.prototype.valueOf.call(v);
    default:
      return BigInt.prototype.valueOf.call(v);
  }
}

//#endregion

//#region Comparing

/**
 * Pairs (recorded node, live object) under comparison; present only for snapshots with shared
 * nodes. A thrown `[hash]()` abandons the whole comparison, and its memo with it.
 */
type Memo = Map<object, Set<unknown>>;

/** Recorded node → live object → the settled result of that pair (see `MatchContext`). */
type Settled = Map<object, Map<unknown, boolean>>;

interface MatchContext {
  readonly memo: Memo | undefined;
  /**
   * Pairs whose result did not rest on a pair assumed equal (see `match`). With `memo` from the
   * start; otherwise created when a `Map` or `Set` is compared out of order, whose second pass
   * would otherwise compare its entries again, and theirs again at every level below
   * (exponential in the nesting of Maps and Sets).
   */
  settled: Settled | undefined;
  /** With `memo`: how many times a pair under comparison was assumed equal so far. */
  assumptions: number;
}

function match(s: Snapshot, live: unknown, ctx: MatchContext, depth: number): boolean {
  if (typeof s !== "object" || s === null) return Object.is(s, live);
  if (typeof live !== "object" || live === null) return false;
  // A snapshot without cycles bounds the walk; a cyclic one can be unrolled along live data.
  if (depth >= MAX_VALUE_DEPTH) throw new ValueTooDeep();
  depth++;

  if (ctx.settled !== undefined) {
    const known = ctx.settled.get(s)?.get(live);
    if (known !== undefined) return known;
  }
  const memo = ctx.memo;
  let pending: Set<unknown> | undefined;
  const assumptionsBefore = ctx.assumptions;
  if (memo !== undefined) {
    pending = memo.get(s);
    if (pending === undefined) memo.set(s, (pending = new Set()));
    else if (pending.has(live)) {
      ctx.assumptions++;
      return true;
    }
    pending.add(live);
  }

  // Arrays and plain objects are compared here rather than in helpers: one stack frame per
  // level of nesting keeps deep data within the same depth limit as structuredClone.
  let result: boolean;
  if (Array.isArray(s)) {
    result = Array.isArray(live) && live.length === s.length;
    for (let i = 0; result && i < s.length; i++) result = match(s[i], (live as unknown[])[i], ctx, depth);
  } else if ((s as Node).kind === OBJECT || (s as Node).kind === INSTANCE) {
    const { keys, values } = s as ObjectNode | InstanceNode;
    const proto = Object.getPrototypeOf(live);
    const sameKind =
      (s as Node).kind === OBJECT
        ? isPlainPrototype(proto) && !Array.isArray(live)
        : sameInstanceKind(s as InstanceNode, proto, live);
    const liveKeys = sameKind ? Object.keys(live) : undefined;
    result = liveKeys !== undefined && liveKeys.length === keys.length;
    const record = live as Record<string, unknown>;
    let i = 0;
    // Objects built the same way list their keys in the same order: no lookups needed.
    for (; result && i < keys.length && liveKeys![i] === keys[i]; i++) {
      result = match(values[i], record[keys[i]], ctx, depth);
    }
    // Same count, and each recorded key is an own enumerable key: the key sets are equal.
    for (; result && i < keys.length; i++) {
      result =
        Object.prototype.propertyIsEnumerable.call(live, keys[i]) && match(values[i], record[keys[i]], ctx, depth);
    }
  } else {
    result = matchOther(s as Node, live, ctx, depth);
  }
  // Only pairs still under comparison count as equal when met again (co-induction): a pair
  // that was tried and failed, e.g. against the wrong Set member, must not stay assumed.
  if (pending !== undefined) pending.delete(live);
  // A result reached without assuming any pair equal holds whatever else is compared: keep
  // it, so a node shared along many paths is compared once per live object, not per path.
  // (One that rested on an assumption may not: the assumed pair can still fail.)
  const settled = ctx.settled;
  if (settled !== undefined && ctx.assumptions === assumptionsBefore) {
    let byLive = settled.get(s);
    if (byLive === undefined) settled.set(s, (byLive = new Map()));
    byLive.set(live, result);
  }
  return result;
}

function matchOther(node: Node, live: object, ctx: MatchContext, depth: number): boolean {
  switch (node.kind) {
    case OBJECT:
    case INSTANCE:
      return false; // handled by match
    case MAP:
      return objectToString.call(live) === "[object Map]" &&
        matchMap(node, live as Map<unknown, unknown>, ctx, depth);
    case SET:
      return objectToString.call(live) === "[object Set]" && matchSet(node, live as Set<unknown>, ctx, depth);
    case OWN_HASH: {
      if (Object.getPrototypeOf(live) !== node.proto) return false;
      const ownHash = (live as Hashish)[hash];
      return typeof ownHash === "function" && match(node.hash, ownHash.call(live), ctx, depth);
    }
    case DATE:
      return (
        objectToString.call(live) === "[object Date]" && Object.is(Date.prototype.getTime.call(live), node.time)
      );
    case REGEXP:
      return (
        objectToString.call(live) === "[object RegExp]" &&
        (live as RegExp).source === node.source &&
        (live as RegExp).flags === node.flags
      );
    case BYTES: {
      const tag: string = objectToString.call(live);
      if (tag !== node.tag) return false;
      const bytes = bytesOf(live, tag);
      return bytes !== undefined && sameBytes(node.bytes, bytes);
    }
    case BOXED: {
      const tag: string = objectToString.call(live);
      return tag === node.tag && Object.is(boxedValue(live, tag), node.value);
    }
    case IDENTITY:
      return node.ref === live;
  }
}

function matchMap(node: MapNode, live: Map<unknown, unknown>, ctx: MatchContext, depth: number): boolean {
  const { keys, values } = node;
  if (getSize(live, "[object Map]") !== keys.length) return false;
  let i = 0;
  let inOrder = true;
  for (const [key, item] of Map.prototype.entries.call(live) as IterableIterator<[unknown, unknown]>) {
    if (!match(keys[i], key, ctx, depth) || !match(values[i], item, ctx, depth)) {
      inOrder = false;
      break;
    }
    i++;
  }
  if (inOrder) return true;

  // Out of order (or different): pair each recorded entry with a distinct live one.
  ctx.settled ??= new Map();
  let used: Set<unknown> | undefined;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j];
    if (!isObjectNode(key)) {
      // Recorded primitives, functions and symbols are the keys themselves.
      if (!Map.prototype.has.call(live, key) || !match(values[j], Map.prototype.get.call(live, key), ctx, depth)) {
        return false;
      }
      continue;
    }
    let paired = false;
    for (const [liveKey, item] of Map.prototype.entries.call(live) as IterableIterator<[unknown, unknown]>) {
      if (typeof liveKey !== "object" || liveKey === null || used?.has(liveKey)) continue;
      if (match(key, liveKey, ctx, depth) && match(values[j], item, ctx, depth)) {
        (used ??= new Set()).add(liveKey);
        paired = true;
        break;
      }
    }
    if (!paired) return false;
  }
  return true;
}

function matchSet(node: SetNode, live: Set<unknown>, ctx: MatchContext, depth: number): boolean {
  const { members } = node;
  if (getSize(live, "[object Set]") !== members.length) return false;
  let i = 0;
  let inOrder = true;
  for (const member of Set.prototype.values.call(live) as IterableIterator<unknown>) {
    if (!match(members[i], member, ctx, depth)) {
      inOrder = false;
      break;
    }
    i++;
  }
  if (inOrder) return true;

  ctx.settled ??= new Map(); // as in matchMap
  let used: Set<unknown> | undefined;
  for (const recorded of members) {
    if (!isObjectNode(recorded)) {
      if (!Set.prototype.has.call(live, recorded)) return false;
      continue;
    }
    let paired = false;
    for (const member of Set.prototype.values.call(live) as IterableIterator<unknown>) {
      if (typeof member !== "object" || member === null || used?.has(member)) continue;
      if (match(recorded, member, ctx, depth)) {
        (used ??= new Set()).add(member);
        paired = true;
        break;
      }
    }
    if (!paired) return false;
  }
  return true;
}

/** Whether `live` (prototype `proto`) is compared field by field with the instance `node`. */
function sameInstanceKind(node: InstanceNode, proto: object | null, live: object): boolean {
  if (proto !== node.proto || typeof (live as Hashish)[hash] === "function") return false;
  if (node.error === undefined) return true;
  const [name, message] = errorContent(live as Error);
  return name === node.error[0] && message === node.error[1];
}

function isObjectNode(s: Snapshot): s is object {
  return typeof s === "object" && s !== null;
}

// The intrinsic getters, so that a subclass overriding `size` cannot fake a match.
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, "size")!.get!;

function getSize(collection: object, tag: string): number {
  return (tag === "[object Map]" ? mapSize : setSize).call(collection) as number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

//#endregion

/**
 * The Web Storage subset that BrowserState persists to (S90), a check for it, and an in-memory
 * implementation used when a session is given no storage and in tests.
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 */
import { checkOptions } from "../core/errors";

/**
 * The part of the Web Storage `Storage` interface that BrowserState uses (S90).
 *
 * `window.localStorage`, `window.sessionStorage`, {@link MemoryStorage} and the Node-only
 * `FileStorage` all satisfy it. Sessions that share one storage object behave as the same
 * browser.
 *
 * Implementations may throw from `setItem` (e.g. a `DOMException` named `QuotaExceededError`);
 * the engine keeps the value in the session and retries at the next change (S94).
 */
export interface StorageLike {
  /** The value stored under `key`, or `null` when there is none. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`. May throw (quota exceeded, storage disabled). */
  setItem(key: string, value: string): void;
  /** Removes the entry under `key`; does nothing when there is none. */
  removeItem(key: string): void;
}

const STORAGE_METHODS = ["getItem", "setItem", "removeItem"] as const;

/**
 * Checks that `value` has the methods of {@link StorageLike}, so that a wrong `storage` option
 * fails at the call that passed it rather than at the first BrowserState write (S90).
 *
 * @param value - the object to check.
 * @param where - the call site, used as the message prefix, e.g. `"connect({ storage })"`.
 * @throws TypeError naming what is missing, e.g. `connect({ storage }): storage is missing
 *   removeItem(); expected a Web Storage-like object with getItem, setItem and removeItem`.
 *
 * @example
 * ```ts
 * assertStorageLike(options.storage, "connect({ storage })");
 * options.storage.setItem("k", "v"); // typed as StorageLike from here on
 * ```
 */
export function assertStorageLike(value: unknown, where: string): asserts value is StorageLike {
  const expected = "expected a Web Storage-like object with getItem, setItem and removeItem";
  if ((typeof value !== "object" && typeof value !== "function") || value === null) {
    throw new TypeError(`${where}: storage is ${describe(value)}; ${expected}`);
  }
  const record = value as Record<string, unknown>;
  const missing = STORAGE_METHODS.filter((name) => typeof record[name] !== "function");
  if (missing.length > 0) {
    throw new TypeError(`${where}: storage is missing ${listMethods(missing)}; ${expected}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  return `a ${typeof value}`;
}

function listMethods(names: readonly string[]): string {
  const calls = names.map((name) => `${name}()`);
  if (calls.length <= 1) return calls.join("");
  return `${calls.slice(0, -1).join(", ")} and ${calls[calls.length - 1]}`;
}

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Largest total size, in UTF-16 code units, of all keys plus all values. A `setItem` that
   * would exceed it throws a `DOMException` named `QuotaExceededError` and stores nothing, as a
   * browser does when localStorage is full (about 5 MB there). Default: no limit.
   */
  quotaBytes?: number;
}

/**
 * An in-memory Web Storage: what a session gets when it is given no storage (S90), and a
 * stand-in for `localStorage` in tests, including a full one (S94) via `quotaBytes`.
 *
 * Like the real thing it stores strings (`String(value)`), keeps insertion order for `key(i)`,
 * and leaves the stored contents unchanged when `setItem` throws.
 *
 * @example
 * ```ts
 * const storage = new MemoryStorage({ quotaBytes: 100 });
 * storage.setItem("a", "1");
 * storage.getItem("a"); // "1"
 * storage.setItem("b", "x".repeat(200)); // throws DOMException QuotaExceededError
 * ```
 */
export class MemoryStorage implements StorageLike {
  // A Map rather than a plain object so that keys such as "__proto__" are ordinary keys.
  readonly #entries = new Map<string, string>();
  readonly #quota: number;
  // Running total of key + value lengths, so the quota check is O(1) rather than a re-sum.
  #used = 0;

  /**
   * @param options - see {@link MemoryStorageOptions}.
   * @throws RangeError when `quotaBytes` is not a non-negative number; TypeError for an
   *   unknown option.
   */
  constructor(options: MemoryStorageOptions = {}) {
    options = checkOptions("MemoryStorage", options, ["quotaBytes"]);
    const quota = options.quotaBytes ?? Number.POSITIVE_INFINITY;
    if (typeof quota !== "number" || Number.isNaN(quota) || quota < 0) {
      throw new RangeError(
        `MemoryStorage: quotaBytes must be a non-negative number, got ${String(quota)}`,
      );
    }
    this.#quota = quota;
  }

  /** Number of stored entries. */
  get length(): number {
    return this.#entries.size;
  }

  /** The `index`-th key in insertion order, or `null` when out of range. */
  key(index: number): string | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.#entries.size) return null;
    let i = 0;
    for (const key of this.#entries.keys()) {
      if (i === index) return key;
      i += 1;
    }
    return null;
  }

  /** The value stored under `String(key)`, or `null` when there is none. */
  getItem(key: string): string | null {
    return this.#entries.get(String(key)) ?? null;
  }

  /**
   * Stores `String(value)` under `String(key)`.
   *
   * @throws DOMException named `QuotaExceededError` when the new total of keys plus values
   *   would exceed `quotaBytes`; the previous contents are kept.
   */
  setItem(key: string, value: string): void {
    const k = String(key);
    const v = String(value);
    const previous = this.#entries.get(k);
    const freed = previous === undefined ? 0 : k.length + previous.length;
    const used = this.#used - freed + k.length + v.length;
    if (used > this.#quota) {
      throw quotaExceeded(
        `MemoryStorage: setting "${k}" needs ${used} of ${this.#quota} code units of quota`,
      );
    }
    this.#entries.set(k, v);
    this.#used = used;
  }

  /** Removes the entry under `String(key)`; does nothing when there is none. */
  removeItem(key: string): void {
    const k = String(key);
    const previous = this.#entries.get(k);
    if (previous === undefined) return;
    this.#entries.delete(k);
    this.#used -= k.length + previous.length;
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
    this.#used = 0;
  }

  /** The stored `[key, value]` pairs, in insertion order (the order of `key(i)`). */
  entries(): IterableIterator<[string, string]> {
    return this.#entries.entries();
  }
}

function quotaExceeded(message: string): Error {
  // DOMException exists in browsers and in Node >= 17; the fallback keeps the same `name`, which
  // is what callers test (code 22 is legacy).
  if (typeof DOMException === "function") return new DOMException(message, "QuotaExceededError");
  const error = new Error(message);
  error.name = "QuotaExceededError";
  return error;
}

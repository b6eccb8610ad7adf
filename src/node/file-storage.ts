/**
 * A Web Storage (`StorageLike`) kept in a JSON file, so that a headless app run from Node can keep
 * BrowserState values across process restarts (S90, S93). Node-only: export it from a Node
 * subpath, never from the browser-safe core.
 *
 * @packageDocumentation
 */

import * as fs from "node:fs";
import * as nodePath from "node:path";
import { MemoryStorage } from "../storage/web-storage";
import { messageOf } from "../core/errors";

/**
 * Web Storage backed by one JSON file holding an object of string values (a
 * {@link MemoryStorage}, without a quota, whose every change is written through to the file),
 * e.g. `{"blockstate:my-app:0":"bsv3…"}`.
 *
 * - The file is read once, at construction: a missing or empty file is an empty storage; a
 *   file that is not such an object throws, so that nothing in it is overwritten silently.
 * - Every `setItem`/`removeItem`/`clear` rewrites the whole file atomically (write
 *   `path + ".tmp"`, then rename over `path`), so a crashed process leaves the old or the new
 *   contents, never half of each. It does not fsync (that would cost milliseconds per change),
 *   so a power cut may lose the latest writes.
 * - A failed write throws and leaves this storage as it was, which is what lets the engine
 *   keep the value and retry at the next change (S94).
 * - One writer per file: two `FileStorage`s (or processes) on the same path overwrite each
 *   other's changes, as each only knows what it read at construction.
 *
 * @example
 * ```ts
 * const storage = new FileStorage(path.join(os.homedir(), ".my-app", "browser-state.json"));
 * const session = await app.connect({ storage });
 * ```
 */
export class FileStorage extends MemoryStorage {
  /** Absolute path of the file. */
  readonly path: string;
  #directoryReady = false;

  /**
   * @param path - the JSON file; relative paths are resolved against the current directory.
   *   Its directory is created at the first write if needed.
   * @throws Error naming the path when the file cannot be read or does not hold a JSON object
   *   of strings.
   */
  constructor(path: string) {
    super();
    this.path = nodePath.resolve(path);
    // `super.setItem`: fill memory from the file without writing it back.
    for (const [key, value] of readEntries(this.path)) super.setItem(key, value);
  }

  /**
   * Stores `String(value)` under `String(key)` and rewrites the file.
   *
   * @throws the file system's error (e.g. `ENOSPC`, `EACCES`) when the file cannot be written;
   *   the entry then keeps its previous value.
   */
  override setItem(key: string, value: string): void {
    const k = String(key);
    const previous = this.getItem(k);
    super.setItem(k, value);
    this.#commit(() => (previous === null ? super.removeItem(k) : super.setItem(k, previous)));
  }

  /**
   * Removes the entry under `key` and rewrites the file; does nothing when there is none.
   *
   * @throws the file system's error when the file cannot be written; the entry is then kept.
   */
  override removeItem(key: string): void {
    const k = String(key);
    const previous = this.getItem(k);
    if (previous === null) return;
    super.removeItem(k);
    // Re-inserting moves the key to the end of the order; acceptable for a failed write.
    this.#commit(() => super.setItem(k, previous));
  }

  /**
   * Removes every entry and rewrites the file.
   *
   * @throws the file system's error when the file cannot be written; the entries are then kept.
   */
  override clear(): void {
    const previous = [...this.entries()];
    super.clear();
    this.#commit(() => {
      for (const [k, v] of previous) super.setItem(k, v);
    });
  }

  /** Writes the entries to disk; on failure calls `undo` so memory matches the file, and throws. */
  #commit(undo: () => void): void {
    const temporary = `${this.path}.tmp`;
    try {
      if (!this.#directoryReady) {
        fs.mkdirSync(nodePath.dirname(this.path), { recursive: true });
        this.#directoryReady = true;
      }
      // Object.fromEntries defines own properties, so a "__proto__" key is stored like any other.
      fs.writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.entries())));
      fs.renameSync(temporary, this.path);
    } catch (error) {
      undo();
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // Best effort: the temporary file is rewritten at the next write anyway.
      }
      throw error;
    }
  }
}

function readEntries(path: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new Error(`FileStorage: cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
  if (text.trim() === "") return new Map();
  const corrupt = (why: string, cause?: unknown): Error =>
    new Error(
      `FileStorage: ${path} is not a storage file (expected a JSON object of string values): ` +
        `${why}; move it away or fix it, it was left untouched`,
      { cause },
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(messageOf(error), error);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const what = Array.isArray(data) ? "an array" : data === null ? "null" : typeof data;
    throw corrupt(`it holds ${what}`);
  }
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") {
      throw corrupt(`the value of ${JSON.stringify(key)} is a ${typeof value}`);
    }
    entries.set(key, value);
  }
  return entries;
}


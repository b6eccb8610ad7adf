/**
 * BrowserState persistence (S6, S90-S95): read every BrowserState from the session's storage
 * when the session starts, write each back, encrypted, when its value changes.
 *
 * Browser-safe: the storage is whatever `connect({ storage })` was given (`localStorage` in a
 * page), and encryption is WebCrypto.
 *
 * @packageDocumentation
 */
import type { AnyCell, CellNode } from "../blocks/block";
import type { Blocks } from "../blocks/blocks";
import { BrowserStateCipher, type CipherKdf } from "../storage/cipher";
import { isPromiseLike, messageOf, whenSettled } from "../core/errors";
import { defaultSecret, defaultStorageKey, fnv1a64 } from "../storage/fingerprint";
import { serializeBrowserStateValue } from "../storage/json-value";
import type { StorageLike } from "../storage/web-storage";
import { secondsToMs } from "./clock";
import type { AppSite } from "./sites";
import type { Session } from "./session";

/**
 * Seconds a storage's `getItem`, `setItem` or `removeItem` that answers with a promise (an
 * asynchronous wrapper; Web Storage itself is synchronous) may take, on the app's clock. Past
 * it, a read starts the BrowserState from its default and a write is reported as failed, as
 * when the method rejects, so that a storage that never answers cannot hold a session's start,
 * its `close()` or `app.close()` forever. A late answer is ignored.
 */
export const STORAGE_TIMEOUT_SECONDS = 10;

/** Title of the alerts this module sends, so a renderer can group them. */
const ALERT_TITLE = "BrowserState";

/**
 * Ciphers by `kdf:secret`, per template: every launch of one Blocks shares them, so an explicit
 * secret's PBKDF2 derivation (about 0.2 s) runs once per Blocks, not once per launch. The
 * secrets are the template's own data, held as long as it is.
 */
const templateCiphers = new WeakMap<Blocks, Map<string, BrowserStateCipher>>();

function ciphersOf(blocks: Blocks): Map<string, BrowserStateCipher> {
  let ciphers = templateCiphers.get(blocks);
  if (!ciphers) templateCiphers.set(blocks, (ciphers = new Map()));
  return ciphers;
}

/** One BrowserState of the app, resolved: where it is stored and how it is sealed. */
interface Slot {
  readonly cell: AnyCell;
  readonly storageKey: string;
  readonly cipher: BrowserStateCipher;
  /** `BrowserState #7`, for messages. */
  readonly name: string;
  /** Its check of a stored value (`BrowserState._checkStored`), if any. */
  readonly check: ((value: unknown) => void) | undefined;
}

/** A write waiting for its turn: JSON captured when the value changed, or `null` to remove. */
interface PendingWrite {
  readonly session: Session;
  readonly json: string | null;
}

/**
 * The writes to one storage key, one at a time and in order. Only the newest waiting write is
 * kept: a value superseded before its turn never needs storing, and skipping it keeps a user
 * typing fast from queueing one encryption per keystroke.
 */
interface KeyWriter {
  next: PendingWrite | undefined;
  /** The drain loop while it runs; resolves when nothing is left to write. */
  running: Promise<void> | undefined;
}

/**
 * The identifier of an app for the default storage keys and secrets (S93): FNV-1a 64 of the
 * Blocks' `title`, the `type` of every block in creation order, and each BrowserState's default
 * as JSON. Computed from the app's definition alone, synchronously, so it is the same after a
 * restart, in another process or in a browser, and differs between apps that differ in any of
 * these (never a process-wide counter or randomness: Gradio's random keys lost every value at
 * restart, #10263).
 *
 * Consequence: editing the app's layout (adding a component, changing a BrowserState's
 * default) changes the identifier, and values stored under the old one are no longer found
 * (the session starts from the defaults, without a warning). Apps that must keep values across
 * such edits, or share them with another app, pass `storageKey` and `secret` explicitly.
 *
 * @returns 16 lowercase hex digits.
 */
export function appIdentifier(blocks: Blocks): string {
  const title = blocks.options.title;
  const parts = [
    typeof title === "string" ? title : title === undefined ? null : String(title),
    blocks._blocksById.map((b) => b.type),
    blocks._cells.filter((c) => c.kind === "browser").map((c) => browserDefaultJson(c)),
  ];
  // JSON of a list: an unambiguous encoding, so two different definitions never give one text.
  return fnv1a64(JSON.stringify(parts));
}

function browserDefaultJson(cell: AnyCell): string | null {
  // A factory default has no JSON; its position still tells it apart.
  return cell._isFactory ? null : (JSON.stringify(cell._default) ?? null);
}

/**
 * @internal The app's BrowserState persistence; the App creates one at launch.
 *
 * Holds one {@link BrowserStateCipher} per BrowserState (BrowserStates with the same secret and
 * key derivation share one), so each key is derived once per app, at the first read or write
 * that needs it. Explicit secrets use PBKDF2 (about 0.2 s, once); derived ones HKDF (see
 * {@link CipherKdf} for why).
 */
export class BrowserStates {
  /** The app identifier the default keys and secrets are derived from ({@link appIdentifier}). */
  readonly appId: string;
  private readonly slots: readonly Slot[];
  private readonly slotById = new Map<number, Slot>();
  // Keyed by the storage object (one browser), then the storage key: two sessions of one browser
  // write the same entry through the same queue, so a reload never sees writes cross.
  private readonly writers = new WeakMap<StorageLike, Map<string, KeyWriter>>();
  // What `flush(session)` waits for: the drain loops that hold or held this session's writes.
  private readonly pendingBySession = new WeakMap<Session, Set<Promise<void>>>();
  private readonly app: AppSite<Session>;

  /**
   * @throws TypeError when two BrowserStates of the app resolve to the same storage key: each
   *   would overwrite the other's value at every change.
   */
  constructor(app: AppSite<Session>) {
    this.app = app;
    const cells = app.blocks._cells.filter((c) => c.kind === "browser");
    this.appId = cells.length ? appIdentifier(app.blocks) : "";
    const ciphers = ciphersOf(app.blocks);
    const byKey = new Map<string, Slot>();
    this.slots = cells.map((cell, position) => {
      const explicit = cell as AnyCell & { storageKey?: string; secret?: string; _checkStored?: (value: unknown) => void };
      const storageKey = explicit.storageKey ?? defaultStorageKey(this.appId, position);
      const secret = explicit.secret ?? defaultSecret(this.appId, position);
      const kdf: CipherKdf = explicit.secret === undefined ? "hkdf" : "pbkdf2";
      const cipherId = `${kdf}:${secret}`;
      let cipher = ciphers.get(cipherId);
      if (!cipher) ciphers.set(cipherId, (cipher = new BrowserStateCipher(secret, { kdf })));
      const slot: Slot = { cell, storageKey, cipher, name: cell.describe(), check: explicit._checkStored };
      const clash = byKey.get(storageKey);
      if (clash) {
        throw new TypeError(
          `launch(): ${clash.cell.describe()} and ${cell.describe()} both use the storage key ${JSON.stringify(storageKey)}; ` +
            "give each BrowserState its own storageKey.",
        );
      }
      byKey.set(storageKey, slot);
      this.slotById.set(cell._id, slot);
      return slot;
    });
  }

  /** Whether the app has any BrowserState (connect skips loading otherwise). */
  get active(): boolean {
    return this.slots.length > 0;
  }

  /** The storage key of a BrowserState of this app (S93), e.g. for tools that inspect storage. */
  storageKeyOf(cell: AnyCell): string {
    const slot = this.slotById.get(cell._id);
    if (!slot || slot.cell !== cell) throw new TypeError(`${cell.describe()} is not a BrowserState of this app.`);
    return slot.storageKey;
  }

  /**
   * S91, S95: reads every BrowserState of a new session from its storage and sets the values
   * with `session._restore` (without writing them back). A missing entry leaves the default,
   * silently; an entry that cannot be read (storage throws, not blockstate's format or an older
   * one, another secret, written for another storage key, tampered, not JSON) leaves the
   * default and sends the session a `warning` naming the BrowserState and the reason. Never
   * rejects.
   *
   * @returns the nodes of the cells whose stored value differs from the default: their `.change` listeners
   *   run with the load listeners (S95).
   */
  async load(session: Session): Promise<CellNode[]> {
    if (this.slots.length === 0) return [];
    const storage = session.storage;
    const results = await Promise.all(this.slots.map((slot) => this.read(storage, slot)));
    const restored: CellNode[] = [];
    this.slots.forEach((slot, i) => {
      const result = results[i];
      if (result === undefined) return;
      let reason = result.ok ? undefined : result.reason;
      if (result.ok) {
        // A stored value this session cannot hold (nested too deep to compare, S50) is unreadable
        // too: the entry is anyone's to write (S93), and it must not keep the app from opening.
        try {
          slot.check?.(result.value);
          if (session._restore(slot.cell, result.value)) restored.push(slot.cell._node);
        } catch (e) {
          reason = messageOf(e).replace(/\.$/, "");
        }
      }
      if (reason === undefined) return;
      session._message({
        type: "warning",
        title: ALERT_TITLE,
        message: `${slot.name} could not be read from browser storage (${reason}), so it starts from its default. Storage key: ${JSON.stringify(slot.storageKey)}.`,
      });
    });
    return restored;
  }

  /**
   * S92, S94: a BrowserState's value changed in `session`: writes it to the session's storage,
   * asynchronously, after the writes to the same entry that came before it. `null` removes the
   * entry; every other JSON value (`""`, `0`, `false`, `{}` and `[]` included) is stored
   * encrypted. The JSON is taken now, so a later in-place mutation (S5) does not leak into it.
   *
   * Never throws (it runs inside a cascade). Failures go to the session as `error` messages and
   * leave the value in the session: a value that is not JSON (a function, a cycle) is reported
   * at once and nothing is stored; a failing `setItem` (quota exceeded) is reported when it
   * happens, and the next change writes the newest value again.
   */
  persist(session: Session, cell: AnyCell, value: unknown): void {
    const slot = this.slotById.get(cell._id);
    if (!slot) return;
    let json: string | null = null;
    if (value !== null) {
      try {
        json = serializeBrowserStateValue(value);
      } catch (error) {
        session._message({
          type: "error",
          title: ALERT_TITLE,
          message: `${slot.name} was not saved to browser storage: ${messageOf(error)}. The value is kept in this session only.`,
        });
        return;
      }
    }
    const storage = session.storage;
    let byKey = this.writers.get(storage);
    if (!byKey) this.writers.set(storage, (byKey = new Map()));
    let writer = byKey.get(slot.storageKey);
    if (!writer) byKey.set(slot.storageKey, (writer = { next: undefined, running: undefined }));
    writer.next = { session, json };
    writer.running ??= this.drain(storage, byKey, slot, writer);
    let pending = this.pendingBySession.get(session);
    if (!pending) this.pendingBySession.set(session, (pending = new Set()));
    if (!pending.has(writer.running)) {
      const running = writer.running;
      pending.add(running);
      void running.then(() => {
        pending!.delete(running);
        if (pending!.size === 0 && this.pendingBySession.get(session) === pending) this.pendingBySession.delete(session);
      });
    }
  }

  /** Resolves when the writes `session` made so far have reached its storage (`idle`, `close`). */
  async flush(session: Session): Promise<void> {
    for (let pending = this.pendingBySession.get(session); pending?.size; pending = this.pendingBySession.get(session)) {
      await Promise.all([...pending]);
    }
  }

  // #region Internals

  /** The stored value, `undefined` when there is none, or why it cannot be read. */
  private async read(storage: StorageLike, slot: Slot): Promise<{ ok: true; value: unknown } | { ok: false; reason: string } | undefined> {
    let text: unknown;
    let verb = "threw";
    try {
      text = storage.getItem(slot.storageKey);
      // Web Storage is synchronous, but a wrapper may answer with a promise: wait for it, so
      // that its rejection is reported here instead of crashing the process.
      if (isPromiseLike(text)) {
        verb = "rejected with";
        text = await this.inTime(text, "getItem");
      }
    } catch (error) {
      // e.g. a SecurityError from a browser that blocks storage for this page
      if (error instanceof StorageTimeout) return { ok: false, reason: error.message };
      return { ok: false, reason: `storage.getItem ${verb} ${messageOf(error, true)}` };
    }
    if (text === null || text === undefined) return undefined;
    return slot.cipher.decrypt(text as string, slot.storageKey);
  }

  /** Writes the newest pending value until none is left; never rejects. */
  private async drain(storage: StorageLike, byKey: Map<string, KeyWriter>, slot: Slot, writer: KeyWriter): Promise<void> {
    // Start after the cascade step that changed the value: storage is never touched mid-commit.
    await Promise.resolve();
    for (let write = writer.next; write !== undefined; write = writer.next) {
      writer.next = undefined;
      await this.write(storage, slot, write);
    }
    writer.running = undefined;
    // An idle key costs nothing: the next change starts a new writer.
    byKey.delete(slot.storageKey);
    if (byKey.size === 0) this.writers.delete(storage);
  }

  /**
   * Never rejects: a `setItem`/`removeItem` that throws or returns a rejecting promise (an async
   * wrapper, awaited) is reported to the session, or on `app.errors$` once the app no longer
   * holds it.
   */
  private async write(storage: StorageLike, slot: Slot, write: PendingWrite): Promise<void> {
    try {
      const done: unknown =
        write.json === null ? storage.removeItem(slot.storageKey) : storage.setItem(slot.storageKey, await slot.cipher.encryptJson(write.json, slot.storageKey));
      if (isPromiseLike(done)) await this.inTime(done, write.json === null ? "removeItem" : "setItem");
    } catch (error) {
      const { session } = write;
      const cause = asCause(error);
      const event = { source: "storage", error: cause, sessionHash: session.sessionHash, cell: slot.name } as const;
      this.app._reportFailure(
        session,
        event,
        `${slot.name} could not be saved to browser storage (${messageOf(error, true)}). ` +
          "The value is kept in this session, and saving is tried again at its next change.",
        ALERT_TITLE,
      );
    }
  }

  /**
   * What a storage method's promise settles to, followed as `await` follows it (a native
   * promise's own `then` is never called), or a {@link StorageTimeout} once
   * {@link STORAGE_TIMEOUT_SECONDS} have passed on the app's clock.
   */
  private inTime<T>(answer: PromiseLike<T>, method: string): Promise<T> {
    const clock = this.app.clock;
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new StorageTimeout(method)), secondsToMs(STORAGE_TIMEOUT_SECONDS));
      const settle = () => clock.clearTimeout(timer);
      try {
        whenSettled(answer, (value) => (settle(), resolve(value)), (error) => (settle(), reject(error)));
      } catch (error) {
        settle();
        reject(error);
      }
    });
  }

  // #endregion
}

/**
 * What a storage method threw, as the `cause` of its report: the Error itself, else a new one
 * with its message (a DOMException, such as a full storage's, is not an Error on Node 20). Never
 * throws: `instanceof` on a revoked Proxy does.
 */
function asCause(thrown: unknown): Error {
  try {
    if (thrown instanceof Error) return thrown;
  } catch {
    // a revoked Proxy, or one whose getPrototypeOf trap throws
  }
  return new Error(messageOf(thrown, true));
}

/** A storage method's promise that did not settle within {@link STORAGE_TIMEOUT_SECONDS}. */
class StorageTimeout extends Error {
  constructor(method: string) {
    super(`storage.${method} did not settle within ${STORAGE_TIMEOUT_SECONDS} s`);
  }
}

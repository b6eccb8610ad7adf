/**
 * Authenticated encryption of BrowserState values (S92) and the deterministic default storage
 * key and secret (S93).
 *
 * Uses WebCrypto (`globalThis.crypto.subtle`, present in browsers in secure contexts and in
 * Node >= 20), the platform's native base64 where there is one (see `./base64url`), and on Node
 * its synchronous AES-GCM and UTF-8 decoding, found at run time (see `./native`): same bytes,
 * less time. Imports nothing from Node.
 *
 * Stored format, version 3: the text `bsv3`, then the base64url (no padding) of
 * `iv ‖ ciphertext`:
 *
 * - `iv`: the 96-bit AES-GCM nonce, fresh from `crypto.getRandomValues` for every write (its
 *   12 bytes are the 16 characters after `bsv3`).
 * - `ciphertext`: AES-GCM-256 of the UTF-8 of `JSON.stringify(value)`, with the UTF-8 of the
 *   storage key the entry is written under as additional authenticated data, followed by the
 *   128-bit tag. The key is not stored; it binds the entry to its place: an entry copied to
 *   another key (of a BrowserState with the same secret) fails to open there, as a tampered one
 *   does. Replaying an older entry of the same key is not detected.
 * - `bsv3` is itself the base64url of three bytes (`6E CB F7`), so the whole entry is the
 *   base64url of `6E CB F7 ‖ iv ‖ ciphertext`: written by one base64 pass into one flat
 *   string, read by one decode.
 *
 * Earlier versions are not read (they give the default and a warning, S91): `bsv2`, the same
 * layout without the storage key as additional data (so an entry could be moved between keys
 * sharing a secret), and `v1.<iv>.<ciphertext>`, never released.
 * - Key: derived from the UTF-8 of the secret by the cipher's {@link CipherKdf}, chosen by its
 *   owner and not recorded in the entry (the same secret with another KDF is another key):
 *   - `"pbkdf2"` (the default): PBKDF2-HMAC-SHA-256, salt {@link CIPHER_SALT},
 *     {@link CIPHER_ITERATIONS} iterations;
 *   - `"hkdf"`: HKDF-SHA-256 (RFC 5869), salt {@link CIPHER_SALT}, info {@link HKDF_INFO}.
 *
 *   These parameters are part of the format: changing any of them needs a new version prefix,
 *   or existing entries become unreadable.
 *
 * @packageDocumentation
 */
import { describeValue, messageOf } from "../core/errors";
import { base64Url } from "./base64url";
import { nodeAesGcm, nodeUtf8Decode, type SyncAesGcm } from "./native";
import { Scratch } from "./scratch";

/**
 * PBKDF2 salt: fixed per application so that the same secret always gives the same key (an
 * entry must survive a restart, S93). A per-entry random salt would buy resistance to
 * precomputed tables, at the cost of one key derivation per read; explicit secrets should be
 * long random strings from configuration anyway.
 */
export const CIPHER_SALT = "blockstate.BrowserState.v1";

/**
 * PBKDF2 iteration count: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA-256. PBKDF2 rather
 * than HKDF because an explicit secret may be a human-chosen password (S93), which needs a slow
 * KDF. It costs about 0.2 s once per {@link BrowserStateCipher}, not per read or write.
 */
export const CIPHER_ITERATIONS = 600_000;

/** HKDF `info` of the `"hkdf"` key derivation: binds the key to this use and format. */
export const HKDF_INFO = "blockstate.BrowserState.v1 AES-256-GCM key";

/**
 * How a {@link BrowserStateCipher} turns its secret into an AES-256 key.
 *
 * - `"pbkdf2"`: slow on purpose (about 0.2 s per cipher), for secrets a person may have chosen:
 *   it makes guessing them expensive. The default, and what explicit `secret`s get (S93).
 * - `"hkdf"`: one HMAC round (microseconds), for secrets that are either high-entropy keys or
 *   not secret at all. BrowserState's *derived* secrets are the second kind (S93: computable by
 *   anyone who knows the app), so stretching them would cost every app launch 0.2 s per
 *   BrowserState and protect nothing.
 */
export type CipherKdf = "pbkdf2" | "hkdf";

/** Options of {@link BrowserStateCipher}. */
export interface BrowserStateCipherOptions {
  /** The key derivation; default `"pbkdf2"`. See {@link CipherKdf}. */
  kdf?: CipherKdf;
}

/** Result of {@link BrowserStateCipher.decrypt}: the value, or why the entry is unreadable. */
export type DecryptResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** How every entry's text begins: the base64url of {@link HEADER}. */
const VERSION = "bsv3";
/** The entry's first three bytes; three bytes are exactly four base64 characters. */
const HEADER: Uint8Array = Uint8Array.of(0x6e, 0xcb, 0xf7);
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Header and IV: what precedes the ciphertext. */
const HEAD_BYTES = 3 + IV_BYTES;

/** Reasons given by {@link BrowserStateCipher.decrypt}; stable so that callers may show them. */
export const DECRYPT_REASONS = {
  format: "entry is not in blockstate's format",
  secret: "entry was written with another secret or under another storage key, or was tampered with",
  json: "entry was decrypted but does not hold JSON",
} as const;

// Stateless codecs: safe to share between sessions. TextDecoder holds no state across calls
// unless `stream: true` is passed, which it never is here.
const utf8Encoder = new TextEncoder();
// `ignoreBOM: true` keeps a leading U+FEFF (so JSON.parse refuses it), as Node's path does:
// both platforms read the same entries the same way.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Where entries are decoded when they are opened synchronously (see `Scratch`). */
const entryScratch = new Scratch();

/** Node's synchronous AES-GCM when present (same bytes as WebCrypto, faster): see `./native`. */
const syncAesGcm: SyncAesGcm | undefined = nodeAesGcm();
/** Strict UTF-8 decoding: Node's faster path when present, else `TextDecoder`. */
const decodeUtf8 =
  nodeUtf8Decode() ??
  ((bytes: Uint8Array): string | undefined => {
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      return undefined;
    }
  });

/** A derived key: the WebCrypto key, and the platform's own form of it for {@link syncAesGcm}. */
interface CipherKey {
  readonly webKey: CryptoKey;
  readonly syncKey: unknown;
}

/**
 * Encrypts and decrypts BrowserState values with a key derived from one secret (S92).
 *
 * The key is derived lazily at the first `encrypt`/`decrypt` and cached for the life of the
 * instance, so keep one cipher per BrowserState per app rather than one per call or session.
 *
 * @example
 * ```ts
 * const cipher = new BrowserStateCipher(process.env.PREFS_SECRET!);
 * const text = await cipher.encrypt({ theme: "dark" }, "prefs"); // "bsv3…", bound to the key "prefs"
 * const result = await cipher.decrypt(text, "prefs");            // { ok: true, value: { theme: "dark" } }
 * await cipher.decrypt(text, "role");                            // { ok: false, reason: DECRYPT_REASONS.secret }
 * ```
 */
export class BrowserStateCipher {
  /** The key derivation this cipher uses (see {@link CipherKdf}). */
  readonly kdf: CipherKdf;
  readonly #secret: string;
  // The promise, not the key, is cached so that concurrent first calls share one derivation.
  #key: Promise<CipherKey> | undefined;

  /**
   * @param secret - any non-empty string; see {@link defaultSecret} for the derived one (S93).
   * @param options - see {@link BrowserStateCipherOptions}.
   * @throws TypeError when `secret` is not a non-empty string (an empty one is almost always a
   *   missing configuration value), or for an unknown `kdf`.
   */
  constructor(secret: string, options: BrowserStateCipherOptions = {}) {
    const { kdf = "pbkdf2" } = options;
    if (kdf !== "pbkdf2" && kdf !== "hkdf") {
      throw new TypeError(`BrowserStateCipher: kdf must be "pbkdf2" or "hkdf", got ${JSON.stringify(kdf) ?? String(kdf)}`);
    }
    this.kdf = kdf;
    if (typeof secret !== "string" || secret.length === 0) {
      throw new TypeError(
        `BrowserState secret must be a non-empty string, got ${
          typeof secret === "string" ? "an empty string" : typeof secret
        }`,
      );
    }
    this.#secret = secret;
  }

  /**
   * Serialises `value` as JSON and encrypts it (S92).
   *
   * JSON's own conversions apply (`toJSON` is called, `NaN` becomes `null`, object properties
   * that are `undefined` are dropped), but values JSON would silently lose are refused.
   *
   * @param storageKey - the storage key the entry will be stored under, authenticated with it
   *   (AES-GCM additional data): {@link BrowserStateCipher.decrypt} opens it only with the same
   *   key. Default `""`, for entries not bound to a key.
   * @returns the stored text, `bsv3` then base64url of `iv ‖ ciphertext`; different on every
   *   call (fresh IV).
   * @throws (rejects with) TypeError `BrowserState value is not JSON-serialisable: …` for a
   *   cycle, a bigint, a function or symbol anywhere, or `undefined` at the top level; checked
   *   before the key is derived or anything is encrypted, so a caller that stores the result
   *   stores nothing.
   * @throws (rejects with) Error when WebCrypto is unavailable (e.g. a page served over plain
   *   http).
   */
  async encrypt(value: unknown, storageKey = ""): Promise<string> {
    return this.encryptJson(serializeBrowserStateValue(value), storageKey);
  }

  /**
   * Encrypts JSON text that {@link serializeBrowserStateValue} produced. For callers that must
   * capture a value when it changes but encrypt it later: values are stored by reference (S5),
   * so the object may be mutated in between.
   *
   * @param json - the JSON text; not checked again.
   * @param storageKey - as for {@link BrowserStateCipher.encrypt}.
   * @returns as {@link BrowserStateCipher.encrypt}.
   * @throws (rejects with) Error when WebCrypto is unavailable; TypeError when `storageKey` is
   *   not a string.
   */
  async encryptJson(json: string, storageKey = ""): Promise<string> {
    const additionalData = additionalDataOf(storageKey);
    const key = await this.#deriveKey();
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    let entry: Uint8Array;
    if (syncAesGcm) {
      entry = syncAesGcm.seal(key.syncKey, iv, json, HEAD_BYTES, additionalData);
    } else {
      const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData }, key.webKey, utf8Encoder.encode(json));
      entry = new Uint8Array(HEAD_BYTES + sealed.byteLength);
      entry.set(new Uint8Array(sealed), HEAD_BYTES);
    }
    entry.set(HEADER, 0);
    entry.set(iv, HEADER.length);
    // One base64 pass over header ‖ iv ‖ sealed: the text is one flat string (no joining).
    return base64Url.encode(entry);
  }

  /**
   * Decrypts a text written by {@link BrowserStateCipher.encrypt}. Never throws or rejects: an
   * unreadable entry is a status for the caller to report, after which it uses the default
   * (S91).
   *
   * @param storageKey - the key the entry was read from: it opens only if it was written for
   *   that key (see {@link BrowserStateCipher.encrypt}); another key reads as
   *   {@link DECRYPT_REASONS}`.secret`. Default `""`.
   * @returns `{ ok: true, value }`, or `{ ok: false, reason }` with a human-readable reason,
   *   one of {@link DECRYPT_REASONS} or an explanation of an unsupported version or a missing
   *   WebCrypto.
   */
  async decrypt(text: string, storageKey = ""): Promise<DecryptResult> {
    try {
      const problem = versionProblem(text);
      if (problem !== undefined) return { ok: false, reason: problem };
      const additionalData = additionalDataOf(storageKey);
      const key = await this.#deriveKey();
      // Nothing below awaits on Node (synchronous cipher), so there the entry may be decoded
      // into reused memory; before the key's `await` another decryption could overwrite it.
      const parsed = parseEntry(text, syncAesGcm ? entryScratch : undefined);
      if (typeof parsed === "string") return { ok: false, reason: parsed };
      let plain: Uint8Array | undefined;
      if (syncAesGcm) {
        plain = syncAesGcm.open(key.syncKey, parsed.iv, parsed.sealed, additionalData);
      } else {
        try {
          plain = new Uint8Array(await subtle().decrypt({ name: "AES-GCM", iv: parsed.iv, additionalData }, key.webKey, parsed.sealed));
        } catch {
          plain = undefined;
        }
      }
      if (plain === undefined) return { ok: false, reason: DECRYPT_REASONS.secret };
      const json = decodeUtf8(plain);
      if (json === undefined) return { ok: false, reason: DECRYPT_REASONS.json };
      try {
        return { ok: true, value: JSON.parse(json) };
      } catch {
        return { ok: false, reason: DECRYPT_REASONS.json };
      }
    } catch (error) {
      return { ok: false, reason: `entry could not be decrypted: ${messageOf(error)}` };
    }
  }

  #deriveKey(): Promise<CipherKey> {
    this.#key ??= (this.kdf === "hkdf" ? deriveKeyHkdf(this.#secret) : deriveKey(this.#secret)).then((webKey) => ({
      webKey,
      syncKey: syncAesGcm?.key(webKey),
    }));
    return this.#key;
  }
}

async function deriveKeyHkdf(secret: string): Promise<CryptoKey> {
  const api = subtle();
  const base = await api.importKey("raw", utf8Encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return api.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: utf8Encoder.encode(CIPHER_SALT),
      info: utf8Encoder.encode(HKDF_INFO),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

async function deriveKey(secret: string): Promise<CryptoKey> {
  const api = subtle();
  const base = await api.importKey("raw", utf8Encoder.encode(secret), "PBKDF2", false, [
    "deriveKey",
  ]);
  return api.deriveKey(
    {
      name: "PBKDF2",
      salt: utf8Encoder.encode(CIPHER_SALT),
      iterations: CIPHER_ITERATIONS,
      hash: "SHA-256",
    },
    base,
    { name: "AES-GCM", length: 256 },
    false, // not extractable: nothing should be able to read the key back out
    ["encrypt", "decrypt"],
  );
}

/** The AES-GCM additional data binding an entry to its storage key: the key's UTF-8. */
function additionalDataOf(storageKey: string): Uint8Array<ArrayBuffer> {
  if (typeof storageKey !== "string") throw new TypeError(`BrowserStateCipher: storageKey must be a string, got ${typeof storageKey}`);
  return utf8Encoder.encode(storageKey);
}

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (api === undefined) {
    throw new Error(
      "BrowserState encryption needs WebCrypto (globalThis.crypto.subtle), which browsers only " +
        "provide in secure contexts (https or localhost)",
    );
  }
  return api;
}

/**
 * The JSON text BrowserState stores for `value` (S92): `JSON.stringify`, refusing what JSON
 * would lose silently. JSON's own conversions apply (`toJSON` is called, `NaN` becomes `null`,
 * object properties that are `undefined` are dropped).
 *
 * @throws TypeError `BrowserState value is not JSON-serialisable: …` for a cycle, a bigint, a
 *   function or symbol anywhere (naming its key or index), or `undefined` at the top level.
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
  const lossy = findLossy(value);
  if (lossy !== undefined) throw notSerialisable(lossy);
  return json;
}

function notSerialisable(detail: string, cause?: unknown): TypeError {
  return new TypeError(`BrowserState value is not JSON-serialisable: ${detail}`, { cause });
}

/**
 * Where JSON.stringify silently lost something: a function or symbol that it dropped (in an
 * object) or turned into `null` (in an array), or a Map or Set it wrote as `{}`, so that what
 * is read back differs from what was written. Walks the graph as JSON.stringify does (own enumerable keys, `toJSON` applied, boxed
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
    if (value instanceof Map || value instanceof Set) {
      return `${where()} is a ${value instanceof Map ? "Map" : "Set"}, which JSON would store as {} (convert it to an object or array)`;
    }
    if (typeof value === "object" && value !== null && !isBoxedPrimitive(value)) {
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

/** Why `text` is not an entry of this format version, judged by its type and prefix alone. */
function versionProblem(text: unknown): string | undefined {
  if (typeof text !== "string") return DECRYPT_REASONS.format;
  if (text.startsWith(VERSION)) return undefined;
  // A version is the 4 base64url characters of a 3-byte header, so "bsv" and one digit: the
  // entry's random bytes follow at once, and may begin with a digit too.
  const other = /^bsv[0-9]/.exec(text);
  return other ? `entry was written in format ${other[0]}, which this version of blockstate cannot read` : DECRYPT_REASONS.format;
}

/**
 * The IV and sealed bytes of an entry that passed {@link versionProblem}, or the reason it is
 * not one. With `scratch`, the bytes live there: use them before anything else can run.
 */
function parseEntry(text: string, scratch: Scratch | undefined): { iv: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> } | string {
  const bytes = base64Url.decode(text, scratch);
  // Shorter than header, IV and tag: cut off, not merely signed with another key.
  if (bytes === undefined || bytes.length < HEAD_BYTES + TAG_BYTES) return DECRYPT_REASONS.format;
  return { iv: bytes.subarray(HEADER.length, HEAD_BYTES), sealed: bytes.subarray(HEAD_BYTES) };
}

/**
 * The storage key a BrowserState uses when none is given (S93): `blockstate:<appId>:<position>`.
 * Deterministic, so the value survives an app restart (Gradio: random per start, #10263). The
 * mapping is one-to-one: the position, an integer, is the last segment, so an `appId` that
 * contains `:` cannot collide with another app's key.
 *
 * @param appId - a stable identifier of the app (the same across restarts and processes).
 * @param position - the BrowserState's index among the app's BrowserStates, in creation order.
 * @throws TypeError when `appId` is not a string; RangeError when `position` is not a
 *   non-negative integer.
 */
export function defaultStorageKey(appId: string, position: number): string {
  checkDerivationInputs(appId, position, "defaultStorageKey");
  return `blockstate:${appId}:${position}`;
}

/**
 * The secret a BrowserState uses when none is given (S93):
 * `blockstate.BrowserState.derived-secret:<appId>:<position>`.
 *
 * It is deterministic, hence not secret: anyone who knows the app identifier can compute it.
 * It keeps apps (and BrowserStates within an app) from reading each other's entries by
 * accident, nothing more. For secrecy pass an explicit `secret` from configuration.
 *
 * @param appId - as for {@link defaultStorageKey}.
 * @param position - as for {@link defaultStorageKey}.
 * @throws TypeError when `appId` is not a string; RangeError when `position` is not a
 *   non-negative integer.
 */
export function defaultSecret(appId: string, position: number): string {
  checkDerivationInputs(appId, position, "defaultSecret");
  return `blockstate.BrowserState.derived-secret:${appId}:${position}`;
}

function checkDerivationInputs(appId: string, position: number, where: string): void {
  if (typeof appId !== "string") {
    throw new TypeError(`${where}: appId must be a string, got ${typeof appId}`);
  }
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(
      `${where}: position must be a non-negative integer, got ${String(position)}`,
    );
  }
}

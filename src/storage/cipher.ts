/**
 * Authenticated encryption of BrowserState values (S92) on the platform's WebCrypto
 * (`crypto.subtle`: browsers in secure contexts, Node >= 20): one code path and one format
 * everywhere, nothing imported from Node.
 *
 * Format, version 3: `bsv3`, then the unpadded base64url of `iv ‖ ciphertext`. `iv` is a fresh
 * 96-bit nonce per write; `ciphertext` is AES-256-GCM of the UTF-8 of `JSON.stringify(value)`
 * with its 128-bit tag, and the UTF-8 of the storage key as additional data: the key is not
 * stored, but an entry copied to another key (same secret) fails to open there, as a tampered
 * one does. (Replaying an older entry of the same key is not detected.) `bsv3` is itself the
 * base64url of the bytes `6E CB F7`, so an entry is one base64url text. The AES key comes from
 * the UTF-8 of the secret through the cipher's {@link CipherKdf}, not recorded in the entry:
 * PBKDF2-HMAC-SHA-256 (salt {@link CIPHER_SALT}, {@link CIPHER_ITERATIONS} iterations) or
 * HKDF-SHA-256 (salt {@link CIPHER_SALT}, info {@link HKDF_INFO}). Changing any of this needs a
 * new version prefix. Other versions read as unreadable, naming the version (S91): `bsv2` (no
 * additional data) and `v1.<iv>.<ciphertext>`.
 *
 * @packageDocumentation
 */
import { messageOf } from "../core/errors";
import { base64Url } from "./base64url";
import { serializeBrowserStateValue } from "./json-value";

/** Salt of both KDFs: fixed, so that a secret gives the same key after a restart (S93). */
export const CIPHER_SALT = "blockstate.BrowserState.v1";

/** PBKDF2-HMAC-SHA-256 iterations (OWASP 2023): an explicit secret may be a password (S93). */
export const CIPHER_ITERATIONS = 600_000;

/** HKDF `info` of the `"hkdf"` key derivation: binds the key to this use and format. */
export const HKDF_INFO = "blockstate.BrowserState.v1 AES-256-GCM key";

/**
 * How a {@link BrowserStateCipher} turns its secret into an AES-256 key: `"pbkdf2"` is slow on
 * purpose (about 0.2 s, once per cipher), for secrets a person may have chosen: the default,
 * and what explicit `secret`s get (S93). `"hkdf"` is one HMAC round, for high-entropy keys and
 * BrowserState's *derived* secrets (S93), which are not secret: stretching protects nothing.
 */
export type CipherKdf = "pbkdf2" | "hkdf";

/** Options of {@link BrowserStateCipher}: `kdf`, the key derivation, default `"pbkdf2"`. */
export interface BrowserStateCipherOptions {
  kdf?: CipherKdf;
}

/** Result of {@link BrowserStateCipher.decrypt}: the value, or why the entry is unreadable. */
export type DecryptResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reasons given by {@link BrowserStateCipher.decrypt}; stable so that callers may show them. */
export const DECRYPT_REASONS = {
  format: "entry is not in blockstate's format",
  secret: "entry was written with another secret or under another storage key, or was tampered with",
  json: "entry was decrypted but does not hold JSON",
} as const;

const VERSION = "bsv3"; // the base64url of HEADER, the entry's first bytes
const HEADER = Uint8Array.of(0x6e, 0xcb, 0xf7);
const HEAD_BYTES = HEADER.length + 12; // header and IV
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
// Bytes that are not UTF-8 are not JSON, and a leading U+FEFF is kept, so JSON.parse refuses it.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Encrypts and decrypts BrowserState values with a key derived from one secret (S92), once, at
 * the first call: keep one cipher per BrowserState per app, not one per call or session.
 * @example
 * ```ts
 * const text = await cipher.encrypt({ theme: "dark" }, "prefs"); // "bsv3…", bound to "prefs"
 * await cipher.decrypt(text, "role"); // { ok: false, reason: DECRYPT_REASONS.secret }
 * ```
 */
export class BrowserStateCipher {
  /** The key derivation (see {@link CipherKdf}). */
  readonly kdf: CipherKdf;
  readonly #secret: string;
  // The promise, not the key, is cached so that concurrent first calls share one derivation.
  #key: Promise<CryptoKey> | undefined;

  /** @throws TypeError for a `secret` that is not a non-empty string, or an unknown `kdf`. */
  constructor(secret: string, options: BrowserStateCipherOptions = {}) {
    const { kdf = "pbkdf2" } = options;
    if (kdf !== "pbkdf2" && kdf !== "hkdf") {
      throw new TypeError(`BrowserStateCipher: kdf must be "pbkdf2" or "hkdf", got ${JSON.stringify(kdf) ?? String(kdf)}`);
    }
    if (typeof secret !== "string" || secret.length === 0) {
      const got = typeof secret === "string" ? "an empty string" : typeof secret;
      throw new TypeError(`BrowserState secret must be a non-empty string, got ${got}`);
    }
    this.kdf = kdf;
    this.#secret = secret;
  }

  /**
   * Serialises `value` with `serializeBrowserStateValue` and encrypts it (S92).
   *
   * @param storageKey - the storage key the entry will be stored under, authenticated with it:
   *   {@link BrowserStateCipher.decrypt} opens it only with the same key. Default `""`.
   * @returns the stored text, `bsv3…`; different on every call (fresh IV).
   * @throws (rejects with) TypeError `BrowserState value is not JSON-serialisable: …` (checked
   *   first), or for a `storageKey` that is not a string; Error without WebCrypto (plain http).
   */
  async encrypt(value: unknown, storageKey = ""): Promise<string> {
    return this.encryptJson(serializeBrowserStateValue(value), storageKey);
  }

  /**
   * Encrypts JSON text from `serializeBrowserStateValue`: for callers that capture a value when
   * it changes and encrypt it later (values are stored by reference, S5). Rejects as `encrypt`.
   */
  async encryptJson(json: string, storageKey = ""): Promise<string> {
    const additionalData = additionalDataOf(storageKey);
    const iv = crypto.getRandomValues(new Uint8Array(HEAD_BYTES - HEADER.length));
    const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData }, await this.#deriveKey(), utf8.encode(json));
    const entry = new Uint8Array(HEAD_BYTES + sealed.byteLength);
    entry.set(HEADER);
    entry.set(iv, HEADER.length);
    entry.set(new Uint8Array(sealed), HEAD_BYTES);
    return base64Url.encode(entry);
  }

  /**
   * Decrypts a text written by {@link BrowserStateCipher.encrypt} for `storageKey` (default
   * `""`). Never rejects: an unreadable entry is a status to report, then the default (S91).
   * @returns `{ ok: true, value }`, or `{ ok: false, reason }`: one of {@link DECRYPT_REASONS},
   *   or an explanation of another format version or a missing WebCrypto.
   */
  async decrypt(text: string, storageKey = ""): Promise<DecryptResult> {
    try {
      if (typeof text !== "string" || !text.startsWith(VERSION)) return { ok: false, reason: versionProblem(text) };
      const additionalData = additionalDataOf(storageKey);
      const bytes = base64Url.decode(text);
      // Shorter than header, IV and tag: cut off, not merely sealed with another key.
      if (bytes === undefined || bytes.length < HEAD_BYTES + TAG_BYTES) return { ok: false, reason: DECRYPT_REASONS.format };
      const [key, iv] = [await this.#deriveKey(), bytes.subarray(HEADER.length, HEAD_BYTES)];
      const plain = await subtle().decrypt({ name: "AES-GCM", iv, additionalData }, key, bytes.subarray(HEAD_BYTES)).catch(() => undefined);
      if (plain === undefined) return { ok: false, reason: DECRYPT_REASONS.secret };
      try {
        return { ok: true, value: JSON.parse(utf8Decoder.decode(plain)) };
      } catch {
        return { ok: false, reason: DECRYPT_REASONS.json };
      }
    } catch (error) {
      return { ok: false, reason: `entry could not be decrypted: ${messageOf(error)}` };
    }
  }

  #deriveKey(): Promise<CryptoKey> {
    return (this.#key ??= deriveKey(this.#secret, this.kdf));
  }
}

async function deriveKey(secret: string, kdf: CipherKdf): Promise<CryptoKey> {
  const api = subtle();
  const salt = utf8.encode(CIPHER_SALT);
  const params =
    kdf === "hkdf"
      ? { name: "HKDF", hash: "SHA-256", salt, info: utf8.encode(HKDF_INFO) }
      : { name: "PBKDF2", hash: "SHA-256", salt, iterations: CIPHER_ITERATIONS };
  const base = await api.importKey("raw", utf8.encode(secret), params.name, false, ["deriveKey"]);
  // Not extractable: nothing can read the key back out.
  return api.deriveKey(params, base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/** The AES-GCM additional data binding an entry to its storage key: the key's UTF-8. */
function additionalDataOf(storageKey: string): Uint8Array<ArrayBuffer> {
  if (typeof storageKey !== "string") throw new TypeError(`BrowserStateCipher: storageKey must be a string, got ${typeof storageKey}`);
  return utf8.encode(storageKey);
}

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (api) return api;
  throw new Error("BrowserState encryption needs WebCrypto (globalThis.crypto.subtle), which browsers only provide in secure contexts (https or localhost)");
}

/** Why `text`, which does not begin with {@link VERSION}, is not an entry of this format. */
function versionProblem(text: unknown): string {
  // A version is the 4 base64url characters of a 3-byte header: "bsv" and a digit; the first
  // format's entries were `v1.<iv>.<ciphertext>`.
  const other = typeof text === "string" ? /^(?:bsv[0-9]|v1(?=\.))/.exec(text) : null;
  return other ? `entry was written in format ${other[0]}, which this version of blockstate cannot read` : DECRYPT_REASONS.format;
}

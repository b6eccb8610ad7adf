/**
 * Authenticated encryption of BrowserState values (S92) and the deterministic default storage
 * key and secret (S93).
 *
 * Uses WebCrypto only (`globalThis.crypto.subtle`, present in browsers in secure contexts and in
 * Node >= 20); imports nothing from Node.
 *
 * Stored format, version 1 (`v1.<iv>.<ciphertext>`):
 *
 * - `iv`: the 96-bit AES-GCM nonce, fresh from `crypto.getRandomValues` for every write,
 *   base64url without padding (16 characters).
 * - `ciphertext`: AES-GCM-256 of the UTF-8 of `JSON.stringify(value)`, followed by the 128-bit
 *   tag, base64url without padding.
 * - Key: PBKDF2-HMAC-SHA-256 of the UTF-8 of the secret, salt {@link CIPHER_SALT},
 *   {@link CIPHER_ITERATIONS} iterations. These parameters are part of the format: changing any
 *   of them needs a new version prefix, or existing entries become unreadable.
 *
 * @packageDocumentation
 */

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

/** Result of {@link BrowserStateCipher.decrypt}: the value, or why the entry is unreadable. */
export type DecryptResult = { ok: true; value: unknown } | { ok: false; reason: string };

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DOT = 0x2e; // "."

/** Reasons given by {@link BrowserStateCipher.decrypt}; stable so that callers may show them. */
export const DECRYPT_REASONS = {
  format: "entry is not in blockstate's format",
  secret: "entry was written with another secret or was tampered with",
  json: "entry was decrypted but does not hold JSON",
} as const;

// Stateless codecs: safe to share between sessions. TextDecoder holds no state across calls
// unless `stream: true` is passed, which it never is here.
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Constant lookup tables, never written after initialisation.
const ENCODE_TABLE = Uint8Array.from(BASE64URL, (c) => c.charCodeAt(0));
// Two base64 characters (12 bits) per entry, laid out in memory in text order whatever the
// platform's endianness, so the encoder stores two characters at once.
const ENCODE_PAIRS = (() => {
  const bytes = new Uint8Array(4096 * 2);
  for (let i = 0; i < 4096; i++) {
    bytes[2 * i] = ENCODE_TABLE[i >>> 6];
    bytes[2 * i + 1] = ENCODE_TABLE[i & 63];
  }
  return new Uint16Array(bytes.buffer);
})();
// 256 entries so that any byte indexes it; -1 marks a byte that is not a base64url character.
const DECODE_TABLE = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < BASE64URL.length; i++) table[BASE64URL.charCodeAt(i)] = i;
  return table;
})();

/**
 * Encrypts and decrypts BrowserState values with a key derived from one secret (S92).
 *
 * The key is derived lazily at the first `encrypt`/`decrypt` and cached for the life of the
 * instance, so keep one cipher per BrowserState per app rather than one per call or session.
 *
 * @example
 * ```ts
 * const cipher = new BrowserStateCipher(process.env.PREFS_SECRET!);
 * const text = await cipher.encrypt({ theme: "dark" }); // "v1.…"
 * const result = await cipher.decrypt(text);            // { ok: true, value: { theme: "dark" } }
 * ```
 */
export class BrowserStateCipher {
  readonly #secret: string;
  // The promise, not the key, is cached so that concurrent first calls share one derivation.
  #key: Promise<CryptoKey> | undefined;

  /**
   * @param secret - any non-empty string; see {@link defaultSecret} for the derived one (S93).
   * @throws TypeError when `secret` is not a non-empty string (an empty one is almost always a
   *   missing configuration value).
   */
  constructor(secret: string) {
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
   * @returns the stored text, `v1.<iv>.<ciphertext>`; different on every call (fresh IV).
   * @throws (rejects with) TypeError `BrowserState value is not JSON-serialisable: …` for a
   *   cycle, a bigint, a function or symbol anywhere, or `undefined` at the top level; checked
   *   before the key is derived or anything is encrypted, so a caller that stores the result
   *   stores nothing.
   * @throws (rejects with) Error when WebCrypto is unavailable (e.g. a page served over plain
   *   http).
   */
  async encrypt(value: unknown): Promise<string> {
    const json = toJson(value);
    const key = await this.#deriveKey();
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = await subtle().encrypt({ name: "AES-GCM", iv }, key, utf8Encoder.encode(json));
    return formatEntry(iv, new Uint8Array(sealed));
  }

  /**
   * Decrypts a text written by {@link BrowserStateCipher.encrypt}. Never throws or rejects: an
   * unreadable entry is a status for the caller to report, after which it uses the default
   * (S91).
   *
   * @returns `{ ok: true, value }`, or `{ ok: false, reason }` with a human-readable reason,
   *   one of {@link DECRYPT_REASONS} or an explanation of an unsupported version or a missing
   *   WebCrypto.
   */
  async decrypt(text: string): Promise<DecryptResult> {
    try {
      const parsed = parseEntry(text);
      if (typeof parsed === "string") return { ok: false, reason: parsed };
      const key = await this.#deriveKey();
      let plain: ArrayBuffer;
      try {
        plain = await subtle().decrypt({ name: "AES-GCM", iv: parsed.iv }, key, parsed.sealed);
      } catch {
        return { ok: false, reason: DECRYPT_REASONS.secret };
      }
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
    this.#key ??= deriveKey(this.#secret);
    return this.#key;
  }
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

function toJson(value: unknown): string {
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
 * object) or turned into `null` (in an array), so that what is read back differs from what was
 * written. Walks the graph as JSON.stringify does (own enumerable keys, `toJSON` applied, boxed
 * primitives as primitives); only called after stringify succeeded, so there is no cycle.
 * `toJSON` methods therefore run twice per write; they are expected to be pure (Date's is).
 * A separate walk rather than a stringify replacer: a replacer is a call from native code for
 * every key and made stringify about 40% slower; this walk visits objects only.
 */
function findLossy(root: unknown): string | undefined {
  const pending: object[] = [];
  const visit = (inArray: boolean, key: string, raw: unknown): string | undefined => {
    const value = applyToJson(raw, key);
    if (typeof value === "function" || typeof value === "symbol") {
      return `${inArray ? `element ${key}` : `key ${JSON.stringify(key)}`} is a ${typeof value}`;
    }
    if (typeof value === "object" && value !== null && !isBoxedPrimitive(value)) {
      pending.push(value);
    }
    return undefined;
  };
  visit(false, "", root);
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

/**
 * `v1.<iv>.<sealed>`, written into one buffer and converted to text once: the result (133 KB
 * for a 100 KB value) is one flat string rather than a concatenation that V8 would copy again
 * at the first read.
 */
function formatEntry(iv: Uint8Array, sealed: Uint8Array): string {
  const prefix = VERSION.length + 1;
  const ivEnd = prefix + base64UrlLength(iv.length);
  const total = ivEnd + 1 + base64UrlLength(sealed.length);
  const out = new Uint8Array(total + 1); // + 1: room for the encoder's two-character stores
  utf8Encoder.encodeInto(`${VERSION}.`, out);
  writeBase64Url(iv, out, prefix);
  out[ivEnd] = DOT;
  writeBase64Url(sealed, out, ivEnd + 1);
  return utf8Decoder.decode(out.subarray(0, total));
}

/** The IV and sealed bytes of an entry, or the reason it is not one. */
function parseEntry(
  text: unknown,
): { iv: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> } | string {
  if (typeof text !== "string") return DECRYPT_REASONS.format;
  const n = text.length;
  // The text as bytes through the native encoder, once, then parsed as bytes: much faster than
  // charCodeAt per character. A non-ASCII character takes more than one byte, so the buffer
  // fills before the text is read to its end.
  const codes = new Uint8Array(n);
  const { read, written } = utf8Encoder.encodeInto(text, codes);
  if (read !== n || written !== n) return DECRYPT_REASONS.format;
  const first = codes.indexOf(DOT);
  const second = first < 0 ? -1 : codes.indexOf(DOT, first + 1);
  if (second < 0 || codes.indexOf(DOT, second + 1) >= 0) return DECRYPT_REASONS.format;
  const version = text.slice(0, first);
  if (version !== VERSION) {
    return /^v[0-9]+$/.test(version)
      ? `entry was written in format ${version}, which this version of blockstate cannot read`
      : DECRYPT_REASONS.format;
  }
  const iv = fromBase64Url(codes, first + 1, second);
  const sealed = fromBase64Url(codes, second + 1, n);
  if (iv === undefined || iv.length !== IV_BYTES || sealed === undefined) {
    return DECRYPT_REASONS.format;
  }
  // Shorter than a tag: cut off, not merely signed with another key.
  if (sealed.length < TAG_BYTES) return DECRYPT_REASONS.format;
  return { iv, sealed };
}

/** Length of the unpadded base64url text of `byteLength` bytes. */
function base64UrlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/**
 * Writes the unpadded base64url of `bytes` as ASCII codes into `out` from `offset`. Linear time
 * with no string building (neither concatenation nor `String.fromCharCode(...bytes)`, which
 * overflows the stack on large values). At an even address it stores two characters at a time,
 * which `out` must leave room for (one byte past the text).
 */
function writeBase64Url(bytes: Uint8Array, out: Uint8Array, offset: number): void {
  const n = bytes.length;
  const whole = n - (n % 3);
  let i = 0;
  let o = offset;
  if ((out.byteOffset + offset) % 2 === 0) {
    const pairs = new Uint16Array(out.buffer, out.byteOffset + offset, (whole / 3) * 2);
    for (let p = 0; i < whole; i += 3, p += 2) {
      const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      pairs[p] = ENCODE_PAIRS[t >>> 12];
      pairs[p + 1] = ENCODE_PAIRS[t & 4095];
    }
    o += (whole / 3) * 4;
  }
  for (; i < whole; i += 3, o += 4) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = ENCODE_TABLE[t >>> 18];
    out[o + 1] = ENCODE_TABLE[(t >>> 12) & 63];
    out[o + 2] = ENCODE_TABLE[(t >>> 6) & 63];
    out[o + 3] = ENCODE_TABLE[t & 63];
  }
  if (n - whole === 1) {
    const t = bytes[whole];
    out[o] = ENCODE_TABLE[t >>> 2];
    out[o + 1] = ENCODE_TABLE[(t & 3) << 4];
  } else if (n - whole === 2) {
    const t = (bytes[whole] << 8) | bytes[whole + 1];
    out[o] = ENCODE_TABLE[t >>> 10];
    out[o + 1] = ENCODE_TABLE[(t >>> 4) & 63];
    out[o + 2] = ENCODE_TABLE[(t & 15) << 2];
  }
}

/**
 * Strict base64url decoding of the ASCII codes `codes[start..end)` (no padding, no
 * whitespace), or `undefined` when they are not canonical base64url. Canonical matters: the
 * unused low bits of the last character must be zero, or two different texts would decode to
 * the same bytes and a one-character edit could go unnoticed.
 */
function fromBase64Url(
  codes: Uint8Array,
  start: number,
  end: number,
): Uint8Array<ArrayBuffer> | undefined {
  const n = end - start;
  const tail = n % 4;
  if (tail === 1) return undefined;
  const whole = end - tail;
  const out = new Uint8Array(((n - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  for (let i = start; i < whole; i += 4, o += 3) {
    // An invalid character maps to -1, whose shifted form keeps the sign bit: one test suffices.
    const t =
      (DECODE_TABLE[codes[i]] << 18) |
      (DECODE_TABLE[codes[i + 1]] << 12) |
      (DECODE_TABLE[codes[i + 2]] << 6) |
      DECODE_TABLE[codes[i + 3]];
    if (t < 0) return undefined;
    out[o] = t >>> 16;
    out[o + 1] = (t >>> 8) & 255;
    out[o + 2] = t & 255;
  }
  if (tail > 0) {
    // With two characters left there is no third: it counts as zero bits.
    const c2 = tail === 3 ? DECODE_TABLE[codes[whole + 2]] : 0;
    const t =
      (DECODE_TABLE[codes[whole]] << 18) | (DECODE_TABLE[codes[whole + 1]] << 12) | (c2 << 6);
    if (t < 0) return undefined;
    out[o] = t >>> 16;
    if (tail === 3) out[o + 1] = (t >>> 8) & 255;
    // Bits below the last whole byte must be zero (canonical encoding).
    if ((tail === 2 ? t & 0xffff : t & 0xff) !== 0) return undefined;
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

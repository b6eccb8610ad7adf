/**
 * Node's native fast paths for the BrowserState cipher (S92), found at run time through
 * `process.getBuiltinModule` (Node >= 20.16) so that no `import` of a Node module appears here:
 * a browser bundle includes this file and simply finds nothing, falling back to WebCrypto and
 * `TextDecoder`, which give the same bytes and text.
 *
 * Why they exist: on Node, WebCrypto runs each AES-GCM call on the thread pool behind a layer
 * of argument checking, which costs more than the encryption of a 100 KB value itself; the
 * synchronous `node:crypto` cipher is about 2× faster. And Node 20's UTF-8 `TextDecoder` is
 * slow for non-ASCII text; `buffer.transcode` to UTF-16 plus a UTF-16 decode is about 30%
 * faster. Both are measured by `bench/browserstate.ts`.
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 * @internal
 */
import { Scratch } from "./scratch";

/**
 * AES-256-GCM with the tag appended to the ciphertext, as WebCrypto lays it out. `K` is the
 * platform's own key object, made once per key with {@link SyncAesGcm.key} and kept by the
 * caller.
 */
export interface SyncAesGcm<K = unknown> {
  /** The platform key for a WebCrypto AES-GCM key (not exported: the same key material). */
  key(key: CryptoKey): K;
  /**
   * `ciphertext ‖ tag(16)` of `plain`, after `headroom` bytes left for the caller to fill, so
   * that a header needs no second copy; a string is sealed as its UTF-8. `additionalData` is
   * authenticated, not encrypted (WebCrypto's `additionalData`; none is the same as empty).
   * The result is transient (a {@link Scratch} view): valid until the next `seal`, so use it
   * at once.
   */
  seal(key: K, iv: Uint8Array, plain: Uint8Array | string, headroom: number, additionalData?: Uint8Array): Uint8Array<ArrayBuffer>;
  /**
   * The plaintext, or `undefined` when the tag does not verify (another key, other additional
   * data, or tampering).
   */
  open(key: K, iv: Uint8Array, sealed: Uint8Array, additionalData?: Uint8Array): Uint8Array | undefined;
}

/** Strict UTF-8 decoding: `undefined` for bytes that are not UTF-8. */
export type Utf8Decode = (bytes: Uint8Array) => string | undefined;

const TAG_BYTES = 16;

/** The parts of `node:crypto` used here. */
interface NodeCrypto {
  KeyObject: { from(key: CryptoKey): unknown };
  createCipheriv(algorithm: "aes-256-gcm", key: unknown, iv: Uint8Array): NodeCipher;
  createDecipheriv(algorithm: "aes-256-gcm", key: unknown, iv: Uint8Array): NodeDecipher;
}
interface NodeCipher {
  setAAD(data: Uint8Array): void;
  update(data: Uint8Array): Uint8Array;
  update(data: string, encoding: "utf8"): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}
interface NodeDecipher {
  setAuthTag(tag: Uint8Array): void;
  setAAD(data: Uint8Array): void;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}
/** The parts of `node:buffer` used here. */
interface NodeBufferModule {
  Buffer: { from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "latin1"): string } };
  isAscii(input: Uint8Array): boolean;
  isUtf8(input: Uint8Array): boolean;
  transcode(source: Uint8Array, from: "utf8", to: "utf16le"): { toString(encoding: "utf16le"): string };
}

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

const utf8Encoder = new TextEncoder();
// Transient buffers of `seal` (see Scratch): the plaintext's UTF-8, and the sealed entry.
const plainScratch = new Scratch();
const sealedScratch = new Scratch();

/**
 * The UTF-8 of `text` in {@link plainScratch}. Encoding into memory already mapped is about a
 * fifth faster, for a 100 KB text, than letting `cipher.update(text, "utf8")` allocate.
 */
function utf8Of(text: string): Uint8Array {
  const worst = text.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 code unit
  if (worst > plainScratch.limit) return utf8Encoder.encode(text); // exact size, not 3×
  const bytes = plainScratch.take(worst);
  return bytes.subarray(0, utf8Encoder.encodeInto(text, bytes).written);
}

/**
 * Node's synchronous AES-256-GCM, or `undefined` elsewhere. The key stays a non-extractable
 * `CryptoKey`: `KeyObject.from` wraps the same key material without exporting it.
 */
export function nodeAesGcm(): SyncAesGcm | undefined {
  const crypto = builtin<NodeCrypto>("node:crypto");
  if (typeof crypto?.createCipheriv !== "function" || typeof crypto.KeyObject?.from !== "function") return undefined;
  return {
    key: (key) => crypto.KeyObject.from(key),
    seal(key, iv, plain, headroom, additionalData) {
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      if (additionalData) cipher.setAAD(additionalData);
      const body = cipher.update(typeof plain === "string" ? utf8Of(plain) : plain);
      const rest = cipher.final(); // empty for GCM, a stream mode
      const out = sealedScratch.take(headroom + body.length + rest.length + TAG_BYTES);
      out.set(body, headroom);
      out.set(rest, headroom + body.length);
      out.set(cipher.getAuthTag(), headroom + body.length + rest.length);
      return out;
    },
    open(key, iv, sealed, additionalData) {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      if (additionalData) decipher.setAAD(additionalData);
      const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      try {
        decipher.final(); // verifies the tag
      } catch {
        return undefined;
      }
      return body;
    },
  };
}

/**
 * Node's strict UTF-8 decoding, or `undefined` elsewhere: ASCII as Latin-1 (a one-byte string,
 * no conversion), other valid UTF-8 through `transcode` to UTF-16 (for non-ASCII text about
 * 30% faster than Node 20's `TextDecoder`); `undefined` for bytes that are not UTF-8.
 */
export function nodeUtf8Decode(): Utf8Decode | undefined {
  const buffer = builtin<NodeBufferModule>("node:buffer");
  const { Buffer, isAscii, isUtf8, transcode } = buffer ?? {};
  if (typeof isAscii !== "function" || typeof isUtf8 !== "function" || typeof transcode !== "function" || !Buffer) return undefined;
  return (bytes) => {
    if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    return isUtf8(bytes) ? transcode(bytes, "utf8", "utf16le").toString("utf16le") : undefined;
  };
}

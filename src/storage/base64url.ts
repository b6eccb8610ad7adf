/**
 * Strict, unpadded base64url (RFC 4648 §5) for the BrowserState entry format (S92), through the
 * fastest implementation the platform has:
 *
 * - `web`: `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` (browsers since 2025,
 *   Node >= 25): native.
 * - `buffer`: Node's `Buffer`, found as `globalThis.Buffer` (never imported, so a browser bundle
 *   pulls in nothing from Node): native, about 5× faster than the JavaScript loop on 100 KB.
 * - `js`: a table-driven loop, everywhere else.
 *
 * The native decoders are lenient (they skip whitespace; Node's also skips invalid characters
 * and accepts `+` and `/`), so their results are checked against the text: a canonical
 * base64url text of `n` characters decodes to exactly `⌊3n/4⌋` bytes, and every character a
 * lenient decoder skips makes the result shorter. Strictness matters because a text that
 * decodes to the same bytes as another would let a one-character edit go unnoticed.
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 */
import type { Scratch } from "./scratch";

/** Encodes and strictly decodes unpadded base64url. */
export interface Base64UrlCodec {
  /** Which implementation this is (see the module documentation). */
  readonly name: "web" | "buffer" | "js";
  /** The unpadded base64url text of `bytes`. */
  encode(bytes: Uint8Array): string;
  /**
   * The bytes of an unpadded base64url text, or `undefined` when it is not canonical: any
   * character outside `A-Z a-z 0-9 - _` (padding and whitespace included), a length of 4k + 1,
   * or non-zero unused bits in the last character.
   *
   * @param scratch - reusable memory the implementation may decode into instead of fresh
   *   memory (Node's does); the bytes are then valid only until the scratch's next use.
   */
  decode(text: string, scratch?: Scratch): Uint8Array<ArrayBuffer> | undefined;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Constant lookup tables, never written after initialisation.
const ENCODE_TABLE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
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
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

const asciiEncoder = new TextEncoder();
// Stateless between calls (no `stream: true`), so safe to share.
const asciiDecoder = new TextDecoder("utf-8", { fatal: true });

/** Length of the unpadded base64url text of `byteLength` bytes. */
function base64UrlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/**
 * Whether `bytes`, decoded leniently from `text`, is what a strict decoder would give: the
 * length matches (nothing was skipped) and the last character carries no stray bits.
 */
function isCanonical(text: string, bytes: Uint8Array): boolean {
  const n = text.length;
  if (bytes.length !== Math.floor((n * 3) / 4)) return false;
  const tail = n % 4;
  if (tail === 0) return true;
  const code = text.charCodeAt(n - 1);
  const last = code < 128 ? DECODE_TABLE[code] : -1;
  // Two characters carry 12 bits for one byte (4 unused), three carry 18 for two (2 unused).
  return last >= 0 && (last & (tail === 2 ? 15 : 3)) === 0;
}

//#region JavaScript

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

/** Strict decoding of the ASCII codes `codes[0..n)`, or `undefined` (see {@link Base64UrlCodec.decode}). */
function readBase64Url(codes: Uint8Array, n: number): Uint8Array<ArrayBuffer> | undefined {
  const tail = n % 4;
  if (tail === 1) return undefined;
  const whole = n - tail;
  const out = new Uint8Array(((n - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  for (let i = 0; i < whole; i += 4, o += 3) {
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

/** The portable implementation; also the reference the native ones are tested against. */
export const jsBase64Url: Base64UrlCodec = {
  name: "js",
  encode(bytes) {
    const n = base64UrlLength(bytes.length);
    const out = new Uint8Array(n + 1); // + 1: room for the encoder's two-character stores
    writeBase64Url(bytes, out, 0);
    return asciiDecoder.decode(out.subarray(0, n));
  },
  decode(text) {
    const n = text.length;
    // The text as bytes through the native encoder, once, then decoded as bytes: much faster
    // than charCodeAt per character. A non-ASCII character takes more than one byte, so the
    // buffer fills before the text is read to its end.
    const codes = new Uint8Array(n);
    const { read, written } = asciiEncoder.encodeInto(text, codes);
    if (read !== n || written !== n) return undefined;
    return readBase64Url(codes, n);
  },
};

//#endregion
//#region Native

/** The parts of Node's `Buffer` used here, typed locally so nothing refers to Node's types. */
interface NodeBufferClass {
  from(text: string, encoding: "base64url"): Uint8Array;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBufferView;
}

interface NodeBufferView {
  toString(encoding: "base64url"): string;
  write(text: string, offset: number, length: number, encoding: "base64url"): number;
}

/** The TC39 base64 methods (ES2026), not yet in TypeScript's `lib`. */
interface WebBase64 {
  toBase64(this: Uint8Array, options: { alphabet: "base64url"; omitPadding: boolean }): string;
  fromBase64(text: string, options: { alphabet: "base64url"; lastChunkHandling: "loose" }): Uint8Array<ArrayBuffer>;
}

/**
 * The `Buffer` implementation, when `buffer` (normally `globalThis.Buffer`) is Node's;
 * otherwise `undefined`.
 */
export function bufferBase64Url(buffer: unknown = (globalThis as { Buffer?: unknown }).Buffer): Base64UrlCodec | undefined {
  if (typeof buffer !== "function" || typeof (buffer as { from?: unknown }).from !== "function") return undefined;
  const NodeBuffer = buffer as unknown as NodeBufferClass;
  return {
    name: "buffer",
    encode(bytes) {
      // A view over the same memory: no copy.
      return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
    },
    decode(text, scratch) {
      if (text.length % 4 === 1) return undefined;
      // Node decodes both alphabets; `-`/`_` only is the format.
      if (text.indexOf("+") >= 0 || text.indexOf("/") >= 0) return undefined;
      let bytes: Uint8Array;
      if (scratch) {
        const target = scratch.take(Math.floor((text.length * 3) / 4));
        const view = NodeBuffer.from(target.buffer, target.byteOffset, target.length);
        bytes = target.subarray(0, view.write(text, 0, target.length, "base64url"));
      } else bytes = NodeBuffer.from(text, "base64url");
      // A Buffer is a Uint8Array over an ArrayBuffer (possibly Node's shared pool, read only
      // through this view).
      return isCanonical(text, bytes) ? (bytes as Uint8Array<ArrayBuffer>) : undefined;
    },
  };
}

/** The `Uint8Array.fromBase64` implementation, when the platform has it; otherwise `undefined`. */
export function webBase64Url(): Base64UrlCodec | undefined {
  const ctor = Uint8Array as unknown as Partial<WebBase64>;
  const proto = Uint8Array.prototype as unknown as Partial<WebBase64>;
  const { fromBase64 } = ctor;
  const { toBase64 } = proto;
  if (typeof fromBase64 !== "function" || typeof toBase64 !== "function") return undefined;
  return {
    name: "web",
    encode(bytes) {
      return toBase64.call(bytes, { alphabet: "base64url", omitPadding: true });
    },
    decode(text) {
      if (text.length % 4 === 1) return undefined;
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        // "loose": the format has no padding; stray bits are checked below.
        bytes = fromBase64.call(Uint8Array, text, { alphabet: "base64url", lastChunkHandling: "loose" });
      } catch {
        return undefined; // a character outside the alphabet
      }
      return isCanonical(text, bytes) ? bytes : undefined;
    },
  };
}

/** The implementation BrowserState uses here: `web`, else `buffer`, else `js`. */
export const base64Url: Base64UrlCodec = webBase64Url() ?? bufferBase64Url() ?? jsBase64Url;

//#endregion

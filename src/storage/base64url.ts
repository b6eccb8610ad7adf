/**
 * Strict, unpadded base64url (RFC 4648 §5) through the platform's codec: the TC39 `Uint8Array`
 * `toBase64`/`fromBase64` (browsers since 2025, Node >= 25), else Node's `Buffer` (Node 20-24,
 * read from `globalThis`), else `btoa`/`atob` (older browsers; ten times slower than `Buffer`
 * for 100 KB on Node 20). Same text on every route. Their decoders are lenient (whitespace,
 * padding, unused bits; `Buffer` also takes `+` and `/`), so a text is accepted only as the
 * canonical encoding of its bytes: a one-character edit must never open as the same entry.
 *
 * @packageDocumentation
 */

/** Encodes, and strictly decodes (`undefined` unless canonical), unpadded base64url. */
export interface Base64UrlCodec {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array<ArrayBuffer> | undefined;
}

type Url = { alphabet: "base64url"; omitPadding?: boolean };
/** The TC39 base64 methods (ES2026), and the part of Node's `Buffer` used, typed locally. */
type Tc39 = { toBase64?(this: Uint8Array, o: Url): string; fromBase64?(text: string, o: Url): Uint8Array<ArrayBuffer> };
type NodeBuffer = {
  isEncoding(e: string): boolean;
  from(b: ArrayBufferLike, at: number, n: number): { toString(e: "base64url"): string };
  from(t: string, e: "base64url"): Uint8Array<ArrayBuffer>;
};
type Codec = [encode: (bytes: Uint8Array) => string, decode: (text: string) => Uint8Array<ArrayBuffer>];

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** @internal The codec for a platform with (or without) the TC39 methods and `Buffer`. */
export function platformBase64Url(tc39: Tc39, buffer: unknown): Base64UrlCodec {
  const { toBase64 } = Uint8Array.prototype as Tc39;
  const { fromBase64 } = tc39;
  // A bundler's `Buffer` polyfill may not know base64url: ask.
  const B = (buffer as Partial<NodeBuffer> | undefined)?.isEncoding?.("base64url") ? (buffer as NodeBuffer) : undefined;
  const [encode, lenient]: Codec =
    toBase64 && fromBase64
      ? [(b) => toBase64.call(b, { alphabet: "base64url", omitPadding: true }), (t) => fromBase64.call(Uint8Array, t, { alphabet: "base64url" })]
      : B
        ? [(b) => B.from(b.buffer, b.byteOffset, b.byteLength).toString("base64url"), (t) => B.from(t, "base64url")]
        : [
            (b) => btoa(b.reduce((s, byte) => s + String.fromCharCode(byte), "")).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"),
            (t) => Uint8Array.from(atob(t.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
          ];
  const decode = (text: string): Uint8Array<ArrayBuffer> | undefined => {
    const n = text.length;
    if (n % 4 === 1 || text.includes("+") || text.includes("/")) return undefined;
    // The last of 2 (3) characters carries 4 (2) unused bits, which must be 0 (-1: not base64url).
    if (n % 4 > 1 && (CHARS.indexOf(text[n - 1]) & (n % 4 === 2 ? 15 : 3)) !== 0) return undefined;
    try {
      const bytes = lenient(text);
      // Whatever a lenient decoder skipped makes the result shorter.
      return bytes.length === Math.floor((n * 3) / 4) ? bytes : undefined;
    } catch {
      return undefined;
    }
  };
  return { encode, decode };
}

/** The codec of this platform (see the module documentation). */
export const base64Url: Base64UrlCodec = platformBase64Url(Uint8Array as Tc39, (globalThis as { Buffer?: unknown }).Buffer);

/**
 * A short, stable fingerprint of a text, for the default BrowserState storage key and secret
 * (S93). Not cryptographic: it only has to be the same on every run and platform and differ
 * between apps by accident-proof margins.
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 */

const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/**
 * FNV-1a, 64 bits, over the UTF-8 of `text`, as 16 lowercase hex digits. 64 rather than 32 bits
 * so that accidental collisions between the apps of one origin stay negligible (about 2^-32 for
 * 65,000 apps rather than near-certain). BigInt keeps it exact; it runs once per app launch on
 * a short text, so its speed does not matter.
 *
 * @example
 * ```ts
 * fnv1a64("");  // "cbf29ce484222325"
 * fnv1a64("a"); // "af63dc4c8601ec8c"
 * ```
 */
export function fnv1a64(text: string): string {
  let hash = OFFSET_BASIS;
  for (const byte of utf8.encode(text)) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  return hash.toString(16).padStart(16, "0");
}

/**
 * New session hashes (S10), for `App.connect` without a `sessionHash`.
 *
 * @packageDocumentation
 */
import { base64Url } from "../storage/base64url";

const HASH_CHARS = 22;
const POOL_HASHES = 256;

/**
 * @internal Session hashes (S10): 22 URL-safe base64 characters, each 6 bits from the platform's
 * cryptographic random source (132 random bits). Random bytes are drawn and encoded 256 hashes
 * at a time (4,224 bytes, 5,632 characters, no padding), because one `getRandomValues` call and
 * one encoding cost far more than cutting the text (measured: a view and an encoding per hash
 * were a fifth of `connect()`).
 */
export class SessionHashSource {
  private readonly pool = new Uint8Array((HASH_CHARS * POOL_HASHES * 3) / 4);
  private text = "";
  private offset = 0;

  /** A new hash: 22 characters of `A-Z a-z 0-9 - _`. */
  next(): string {
    if (this.offset === this.text.length) {
      globalThis.crypto.getRandomValues(this.pool);
      this.text = base64Url.encode(this.pool);
      this.offset = 0;
    }
    const start = this.offset;
    this.offset += HASH_CHARS;
    return this.text.slice(start, start + HASH_CHARS);
  }
}

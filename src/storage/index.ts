/**
 * Browser-safe storage for BrowserState (S90-S94): the Web Storage interface, an in-memory
 * storage, and the cipher with the default key and secret. The Node-only `FileStorage` lives in
 * `src/node/` (package subpath `blockstate/node`) and is deliberately not re-exported here.
 *
 * @packageDocumentation
 */

export { assertStorageLike, MemoryStorage } from "./web-storage";
export type { MemoryStorageOptions, StorageLike } from "./web-storage";
export {
  BrowserStateCipher,
  CIPHER_ITERATIONS,
  CIPHER_SALT,
  DECRYPT_REASONS,
  HKDF_INFO,
} from "./cipher";
export type { BrowserStateCipherOptions, CipherKdf, DecryptResult } from "./cipher";
export { serializeBrowserStateValue } from "./json-value";
export { base64Url } from "./base64url";
export type { Base64UrlCodec } from "./base64url";
export { defaultSecret, defaultStorageKey, fnv1a64 } from "./fingerprint";

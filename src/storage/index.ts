/**
 * Browser-safe storage for BrowserState (S90-S94): the Web Storage interface, an in-memory
 * storage, and the cipher with the default key and secret. The Node-only `FileStorage` lives in
 * `src/node/file-storage.ts` and is deliberately not re-exported here.
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
  defaultSecret,
  defaultStorageKey,
} from "./cipher";
export type { DecryptResult } from "./cipher";

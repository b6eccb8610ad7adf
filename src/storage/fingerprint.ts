/**
 * The deterministic default storage key and secret of a BrowserState (S93), and the short,
 * stable fingerprint of an app's definition they are derived from. Not cryptographic: it only
 * has to be the same on every run and platform and differ between apps by accident-proof
 * margins.
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

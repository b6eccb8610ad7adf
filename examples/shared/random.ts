/**
 * A small seeded PRNG standing in for Python's `random` module, so that example transcripts are
 * reproducible: the same seed gives the same "random" replies.
 */

/** A random source: returns floats in [0, 1), like `Math.random`. */
export type Random = () => number;

/** The seed examples use unless told otherwise. */
export const DEFAULT_SEED = 2024;

/** mulberry32: a tiny, well-distributed 32-bit generator. */
export function seededRandom(seed: number = DEFAULT_SEED): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `random.choice(items)`. */
export function choice<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `random.randint(low, high)`: an integer in [low, high], both included. */
export function randint(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

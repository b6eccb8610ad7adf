/**
 * Gradio's "one, a list, or none" arguments. Its own file so that `listeners.ts` can use it
 * without importing `block.ts`, which imports `listeners.ts` (no circle of value imports).
 *
 * @packageDocumentation
 */

/** @internal Gradio's "one, a list, or none" arguments as a fresh array. */
export function toArray<T>(items: T | readonly T[] | null | undefined): T[] {
  if (items == null) return [];
  return Array.isArray(items) ? [...(items as readonly T[])] : [items as T];
}

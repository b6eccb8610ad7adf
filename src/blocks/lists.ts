/**
 * Gradio's "one, a list, or none" arguments, for every file of the folder: a leaf that imports
 * nothing.
 *
 * @packageDocumentation
 */

/** @internal Gradio's "one, a list, or none" arguments as a fresh array. */
export function toArray<T>(items: T | readonly T[] | null | undefined): T[] {
  if (items == null) return [];
  return Array.isArray(items) ? [...(items as readonly T[])] : [items as T];
}

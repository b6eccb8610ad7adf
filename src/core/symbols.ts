/**
 * Protocol symbols a user class may implement to take part in change detection and copying.
 *
 * @packageDocumentation
 */

/**
 * `[gr.hash](): unknown` returns a value that stands for the instance in change detection,
 * compared by content (S50): the counterpart of Python's `__hash__`.
 *
 * @example
 * ```ts
 * class Point {
 *   constructor(public x: number, public y: number) {}
 *   [gr.hash]() { return [this.x, this.y]; }
 * }
 * ```
 */
export const hash: unique symbol = Symbol.for("blockstate.hash");

/**
 * `[gr.clone](): this` returns a deep copy of the instance (S3). Used instead of the
 * prototype-keeping structural copy when a class defines it, e.g. to share an immutable
 * resource between sessions or to copy something the structural copy refuses.
 */
export const clone: unique symbol = Symbol.for("blockstate.clone");

/** A value that implements {@link hash}. */
export interface Hashable {
  [hash](): unknown;
}

/** A value that implements {@link clone}. */
export interface Cloneable {
  [clone](): unknown;
}

/**
 * The implicit build context: `new gr.Textbox()` inside `new gr.Blocks((demo) => ...)` registers
 * with that Blocks, the counterpart of Python's `with gr.Blocks():`.
 *
 * The stack is module-level because JavaScript has no other way to reach "the Blocks being
 * built" from a constructor. It only holds entries during a synchronous build callback and is
 * always unwound in `finally`, so it never carries anything between builds or sessions.
 *
 * @internal
 */
import type { Blocks } from "./blocks";
import type { LayoutBlock } from "./layout";

/** One open build: the Blocks and the innermost open layout container. */
export interface BuildFrame {
  blocks: Blocks;
  container: LayoutBlock | Blocks;
}

const stack: BuildFrame[] = [];

/** The innermost open build, if any. */
export function currentBuild(): BuildFrame | undefined {
  return stack[stack.length - 1];
}

/** Runs `fn` with `frame` as the innermost open build. */
export function withBuild<R>(frame: BuildFrame, fn: () => R): R {
  stack.push(frame);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

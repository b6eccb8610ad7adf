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
import type { Block } from "./block";
import type { Blocks } from "./blocks";
import type { Dependency } from "./dependency";
import type { LayoutBlock } from "./layout";
import type { ChainKind, ListenerConfig, Trigger } from "./listeners";
import type { CellList } from "./block";

/**
 * Where the blocks and listeners of a `gr.render` run go instead of the (frozen) Blocks: one
 * session's render of one region (S110). Implemented by the runtime.
 */
export interface BuildScope {
  register(block: Block, container: LayoutBlock | Blocks): void;
  addDependency(triggers: Trigger[], config: ListenerConfig<CellList>, where: string, parent?: { dependency: Dependency; on: ChainKind }): Dependency;
}

/** One open build: the Blocks, the innermost open layout container, and a render's scope. */
export interface BuildFrame {
  blocks: Blocks;
  container: LayoutBlock | Blocks;
  /** Set while a `gr.render` function runs for a session (S110). */
  scope?: BuildScope;
}

/** Registers `block` with the open build: the Blocks, or the render run's scope. */
export function registerInFrame(frame: BuildFrame, block: Block): void {
  if (frame.scope) frame.scope.register(block, frame.container);
  else frame.blocks._register(block, frame.container);
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

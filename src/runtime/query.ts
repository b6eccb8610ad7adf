/**
 * What `session.find` and `session.findAll` match (docs/04, "Finding components"): a query of
 * props and class name, tried on a session's blocks in layout order.
 *
 * @packageDocumentation
 */
import { checkOptions, describeValue, isRecord } from "../core/errors";
import { LayoutBlock, isDrawn, type Block } from "../blocks/block";
import type { Blocks } from "../blocks/blocks";
import { Render } from "../blocks/render";
import type { Props } from "../components/component";
import type { SessionRenders } from "./renders";

/** A query of {@link Session.find}: every given field must match. */
export interface BlockQuery {
  label?: string;
  elemId?: string;
  key?: string | number;
  /** The class name: `"Textbox"`, `"Number"`, `"Row"`, `"State"`. */
  type?: string;
}

const BLOCK_QUERY: readonly (keyof BlockQuery)[] = ["label", "elemId", "key", "type"];

/**
 * @internal A test of `query` (a label, or a {@link BlockQuery}) on a block, with its props as
 * `propsOf` gives them in the session.
 *
 * @throws TypeError naming `session.<method>` and the query, for a query of another shape.
 */
export function blockMatcher(query: string | BlockQuery, method: string, propsOf: (block: Block) => Props): (block: Block) => boolean {
  if (typeof query === "string") query = { label: query };
  else if (!isRecord(query)) throw new TypeError(`session.${method}: the query must be a label or { label?, elemId?, key?, type? }; got ${describeValue(query)}.`);
  else checkOptions(`session.${method}`, query, BLOCK_QUERY);
  const { label, elemId, key, type } = query;
  return (block) => {
    const props = propsOf(block);
    if (label !== undefined && props.label !== label) return false;
    if (elemId !== undefined && props.elemId !== elemId) return false;
    if (key !== undefined && props.key !== key) return false;
    if (type !== undefined) {
      const ctor = block.constructor as { displayName?: string; name: string };
      if ((ctor.displayName ?? ctor.name) !== type) return false;
    }
    return true;
  };
}

/** @internal A session's blocks in layout order (regions' content where the region is), then the undrawn ones. */
export function* layoutOrder(blocks: Blocks, renders: SessionRenders | undefined): IterableIterator<Block> {
  function* walk(children: readonly Block[]): IterableIterator<Block> {
    for (const block of children) {
      yield block;
      if (block instanceof Render) yield* walk(renders?.children(block) ?? []);
      else if (block instanceof LayoutBlock) yield* walk(block._children);
    }
  }
  yield* walk(blocks._children);
  for (const cell of blocks._cells) if (!isDrawn(cell)) yield cell;
  if (renders) for (const block of renders.liveBlocks()) if (!isDrawn(block)) yield block;
}

/**
 * `ctx.progress` (S31): a fraction reporter with Gradio's `progress.tqdm` for loops.
 *
 * @packageDocumentation
 */
import { describeValue } from "../core/errors";
import type { Progress, TqdmOptions } from "../blocks/context";

/** What one report says; the run adds its type and dependency. */
export interface ProgressReport {
  progress: number;
  desc?: string;
  index?: number;
  length?: number;
  unit?: string;
}

/** @internal Builds a run's `ctx.progress`, sending each report to `send`. */
export function makeProgress(send: (report: ProgressReport) => void): Progress {
  const progress = ((fraction: number, desc?: string) => send({ progress: fraction, desc })) as Progress;
  progress.tqdm = ((items: Iterable<unknown> | AsyncIterable<unknown>, options: TqdmOptions = {}) => {
    const length = sizeOf(items, options);
    const { desc, unit = "steps" } = options;
    const step = (index: number) => send({ progress: length === 0 ? 1 : Math.min(1, index / length), desc, index, length, unit });
    if (items != null && typeof (items as Iterable<unknown>)[Symbol.iterator] === "function") return steps(items as Iterable<unknown>, step);
    return asyncSteps(items as AsyncIterable<unknown>, step);
  }) as Progress["tqdm"];
  return progress;
}

function sizeOf(items: unknown, options: TqdmOptions): number {
  const iterable =
    items != null &&
    (typeof (items as Iterable<unknown>)[Symbol.iterator] === "function" || typeof (items as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function");
  if (!iterable) throw new TypeError(`ctx.progress.tqdm: expected an iterable (an array, a Set, a generator, ...); got ${describeValue(items)}.`);
  const { total } = options;
  if (total !== undefined) {
    if (typeof total !== "number" || !Number.isInteger(total) || total < 0) {
      throw new TypeError(`ctx.progress.tqdm: total must be a whole number of items, 0 or more; got ${describeValue(total)}.`);
    }
    return total;
  }
  const own = items as { length?: unknown; size?: unknown };
  if (typeof own.length === "number") return own.length;
  if (typeof own.size === "number") return own.size;
  throw new TypeError("ctx.progress.tqdm: cannot tell how many items there are (no length or size); pass { total }.");
}

function* steps<T>(items: Iterable<T>, step: (index: number) => void): Generator<T> {
  let index = 0;
  step(0);
  for (const item of items) {
    yield item;
    step(++index);
  }
}

async function* asyncSteps<T>(items: AsyncIterable<T>, step: (index: number) => void): AsyncGenerator<T> {
  let index = 0;
  step(0);
  for await (const item of items) {
    yield item;
    step(++index);
  }
}

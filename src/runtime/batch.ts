/**
 * Batch listeners (`ListenerOptions.batch`, Gradio's `batch=True`): one call of the handler for
 * a batch of runs, each run's inputs read in its own session and its part of the result
 * applied there (S1, S31), in its own trigger's async context.
 *
 * @packageDocumentation
 */
import { EventError, currentRun, isPromiseLike, whenSettled } from "../core/errors";
import type { Dependency } from "../blocks/block";
import { armTimeLimit, inputValues, type RunEnds } from "./handler";
import { resultError } from "./outputs";
import type { RunSite } from "./sites";

/**
 * @internal Gradio's `batch=True` (`ListenerOptions.batch`): calls the handler once for `lead` and
 * the runs that joined its batch (`RunSite.batch`), with one list per input holding each run's
 * value (read in its own session, S31), and hands each run its part of the result. A run
 * cancelled before the call is left out; one whose inputs cannot be read fails alone. The
 * event context and the current run (for `gr.Info`) are the first run's. Also for a lead
 * cancelled before it began: the runs of its batch still run.
 */
export function invokeBatch(lead: RunSite, ends: RunEnds): void {
  const dependency = lead.dependency;
  const { timeLimit } = dependency.options;
  const runs: RunSite[] = [];
  const values: unknown[][] = [];
  for (const run of [lead, ...lead.batch]) {
    if (run.cancelled) {
      ends.release(run);
      continue;
    }
    run.stage = "running";
    run.session._status(dependency, "running", undefined, run.id);
    if (timeLimit !== null) armTimeLimit(run, timeLimit);
    try {
      values.push(inputValues(run, run.runtime.inputs.length));
    } catch (e) {
      ends.fail(run, e);
      continue;
    }
    runs.push(run);
  }
  if (runs.length === 0) return;
  const first = runs[0];
  const { inputs, asMap, context } = first.runtime;
  const lists: unknown[] = inputs.map((_, i) => values.map((v) => v[i]));
  const args = asMap ? [new Map(inputs.map((node, i) => [node.cell, lists[i]]))] : lists;
  if (context) args.push(runs.length === 1 ? first.ctx : batchContext(runs));
  const failAll = (e: unknown): void => {
    for (const run of runs) inOwnContext(run, () => ends.fail(run, e));
  };
  let result: unknown;
  let thenable: boolean;
  try {
    result = currentRun.run(first, dependency.fn, args);
    thenable = isPromiseLike(result);
  } catch (e) {
    return failAll(e);
  }
  if (!thenable) return distribute(runs, result, ends);
  whenSettled(result as PromiseLike<unknown>, (value) => distribute(runs, value, ends), failAll);
  // A run something can cancel ends at its cancellation; its part of the result is then dropped.
  for (const run of runs) if (run.runtime.cancellable || run.watcher) void run.whenCancelled().then(() => ends.release(run));
}

/**
 * {@link invokeBatch}'s result, one part per run: `value` holds one list per output, each with
 * one value per run; a run gets its value for its one output, else one value per output.
 */
function distribute(runs: readonly RunSite[], value: unknown, ends: RunEnds): void {
  const dependency = runs[0].dependency;
  const outputs = dependency.outputs.length;
  let parts: unknown[];
  try {
    parts = batchParts(dependency, value, outputs, runs.length);
  } catch (e) {
    for (const run of runs) inOwnContext(run, () => ends.fail(run, e));
    return;
  }
  for (let i = 0; i < runs.length; i++) inOwnContext(runs[i], () => ends.complete(runs[i], parts[i]));
}

/**
 * Calls `fn` in the async context `run` kept (a run that joined a batch, `Run.gatherBatch`), so
 * that what its part of the result starts (`.then`, `.change`) runs in its own trigger's
 * context, not the first run's; else as is.
 */
function inOwnContext(run: RunSite, fn: () => void): void {
  const scope = run.scope;
  if (scope === undefined) return fn();
  run.scope = undefined;
  scope.runInAsyncScope(fn, undefined);
}

/**
 * The event context of a batch of several runs: the first run's, except that its `signal`
 * aborts only once every run of the batch was cancelled, as one session's stop button (or
 * close) must not abort the work the others wait for (S1).
 */
function batchContext(runs: readonly RunSite[]): RunSite["ctx"] {
  let signal: AbortSignal | undefined;
  return Object.create(runs[0].ctx, {
    signal: {
      get(): AbortSignal {
        if (signal) return signal;
        const controller = new AbortController();
        let left = runs.length;
        for (const run of runs) {
          const own = run.signal;
          const gone = (): void => {
            if (--left === 0) controller.abort(own.reason);
          };
          if (own.aborted) gone();
          else own.addEventListener("abort", gone, { once: true });
        }
        return (signal = controller.signal);
      },
    },
  }) as RunSite["ctx"];
}

/**
 * The runs' parts of a batch handler's `value` (see {@link distribute}).
 *
 * @throws EventError (`output_count`) naming the listener for a value of another shape;
 *   (`unreadable_value`) for one that cannot be read.
 */
function batchParts(dependency: Dependency, value: unknown, outputs: number, count: number): unknown[] {
  if (outputs === 0) return new Array<unknown>(count).fill(undefined);
  let lists: unknown[][];
  try {
    const ok = Array.isArray(value) && value.length === outputs && value.every((list: unknown) => Array.isArray(list) && list.length === count);
    if (!ok) {
      // Its shape only: the values belong to several sessions, and every one of them is told (S1).
      throw new EventError(
        `${dependency.describe()} is a batch listener: it must return one list per output (${outputs}), each with one value per run of the batch (${count}); got ${shapeOf(value)}.`,
        "output_count",
      );
    }
    lists = (value as unknown[][]).map((list) => list.slice());
  } catch (e) {
    throw resultError(dependency, undefined, e);
  }
  const parts = new Array<unknown>(count);
  for (let i = 0; i < count; i++) parts[i] = outputs === 1 ? lists[0][i] : lists.map((list) => list[i]);
  return parts;
}

/** A batch result's shape for a message, without its values: `a list of 2 (lists of 2, 2)`, `a string`. */
function shapeOf(value: unknown): string {
  if (!Array.isArray(value)) return value === null ? "null" : `${/^[aeiou]/.test(typeof value) ? "an" : "a"} ${typeof value}`;
  const inner = value.slice(0, 10).map((v: unknown) => (Array.isArray(v) ? String(v.length) : "not a list"));
  return `a list of ${value.length}${value.length ? ` (${inner.join(", ")}${value.length > 10 ? ", ..." : ""})` : ""}`;
}

/**
 * @internal The server's view of the engine: start one run of a listener and follow it (each
 * yield, its end, `cancel()`), check API input values, and the error text a client may see.
 * Kept in one place so the server depends on nothing else of the runtime's internals.
 *
 * @packageDocumentation
 */
import { EventError, describeValue } from "../core/errors";
import { UNSET, ValueRejection } from "../blocks/block";
import type { Dependency } from "../blocks/dependency";
import type { Component } from "../components/component";
import { Cascade, type EventResult } from "../runtime/cascade";
import { schedule, type Run } from "../runtime/run";
import type { App } from "../runtime/app";
import type { Session } from "../runtime/session";
import { isServerState } from "./gradio";

/** How a run ended: its outcome, the values it last wrote per output, and the error if any. */
export interface RunEnd {
  status: "complete" | "error" | "cancelled";
  outputs: unknown[];
  error?: Error;
}

/** One run of a listener started by the server. */
export interface RunHandle {
  /** Settles (never rejects) when the run and the cascade it caused have settled. */
  readonly done: Promise<RunEnd>;
  /** Stops this run alone (S39): queued runs leave the queue, running ones are abandoned. */
  cancel(reason?: Error): void;
}

/**
 * Checks and normalises API input values (S34) against the session's props, or the template's
 * when the session does not exist yet. `values` has one entry per declared input, or one per
 * input that is not a State (as curl users send them). State inputs get `UNSET` (the session's
 * own value is read).
 *
 * @throws EventError (`invalid_input`) naming the listener, the counts or the component and value.
 */
export function checkInputs(dep: Dependency, values: readonly unknown[], session: Session | undefined): unknown[] {
  const visible = dep.inputs.filter((c) => !isServerState(c)).length;
  const all = values.length === dep.inputs.length && visible !== dep.inputs.length;
  if (!all && values.length !== visible) {
    const needed = visible === dep.inputs.length ? `${visible}` : `${visible} (or ${dep.inputs.length} with a null for each State)`;
    throw new EventError(`${dep.describe()} takes ${visible} input value${visible === 1 ? "" : "s"}: needed ${needed}, got ${values.length}.`, "invalid_input");
  }
  let next = 0;
  return dep.inputs.map((cell, i) => {
    const given = all ? values[i] : isServerState(cell) ? UNSET : values[next++];
    if (isServerState(cell)) {
      if (all) next++;
      return UNSET;
    }
    const component = cell as Component<unknown>;
    try {
      return component._normalize(given, session ? session._propsOf(component) : component.props);
    } catch (e) {
      if (e instanceof ValueRejection) {
        throw new EventError(`${component.describe()} rejected the input ${describeValue(given)} for ${dep.describe()}: ${e.message}.`, "invalid_input");
      }
      throw e;
    }
  });
}

/**
 * Lets every run of the app be cancelled from outside while its handler awaits (S39): a
 * client may cancel any event. The engine races a handler's await with cancellation only for
 * listeners it knows can be cancelled, so a served app marks them all.
 */
export function allowCancel(app: App): void {
  for (const dep of app.blocks._dependencies) (app._runtimeOf(dep) as { cancellable: boolean }).cancellable = true;
}

/**
 * Starts a run of `dep` in `session` with checked inputs (from {@link checkInputs}), as
 * `session.call` does (not subject to `triggerMode`), reporting each set of outputs it writes
 * (each yield of a generator, once for a function) to `onYield`, in order.
 */
export function startRun(session: Session, dep: Dependency, inputs: unknown[], onYield: (outputs: unknown[]) => void): RunHandle {
  const cascade = new Cascade();
  let run: Run | undefined;
  let written: unknown[] = [];
  schedule(session, dep, [cascade], {
    inputValues: inputs,
    ignoreTriggerMode: true,
    onRun: (r) => {
      run = r;
      // The engine stores a run's outputs here after each write when asked (session.call).
      Object.defineProperty(r, "outputValues", {
        configurable: true,
        enumerable: true,
        get: () => written,
        set: (values: unknown[]) => {
          written = values;
          if (values.length) onYield(values);
        },
      });
    },
  });
  cascade.end(null);
  const done = session._settled(cascade).then(
    (result: EventResult): RunEnd => {
      const outputs = written.length === dep.outputs.length ? written : dep.outputs.map((o) => session._read(o));
      return result.status === "dropped" ? { status: "complete", outputs } : { status: result.status, outputs, error: result.error };
    },
    (e: unknown): RunEnd => ({ status: "error", outputs: [], error: e instanceof Error ? e : new Error(String(e)) }),
  );
  return { done, cancel: (reason) => run?.cancel(reason) };
}

/**
 * A handle on one run of a listener (`session.run(...)`): its outputs at each yield, its end,
 * and `cancel()` for that run alone (docs/03, "Running one listener").
 *
 * @packageDocumentation
 */
import { Observable, ReplaySubject, Subject } from "rxjs";
import { deepCopy } from "../core/copy";
import { EventError } from "../core/errors";
import type { Dependency } from "../blocks/block";
import type { EventData, TargetBlock } from "../blocks/context";
import { UNSET } from "../core/dataflow";
import type { Component } from "../components/component";
import type { EventResult } from "./cascade";
import type { Run } from "./run";
import type { SessionSite } from "./sites";

/** Options of `session.run()`. */
export interface RunOptions {
  /** Cancels the run when aborted (like {@link RunHandle.cancel}, with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Called with each set of outputs the run writes (each yield of a generator; once for a
   * function), a copy per call, in order, synchronously as they are written. With it, nothing
   * is kept for later: {@link RunHandle.outputs$} then only delivers yields made while
   * subscribed (a long-running generator's yields are not accumulated).
   */
  onOutputs?: (outputs: unknown[]) => void;
  /** The trigger's event data the handler sees as `ctx.event` (a Gradio client's `event_data`); default none. */
  event?: EventData;
  /**
   * The block whose event this run stands for, which the handler sees as `ctx.target` (a
   * Gradio client's `trigger_id`): a component, cell or layout container of the app, or one a
   * `gr.render` region holds now in this session. Default none: an API call has no target.
   */
  target?: TargetBlock;
}

/** How a run ended: the cascade's status, the outputs it last wrote, the error if any. */
export interface RunEnd extends EventResult {
  /** One value per declared output: what the run last wrote (the cells' values if it wrote nothing). */
  outputs: unknown[];
}

/** A copy of outputs, so a later change to a yielded object does not alter what was reported. */
function copyOf(values: readonly unknown[]): unknown[] {
  return values.map((v) => {
    try {
      return deepCopy(v);
    } catch {
      return v; // not copyable (a State holding a socket, say): reported as is
    }
  });
}

/**
 * One run of a listener in a session, started by `session.run(listener, inputs)`.
 *
 * ```ts
 * const run = session.run("chat", ["hello"]);
 * run.outputs$.subscribe((outputs) => render(outputs)); // each yield
 * const final = await run.result;                       // or run.cancel()
 * ```
 */
export class RunHandle {
  /** The run's id in its app: the `run` field of the session messages it sends. */
  readonly id: number;
  /**
   * Each set of outputs the run writes (each yield; once for a function), a copy per yield, in
   * order; completes when the run ends. A late subscriber first receives the yields so far
   * (unless the run was started with `onOutputs`: then only the yields made while subscribed).
   */
  readonly outputs$: Observable<unknown[]>;
  /** Settles when the run and the cascade it caused have settled; never rejects. */
  readonly done: Promise<RunEnd>;
  private readonly subject: Subject<unknown[]>;
  private written: unknown[] | undefined;
  private run: Run | undefined;

  /** @internal Created by `session.run`: `start` schedules the run, handing it to `watch`. */
  constructor(
    /** The listener. */
    readonly dependency: Dependency,
    session: SessionSite,
    options: RunOptions,
    start: (watch: (run: Run) => void) => Promise<EventResult>,
  ) {
    const onOutputs = options.onOutputs;
    // Yields go through the app's delivery queue like every stream (causal order).
    const delivery = session.app._delivery;
    this.subject = onOutputs ? new Subject() : new ReplaySubject();
    this.outputs$ = this.subject.asObservable();
    const signal = options.signal;
    const started = start((run) => {
      this.run = run;
      // Before it starts: an already aborted signal cancels it before its handler is called.
      if (signal?.aborted) this.cancel(signal.reason);
      run.outputValues = [];
      run.watcher = (outputs) => {
        this.written = outputs;
        if (onOutputs) {
          onOutputs(copyOf(outputs));
          if (this.subject.observed) delivery.next(this.subject, copyOf(outputs));
        } else delivery.next(this.subject, copyOf(outputs));
      };
    });
    this.id = this.run?.id ?? 0;
    const onAbort = signal && !signal.aborted ? () => this.cancel(signal.reason) : undefined;
    if (onAbort) signal!.addEventListener("abort", onAbort, { once: true });
    this.done = started.then((result) => {
      delivery.complete(this.subject);
      const outputs = this.written ?? dependency.outputs.map((o) => session._outputValue(o));
      // Ended: a handle kept for its result (a server's unread call) keeps no run, and so no
      // session, and a long-lived signal no listener for it.
      this.run = undefined;
      if (onAbort) signal!.removeEventListener("abort", onAbort);
      return { ...result, outputs };
    });
  }

  /**
   * The final outputs, one per declared output. Rejects with the run's error (or the
   * cascade's: a failing `.change` or chained listener), or an {@link EventError} (`cancelled`)
   * when it was cancelled without one.
   */
  get result(): Promise<unknown[]> {
    return this.done.then((end) => {
      if (end.status === "error") throw end.error;
      if (end.status === "cancelled") throw end.error ?? new EventError(`${this.dependency.describe()} was cancelled.`, "cancelled");
      return end.outputs;
    });
  }

  /** `"pending"` while it waits in its listener's queue (S60), `"running"`, then `"done"`. */
  get stage(): "pending" | "running" | "done" {
    const stage = this.run?.stage;
    return stage === "queued" || stage === "waiting" ? "pending" : stage === "running" || stage === "ending" ? "running" : "done";
  }

  /** Its 0-based place in its listener's queue while pending (S60); `undefined` otherwise. */
  get position(): number | undefined {
    const run = this.run;
    return run?.stage === "queued" ? run.group?.positionOf(run) : undefined;
  }

  /**
   * Cancels this run alone (S39): a queued run leaves the queue; a running one has
   * `ctx.signal` aborted and its late result discarded; a generator stops at its next `yield`.
   * The run ends `"cancelled"` with `reason` as its error. Does nothing once it has ended.
   */
  cancel(reason?: unknown): void {
    const error = reason instanceof Error ? reason : new EventError(`${this.dependency.describe()} was cancelled.`, "cancelled");
    this.run?.cancel(error);
  }
}

/**
 * @internal API input values (S31, as Gradio's clients send them): one per input that is not a
 * State, BrowserState or Global, or one per declared input (values at those positions
 * ignored). Returns one entry per declared input, each component's value normalised by
 * `normalize` (S34) and `UNSET` where the session's own value is read.
 *
 * @throws EventError (`invalid_input`) naming the listener and the counts, or what `normalize` throws.
 */
export function apiInputs(dep: Dependency, inputs: readonly unknown[], normalize: (component: Component<unknown>, value: unknown) => unknown): unknown[] {
  const visible = dep.inputs.filter((c) => c.kind === "component").length;
  const all = inputs.length === dep.inputs.length;
  if (!all && inputs.length !== visible) {
    const needed = visible === dep.inputs.length ? `${visible}` : `${visible} (or ${dep.inputs.length} with a null for each State)`;
    throw new EventError(`${dep.describe()} takes ${visible} input value${visible === 1 ? "" : "s"}: needed ${needed}, got ${inputs.length}.`, "invalid_input");
  }
  let next = 0;
  return dep.inputs.map((cell, i) => {
    if (cell.kind !== "component") {
      if (all) next++;
      return UNSET;
    }
    return normalize(cell as Component<unknown>, all ? inputs[i] : inputs[next++]);
  });
}

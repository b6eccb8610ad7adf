/**
 * Re-ranking: telling a concurrency group's waiting events their new places as the queue
 * moves (`estimation` frames), as Gradio's queue does, within a time budget.
 *
 * @packageDocumentation
 */
import type { ConcurrencyGroup, Waiter } from "../runtime/queue";

/**
 * Milliseconds between two re-rankings of a concurrency group's waiting events: Gradio
 * re-ranks at every start (O(n) frames a start, so O(n²) for a burst of n); here at the first
 * start after this long, and once more at its end for starts in between (Gradio's own interval
 * when it does not re-rank at every start: 1 s).
 */
export const RERANK_MS = 1000;

/** When a group last re-ranked, and its trailing re-rank while one waits. */
interface GroupState {
  last: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * @internal Re-ranks the waiting events of the groups it is told moved. `tell(waiter, rank, size)`
 * sends one waiter its place (0-based) and its queue's size, when this process holds its stream.
 */
export class Reranker {
  /** Per group, weakly: a rendered listener's group goes with its listeners (the app holds it weakly too). */
  private readonly states = new WeakMap<ConcurrencyGroup, GroupState>();
  /** The trailing re-ranks waiting for their time (cleared by {@link Reranker.close}). */
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly tell: (waiter: Waiter, rank: number, size: number) => void) {}

  /** An event of `group` started: re-ranks its waiting events now, or at the end of its {@link RERANK_MS} window. */
  moved(group: ConcurrencyGroup): void {
    if (group.size === 0) return;
    let state = this.states.get(group);
    if (!state) this.states.set(group, (state = { last: -Infinity, timer: undefined }));
    const wait = state.last + RERANK_MS - performance.now();
    if (wait <= 0) return this.rerank(group, state);
    if (state.timer) return;
    const pending = state;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      pending.timer = undefined;
      this.rerank(group, pending);
    }, wait);
    (timer as { unref?: () => void }).unref?.();
    state.timer = timer;
    this.timers.add(timer);
  }

  /** Cancels the trailing re-ranks (the server closes). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private rerank(group: ConcurrencyGroup, state: GroupState): void {
    state.last = performance.now();
    const size = group.size;
    if (size === 0) return;
    let rank = 0;
    for (const waiter of group.waiters()) this.tell(waiter, rank++, size);
  }
}

/**
 * A Global's fan-out (S56): the `.change` runs one change of a Global causes in every other
 * open session, scheduled session by session in the app's {@link Slicer} macrotasks, in rounds
 * that later changes join until they start. Scheduling each run is `run.ts`'s job, which hands
 * its `schedule` to each round (this file imports nothing of it: no import circle).
 *
 * @packageDocumentation
 */
import { toError } from "../core/errors";
import type { Lineage as CoreLineage } from "../core/dataflow";
import type { CellNode, Dependency } from "../blocks/block";
import { Cascade, type Cascades } from "./cascade";
import type { Job, Slicer } from "./queue";
import type { AppSite, SessionSite } from "./sites";
import type { StoreLink } from "./store";

/** @internal Why a run exists: the chain of `.change` triggers that led to it (cycle detection). */
export type Lineage = CoreLineage<Dependency, CellNode>;

/** @internal What a fan-out round uses of a session. */
export interface FanOutSession extends SessionSite {
  /** Gone from the app (retention, eviction, handed to another process): nothing to save. */
  readonly _removed: boolean;
  /** Closed or closing (S13): takes no new runs. */
  readonly _ending: boolean;
}

/** @internal What a fan-out round uses of its app: its sessions, slicer and store, and the pending rounds. */
export interface FanOutApp<S extends FanOutSession> extends AppSite<S> {
  readonly _fanOuts: Map<string, FanOutRound<S>>;
  readonly _pendingRounds: PendingRounds;
  readonly _store: StoreLink | undefined;
}

/**
 * @internal The app's fan-out rounds that have not yet scheduled their runs in every session
 * (S56). `idle()` and the idle timeout count them as pending work of every open session, so a
 * change costs its click nothing per session: the round alone visits each session, once.
 */
export class PendingRounds {
  private count = 0;
  private waiters: (() => void)[] | undefined;

  /** Whether a round has not yet reached every session. */
  get any(): boolean {
    return this.count > 0;
  }

  /** A round was made. */
  add(): void {
    this.count++;
  }

  /** A round scheduled its last session's runs. */
  done(): void {
    if (--this.count > 0 || !this.waiters) return;
    const waiters = this.waiters;
    this.waiters = undefined;
    for (const wake of waiters) wake();
  }

  /** Resolves once no round is pending (at once when none is). */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiters ??= []).push(resolve));
  }
}

/**
 * @internal Schedules a `.change` run of `dependency` in `session`, counting in `cascades`:
 * run.ts's `schedule` itself, given no options (`undefined`: its defaults).
 */
export type ScheduleChange<S> = (session: S, dependency: Dependency, cascades: Cascades, options: undefined, lineage: Lineage) => void;

/**
 * How many sessions a fan-out round visits between two {@link Slicer.overBudget} checks (each
 * of which reads the clock only every `CLOCK_EVERY` checks): a round may overrun its slice by
 * the runs of this many times `CLOCK_EVERY` sessions.
 */
const SESSIONS_PER_CHECK = 4;

/**
 * @internal One Global change's `.change` runs in the other open sessions (S56), scheduled
 * session by session in the app's {@link Slicer} macrotasks. Until it starts, later changes
 * that trigger the same listeners join it instead of adding another round.
 */
export class FanOutRound<S extends FanOutSession> implements Job {
  /** The runs count in it; the changes' events wait for it, not for each session's runs. */
  readonly batch = new Cascade();
  /**
   * `batch`, which the round's runs count in; with a shared store, a cascade of the runs, as
   * `batch` then also waits for the saves.
   */
  private batches: Cascade = this.batch;
  /** With a shared store: the sessions the round ran listeners in, saved once their runs end. */
  private ran: S[] | undefined;
  /**
   * The changing session, which ran the listeners itself; undefined once another one joined,
   * or for a change another process made (docs/08).
   */
  private origin: S | undefined;
  /** The sessions the round visits: those open when it starts, in the order the app made them. */
  private sessions: readonly S[] | undefined;
  private next = 0;

  /**
   * A shape anchor (see `Run._shapeAnchors`): without a live instance, each forced or idle full
   * GC deoptimised the fan-out (measured: a 1,000-session fan-out 3-20× slower after a GC).
   */
  static readonly _shapeAnchor: FanOutRound<FanOutSession> = new FanOutRound(undefined as never, "", [], undefined, [], () => undefined);

  constructor(
    private readonly app: FanOutApp<S>,
    private readonly key: string,
    private readonly deps: readonly Dependency[],
    origin: S | undefined,
    private lineages: readonly Lineage[],
    /** Schedules one `.change` run in a session (run.ts's `schedule`). */
    private readonly scheduleChange: ScheduleChange<S>,
  ) {
    // `origin` may be undefined: a change made by another process (docs/08).
    this.origin = origin;
  }

  /** A later change of the same listeners, from `session`, before the round started. */
  join(session: S | undefined, lineages: readonly Lineage[]): void {
    if (session !== this.origin) this.origin = undefined;
    this.lineages = lineages;
  }

  /** The slicer job: schedules the runs session by session; false when it must yield. */
  step(): boolean {
    const app = this.app;
    if (!this.sessions) {
      // Started: a change from now on needs a round of its own, as this one may have passed its session.
      if (app._fanOuts.get(this.key) === this) app._fanOuts.delete(this.key);
      this.sessions = app._openSessionList();
      if (app._store) {
        this.ran = [];
        this.batches = new Cascade();
      }
    }
    const sessions = this.sessions;
    const { deps, lineages } = this;
    while (this.next < sessions.length) {
      const session = sessions[this.next++];
      if (session !== this.origin && !session._ending) {
        for (let i = 0; i < deps.length; i++) this.scheduleChange(session, deps[i], this.batches, undefined, lineages[i]);
        if (this.ran) {
          this.ran.push(session);
          session._busy(1); // until saved: a hand-over (docs/08) waits for idle()
        }
      }
      // The budget every SESSIONS_PER_CHECK sessions: a check costs about as much as a
      // session's run of a cheap listener (measured: 10-20 ns of 150 per session).
      if (this.next % SESSIONS_PER_CHECK === 0 && this.next < sessions.length && app._slicer.overBudget()) return false;
    }
    if (this.ran) this.saveAfter(this.batches, this.ran);
    this.batch.end(null);
    // Its runs (scheduled above) now count as each session's pending work themselves.
    app._pendingRounds.done();
    return true;
  }

  /**
   * A shared store (docs/08): once the round's runs have ended, saves each session they ran in
   * (one save per session per round, like a settled event of its own; an unchanged session
   * sends nothing), and only then lets the changes' events settle. A failed save is the
   * session's error (S1), not the event's.
   */
  private saveAfter(runs: Cascade, sessions: readonly S[]): void {
    const store = this.app._store!;
    this.batch.add();
    runs.end(null);
    void runs.promise
      .then(() =>
        Promise.all(
          sessions.map(async (session) => {
            try {
              if (!session._removed) await store.settled(session);
            } catch (e) {
              session._reportError(toError(e), undefined);
            }
            session._busy(-1);
          }),
        ),
      )
      .then(() => this.batch.end(null));
  }
}

/**
 * @internal S56: the `.change` listeners `deps` of a Global run in every open session but
 * `origin` (the changing session, which runs them itself; undefined for a change another
 * process made, docs/08). Joins the listeners' pending round, or starts one in a later slice.
 *
 * @returns the round; `batch` settles once its runs (and, with a shared store, the saves) ended.
 */
export function fanOut<S extends FanOutSession>(
  app: FanOutApp<S>,
  deps: readonly Dependency[],
  origin: S | undefined,
  lineages: readonly Lineage[],
  scheduleChange: ScheduleChange<S>,
): FanOutRound<S> {
  const key = deps.length === 1 ? String(deps[0].id) : deps.map((dep) => dep.id).join(",");
  const pending = app._fanOuts.get(key);
  if (pending) {
    pending.join(origin, lineages);
    return pending;
  }
  const round = new FanOutRound(app, key, deps, origin, lineages, scheduleChange);
  app._pendingRounds.add();
  app._fanOuts.set(key, round);
  app._slicer.deferBackground(round);
  return round;
}

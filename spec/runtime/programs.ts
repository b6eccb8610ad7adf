/**
 * Random programs for the property tests (properties.test.ts): sequences of user actions
 * against small test apps, generated with fast-check, and the helpers that run them.
 *
 * Sessions are named by an index that the runner resolves against the sessions that exist at
 * that point (modulo their number), so every generated program is valid and shrinks well.
 */
import fc from "fast-check";
import { flush, type ManualClock } from "blockstate/testing";

//#region Settling

/** How an event ended, as `EventResult.status` documents it (docs/03). */
export const STATUSES = ["complete", "error", "cancelled", "dropped"] as const;

/**
 * Awaits `promise` without ever hanging: first a few promise turns, then up to `steps`
 * advances of `clock` by `stepMs` each (handlers that sleep on the clock finish then).
 *
 * @throws Error naming `what` when it has not settled by then (the "no hang" property).
 */
export async function within<T>(clock: ManualClock, promise: Promise<T>, what: string, steps = 30, stepMs = 1000): Promise<T> {
  let state: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  promise.then(
    (value) => (state = { ok: true, value }),
    (error: unknown) => (state = { ok: false, error }),
  );
  for (let i = 0; !state && i < 4; i++) await flush();
  for (let i = 0; !state && i < steps; i++) await clock.advance(stepMs);
  if (!state) throw new Error(`${what} did not settle within ${steps * stepMs} ms of clock time`);
  if (!state.ok) throw state.error;
  return state.value;
}

//#endregion
//#region The cart program (S1)

/** The cart app's choices; "Bread" is not one of them, so entering it is rejected (S34). */
export const CHOICES = ["Cereal", "Milk", "Orange Juice", "Water"];

/** A user event in the cart app, on the open session `s` (an index, resolved at run time). */
export type CartEvent =
  | { t: "items"; s: number; v: string[] }
  | { t: "note"; s: number; v: string }
  | { t: "add" | "undo" | "clear"; s: number };

/** A step of a cart program: a session's life, one awaited event, or events of distinct sessions at once. */
export type CartAction =
  | { t: "connect" }
  | { t: "close" | "reconnect" | "reload"; s: number }
  | CartEvent
  | { t: "together"; events: CartEvent[] }
  | { t: "look" };

const session = fc.nat({ max: 7 });

const cartEvent: fc.Arbitrary<CartEvent> = fc.oneof(
  fc.record({
    t: fc.constant("items" as const),
    s: session,
    v: fc.oneof({ arbitrary: fc.shuffledSubarray(CHOICES), weight: 4 }, { arbitrary: fc.constant(["Milk", "Bread"]).map((v) => [...v]), weight: 1 }),
  }),
  fc.record({ t: fc.constant("note" as const), s: session, v: fc.string({ unit: fc.constantFrom("a", "A", "é", " "), maxLength: 3 }) }),
  fc.record({ t: fc.constantFrom("add" as const, "undo" as const, "clear" as const), s: session }),
);

/** Cart programs: 1 to 20 steps, user events most often; every session is also read at the end. */
export const cartProgram: fc.Arbitrary<CartAction[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.constant({ t: "connect" as const }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constantFrom("close" as const, "reconnect" as const, "reload" as const), s: session }), weight: 2 },
    { arbitrary: cartEvent, weight: 8 },
    { arbitrary: fc.record({ t: fc.constant("together" as const), events: fc.array(cartEvent, { minLength: 2, maxLength: 4 }) }), weight: 3 },
    // Reading values initialises State slots (S2), so reads are steps too, not done after each step.
    { arbitrary: fc.constant({ t: "look" as const }), weight: 2 },
  ),
  { minLength: 1, maxLength: 20 },
);

//#endregion
//#region The counter program (S8, no hang, determinism)

/** A step of a counter program. Events are fired without awaiting; `settle` awaits them all. */
export type CounterAction =
  | { t: "connect" }
  | { t: "close" | "reconnect" | "reload"; s: number }
  | { t: "inc" | "slow" | "stream" | "stop" | "report"; s: number }
  | { t: "delay"; s: number; v: unknown }
  | { t: "broken" | "ticking"; s: number; v: boolean }
  | { t: "advance"; ms: number }
  | { t: "flush" } | { t: "settle" };

/** Counter programs: 1 to 40 steps, Global-writing events most often. */
export const counterProgram: fc.Arbitrary<CounterAction[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.constant({ t: "connect" as const }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constantFrom("close" as const, "reconnect" as const, "reload" as const), s: session }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constantFrom("inc" as const, "slow" as const, "stream" as const), s: session }), weight: 10 },
    { arbitrary: fc.record({ t: fc.constant("stop" as const), s: session }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant("report" as const), s: session }), weight: 3 },
    // Delays in seconds; 1.5 rounds to 2 (precision 0), 4, -1 and "x" are rejected (S34).
    { arbitrary: fc.record({ t: fc.constant("delay" as const), s: session, v: fc.constantFrom<unknown>(0, 1, 2, 3, 1.5, 4, -1, "x") }), weight: 3 },
    { arbitrary: fc.record({ t: fc.constantFrom("broken" as const, "ticking" as const), s: session, v: fc.boolean() }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 2500 }) }), weight: 3 },
    { arbitrary: fc.constantFrom<CounterAction>({ t: "flush" }, { t: "settle" }), weight: 2 },
  ),
  { minLength: 1, maxLength: 40 },
);

//#endregion

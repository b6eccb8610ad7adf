/**
 * Invisible cells: `State` (per session), `Global` (per app) and `BrowserState` (per browser).
 *
 * @packageDocumentation
 */
import { assertCopyable, deepCopy } from "../core/copy";
import { checkOptions, checkSeconds, describeValue } from "../core/errors";
import { serializeBrowserStateValue } from "../storage/json-value";
import { Cell, type CellSite, type EventListener, type ValueOrFactory } from "./block";

/** Options of {@link State} (`gr.State(time_to_live=..., delete_callback=...)`). */
export interface StateOptions<T> {
  /**
   * Seconds a value may go unwritten before it is deleted (S21), from 0 to 1e12
   * (`MAX_SECONDS`). `null`/omitted: never.
   */
  timeToLive?: number | null;
  /**
   * Runs with the value when it is deleted by its TTL, retention or eviction (S14, S21). It may
   * be async; nothing waits for it. A throw or a rejection is reported: to the session as an
   * `error` message while the app holds it, otherwise on `app.errors$` (source
   * `"deleteCallback"`).
   */
  deleteCallback?: (value: T) => unknown;
}


const STATE_OPTIONS: readonly (keyof StateOptions<unknown>)[] = ["timeToLive", "deleteCallback"];
const BROWSER_STATE_OPTIONS: readonly (keyof BrowserStateOptions)[] = ["storageKey", "secret"];

/**
 * Stores a cell's default: a factory as it is (S4), a value as a deep copy (S2, S3), as
 * `gr.State(value)` deep-copies its value. The caller's object stays the caller's: mutating it
 * after the constructor changes neither later sessions' values nor change detection.
 */
function setDefault(cell: Cell<unknown>, value: unknown, root: string): void {
  if (typeof value === "function") {
    cell._default = value;
    cell._isFactory = true;
  } else {
    assertCopyable(value, root); // S3: fail at definition time, not at a user's first click
    cell._default = deepCopy(value);
  }
}

/**
 * `gr.State`: an invisible per-session cell (S1-S5). The constructor keeps a deep copy of the
 * default (as Gradio's does), and each session gets its own deep copy of that, made lazily at
 * the session's first read; a function is a factory called once per session instead (S4).
 * Handlers receive the stored value itself (S5).
 *
 * @example
 * ```ts
 * const cart = new gr.State<string[]>([]);
 * const clock = new gr.State(() => ({ startedAt: Date.now() }));      // factory
 * const cache = new gr.State(new Map(), { timeToLive: 600, deleteCallback: (m) => m.clear() });
 * ```
 *
 * @param value The default (`null` when omitted, like Gradio's `None`) or a factory.
 * @throws TypeError naming the path of a value that cannot be deep-copied (S3), e.g.
 *   `default.handlers[2]`; for a negative, non-numeric or too long (over 1e12 s)
 *   `timeToLive` or a `deleteCallback` that is not a function; for `options` that are not an object or name an unknown option (with
 *   the nearest known one suggested).
 */
export class State<T = any> extends Cell<T> {
  readonly type: string = "state";
  readonly kind = "state" as const;
  static override readonly events: readonly string[] = ["change"];
  /** Fires when the value changes by content (S50-S53). */
  declare readonly change: EventListener;
  /** Seconds (S21), or `null`. */
  readonly timeToLive: number | null;
  /** S21. */
  readonly deleteCallback: ((value: T) => unknown) | undefined;

  constructor(value?: ValueOrFactory<T>, options: StateOptions<T> = {}) {
    super();
    options = checkOptions("State", options, STATE_OPTIONS);
    setDefault(this, value === undefined ? null : value, "default");
    this.timeToLive = options.timeToLive == null ? null : checkSeconds("State timeToLive", options.timeToLive, true);
    if (options.deleteCallback !== undefined && typeof options.deleteCallback !== "function") {
      throw new TypeError("State deleteCallback must be a function.");
    }
    this.deleteCallback = options.deleteCallback;
    this._autoRegister();
  }

  /** @internal Each write (and the first read) restarts the time-to-live (S21). */
  override _stored(site: CellSite): void {
    if (this.timeToLive !== null) site._restartTtl(this);
  }

  /** @internal Its delete callback runs on a timer of the session that made it, past any render. */
  override _unrenderable(): string | undefined {
    return this.timeToLive !== null || this.deleteCallback !== undefined ? "a State with timeToLive or deleteCallback" : undefined;
  }
}

/** `gr.Variable`: Gradio 3's name of {@link State} (seed 003). */
export const Variable = State;
/** `gr.Variable`: Gradio 3's name of {@link State}. */
export type Variable<T = any> = State<T>;

/**
 * `gr.Global`: one value shared by every session of a running app (S7): the observable form of
 * a module-level variable. Its `.change` listeners run in every open session (S56). Listeners
 * that have it among both inputs and outputs update it atomically (S8).
 *
 * Each launched app starts from its own copy of the default (or its own factory result), so two
 * apps (two tests) never share it.
 *
 * @throws TypeError when the default cannot be deep-copied (pass a factory instead).
 */
export class Global<T = any> extends Cell<T> {
  readonly type: string = "global";
  readonly kind = "global" as const;
  static override readonly events: readonly string[] = ["change"];
  /** Fires in every open session when the value changes (S56). */
  declare readonly change: EventListener;

  constructor(value: ValueOrFactory<T>) {
    super();
    setDefault(this, value === undefined ? null : value, "default");
    this._autoRegister();
  }

  /** @internal One value for every session (S7): no session's render may own it. */
  override _unrenderable(): string {
    return "a Global";
  }
}

/** Options of {@link BrowserState} (S90, S93). */
export interface BrowserStateOptions {
  /** The storage key; default derived from the app and the BrowserState's position (S93). */
  storageKey?: string;
  /** The encryption secret; default derived likewise (keeps apps apart; not secret) (S93). */
  secret?: string;
}

/**
 * `gr.BrowserState`: a cell persisted, encrypted, in the session's browser storage (S6,
 * S90-S95). Its value must be JSON.
 *
 * @example
 * ```ts
 * const prefs = new gr.BrowserState({ theme: "light" }, { storageKey: "prefs", secret: process.env.PREFS_SECRET });
 * ```
 *
 * @param defaultValue - the value a browser without a stored entry starts from (`null` when
 *   omitted). Not a factory: it must be JSON itself.
 * @param options - see {@link BrowserStateOptions}.
 * @throws TypeError "BrowserState default: BrowserState value is not JSON-serialisable: …" for
 *   a default JSON would refuse or change (a function, symbol, bigint, cycle, Map, Set, typed
 *   array, ArrayBuffer, RegExp, Error, or another object it would store as `{}`);
 *   TypeError for `options` that are not an object or name an unknown option (with the nearest
 *   known one suggested), or a `storageKey`/`secret` that is not a non-empty string.
 */
export class BrowserState<T = any> extends Cell<T> {
  readonly type: string = "browser_state";
  readonly kind = "browser" as const;
  static override readonly events: readonly string[] = ["change"];
  /** Fires when the value changes, including a stored value loaded at session start (S95). */
  declare readonly change: EventListener;
  /** The storage key given, or `undefined` for the derived one (S93). */
  readonly storageKey: string | undefined;
  /** The secret given, or `undefined` for the derived one (S93). */
  readonly secret: string | undefined;
  /**
   * @internal Checks a value read from browser storage (S91) before the session takes it:
   * throws, saying what is wrong, for one the app's own listeners cannot use, and the session
   * then starts from the default with a warning, as for an entry that cannot be read. The
   * entry is anyone's to write where the secret is derived (S93). None: any JSON value.
   */
  _checkStored: ((value: unknown) => void) | undefined = undefined;

  constructor(defaultValue?: T, options: BrowserStateOptions = {}) {
    super();
    options = checkOptions("BrowserState", options, BROWSER_STATE_OPTIONS);
    const value = defaultValue === undefined ? null : defaultValue;
    try {
      serializeBrowserStateValue(value); // the same rule as every later write (S92)
    } catch (e) {
      throw new TypeError(`BrowserState default: ${(e as Error).message}`);
    }
    setDefault(this, value, "default");
    for (const name of ["storageKey", "secret"] as const) {
      const given = options[name];
      if (given !== undefined && (typeof given !== "string" || given === "")) {
        throw new TypeError(`BrowserState ${name} must be a non-empty string (or omitted for the derived one, S93); got ${describeValue(given)}.`);
      }
    }
    this.storageKey = options.storageKey;
    this.secret = options.secret;
    this._autoRegister();
  }

  /** @internal Each change is saved to the browser's storage (S92). */
  override _changed(site: CellSite, value: unknown): void {
    site._persist(this, value);
  }

  /** @internal Its storage key is derived from its place in the app (S93), which a render has not. */
  override _unrenderable(): string {
    return "a BrowserState";
  }
}

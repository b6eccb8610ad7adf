/**
 * Transcripts: short, readable scripts of simulated users for app-logic tests and demos.
 *
 * @packageDocumentation
 */
import { matchesSnapshot, sameContent, snapshot } from "../core/equality";
import { messageOf } from "../core/errors";
import type { Cell, EventListener } from "../blocks/block";
import type { Blocks } from "../blocks/blocks";
import { Button } from "../components/button";
import { Component } from "../components/component";
import type { App, ConnectOptions, LaunchOptions } from "../runtime/app";
import type { EventResult } from "../runtime/cascade";
import type { Message } from "../runtime/messages";
import type { Session } from "../runtime/session";

//#region Formatting

/** How many items of a list, Map, Set or object {@link formatValue} shows before eliding. */
const SHOWN_ITEMS = 6;

/**
 * A short, human-readable rendering of a value for transcripts: strings quoted, lists of chat
 * messages as `user: "hi"`, long lists elided in the middle (`[0, 0, … 9,996 more, 0, 0]`),
 * class instances prefixed with their class name, and the whole cut to `maxLength` characters.
 *
 * @example
 * ```ts
 * formatValue([{ role: "user", content: "hi" }]); // '[user: "hi"]' (longer chats: '[… 4 earlier, user: ..., assistant: ...]')
 * formatValue(new Array(10_000).fill(0));         // '[0, 0, … 9,996 more, 0, 0]'
 * ```
 */
export function formatValue(value: unknown, maxLength = 80): string {
  return truncate(render(value, 0), maxLength);
}

function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function render(v: unknown, depth: number): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "bigint":
      return `${v}n`;
    case "function":
      return `ƒ ${v.name || "anonymous"}`;
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "undefined":
    case "boolean":
    case "symbol":
      return String(v);
  }
  if (v === null) return "null";
  if (depth > 3) return "…";
  const inner = (x: unknown) => render(x, depth + 1);
  if (Array.isArray(v)) {
    // A chat history reads best from its end: the latest exchange.
    if (v.length > 2 && v.every(isChatMessage)) {
      return `[… ${v.length - 2} earlier, ${v.slice(-2).map((m) => `${m.role}: ${inner(m.content)}`).join(", ")}]`;
    }
    return `[${elide(v.map((x) => (isChatMessage(x) ? `${x.role}: ${inner(x.content)}` : inner(x))))}]`;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof RegExp) return String(v);
  if (v instanceof Map) return `Map {${elide([...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`))}}`;
  if (v instanceof Set) return `Set {${elide([...v].map(inner))}}`;
  const proto = Object.getPrototypeOf(v);
  const name = proto === null || proto === Object.prototype ? "" : `${proto.constructor?.name ?? "Object"} `;
  return `${name}{${elide(Object.entries(v as object).map(([k, x]) => `${k}: ${inner(x)}`))}}`;
}

function elide(items: string[]): string {
  if (items.length <= SHOWN_ITEMS) return items.join(", ");
  const more = (items.length - 4).toLocaleString("en-US");
  return [...items.slice(0, 2), `… ${more} more`, ...items.slice(-2)].join(", ");
}

function isChatMessage(x: unknown): x is { role: string; content: unknown } {
  return typeof x === "object" && x !== null && typeof (x as { role?: unknown }).role === "string" && "content" in x;
}


//#endregion
//#region Transcript

/** What a {@link Transcript} names a cell by: given names, labels, button text, else `describe()`. */
export type Named = Cell<unknown>;

/**
 * A script of simulated users that records what they do and see as readable lines, and records
 * failed checks instead of throwing, so one run shows everything that went wrong.
 *
 * Each user action calls the matching {@link Session} method, awaits the whole cascade it caused,
 * and records one line naming the components whose values changed, by label:
 * `alice clicks "Add Items" → Cart Size: 2`.
 *
 * @example
 * ```ts
 * import { Transcript } from "blockstate/testing";
 *
 * const t = new Transcript();
 * const app = t.launch(demo);
 * const alice = await t.user("alice");
 * const bob = await t.user("bob");
 * await alice.input(items, ["Milk", "Water"]); // alice enters ["Milk", "Water"] into "Items"
 * await alice.click(addButton);                // alice clicks "Add Items" → Cart Size: 2
 * t.expectEqual(bob.get(cartSize), null, "bob's cart is untouched");
 * await t.close();
 * console.log(t.lines.join("\n"));
 * expect(t.failures).toEqual([]);
 * ```
 */
export class Transcript {
  /** Everything recorded, in order: actions, readings, notes and checks (`✓`/`✗`). */
  readonly lines: string[] = [];
  /** The messages of failed checks; empty when everything held. */
  readonly failures: string[] = [];
  private readonly names = new Map<Named, string>();
  private readonly apps: App[] = [];

  /** @param app The app users connect to by default; or launch one later with {@link Transcript.launch}. */
  constructor(public app?: App) {
    if (app) this.apps.push(app);
  }

  /** Whether no check failed so far. */
  get ok(): boolean {
    return this.failures.length === 0;
  }

  /**
   * Launches `blocks`; the first app launched becomes the default for {@link Transcript.user}.
   * {@link Transcript.close} closes it.
   */
  launch(blocks: Blocks, options?: LaunchOptions): App {
    const app = blocks.launch(options);
    this.apps.push(app);
    this.app ??= app;
    return app;
  }

  /**
   * Connects a simulated user (a page load, which runs the load listeners) and records
   * `alice opens the page → ...` with the components whose values differ from their defaults.
   *
   * @param options `connect` options (a `sessionHash`: one the app holds reconnects, recorded
   *   as `reconnects`; a new one opens the page with that hash, S10; a `storage`, a `request`)
   *   and the `app`, when not the default one.
   * @throws Error when there is no app to connect to.
   */
  async user(name: string, options: ConnectOptions & { app?: App } = {}): Promise<User> {
    const { app = this.app, ...connect } = options;
    if (!app) throw new Error("Transcript.user: no app; pass one to new Transcript(app) or call t.launch(blocks) first.");
    // A hash the app holds reconnects; a new one (S10: a caller may choose it) opens the page.
    const reopened = connect.sessionHash !== undefined && app.session(connect.sessionHash) !== undefined;
    const session = await app.connect(connect);
    const user = new User(this, name, session);
    // A new session's messages all come from its load listeners; a reopened one keeps older ones.
    user._record(reopened ? "reconnects" : "opens the page", user._changesFromDefaults(), undefined, reopened ? [] : session.messages);
    return user;
  }

  /** Names a cell in lines (for components without a label, and States); returns the cell. */
  name<C extends Named>(cell: C, name: string): C {
    this.names.set(cell, name);
    return cell;
  }

  /** The name lines use for `cell`; labels and given names are quoted when `quoted`. */
  nameOf(cell: Named, quoted = false): string {
    const given = this.names.get(cell) ?? labelOf(cell);
    if (given === undefined) return cell.describe();
    return quoted ? `"${given}"` : given;
  }

  /** Records a free-form line (narration, a section break). */
  note(text: string): void {
    this.lines.push(text);
  }

  /** Records `✓ message`, or `✗ message` and a failure. Returns `condition`. */
  check(condition: boolean, message: string): boolean {
    this.lines.push(`${condition ? "✓" : "✗"} ${message}`);
    if (!condition) this.failures.push(message);
    return condition;
  }

  /**
   * Compares by content with the engine's own rule, the one that decides whether a write is a
   * change (S50: arrays, plain objects, Maps and Sets element by element in any order, class
   * instances of the same class by their `[hash]()` or fields, `NaN` equal to itself), and
   * records `✓ what: value`, or `✗ what: expected X, got Y` and a failure. A value the rule
   * cannot compare (too deep, a throwing `[hash]()`) is a failure naming the reason.
   */
  expectEqual(actual: unknown, expected: unknown, what: string): boolean {
    let same: boolean;
    try {
      same = sameContent(actual, expected);
    } catch (error) {
      return this.check(false, `${what}: could not be compared: ${messageOf(error)}`);
    }
    if (same) return this.check(true, `${what}: ${formatValue(actual)}`);
    return this.check(false, `${what}: expected ${formatValue(expected)}, got ${formatValue(actual)}`);
  }

  /**
   * Runs `fn` and checks that it throws an error whose `"Name: message"` matches `pattern`.
   * Records `✓ what: TypeError: ...`, or a failure. Returns the error thrown, if any.
   */
  expectThrows(fn: () => unknown, pattern: RegExp, what: string): Error | undefined {
    try {
      fn();
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const text = `${error.name}: ${error.message}`;
      this.check(pattern.test(text), `${what}: ${truncate(text, 160)}`);
      return error;
    }
    this.check(false, `${what}: nothing was thrown`);
    return undefined;
  }

  /** Closes every app this transcript launched or was given (sessions, timers), so a process can exit. */
  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
  }
}

/**
 * One simulated user of a {@link Transcript}: a session plus a name. Action methods resolve
 * with the {@link EventResult} of the cascade (they never throw for app errors; an error shows
 * in the line as `✗ error: ...`).
 */
export class User {
  /** @internal Created by `Transcript.user`. */
  constructor(
    private readonly transcript: Transcript,
    /** The name lines use. */
    readonly name: string,
    /** The current session; {@link User.reload} replaces it. */
    public session: Session,
  ) {}

  /** The value of `cell` in this user's session, without recording anything. */
  get<T>(cell: Cell<T>): T {
    return this.session.get(cell);
  }

  /** The value of `cell` in this user's session, recorded as `alice sees Cart Size: 2`. */
  sees<T>(cell: Cell<T>): T {
    const value = this.session.get(cell);
    this.transcript.note(`${this.name} sees ${this.transcript.nameOf(cell)}: ${formatValue(value)}`);
    return value;
  }

  /**
   * Clicks `button` (`times` times in a row, each awaited); resolves with the last result, or
   * with the first that did not complete (the clicks stop there), so a failure in the middle is
   * not hidden.
   */
  click(button: Component<unknown> & { readonly click: EventListener }, times = 1): Promise<EventResult> {
    const verb = `clicks ${this.transcript.nameOf(button, true)}${times > 1 ? ` ×${times}` : ""}`;
    return this.act(verb, [], async () => {
      let result: EventResult = { status: "complete" };
      for (let i = 0; i < times && result.status === "complete"; i++) result = await this.session.click(button);
      return result;
    });
  }

  /** A user edit of `component` (validated; fires `input` and `change`). */
  input(component: Component<unknown>, value: unknown): Promise<EventResult> {
    const verb = `enters ${formatValue(value)} into ${this.transcript.nameOf(component, true)}`;
    return this.act(verb, [[component, value]], () => this.session.input(component, value));
  }

  /** Presses Enter in `component`. */
  submit(component: Component<unknown> & { readonly submit: EventListener }): Promise<EventResult> {
    return this.act(`submits ${this.transcript.nameOf(component, true)}`, [], () => this.session.submit(component));
  }

  /** Fires any event of `block` with optional event data. */
  trigger(block: Cell<unknown>, event: string, data?: unknown): Promise<EventResult> {
    return this.act(`triggers ${event} on ${this.transcript.nameOf(block, true)}`, [], () => this.session.trigger(block, event, data));
  }

  /** Refreshes the page (S12): a new session with the same browser storage replaces this one. */
  async reload(): Promise<void> {
    this.session = await this.session.reload();
    this._record("reloads the page", this._changesFromDefaults(), undefined, this.session.messages);
  }

  /** Closes the tab (S13): runs the unload listeners. */
  async close(): Promise<void> {
    await this.session.close();
    this._record("closes the tab", [], undefined, []);
  }

  private async act(verb: string, entered: [Component<unknown>, unknown][], run: () => Promise<EventResult>): Promise<EventResult> {
    // Changes by content, as the engine sees them (S50).
    const before = new Map(this.components().map((c) => [c, snapshot(this.session.get(c))]));
    const seen = this.session.messages.at(-1);
    const result = await run();
    const changes = this.components().filter((c) => {
      const now = this.session.get(c);
      if (matchesSnapshot(before.get(c)!, now)) return false;
      // The edited component itself is only news when a listener changed it further.
      const typed = entered.find(([e]) => e === c);
      return !typed || !sameContent(typed[1], now);
    });
    this._record(verb, changes, result, this.newMessages(seen));
    return result;
  }

  /** @internal Components whose value differs from the template's initial value. */
  _changesFromDefaults(): Component<unknown>[] {
    return this.components().filter((c) => {
      const initial = c.value;
      return typeof initial === "function" || !sameContent(initial, this.session.get(c));
    });
  }

  /** @internal Records one line: the action, what changed, the outcome and any alerts. */
  _record(verb: string, changed: Component<unknown>[], result: EventResult | undefined, messages: readonly Message[]): void {
    const t = this.transcript;
    let line = `${this.name} ${verb}`;
    if (changed.length) line += ` → ${changed.map((c) => `${t.nameOf(c)}: ${formatValue(this.session.get(c))}`).join("; ")}`;
    if (result && result.status !== "complete") {
      line += result.error ? ` ✗ ${result.status}: ${truncate(result.error.message, 160)}` : ` (${result.status})`;
    }
    for (const m of messages) {
      if (m.type === "status" || m.type === "progress") continue;
      if (m.type === "error" && result?.error) continue; // already shown, with more detail
      line += ` (${m.type}: ${formatValue(m.message)})`;
    }
    t.note(line);
  }

  private components(): Component<unknown>[] {
    return this.session.app.blocks.blocks.filter((b): b is Component<unknown> => b instanceof Component);
  }

  private newMessages(last: Message | undefined): readonly Message[] {
    const all = this.session.messages;
    const i = last === undefined ? -1 : all.lastIndexOf(last);
    return all.slice(i + 1);
  }
}

/** A component's label, or a button's text. */
function labelOf(cell: Named): string | undefined {
  if (!(cell instanceof Component)) return undefined;
  const label = cell.props.label;
  if (typeof label === "string" && label) return label;
  if (cell instanceof Button && typeof cell.value === "string") return cell.value;
  return undefined;
}

//#endregion

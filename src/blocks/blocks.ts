/**
 * `gr.Blocks`: an app definition. Building it registers components, cells and event
 * listeners; afterwards it is frozen and can be launched any number of times.
 *
 * @packageDocumentation
 */
import { MIN_INTERVAL_SECONDS, checkSeconds, describeValue, isRecord } from "../core/errors";
import {
  Block,
  Cell,
  Dependency,
  LayoutBlock,
  currentBuild,
  isDrawn,
  isGeneratorFunction,
  toCellArray,
  withBuild,
  type AnyCell,
  type BlocksSite,
  type BuildFrame,
  type CellList,
  type ChainLink,
  type EventListener,
  type Handler,
  type ListenerConfig,
  type ListenerOptions,
  type Output,
  type Trigger,
} from "./block";
import { toArray } from "./lists";
import { Component } from "../components/component";
import { Timer } from "../components/timer";
import { js as jsOnly, resolveOptions } from "./dependency";
import { register } from "./listeners";
import { PROTOCOL_VERSION, dependencyConfig, layoutOf, componentConfig, type AppConfig } from "./config";

/** Options of a Blocks. */
export interface BlocksOptions {
  /** Shown by renderers. */
  title?: string;
  /**
   * `[frequencySeconds, ageSeconds]` (S20): closed sessions' State is kept for `ageSeconds`
   * and swept every `frequencySeconds`. Default `[60, 3600]`. Both at most 1e12
   * (`MAX_SECONDS`); the frequency at least 0.001 (`MIN_INTERVAL_SECONDS`).
   */
  deleteCache?: readonly [number, number] | null;
  /** Free-form metadata for renderers (theme, css, ...). */
  [option: string]: unknown;
}

/** A layout node for renderers: a block and its children. */
export interface LayoutNode {
  readonly block: Block;
  readonly children: readonly LayoutNode[];
}

/**
 * `gr.Blocks`: the app template.
 *
 * ```ts
 * const demo = new gr.Blocks((demo) => {
 *   const count = new gr.State(0);
 *   const out = new gr.Number();
 *   new gr.Button("+1").click((c) => [c + 1, c + 1], count, [count, out]);
 * });
 * const app = demo.launch();
 * ```
 *
 * The build callback runs once, synchronously; everything created in it registers with this
 * Blocks (S30). When it returns, the Blocks is frozen: registering anything later throws.
 *
 * @throws Error from the build when a listener is invalid (bad options, foreign cells, a
 *   `cancels` of a `queue: false` listener, ...); TypeError for an invalid `deleteCache` (not
 *   `[frequencySeconds, ageSeconds]` with positive numbers up to 1e12 and a frequency of at least
 *   0.001), for a first argument that
 *   is neither a build function nor an options object, for a build that is not a function,
 *   and for an unknown option name (with the nearest known one suggested).
 */
export class Blocks extends Block {
  readonly type: string = "blocks";
  static override readonly events: readonly string[] = ["load"];
  /** `demo.load(fn, inputs?, outputs?)`: runs for every session when it connects (S11). */
  declare readonly load: EventListener;
  /** Options given to the constructor. */
  readonly options: Readonly<BlocksOptions>;
  /** `[frequency, age]` in seconds (S20). */
  readonly deleteCache: readonly [number, number];

  /** @internal Every registered block, indexed by id. */
  readonly _blocksById: Block[] = [];
  /** @internal Cells whose value lives in sessions or the app. */
  readonly _cells: AnyCell[] = [];
  /** @internal Listeners in registration order (index = id). */
  readonly _dependencies: Dependency[] = [];
  /** @internal Top-level layout children. */
  readonly _children: Block[] = [];
  /** @internal Listeners by unique api name. */
  readonly _byApiName = new Map<string, Dependency>();
  /** @internal */
  private _frozen = false;

  constructor(build?: (demo: Blocks) => void);
  constructor(options: BlocksOptions, build?: (demo: Blocks) => void);
  constructor(a?: BlocksOptions | ((demo: Blocks) => void), b?: (demo: Blocks) => void) {
    super();
    if (a !== undefined && typeof a !== "function" && !isRecord(a)) {
      throw new TypeError(`Blocks: expected a build function or an options object; got ${describeValue(a)}.`);
    }
    const options = typeof a === "function" || a === undefined ? {} : a;
    const build = typeof a === "function" ? a : b;
    if (build !== undefined && typeof build !== "function") {
      throw new TypeError(`Blocks: the build must be a function; got ${describeValue(build)}.`);
    }
    const outer = currentBuild();
    if (outer?.scope) {
      throw new TypeError(`${this.constructor.name} cannot be made inside a gr.render function: make it in the Blocks' build, or its parts in the render.`);
    }
    if (outer && options.deleteCache != null) {
      throw new TypeError(`${this.constructor.name}: deleteCache is an option of the app: give it to the outermost Blocks (this one is made inside its build and becomes part of it).`);
    }
    this.options = Object.freeze({ ...options });
    this.deleteCache = checkDeleteCache(options.deleteCache);
    if (outer) {
      this._nest(outer, build);
      return;
    }
    this._blocks = this;
    try {
      if (build) {
        withBuild({ blocks: this, container: this }, () => {
          build(this);
          this._attachBoundValues();
        });
      }
      this._freeze();
    } catch (e) {
      // A failed build keeps no block: one made outside it and rendered in it (an Interface's
      // inputs) can go to another Blocks, instead of being "already part of another Blocks".
      for (const block of this._blocksById) freeBlock(block);
      throw e;
    }
  }

  /**
   * @internal The Blocks that holds this one's blocks and listeners: itself, or the outermost
   * Blocks whose build this one was made in (Gradio renders a Blocks made inside another into it).
   */
  _root: Blocks = this;

  /**
   * @internal A Blocks (an Interface, a ChatInterface) made inside another's build, as Gradio renders one
   * into the other: its blocks, listeners and layout go to that Blocks (at the place it was made,
   * ids and API names following the outer app's), its `load` and `unload` are the outer
   * Blocks', and it is no app of its own. A build that throws leaves the outer Blocks as it was.
   */
  private _nest(outer: BuildFrame, build: ((demo: Blocks) => void) | undefined): void {
    const root = (outer.blocks as Blocks)._root;
    this._root = this._blocks = root;
    Object.defineProperty(this, "load", { value: root.load, enumerable: false });
    const container = outer.container === root ? root._children : (outer.container as LayoutBlock)._children;
    const blocksFrom = root._blocksById.length;
    const dependenciesFrom = root._dependencies.length;
    // Every container's children as they are: the build may also move a block made before it
    // (a ChatInterface's chatbot), which a failure must put back.
    const layout = [root._children, ...root._blocksById.filter((b): b is LayoutBlock => b instanceof LayoutBlock).map((b) => b._children)].map(
      (children) => [children, [...children]] as const,
    );
    const before = new Set(container);
    // And which were out of the layout (`unrender()`), which the build may change too.
    const provisional = root._blocksById.map((block) => block._provisional);
    try {
      if (build) withBuild({ blocks: root, container: outer.container }, () => build(this));
    } catch (e) {
      root._removeSince(blocksFrom, dependenciesFrom);
      for (const [children, kept] of layout) children.splice(0, children.length, ...kept);
      provisional.forEach((flag, i) => (root._blocksById[i]._provisional = flag));
      throw e;
    }
    this._frozen = true;
    // What it made, for its getters (the outer Blocks holds and runs them).
    this._blocksById.push(...root._blocksById.slice(blocksFrom));
    this._dependencies.push(...root._dependencies.slice(dependenciesFrom));
    this._children.push(...container.filter((block) => !before.has(block)));
  }

  /**
   * `unrender()` of a Blocks made in another's build (an Interface, a ChatInterface), whose
   * parts went into that build's layout, is not supported: make it where it should be shown.
   * Of any other Blocks it does nothing.
   *
   * @throws Error for a Blocks made in another's build.
   */
  override unrender(): this {
    if (this._root !== this) throw new Error(`${this.describe()}.unrender(): it was made in another Blocks' build, which holds its parts; make it where it should be shown instead.`);
    return this;
  }

  /**
   * @internal Moves a block of this Blocks' layout into `container` (Gradio's `unrender()` then
   * `render()`, as of a component a ChatInterface is given): out of the container that holds it,
   * to the end of `container`'s children; `undefined`: out of the layout only.
   */
  _move(block: Block, container: LayoutBlock | BlocksSite | undefined): void {
    const detach = (children: Block[]): boolean => {
      const at = children.indexOf(block);
      if (at >= 0) {
        children.splice(at, 1);
        return true;
      }
      return children.some((child) => child instanceof LayoutBlock && detach(child._children));
    };
    detach(this._children);
    if (container !== undefined) (container === this ? this._children : (container as LayoutBlock)._children).push(block);
  }

  /**
   * @internal Undoes what a nested Blocks' failed build registered: the blocks from index
   * `blocks` on (free again, as after a failed build) and the listeners from `dependencies` on,
   * with the chaining links earlier listeners got to them. (The caller puts the layout back.)
   */
  private _removeSince(blocks: number, dependencies: number): void {
    for (const block of this._blocksById.splice(blocks)) freeBlock(block);
    const cells = this._cells.filter((cell) => cell._blocks === this);
    this._cells.length = 0;
    this._cells.push(...cells);
    const removed = new Set(this._dependencies.splice(dependencies));
    // A handle the build's code kept is of no Blocks now: `cancels` or `.then` of it is refused,
    // where its id would name a later listener of this one.
    for (const dep of removed) (dep as { blocks: BlocksSite | undefined }).blocks = undefined;
    for (const dep of this._dependencies) {
      const links = dep._children.filter((link) => !removed.has(link.dependency));
      dep._children.length = 0;
      dep._children.push(...links);
    }
  }

  /**
   * @internal Refuses `what` on a nested Blocks, which is no app of its own.
   *
   * @throws TypeError naming the outer Blocks to use instead.
   */
  _assertApp(what: string): void {
    if (this._root !== this) {
      throw new TypeError(`${this.constructor.name}.${what}: this ${this.constructor.name} was made inside the build of another Blocks, which holds its parts; call ${what} on that Blocks.`);
    }
  }

  /**
   * A Blocks made inside the build it is rendered in is part of it already: this returns it.
   * Gradio also renders a Blocks built on its own into another (`chat.render()`); here make it
   * inside the other's build instead.
   *
   * @throws Error outside a build, and for a Blocks built on its own or in another app's build.
   */
  override render(): this {
    const frame = currentBuild();
    if (!frame) throw new Error(`${this.constructor.name}.render() must be called inside a Blocks build.`);
    if (this._root !== (frame.blocks as Blocks)._root || frame.scope) {
      throw new Error(
        `${this.constructor.name}.render(): a Blocks built on its own (or in another app's build) cannot be rendered into another; make it inside this build instead (new gr.${this.constructor.name}(...) in the build function).`,
      );
    }
    return this;
  }

  /** Whether this Blocks was made inside another's build, which holds its parts (see {@link Blocks._root}). */
  get nested(): boolean {
    return this._root !== this;
  }

  /** Whether the build has ended (S30). */
  get frozen(): boolean {
    return this._frozen;
  }

  /** Every registered listener, in registration order. */
  get dependencies(): readonly Dependency[] {
    return this._dependencies;
  }

  /**
   * Every registered block (components, States, layout), indexed by id; for a nested Blocks
   * ({@link Blocks.nested}), the blocks it made, in order (their ids are the outer app's).
   */
  get blocks(): readonly Block[] {
    return this._blocksById;
  }

  /** The layout tree (components and containers; States and Globals are invisible). */
  get layout(): readonly LayoutNode[] {
    const node = (block: Block): LayoutNode => ({
      block,
      children: block instanceof LayoutBlock ? block._children.map(node) : [],
    });
    return this._children.map(node);
  }

  /**
   * `demo.unload(fn)`: runs when a session closes (S13). The handler takes no inputs (only the
   * event context, whose `sessionHash` says which session) and its outputs are ignored.
   *
   * @throws TypeError when `options` give inputs or outputs; Error outside the build.
   */
  unload(fn: Handler<undefined>, options?: ListenerOptions): Dependency {
    const given = (options ?? {}) as ListenerConfig<CellList>;
    // `demo.unload(fn, component)`, written as for `load`: a cell where the options go.
    if (given instanceof Block || Array.isArray(given) || given.inputs != null || given.outputs != null) {
      throw new TypeError("demo.unload: unload listeners take no inputs or outputs (S13); read ctx.sessionHash instead.");
    }
    const root = this._root; // a nested Blocks' sessions are its outer Blocks'
    return root._addDependency([{ block: root, event: "unload" }], { ...options, fn: fn as Handler<CellList> });
  }

  /** Alias of {@link Blocks.unload}, as written in seed 002 (`demo.close(cleanup)`). */
  close(fn: Handler<undefined>, options?: ListenerOptions): Dependency {
    return this.unload(fn, options);
  }

  /**
   * The renderer protocol's description of this app (JSON-serialisable; `protocolVersion` 2):
   * components and layout containers with ids, types, props and initial values (never a
   * State's value), the layout tree, and the listeners with their triggers, inputs, outputs,
   * chaining and queue settings; a `gr.render` region is a `"render"` node without children
   * (its content is per session: `session.renders()`). Ids are creation order, so the same build gives the same
   * config. See docs/ for the protocol.
   */
  config(): AppConfig {
    this._assertApp("config()");
    const title = this.options.title;
    return {
      protocolVersion: PROTOCOL_VERSION,
      title: typeof title === "string" ? title : null,
      components: this._blocksById.filter(isDrawn).map(componentConfig),
      layout: this._children.map(layoutOf),
      dependencies: this._dependencies.map((d) => dependencyConfig(this, d)),
    };
  }

  /** @internal Registers a block created during the build. */
  _register(block: Block, container: LayoutBlock | BlocksSite): void {
    this._assertOpen(block.describe());
    block._id = this._blocksById.length;
    block._blocks = this;
    this._blocksById.push(block);
    if (block instanceof Cell) this._cells.push(block);
    if (isDrawn(block)) (container === this ? this._children : (container as LayoutBlock)._children).push(block);
  }

  /** @internal Creates a listener; see `register` in listeners.ts for the argument forms. */
  _addDependency(
    triggers: Trigger[],
    config: ListenerConfig<CellList>,
    parent?: ChainLink,
    where = triggers[0] ? `${triggers[0].block.describe()}.${triggers[0].event}` : parent ? `.${parent.on}` : "listener",
  ): Dependency {
    this._assertOpen(where);
    const dep = this._newDependency(this._dependencies.length, triggers, config, where, parent, (cell) =>
      cell._blocks === this ? undefined : "is not part of this Blocks; create it inside the build or call .render()",
    );
    this._dependencies.push(dep);
    parent?.dependency._children.push({ dependency: dep, on: parent.on });
    return dep;
  }

  /** @internal An event method's or chaining method's call (block.ts reaches `register` through here). */
  _listen(triggers: Trigger[], args: unknown[], where: string, parent?: ChainLink): Dependency | ((fn: Handler<unknown>) => Dependency) {
    return register(triggers, args, where, parent);
  }

  /**
   * @internal Checks a listener's handler, cells and options and makes it (not yet indexed).
   * `refuse` says why a cell may not be used here, or `undefined` when it may; a `gr.render`
   * run also uses this, with its own rule (S111).
   */
  _newDependency(
    id: number,
    triggers: Trigger[],
    config: ListenerConfig<CellList>,
    where: string,
    parent: ChainLink | undefined,
    refuse: (cell: AnyCell) => string | undefined,
  ): Dependency {
    const { fn: given, inputs, outputs, ...rest } = config;
    // Gradio's `fn=None` with `js=`: a listener that runs only in a page (ListenerOptions.js).
    const backendFn = !(given === null && typeof rest.js === "string");
    const fn = backendFn ? given : jsOnly;
    // As Gradio's: no API endpoint (api_visibility "private"), and no queue to wait in.
    // Nothing to batch either: its runs write nothing.
    const options = backendFn ? rest : { ...rest, queue: rest.queue ?? false, apiVisibility: "private" as const, batch: false };
    if (typeof fn !== "function") throw new TypeError(`${where}: fn must be a function (or null, with js); got ${given === null ? "null" : typeof fn}.`);
    for (const { block } of triggers) {
      if (block !== this && block._blocks !== this) throw new Error(`${where}: ${block.describe()} is not part of the Blocks being built; call .render() on it first.`);
    }
    // Gradio's set notation is for inputs (the handler gets one dict: a Map here), not outputs.
    for (const [role, given] of [["inputs", inputs], ["outputs", outputs]] as const) {
      if ((role === "outputs" && given instanceof Set) || given instanceof Map) {
        throw new TypeError(`${where}: ${role} must be one cell or an array of them${role === "inputs" ? " (or a Set of them)" : ""}; got a ${given instanceof Set ? "Set" : "Map"}.`);
      }
    }
    const ins = toCellArray(inputs);
    const outs = toArray<Output>(outputs);
    for (const [role, list] of [["input", ins], ["output", outs]] as const) {
      list.forEach((cell, i) => {
        // A container may be an output (S72: its props), never an input (it has no value).
        if (!(cell instanceof Cell) && !(role === "output" && cell instanceof LayoutBlock)) {
          throw new TypeError(`${where}: ${role}s[${i}] is not a component or State${role === "output" ? " or a layout container" : ""}; got ${cell instanceof Block ? cell.describe() : describeValue(cell)}.`);
        }
        const why = refuse(cell as AnyCell);
        if (why !== undefined) throw new Error(`${where}: ${role} ${cell.describe()} ${why}.`);
      });
    }
    const resolved = resolveOptions(options, triggers, where);
    if (resolved.batch && (resolved.generator ?? isGeneratorFunction(fn))) {
      throw new TypeError(`${where}: a batch listener cannot stream (its fn is a generator, or generator: true), as in Gradio.`);
    }
    const locked = resolved.batch ? ins.find((c) => c instanceof Cell && c.kind === "global" && outs.includes(c)) : undefined;
    if (locked) {
      throw new TypeError(`${where}: a batch listener cannot read and write ${locked.describe()}: a Global's lock (S8) is taken per run, not per batch.`);
    }
    return new Dependency(id, this, triggers, fn, ins, outs, resolved, parent, inputs instanceof Set, backendFn);
  }

  /** @internal */
  private _assertOpen(what: string): void {
    if (this._frozen) {
      throw new Error(`${what}: this Blocks is frozen; components and listeners must be created inside its build callback (S30).`);
    }
  }

  /** @internal Ends the build: indexes listeners by trigger, marks watched cells (S55), names the API. */
  private _freeze(): void {
    this._frozen = true;
    for (const dep of this._dependencies) {
      for (const { block, event } of dep.triggers) {
        block._listeners ??= new Map();
        const list = block._listeners.get(event) ?? [];
        if (!list.includes(dep)) list.push(dep);
        block._listeners.set(event, list);
      }
      for (const cancelled of dep.options.cancels) {
        if (!(cancelled instanceof Dependency) || cancelled.blocks !== this) {
          throw new Error(`${dep.describe()}: cancels must list listeners of the same Blocks.`);
        }
        if (!cancelled.options.queue) {
          throw new Error(`${dep.describe()}: cannot cancel ${cancelled.describe()} because it has queue: false (as in Gradio).`);
        }
      }
      this._nameApi(dep);
    }
    // Kept on the cell's node for the write path's one-field check (S55).
    for (const cell of this._cells) cell._node._changeDeps = cell._listenersFor("change");
  }

  /**
   * @internal Registers the listener of each component whose value is computed from `inputs`
   * or `every` (Gradio's `attach_load_events`): triggered by the inputs' `.change`, the Timer's
   * `tick` (a number of seconds makes one, at the end of the layout) and the session's load,
   * with the inputs, writing the component; progress hidden when something besides the load
   * triggers it, as Gradio's.
   */
  private _attachBoundValues(): void {
    for (const block of [...this._blocksById]) {
      const bound = block instanceof Component ? block._bound : undefined;
      if (!bound) continue;
      const triggers: Trigger[] = bound.inputs.filter((cell) => cell._events.includes("change")).map((cell) => ({ block: cell, event: "change" }));
      const timer = typeof bound.every === "number" ? new Timer(bound.every) : bound.every;
      if (timer) triggers.push({ block: timer, event: "tick" });
      const ticking = triggers.length > 0;
      triggers.push({ block: this, event: "load" });
      this._addDependency(triggers, { fn: bound.fn, inputs: [...bound.inputs], outputs: block as Component<unknown>, showProgress: ticking ? "hidden" : "full" }, undefined, `${block.describe()}'s value`);
    }
  }

  /** @internal */
  private _nameApi(dep: Dependency): void {
    const given = dep.options.apiName;
    if (given === false) return;
    // A blank name is none, as Gradio strips it: the function's name then.
    const base = (typeof given === "string" && given.trim() !== "" ? given : "") || nameOfFunction(dep.fn);
    let name = base;
    for (let i = 1; this._byApiName.has(name); i++) name = `${base}_${i}`;
    dep.apiName = name;
    this._byApiName.set(name, dep);
  }
}

/**
 * A block of a failed build, free again: of no Blocks, without id or listeners, and a container
 * without children (they are free too), so that it can be rendered into another build.
 */
function freeBlock(block: Block): void {
  block._blocks = undefined;
  block._id = -1;
  block._listeners = undefined;
  block._provisional = false;
  if (block instanceof LayoutBlock) block._children.length = 0;
}

/**
 * A listener's default API name (Gradio's `set_event_trigger`): its function's name without
 * ASCII punctuation other than `-` and `_` (`$get` is `get`), and, for JavaScript's names,
 * without whitespace and the `bound ` of a bound function (`add.bind(null)` is `add`);
 * `lambda` for an anonymous function, as Gradio names a Python `lambda`.
 */
function nameOfFunction(fn: (...args: never[]) => unknown): string {
  const name = typeof fn.name === "string" ? fn.name : "";
  return name.replace(/^(?:bound )+/, "").replace(/[!"#$%&'()*+,./:;<=>?@[\\\]^`{|}~\s]/g, "") || "lambda";
}

function checkDeleteCache(value: BlocksOptions["deleteCache"]): readonly [number, number] {
  if (value == null) return [60, 3600];
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`Blocks deleteCache must be [frequencySeconds, ageSeconds]; got ${describeValue(value)}.`);
  }
  // The sweep re-arms every `frequency`: a sub-millisecond one would never let time move on.
  return [
    checkSeconds("Blocks deleteCache frequency", value[0], false, MIN_INTERVAL_SECONDS),
    checkSeconds("Blocks deleteCache age", value[1]),
  ];
}

/**
 * One session's `gr.render` regions (S110-S112): running a render function with a build scope
 * that collects what it creates, keeping values by `key` (S111), swapping the new content in
 * (or dropping it when the run failed, S112), and indexing the rendered listeners for this
 * session only.
 *
 * Rendered blocks and listeners get ids above the Blocks' own, from per-session pools that
 * reuse freed ids: the session's arrays indexed by id (values, props, run states) stay as
 * large as the largest render, however often it re-runs.
 *
 * @packageDocumentation
 */
import { matchesSnapshot, sameContent, snapshot, type Snapshot } from "../core/equality";
import { describeValue, follow, isPromiseLike } from "../core/errors";
import { UNSET, peekCell } from "../core/dataflow";
import {
  Cell,
  NO_DEPS,
  isDrawn,
  withBuild,
  type AnyCell,
  type Block,
  type BuildScope,
  type CellList,
  type ChainKind,
  type Dependency,
  LayoutBlock,
  type ListenerConfig,
  type RenderedIn,
  type Trigger,
} from "../blocks/block";
import { ValueRejection } from "../blocks/props";
import { nextMethodOf } from "./handler";
import type { Blocks } from "../blocks/blocks";
import { componentConfig, dependencyConfig, layoutOf, type RenderConfig } from "../blocks/config";
import type { Render } from "../blocks/render";
import { Component, type Props } from "../components/component";
import type { SessionSite } from "./sites";

/**
 * Ids handed out from `next` up, freed ones first. A committed render holds the ids of its
 * blocks (or listeners); a keyed one carried into the next render (S111) is held by both, and
 * returns to the pool when the last render holding it is released.
 */
class IdPool {
  private readonly free: number[] = [];
  /** How many committed renders hold each id, at `id - first`. */
  private readonly holders: number[] = [];
  private next: number;
  constructor(private readonly first: number) {
    this.next = first;
  }
  take(): number {
    return this.free.pop() ?? this.next++;
  }
  /** Returns an id no render holds (one a failed run took). */
  give(id: number): void {
    this.free.push(id);
  }
  /** A committed render holds `id`. */
  hold(id: number): void {
    this.holders[id - this.first] = (this.holders[id - this.first] ?? 0) + 1;
  }
  /** A released render lets go of `id`: true when no render holds it any more (it is free again). */
  letGo(id: number): boolean {
    if (--this.holders[id - this.first] > 0) return false;
    this.free.push(id);
    return true;
  }
}

/** What a rendered cell starts with in the session. */
interface Placement {
  /** A cell, with its value; or a keyed layout container, with the props it kept. */
  block: AnyCell | LayoutBlock;
  value: unknown;
  props: Props | undefined;
  /** What later writes are compared with (`Session._placedShadow`), taken before the commit. */
  shadow?: unknown;
}

/**
 * A keyed component's props with those its previous render's component kept (S111,
 * `preservedByKey`), when the component's check accepts them together (S34: a kept `maximum`
 * below the new run's `minimum` is not); else `undefined`: the new run's props, as a kept
 * value the new props refuse gives way to the new value.
 */
function keptProps(block: Component<unknown> | LayoutBlock, kept: Props): Props | undefined {
  const merged = Object.freeze({ ...block._props, ...kept });
  try {
    block._checkProps(merged);
  } catch (e) {
    if (e instanceof ValueRejection) return undefined;
    throw e;
  }
  return merged;
}

/** Adds `dep` to the listeners of `event` in `byEvent`, once. */
function addListener(byEvent: Map<string, Dependency[]>, event: string, dep: Dependency): void {
  const list = byEvent.get(event);
  if (!list) byEvent.set(event, [dep]);
  else if (!list.includes(dep)) list.push(dep);
}

/** A block's `key` prop (components and layout containers have one), else `undefined`. */
function keyOf(block: Block): unknown {
  return block instanceof Component || block instanceof LayoutBlock ? block._props.key : undefined;
}

/** One run of one region's render function in one session: what it created. */
class RenderScope implements BuildScope, RenderedIn {
  /** Every block the run created, in creation order. */
  readonly blocks: Block[] = [];
  /** The region's top-level layout children. */
  readonly children: Block[] = [];
  readonly dependencies: Dependency[] = [];
  /** Keyed components' values as the run rendered them, to tell whether they were changed since (S111). */
  readonly rendered = new Map<AnyCell, Snapshot>();
  /**
   * The blocks and listeners of this run that took the id of the previous run's with their key
   * (S111; Gradio's `key_to_id_map`): the same block, or listener, of the session.
   */
  readonly carried = new Set<Block | Dependency>();
  /**
   * The previous run's keyed blocks and listeners by key, made by the first keyed one and
   * dropped once the run is committed or discarded: kept, each run would hold the one before it
   * (through its blocks' scopes), and so every run the session ever had.
   */
  private previousKeys: { blocks: Map<unknown, Block>; listeners: Map<unknown, Dependency> } | undefined;
  /** Keys of this run's listeners (unique within a run). */
  private readonly listenerKeys = new Set<unknown>();
  /** Keys whose block took its predecessor's id in this run. */
  private readonly carriedKeys = new Set<unknown>();
  live = false;

  constructor(
    readonly owner: SessionRenders,
    readonly region: Render,
  ) {}

  get session(): SessionSite {
    return this.owner.session;
  }

  register(block: Block, container: LayoutBlock | Blocks): void {
    const refused = block._unrenderable();
    if (refused) throw new Error(`${block.describe()}: ${refused} cannot be created inside a gr.render function (S110).`);
    block._id = this.carryBlock(block) ?? this.owner.blockIds.take();
    block._blocks = this.owner.blocks;
    block._scope = this;
    this.blocks.push(block);
    if (isDrawn(block)) (container === this.region ? this.children : (container as LayoutBlock)._children).push(block);
  }

  addDependency(triggers: Trigger[], config: ListenerConfig<CellList>, where: string, parent?: { dependency: Dependency; on: ChainKind }): Dependency {
    const blocks = this.owner.blocks;
    for (const { block, event } of triggers) {
      if (block === blocks) throw new Error(`${where}: a listener inside a gr.render function cannot run on ${event}; the render itself runs at load (S110).`);
      if (block instanceof Cell && block.kind === "global") {
        throw new Error(`${where}: a listener inside a gr.render function cannot be triggered by a Global's change (it runs in every session, S56).`);
      }
      const why = this.refuseCell(block);
      if (why) throw new Error(`${where}: ${block.describe()} ${why}.`);
    }
    if (parent && !this.dependencies.includes(parent.dependency)) {
      throw new Error(`${where}: inside a gr.render function, chain only listeners created by the same run.`);
    }
    const carried = this.carryListener(config.key);
    const id = carried?.id ?? this.owner.depIds.take();
    let dep: Dependency;
    try {
      dep = blocks._newDependency(id, triggers, config, where, parent, (cell) => this.refuseCell(cell));
      const key = dep.options.key;
      if (key !== undefined) {
        if (this.listenerKeys.has(key)) throw new Error(`${where}: another listener of this render already has the key ${describeValue(key)}; keys must be unique within a render (S111).`);
        this.listenerKeys.add(key);
      }
      for (const target of dep.options.cancels) {
        if (!this.dependencies.includes(target)) {
          throw new Error(`${where}: inside a gr.render function, cancels may only name listeners created by the same run; got ${describeValue(target.describe())}.`);
        }
      }
    } catch (e) {
      if (!carried) this.owner.depIds.give(id);
      throw e;
    }
    if (carried) this.carried.add(dep);
    dep.apiName = false; // not an API endpoint: it exists in one session only
    this.session.app._addRendered(dep);
    this.dependencies.push(dep);
    parent?.dependency._children.push({ dependency: dep, on: parent.on });
    return dep;
  }

  /**
   * The previous run's keyed blocks (components and layout containers) and listeners, by key;
   * empty maps before the region's first run.
   */
  previousByKey(): { blocks: Map<unknown, Block>; listeners: Map<unknown, Dependency> } {
    if (this.previousKeys) return this.previousKeys;
    const blocks = new Map<unknown, Block>();
    const listeners = new Map<unknown, Dependency>();
    const previous = this.owner.currentRun(this.region);
    if (previous) {
      for (const block of previous.blocks) {
        const key = keyOf(block);
        if (key != null) blocks.set(key, block);
      }
      for (const dep of previous.dependencies) if (dep.options.key !== undefined) listeners.set(dep.options.key, dep);
    }
    return (this.previousKeys = { blocks, listeners });
  }

  /**
   * The id `block` takes from the previous run's block with its key and class (S111), once per
   * key; else `undefined` (a fresh id).
   */
  private carryBlock(block: Block): number | undefined {
    const key = keyOf(block);
    if (key == null) return undefined;
    const old = this.previousByKey().blocks.get(key);
    if (old === undefined || old.constructor !== block.constructor || this.carriedKeys.has(key)) return undefined;
    this.carriedKeys.add(key);
    this.carried.add(block);
    return old._id;
  }

  /** The previous run's listener with this key (`ListenerOptions.key`), whose id a new one takes. */
  private carryListener(key: unknown): Dependency | undefined {
    if (key == null || this.listenerKeys.has(key)) return undefined;
    return this.previousByKey().listeners.get(key);
  }

  /** The run was committed or discarded: what it knew of the previous run goes. */
  settled(): void {
    this.previousKeys = undefined;
  }

  /** Why a listener of this run may not use `block`, or `undefined` (S111). */
  private refuseCell(block: Block): string | undefined {
    if (block._blocks !== this.owner.blocks) return "is not part of this Blocks";
    if (block._scope !== undefined && block._scope !== this) {
      return "was created by another gr.render run (another session's, another region's or an earlier one); listeners inside a render may use the app's own blocks and those of their run";
    }
    return undefined;
  }
}

/**
 * The props a keyed block keeps across runs (S111): `preservedByKey`, by default `["value"]`
 * for a component and none for a layout container (Gradio's `preserved_by_key=None`).
 */
function preservedByKey(block: Component<unknown> | LayoutBlock): readonly string[] {
  const given = block._props.preservedByKey;
  if (given === undefined) return block instanceof Component ? DEFAULT_PRESERVED : NONE_PRESERVED;
  if (!Array.isArray(given) || !given.every((p) => typeof p === "string")) {
    throw new TypeError(`${block.describe()}: preservedByKey must be a list of prop names, such as ["value", "label"]; got ${describeValue(given)}.`);
  }
  return given;
}

const DEFAULT_PRESERVED: readonly string[] = Object.freeze(["value"]);
const NONE_PRESERVED: readonly string[] = Object.freeze([]);

/** @internal Every `gr.render` region of one session. Created by its first render. */
export class SessionRenders {
  /** @internal */ readonly blockIds: IdPool;
  /** @internal */ readonly depIds: IdPool;
  private readonly base: number;
  private readonly current = new Map<Render, RenderScope>();
  /** Replaced renders whose listeners still had runs: their ids wait until those end. */
  private retiring: RenderScope[] = [];
  /** A {@link SessionRenders.releaseIdle} is queued. */
  private releaseDue = false;
  /** Rendered listeners triggered by the app's own blocks (`mergeButton.click` inside a render). */
  private readonly external = new Map<Block, Map<string, Dependency[]>>();
  /** Live rendered blocks, at `id - base`. */
  private readonly byId: (Block | undefined)[] = [];
  /** The run slots of rendered listeners (the session's, by listener id: see `Session._runSlot`), at `id - depBase`. */
  private readonly runSlots: unknown[] = [];
  private readonly depBase: number;

  constructor(readonly session: SessionSite) {
    this.base = session.app.blocks._blocksById.length;
    this.blockIds = new IdPool(this.base);
    this.depBase = session.app.blocks._dependencies.length;
    this.depIds = new IdPool(this.depBase);
  }

  /** @internal The region's current run in this session, if any. */
  currentRun(region: Render): RenderScope | undefined {
    return this.current.get(region);
  }

  /** A rendered listener's run slot in this session (`Session._runSlot`); `undefined`: no run. */
  runSlot(id: number): unknown {
    return this.runSlots[id - this.depBase];
  }

  setRunSlot(id: number, slot: unknown): void {
    this.runSlots[id - this.depBase] = slot;
    // A run ended: a replaced render waiting for it may be released, once what its end starts
    // (chained children, which keep it busy) has been scheduled. Not at the next render only:
    // its cells' streams complete and its ids return now, whether or not another render comes.
    // A slot that still holds runs may have lost the replaced listener's last one (a keyed
    // listener's runs share it), so any change of a slot checks.
    if (this.retiring.length > 0 && !this.releaseDue) {
      this.releaseDue = true;
      queueMicrotask(() => {
        this.releaseDue = false;
        this.releaseIdle();
      });
    }
  }

  get blocks(): Blocks {
    return this.session.app.blocks;
  }

  /**
   * Runs `region`'s function with `args` (input values, then the event context) and swaps its
   * result in (S110, S111). Throws what the run threw, leaving the previous render (S112).
   */
  run(region: Render, args: readonly unknown[]): void {
    const scope = new RenderScope(this, region);
    let placements: Placement[];
    try {
      const result: unknown = withBuild({ blocks: this.blocks, container: region, scope }, () => Reflect.apply(region.fn, undefined, args));
      if (isPromiseLike(result)) {
        follow(result).catch(() => undefined); // its rejection is not left unhandled
        throw new Error(`${region.dependency.describe()}: a render function must be synchronous; it returned a Promise (S110).`);
      }
      // A generator function's body runs only when its iterator is stepped: it would render nothing.
      if (nextMethodOf(result)) {
        throw new Error(`${region.dependency.describe()}: a render function must build its blocks when called; it returned an iterator (a generator function?), which renders nothing (S110).`);
      }
      placements = this.prepare(scope, this.place(scope));
    } catch (e) {
      this.discard(scope);
      throw e;
    }
    this.commit(scope, placements);
  }

  /** What each new cell starts with: its default, or what its key kept (S111). May throw. */
  private place(scope: RenderScope): Placement[] {
    const previous = this.current.get(scope.region);
    const byKey = scope.previousByKey().blocks;
    const placements: Placement[] = [];
    const keys = new Set<unknown>();
    const unique = (block: Block, key: unknown) => {
      if (keys.has(key)) throw new Error(`${block.describe()}: another block of this render already has the key ${describeValue(key)}; keys must be unique within a render (S111).`);
      keys.add(key);
    };
    for (const block of scope.blocks) {
      if (block instanceof LayoutBlock) {
        // A keyed container keeps the props its preservedByKey names (none by default).
        const key = block._props.key;
        if (key == null) continue;
        unique(block, key);
        const old = byKey.get(key);
        const kept = old instanceof LayoutBlock && old.constructor === block.constructor ? this.keptOverrides(old, preservedByKey(block)) : undefined;
        const props = kept && keptProps(block, kept);
        // Its props are stored as it starts (a key carrying its id on compares with them), its
        // own unless kept: whatever the session set on the one before goes.
        placements.push({ block, value: undefined, props: props ?? block._props });
        continue;
      }
      if (!(block instanceof Cell)) continue;
      let value = block._initialValue();
      let props: Props | undefined;
      if (block instanceof Component) {
        const keep = preservedByKey(block);
        const key = block._props.key;
        if (key == null) {
          placements.push({ block, value, props });
          continue;
        }
        unique(block, key);
        scope.rendered.set(block, snapshot(value));
        const old = byKey.get(key);
        if (old instanceof Component && old.constructor === block.constructor) {
          const overrides = this.keptOverrides(old, keep);
          if (overrides) props = keptProps(block, overrides);
          const oldValue = peekCell(this.session, old._id);
          const renderedAs = previous!.rendered.get(old);
          if (keep.includes("value") && oldValue !== UNSET && renderedAs !== undefined && !matchesSnapshot(renderedAs, oldValue)) {
            try {
              value = block._normalize(oldValue, props ?? block._props);
            } catch (e) {
              if (!(e instanceof ValueRejection)) throw e; // the new props refuse it: the new value it is
            }
          }
        }
      }
      placements.push({ block, value, props });
    }
    return placements;
  }

  /**
   * The props of `keep` (but `value`) that this session changed on `old` since it was rendered,
   * or `undefined` for none (S111).
   */
  private keptOverrides(old: Component<unknown> | LayoutBlock, keep: readonly string[]): Props | undefined {
    let overrides: Record<string, unknown> | undefined;
    const oldProps = this.session._propsOf(old);
    for (const prop of keep) {
      if (prop !== "value" && prop in oldProps && !sameContent(oldProps[prop], old._props[prop])) (overrides ??= {})[prop] = oldProps[prop];
    }
    return overrides;
  }

  /**
   * Everything of a commit that can throw, before anything of the session changes (S112): wires
   * the new run's listeners to its own blocks (which only it reaches) and takes the snapshots
   * of its watched cells' values (a value too deep to compare, a `[gr.hash]()` that throws).
   */
  private prepare(scope: RenderScope, placements: Placement[]): Placement[] {
    for (const dep of scope.dependencies) {
      for (const { block, event } of dep.triggers) if (block._scope === scope) addListener((block._listeners ??= new Map()), event, dep);
    }
    for (const block of scope.blocks) if (block instanceof Cell) block._node._changeDeps = block._listenersFor("change");
    for (const p of placements) if (p.block instanceof Cell) p.shadow = this.session._placedShadow(p.block, p.value);
    return placements;
  }

  /** Swaps a prepared run in for the region's previous one (S111). Never throws. */
  private commit(scope: RenderScope, placements: readonly Placement[]): void {
    const previous = this.current.get(scope.region);
    if (previous) this.retire(previous);
    for (const dep of scope.dependencies) {
      for (const { block, event } of dep.triggers) {
        if (block._scope === scope) continue; // wired by prepare
        let byEvent = this.external.get(block);
        if (!byEvent) this.external.set(block, (byEvent = new Map()));
        addListener(byEvent, event, dep);
      }
    }
    for (const block of scope.blocks) {
      this.byId[block._id - this.base] = block;
      this.blockIds.hold(block._id);
    }
    for (const dep of scope.dependencies) this.depIds.hold(dep.id);
    for (const p of placements) {
      const carried = scope.carried.has(p.block);
      // A component's props are stored as it starts, so that a key carrying its id on knows them.
      if (p.block instanceof Cell) this.session._place(p.block, p.value, p.props ?? (p.block instanceof Component ? p.block._props : undefined), p.shadow, carried);
      else this.session._placeProps(p.block, p.props!, carried);
    }
    if (scope.carried.size > 0) this.forward(scope);
    scope.settled();
    scope.live = true;
    this.current.set(scope.region, scope);
    this.releaseIdle();
    this.session._rendered(scope.region);
  }

  /**
   * Points the replaced blocks whose ids `scope`'s keyed ones took (S111) at those: a run of a
   * replaced listener that ends now writes the new block, as Gradio writes the block of that
   * id: its value, its `.change` listeners, its props. Replaced listeners' runtimes read the
   * new nodes.
   */
  private forward(scope: RenderScope): void {
    const successors = new Map<number, AnyCell>();
    for (const block of scope.carried) if (block instanceof Cell) successors.set(block._id, block);
    for (const old of this.retiring) {
      for (const block of old.blocks) {
        const successor = block instanceof Cell ? successors.get(block._id) : undefined;
        if (successor) (block as AnyCell)._forwardTo(successor._node);
      }
      for (const dep of old.dependencies) this.session.app._refreshRendered(dep);
    }
  }

  /** A failed run: nothing of it stays (S112); the ids its keyed blocks took stay their predecessors'. */
  private discard(scope: RenderScope): void {
    scope.settled();
    for (const block of scope.blocks) if (!scope.carried.has(block)) this.blockIds.give(block._id);
    for (const dep of scope.dependencies) if (!scope.carried.has(dep)) this.depIds.give(dep.id);
  }

  /** A replaced render: unreachable now; its ids are freed once its listeners' runs end. */
  private retire(scope: RenderScope): void {
    scope.live = false;
    for (const dep of scope.dependencies) {
      for (const { block, event } of dep.triggers) {
        if (block._scope === scope) continue;
        const byEvent = this.external.get(block);
        const list = byEvent?.get(event);
        if (!byEvent || !list) continue;
        const at = list.indexOf(dep);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) byEvent.delete(event);
        if (byEvent.size === 0) this.external.delete(block);
      }
    }
    for (const block of scope.blocks) {
      // A run still going may write these cells: that must start nothing more (unless a keyed
      // block of the next run takes its place, see forward).
      block._listeners = undefined;
      if (block instanceof Cell) block._node._changeDeps = NO_DEPS;
      this.byId[block._id - this.base] = undefined;
    }
    this.retiring.push(scope);
  }

  /**
   * Releases the replaced renders whose listeners have no runs left. An id a later render's
   * keyed block or listener took (S111) stays in use: what the session holds for it is the
   * later one's.
   */
  private releaseIdle(): void {
    if (this.retiring.length === 0) return;
    const busy: RenderScope[] = [];
    for (const scope of this.retiring) {
      if (scope.dependencies.some((dep) => this.session._hasOwnRuns(dep))) {
        busy.push(scope);
        continue;
      }
      for (const block of scope.blocks) if (this.blockIds.letGo(block._id)) this.session._forget(block);
      for (const dep of scope.dependencies) if (this.depIds.letGo(dep.id)) this.session._forgetDependency(dep);
    }
    this.retiring = busy;
  }

  /** The listeners `event` on `block` runs in this session: the app's, then rendered ones. */
  listenersOf(block: Block, event: string): readonly Dependency[] {
    const own = block._listenersFor(event);
    const rendered = this.external.get(block)?.get(event);
    return rendered ? [...own, ...rendered] : own;
  }

  /** Whether a rendered listener watches an app cell's change (S55). */
  watches(cell: AnyCell): boolean {
    return this.external.get(cell)?.has("change") === true;
  }

  /** The live rendered listener with this id: a keyed one (S111) may have taken a replaced one's. */
  listenerById(id: number): Dependency | undefined {
    for (const scope of this.current.values()) for (const dep of scope.dependencies) if (dep.id === id) return dep;
    return undefined;
  }

  /** A live rendered block by id. */
  blockById(id: number): Block | undefined {
    return Number.isInteger(id) && id >= this.base ? this.byId[id - this.base] : undefined;
  }

  /** The region's current top-level children in this session (none before its first render). */
  children(region: Render): readonly Block[] {
    return this.current.get(region)?.children ?? NO_BLOCKS;
  }

  /** Every live rendered block, region by region, in creation order. */
  *liveBlocks(): IterableIterator<Block> {
    for (const scope of this.current.values()) yield* scope.blocks;
  }

  /** The protocol's description of a region in this session (version 2). */
  config(region: Render): RenderConfig {
    const scope = this.current.get(region);
    const result: RenderConfig = { components: [], layout: [], dependencies: [], snapshot: {} };
    if (!scope) return result;
    for (const block of scope.blocks) {
      if (!isDrawn(block)) continue;
      result.components.push(componentConfig(block));
      // A container has props only (S72), which a gr.update may have changed in this session.
      if (block instanceof Cell) result.snapshot[block._id] = { value: this.session._read(block._node), props: { ...this.session._propsOf(block) } };
      else if (block instanceof LayoutBlock) result.snapshot[block._id] = { props: { ...this.session._propsOf(block) } };
    }
    result.layout = scope.children.map(layoutOf);
    result.dependencies = scope.dependencies.map((dep) => dependencyConfig(this.blocks, dep));
    return result;
  }

  /** The regions rendered in this session. */
  regions(): IterableIterator<Render> {
    return this.current.keys();
  }

  /** Every rendered listener that may have runs: the current renders', and replaced ones' not released yet. */
  *dependencies(): IterableIterator<Dependency> {
    for (const scope of this.current.values()) yield* scope.dependencies;
    for (const scope of this.retiring) yield* scope.dependencies;
  }
}

const NO_BLOCKS: readonly Block[] = Object.freeze([]);

/**
 * `gr.render`: a dynamic region of the layout whose content a function builds per session
 * (S110-S112). The template only holds the declaration; each session's content lives in that
 * session (src/runtime/renders.ts).
 *
 * @packageDocumentation
 */
import { checkOptions, currentRun, describeValue } from "../core/errors";
import {
  LayoutBlock,
  currentBuild,
  toCellArray,
  type AnyCell,
  type CellList,
  type Dependency,
  type HandlerArgs,
  type Trigger,
  type TriggerMode,
} from "./block";
import type { TriggerLike } from "./listeners";

/** Options of {@link render} (Gradio's `@gr.render` keyword arguments). */
export interface RenderOptions {
  /**
   * What re-runs the function. Default: the `change` of each input that has one, plus the
   * app's `load`. Given, it replaces them all: add `demo.load` to render at load too (S110).
   */
  triggers?: TriggerLike | readonly TriggerLike[];
  /** S38. Default `"always_last"`, as in Gradio. */
  triggerMode?: TriggerMode;
  /** S61. Default `true`. */
  queue?: boolean;
  /** S60. Default `null` (unlimited), as in Gradio. */
  concurrencyLimit?: number | null | "default";
  /** S60. */
  concurrencyId?: string;
}

const RENDER_OPTIONS: readonly (keyof RenderOptions)[] = ["triggers", "triggerMode", "queue", "concurrencyLimit", "concurrencyId"];

/** A render function: the inputs' values, then the event context; it creates blocks and listeners. */
export type RenderFn<I> = (...args: HandlerArgs<I>) => void;

/**
 * A render function's result type, refused when it is a promise (`never`): a render function
 * must build its blocks when called (S110), so an `async` one does not type-check (and fails
 * its render at run time, for JavaScript callers).
 */
export type Synchronous<R> = R extends PromiseLike<unknown> ? never : unknown;

/** @internal What the session a render runs for provides (src/runtime/renders.ts). */
export interface RenderHost {
  _renderRegion(region: Render, args: readonly unknown[]): void;
}

/**
 * A dynamic region (S110), made by {@link render}: a layout node whose children each session
 * builds with the render function. Renderers draw it as a container (protocol type `"render"`).
 */
export class Render extends LayoutBlock {
  readonly type = "render";
  /** The render function. */
  readonly fn: RenderFn<CellList>;
  /** Cells whose values the function receives. */
  readonly inputs: readonly AnyCell[];
  /** The hidden listener that runs the function in a session (its runs are the renders). */
  readonly dependency: Dependency;

  /** @internal Use {@link render}. */
  constructor(inputs: readonly AnyCell[], fn: RenderFn<CellList>, options: RenderOptions) {
    super({}, undefined);
    this.fn = fn;
    this.inputs = inputs;
    const frame = currentBuild()!;
    const region = this;
    const name = `render #${this._id}`;
    // Named for messages: `listener "render #3"` says which region failed.
    const run = {
      [name](...args: unknown[]): void {
        const host = (currentRun.get() as { session?: RenderHost } | undefined)?.session;
        if (!host) throw new Error(`gr.render #${region._id}: the render function runs only in a session's event.`);
        host._renderRegion(region, args);
      },
    }[name];
    const { triggers, triggerMode = "always_last", concurrencyLimit = null, ...rest } = options;
    this.dependency = frame.blocks._addDependency(renderTriggers(frame.blocks, inputs, triggers), {
      ...rest,
      fn: run,
      inputs: inputs as AnyCell[],
      triggerMode,
      concurrencyLimit,
      apiName: false,
    }, undefined, `gr.render #${this._id}`);
  }

  /** @internal */
  protected override _labelForMessages(): string | undefined {
    return undefined;
  }
}

function renderTriggers(root: Trigger["block"], inputs: readonly AnyCell[], given: RenderOptions["triggers"]): Trigger[] {
  if (given === undefined) {
    const changes = inputs.filter((c) => c._events.includes("change")).map((block) => ({ block, event: "change" }));
    return [...changes, { block: root, event: "load" }];
  }
  const list = (Array.isArray(given) ? given : [given]) as unknown[];
  return list.map((t, i) => {
    const trigger = (t as { trigger?: Trigger } | null)?.trigger;
    if (!trigger) throw new TypeError(`gr.render: triggers[${i}] is not an event method (pass e.g. btn.click, not btn.click()); got ${describeValue(t)}.`);
    return trigger;
  });
}

/**
 * `gr.render(inputs, fn, options?)`: declares, at this place of the layout, a region whose
 * content `fn` builds for each session (S110): components, layout containers and listeners
 * created while `fn` runs belong to that session only. `fn` gets the inputs' values (then the
 * event context) at load and whenever a trigger fires; each run replaces that session's
 * previous content, and a component with the same `key` as one of the previous run keeps its
 * value (and its `preservedByKey` props) when the user or a listener changed it (S111). A run
 * that throws keeps the previous content and is reported like a listener error (S112).
 *
 * ```ts
 * new gr.Blocks(() => {
 *   const count = new gr.Slider({ minimum: 1, maximum: 5, step: 1, value: 2, label: "Boxes" });
 *   gr.render([count], (n: number) => {
 *     for (let i = 0; i < n; i++) new gr.Textbox({ label: `Box ${i}`, key: `box-${i}` });
 *   });
 * });
 * ```
 *
 * `fn` must be synchronous (a Promise it returns fails the run). Inside it, listeners may read
 * and write the app's components and States and be triggered by them; they may not use load or
 * unload, a Global's change, or cells another run rendered. Not allowed inside `fn`: a nested
 * `gr.render`, a Timer, a Global, a BrowserState, or a State with `timeToLive` or
 * `deleteCallback`.
 *
 * @returns the region's {@link Render} block.
 * @throws Error outside a build or inside a render function; TypeError for `fn` not a
 *   function, an input that is not a cell, a trigger that is not an event method, or an
 *   unknown option (with the nearest known name).
 */
export function render<const I extends CellList = undefined, R = void>(inputs: I, fn: (...args: HandlerArgs<I>) => R & Synchronous<R>, options?: RenderOptions): Render {
  const frame = currentBuild();
  if (!frame) throw new Error("gr.render must be called inside a Blocks build (S110).");
  if (frame.scope) throw new Error("gr.render cannot be nested: call it in the Blocks build, not inside a render function.");
  if (typeof fn !== "function") throw new TypeError(`gr.render: fn must be a function; got ${describeValue(fn)}.`);
  const checked = checkOptions("gr.render", options, RENDER_OPTIONS);
  const region = new Render(toCellArray(inputs as CellList), fn as unknown as RenderFn<CellList>, checked);
  return region;
}

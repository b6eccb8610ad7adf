/**
 * `gr.Interface` (S70): a Blocks built from a function and its input and output components.
 *
 * @packageDocumentation
 */
import { checkOptions, describeValue } from "../core/errors";
import { Cell, type AnyCell, type ListenerOptions } from "./block";
import { toArray } from "./lists";
import { Blocks, type BlocksOptions } from "./blocks";
import { Column, Row } from "./layout";
import { LISTENER_OPTIONS } from "./dependency";
import { on } from "./listeners";
import { State } from "./state";
import { Examples } from "./examples";
import { Component } from "../components/component";
import { Textbox, Markdown, HTML } from "../components/text";
import { NumberBox } from "../components/number";
import { Button } from "../components/button";
import { Checkbox, CheckboxGroup, Dropdown, Radio } from "../components/choice";
import { Slider } from "../components/slider";
import { JSONView, Label } from "../components/display";
import { Chatbot } from "../components/chatbot";

/**
 * Shortcut strings accepted in an Interface's `inputs`/`outputs` (S70), by their lower-case
 * names; a name is matched as Gradio matches a component's class name, whatever its case and
 * underscores (`"Textbox"`, `"check_box_group"`).
 */
export const INTERFACE_SHORTCUTS = Object.freeze({
  text: (label?: string) => new Textbox({ label }),
  textbox: (label?: string) => new Textbox({ label }),
  textarea: (label?: string) => new Textbox({ lines: 7, label }),
  number: (label?: string) => new NumberBox({ label }),
  slider: (label?: string) => new Slider({ label }),
  checkbox: (label?: string) => new Checkbox({ label }),
  checkboxgroup: (label?: string) => new CheckboxGroup({ choices: [], label }),
  radio: (label?: string) => new Radio({ choices: [], label }),
  dropdown: (label?: string) => new Dropdown({ choices: [], label }),
  markdown: (label?: string) => new Markdown({ label }),
  html: (label?: string) => new HTML({ label }),
  label: (label?: string) => new Label({ label }),
  json: (label?: string) => new JSONView({ label }),
  chatbot: (label?: string) => new Chatbot({ label }),
  state: () => new State(null),
} satisfies Record<string, (label?: string) => AnyCell>);

/** A shortcut's name: `"text"`, `"number"`, `"state"`, ... (see {@link INTERFACE_SHORTCUTS}), also capitalised as Gradio's class names are, or in capitals. */
export type InterfaceShortcut =
  | keyof typeof INTERFACE_SHORTCUTS
  | Capitalize<keyof typeof INTERFACE_SHORTCUTS>
  | Uppercase<keyof typeof INTERFACE_SHORTCUTS>
  | "CheckboxGroup"
  | "TextArea";

/**
 * The parameter names of a plain function or arrow function (`(message, history) => ...`),
 * for labelling shortcut inputs as Gradio does; `[]` when they cannot be read simply
 * (destructuring, defaults with commas, minified code).
 *
 * @internal Also used by blockstate/server for an endpoint's parameter names.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const match = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(source) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (!match) return [];
  const names = match[1].split(",").map((p) => p.trim().replace(/\s*[:=].*$/, ""));
  return names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n)) ? names : [];
}

/** A component or State, or a shortcut string such as `"text"` or `"state"`. */
export type InterfaceIO = AnyCell | InterfaceShortcut;

/**
 * The page options of Interface and ChatInterface: the Blocks' `title` and `deleteCache`
 * (S20), and page metadata for renderers, as Gradio's keyword arguments.
 */
export interface PageOptions extends Pick<BlocksOptions, "title" | "deleteCache"> {
  description?: string;
  article?: string;
  theme?: unknown;
  css?: string;
  js?: string;
  head?: string;
  fillHeight?: boolean;
  fillWidth?: boolean;
}

/**
 * @internal The Blocks options an Interface or ChatInterface passes on: `deleteCache` (S20) and
 * Gradio's page metadata for renderers. Anything else is refused (a misspelt option would
 * otherwise be ignored, like an unknown Python keyword argument).
 */
export const PAGE_OPTIONS: readonly (keyof PageOptions)[] = ["title", "description", "article", "theme", "css", "js", "head", "fillHeight", "fillWidth", "deleteCache"];

/** Options of {@link Interface}. */
export interface InterfaceOptions extends PageOptions {
  fn: (...args: any[]) => unknown;
  inputs?: InterfaceIO | readonly InterfaceIO[] | null;
  outputs?: InterfaceIO | readonly InterfaceIO[] | null;
  /** Text of the submit button. Default `"Submit"`. */
  submitBtn?: string;
  /**
   * Gradio's `live`: run on every change of an input (each input that has a `change` event)
   * instead of on Submit or Enter, `triggerMode` `always_last` (S38); the Submit button is then
   * hidden. With no such input, on load and on the (shown) button, as Gradio's output-only
   * interfaces. Default `false`.
   */
  live?: boolean;
  /** Options of the predict listener (`apiName` defaults to `"predict"`). */
  listener?: ListenerOptions;
  /**
   * Example inputs shown below the Interface (a {@link Examples}): one list of values per
   * example for the inputs that are components (a State has none), or the values alone with
   * one such input. A click fills the inputs in; it does not run `fn` (as Gradio's without
   * `cache_examples`).
   */
  examples?: readonly unknown[] | null;
  /**
   * Gradio's `cache_examples`: a click on an example also writes `fn`'s results for it, kept
   * from its first click (see `ExamplesOptions.cacheExamples`). Needs inputs and outputs that
   * are all components (no State). Default `false`.
   */
  cacheExamples?: boolean | "lazy";
  /** How many examples a page shows. Default 10. */
  examplesPerPage?: number;
  /** A label per example, shown instead of its values. */
  exampleLabels?: readonly string[] | null;
}

const INTERFACE_OPTIONS: readonly (keyof InterfaceOptions)[] = ["fn", "inputs", "outputs", "submitBtn", "live", "listener", ...PAGE_OPTIONS, "examples", "examplesPerPage", "exampleLabels", "cacheExamples"];

const STATE_RULE = "If using 'state', there must be exactly one state input and one state output.";

/** The inputs or outputs as a list, shortcut names lowercased (Gradio accepts any case). */
function toList(io: InterfaceOptions["inputs"]): InterfaceIO[] {
  return toArray<InterfaceIO>(io).map((item) => (typeof item === "string" ? (item.toLowerCase() as InterfaceIO) : item));
}

/**
 * @internal A cell for an Interface or ChatInterface input or output: a cell as given, or a
 * new one for a shortcut string (`where` names the option in the error).
 *
 * @throws TypeError for an unknown shortcut name, or anything that is neither a cell nor a string.
 */
export function resolveIO(io: InterfaceIO, where: string, label: string | undefined): AnyCell {
  if (typeof io !== "string") {
    if (!(io instanceof Cell)) throw new TypeError(`${where}: expected a component, a State or a shortcut string; got ${describeValue(io)}.`);
    return io;
  }
  const name = io.replace(/_/g, "").toLowerCase();
  const make = Object.hasOwn(INTERFACE_SHORTCUTS, name) ? INTERFACE_SHORTCUTS[name as keyof typeof INTERFACE_SHORTCUTS] : undefined;
  if (!make) throw new TypeError(`${where}: unknown shortcut "${io}"; known: ${Object.keys(INTERFACE_SHORTCUTS).join(", ")}.`);
  return make(label);
}

/**
 * `gr.Interface({ fn, inputs, outputs })` (S70): input components, a Submit button and the
 * output components (shortcut inputs labelled with `fn`'s parameter names when they can be
 * read, shortcut outputs "output" or "output 0", "output 1", ... as in Gradio), with one listener (`apiName` "predict") triggered by the button and by
 * the `submit` event (Enter) of every input that has one, as Gradio's (see `live` for the other mode). If a State appears, there must be exactly one State input
 * and one State output; one State then serves both positions, with default `null` unless a
 * `State(value)` instance was passed.
 *
 * @example
 * ```ts
 * const demo = new gr.Interface({
 *   fn: (text: string, history: string[] | null) => { const h = [...(history ?? []), text]; return [h.join("\n"), h]; },
 *   inputs: ["textbox", "state"],
 *   outputs: ["textbox", "state"],
 * });
 * ```
 *
 * @throws Error "If using 'state', there must be exactly one state input and one state output."
 *   (shortcut names in any case, and State instances, count).
 * @throws TypeError when `fn` is not a function, for an unknown shortcut name, and for an
 *   unknown option (with the nearest known one suggested).
 */
export class Interface extends Blocks {
  override readonly type: string = "interface";
  /** The input cells, in `fn`'s parameter order (the State included). */
  readonly inputComponents: readonly AnyCell[];
  /** The output cells, in the order of `fn`'s results (the State included). */
  readonly outputComponents: readonly AnyCell[];
  /** The Submit button. */
  readonly submitButton: Button;
  /** With `examples`: the {@link Examples} below the Interface (Gradio's `examples_handler`). */
  readonly examplesHandler: Examples | undefined;

  constructor(options: InterfaceOptions) {
    const { fn, inputs, outputs, submitBtn = "Submit", live = false, listener, examples, examplesPerPage, exampleLabels, cacheExamples, ...blocksOptions } = checkOptions(
      "Interface",
      options,
      INTERFACE_OPTIONS,
    );
    if (typeof live !== "boolean") throw new TypeError(`Interface: live must be true or false; got ${describeValue(live)}.`);
    if (typeof fn !== "function") throw new TypeError("Interface: fn must be a function.");
    // The predict listener's options, by name: its triggers, fn, inputs and outputs are the Interface's.
    const listenerOptions = checkOptions("Interface: listener", listener, LISTENER_OPTIONS);
    const inList = toList(inputs);
    const outList = toList(outputs);
    if (inList.length === 0 && outList.length === 0) throw new TypeError("Interface: it needs inputs or outputs (or both), as Gradio's Interface does.");
    const isState = (io: InterfaceIO) => io === "state" || io instanceof State;
    const stateIns = inList.filter(isState);
    const stateOuts = outList.filter(isState);
    if (stateIns.length + stateOuts.length > 0 && (stateIns.length !== 1 || stateOuts.length !== 1)) {
      throw new Error(STATE_RULE);
    }
    // One State for both positions: the given instance (either side), else a fresh one (default null).
    const given = [...stateIns, ...stateOuts].find((io): io is State => io instanceof State);
    let ins: AnyCell[] = [];
    let outs: AnyCell[] = [];
    let button!: Button;
    let examplesHandler: Examples | undefined;
    // The inputs with `event` as triggers: a State's change is the run's own output, left out.
    const triggersOf = (event: string) => ins.filter((c) => !(c instanceof State) && c._events.includes(event)).map((c) => ({ trigger: { block: c, event } }));
    super(blocksOptions, (demo) => {
      const state = stateIns.length ? (given ?? new State(null)).render() : undefined;
      new Row(() => {
        new Column(() => {
          const names = parameterNames(fn);
          ins = inList.map((io, i) => (isState(io) ? state! : resolveIO(io, "Interface inputs", names[i]).render()));
          // Live with inputs that change: no button (with none, it stays, as Gradio's output-only interfaces).
          button = new Button(submitBtn, { variant: "primary", ...(live && triggersOf("change").length > 0 ? { visible: false } : {}) });
        });
        new Column(() => {
          const visibleOutputs = outList.filter((io) => !isState(io)).length;
          let n = 0;
          outs = outList.map((io) =>
            isState(io) ? state! : resolveIO(io, "Interface outputs", visibleOutputs === 1 ? "output" : `output ${n++}`).render(),
          );
        });
      });
      // Live: the inputs' changes, first, so that the default trigger mode is always_last (S38).
      const changes = live ? triggersOf("change") : [];
      const triggers = changes.length > 0 ? changes : live ? [demo.load, button.click] : [button.click, ...triggersOf("submit")];
      on({ apiName: "predict", ...listenerOptions, triggers, fn, inputs: ins, outputs: outs });
      if (examples != null) {
        const components = (cells: AnyCell[]) => cells.filter((c): c is Component<unknown> => c instanceof Component);
        // Cached results come from fn with the examples' values alone: every input must be in them.
        if (cacheExamples && components(ins).length + components(outs).length !== ins.length + outs.length) {
          throw new TypeError("Interface: cacheExamples needs inputs and outputs that are all components (fn's results for an example cannot depend on a State).");
        }
        examplesHandler = new Examples({ examples, inputs: components(ins), outputs: components(outs), fn, examplesPerPage, exampleLabels, cacheExamples });
      }
    });
    this.examplesHandler = examplesHandler;
    this.inputComponents = ins;
    this.outputComponents = outs;
    this.submitButton = button;
  }
}

export type { Component };

/**
 * `gr.ChatInterface` (S100-S107): a chat app built from one function, on the public API
 * (components, State, BrowserState, listeners, `.then`, `cancels`).
 *
 * @packageDocumentation
 */
import { AppError, EventError, checkOptions, describeValue, follow, isPromiseLike, isRecord, messageOf } from "../core/errors";
import { deepCopy } from "../core/copy";
import { Block, currentBuild, isDrawn, isGeneratorFunction, type AnyCell, type Dependency, type EventListener, type ListenerOptions } from "./block";
import { toArray } from "./lists";
import { Blocks } from "./blocks";
import { Accordion, Column, Row } from "./layout";
import { on } from "./listeners";
import type { EngineContext, EventContext } from "./context";
import { BrowserState, State } from "./state";
import type { Examples } from "./examples";
import { checkExamples, examplesOf, type ChatExamples } from "./chat-examples";
import { skip, update } from "./update";
import { PAGE_OPTIONS, resolveIO, type InterfaceIO, type PageOptions } from "./interface";
import { Chatbot, type ChatbotMessage, type ChatMessage } from "../components/chatbot";
import { Component, type Props } from "../components/component";
import { Textbox } from "../components/text";
import { Button } from "../components/button";
import { Radio } from "../components/choice";

/**
 * What a ChatInterface `fn` returns or yields as its reply (S101): a string (one assistant
 * message), a {@link ChatMessage} (`role` defaults to `"assistant"`), a list of them, or
 * `null`/`undefined` for no reply.
 */
export type ChatReply = string | ChatMessage | readonly (string | ChatMessage)[] | null | undefined;

/**
 * A ChatInterface function: `(message, history, ...additionalInputValues, ctx)`, returning a
 * {@link ChatReply} (or `[reply, ...additionalOutputValues]`), a Promise of one, or a (async)
 * generator yielding them (S102). `history` is a copy of the messages before `message`.
 */
export type ChatFn = (message: string, history: ChatbotMessage[], ...rest: any[]) => unknown;

/** Options of {@link ChatInterface}. */
export interface ChatInterfaceOptions extends PageOptions {
  fn: ChatFn;
  /** Cells (or shortcut strings, as in Interface) whose values `fn` receives after `history` (S107). */
  additionalInputs?: InterfaceIO | readonly InterfaceIO[] | null;
  /** Cells (or shortcut strings) written with the values `fn` returns after its reply (S107). */
  additionalOutputs?: InterfaceIO | readonly InterfaceIO[] | null;
  /**
   * Example messages (S105). A message each: the Chatbot shows them, and `example_select` with
   * `{ index }` submits one (or only puts it in the Textbox, see `runExamplesOnClick`). With
   * `additionalInputs`, an example may be a list, as in Gradio: `[message, ...additionalInputValues]`
   * (missing values are `null`; a message alone is `[message]`). When some example gives an additional input a value, they are
   * shown instead as a `gr.Examples` under the chat ({@link ChatInterface.examplesHandler}), whose
   * click fills in the Textbox and the inputs some example gives a value (a `null` clears its
   * input there, as `gr.Examples` does), without sending.
   */
  examples?: readonly (string | readonly unknown[])[] | null;
  /**
   * Text shown for each example instead of its message (Gradio's `example_labels`); one per
   * example. Also the sample labels of the `gr.Examples` of list examples, where Gradio shows none.
   */
  exampleLabels?: readonly string[] | null;
  /**
   * Whether picking an example in the Chatbot submits it (else it only fills the Textbox in).
   * Default `true`. The `gr.Examples` of list examples never sends (as Gradio's).
   */
  runExamplesOnClick?: boolean;
  /** Whether the user may edit their messages (the Chatbot's `edit` event, S104). Default `false`. */
  editable?: boolean;
  /** Keep this browser's conversations in a BrowserState (S106). Default `false`. */
  saveHistory?: boolean;
  /** Placeholder of the message Textbox (the one the ChatInterface makes). Default `"Type a message..."`. */
  placeholder?: string;
  /**
   * A Chatbot to use instead of the one the ChatInterface makes (Gradio's `chatbot=`), for its
   * props (`height`, `placeholder`, ...): made outside a build, or earlier in the build this
   * ChatInterface is made in, it is moved into the ChatInterface's layout. `examples` and
   * `editable` are set on it.
   */
  chatbot?: Chatbot;
  /** A Textbox to use instead of the one the ChatInterface makes (Gradio's `textbox=`); moved like `chatbot`. */
  textbox?: Textbox;
  /** Text of the stop button. Default `"Stop"`. */
  stopBtn?: string;
  /** S60, for the listeners that call `fn` (one concurrency group). Default `"default"`. */
  concurrencyLimit?: number | null | "default";
  /** Metadata for renderers, for the listeners that call `fn`. Default `"full"`. */
  showProgress?: "full" | "minimal" | "hidden";
  /** The API endpoint's name (`false` hides it), see {@link ChatInterface.submitDependency}. Default `"chat"`. */
  apiName?: string | false;
}

const CHAT_OPTIONS: readonly (keyof ChatInterfaceOptions)[] = [
  "fn",
  "additionalInputs",
  "additionalOutputs",
  "examples",
  "exampleLabels",
  "runExamplesOnClick",
  "editable",
  "saveHistory",
  "placeholder",
  "chatbot",
  "textbox",
  "stopBtn",
  "concurrencyLimit",
  "showProgress",
  "apiName",
  ...PAGE_OPTIONS,
];

/**
 * The concurrency group of the listeners that call `fn` (S60, as Gradio's one submit_fn):
 * `chat-interface`, then `chat-interface_1`, ... for further ChatInterfaces made in one app's
 * build, each with a group of its own.
 */
const CONCURRENCY_ID = "chat-interface";

/** {@link CONCURRENCY_ID}, suffixed as API names are while the app being built has it already. */
function concurrencyIdIn(site: { readonly dependencies: readonly Dependency[] } | undefined): string {
  const taken = new Set(site?.dependencies.map((d) => d.options.concurrencyId));
  let id = CONCURRENCY_ID;
  for (let i = 1; taken.has(id); i++) id = `${CONCURRENCY_ID}_${i}`;
  return id;
}

/** How many characters of its first message a saved conversation's title keeps (as Gradio). */
const TITLE_LENGTH = 40;

/**
 * `gr.ChatInterface({ fn, ... })` (S100-S107): a Blocks with a {@link Chatbot} holding the
 * history (per session), a message {@link Textbox} and a stop {@link Button}.
 *
 * - Submitting a message (the Textbox's `submit`) that is not blank clears the Textbox, appends
 *   `{ role: "user", content }` and runs `fn(message, historyBefore, ...additionalInputValues, ctx)`;
 *   its reply is appended (S101). A generator's yields each replace this turn's reply (S102); the
 *   stop button cancels the run, also one still waiting in the queue, and keeps the reply so far
 *   (S103). If `fn` throws, the user's message stays, no reply is appended and the error reaches
 *   the session (S36).
 * - As in Gradio, a turn (submit, `retry`, `edit`, `example_select`, `option_select`) takes two
 *   steps: an unqueued one at the trigger clears the Textbox, shows the user message and keeps
 *   the message and the history before it in a per-session State; then a queued one (S60; one
 *   concurrency group) calls `fn` with those, so typing or `undo` while it waits in the queue
 *   change nothing it sends (its reply then follows the history it answers). While a turn of
 *   the session is pending, another trigger of a turn does nothing; a turn whose queued step a
 *   `close()` cancelled is over, so the session's next turn, reconnected (S13), starts normally.
 * - Chatbot events (S104, S105): `retry`, `undo`, `clear`, `edit` (`editable: true`, data
 *   `{ index, value }`), `example_select` (`{ index }`) and `option_select` (`{ value }`: sends
 *   that option's text). `retry`/`undo` without a user message and bad `edit`/`example_select`
 *   data fail with a `gr.Error` naming the event and change nothing (Gradio ignores them).
 * - `saveHistory: true` (S106): `savedConversations` (BrowserState, newest first) is updated
 *   after every turn; `newChatButton`, `conversationList` (a Radio of titles; `select` with
 *   `{ index }` loads one) and `clear` (deletes the current one's entry).
 *
 * API clients call `apiName` (default `"chat"`; {@link ChatInterface.submitDependency}) with
 * `(message, ...additionalInputValues)`: one queued run of the turn, continuing the session's
 * history (the Chatbot's value when its last event ended); it answers
 * `["", history, ...additionalOutputValues]` (outputs `[textbox, chatbot, ...additionalOutputs]`).
 * The other listeners are hidden from the API.
 *
 * @example
 * ```ts
 * const chat = new gr.ChatInterface({
 *   fn: async function* (message: string) { yield "..."; yield `You said: ${message}`; },
 *   examples: ["Hello"],
 * });
 * const s = await chat.launch().connect();
 * await s.input(chat.textbox, "hi");
 * await s.submit(chat.textbox);
 * s.get(chat.chatbot); // [{ role: "user", content: "hi" }, { role: "assistant", content: "You said: hi" }]
 * ```
 *
 * @throws TypeError for an unknown option (with the nearest known one suggested), a `fn` that
 *   is not a function, `examples` that are neither messages nor `[message, ...values]` lists,
 *   `exampleLabels` not one string per example,
 *   non-boolean `editable`/`saveHistory`/`runExamplesOnClick`,
 *   an unknown shortcut; the errors of a listener's options (`concurrencyLimit`, ...).
 */
export class ChatInterface extends Blocks {
  override readonly type: string = "chatinterface";
  /** The history (S100). */
  readonly chatbot: Chatbot;
  /** The message box. */
  readonly textbox: Textbox;
  /** Cancels the running reply (S103). */
  readonly stopButton: Button;
  /** The cells whose values `fn` receives after the history. */
  readonly additionalInputs: readonly AnyCell[];
  /** The cells written with `fn`'s extra return values. */
  readonly additionalOutputs: readonly AnyCell[];
  /**
   * The API endpoint (API name `apiName`, no trigger, as Gradio's): inputs `[textbox, history
   * State, ...additionalInputs]`, outputs `[textbox, chatbot, ...additionalOutputs]`. The UI's
   * submit runs the same turn in two steps of its own (see above), not this listener.
   */
  readonly submitDependency: Dependency;
  /**
   * The `gr.Examples` under the chat when the examples give additional inputs values (Gradio's
   * `examples_handler`): a click on one (`session.trigger(chat.examplesHandler.dataset, "click",
   * { index })`) fills in the Textbox and the additional inputs. Else `undefined`: the Chatbot
   * shows the examples.
   */
  readonly examplesHandler: Examples | undefined;
  /** With `saveHistory`: this browser's conversations, newest first (S106). */
  readonly savedConversations: BrowserState<ChatbotMessage[][]> | undefined;
  /** With `saveHistory`: saves the current conversation and starts an empty one. */
  readonly newChatButton: Button | undefined;
  /** With `saveHistory`: the saved conversations' titles; `select` with `{ index }` loads one. */
  readonly conversationList: Radio<number> | undefined;

  constructor(options: ChatInterfaceOptions) {
    const {
      fn,
      additionalInputs,
      additionalOutputs,
      examples,
      exampleLabels,
      runExamplesOnClick = true,
      editable = false,
      saveHistory = false,
      placeholder,
      chatbot,
      textbox,
      stopBtn = "Stop",
      concurrencyLimit,
      showProgress,
      apiName = "chat",
      ...blocksOptions
    } = checkOptions("ChatInterface", options, CHAT_OPTIONS);
    if (typeof fn !== "function") throw new TypeError(`ChatInterface: fn must be a function; got ${describeValue(fn)}.`);
    for (const [name, flag] of [["editable", editable], ["saveHistory", saveHistory], ["runExamplesOnClick", runExamplesOnClick]] as const) {
      if (typeof flag !== "boolean") throw new TypeError(`ChatInterface: ${name} must be true or false; got ${describeValue(flag)}.`);
    }
    const inputs = toArray<InterfaceIO>(additionalInputs);
    const chatExamples = checkExamples(examples, exampleLabels, inputs.length);
    const what = (given: unknown) => (given instanceof Block ? given.describe() : describeValue(given));
    if (chatbot !== undefined && !(chatbot instanceof Chatbot)) throw new TypeError(`ChatInterface: chatbot must be a gr.Chatbot; got ${what(chatbot)}.`);
    if (textbox !== undefined && !(textbox instanceof Textbox)) throw new TypeError(`ChatInterface: textbox must be a gr.Textbox; got ${what(textbox)}.`);
    if (textbox && placeholder !== undefined) throw new TypeError("ChatInterface: placeholder is for the Textbox it makes; give it to your textbox instead.");
    let parts!: ChatParts;
    const concurrencyId = concurrencyIdIn(currentBuild()?.blocks);
    super(blocksOptions, (demo) => {
      parts = build(demo, {
        fn,
        inputs,
        outputs: toArray<InterfaceIO>(additionalOutputs),
        examples: chatExamples,
        runExamplesOnClick,
        editable,
        saveHistory,
        placeholder: placeholder ?? "Type a message...",
        chatbot,
        textbox,
        stopBtn,
        // One concurrency group for every listener that calls `fn`, as Gradio's one submit_fn (S60).
        listener: { concurrencyLimit, showProgress, concurrencyId },
        apiName,
      });
    });
    this.chatbot = parts.chatbot;
    this.textbox = parts.textbox;
    this.stopButton = parts.stopButton;
    this.additionalInputs = parts.additionalInputs;
    this.additionalOutputs = parts.additionalOutputs;
    this.submitDependency = parts.submitDependency;
    this.examplesHandler = parts.examplesHandler;
    this.savedConversations = parts.savedConversations;
    this.newChatButton = parts.newChatButton;
    this.conversationList = parts.conversationList;
  }
}

interface ChatParts {
  chatbot: Chatbot;
  textbox: Textbox;
  stopButton: Button;
  additionalInputs: AnyCell[];
  additionalOutputs: AnyCell[];
  submitDependency: Dependency;
  examplesHandler?: Examples;
  savedConversations?: BrowserState<ChatbotMessage[][]>;
  newChatButton?: Button;
  conversationList?: Radio<number>;
}

interface BuildSettings {
  fn: ChatFn;
  inputs: InterfaceIO[];
  outputs: InterfaceIO[];
  examples: ChatExamples;
  runExamplesOnClick: boolean;
  editable: boolean;
  saveHistory: boolean;
  placeholder: string;
  chatbot: Chatbot | undefined;
  textbox: Textbox | undefined;
  stopBtn: string;
  /** Options of the listeners that call `fn`. */
  listener: Pick<ListenerOptions, "concurrencyLimit" | "showProgress" | "concurrencyId">;
  apiName: string | false;
}

type History = ChatbotMessage[];

/** A user message to answer and the history before it (S101). */
interface UserTurn {
  message: string;
  before: History;
}

/** A turn an unqueued step took for its queued step: `by` names the trigger's event. */
interface Taken extends UserTurn {
  by: string;
}

/**
 * A component a ChatInterface was given, placed here (Gradio unrenders it and renders it in
 * the ChatInterface): one made outside a build is rendered, one made earlier in this app's
 * build is moved; `props` are set on it.
 *
 * @throws Error for a component of another Blocks; TypeError for props it refuses.
 */
function adopt<C extends Component<any>>(demo: Blocks, component: C, props: Props): C {
  const frame = currentBuild()!;
  if (component._blocks !== undefined && component._blocks === demo._root) demo._root._move(component, frame.container);
  else component.render();
  component._provisional = false; // its place is here: a later `.render()` leaves it
  if (Object.keys(props).length > 0) component._extendProps(props);
  return component;
}

/** The layout and listeners, inside the ChatInterface's build. */
function build(demo: Blocks, settings: BuildSettings): ChatParts {
  const { fn, examples } = settings;
  let examplesHandler: Examples | undefined;
  let savedConversations: BrowserState<History[]> | undefined;
  let conversationId: State<number | null> | undefined;
  let newChatButton: Button | undefined;
  let conversationList: Radio<number> | undefined;
  let chatbot!: Chatbot;
  let textbox!: Textbox;
  let stopButton!: Button;
  let additionalInputs: AnyCell[] = [];
  let additionalOutputs: AnyCell[] = [];
  new Row(() => {
    if (settings.saveHistory) {
      // As Gradio's sidebar: New chat above the saved conversations.
      new Column({ scale: 1 }, () => {
        savedConversations = new BrowserState<History[]>([]);
        // Its entry is anyone's to write (its secret is derived, S93): a list the chat's own
        // listeners cannot read starts the session from no saved conversations.
        savedConversations._checkStored = checkSavedConversations;
        conversationId = new State<number | null>(null);
        newChatButton = new Button("New chat");
        conversationList = new Radio<number>({ choices: [], label: "Chats" });
      });
    }
    new Column({ scale: 4 }, (column) => {
      const shown = examples.messages.length && !examples.rows ? examples.messages : undefined;
      const chatProps = {
        ...(shown ? { examples: shown } : {}),
        ...(settings.editable ? { editable: "user" as const } : {}),
      };
      // A given Chatbot shows the ChatInterface's examples, or none (as Gradio sets them): its own
      // would be picked with nothing listening.
      const given = settings.chatbot;
      chatbot = given ? adopt(demo, given, !shown && given._props.examples !== undefined ? { ...chatProps, examples: undefined } : chatProps) : new Chatbot({ label: "Chatbot", ...chatProps });
      textbox = settings.textbox ? adopt(demo, settings.textbox, {}) : new Textbox({ label: "Message", placeholder: settings.placeholder });
      stopButton = new Button(settings.stopBtn, { variant: "stop" });
      // As Gradio's: inputs already in the layout stay where they are; the others (made outside
      // the build, or unrendered) go in an Accordion.
      const placed = (io: InterfaceIO) => typeof io !== "string" && io._blocks !== undefined && !io._provisional;
      const resolve = () => settings.inputs.map((io) => resolveIO(io, "ChatInterface additionalInputs", undefined).render());
      let accordion: Accordion | undefined;
      if (settings.inputs.some((io) => !placed(io) && (typeof io === "string" || isDrawn(io)))) accordion = new Accordion("Additional Inputs", () => void (additionalInputs = resolve()));
      else additionalInputs = resolve();
      // One made outside the build is shown here until a `.render()` later in the build moves it
      // (Gradio's `render=False` output, rendered where the app wants it).
      additionalOutputs = settings.outputs.map((io, i) => {
        const cell = resolveIO(io, "ChatInterface additionalOutputs", `output ${i}`);
        if (cell._blocks !== undefined) return cell;
        cell.render()._provisional = isDrawn(cell);
        return cell;
      });
      if (examples.rows) {
        examplesHandler = examplesOf(examples.rows, examples.labels, textbox, additionalInputs);
        // Above the Additional Inputs, as Gradio's footer draws them.
        if (accordion) {
          const children = column._children;
          children.splice(children.indexOf(examplesHandler.dataset), 1);
          children.splice(children.indexOf(accordion), 0, examplesHandler.dataset);
        }
      }
    });
  });

  /**
   * `fn`'s result (or one yield) as the outputs to write (S32), given the turn so far: an array
   * for `[chatbot, ...additionalOutputs]`, after `lead` (the submit's Textbox, skipped); the
   * history alone when that is the only output. Not a Map: a streamed reply writes this once
   * per yield.
   */
  const toOutputs = (shown: History, result: unknown, lead: readonly unknown[]): unknown => {
    let reply = result;
    const values = [...lead, undefined];
    if (additionalOutputs.length) {
      if (!Array.isArray(result) || result.length !== additionalOutputs.length + 1) {
        throw new EventError(
          `ChatInterface fn: with ${additionalOutputs.length} additionalOutputs it must return [reply, ...values] (${additionalOutputs.length + 1} items); got ${describeValue(result)}.`,
          "output_count",
        );
      }
      reply = result[0];
      for (let i = 1; i < result.length; i++) values.push(result[i]);
    }
    const history = shown.slice();
    for (const message of replyMessages(reply)) history.push(message);
    values[lead.length] = history;
    return values.length === 1 ? history : values;
  };

  /**
   * One turn's run (S101, S102): runs `fn(message, copy of before, ...extras, ctx)` and shows
   * its reply after `before` and the user message. With `first` (the API listener's), that is
   * written first: the user message shown, the Textbox cleared. The listener's outputs are
   * `[textbox?, chatbot, ...additionalOutputs]`, `textbox` exactly when `first` is given.
   */
  function turn(message: string, before: History, extras: unknown[], ctx: EventContext, first?: "show"): Turn {
    const shown = withUserMessage(before, message);
    return new Turn(
      first && ["", shown, ...additionalOutputs.map(() => skip())],
      () => fn(message, deepCopy(before), ...extras, ctx),
      (chunk) => toOutputs(shown, chunk, first ? SKIP_ONE : NO_LEAD),
    );
  }

  // Per session: the turn an unqueued step took for its queued step, until that step ends.
  const taken = new State<Taken | null>(null);
  // Per session: the history as of the last event that ended (Gradio's `chatbot_state`), which
  // an API call continues; at first the Chatbot's own value (a Chatbot given with one).
  const chatState = new State<History>(chatbot._isFactory ? [] : (chatbot.value as History));
  // Streaming as `fn` does: renderers and API clients see each yield (Gradio's `_stream_fn`).
  const respondOptions = { ...settings.listener, generator: isGeneratorFunction(fn) };
  const hidden = { ...respondOptions, apiName: false as const };
  const unqueued = { apiName: false as const, queue: false };

  /**
   * After `dep` ends, whatever its outcome: the Chatbot's value becomes the API's history
   * (`chatState`); after the queued step of `by`'s turns, the session's pending turn is over.
   */
  function settle(dep: Dependency, by?: string): void {
    dep.then(
      function settle(history: History, pending: Taken | null) {
        return [history, pending !== null && pending.by === by ? null : skip()];
      },
      [chatbot, taken],
      [chatState, taken],
      unqueued,
    );
  }

  // The queued step of each kind of turn, by its trigger's event (`Taken.by`).
  const respondTo = new Map<string, Dependency>();

  /**
   * The session's pending turn: `taken`, while its queued step has a run in this session. A
   * close cancels that step, and nothing chained to it runs (S13); a session resumed in another
   * process (docs/08) never had it there. Either way the turn is over: a reconnected session's
   * next turn starts normally instead of answering the lost one's message.
   */
  function pendingTurn(taken: Taken | null, ctx: EventContext): Taken | null {
    return taken !== null && (ctx as EngineContext)._hasRuns(respondTo.get(taken.by)!) ? taken : null;
  }

  /**
   * Starts turns on `event` the Gradio way (S101, S104, S105): an unqueued step, at the
   * trigger, asks `ask` for the message and the history before it (`undefined`: nothing
   * happens), shows the message at once (and clears the Textbox, for `submit`) and keeps the
   * turn in `taken`; then a queued step (one concurrency group, S60) calls `fn` with exactly
   * that, whatever the Textbox and the Chatbot show by the time it leaves the queue. While a
   * turn of the session is pending, nothing starts another (as Gradio's disabled inputs).
   *
   * @returns the queued step (what the stop button cancels).
   */
  function startTurns(event: EventListener, ask: (history: History, ctx: EventContext, text?: string) => UserTurn | undefined): Dependency {
    const by = event.trigger.event;
    const box = by === "submit" ? [textbox] : [];
    const take = event(
      function takeTurn(history: History, pending: Taken | null, ...rest: unknown[]) {
        const ctx = rest.pop() as EventContext;
        const asked = pendingTurn(pending, ctx) === null ? ask(history, ctx, rest[0] as string | undefined) : undefined;
        if (!asked) return skip();
        return [withUserMessage(asked.before, asked.message), { by, ...asked }, ...box.map(() => "")];
      },
      [chatbot, taken, ...box],
      [chatbot, taken, ...box],
      unqueued,
    );
    const respond = take.success(
      function respond(pending: Taken | null, ...rest: unknown[]) {
        const ctx = rest.pop() as EventContext;
        // Not this trigger's turn: a blank message, or another turn was pending.
        if (pending?.by !== by) return skip();
        return turn(pending.message, pending.before, rest, ctx);
      },
      [taken, ...additionalInputs],
      [chatbot, ...additionalOutputs],
      hidden,
    );
    settle(respond, by);
    respondTo.set(by, respond);
    return respond;
  }

  const responders: Dependency[] = [
    startTurns(textbox.submit, (history, _ctx, text) => (text?.trim() ? { message: text, before: history } : undefined)), // S101: blank does nothing
    startTurns(chatbot.retry, (history) => lastUserTurn(history, "retry")),
  ];

  // API clients' (and session.call's) endpoint, as Gradio's: one queued step, with the message
  // as its input and the session's history (S101).
  const submitDependency = on(
    [],
    function chat(message: string, history: History, ...rest: unknown[]) {
      if (message.trim() === "") return skip(); // S101: nothing happens
      const ctx = rest.pop() as EventContext;
      return turn(message, history, rest, ctx, "show");
    },
    [textbox, chatState, ...additionalInputs],
    [textbox, chatbot, ...additionalOutputs],
    { ...respondOptions, apiName: settings.apiName },
  );

  const undoDependency = chatbot.undo(
    function undo(history: History) {
      const last = lastUserTurn(history, "undo");
      return new Map<AnyCell, unknown>([
        [chatbot, last.before],
        [textbox, last.message],
      ]);
    },
    [chatbot],
    [chatbot, textbox],
    unqueued,
  );

  if (settings.editable) {
    responders.push(
      startTurns(chatbot.edit, (history, ctx) => {
        const { index, value } = (ctx.event ?? {}) as { index?: unknown; value?: unknown };
        if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= history.length) {
          throw new AppError(`ChatInterface edit: index ${describeValue(index)} is not a message of the history (${history.length} messages).`);
        }
        const i = index as number;
        if (history[i].role !== "user") {
          throw new AppError(`ChatInterface edit: message [${i}] is from the ${history[i].role}; only user messages can be edited.`);
        }
        if (typeof value !== "string" || value.trim() === "") {
          throw new AppError(`ChatInterface edit: the new text must be a non-blank string; got ${describeValue(value)}.`);
        }
        return { message: value, before: history.slice(0, i) };
      }),
    );
  }

  if (examples.messages.length && !examples.rows) {
    const { messages } = examples;
    const picked = (ctx: EventContext): string => {
      const index = (ctx.event as { index?: unknown } | undefined)?.index;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= messages.length) {
        throw new AppError(`ChatInterface example_select: index ${describeValue(index)} is not one of the ${messages.length} examples.`);
      }
      return messages[index as number].text;
    };
    if (settings.runExamplesOnClick) responders.push(startTurns(chatbot.example_select, (history, ctx) => ({ message: picked(ctx), before: history })));
    // Gradio's example_populated: the message only goes into the Textbox.
    else chatbot.example_select(function populateExample(ctx: EventContext) { return picked(ctx); }, undefined, textbox, unqueued);
  }

  responders.push(
    startTurns(chatbot.option_select, (history, ctx) => {
      const value = (ctx.event as { value?: unknown } | undefined)?.value;
      if (typeof value !== "string" || value.trim() === "") {
        throw new AppError(`ChatInterface option_select: the option's value must be a non-blank string; got ${describeValue(value)}.`);
      }
      return { message: value, before: history };
    }),
    submitDependency,
  );

  // S103: the stop button only cancels; its run writes nothing.
  stopButton.click(function stop() {}, undefined, undefined, { cancels: responders, ...unqueued });
  const changers = [submitDependency, undoDependency];

  if (savedConversations && conversationId && newChatButton && conversationList) {
    const saved = savedConversations;
    const current = conversationId;
    // After every turn, also a failed or stopped one: the reply so far is what the user sees.
    for (const dep of [...responders, undoDependency]) {
      dep.then(
        function saveConversation(history: History, id: number | null, list: History[]) {
          if (history.length === 0) return skip();
          return withSaved(history, id, list);
        },
        [chatbot, current, saved],
        [current, saved],
        unqueued,
      );
    }
    changers.push(newChatButton.click(
      function newChat(history: History, id: number | null, list: History[]) {
        const [, kept] = history.length ? withSaved(history, id, list) : [id, list];
        return [[], null, kept];
      },
      [chatbot, current, saved],
      [chatbot, current, saved],
      unqueued,
    ));
    changers.push(conversationList.select(
      function loadConversation(list: History[], ctx: EventContext) {
        const index = (ctx.event as { index?: unknown } | undefined)?.index;
        if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= list.length) {
          throw new AppError(`ChatInterface conversation select: index ${describeValue(index)} is not one of the ${list.length} saved conversations.`);
        }
        return [[...list[index as number]], index];
      },
      [saved],
      [chatbot, current],
      unqueued,
    ));
    changers.push(chatbot.clear(
      function clearConversation(id: number | null, list: History[]) {
        const kept = id !== null && id < list.length ? list.filter((_, i) => i !== id) : list;
        return [[], null, kept];
      },
      [current, saved],
      [chatbot, current, saved],
      unqueued,
    ));
    on(
      [demo.load, saved.change],
      function listConversations(list: History[]) {
        return update({ choices: list.map((history, i) => [conversationTitle(history, i), i] as const) });
      },
      [saved],
      conversationList,
      // The latest list wins: a change while the previous listing is pending is not dropped.
      { apiName: false, queue: false, triggerMode: "always_last" },
    );
  } else {
    changers.push(chatbot.clear(function clear() { return []; }, undefined, chatbot, unqueued));
  }
  for (const dep of changers) settle(dep);

  return {
    examplesHandler,
    chatbot,
    textbox,
    stopButton,
    additionalInputs,
    additionalOutputs,
    submitDependency,
    savedConversations,
    newChatButton,
    conversationList,
  };
}

/**
 * The check of saved conversations read from browser storage (`BrowserState._checkStored`):
 * a list of histories, each a list of `{ role, content }` messages with one of the three roles
 * and a string content (JSON from storage: no getters or Proxies to fear).
 *
 * @throws Error saying which entry is not one.
 */
function checkSavedConversations(value: unknown): void {
  if (!Array.isArray(value)) throw new Error(`the saved conversations are ${describeValue(value)}, not a list of histories`);
  value.forEach((history: unknown, i) => {
    const message = Array.isArray(history)
      ? history.find((m: unknown) => !isRecord(m) || !(m.role === "user" || m.role === "assistant" || m.role === "system") || typeof m.content !== "string")
      : history;
    if (message !== undefined || !Array.isArray(history)) {
      throw new Error(`saved conversation [${i}] is not a list of { role, content } messages (it holds ${describeValue(message)})`);
    }
  });
}

/** S106: `list` with `history` saved: in place at `id` when it names an entry, else first. */
function withSaved(history: History, id: number | null, list: History[]): [number, History[]] {
  if (id !== null && id < list.length) return [id, list.map((h, i) => (i === id ? history : h))];
  return [0, [history, ...list]];
}

/** A saved conversation's title: its first user message, cut to {@link TITLE_LENGTH} characters. */
function conversationTitle(history: History, index: number): string {
  const first = history.find((m) => m.role === "user")?.content.trim() || `Conversation ${index + 1}`;
  return first.length > TITLE_LENGTH ? `${first.slice(0, TITLE_LENGTH - 1)}…` : first;
}

/**
 * The last user turn (S104): the last user message, and the history before it; for `undo`,
 * before its run of consecutive user messages (Gradio drops them together). `retry` keeps
 * those: they are earlier turns that got no reply (their `fn` failed), and S104 gives `fn` the
 * history before the message it answers again.
 *
 * @throws AppError naming `event` when the history has no user message.
 */
function lastUserTurn(history: History, event: "retry" | "undo"): UserTurn {
  let last = history.length - 1;
  while (last >= 0 && history[last].role !== "user") last--;
  if (last < 0) {
    throw new AppError(
      `ChatInterface ${event}: nothing to ${event}; the history has no user message (${history.length} message${history.length === 1 ? "" : "s"}).`,
    );
  }
  let start = last;
  if (event === "undo") while (start > 0 && history[start - 1].role === "user") start--;
  return { message: history[last].content, before: history.slice(0, start) };
}

/**
 * S101: a reply as messages. Strings and messages without a role are the assistant's.
 *
 * @throws EventError (`invalid_output`) naming the item for anything else, (`unreadable_value`)
 *   for a reply whose getters or Proxy traps throw.
 */
function replyMessages(reply: unknown): ChatbotMessage[] {
  if (reply == null) return [];
  let items: readonly unknown[];
  let messages: ChatbotMessage[];
  try {
    items = Array.isArray(reply) ? reply : [reply];
    messages = items.map(replyMessage);
  } catch (e) {
    if (e instanceof EventError) throw e;
    throw new EventError(`ChatInterface fn returned a reply that could not be read (${messageOf(e)}).`, "unreadable_value");
  }
  return messages;
}

/**
 * One message of a reply (see {@link replyMessages}).
 *
 * @throws EventError (`invalid_output`) naming the item for anything else; what reading it throws.
 */
function replyMessage(item: unknown): ChatbotMessage {
  if (typeof item === "string") return { role: "assistant", content: item };
  if (item !== null && typeof item === "object" && !Array.isArray(item) && "content" in item) {
    const message = item as ChatMessage;
    return { ...message, role: message.role ?? "assistant" };
  }
  throw new EventError(
    `ChatInterface fn: a reply must be a string, a ChatMessage ({ role?, content, metadata? }) or a list of them; got ${describeValue(item)}.`,
    "invalid_output",
  );
}

/** What one step of a turn returns for the listener's outputs (S32). */
type Outputs = unknown;
const NO_LEAD: readonly unknown[] = Object.freeze([]);
const SKIP_ONE: readonly unknown[] = Object.freeze([skip()]);
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One turn's stream of outputs, for the engine's generator handling (S35): first `first` (the
 * user's message shown) unless it is `undefined`, then `fn`'s reply, each yield of a generator
 * `fn` replacing it (S102).
 * A hand-written iterator rather than an async generator: its steps are plain values while
 * `fn` is synchronous (a sync generator, a plain return), promises only when `fn` awaits, so a
 * streamed token costs no promise hops (bench `chat.stream_ratio`). Stopping it (`return`,
 * S103) closes `fn`'s generator, as `for await` would.
 */
class Turn {
  private stage: "first" | "call" | "stream" | "done";
  private source: Iterator<unknown> | AsyncIterator<unknown> | undefined;

  /**
   * A shape anchor, as `Run._shapeAnchors`: one inert instance kept alive, so that a full GC
   * between turns (an idle server) does not collect this class's hidden class and deoptimise
   * the streaming path with it (measured: 2-3x slower yields for a while after each GC).
   */
  static readonly _shapeAnchor: Turn = new Turn(undefined, () => undefined, () => undefined);

  constructor(
    private readonly first: Outputs | undefined,
    private readonly call: () => unknown,
    private readonly outputs: (chunk: unknown) => Outputs,
  ) {
    this.stage = first === undefined ? "call" : "first";
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): IteratorResult<Outputs> | Promise<IteratorResult<Outputs>> {
    switch (this.stage) {
      case "first":
        this.stage = "call";
        return { done: false, value: this.first };
      case "call": {
        this.stage = "done";
        const result = this.call();
        if (isIterator(result)) {
          this.source = result as unknown as Iterator<unknown> | AsyncIterator<unknown>;
          this.stage = "stream";
          return this.pull();
        }
        return this.took({ done: false, value: result });
      }
      case "stream":
        return this.pull();
      default:
        return DONE;
    }
  }

  private pull(): IteratorResult<Outputs> | Promise<IteratorResult<Outputs>> {
    const step = this.source!.next();
    return isPromiseLike(step) ? follow(step).then((s) => this.took(s)) : this.took(step);
  }

  /** A reply (or `fn`'s return value) as outputs; a promise is awaited first, as `for await` does. */
  private took(step: IteratorResult<unknown>): IteratorResult<Outputs> | Promise<IteratorResult<Outputs>> {
    if (step.done) {
      this.stage = "done";
      return DONE;
    }
    const chunk = step.value;
    if (isPromiseLike(chunk)) return follow(chunk).then((v) => ({ done: false, value: this.outputs(v) }));
    return { done: false, value: this.outputs(chunk) };
  }

  return(): IteratorResult<Outputs> | Promise<IteratorResult<Outputs>> {
    this.stage = "done";
    const source = this.source;
    this.source = undefined;
    const closed = source?.return?.();
    return isPromiseLike(closed) ? follow(closed).then(() => DONE, () => DONE) : DONE;
  }

  throw(error: unknown): never {
    void this.return();
    throw error;
  }
}

/** A generator's result (a returned array is a reply, not a stream: it has no `next`). */
function isIterator(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Iterator<unknown>).next === "function" &&
    (Symbol.asyncIterator in value || Symbol.iterator in value)
  );
}

/** The history with the user's message after it, as a turn shows it (S101). */
function withUserMessage(before: History, message: string): History {
  return [...before, { role: "user", content: message }];
}

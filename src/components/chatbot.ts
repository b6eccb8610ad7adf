/**
 * `gr.Chatbot`, in Gradio's "messages" format, reading the legacy "tuples" format too.
 *
 * @packageDocumentation
 */
import type { ValueOrFactory, EventListener } from "../blocks/block";
import { isRecord } from "../core/errors";
import { Component, propNames, type BaseProps, type ComponentProps, type Props } from "./component";
import { checkJsonValue } from "./json-check";
import { checkProp, isHeight, isText, orNull, reject, show, typeName } from "../blocks/props";

/** Who wrote a {@link ChatMessage}. */
export type ChatRole = "user" | "assistant" | "system";

/**
 * `gr.ChatMessage`: one chat message as a handler writes it (Gradio's `ChatMessage`), e.g. a
 * ChatInterface reply. `role` defaults to `"assistant"` where a reply is expected (S101); a
 * Chatbot stores it with its role ({@link ChatbotMessage}).
 */
export interface ChatMessage {
  role?: ChatRole;
  content: string;
  /** Gradio's message metadata (`title`, `status`, `log`, ...), for renderers. */
  metadata?: object;
}

/** A message as a {@link Chatbot} holds it: a {@link ChatMessage} whose `role` is always set. */
export interface ChatbotMessage extends ChatMessage {
  role: ChatRole;
}

/** An example a {@link Chatbot} shows while empty (Gradio's `ExampleMessage`, text only). */
export interface ChatExample {
  text: string;
  /** Shown instead of `text` by renderers. */
  displayText?: string;
}

/** One exchange in Gradio's legacy tuples format: `[userText, botText]`, either side `null`. */
export type ChatTuple = readonly [string | null, string | null];

/** Props of {@link Chatbot}. */
export interface ChatbotProps extends BaseProps {
  /** The initial history: messages, or legacy tuples (converted), or a factory. */
  value?: ValueOrFactory<ChatbotMessage[] | ChatTuple[]>;
  /** Always `"messages"`; the legacy `"tuples"` is not supported as a storage format. */
  type?: "messages";
  /** Height for renderers: pixels, or a CSS length; `null`: the renderer's own (Gradio's `height=None`). */
  height?: number | string | null;
  /** Shown by renderers while the history is empty. */
  placeholder?: string;
  /** Examples shown while the history is empty; picking one fires `example_select` (`{ index, value }`). */
  examples?: readonly ChatExample[];
  /** Which messages the user may edit (fires `edit`): `"user"`, `"all"`, or `null` (none, the default). */
  editable?: "user" | "all" | null;
}

const ROLES: readonly string[] = ["user", "assistant", "system"];

/**
 * `gr.Chatbot`: a chat history, `{ role, content, metadata? }[]` (default `[]`); `role` is
 * `"user"`, `"assistant"` or `"system"` and `content` a string.
 *
 * Accepted and normalised (S34):
 * - `null` becomes `[]`;
 * - a valid messages array is stored as is: the *same* array, so a handler that pushes onto
 *   the history it received and returns it keeps one object (S5), and no write copies;
 * - the legacy tuples format `[userText | null, botText | null][]` (read when the first item is
 *   an array) becomes a new messages array: each non-null side one message, the user's first
 *   (`"user"`, then `"assistant"`), so Gradio's older chatbot examples port unchanged.
 *
 * Rejected, naming the index: non-arrays, messages that are not objects, roles other than the
 * three, non-string content, non-object metadata, and histories mixing the two formats.
 * Message objects may carry further keys (e.g. Gradio's `options`); they are kept. A message's
 * `metadata` and `options` must be JSON data, as a JSON component's value (functions,
 * bigints, cycles, `Map`s, values nesting more than 1,000 levels are rejected, with their path:
 * `message [1].metadata.tokens is a bigint`), as renderers and Gradio's clients get them;
 * other keys are kept unchecked.
 *
 * @throws TypeError at construction for an invalid prop (see `_checkProps`; `type: "tuples"`,
 *   say) or initial value.
 */
export class Chatbot extends Component<ChatbotMessage[]> {
  readonly type: string = "chatbot";
  /** Gradio's Chatbot events. The engine never changes the history for them: listeners do (a ChatInterface's, S104). */
  static override readonly events: readonly string[] = [
    "change",
    "select",
    "like",
    "retry",
    "undo",
    "edit",
    "option_select",
    "example_select",
    "clear",
  ];
  static override readonly propNames = propNames<ChatbotProps>({ type: true, height: true, placeholder: true, examples: true, editable: true });
  /** Fires when the history changes. */
  declare readonly change: EventListener;
  /** Fires when the user selects a message (event data: `{ index, value }`). */
  declare readonly select: EventListener;
  /** Fires when the user likes or dislikes a message (event data: `{ index, value, liked }`). */
  declare readonly like: EventListener;
  /** Fires when the user asks for a new reply to the last message. */
  declare readonly retry: EventListener;
  /** Fires when the user takes back the last message. */
  declare readonly undo: EventListener;
  /** Fires when the user edits a message (event data: `{ index, value, previousValue }`). */
  declare readonly edit: EventListener;
  /** Fires when the user picks one of a message's options (event data: `{ index, value }`). */
  declare readonly option_select: EventListener;
  /** Fires when the user picks one of the `examples` (event data: `{ index, value }`). */
  declare readonly example_select: EventListener;
  /** Fires when the user clears the history (a renderer empties it; the engine does not). */
  declare readonly clear: EventListener;

  constructor(props: ChatbotProps = {}) {
    super();
    // Tuples given as the initial value are converted by `_check`, so the default is messages.
    this._init(props as ComponentProps<ChatbotMessage[]>, { type: "messages" });
  }
  /**
   * @internal {@link Component._checkProps}, and `type` only `"messages"` (values would not be
   * what old code expects; write tuples to it instead, they are converted), `height` a number, a
   * CSS length or `null` (as Gradio's `height: int | str | None`), `placeholder` a string (or `null`), `examples` a list of `{ text, displayText? }`,
   * `editable` `"user"`, `"all"` or `null`.
   */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    const format = props.type;
    if (format !== undefined && format !== "messages") {
      reject(`type ${show(format)} is not supported; histories are always messages (tuples written to a Chatbot are converted)`);
    }
    checkProp(props, "height", "a number, a CSS length or null", orNull(isHeight));
    checkProp(props, "placeholder", "a string or null", orNull(isText));
    checkProp(props, "examples", "a list of { text, displayText? }", isExampleList);
    checkProp(props, "editable", '"user", "all" or null', (v) => v === null || v === "user" || v === "all");
  }
  /** @internal */
  _emptyValue(): ChatbotMessage[] {
    return [];
  }
  /** @internal */
  _check(value: unknown): ChatbotMessage[] {
    if (!Array.isArray(value)) return reject(`a Chatbot holds a list of messages, got ${typeName(value)}`);
    if (value.length > 0 && Array.isArray(value[0])) return fromTuples(value);
    // Every write checks every message (a streamed reply rewrites the whole history, S102), so
    // the common case is one inline test per message; the slow path says what is wrong.
    for (let i = 0; i < value.length; i++) if (!isValidMessage(value[i])) checkMessage(value[i], i);
    return value as ChatbotMessage[];
  }
}

function isExampleList(v: unknown): boolean {
  return Array.isArray(v) && v.every((e) => isRecord(e) && isText(e.text) && (e.displayText === undefined || isText(e.displayText)));
}

/**
 * Whether `m` is a message without `metadata` or `options` (most messages): the common case,
 * checked inline. Any other message takes {@link checkMessage}, which walks those. Further keys
 * are not walked: counting a message's keys (`for...in`) took a streamed token through a
 * 200-message history from 2.46 to 3.29 µs (bench `chat.stream_token_us`), as every write
 * checks every message.
 */
function isValidMessage(m: unknown): boolean {
  if (typeof m !== "object" || m === null) return false;
  const { role, content, metadata, options } = m as Record<string, unknown>;
  return (role === "assistant" || role === "user" || role === "system") && typeof content === "string" && metadata === undefined && options === undefined;
}

function checkMessage(m: unknown, i: number): void {
  if (Array.isArray(m)) {
    reject(`message [${i}] is a [user, bot] pair but message [0] is not; don't mix the messages and tuples formats`);
  }
  if (m === null || typeof m !== "object") reject(`message [${i}] is ${typeName(m)}; expected { role, content }`);
  const { role, content, metadata } = m as Record<string, unknown>;
  if (typeof role !== "string" || !ROLES.includes(role)) {
    const got = role === undefined ? "no role" : `role ${show(role)}`;
    reject(`message [${i}] has ${got}; expected "user", "assistant" or "system"`);
  }
  if (typeof content !== "string") reject(`message [${i}] has content ${typeName(content)}; expected a string`);
  if (metadata !== undefined && (metadata === null || typeof metadata !== "object" || Array.isArray(metadata))) {
    reject(`message [${i}] has metadata ${typeName(metadata)}; expected an object`);
  }
  // Its metadata and options go to renderers and clients as JSON (S34).
  const { options } = m as Record<string, unknown>;
  if (metadata !== undefined) checkJsonValue(metadata, `message [${i}].metadata`);
  if (options !== undefined) checkJsonValue(options, `message [${i}].options`);
}

/** Converts legacy tuples; only called when item 0 is an array, so every item must be a pair. */
function fromTuples(pairs: readonly unknown[]): ChatbotMessage[] {
  const messages: ChatbotMessage[] = [];
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair)) {
      reject(`pair [${i}] is ${typeName(pair)}, but item [0] is a [user, bot] pair; don't mix the tuples and messages formats`);
    }
    if (pair.length !== 2) reject(`pair [${i}] has ${pair.length} items; expected [userText, botText]`);
    const [user, bot] = pair as unknown[];
    for (const [text, role, side] of [[user, "user", "user text"], [bot, "assistant", "bot text"]] as const) {
      if (text == null) continue;
      if (typeof text !== "string") reject(`pair [${i}] has ${typeName(text)} as its ${side}; expected a string or null`);
      messages.push({ role, content: text });
    }
  });
  return messages;
}


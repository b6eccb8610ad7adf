/**
 * Reading requests: refusals, JSON bodies within the size and depth limits, and what a session
 * is told about its request.
 *
 * @packageDocumentation
 */
import { EventError, describeValue, isRecord, messageOf } from "../core/errors";
import type { Block } from "../blocks/block";
import type { RequestInfo } from "../blocks/context";
import type { Session } from "../runtime/session";
import type { Settings } from "./options";

/** The `code` of a refusal, by HTTP status, unless the refusal names a more precise one. */
const CODES: Readonly<Record<number, string>> = {
  400: "bad_request",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "too_large",
  422: "invalid_input",
  503: "unavailable",
};

/**
 * @internal A refused request: HTTP status, message and a machine-readable code, sent as
 * `{ status: "error", detail, error, code }` (Gradio's clients read `detail` and `error`).
 */
export class Refusal extends Error {
  readonly code: string;

  constructor(
    readonly status: number,
    message: string,
    code?: string,
    /** The answer's `detail` when it is not `message` (a validator's verdicts, see queue.ts's `judge`). */
    readonly detail?: unknown,
  ) {
    super(message);
    this.code = code ?? CODES[status] ?? "error";
  }
}

/** @internal The JSON object body of a request, within the size and depth limits. */
export async function readJson(request: Request, settings: Settings): Promise<Record<string, unknown>> {
  const length = request.headers.get("content-length");
  const declared = length === null ? NaN : Number(length);
  if (declared > settings.maxBody) throw new Refusal(413, `The body is larger than ${settings.maxBody} bytes.`);
  // A declared length within the limit is what the body holds (HTTP framing): read it at
  // once. Otherwise (chunked) count the bytes as they come.
  const bytes = Number.isInteger(declared) ? new Uint8Array(await request.arrayBuffer()) : await readLimited(request, settings.maxBody);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new Refusal(400, "The body is not valid UTF-8.", "bad_json");
  }
  checkDepth(text, settings.maxDepth);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new Refusal(400, `The body is not valid JSON: ${messageOf(e)}`, "bad_json");
  }
  if (!isRecord(body)) throw new Refusal(400, `The body must be a JSON object; got ${describeValue(body)}.`);
  return body;
}

/** Refuses bytes that are not UTF-8, as Gradio's server does, instead of reading them as U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A body of undeclared length (chunked), refused with 413 past `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Refusal(413, `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Refuses JSON text that nests arrays and objects deeper than `max`, in one pass over the text
 * before it is parsed: the engine's deep copy and comparison recurse, so a body of ten thousand
 * nested arrays must stop as a 400, and before `JSON.parse` builds them (half a million nested
 * arrays fit in 1 MB, and building them blocked the event loop for hundreds of milliseconds).
 * Brackets inside strings do not count; text that is no JSON is left for the parser to refuse.
 */
function checkDepth(text: string, max: number): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: to its closing quote, past escaped characters.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) throw new Refusal(400, `The body is nested more than ${max} levels deep.`);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
}

/** @internal What `ctx.request` tells a session about the request that opened it. */
export function requestInfo(request: Request): RequestInfo {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  return { headers, query: Object.fromEntries(url.searchParams) };
}

/** @internal 128 random bits as 32 hex digits: an event id. */
export function newId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = "";
  for (const b of bytes) id += b.toString(16).padStart(2, "0");
  return id;
}

/** @internal What a request's `event_data` and `trigger_id` give its run, as Gradio's `EventData(target, _data)`. */
export interface Trigger {
  /** `ctx.event`: the data (`null` for none). */
  readonly eventData: unknown;
  /** The id of `ctx.target`'s block; `undefined` for none. */
  readonly triggerId: number | undefined;
}

export const NO_TRIGGER: Trigger = Object.freeze({ eventData: undefined, triggerId: undefined });

/**
 * @internal A request's `event_data` and `trigger_id`, read before anything runs.
 *
 * @throws Refusal 400 for a `trigger_id` that is neither null nor a non-negative integer (Gradio's
 *   body model refuses one that is not an integer).
 */
export function triggerOf(body: Record<string, unknown>): Trigger {
  const id = body.trigger_id;
  const eventData = body.event_data ?? undefined;
  if (id === undefined || id === null) return eventData === undefined ? NO_TRIGGER : { eventData, triggerId: undefined };
  if (!Number.isSafeInteger(id) || (id as number) < 0) throw new Refusal(400, `trigger_id must be a block's id (a non-negative integer) or null; got ${describeValue(id)}.`);
  return { eventData, triggerId: id as number };
}

/**
 * @internal The block `ctx.target` is: the one with the trigger's id in the session (the app's, or one a
 * `gr.render` region holds now); none for an id that names no block, as Gradio's
 * `blocks.get(trigger_id)` gives `None` for it.
 */
export function targetOf(trigger: Trigger, session: Session): Block | undefined {
  return trigger.triggerId === undefined ? undefined : session._blockById(trigger.triggerId);
}

/**
 * @internal `app.connect(...)` for a request: a session that cannot be opened is a refusal that
 * says why (docs/08), not an internal fault: one another process runs (`session_locked`) a 409,
 * a shared store that does not answer (`store_unavailable`) a 503, with the EventError's message
 * and code.
 *
 * @throws Refusal for an EventError; anything else as it is.
 */
export async function connectFor<S>(connecting: Promise<S>): Promise<S> {
  try {
    return await connecting;
  } catch (e) {
    throw storeRefusal(e);
  }
}

/**
 * @internal What a shared store's failure (an EventError: `session_locked`, `store_unavailable`)
 * answers: a 409 for a session another process runs, else a 503, with its message and code;
 * anything else as it is.
 */
export function storeRefusal(e: unknown): unknown {
  return e instanceof EventError ? new Refusal(e.code === "session_locked" ? 409 : 503, e.message, e.code) : e;
}


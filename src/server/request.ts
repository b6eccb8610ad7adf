/**
 * Reading requests: refusals, JSON bodies within the size and depth limits, and what a session
 * is told about its request.
 *
 * @packageDocumentation
 */
import { describeValue, isRecord, messageOf } from "../core/errors";
import type { RequestInfo } from "../blocks/context";
import type { Settings } from "./options";

/** The `code` of a refusal, by HTTP status, unless the refusal names a more precise one. */
const CODES: Readonly<Record<number, string>> = {
  400: "bad_request",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
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
  const text = Number.isInteger(declared) ? await request.text() : await readLimited(request, settings.maxBody);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new Refusal(400, `The body is not valid JSON: ${messageOf(e)}`, "bad_json");
  }
  if (!isRecord(body)) throw new Refusal(400, `The body must be a JSON object; got ${describeValue(body)}.`);
  checkDepth(body, settings.maxDepth);
  return body;
}

/** A body of undeclared length (chunked), refused with 413 past `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
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
  return new TextDecoder().decode(all);
}

/**
 * Refuses values nested deeper than `max` (checked without recursion): the engine's deep copy
 * and comparison recurse, so a body of ten thousand nested arrays must stop here, as a 400.
 */
function checkDepth(value: unknown, max: number): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) throw new Refusal(400, `The body is nested more than ${max} levels deep.`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
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

/**
 * The options of `createHandler` and `serve` besides `launch()`'s, and their checked form.
 *
 * @packageDocumentation
 */
import { describeValue, isRecord } from "../core/errors";
import { secondsToMs } from "../runtime/clock";

/** Options of {@link createHandler} (and of `serve`). */
export interface HandlerOptions {
  /** Prefix of every route but `/config`. Default `"/gradio_api"`, as in Gradio; `""` for none. */
  apiPrefix?: string;
  /**
   * Origins (`"https://example.com"`) whose pages may open sessions and send events, besides
   * the server's own; `"*"` allows any. Default none: a cross-site page is refused with 403
   * (checked with `Origin` and `Sec-Fetch-Site`). Clients outside browsers send neither header.
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names (without port) requests may be addressed to, against DNS rebinding; `null`: any.
   * Default `null`; `serve` on a loopback address allows only loopback names.
   */
  allowedHosts?: readonly string[] | null;
  /** Largest request body, in bytes; larger ones get 413. Default 1 MiB (1,048,576). */
  maxBodyBytes?: number;
  /**
   * Most bytes (UTF-8) an event stream may hold unread, per stream, and a session's queue
   * frames may wait for its stream. Past it the stream fails (the client's read errors) and
   * the pending events whose frames were lost are cancelled. Default 1 MiB.
   */
  maxStreamBytes?: number;
  /**
   * Most bytes (UTF-8) kept in all for streams no client has opened yet: a session's queue
   * frames before its `queue/data` stream opens, and `/call` results before their GET. Each is
   * bounded by `maxStreamBytes`, but a client can start any number of them without keeping a
   * connection open. Past this bound the oldest are dropped first, as one past
   * `maxStreamBytes` is: their streams fail and their pending events are cancelled.
   * Default 64 MiB.
   */
  maxKeptBytes?: number;
  /** Deepest nesting of arrays and objects a request body may have. Default 64. */
  maxDepth?: number;
  /** Seconds between heartbeats on open event streams. Default 15, as in Gradio. */
  heartbeatSeconds?: number;
  /**
   * Absolute URL sent as `/config`'s `root` (a server behind a proxy); default: none, clients
   * use the URL they connected to. `serve` with several apps adds each app's path to it.
   */
  root?: string;
  /**
   * Also serve the renderer protocol (docs/protocol.md §5: `renderer/config`, `renderer/events`,
   * `renderer/dispatch`), so that a browser renderer draws the app with its own session per
   * page. Given a renderer's files, also its page at `/` (the config embedded, the script and
   * style sheet at `renderer/script.js` and `renderer/style.css`). Default `false`.
   */
  renderer?: boolean | RendererAssets;
}

/** A browser renderer to serve with its page (the `renderer` option of `createHandler` and `serve`). */
export interface RendererAssets {
  /** The renderer's browser script, bundled (one file), served at `renderer/script.js`. */
  script: string;
  /** Its style sheet, served at `renderer/style.css`. Default: none. */
  style?: string;
  /** Title of the index page `serve` shows when it serves several apps. Default `"blockstate apps"`. */
  title?: string;
}

/** @internal The names {@link createHandler} accepts besides `launch()`'s. */
export const HANDLER_OPTIONS: readonly (keyof HandlerOptions)[] = [
  "apiPrefix",
  "allowedOrigins",
  "allowedHosts",
  "maxBodyBytes",
  "maxStreamBytes",
  "maxKeptBytes",
  "maxDepth",
  "heartbeatSeconds",
  "root",
  "renderer",
];

const MIB = 1024 * 1024;

/** @internal {@link HandlerOptions}, checked, with their defaults. */
export interface Settings {
  prefix: string;
  origins: readonly string[];
  hosts: readonly string[] | null;
  maxBody: number;
  maxStream: number;
  maxKept: number;
  maxDepth: number;
  heartbeatMs: number;
  root: string | undefined;
  /** `true`: the protocol only; assets: the page too. */
  renderer: true | RendererAssets | undefined;
}

function positiveInteger(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`createHandler(): ${what} must be a positive integer; got ${describeValue(value)}.`);
  }
  return value;
}

function stringList(what: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TypeError(`createHandler(): ${what} must be an array of strings; got ${describeValue(value)}.`);
  }
  return value as string[];
}

function checkRenderer(value: unknown): true | RendererAssets | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return true;
  if (isRecord(value) && typeof value.script === "string" && [value.style, value.title].every((v) => v === undefined || typeof v === "string")) return value as unknown as RendererAssets;
  throw new TypeError(`createHandler(): renderer must be true, false or { script, style?, title? } (strings); got ${describeValue(value)}.`);
}

/**
 * @internal Checks the options and fills in the defaults.
 *
 * @throws TypeError naming the option and the value.
 */
export function resolveSettings(options: HandlerOptions): Settings {
  const prefix = options.apiPrefix ?? "/gradio_api";
  if (typeof prefix !== "string" || (prefix !== "" && !/^(\/[\w.-]+)+$/.test(prefix))) {
    throw new TypeError(`createHandler(): apiPrefix must be "" or a path such as "/gradio_api"; got ${describeValue(prefix)}.`);
  }
  const beat = options.heartbeatSeconds ?? 15;
  if (typeof beat !== "number" || !Number.isFinite(beat) || beat < 0) {
    throw new TypeError(`createHandler(): heartbeatSeconds must be a non-negative number of seconds (0: none); got ${describeValue(beat)}.`);
  }
  if (options.root !== undefined && (typeof options.root !== "string" || !/^https?:\/\//.test(options.root))) {
    throw new TypeError(`createHandler(): root must be an absolute http(s) URL; got ${describeValue(options.root)}.`);
  }
  return {
    prefix,
    origins: options.allowedOrigins === undefined ? [] : stringList("allowedOrigins", options.allowedOrigins).map((o) => (o === "*" ? o : o.replace(/\/+$/, ""))),
    hosts: options.allowedHosts == null ? null : stringList("allowedHosts", options.allowedHosts).map((h) => h.toLowerCase()),
    maxBody: positiveInteger("maxBodyBytes", options.maxBodyBytes, MIB),
    maxStream: positiveInteger("maxStreamBytes", options.maxStreamBytes, MIB),
    maxKept: positiveInteger("maxKeptBytes", options.maxKeptBytes, 64 * MIB),
    maxDepth: positiveInteger("maxDepth", options.maxDepth, 64),
    heartbeatMs: secondsToMs(beat),
    root: options.root,
    renderer: checkRenderer(options.renderer),
  };
}

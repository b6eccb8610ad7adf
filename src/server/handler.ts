/**
 * The request handling of `blockstate/server`: Gradio's HTTP protocol (`sse_v3`, as Gradio 5/6
 * serve it and `@gradio/client` 2.x speaks it) over a launched app, as a Hono app and a
 * web-standard `(request) => Promise<Response>` handler (docs/07). This file assembles the
 * routes: the app's description (`/config`, `/info`) here, the call protocols in `queue.ts`,
 * the renderer protocol in `renderer.ts`, the checks every route shares in `guard.ts` and
 * `request.ts`.
 *
 * @packageDocumentation
 */
import { Hono } from "hono";
import { checkOptions, describeValue } from "../core/errors";
import { Blocks } from "../blocks/blocks";
import { App, LAUNCH_OPTIONS, type LaunchOptions } from "../runtime/app";
import { apiInfo, gradioConfig } from "../blocks/gradio-api";
import { answerFailures, createGuard } from "./guard";
import { HANDLER_OPTIONS, resolveSettings, type HandlerOptions, type Settings } from "./options";
import { mountQueue } from "./queue";
import { mountRenderer } from "./renderer";
import { EventStreams } from "./stream";

export type { HandlerOptions, RendererAssets } from "./options";

/** A web-standard request handler with the app it serves. */
export interface GradioHandler {
  (request: Request): Promise<Response>;
  /** The launched app (sessions, Globals). */
  readonly app: App;
  /** The Hono app: mount it with `parent.route("/", handler.hono)`. */
  readonly hono: Hono;
  /** Ends every open event stream; closes the app too when the handler launched it. */
  close(): Promise<void>;
}

/** `sessionIdleTimeout` of apps the server launches, unless given: one hour. */
const DEFAULT_IDLE_SECONDS = 3600;

/**
 * Creates the request handler for an app: Gradio's routes (`/config`, `{apiPrefix}/info`,
 * `queue/join`, `queue/data`, `run/{name}`, `call/{name}`, `cancel`, `heartbeat`, ...), and
 * with the `renderer` option the renderer protocol (`renderer/events`, `renderer/dispatch`, ...:
 * docs/protocol.md §5) and a renderer's page, behind the same checks.
 * Given a Blocks, it launches it with the launch options among `options` (`sessionIdleTimeout`
 * defaulting to 3600 seconds: API clients never close their sessions); given an App, it serves
 * that app (launch options are then refused).
 *
 * ```ts
 * const handler = createHandler(demo);
 * const response = await handler(new Request("http://localhost/config"));
 * ```
 *
 * @throws TypeError for an unknown option or an invalid value (naming it).
 */
export function createHandler(demo: Blocks | App, options: HandlerOptions & LaunchOptions = {}): GradioHandler {
  const own = demo instanceof Blocks;
  if (!own && !(demo instanceof App)) throw new TypeError(`createHandler(): expected a Blocks or a launched App; got ${describeValue(demo)}.`);
  options = checkOptions("createHandler()", options, own ? [...HANDLER_OPTIONS, ...LAUNCH_OPTIONS] : HANDLER_OPTIONS);
  const launch: LaunchOptions = {};
  const rest: HandlerOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if ((LAUNCH_OPTIONS as readonly string[]).includes(key)) (launch as Record<string, unknown>)[key] = value;
    else (rest as Record<string, unknown>)[key] = value;
  }
  const settings = resolveSettings(rest);
  // API clients never close their sessions: without a word from the app, unused ones close after an hour.
  if (own && !("sessionIdleTimeout" in launch)) launch.sessionIdleTimeout = DEFAULT_IDLE_SECONDS;
  const app = own ? demo.launch(launch) : demo;
  return build(app, settings, own);
}

function build(app: App, settings: Settings, ownsApp: boolean): GradioHandler {
  const { prefix } = settings;
  const blocks = app.blocks;
  const configJson = JSON.stringify(gradioConfig(blocks, { apiPrefix: prefix, showError: app.showError, root: settings.root }));
  const infoJson = JSON.stringify(apiInfo(blocks));
  const streams = new EventStreams(settings.maxStream, settings.heartbeatMs);
  let closed = false;
  const guard = createGuard(settings, () => closed);
  const guarded = guard.guarded;

  const hono = new Hono();
  hono.use("*", guard.middleware);

  // Public (any page may read them), with CORS headers for allowed origins' clients.
  const sendConfig = guarded((c) => c.body(configJson, 200, { "content-type": "application/json; charset=utf-8" }), false);
  hono.get("/config", sendConfig);
  hono.get(`${prefix}/config`, sendConfig);
  hono.get(`${prefix}/info`, guarded((c) => c.body(infoJson, 200, { "content-type": "application/json; charset=utf-8" }), false));
  hono.get(`${prefix}/app_id`, guarded((c) => c.json({ app_id: 0 }), false));

  const queue = mountQueue(hono, { app, settings, guard, streams });
  const renderer = settings.renderer ? mountRenderer(hono, { app, settings, guard, streams }, settings.renderer === true ? undefined : settings.renderer) : undefined;

  answerFailures(hono);

  const handler = ((request: Request) => Promise.resolve(hono.fetch(request))) as GradioHandler;
  Object.defineProperties(handler, {
    app: { value: app, enumerable: true },
    hono: { value: hono, enumerable: true },
    close: {
      value: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        queue.close();
        await renderer?.close();
        streams.endAll();
        if (ownsApp) await app.close();
      },
    },
  });
  return handler;
}

/**
 * `serve(demo)`: the request handler on a Node HTTP server (docs/07).
 *
 * @packageDocumentation
 */
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkOptions, describeValue, isRecord } from "../core/errors";
import { Blocks } from "../blocks/blocks";
import { App, LAUNCH_OPTIONS, type LaunchOptions } from "../runtime/app";
import { answerFailures, createGuard } from "./guard";
import { createHandler, type GradioHandler, type HandlerOptions } from "./handler";
import { HANDLER_OPTIONS } from "./options";
import { resolveSettings } from "./options";
import { indexPage } from "./renderer";

/** Options of {@link serve}: where to listen, the handler's options and `launch()`'s. */
export interface ServeOptions extends HandlerOptions, LaunchOptions {
  /** Address to listen on. Default `"127.0.0.1"` (this machine only). */
  host?: string;
  /** TCP port. Default 7860, as Gradio; `0` picks a free one (read it from `url`). */
  port?: number;
}

/** A running server. */
export interface RunningServer {
  /** `http://HOST:PORT` (no trailing slash): what `Client.connect(url)` takes. */
  readonly url: string;
  /** The app it serves (serving several: the first). */
  readonly app: App;
  /** The apps it serves by mount name (`{ cart: app }` for `/cart/`); one app served at `/` is `""`. */
  readonly apps: Readonly<Record<string, App>>;
  /** Ends open event streams, stops listening (frees the port) and closes the app. */
  close(): Promise<void>;
}

const SERVE_OPTIONS = ["host", "port"] as const;
const LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"];

/**
 * Serves an app on Gradio's protocol, so `@gradio/client`, Python's `gradio_client` and curl
 * can call it. Launches `demo` with the launch options given (or serves an already launched
 * App), and listens on `host:port`. Bound to a loopback address, it answers only requests
 * addressed to a loopback host name (against DNS rebinding) unless `allowedHosts` says more.
 *
 * Given several apps by name (`{ cart: cartDemo, chat: chatDemo }`), it serves each under its
 * own path (`/cart/`, `/chat/`: `Client.connect(server.url + "/cart")`), with the same options
 * but `root`, which each app gets with its path added (`root: "https://host/apps"` gives the
 * cart app `"https://host/apps/cart"`); with a `renderer`, `/` lists them.
 *
 * ```ts
 * const server = await serve(demo, { port: 0 });
 * const client = await Client.connect(server.url);
 * await server.close();
 * ```
 *
 * @throws (rejects) TypeError for an unknown option, an invalid value or an app name that is
 *   not a path segment; the listen error (`EADDRINUSE`, ...) when the port cannot be used.
 */
export async function serve(demo: Blocks | App | Readonly<Record<string, Blocks | App>>, options: ServeOptions = {}): Promise<RunningServer> {
  const { host = "127.0.0.1", port = 7860, ...rest } = checkOptions("serve()", options, [...SERVE_OPTIONS, ...HANDLER_OPTIONS, ...LAUNCH_OPTIONS]);
  if (typeof host !== "string" || host === "") throw new TypeError(`serve(): host must be a host name or address; got ${describeValue(host)}.`);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`serve(): port must be an integer from 0 to 65535; got ${describeValue(port)}.`);
  }
  const named = demo instanceof Blocks || demo instanceof App ? undefined : demo;
  if (named !== undefined) {
    const names = isRecord(named) ? Object.keys(named) : [];
    if (names.length === 0) throw new TypeError(`serve(): expected a Blocks, a launched App or apps by name ({ cart: demo }); got ${describeValue(demo)}.`);
    const bad = names.find((n) => !/^[A-Za-z0-9][\w-]*$/.test(n));
    if (bad !== undefined) throw new TypeError(`serve(): app name ${describeValue(bad)} must be a path segment (letters, digits, "_", "-").`);
  }
  const loopback = LOOPBACK.includes(host);
  const handlerOptions = { ...rest, allowedHosts: rest.allowedHosts !== undefined ? rest.allowedHosts : loopback ? LOOPBACK : null };
  const handlers = new Map<string, GradioHandler>();
  let fetch: (request: Request) => Response | Promise<Response>;
  try {
    if (named === undefined) {
      const handler = createHandler(demo as Blocks | App, handlerOptions);
      handlers.set("", handler);
      fetch = handler;
    } else {
      for (const [name, one] of Object.entries(named)) handlers.set(name, createHandler(one, { ...handlerOptions, root: mountedRoot(handlerOptions.root, name) }));
      fetch = mountAll(handlers, handlerOptions).fetch;
    }
  } catch (e) {
    await Promise.all([...handlers.values()].map((h) => h.close()));
    throw e;
  }
  const closeAll = () => Promise.all([...handlers.values()].map((h) => h.close())).then(() => undefined);
  const server = createAdaptorServer({ fetch }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await closeAll();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const apps = Object.fromEntries([...handlers].map(([name, h]) => [name, h.app]));
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    app: handlers.values().next().value!.app,
    apps,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeAll();
        // Let the ended streams reach their clients (an end, not a reset), then cut the rest.
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

/**
 * The `root` of an app mounted at `/<name>`: the server's root with the mount path, as
 * Gradio's `get_root_url` includes it (clients prefix every path with it). Anything but a
 * string is passed on, for `createHandler` to refuse.
 */
function mountedRoot(root: string | undefined, name: string): string | undefined {
  return typeof root === "string" ? `${root.replace(/\/+$/, "")}/${name}` : root;
}

/** Several apps' handlers, each under `/<name>` (`/<name>` itself redirects to `/<name>/`), and their index at `/`. */
function mountAll(handlers: ReadonlyMap<string, GradioHandler>, options: HandlerOptions): Hono {
  const settings = resolveSettings({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins, renderer: options.renderer });
  const guard = createGuard(settings, () => false);
  const root = new Hono();
  root.use("*", guard.middleware);
  if (settings.renderer) {
    const title = (settings.renderer !== true && settings.renderer.title) || "blockstate apps";
    const list = [...handlers].map(([name, h]) => ({ name, title: h.app.blocks.config().title }));
    root.get("/", guard.guarded(() => indexPage(title, list, settings.renderer !== true), false));
  }
  for (const [name, handler] of handlers) {
    root.get(`/${name}`, (c) => c.redirect(`/${name}/`, 301));
    root.mount(`/${name}`, handler);
  }
  answerFailures(root);
  return root;
}

/**
 * `serve(demo)`: the request handler on a Node HTTP server (docs/07).
 *
 * @packageDocumentation
 */
import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkOptions, describeValue } from "../core/errors";
import type { Blocks } from "../blocks/blocks";
import { LAUNCH_OPTIONS, type App, type LaunchOptions } from "../runtime/app";
import { HANDLER_OPTIONS, createHandler, type HandlerOptions } from "./handler";

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
  /** The app it serves. */
  readonly app: App;
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
 * ```ts
 * const server = await serve(demo, { port: 0 });
 * const client = await Client.connect(server.url);
 * await server.close();
 * ```
 *
 * @throws (rejects) TypeError for an unknown option or an invalid value; the listen error
 *   (`EADDRINUSE`, ...) when the port cannot be used.
 */
export async function serve(demo: Blocks | App, options: ServeOptions = {}): Promise<RunningServer> {
  const { host = "127.0.0.1", port = 7860, ...rest } = checkOptions("serve()", options, [...SERVE_OPTIONS, ...HANDLER_OPTIONS, ...LAUNCH_OPTIONS]);
  if (typeof host !== "string" || host === "") throw new TypeError(`serve(): host must be a host name or address; got ${describeValue(host)}.`);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`serve(): port must be an integer from 0 to 65535; got ${describeValue(port)}.`);
  }
  const loopback = LOOPBACK.includes(host);
  const handler = createHandler(demo, { ...rest, allowedHosts: rest.allowedHosts !== undefined ? rest.allowedHosts : loopback ? LOOPBACK : null });
  const server = createAdaptorServer({ fetch: handler }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await handler.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    app: handler.app,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await handler.close();
        // Let the ended streams reach their clients (an end, not a reset), then cut the rest.
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

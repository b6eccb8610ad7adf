/**
 * The checks every route goes through: the `Host` a request is addressed to (DNS rebinding),
 * the page a request comes from (`Origin`, `Sec-Fetch-Site`: CSRF), CORS for allowed origins,
 * and the answer to a refused request.
 *
 * @packageDocumentation
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { describeValue } from "../core/errors";
import type { Settings } from "./options";
import { Refusal } from "./request";

/** A route's answer. */
export type Route = (c: Context) => Promise<Response> | Response;

/** @internal The checks of one handler. */
export interface Guard {
  /** For every request: the Host check and CORS preflights. */
  readonly middleware: MiddlewareHandler;
  /**
   * A route with the checks: refused while the handler is closed, refused for a cross-site
   * page when it `writes` (opens sessions, sends events, reads their streams), CORS headers for
   * allowed origins, and any `Refusal` it throws answered.
   */
  guarded(route: Route, writes: boolean): (c: Context) => Promise<Response>;
}

/** @internal The JSON answer to a refused request. */
export function refusalResponse(c: Context, refusal: Refusal): Response {
  // A body too large is left unread, so the connection cannot carry another request: say so,
  // or a client reusing it sees its next request fail.
  const headers = refusal.status === 413 ? { connection: "close" } : undefined;
  return c.json({ status: "error", detail: refusal.detail ?? refusal.message, error: refusal.message, code: refusal.code }, refusal.status as 400, headers);
}

/** @internal The checks for a handler with these settings; `isClosed` tells whether it was closed. */
export function createGuard(settings: Settings, isClosed: () => boolean): Guard {
  function ownOrigin(request: Request): string {
    return new URL(request.url).origin;
  }

  function allowedOrigin(origin: string, request: Request): boolean {
    return origin === ownOrigin(request) || settings.origins.includes("*") || settings.origins.includes(origin);
  }

  /** Cross-site pages may not open sessions or send events (CSRF). */
  function checkOrigin(request: Request): void {
    const origin = request.headers.get("origin");
    if (origin !== null) {
      if (allowedOrigin(origin, request)) return;
      throw new Refusal(403, `Requests from the page at ${describeValue(origin)} are not allowed; allow its origin with the server's allowedOrigins option.`);
    }
    const site = request.headers.get("sec-fetch-site");
    if ((site === "cross-site" || site === "same-site") && !settings.origins.includes("*")) {
      throw new Refusal(403, `Cross-site requests (Sec-Fetch-Site: ${site}) are not allowed; allow the page's origin with the allowedOrigins option.`);
    }
  }

  function withCors(request: Request, response: Response): Response {
    const origin = request.headers.get("origin");
    if (origin === null || origin === ownOrigin(request) || !allowedOrigin(origin, request)) return response;
    response.headers.set("access-control-allow-origin", origin);
    response.headers.append("vary", "origin");
    return response;
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    if (settings.hosts) {
      const host = (c.req.header("host") ?? new URL(c.req.url).host).toLowerCase().replace(/:\d+$/, "");
      if (!settings.hosts.includes(host)) return refusalResponse(c, new Refusal(403, `Host ${describeValue(host)} is not served.`));
    }
    if (c.req.method === "OPTIONS") {
      const origin = c.req.header("origin");
      if (!origin || !allowedOrigin(origin, c.req.raw)) return c.body(null, 403);
      return c.body(null, 204, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": c.req.header("access-control-request-headers") ?? "content-type",
        "access-control-max-age": "600",
        vary: "origin",
      });
    }
    await next();
  };

  return {
    middleware,
    guarded(route, writes) {
      return async (c: Context): Promise<Response> => {
        try {
          if (isClosed()) throw new Refusal(503, "The server is shutting down.");
          if (writes) checkOrigin(c.req.raw);
          const response = await route(c);
          return withCors(c.req.raw, response);
        } catch (e) {
          if (e instanceof Refusal) return withCors(c.req.raw, refusalResponse(c, e));
          throw e;
        }
      };
    },
  };
}

/**
 * @internal The answers of a Hono app for a path it does not serve (404) and for a fault of the
 * server itself (500): never an exception's text, which may say what `showError` hides.
 */
export function answerFailures(hono: Hono): void {
  hono.notFound((c) => refusalResponse(c, new Refusal(404, `Nothing at ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}.`)));
  hono.onError((_e, c) => refusalResponse(c, new Refusal(500, "Internal server error.", "internal")));
}

/**
 * `npx blockstate serve path/to/app.ts [--port N] [--host H]`: serves the Blocks a module
 * exports as its default export, like `python app.py` does for Gradio (docs/07).
 *
 * @packageDocumentation
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { Blocks } from "../blocks/blocks";
import { describeValue, messageOf } from "../core/errors";
import { serve, type RunningServer } from "./serve";

const USAGE = `Usage: blockstate serve <app file> [--port N] [--host H]

Serves the gr.Blocks that <app file> exports as its default export on Gradio's protocol
(@gradio/client, gradio_client, curl). TypeScript files need tsx installed (npm i -D tsx).
  --port N   TCP port (default 7860; 0 picks a free one); --port=N too
  --host H   address to listen on (default 127.0.0.1: this machine only)`;

/** Where the command writes (replaced in tests). */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const consoleIO: CliIO = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * Loads a module and returns its default export, which must be a Blocks.
 *
 * TypeScript goes through tsx's `require` hook. A `.mjs` file, and an ES module that `require`
 * cannot load (Node 20's `ERR_REQUIRE_ESM`; top-level `await` on Node 22 and later), is
 * imported. In Node, `import "blockstate"` and `require("blockstate")` load the same build (the
 * `exports` map's `node` condition), so an app of either kind shares this command's classes.
 *
 * @throws Error when the file cannot be loaded, or its default export is no Blocks (naming the
 *   file, and saying so when it is a Blocks of another copy of blockstate).
 */
export async function loadApp(file: string): Promise<Blocks> {
  const full = path.resolve(file);
  if (/\.[cm]?tsx?$/.test(full)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("tsx/cjs/api") as { register(): void }).register();
    } catch {
      throw new Error(`${file} is TypeScript: install tsx (npm i -D tsx) so blockstate can load it, or compile it to JavaScript.`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = full.endsWith(".mjs") ? await importFile(full) : await requireOrImport(full);
  } catch (e) {
    throw new Error(`Could not load ${file}: ${messageOf(e)}`);
  }
  const demo = mod.default;
  if (demo instanceof Blocks) return demo;
  if (isForeignBlocks(demo)) {
    throw new Error(
      `${file} exports a gr.Blocks made by another copy of blockstate than this command's: run the command of the copy the app imports (npx blockstate serve ${file}, from the app's project).`,
    );
  }
  throw new Error(`${file} must export a gr.Blocks as its default export (export default demo); its default export is ${describeValue(demo)}.`);
}

/** `require`, else `import` for an ES module that `require` refuses. */
async function requireOrImport(full: string): Promise<Record<string, unknown>> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(full) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === "ERR_REQUIRE_ESM" || code === "ERR_REQUIRE_ASYNC_MODULE") return importFile(full);
    throw e;
  }
}

/**
 * A real dynamic `import()`: tsc's CommonJS output turns `import(x)` into `require(x)`, which
 * cannot load an ES module on Node 20.
 */
const importFile = (full: string): Promise<Record<string, unknown>> =>
  (new Function("url", "return import(url)") as (url: string) => Promise<Record<string, unknown>>)(pathToFileURL(full).href);

/** Whether `value`'s class is a Blocks (or a subclass) of another copy of the package. */
function isForeignBlocks(value: unknown): boolean {
  for (let proto = typeof value === "object" && value !== null ? Object.getPrototypeOf(value) : null; proto; proto = Object.getPrototypeOf(proto)) {
    if (typeof proto.constructor === "function" && proto.constructor.name === "Blocks") return true;
  }
  return false;
}

/**
 * Runs the command. Resolves to the running server (stopped by SIGINT/SIGTERM), or to an exit
 * code for a usage error or an app that cannot be loaded or served.
 */
export async function main(argv: readonly string[], io: CliIO = consoleIO): Promise<RunningServer | number> {
  const [command, ...rest] = argv;
  if (command !== "serve") {
    io.err(command === undefined || command === "--help" || command === "-h" ? USAGE : `Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  let file: string | undefined;
  let port = 7860;
  let host = "127.0.0.1";
  for (let i = 0; i < rest.length; i++) {
    // `--port 7861` or `--port=7861`, as Node's own options.
    const eq = /^--(?:port|host)=/.test(rest[i]) ? rest[i].indexOf("=") : -1;
    const arg = eq < 0 ? rest[i] : rest[i].slice(0, eq);
    if (arg === "--port" || arg === "--host") {
      const value = eq < 0 ? rest[++i] : rest[i].slice(eq + 1);
      if (value === undefined) return usage(io, `${arg} needs a value.`);
      if (arg === "--port") {
        if (!/^\d+$/.test(value) || Number(value) > 65535) return usage(io, `--port must be a number from 0 to 65535; got ${JSON.stringify(value)}.`);
        port = Number(value);
      } else host = value;
    } else if (arg.startsWith("-")) return usage(io, `Unknown option ${JSON.stringify(arg)}.`);
    else if (file === undefined) file = arg;
    else return usage(io, `One app file only; got ${JSON.stringify(file)} and ${JSON.stringify(arg)}.`);
  }
  if (file === undefined) return usage(io, "Which app? Give the file that exports it.");
  let server: RunningServer;
  try {
    server = await serve(await loadApp(file), { host, port });
  } catch (e) {
    io.err(messageOf(e));
    return 1;
  }
  io.out(`Running on ${server.url} (Gradio API at ${server.url}/gradio_api/info). Press Ctrl+C to stop.`);
  const stop = () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    void server.close();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return server;
}

function usage(io: CliIO, problem: string): number {
  io.err(`${problem}\n\n${USAGE}`);
  return 2;
}

/**
 * The reference web renderer's server: `blockstate/server`'s `serve`, given the renderer's files
 * (`client.ts` + `renderer.ts` bundled with esbuild when the server starts, and `renderer.css`).
 * Each app gets its page at `/<app>/`, the renderer protocol (docs/protocol.md §5) under
 * `/<app>/renderer/` and Gradio's protocol (docs/07) at `/<app>/`, all on the same app; `/`
 * lists the apps.
 *
 * ```ts
 * const server = await startWebServer({ cart: cartApp() }, { port: 0 });
 * console.log(server.url); // http://127.0.0.1:PORT
 * await server.close();
 * ```
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as gr from "blockstate";
import { serve, type RendererAssets, type RunningServer, type ServeOptions } from "blockstate/server";

/** Serves `apps`, each under its name, with the reference renderer (`serve`'s options besides `renderer`). */
export async function startWebServer(apps: Record<string, gr.Blocks>, options: Omit<ServeOptions, "renderer"> & { title?: string } = {}): Promise<RunningServer> {
  const { title, ...rest } = options;
  return serve(apps, { ...rest, renderer: { ...(await rendererAssets()), title } });
}

/** Bundles the browser renderer (esbuild is a dev dependency, used only here). */
export async function rendererAssets(): Promise<RendererAssets> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(__dirname, "client.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  return { script: result.outputFiles[0].text, style: readFileSync(path.join(__dirname, "renderer.css"), "utf8") };
}

/**
 * `blockstate/server`: serves apps on Gradio's HTTP protocol (`sse_v3`), for `@gradio/client`,
 * Python's `gradio_client` and curl (docs/07), and with the `renderer` option on the renderer
 * protocol for browser renderers (docs/protocol.md §5). Node only.
 *
 * ```ts
 * import { serve } from "blockstate/server";
 * const server = await serve(demo, { port: 7860 });
 * ```
 *
 * @packageDocumentation
 */
export { serve, type ServeOptions, type RunningServer } from "./serve";
export { createHandler, type HandlerOptions, type GradioHandler, type RendererAssets } from "./handler";
export { gradioConfig, apiInfo, valueSchema, type ValueSchema, type ApiInfo, type EndpointInfo, type ParameterInfo, type ReturnInfo, type GradioConfigOptions } from "../blocks/gradio-api";

/**
 * Node-only additions (`blockstate/node`): kept out of the main entry point so that a browser
 * bundle of `blockstate` never pulls in `node:fs`.
 *
 * ```ts
 * import * as gr from "blockstate";
 * import { FileStorage } from "blockstate/node";
 *
 * const session = await app.connect({ storage: new FileStorage(".data/browser-state.json") });
 * ```
 *
 * @packageDocumentation
 */
export { FileStorage } from "./file-storage";

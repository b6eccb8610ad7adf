/**
 * Checking a listener's options at build time (S30): names, types and defaults. The listener
 * itself (`Dependency`) and the options' type are in block.ts with the types that name them.
 *
 * @packageDocumentation
 */
import { checkOptions, checkSeconds, describeValue } from "../core/errors";
import { skip } from "./update";
import { toArray } from "./lists";
import { Dependency, type ListenerOptions, type ResolvedListenerOptions, type Trigger } from "./block";

/** The names of {@link ListenerOptions}: anything else is refused at registration. */
export const LISTENER_OPTIONS: readonly (keyof ListenerOptions)[] = [
  "apiName",
  "apiVisibility",
  "triggerMode",
  "concurrencyLimit",
  "concurrencyId",
  "queue",
  "cancels",
  "timeLimit",
  "showProgress",
  "generator",
  "validator",
  "key",
  "batch",
  "maxBatchSize",
  "js",
];

/**
 * @internal Applies defaults and checks options at build time (programmer errors throw here),
 * by name (nothing outside {@link LISTENER_OPTIONS}) and by type: a wrong type would otherwise
 * surface later and elsewhere (a BigInt `apiName` breaks `config()`).
 *
 * @throws TypeError "`where`: `option` must be …; got …" naming the listener's trigger, the
 *   option and the value.
 */
export function resolveOptions(
  options: ListenerOptions,
  triggers: readonly Trigger[],
  where: string,
): ResolvedListenerOptions {
  checkOptions(where, options, LISTENER_OPTIONS);
  const { apiName, concurrencyLimit = "default", concurrencyId, queue = true, timeLimit = null, showProgress = "full" } = options;
  const refuse = (option: string, expected: string, value: unknown): never => {
    throw new TypeError(`${where}: ${option} must be ${expected}; got ${describeValue(value)}.`);
  };
  if (apiName !== undefined && apiName !== false && (typeof apiName !== "string" || apiName === "")) {
    refuse("apiName", "a non-empty string or false", apiName);
  }
  if (concurrencyLimit !== null && concurrencyLimit !== "default") {
    if (typeof concurrencyLimit !== "number" || !Number.isInteger(concurrencyLimit) || concurrencyLimit < 1) {
      refuse("concurrencyLimit", 'a positive integer, null or "default"', concurrencyLimit);
    }
  }
  if (concurrencyId != null && (typeof concurrencyId !== "string" || concurrencyId === "")) {
    refuse("concurrencyId", "a non-empty string", concurrencyId);
  }
  if (typeof queue !== "boolean") refuse("queue", "true or false", queue);
  if (timeLimit !== null) checkSeconds(`${where}: timeLimit (or null)`, timeLimit);
  if (!SHOW_PROGRESS.includes(showProgress)) refuse("showProgress", '"full", "minimal" or "hidden"', showProgress);
  const mode = options.triggerMode ?? (triggers[0]?.event === "change" ? "always_last" : "once");
  if (!TRIGGER_MODES.includes(mode)) refuse("triggerMode", '"once", "multiple" or "always_last"', mode);
  if (options.generator !== undefined && typeof options.generator !== "boolean") refuse("generator", "true or false", options.generator);
  if (options.validator !== undefined && typeof options.validator !== "function") refuse("validator", "a function", options.validator);
  const key = options.key ?? undefined;
  if (key !== undefined && typeof key !== "string" && !(typeof key === "number" && Number.isFinite(key))) refuse("key", "a string or a finite number (or null)", key);
  const { batch = false, maxBatchSize = 4 } = options;
  if (typeof batch !== "boolean") refuse("batch", "true or false", batch);
  if (typeof maxBatchSize !== "number" || !Number.isInteger(maxBatchSize) || maxBatchSize < 1) refuse("maxBatchSize", "a positive integer", maxBatchSize);
  if (batch && options.validator !== undefined) throw new TypeError(`${where}: a batch listener cannot have a validator.`);
  const { apiVisibility = apiName === false ? "private" : "public" } = options;
  if (!API_VISIBILITY.includes(apiVisibility)) refuse("apiVisibility", '"public", "private" or "undocumented"', apiVisibility);
  if (apiVisibility !== "private" && apiName === false) refuse("apiVisibility", '"private" (or left out) with apiName: false', apiVisibility);
  const js = options.js ?? undefined;
  if (js !== undefined && typeof js !== "string") refuse("js", "JavaScript source (a string) or null", js);
  const cancels = toArray<Dependency>(options.cancels);
  cancels.forEach((d, i) => {
    if (!(d instanceof Dependency)) refuse(Array.isArray(options.cancels) ? `cancels[${i}]` : "cancels", "a listener (what registering one returns)", d);
  });
  return {
    apiName: apiVisibility === "private" ? false : apiName,
    apiVisibility,
    triggerMode: mode,
    concurrencyLimit,
    concurrencyId: concurrencyId ?? undefined,
    queue,
    cancels,
    timeLimit,
    showProgress,
    generator: options.generator,
    validator: options.validator,
    key,
    batch,
    maxBatchSize,
    js,
  };
}

const TRIGGER_MODES: readonly unknown[] = ["once", "multiple", "always_last"];
const API_VISIBILITY: readonly unknown[] = ["public", "private", "undocumented"];
const SHOW_PROGRESS: readonly unknown[] = ["full", "minimal", "hidden"];

/**
 * @internal The function of a listener registered with `fn: null` and `js` (Gradio's
 * `fn=None`): it writes no output (`gr.skip()`), as nothing runs outside a page.
 */
export function js(): unknown {
  return skip();
}

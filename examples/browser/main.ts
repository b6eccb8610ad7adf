/**
 * The seed 002 BrowserState example running in the page itself: the blockstate app, its
 * session and `window.localStorage` as the session's storage (S90), behind a minimal
 * hand-written DOM view. Bundled by `scripts/build-browser-example.mjs` (esbuild, platform
 * browser: a Node-only import anywhere in blockstate would fail that build).
 *
 * The view forwards `input` events with `session.input` and clicks with `session.click`, and
 * renders `session.value$`/`props$`; warnings and errors from `session.messages$` (an
 * unreadable stored entry, S91; a full storage, S94) are listed under the form.
 */
import * as gr from "blockstate";
import { create } from "../browser-state";

/** What the page exposes for tests driving it (`spec/browser/browser-state.test.ts`). */
export interface BrowserStatePageHooks {
  /** The localStorage key the example's BrowserState is stored under (S93). */
  storageKey: string;
  /** Resolves when the session is idle and its storage writes have landed. */
  idle(): Promise<void>;
}

declare global {
  interface Window {
    blockstate?: BrowserStatePageHooks;
  }
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found as T;
}

/** Shows a text component's value in `target`, and its `visible` prop as `hidden`. */
function showText(session: gr.Session, component: gr.Markdown, target: HTMLElement): void {
  session.value$(component).subscribe((text) => (target.textContent = text));
  session.props$(component).subscribe((props) => (target.hidden = props.visible === false));
}

/** Binds an `<input>` to a Textbox both ways. */
function bindInput(session: gr.Session, component: gr.Textbox, input: HTMLInputElement): void {
  // Only write when it differs, so the caret does not jump while the user types.
  session.value$(component).subscribe((value) => {
    if (input.value !== value) input.value = value;
  });
  input.addEventListener("input", () => void session.input(component, input.value));
}

async function main(): Promise<void> {
  const { demo, intro, username, password, generate, localStorage: stored, savedMessage } = create();
  const app = demo.launch();
  // connect() reads the BrowserState from localStorage and runs the load listener that
  // copies it into the two Textboxes.
  const session = await app.connect({ storage: window.localStorage });

  showText(session, intro, element("intro"));
  showText(session, savedMessage, element("saved"));
  bindInput(session, username, element("username"));
  bindInput(session, password, element("password"));
  element("generate").addEventListener("click", () => void session.click(generate));

  const list = element<HTMLUListElement>("messages");
  session.messages$.subscribe((message) => {
    if (message.type !== "warning" && message.type !== "error") return;
    const item = document.createElement("li");
    item.className = message.type;
    item.textContent = `${message.type === "warning" ? "⚠️" : "⛔"} ${message.message}`;
    list.append(item);
  });

  const storageKey = app._browserStates.storageKeyOf(stored);
  element("storage-key").textContent = storageKey;
  window.blockstate = { storageKey, idle: () => session.idle() };
  document.body.dataset.ready = "true";
}

main().catch((error: unknown) => {
  document.body.dataset.ready = "error";
  const pre = document.createElement("pre");
  pre.id = "fatal";
  pre.textContent = error instanceof Error ? (error.stack ?? error.message) : String(error);
  document.body.append(pre);
});

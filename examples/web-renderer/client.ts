/**
 * The browser entry of the reference web renderer (bundled by the server with esbuild): reads
 * the app config embedded in the page, draws it with {@link Renderer}, and connects the page to
 * its own session over the renderer protocol (docs/protocol.md §5), which `blockstate/server`
 * serves next to the page (URLs relative to it):
 *
 * - `GET renderer/events` (Server-Sent Events) opens a new session; its first event, `snapshot`, names
 *   the session and carries `session.snapshot()` and `session.renders()`; then `update` (`updates$` items) and `message`
 *   (`messages$` items) events follow. Closing the page closes the session.
 * - `POST renderer/dispatch` with `{ session, seq, id, event, data }` sends one user event; `seq` numbers
 *   the page's events so the server starts them in the order the user made them.
 *
 * @packageDocumentation
 */
import type { AppConfig, RenderConfig } from "blockstate";
import { Renderer, type DispatchResult } from "./renderer";

function start(): void {
  const root = document.getElementById("app");
  const configScript = document.getElementById("bs-config");
  if (!root || !configScript?.textContent) throw new Error("blockstate renderer: the page has no #app element or #bs-config script.");
  const config = JSON.parse(configScript.textContent) as AppConfig;

  let session: string | undefined;
  let seq = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const renderer = new Renderer(root, config, async (message) => {
    await ready; // events made before the session exists wait for it, in order
    const body = JSON.stringify({ session, seq: seq++, ...message });
    const response = await fetch("renderer/dispatch", { method: "POST", headers: { "content-type": "application/json" }, body });
    return (await response.json()) as DispatchResult;
  });

  const events = new EventSource("renderer/events");
  let lost: HTMLElement | undefined;
  events.addEventListener("snapshot", (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as {
      session: string;
      components: Record<string, { value: unknown; props: Record<string, unknown> }>;
      renders?: Record<string, RenderConfig>;
    };
    if (session !== undefined && session !== data.session) {
      renderer.toast({ type: "warning", title: "Reconnected", message: "The connection was lost; this page now has a new session, so its state was reset." });
    }
    session = data.session;
    seq = 0;
    lost?.remove();
    lost = undefined;
    root.dataset.session = "connected";
    root.dataset.sessionHash = data.session;
    renderer.applySnapshot(data.components);
    renderer.applyRenders(data.renders ?? {});
    markReady();
  });
  events.addEventListener("update", (e) => renderer.applyUpdate(JSON.parse((e as MessageEvent<string>).data)));
  events.addEventListener("message", (e) => renderer.showMessage(JSON.parse((e as MessageEvent<string>).data)));
  events.addEventListener("error", () => {
    root.dataset.session = "disconnected";
    if (lost || unloading) return;
    lost = renderer.toast({ type: "error", title: "Connection lost", message: "Lost the connection to the server; trying to reconnect.", duration: null });
  });
  let unloading = false;
  // Close the stream ourselves so the server closes the session (S13) at once.
  addEventListener("pagehide", () => {
    unloading = true;
    renderer.flush();
    events.close();
  });
  // Back from the back/forward cache, the stream (and so the session) is gone: start afresh.
  addEventListener("pageshow", (e) => {
    if (e.persisted) location.reload();
  });
}

start();

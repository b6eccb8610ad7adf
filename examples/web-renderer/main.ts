/**
 * `npm run demo:web`: serves the seed apps, the showcase and a `gr.render` app with the reference web renderer on
 * 127.0.0.1 (port `$PORT`, default 7860, Gradio's; a free port when that one is taken).
 * Stops on Ctrl-C.
 */
import { cartApp, chatApp, chatInterfaceApp, examplesApp, interfaceChatApp, layoutEventsApp, renderApp, showcaseApp } from "./apps";
import { startWebServer } from "./server";

async function main(): Promise<void> {
  const apps = { cart: cartApp(), chatbot: interfaceChatApp(), chat: chatApp(), chatinterface: chatInterfaceApp(), showcase: showcaseApp(), render: renderApp(), examples: examplesApp(), layout: layoutEventsApp() };
  const title = "blockstate: reference web renderer";
  let server;
  try {
    server = await startWebServer(apps, { title, port: Number(process.env.PORT ?? 7860) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    server = await startWebServer(apps, { title, port: 0 });
  }
  console.log(`blockstate web renderer running at ${server.url}/`);
  for (const name of Object.keys(apps)) console.log(`  ${server.url}/${name}/   (Gradio API: Client.connect("${server.url}/${name}"))`);
  console.log("Press Ctrl-C to stop.");
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second Ctrl-C: stop at once
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

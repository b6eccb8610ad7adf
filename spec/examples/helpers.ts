import type * as gr from "blockstate";
import { Transcript } from "blockstate/testing";

/** Runs an example's scenario on a fresh Transcript and closes its apps. */
export async function runScenario(scenario: (t: Transcript) => Promise<void>): Promise<Transcript> {
  const t = new Transcript();
  try {
    await scenario(t);
  } finally {
    await t.close();
  }
  return t;
}

/** Launches `demo`, runs `body` with the app, and closes it whatever happens. */
export async function withApp<T>(demo: gr.Blocks, body: (app: gr.App) => Promise<T>, options?: gr.LaunchOptions): Promise<T> {
  const app = demo.launch(options);
  try {
    return await body(app);
  } finally {
    await app.close();
  }
}

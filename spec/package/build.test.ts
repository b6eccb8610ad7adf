/**
 * The published package (issue 2): `npm run build` emits CommonJS and ES modules wired through
 * the `exports` map, and each entry point loads and runs in plain Node, as a consumer's
 * `require` or `import` would load it (jest itself maps `blockstate` to `src/`, so only a
 * separate Node process sees what ships).
 *
 * The processes resolve `blockstate` by package self-reference (Node resolves a package's own
 * name through its `exports` from inside it), so no install step is needed.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** A small app: a click increments a State and shows it; prints what a user saw. */
const APP = `
  let add, shown;
  const demo = new gr.Blocks(() => {
    const count = new gr.State(0);
    add = new gr.Button("+");
    shown = new gr.Number();
    add.click((c) => [c + 1, c + 1], [count], [count, shown]);
  });
  const app = demo.launch({ clock: new testing.ManualClock() });
  const alice = await app.connect({ storage: new gr.MemoryStorage() });
  const result = await alice.click(add);
  await app.close();
  console.log(JSON.stringify({ result, shown: alice.get(shown), node: typeof nodeOnly.FileStorage, redis: typeof redis.redisStore(), memory: typeof new gr.MemoryStore()._attach }));
`;

function run(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const expected = { result: { status: "complete" }, shown: 1, node: "function", redis: "object", memory: "function" };

describe("the built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "pipe" });
  }, 120_000);

  it("loads every entry point with require (CommonJS) and runs an app", () => {
    const script = `
      const gr = require("blockstate");
      const testing = require("blockstate/testing");
      const nodeOnly = require("blockstate/node");
      const redis = require("blockstate/redis");
      (async () => { ${APP} })();
    `;
    expect(run(["-e", script])).toEqual(expected);
  });

  it("loads every entry point with import (ES modules) and runs an app", () => {
    const script = `
      import * as gr from "blockstate";
      import * as testing from "blockstate/testing";
      import * as nodeOnly from "blockstate/node";
      import * as redis from "blockstate/redis";
      ${APP}
    `;
    expect(run(["--input-type=module", "-e", script])).toEqual(expected);
  });

  /** Serves a one-listener app and calls it with the curl API; prints the answer. */
  const SERVED = `
    const demo = new gr.Blocks(() => {
      const name = new gr.Textbox();
      const out = new gr.Textbox();
      new gr.Button().click((n) => "Hello, " + n, name, out, { apiName: "greet" });
    });
    const s = await server.serve(demo, { port: 0 });
    const started = await fetch(s.url + "/gradio_api/call/greet", { method: "POST", body: JSON.stringify({ data: ["Ada"] }) });
    const { event_id } = await started.json();
    const text = await (await fetch(s.url + "/gradio_api/call/greet/" + event_id)).text();
    await s.close();
    console.log(JSON.stringify({ text }));
  `;

  it("serves an app with blockstate/server, from require and from import", () => {
    const answer = { text: 'event: complete\ndata: ["Hello, Ada"]\n\n' };
    const cjs = `const gr = require("blockstate"); const server = require("blockstate/server"); (async () => { ${SERVED} })();`;
    expect(run(["-e", cjs])).toEqual(answer);
    const esm = `import * as gr from "blockstate"; import * as server from "blockstate/server"; ${SERVED}`;
    expect(run(["--input-type=module", "-e", esm])).toEqual(answer);
  });
});

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
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";

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
  console.log(JSON.stringify({ result, shown: alice.get(shown), node: typeof nodeOnly.FileStorage, sameCell: add instanceof blocks.Cell, redis: typeof redis.redisStore(), memory: typeof new gr.MemoryStore()._attach }));
`;

function run(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const expected = { result: { status: "complete" }, shown: 1, node: "function", sameCell: true, redis: "object", memory: "function" };

describe("the built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "pipe" });
  }, 120_000);

  it("emits no underscore member in dist/types (internal members are @internal, stripped)", () => {
    const found: string[] = [];
    const dir = join(root, "dist", "types");
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".d.ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(join(dir, file), "utf8"), ts.ScriptTarget.ES2022);
      const visit = (node: ts.Node): void => {
        // Declarations of every kind (members, exports, type members); a plain parameter's name
        // (`_props`) is no member.
        const name = (node as { name?: ts.Node }).name;
        if (name && ts.isIdentifier(name) && name.text.startsWith("_") && !ts.isParameter(node)) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push(`${file}:${line + 1} ${name.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  it("emits declarations a consumer type-checks against, launch included (no stripped name left dangling)", () => {
    const dir = mkdtempSync(join(tmpdir(), "blockstate-types-"));
    try {
      const consumer = join(dir, "consumer.ts");
      writeFileSync(
        consumer,
        `import * as gr from "blockstate";
         import { ManualClock } from "blockstate/testing";
         import { FileStorage } from "blockstate/node";
         import { serve } from "blockstate/server";
         import { redisStore } from "blockstate/redis";
         import { Cell, Dependency } from "blockstate/blocks";
         const demo = new gr.Blocks(() => { new gr.Button("+"); });
         const app: gr.App = demo.launch({ clock: new ManualClock() });
         export const s: Promise<gr.Session> = app.connect();
         export const isCell: boolean = app.blocks.blocks[0] instanceof Cell && Dependency.name === "Dependency";
         export const both = [FileStorage, serve, redisStore, new gr.Interface({ fn: (x: string) => x, inputs: "text", outputs: "text" }).launch()];
         export let chain: Dependency | undefined;
         new gr.Blocks(() => {
           const count = new gr.State(0);
           const out = new gr.Number();
           const btn = new gr.Button("+1");
           const dep: gr.Dependency = btn.click((c) => c + 1, count, out);
           chain = dep.then((n: number | null) => (n ?? 0) * 2, out, out).success(() => undefined).failure(() => undefined);
           btn.click({ inputs: [count, out], outputs: out })((c: number, n: number | null) => c + (n ?? 0));
           btn.click(() => undefined, undefined, undefined, { cancels: [dep, chain] });
           // @ts-expect-error a State<number> input gives a number parameter
           btn.click((c: string) => c, count);
           const frozen: boolean = dep.blocks.frozen;
           void frozen;
         });
        `,
      );
      const types = join(root, "dist", "types");
      const program = ts.createProgram([consumer], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
        types: ["node"],
        typeRoots: [join(root, "node_modules", "@types")],
        baseUrl: root,
        paths: {
          blockstate: [join(types, "index.d.ts")],
          "blockstate/*": [join(types, "*", "index.d.ts")],
        },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("loads every entry point with require (CommonJS) and runs an app", () => {
    const script = `
      const gr = require("blockstate");
      const testing = require("blockstate/testing");
      const nodeOnly = require("blockstate/node");
      const blocks = require("blockstate/blocks");
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
      import * as blocks from "blockstate/blocks";
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

/**
 * The published package (issue 2): `npm run build` emits CommonJS and ES modules wired through
 * the `exports` map, and each entry point loads and runs in plain Node, as a consumer's
 * `require` or `import` would load it (jest itself maps `blockstate` to `src/`, so only a
 * separate Node process sees what ships).
 *
 * The processes resolve `blockstate` by package self-reference (Node resolves a package's own
 * name through its `exports` from inside it), so no install step is needed.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
         const app: gr.App = demo.launch({ clock: new ManualClock(), store: new gr.MemoryStore() });
         // @ts-expect-error a store is made by MemoryStore or redisStore, not any object
         demo.launch({ store: { url: "redis://127.0.0.1" } });
         export const shared = () => demo.launch({ store: redisStore({ prefix: "shop" }) });
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

  it("loads one copy in Node, for import and require alike (an app mixing them shares its classes)", () => {
    const script = `
      import * as gr from "blockstate";
      import * as testing from "blockstate/testing";
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      console.log(JSON.stringify([gr.Blocks === require("blockstate").Blocks, testing.ManualClock === require("blockstate/testing").ManualClock]));
    `;
    expect(run(["--input-type=module", "-e", script])).toEqual([true, true]);
  });

  it("ships an ES build for bundlers (the exports map's import condition outside Node) that runs an app", () => {
    const esm = (entry: string) => JSON.stringify(join(root, "dist", "esm", entry, "index.js"));
    const script = `
      import * as gr from ${esm(".")};
      import * as testing from ${esm("testing")};
      import * as nodeOnly from ${esm("node")};
      import * as blocks from ${esm("blocks")};
      import * as redis from ${esm("redis")};
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

  /**
   * The package as `npm install` lays it out (package.json, bin and dist in
   * `node_modules/blockstate`, no `src/`), inside the repository so that its dependencies
   * resolve from the repository's `node_modules`; each app file imports "blockstate" from there.
   */
  describe("the installed command, blockstate serve", () => {
    const dir = join(root, "node_modules", ".cache", `blockstate-install-${process.pid}`);
    const GREET = `new gr.Blocks(() => {
      const name = new gr.Textbox();
      const out = new gr.Textbox();
      new gr.Button().click((n) => "Hello, " + n + "!", name, out, { apiName: "greet" });
    })`;

    beforeAll(() => {
      const installed = join(dir, "node_modules", "blockstate");
      mkdirSync(installed, { recursive: true });
      for (const part of ["package.json", "bin", "dist"]) cpSync(join(root, part), join(installed, part), { recursive: true });
      writeFileSync(join(dir, "app.mjs"), `import * as gr from "blockstate";\nexport default ${GREET};\n`);
      mkdirSync(join(dir, "esm"));
      writeFileSync(join(dir, "esm", "package.json"), `{ "type": "module" }\n`);
      writeFileSync(join(dir, "esm", "app.js"), `import * as gr from "blockstate";\nawait Promise.resolve();\nexport default ${GREET};\n`);
      writeFileSync(join(dir, "app.cjs"), `const gr = require("blockstate");\nexports.default = ${GREET};\n`);
      // An app that takes its classes from another copy of the package (here: the ES build by path).
      writeFileSync(join(dir, "foreign.mjs"), `import * as gr from ${JSON.stringify(join(root, "dist", "esm", "index.js"))};\nexport default ${GREET};\n`);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the installed bin on `app`; resolves with what a call of "greet" answered, or the exit code and stderr. */
    function serveAndGreet(app: string): Promise<{ text: string } | { code: number | null; stderr: string }> {
      const child = spawn(process.execPath, [join(dir, "node_modules", "blockstate", "bin", "blockstate.js"), "serve", app, "--port=0"], { cwd: dir });
      let stdout = "";
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      return new Promise((resolve, reject) => {
        child.on("exit", (code) => resolve({ code, stderr }));
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout += d;
          const url = /^Running on (http:\/\/[\d.:]+) /.exec(stdout)?.[1];
          if (!url) return;
          stdout = "";
          void (async () => {
            const started = await fetch(`${url}/gradio_api/call/greet`, { method: "POST", body: JSON.stringify({ data: ["Ada"] }) });
            const { event_id } = (await started.json()) as { event_id: string };
            const text = await (await fetch(`${url}/gradio_api/call/greet/${event_id}`)).text();
            child.kill("SIGINT");
            resolve({ text });
          })().catch(reject);
        });
      });
    }

    it("type-checks a consumer with moduleResolution node10 (typesVersions), node16 and bundler", () => {
      const consumer = join(dir, "consumer.ts");
      writeFileSync(
        consumer,
        `import * as gr from "blockstate";
         import { ManualClock } from "blockstate/testing";
         import { FileStorage } from "blockstate/node";
         import { serve } from "blockstate/server";
         import { redisStore } from "blockstate/redis";
         import { Cell } from "blockstate/blocks";
         export const app: gr.App = new gr.Blocks(() => void new gr.Button("+")).launch({ clock: new ManualClock() });
         export const all = [FileStorage, serve, redisStore, Cell];
        `,
      );
      const check = (moduleResolution: ts.ModuleResolutionKind, module: ts.ModuleKind) =>
        ts
          .getPreEmitDiagnostics(
            ts.createProgram([consumer], {
              strict: true,
              noEmit: true,
              target: ts.ScriptTarget.ES2022,
              module,
              moduleResolution,
              lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
              types: ["node"],
              typeRoots: [join(root, "node_modules", "@types")],
            }),
          )
          .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(check(ts.ModuleResolutionKind.Node10, ts.ModuleKind.CommonJS)).toEqual([]);
      expect(check(ts.ModuleResolutionKind.Node16, ts.ModuleKind.Node16)).toEqual([]);
      expect(check(ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext)).toEqual([]);
    }, 60_000);

    const greeted = { text: 'event: complete\ndata: ["Hello, Ada!"]\n\n' };

    it("serves an ES module app (.mjs): its import of blockstate loads the command's build", async () => {
      expect(await serveAndGreet("app.mjs")).toEqual(greeted);
    }, 30_000);

    it("serves an ES module .js app with top-level await (which require cannot load)", async () => {
      expect(await serveAndGreet("esm/app.js")).toEqual(greeted);
    }, 30_000);

    it("serves a CommonJS app", async () => {
      expect(await serveAndGreet("app.cjs")).toEqual(greeted);
    }, 30_000);

    it("says so when the app's Blocks comes from another copy of blockstate", async () => {
      const result = await serveAndGreet("foreign.mjs");
      expect(result).toEqual({ code: 1, stderr: expect.stringContaining("foreign.mjs exports a gr.Blocks made by another copy of blockstate than this command's") });
    }, 30_000);
  });
});

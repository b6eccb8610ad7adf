/**
 * The public surface (issue 12): the main entry exports what the guides teach, and the template
 * classes renderer and framework authors need are in `blockstate/blocks`, the same classes as
 * the ones behind the main entry's components.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import ts from "typescript";
import * as gr from "blockstate";
import * as blocks from "blockstate/blocks";

const root = join(__dirname, "..", "..");

/** Every name the module at `file` exports, types included. */
function exportsOf(file: string): Set<string> {
  const program = ts.createProgram([file], { noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return new Set(checker.getExportsOfModule(module).map((s) => s.name));
}

describe("the entry points", () => {
  it("the main entry exports every gr.* name the README and docs/ use", () => {
    const names = exportsOf(join(root, "src", "index.ts"));
    const guides = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
    const missing: string[] = [];
    for (const guide of guides) {
      for (const line of readFileSync(join(root, guide), "utf8").split("\n")) {
        if (/\bdef /.test(line)) continue; // the porting guide's Python column (gr.Request, gr.SelectData)
        for (const [, name] of line.matchAll(/\bgr\.([A-Za-z_$][\w$]*)/g)) if (!names.has(name)) missing.push(`${guide}: gr.${name}`);
      }
    }
    expect(missing).toEqual([]);
  }, 60_000);

  it("the main entry leaves the template classes and internal helpers to blockstate/blocks or to src/", () => {
    const internals = ["Block", "Cell", "LayoutBlock", "Dependency", "Render", "Component", "propNames", "assertStorageLike"];
    expect(internals.filter((name) => name in gr)).toEqual([]);
  });

  it("blockstate/blocks gives the classes behind the main entry's components and listeners", () => {
    let dep: unknown, button: unknown, state: unknown, row: unknown;
    new gr.Blocks(() => {
      state = new gr.State(0);
      row = new gr.Row(() => {
        button = new gr.Button("+");
      });
      dep = (button as gr.Button).click((n: number) => n + 1, state as gr.State<number>, state as gr.State<number>);
    });
    expect([
      button instanceof blocks.Component,
      button instanceof blocks.Cell,
      state instanceof blocks.Cell,
      row instanceof blocks.LayoutBlock,
      dep instanceof blocks.Dependency,
      typeof blocks.propNames,
    ]).toEqual([true, true, true, true, true, "function"]);
  });

  it("a tree-shaking bundler keeps Blocks.launch for an app that imports Blocks and not App", () => {
    const dir = mkdtempSync(join(tmpdir(), "blockstate-bundle-"));
    try {
      const outfile = join(dir, "app.js");
      buildSync({
        stdin: {
          contents: `import { Blocks, State } from "./src/index";
            const demo = new Blocks(() => { new State(0); });
            const app = demo.launch();
            console.log(typeof app.connect);
            void app.close();`,
          resolveDir: root,
          loader: "ts",
        },
        absWorkingDir: root,
        bundle: true,
        treeShaking: true,
        platform: "node",
        format: "cjs",
        packages: "external",
        outfile,
        logLevel: "silent",
      });
      // The bundle lives outside the repository; NODE_PATH finds its (external) packages.
      const env = { ...process.env, NODE_PATH: join(root, "node_modules") };
      expect(execFileSync(process.execPath, [outfile], { cwd: root, env, encoding: "utf8" }).trim()).toBe("function");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

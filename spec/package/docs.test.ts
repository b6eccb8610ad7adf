/**
 * The guides stay true: every ```ts sample of README.md and docs/*.md type-checks against the
 * current public entries (`blockstate`, `blockstate/blocks`, `/testing`, `/node`, `/server`,
 * `/redis`), with the project's strict compiler options, and the README's app-and-test sample
 * also runs.
 *
 * How a page's samples are checked (the convention a docs author follows):
 * - All ```ts blocks of one page form one module, in page order. Each block is a scope nested in
 *   the previous block's, so a sample sees every name an earlier sample of the page declared
 *   (the cart app of docs/04 is declared once and used by later samples), and may declare a
 *   name again (each sample its own `const demo`). The module body is an async function, so a
 *   sample may `await` at its top level.
 * - `import` lines are hoisted to the module's top (identical ones once). A page that imports
 *   nothing from "blockstate" gets `import * as gr from "blockstate";`, as the guides assume.
 * - Names a fragment takes from the prose or from another page (`add.click(addItems, ...)`) are
 *   declared in an HTML comment right before the fence, invisible to readers:
 *   `<!-- ts-given let add!: gr.Button; let addItems!: (a: string[], b: string[]) => string[]; -->`
 *   (plain TypeScript, it may span lines; it opens the sample's scope).
 * - A sample that declares an interface or type with the name of a type `blockstate` exports
 *   (protocol.md's `AppConfig`, `Message`, ...) must describe that type: each is checked
 *   assignable to the other.
 * - A fence ```ts fragment is not checked (a sketch that is no TypeScript). SKIPPED below lists
 *   how many each page has, so a new one is a visible change of this test.
 * Unused names are allowed (samples show things they do not use); everything else of
 * tsconfig.json applies (strict, noImplicitOverride, ...).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import * as gr from "blockstate";

const root = join(__dirname, "..", "..");

/** Fragments left unchecked, by page: change it only with the page. */
const SKIPPED: Record<string, number> = {};

interface Sample {
  /** 1-based line of the fence's first code line in the page. */
  line: number;
  code: string[];
  given: string[];
  givenLine: number;
  checked: boolean;
}

/** The ```ts blocks of a Markdown page, with their `ts-given` comments. */
function samplesOf(markdown: string): Sample[] {
  const lines = markdown.split("\n");
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts(?:\s+(\S.*))?$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, info] = open;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    const code = lines.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    // A `<!-- ts-given ... -->` comment ending on the line before the fence.
    let given: string[] = [];
    let givenLine = 0;
    if (i > 0 && /-->\s*$/.test(lines[i - 1])) {
      let g = i - 1;
      while (g >= 0 && !/<!--/.test(lines[g])) g--;
      const text = lines.slice(g, i).join("\n");
      const m = /<!--\s*ts-given\b([\s\S]*?)-->\s*$/.exec(text);
      if (m) {
        given = m[1].split("\n");
        givenLine = g + 1;
      }
    }
    samples.push({ line: start + 1, code, given, givenLine, checked: info === undefined });
    i = end;
  }
  return samples;
}

interface Page {
  name: string;
  samples: Sample[];
}

interface Built {
  text: string;
  /** For each line of `text` (0-based), the page line it came from (1-based), or 0. */
  origin: number[];
}

/** Adds an import line, once: named imports of one module merge into one line. */
function addImport(imports: string[], line: string): void {
  const named = /^import\s*\{([^}]*)\}\s*from\s*("[^"]+");?\s*$/.exec(line);
  const k = named ? imports.findIndex((l) => l.startsWith("import {") && l.includes(`from ${named[2]}`)) : -1;
  if (named && k >= 0) {
    const names = new Set([...imports[k].slice(8, imports[k].indexOf("}")).split(","), ...named[1].split(",")].map((n) => n.trim()).filter(Boolean));
    imports[k] = `import { ${[...names].join(", ")} } from ${named[2]};`;
  } else if (!imports.includes(line)) imports.push(line);
}

/** The one module a page's checked samples make (see the header). */
function moduleOf(page: Page, exported: Map<string, "class" | "type">): Built {
  const imports: string[] = [];
  const body: string[] = [];
  const bodyOrigin: number[] = [];
  let depth = 0;
  for (const sample of page.samples.filter((s) => s.checked)) {
    body.push("{");
    bodyOrigin.push(0);
    depth++;
    sample.given.forEach((line, k) => {
      body.push(line);
      bodyOrigin.push(sample.givenLine + k);
    });
    const declared: string[] = [];
    sample.code.forEach((line, k) => {
      if (/^import\s/.test(line)) {
        addImport(imports, line);
        line = "";
      }
      const decl = /^(?:export\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)\b/.exec(line);
      if (decl && exported.has(decl[1])) declared.push(decl[1]);
      body.push(line);
      bodyOrigin.push(sample.line + k);
    });
    // A type named like one of the package's must be that type (both ways).
    for (const name of declared) {
      const complete = exported.get(name) === "type" ? ` ((x: ${name}): gr.${name} => x);` : "";
      body.push(`((x: gr.${name}): ${name} => x);${complete}`);
      bodyOrigin.push(sample.line);
    }
  }
  const head = imports.includes('import * as gr from "blockstate";') ? imports : ['import * as gr from "blockstate";', ...imports];
  const lines = [...head, "export async function samples(): Promise<void> {", ...body, "}".repeat(depth), "}"];
  const origin = [...head.map(() => 0), 0, ...bodyOrigin, 0, 0];
  return { text: lines.join("\n"), origin };
}

/** Type-checks pages with one ts.Program: `page:line: message` for each error. */
function check(pages: Page[]): string[] {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  Object.assign(options, {
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    paths: { ...options.paths, "blockstate/node": ["src/node/index.ts"] },
  });
  const typeNames = exportedTypes(options);
  const modules = new Map<string, { page: Page; built: Built }>();
  for (const page of pages) modules.set(join(root, `${page.name}.samples.ts`), { page, built: moduleOf(page, typeNames) });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) => {
    const m = modules.get(file);
    return m ? ts.createSourceFile(file, m.built.text, language, true) : getSourceFile.call(host, file, language, ...rest);
  };
  host.fileExists = (file) => modules.has(file) || fileExists.call(host, file);
  host.readFile = (file) => modules.get(file)?.built.text ?? readFile.call(host, file);
  const program = ts.createProgram([...modules.keys()], options, host);
  const errors: string[] = [];
  for (const [file, { page, built }] of modules) {
    const source = program.getSourceFile(file)!;
    for (const d of ts.getPreEmitDiagnostics(program, source)) {
      const at = d.file === source && d.start !== undefined ? built.origin[source.getLineAndCharacterOfPosition(d.start).line] : 0;
      errors.push(`${page.name}:${at}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  return errors;
}

/** The types the main entry exports, classes told apart (a type a guide re-declares must match). */
function exportedTypes(options: ts.CompilerOptions): Map<string, "class" | "type"> {
  const file = join(root, "src", "index.ts");
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const types = new Map<string, "class" | "type">();
  for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)) {
    const flags = (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags;
    if (flags & ts.SymbolFlags.Class) types.set(s.name, "class");
    else if (flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) types.set(s.name, "type");
  }
  return types;
}

const guides = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
const pages: Page[] = guides.map((name) => ({ name, samples: samplesOf(readFileSync(join(root, name), "utf8")) }));

describe("the guides' TypeScript samples", () => {
  it("type-check against the current API (a test page shows errors are caught, at their page line)", () => {
    const probe: Page = {
      name: "probe.md",
      samples: samplesOf(
        [
          "```ts",
          "const demo = new gr.Blocks(() => {});", // line 2
          "```",
          "<!-- ts-given let n!: number; -->",
          "```ts",
          "const s: string = n;", // line 6: a number is no string
          "demo.lanch();", // line 7: misspelt
          "```",
          "```ts fragment",
          "not TypeScript",
          "```",
          "```ts",
          "interface Clock { now(): string }", // line 13: not gr.Clock
          "```",
        ].join("\n"),
      ),
    };
    const errors = check([...pages, probe]);
    const lines = (name: string) => errors.filter((e) => e.startsWith(`${name}:`));
    expect(lines("probe.md").map((e) => e.split(": ")[0])).toEqual(["probe.md:6", "probe.md:7", "probe.md:13", "probe.md:13"]);
    expect(errors.filter((e) => !e.startsWith("probe.md:"))).toEqual([]);
  }, 60_000);

  it("are checked, except the fragments listed here", () => {
    const counts = pages.map((p) => ({ name: p.name, checked: p.samples.filter((s) => s.checked).length, skipped: p.samples.filter((s) => !s.checked).length }));
    expect(Object.fromEntries(counts.filter((c) => c.skipped > 0).map((c) => [c.name, c.skipped]))).toEqual(SKIPPED);
    // Each page with samples has some checked: the extraction found them.
    expect(counts.filter((c) => c.checked + c.skipped > 0 && c.checked === 0).map((c) => c.name)).toEqual([]);
    expect(counts.reduce((n, c) => n + c.checked, 0)).toBeGreaterThan(40);
  });

  it("README's app and its test run", async () => {
    const [sample] = pages.find((p) => p.name === "README.md")!.samples;
    const { outputText } = ts.transpileModule(sample.code.join("\n"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    const tests: [string, () => Promise<void>][] = [];
    const load = (id: string): unknown => (id === "blockstate" ? gr : require(id));
    new Function("require", "exports", "test", "expect", outputText)(load, {}, (name: string, fn: () => Promise<void>) => tests.push([name, fn]), expect);
    expect(tests.map(([name]) => name)).toEqual(["each user has their own cart"]);
    for (const [, fn] of tests) await fn();
  });
});

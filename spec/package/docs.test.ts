/**
 * The guides stay true: every ```ts sample of README.md and docs/*.md type-checks against the
 * current public entries (`blockstate`, `blockstate/blocks`, `/testing`, `/node`, `/server`,
 * `/redis`, mapped to src/ as tsconfig's `paths` do), with the project's strict compiler options,
 * and the samples that can run without a browser, a port or Redis also run.
 *
 * The convention a docs author follows:
 * - All ```ts blocks of one page form one module, in page order. Each block is a scope nested in
 *   the previous block's, so a sample sees every name an earlier sample of the page declared
 *   (the cart app of docs/04 is declared once and used by later samples), and may declare a
 *   name again (each sample its own `const demo`). The module body is an async function, so a
 *   sample may `await` at its top level.
 * - `import` lines are hoisted to the module's top (once; named imports of one module merge). A
 *   page that does not `import * as gr from "blockstate"` gets it, as the guides assume.
 * - Names a fragment takes from the prose or from another page (`add.click(addItems, ...)`) are
 *   declared in an HTML comment right before the fence, invisible to readers:
 *   `<!-- ts-given let add!: gr.Button; let addItems!: (a: string[], b: string[]) => string[]; -->`
 *   (plain TypeScript, it may span lines; it opens the sample's scope).
 * - A sample that declares an interface or type named like a type `blockstate` exports
 *   (protocol.md's `AppConfig`, `Message`, ...) must describe it: the package's type is checked
 *   assignable to the sample's, and for an interface or type alias (not a class such as
 *   `Session`, which a sample shows in part) the sample's to the package's too.
 * - A fence ```ts fragment is not checked (a sketch that is no TypeScript); no other info string
 *   is taken, and a ts-given comment that opens no sample (a blank line before the fence) fails. SKIPPED below lists
 *   how many each page has, so a new one is a visible change of this test. There are none: make
 *   a sample complete (or give it its names) rather than skip it.
 * - Running: on the pages not in NOT_RUN, the samples whose given declares no name without a
 *   value (`let x!: T` has none: those samples only type-check) run in order, in the same
 *   nesting; then the `test`/`it` calls they made run, with `describe`'s `beforeEach` and
 *   `afterEach`, and jest's `expect`. What they `console.log` must be what the page's "prints"
 *   blocks (a plain fence after a line "prints") show.
 * - An import the prose shows inline (`import { serve } from "blockstate/server"`) is
 *   type-checked too.
 * Unused names are allowed (samples show things they do not use); everything else of
 * tsconfig.json applies (strict, noImplicitOverride, ...).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

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
  /** The fence's info string after `ts` ("fragment"), if any. */
  info?: string;
  /** The lines a "prints" block after the sample says it logs. */
  prints: string[];
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
    // What a sample prints: a plain fence after a line "prints".
    let k = end + 1;
    while (k < lines.length && lines[k].trim() === "") k++;
    let prints: string[] = [];
    if (lines[k]?.trim() === "prints" && /^\s*```\s*$/.test(lines[k + 2] ?? "")) {
      const close = lines.indexOf("```", k + 3);
      prints = lines.slice(k + 3, close);
    }
    samples.push({ line: start + 1, code, given, givenLine, checked: info === undefined, info, prints });
    i = end;
  }
  return samples;
}

/** Whether a checked sample also runs: its given, if any, gives values, not only types (`let x!: T`). */
function runs(sample: Sample): boolean {
  return !sample.given.some((line) => /!\s*:/.test(line));
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
function moduleOf(page: Page, exported: Map<string, "class" | "type">, run = false): Built {
  const imports: string[] = [];
  const importOrigin: number[] = []; // where each import line first appears
  const body: string[] = [];
  const bodyOrigin: number[] = [];
  let depth = 0;
  for (const sample of page.samples.filter((s) => s.checked && (!run || runs(s)))) {
    body.push("{");
    bodyOrigin.push(0);
    depth++;
    sample.given.forEach((line, k) => {
      body.push(line);
      bodyOrigin.push(sample.givenLine + k);
    });
    const declared: [string, number][] = [];
    sample.code.forEach((line, k) => {
      if (/^import\s/.test(line)) {
        addImport(imports, line);
        if (importOrigin.length < imports.length) importOrigin.push(sample.line + k);
        line = "";
      }
      const decl = /^(?:export\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)\b/.exec(line);
      if (decl && exported.has(decl[1])) declared.push([decl[1], sample.line + k]);
      body.push(line);
      bodyOrigin.push(sample.line + k);
    });
    // A type named like one of the package's must be that type (both ways).
    for (const [name, line] of run ? [] : declared) {
      const complete = exported.get(name) === "type" ? ` ((x: ${name}): gr.${name} => x);` : "";
      body.push(`((x: gr.${name}): ${name} => x);${complete}`);
      bodyOrigin.push(line);
    }
  }
  const implicit = !imports.includes('import * as gr from "blockstate";');
  const head = implicit ? ['import * as gr from "blockstate";', ...imports] : imports;
  const lines = [...head, "export async function samples(): Promise<void> {", ...body, "}".repeat(depth), "}"];
  const origin = [...(implicit ? [0] : []), ...importOrigin, 0, ...bodyOrigin, 0, 0];
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
  });
  const modules = new Map<string, { page: Page; built: Built }>();
  // One host for both programs: the package's files are parsed once.
  const host = ts.createCompilerHost(options);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) => {
    const m = modules.get(file);
    if (m) return ts.createSourceFile(file, m.built.text, language, true);
    if (!parsed.has(file)) parsed.set(file, getSourceFile.call(host, file, language, ...rest));
    return parsed.get(file);
  };
  host.fileExists = (file) => modules.has(file) || fileExists.call(host, file);
  host.readFile = (file) => modules.get(file)?.built.text ?? readFile.call(host, file);
  const typeNames = exportedTypes(options, host);
  for (const page of pages) modules.set(join(root, `${page.name}.samples.ts`), { page, built: moduleOf(page, typeNames) });
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
function exportedTypes(options: ts.CompilerOptions, host: ts.CompilerHost): Map<string, "class" | "type"> {
  const file = join(root, "src", "index.ts");
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const types = new Map<string, "class" | "type">();
  for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)) {
    const flags = (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags;
    if (flags & ts.SymbolFlags.Class) types.set(s.name, "class");
    else if (flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) types.set(s.name, "type");
  }
  return types;
}

/**
 * Runs a page's samples that can run (see `runs`), in order, as one module (the nesting of
 * `moduleOf`); then the tests they registered (`test`/`it` in `describe`, with `beforeEach` and
 * `afterEach`), with jest's `expect`. Resolves to what they logged and the tests that ran.
 */
async function runPage(page: Page): Promise<{ logs: string[]; ran: string[] }> {
  const { text } = moduleOf(page, new Map(), true);
  const { outputText } = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const logs: string[] = [];
  const tests: { name: string; fn: () => unknown; before: (() => unknown)[]; after: (() => unknown)[] }[] = [];
  let before: (() => unknown)[] = [];
  let after: (() => unknown)[] = [];
  let prefix = "";
  const test = (name: string, fn: () => unknown) => tests.push({ name: prefix + name, fn, before, after });
  const describe = (name: string, body: () => void) => {
    const outer = { before, after, prefix };
    [before, after, prefix] = [[...before], [...after], `${prefix}${name} › `];
    body();
    ({ before, after, prefix } = outer);
  };
  const exports: { samples?: () => Promise<void> } = {};
  const console = { log: (...args: unknown[]) => logs.push(args.join(" ")) };
  new Function("require", "exports", "test", "it", "describe", "beforeEach", "afterEach", "expect", "console", outputText)(
    require,
    exports,
    test,
    test,
    describe,
    (fn: () => unknown) => before.push(fn),
    (fn: () => unknown) => after.push(fn),
    expect,
    console,
  );
  await exports.samples!();
  for (const t of tests) {
    for (const fn of t.before) await fn();
    try {
      await t.fn();
    } catch (error) {
      throw new Error(`${page.name}: test "${t.name}": ${(error as Error).message}`);
    } finally {
      for (const fn of t.after) await fn();
    }
  }
  return { logs, ran: tests.map((t) => t.name) };
}

const guides = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
const pages: Page[] = guides.map((name) => ({ name, samples: samplesOf(readFileSync(join(root, name), "utf8")) }));

/** The imports the prose shows inline (`import { serve } from "blockstate/server"`), a page each. */
const proseImports: Page[] = guides.map((name) => ({
  name,
  samples: readFileSync(join(root, name), "utf8")
    .split("\n")
    .flatMap((text, i) => [...text.matchAll(/`(import [^`]* from "blockstate[^"]*")`/g)].map((m) => ({ line: i + 1, code: [`${m[1]};`], given: [], givenLine: 0, checked: true, prints: [] }))),
}));

describe("the guides' TypeScript samples", () => {
  it("type-check against the current API, as do the prose's inline imports (a test page shows errors are caught, at their page line)", () => {
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
    const errors = check([...pages, ...proseImports.map((p) => ({ ...p, name: `${p.name} (inline imports)` })), probe]);
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
    // A fence's info is `fragment` or nothing, and each ts-given comment opens a sample.
    expect(pages.flatMap((p) => p.samples.filter((s) => s.info !== undefined && s.info !== "fragment").map((s) => `${p.name}:${s.line - 1}: ts ${s.info}`))).toEqual([]);
    const givens = guides.map((name) => (readFileSync(join(root, name), "utf8").match(/<!--\s*ts-given\b/g) ?? []).length);
    expect(pages.map((p) => p.samples.filter((s) => s.givenLine > 0).length)).toEqual(givens);
  });

  // 03 connects with `window.localStorage`, 07 serves on port 7860 and calls it, 08 needs Redis.
  const NOT_RUN = ["docs/03-running-and-sessions.md", "docs/07-serving.md", "docs/08-processes.md"];

  it.each(pages.filter((p) => !NOT_RUN.includes(p.name) && p.samples.some((s) => s.checked && runs(s))).map((p) => [p.name, p] as const))(
    "%s: the samples that give their names run, and log what the page says they print",
    async (_name, page) => {
      const { logs, ran } = await runPage(page);
      const registered = page.samples.filter((s) => s.checked && runs(s)).flatMap((s) => s.code.join("\n").match(/^\s*(?:test|it)\("/gm) ?? []);
      expect(ran.length).toBe(registered.length);
      expect(logs.flatMap((l) => l.split("\n"))).toEqual(page.samples.flatMap((s) => s.prints));
    },
    60_000,
  );
});

/**
 * Rules you can look up (issue 12): every rule id (`S21`) the source, the guides or the tests
 * cite is defined by a row of docs/rules.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..", "..");

function* files(dir: string, ext: RegExp): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path, ext);
    else if (ext.test(entry.name)) yield path;
  }
}

/** `file: id` for each cited rule id that docs/rules.md does not define. */
function undefinedIds(paths: Iterable<string>, defined: Set<string>): string[] {
  const missing: string[] = [];
  for (const path of paths) {
    for (const [id] of readFileSync(path, "utf8").matchAll(/\bS\d+\b/g)) {
      if (!defined.has(id)) missing.push(`${relative(root, path)}: ${id}`);
    }
  }
  return [...new Set(missing)];
}

describe("docs/rules.md", () => {
  const rules = readFileSync(join(root, "docs", "rules.md"), "utf8");
  const defined = new Set([...rules.matchAll(/^\| (S\d+) \|/gm)].map((m) => m[1]));

  it("defines each rule once, with a sentence and a Gradio source", () => {
    const rows = [...rules.matchAll(/^\| (S\d+) \|([^|]*)\|([^|]*)\|\s*$/gm)];
    expect(rows.length).toBe(defined.size);
    expect(defined.size).toBeGreaterThan(50);
    expect(rows.filter(([, , rule, source]) => rule.trim().length < 10 || source.trim() === "").map((m) => m[1])).toEqual([]);
  });

  it("defines every rule id cited in src/", () => {
    expect(undefinedIds(files(join(root, "src"), /\.ts$/), defined)).toEqual([]);
  });

  it("defines every rule id cited in the guides, the README and spec/", () => {
    const guides = [...files(join(root, "docs"), /\.md$/)].filter((f) => !f.endsWith("rules.md") && !f.includes(`${join("docs", "api")}`));
    expect(undefinedIds([join(root, "README.md"), ...guides, ...files(join(root, "spec"), /\.ts$/)], defined)).toEqual([]);
  });
});

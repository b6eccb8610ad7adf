import { readdirSync } from "node:fs";
import { join } from "node:path";
import { examples } from "../../examples/index";

describe("examples index", () => {
  it("lists every example file once, with a seed and a summary", () => {
    const files = readdirSync(join(__dirname, "../../examples"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "demo.ts")
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(examples.map((e) => e.name).sort()).toEqual(files);
    for (const e of examples) {
      expect(e.seed).toMatch(/^(00[0-4] |gradio demo \w+)/);
      expect(e.summary.length).toBeGreaterThan(10);
    }
  });

  it("covers every seed document with examples (001 through 000's examples)", () => {
    const seeds = new Set(examples.filter((e) => /^\d/.test(e.seed)).map((e) => e.seed.slice(0, 3)));
    expect([...seeds].sort()).toEqual(["000", "002", "003", "004"]);
    expect(examples.some((e) => /001/.test(e.seed))).toBe(true);
  });
});

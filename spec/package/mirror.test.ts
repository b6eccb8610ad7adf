/**
 * spec/ mirrors src/ folder by folder (issue 12): the tests of `src/<folder>/` are in
 * `spec/<folder>/`. The other folders of spec/ are cross-cutting, listed here and in the README.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const CROSS_CUTTING = ["browser", "examples", "package", "support"];

const folders = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe("spec/ mirrors src/", () => {
  it("has a folder for every folder of src/", () => {
    const spec = new Set(folders("spec"));
    expect(folders("src").filter((f) => !spec.has(f))).toEqual([]);
  });

  it("has no other folders than those of src/ and the cross-cutting ones", () => {
    const src = new Set(folders("src"));
    expect(folders("spec").filter((f) => !src.has(f) && !CROSS_CUTTING.includes(f))).toEqual([]);
  });
});

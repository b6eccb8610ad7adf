import { fnv1a64 } from "../../src/storage";

describe("fnv1a64", () => {
  it("matches the published FNV-1a 64-bit test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });

  it("hashes the UTF-8 of the text, as 16 hex digits", () => {
    expect(fnv1a64("é")).toMatch(/^[0-9a-f]{16}$/);
    expect(fnv1a64("é")).not.toBe(fnv1a64("\u00e9\u0000"));
    expect(fnv1a64("\u0000")).toMatch(/^[0-9a-f]{16}$/); // leading zeros kept
  });
});

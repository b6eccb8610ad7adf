import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileStorage } from "../../src/node/file-storage";
import { BrowserStateCipher } from "../../src/storage";

describe("FileStorage", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "blockstate-file-storage-"));
    file = path.join(dir, "nested", "state.json");
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts empty when the file is missing and creates it at the first write", () => {
    const storage = new FileStorage(file);
    expect(storage.getItem("a")).toBeNull();
    expect(storage.length).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    storage.setItem("a", "1");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ a: "1" });
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it("persists sets and removals across instances", () => {
    const first = new FileStorage(file);
    first.setItem("a", "1");
    first.setItem("b", "2");
    first.setItem("a", "3");
    first.removeItem("b");
    const second = new FileStorage(file);
    expect(second.getItem("a")).toBe("3");
    expect(second.getItem("b")).toBeNull();
    expect(second.length).toBe(1);
    expect(second.key(0)).toBe("a");
  });

  it("persists an encrypted BrowserState value across a restart", async () => {
    const cipher = new BrowserStateCipher("file test");
    new FileStorage(file).setItem("k", await cipher.encrypt({ history: ["hi", "there"] }));
    const text = new FileStorage(file).getItem("k");
    await expect(cipher.decrypt(text!)).resolves.toEqual({
      ok: true,
      value: { history: ["hi", "there"] },
    });
  });

  it("keeps __proto__ as an ordinary key on disk", () => {
    new FileStorage(file).setItem("__proto__", "x");
    const reread = new FileStorage(file);
    expect(reread.getItem("__proto__")).toBe("x");
    expect(reread.getItem("toString")).toBeNull();
  });

  it("clears to an empty object on disk", () => {
    const storage = new FileStorage(file);
    storage.setItem("a", "1");
    storage.clear();
    expect(fs.readFileSync(file, "utf8")).toBe("{}");
    expect(new FileStorage(file).length).toBe(0);
  });

  it("treats an empty file as empty storage", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "");
    expect(new FileStorage(file).length).toBe(0);
  });

  it.each([
    ["not JSON", "{not json", /is not a storage file/],
    ["an array", '["a"]', /it holds an array/],
    ["a non-string value", '{"a":1}', /the value of "a" is a number/],
  ])("throws an error naming the path for a file that holds %s", (_name, content, detail) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    expect(() => new FileStorage(file)).toThrow(file);
    expect(() => new FileStorage(file)).toThrow(detail);
    expect(fs.readFileSync(file, "utf8")).toBe(content); // left untouched
  });

  it("throws on a failed write and keeps memory in step with the file", () => {
    const storage = new FileStorage(file);
    storage.setItem("a", "1");
    // A directory where the temporary file should go makes the next write fail.
    fs.mkdirSync(`${file}.tmp`);
    expect(() => storage.setItem("a", "2")).toThrow();
    expect(() => storage.setItem("b", "2")).toThrow();
    expect(() => storage.removeItem("a")).toThrow();
    expect(() => storage.clear()).toThrow();
    expect(storage.getItem("a")).toBe("1");
    expect(storage.getItem("b")).toBeNull();
    expect(storage.length).toBe(1);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ a: "1" });
    // Once the obstacle is gone the next change goes through (S94's retry).
    fs.rmdirSync(`${file}.tmp`);
    storage.setItem("a", "2");
    expect(new FileStorage(file).getItem("a")).toBe("2");
  });
});

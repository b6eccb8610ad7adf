/**
 * BrowserState in a real browser: the seed 002 example bundled by
 * `scripts/build-browser-example.mjs` (esbuild, platform browser: the build itself proves no
 * Node-only module is in the bundle), served from 127.0.0.1 (a secure context, so WebCrypto is
 * there) and driven in Debian's Chromium through playwright-core, with the page's own
 * `window.localStorage` as the storage (S90-S95). Never a downloaded browser: Chromium comes
 * from apt (spec/support/chromium.ts installs it when missing). Screenshots go to `artifacts/browser-state/` (git-ignored).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { BrowserStateCipher, DECRYPT_REASONS, defaultSecret } from "../../src/storage";
import { launchChromium } from "../support/chromium";

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, "..", "..");
const ARTIFACTS = path.join(ROOT, "artifacts", "browser-state");
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

let outdir: string;
let server: Server;
let url: string;
let browser: Browser;

beforeAll(async () => {
  outdir = mkdtempSync(path.join(os.tmpdir(), "blockstate-browser-"));
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build-browser-example.mjs"), outdir], { cwd: ROOT, stdio: "pipe" });

  server = createServer((request, response) => {
    const name = new URL(request.url ?? "/", "http://127.0.0.1").pathname.replace(/^\/$/, "/index.html");
    const file = path.join(outdir, path.basename(name));
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** A page with the app connected; page errors are collected and checked by {@link noErrors}. */
async function open(context: BrowserContext): Promise<Page & { errors: string[] }> {
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") page.errors.push(message.text());
  });
  await page.goto(url);
  await ready(page);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector("body[data-ready]");
  const state = await page.getAttribute("body", "data-ready");
  if (state !== "true") throw new Error(`the page failed to start: ${await page.textContent("#fatal")}`);
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await ready(page);
}

/** Waits until the session is idle and its storage writes have landed. */
const idle = (page: Page) => page.evaluate(() => window.blockstate!.idle());
const storageKey = (page: Page) => page.evaluate(() => window.blockstate!.storageKey);
const values = async (page: Page) => [await page.inputValue("#username"), await page.inputValue("#password")];

function noErrors(page: Page & { errors: string[] }): void {
  expect(page.errors).toEqual([]);
}

describe("BrowserState in Chromium with window.localStorage", () => {
  let context: BrowserContext;
  let page: Page & { errors: string[] };

  beforeAll(async () => {
    context = await browser.newContext();
    page = await open(context);
  });

  afterAll(async () => {
    await context?.close();
  });

  it("starts from the defaults on a first visit", async () => {
    expect(await values(page)).toEqual(["", ""]);
    expect(await page.isHidden("#saved")).toBe(true);
    expect(await page.textContent("#intro")).toMatch(/saved in the browser's local storage/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    noErrors(page);
  });

  it("saves typed values, encrypted, and restores them after a reload", async () => {
    await page.fill("#username", "alice");
    await page.fill("#password", "s3cret!");
    await page.waitForSelector("#saved:visible");
    expect(await page.textContent("#saved")).toMatch(/^✅ Saved to local storage at \d\d:\d\d:\d\d [AP]M$/);
    await idle(page);
    const key = await storageKey(page);
    const stored = await page.evaluate((k) => localStorage.getItem(k), key);
    expect(stored).toMatch(/^bsv3[A-Za-z0-9_-]{38,}$/);
    expect(stored).not.toContain("alice");
    // The page's entry (sealed with the browser's native base64 and WebCrypto, bound to its
    // storage key) opens in Node: one format.
    const [, appId, position] = /^blockstate:([0-9a-f]{16}):(\d+)$/.exec(key)!;
    const cipher = new BrowserStateCipher(defaultSecret(appId, Number(position)), { kdf: "hkdf" });
    await expect(cipher.decrypt(stored!, key)).resolves.toEqual({ ok: true, value: ["alice", "s3cret!"] });
    await expect(cipher.decrypt(stored!, `${key}x`)).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });

    await reload(page);
    expect(await values(page)).toEqual(["alice", "s3cret!"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "restored.png") });
    noErrors(page);
  });

  it("restores generated values too", async () => {
    await page.click("#generate");
    await page.waitForFunction(() => (document.getElementById("username") as HTMLInputElement).value !== "alice");
    const generated = await values(page);
    for (const value of generated) expect(value).toMatch(/^[A-Za-z0-9]{10}$/);
    await idle(page);
    await reload(page);
    expect(await values(page)).toEqual(generated);
    noErrors(page);
  });

  it("reads an entry written by Node: one format across platforms", async () => {
    const key = await storageKey(page);
    const [, appId, position] = /^blockstate:([0-9a-f]{16}):(\d+)$/.exec(key)!;
    const cipher = new BrowserStateCipher(defaultSecret(appId, Number(position)), { kdf: "hkdf" });
    const text = await cipher.encrypt(["from node", "é 🌍"], key);
    await page.evaluate(([k, t]) => localStorage.setItem(k, t), [key, text] as const);
    await reload(page);
    expect(await values(page)).toEqual(["from node", "é 🌍"]);
    noErrors(page);
  });

  it("reads an entry written for another storage key as the default with a warning (WebCrypto checks the key)", async () => {
    const key = await storageKey(page);
    const [, appId, position] = /^blockstate:([0-9a-f]{16}):(\d+)$/.exec(key)!;
    const cipher = new BrowserStateCipher(defaultSecret(appId, Number(position)), { kdf: "hkdf" });
    const moved = await cipher.encrypt(["moved", "here"], "blockstate:another-key");
    await page.evaluate(([k, t]) => localStorage.setItem(k, t), [key, moved] as const);
    await reload(page);
    expect(await values(page)).toEqual(["", ""]);
    const warning = page.locator(".messages li.warning");
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/could not be read from browser storage \(entry was written with another secret or under another storage key/);
    // Restore a readable entry for the tests that follow.
    await page.evaluate(([k, t]) => localStorage.setItem(k, t), [key, await cipher.encrypt(["back", ""], key)] as const);
    await reload(page);
    expect(await values(page)).toEqual(["back", ""]);
    noErrors(page);
  });

  it("shows the defaults in a second browser (another context, another localStorage)", async () => {
    const other = await browser.newContext();
    try {
      const stranger = await open(other);
      expect(await values(stranger)).toEqual(["", ""]);
      expect(await stranger.evaluate(() => localStorage.length)).toBe(0);
      expect(await stranger.locator(".messages li").count()).toBe(0);
      noErrors(stranger);
    } finally {
      await other.close();
    }
    // ...and the first browser still has its values.
    await reload(page);
    expect(await values(page)).not.toEqual(["", ""]);
  });

  it("reads a corrupted entry as the default with a warning, and recovers at the next change", async () => {
    const key = await storageKey(page);
    await page.evaluate((k) => localStorage.setItem(k, "garbage"), key);
    await reload(page);
    expect(await values(page)).toEqual(["", ""]);
    const warning = page.locator(".messages li.warning");
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/BrowserState #\d+ could not be read from browser storage \(entry is not in blockstate's format\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, "corrupted.png") });

    await page.fill("#username", "bob");
    await idle(page);
    await reload(page);
    expect(await values(page)).toEqual(["bob", ""]);
    expect(await page.locator(".messages li").count()).toBe(0);
    noErrors(page);
  });
});

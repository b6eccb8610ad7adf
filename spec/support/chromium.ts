/**
 * Debian's Chromium for the browser tests (spec/browser), never a downloaded browser.
 *
 * `ensureChromium` runs once per `jest` run (spec/support/global-setup.ts): on a fresh machine
 * with only Node and npm it installs the package with apt-get, so `npm test` needs no other
 * step; where it cannot (not root, no apt-get), it fails with one message that gives the
 * command to run. `launchChromium` is what each browser test calls.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

const INSTALL = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium";

/**
 * Installs Debian's Chromium when it is missing.
 *
 * @throws Error naming the command to run, when it is missing and cannot be installed here.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}. Install it with: sudo sh -c '${INSTALL}'`);
  }
  process.stderr.write(`Chromium is missing at ${CHROMIUM}; installing Debian's package for the browser tests (${INSTALL})...\n`);
  try {
    execFileSync("sh", ["-c", INSTALL], { stdio: ["ignore", "ignore", "pipe"], timeout: 15 * 60_000 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim().split("\n").slice(-3).join("\n");
    throw new Error(`Installing Chromium failed (${INSTALL}):\n${stderr}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing.`);
}

/**
 * Launches Chromium headless with the flags this machine's closed network needs (no background
 * connections, no QUIC, no first-run work).
 */
export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Runs once before the jest workers start: gets what the tests need, so `npm test` passes on
 * a machine with only Node and npm. Chromium is installed only when the run includes the
 * browser tests (no path filter, or one that matches spec/browser).
 */
import { ensureChromium } from "./chromium";

export default function globalSetup(): void {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const browserTestsSelected = filters.length === 0 || filters.some((f) => "spec/browser/".includes(f) || f.includes("browser"));
  if (browserTestsSelected) ensureChromium();
}

/**
 * Runs once before the jest workers start: gets what the tests need, so `npm test` passes on
 * a machine with only Node and npm. Chromium is installed only when the run includes the
 * browser tests (no path filter, or one that matches spec/browser); redis-server only when it
 * includes the Redis tests (spec/redis).
 */
import { ensureChromium } from "./chromium";
import { ensureRedis } from "./redis";

export default function globalSetup(): void {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const browserTestsSelected = filters.length === 0 || filters.some((f) => "spec/browser/".includes(f) || f.includes("browser"));
  if (browserTestsSelected) ensureChromium();
  // Debian's redis-server, for spec/redis (blockstate/redis) and the server's Redis test.
  const redisTestsSelected = filters.length === 0 || filters.some((f) => "spec/redis/".includes(f) || f.includes("redis"));
  if (redisTestsSelected) ensureRedis();
}

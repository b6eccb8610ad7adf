/**
 * `npm run demo`: runs every example's scenario and prints its transcript, then
 * `N passed, M failed`. Exits with code 1 if any check failed or any scenario threw.
 */
import { Transcript } from "blockstate/testing";
import { examples, type Example } from "./index";

/** A scenario that has not settled by then is reported as failed (an engine hang, not slowness). */
const SCENARIO_TIMEOUT_MS = 20_000;

async function run(example: Example): Promise<Transcript> {
  const t = new Transcript();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
    });
    await Promise.race([example.scenario(t), timeout]);
  } catch (e) {
    t.check(false, `the scenario threw: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  } finally {
    clearTimeout(timer);
    await t.close();
  }
  return t;
}

async function main(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const example of examples) {
    console.log(`\n── ${example.name} · seed ${example.seed}`);
    console.log(`   ${example.summary}\n`);
    const t = await run(example);
    for (const line of t.lines) console.log(`   ${line}`);
    if (t.ok) passed++;
    else {
      failed++;
      console.log(`\n   FAILED: ${t.failures.length} check(s)`);
    }
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

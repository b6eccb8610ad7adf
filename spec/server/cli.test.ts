/** `blockstate serve <app file>` (package.json "bin"), run as a child process as a user would. */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { main } from "../../src/server/cli";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "blockstate.js");

/** Starts the command; resolves with its first stdout line (or its exit when it ends first). */
function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => stdout.includes("\n") && resolve(stdout.split("\n")[0]));
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // awaited only by the tests that need it
  return { child, firstLine, exited, stderr: () => stderr };
}

test("serves a module's default export; Ctrl+C stops it", async () => {
  const run = start(["serve", "spec/server/fixtures/app.ts", "--port", "0"]);
  const line = await run.firstLine;
  const url = /^Running on (http:\/\/127\.0\.0\.1:\d+) /.exec(line)?.[1];
  expect(url).toBeDefined();
  const started = await fetch(`${url}/gradio_api/call/greet`, { method: "POST", body: JSON.stringify({ data: ["Ada"] }) });
  const { event_id } = (await started.json()) as { event_id: string };
  expect(await (await fetch(`${url}/gradio_api/call/greet/${event_id}`)).text()).toBe('event: complete\ndata: ["Hello, Ada!"]\n\n');
  run.child.kill("SIGINT");
  expect(await run.exited).toBe(0);
}, 30_000);

test("a module whose default export is not a Blocks: exit code 1 and a message saying so", async () => {
  const run = start(["serve", "spec/server/fixtures/not-blocks.ts", "--port", "0"]);
  expect(await run.exited).toBe(1);
  expect(run.stderr()).toContain('spec/server/fixtures/not-blocks.ts must export a gr.Blocks as its default export (export default demo); its default export is {"hello":"world"}.');
}, 30_000);

test("usage errors: exit code 2 and the usage", async () => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  expect(await main(["serve", "app.ts", "--port", "http"], io)).toBe(2);
  expect(lines[0]).toMatch(/^--port must be a number from 0 to 65535; got "http"\.\n\nUsage: blockstate serve <app file>/);
  expect(await main(["serve", "app.ts", "--port=70000"], io)).toBe(2);
  expect(lines[1]).toMatch(/^--port must be a number from 0 to 65535; got "70000"\./);
  lines.splice(1);
  expect(await main(["run", "app.ts"], io)).toBe(2);
  expect(lines[1]).toMatch(/^Unknown command "run"\./);
  expect(await main(["serve"], io)).toBe(2);
  expect(await main(["--help"], io)).toBe(0);
});

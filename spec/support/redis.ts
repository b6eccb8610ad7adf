/**
 * Debian's redis-server for the tests of `blockstate/redis` (spec/redis), never a mock.
 *
 * `ensureRedis` runs once per `jest` run (spec/support/global-setup.ts) when those tests are
 * selected: it installs the package with apt-get where it is missing (as root), or fails with
 * one message giving the command. `startRedis` starts a private server on 127.0.0.1, on a free
 * port, in a temporary directory, without persistence; `stop()` ends it and removes the directory.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";

/** Where Debian's `redis-server` package puts the server. */
export const REDIS_SERVER = "/usr/bin/redis-server";

const INSTALL = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server";

/**
 * Installs Debian's redis-server when it is missing.
 *
 * @throws Error naming the command to run, when it is missing and cannot be installed here.
 */
export function ensureRedis(): void {
  if (existsSync(REDIS_SERVER)) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`The Redis tests need Debian's redis-server at ${REDIS_SERVER}. Install it with: sudo sh -c '${INSTALL}'`);
  }
  process.stderr.write(`redis-server is missing at ${REDIS_SERVER}; installing Debian's package for the Redis tests (${INSTALL})...\n`);
  try {
    execFileSync("sh", ["-c", INSTALL], { stdio: ["ignore", "ignore", "pipe"], timeout: 15 * 60_000 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim().split("\n").slice(-3).join("\n");
    throw new Error(`Installing redis-server failed (${INSTALL}):\n${stderr}`);
  }
  if (!existsSync(REDIS_SERVER)) throw new Error(`apt-get finished but ${REDIS_SERVER} is still missing.`);
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race with other programs remains). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for it to exit; its data is gone (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** Starts a redis-server on 127.0.0.1 with a free port and a temporary directory. */
export async function startRedis(): Promise<RedisServer> {
  ensureRedis();
  const dir = mkdtempSync(join(tmpdir(), "blockstate-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"];
      const proc = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      let output = "";
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes("Ready to accept connections")) {
          proc.stdout!.off("data", onData);
          proc.stdout!.resume();
          resolve();
        }
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.resume();
      proc.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
    });
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a spec file: a private redis-server for the file's tests (started before them, stopped
 * after), a raw client on it for reading and writing the store's keys, and a fresh key prefix
 * per call, so tests never see each other's keys.
 */
export function useRedis(prefixStem: string): { readonly server: RedisServer; readonly raw: ReturnType<typeof createClient>; prefix(): string } {
  let server: RedisServer | undefined;
  let raw: ReturnType<typeof createClient> | undefined;
  let n = 0;
  beforeAll(async () => {
    server = await startRedis();
    raw = createClient({ url: server.url });
    await raw.connect();
  }, 30_000);
  afterAll(async () => {
    await raw?.close();
    await server?.dispose();
  });
  return {
    get server() {
      return server!;
    },
    get raw() {
      return raw!;
    },
    prefix: () => `${prefixStem}${++n}`,
  };
}

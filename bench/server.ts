/**
 * Server (issue 13): one predict round trip through `blockstate/server` (`POST
 * {apiPrefix}/run/add` on 127.0.0.1, one kept-alive connection, each answer awaited before
 * the next request).
 *
 * - `server.predict_overhead_ratio`: that round trip over the same listener called in process
 *   with the handle API (`session.run(...).result`), same session. Informational: it is mostly
 *   the cost of HTTP.
 * - `server.floor_ratio`: that round trip over a bare `node:http` server echoing the same
 *   request body (the transport's floor), same client. Target ≤ 3.
 *
 * @packageDocumentation
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import * as gr from "../src/index";
import { serve } from "../src/server/index";
import { entry, timePair, type BenchEntry } from "./util";

const CALLS = 500;

/** POSTs `body` to `path` over `agent`'s kept-alive socket; resolves with the answer's text. */
function postText(agent: Agent, port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve(text));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function benchServer(): Promise<BenchEntry[]> {
  const demo = new gr.Blocks(() => {
    const count = new gr.State(0);
    const x = new gr.Number();
    const total = new gr.Number();
    new gr.Button().click((n: number | null, c: number) => [c + (n ?? 0), c + (n ?? 0)], [x, count], [total, count], { apiName: "add", concurrencyLimit: null });
  });
  const server = await serve(demo, { port: 0 });
  const port = Number(new URL(server.url).port);
  const body = JSON.stringify({ data: [1], session_hash: "bench" });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  const echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks);
      res.writeHead(200, { "content-type": "application/json", "content-length": text.length });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const echoPort = (echo.address() as AddressInfo).port;
  const echoAgent = new Agent({ keepAlive: true, maxSockets: 1 });

  await postText(agent, port, "/gradio_api/run/add", body);
  const session = server.app.session("bench")!;

  const viaServer = async () => {
    for (let i = 0; i < CALLS; i++) {
      const text = await postText(agent, port, "/gradio_api/run/add", body);
      if (!text.startsWith('{"data":[')) throw new Error(`unexpected answer ${text}`);
    }
  };
  const inProcess = async () => {
    for (let i = 0; i < CALLS; i++) await session.run("add", [1]).result;
  };
  const viaEcho = async () => {
    for (let i = 0; i < CALLS; i++) await postText(echoAgent, echoPort, "/", body);
  };

  const [serverMs, callMs] = await timePair(viaServer, inProcess, CALLS, { warmup: 2, reps: 5 });
  const [serverMs2, echoMs] = await timePair(viaServer, viaEcho, CALLS, { warmup: 1, reps: 5 });
  agent.destroy();
  echoAgent.destroy();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await server.close();
  return [
    entry("server.predict_overhead_ratio", serverMs, "ms/round trip", callMs),
    entry("server.floor_ratio", serverMs2, "ms/round trip", echoMs, { on: "ratio", op: "<=", limit: 3 }),
  ];
}

/**
 * Change detection (issue 2, S50-S55): a 1,000-message Chatbot-style history (`{ role, content }`,
 * ~100 characters of content each) held in a watched State (it has a `.change` listener). A
 * click handler appends one message to the history in place and returns it; the engine must
 * notice the in-place change (S51) and run the `.change` listener.
 *
 * - `change.chat1k_ms`: ms per whole event (click → handler → change detection → `.change`
 *   listener → settled), nothing subtracted. Baseline: one `object-hash` of the same history
 *   (the "about 9 ms"). Target < 1 ms.
 *
 * Each repetition starts a fresh session whose history is initialised (read once) before the
 * clock starts, then times 50 events, so the history stays at 1,000-1,050 messages.
 *
 * @packageDocumentation
 */
import objectHash from "object-hash";
import * as gr from "../src/index";
import { entry, gc, median, msSince, now, settle, sink, type BenchEntry } from "./util";

export interface Message {
  role: "user" | "assistant";
  content: string;
}

export function message(i: number): Message {
  const text = `Message ${i}: the quick brown fox jumps over the lazy dog while the cat watches it. `;
  return { role: i % 2 === 0 ? "user" : "assistant", content: text.repeat(2).slice(0, 100) };
}

export function history(n: number): Message[] {
  return Array.from({ length: n }, (_, i) => message(i));
}

const MESSAGES = 1_000;
const EVENTS = 50;

export async function benchChange(): Promise<BenchEntry[]> {
  let chat!: gr.State<Message[]>;
  let send!: gr.Button;
  let length!: InstanceType<typeof gr.Number>;
  const demo = new gr.Blocks(() => {
    chat = new gr.State<Message[]>(() => history(MESSAGES));
    send = new gr.Button("Send");
    length = new gr.Number();
    send.click(
      (h) => {
        h.push(message(h.length));
        return h;
      },
      chat,
      chat,
    );
    chat.change((h) => h.length, chat, length);
  });
  const app = demo.launch(); // each repetition closes its session; the default capacity holds them

  const engineRound = async (): Promise<number> => {
    const session = await app.connect();
    session.get(chat); // initialise the slot (and its snapshot) outside the timed part
    await settle();
    const start = now();
    for (let i = 0; i < EVENTS; i++) {
      const result = await session.click(send);
      if (result.status !== "complete") throw new Error(`chat event ended ${result.status}`);
    }
    const ms = msSince(start) / EVENTS;
    if (session.get(length) !== MESSAGES + EVENTS) throw new Error("the .change listener missed in-place appends");
    await session.close();
    return ms;
  };

  const data = history(MESSAGES);
  const hashRound = (): number => {
    const start = now();
    for (let i = 0; i < 3; i++) sink.n += objectHash(data).length;
    return msSince(start) / 3;
  };

  for (let i = 0; i < 3; i++) {
    await engineRound();
    hashRound();
  }
  const engine: number[] = [];
  const hash: number[] = [];
  for (let r = 0; r < 9; r++) {
    gc();
    engine.push(await engineRound());
    gc();
    hash.push(hashRound());
  }
  await app.close();
  const value = median(engine);
  return [entry("change.chat1k_ms", value, "ms per event (1,000-message history)", median(hash), { on: "value", op: "<", limit: 1 })];
}

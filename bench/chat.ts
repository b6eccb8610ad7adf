/**
 * ChatInterface streaming (issue 14): the cost of one streamed yield of a ChatInterface reply
 * when the history already holds 200 messages (S102: each yield replaces the reply, so each
 * is a write of the whole history to the Chatbot).
 *
 * `chat.stream_token_us`: microseconds per yield, over a submit whose `fn` is a generator
 * yielding {@link YIELDS} growing replies. Baseline: a plain generator listener in the same
 * process that yields the same values (the 200 messages, the user message and the reply so
 * far) to a State. `chat.stream_ratio` is their ratio (target < 3).
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import { entry, timePair, type BenchEntry } from "./util";

const HISTORY = 200;
const YIELDS = 500;
/** Submits (and baseline clicks) per timed round. */
const TURNS = 10;

function history(): gr.ChatbotMessage[] {
  return Array.from({ length: HISTORY }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i}` }) as gr.ChatbotMessage);
}

export async function benchChat(): Promise<BenchEntry[]> {
  const start = history();

  function* stream(message: string) {
    let reply = "";
    for (let i = 0; i < YIELDS; i++) {
      reply += `${message} `;
      yield reply;
    }
  }
  const chat = new gr.ChatInterface({ fn: stream });
  const chatApp = chat.launch();
  const chatSession = await chatApp.connect();

  let state!: gr.State<gr.ChatbotMessage[]>, go!: gr.Button;
  const plain = new gr.Blocks(() => {
    state = new gr.State<gr.ChatbotMessage[]>([]);
    go = new gr.Button();
    go.click(
      function* streamToState(message: string) {
        const shown = [...start, { role: "user", content: message } as gr.ChatbotMessage];
        for (const reply of stream(message)) yield [...shown, { role: "assistant", content: reply } as gr.ChatbotMessage];
      }.bind(null, "tok"),
      undefined,
      state,
    );
  });
  const plainApp = plain.launch();
  const plainSession = await plainApp.connect();

  const engineRound = async () => {
    for (let t = 0; t < TURNS; t++) {
      // Back to 200 messages (an edit: a few µs per turn, under 0.1% of the round).
      await chatSession.input(chat.chatbot, start);
      await chatSession.input(chat.textbox, "tok");
      const result = await chatSession.submit(chat.textbox);
      const h = chatSession.get(chat.chatbot);
      if (result.status !== "complete" || h.length !== HISTORY + 2 || h[HISTORY + 1].content.length !== 4 * YIELDS) {
        throw new Error(`chat bench: unexpected result ${result.status}, ${h.length} messages`);
      }
    }
  };
  const baselineRound = async () => {
    for (let t = 0; t < TURNS; t++) {
      const result = await plainSession.click(go);
      if (result.status !== "complete" || plainSession.get(state).length !== HISTORY + 2) throw new Error("chat bench baseline failed");
    }
  };

  const [chatMs, stateMs] = await timePair(engineRound, baselineRound, YIELDS * TURNS, { warmup: 6, reps: 7 });
  await chatApp.close();
  await plainApp.close();
  const chatUs = chatMs * 1000;
  const stateUs = stateMs * 1000;
  return [
    entry("chat.stream_token_us", chatUs, "µs/yield (200-message history)", stateUs),
    entry("chat.stream_ratio", chatUs / stateUs, "× State write", 1, { on: "value", op: "<", limit: 3 }),
  ];
}

/**
 * Gradio's demo `chatinterface_streaming_echo`: a ChatInterface whose function streams its
 * reply one character at a time (S102); the stop button keeps what was streamed (S103).
 *
 * ```python
 * def slow_echo(message, history):
 *     for i in range(len(message)):
 *         time.sleep(0.05)
 *         yield "You typed: " + message[: i + 1]
 *
 * demo = gr.ChatInterface(slow_echo, type="messages")
 * ```
 *
 * The `time.sleep(0.05)` (which only imitates a slow model) becomes an optional `pause` the
 * scenario uses to stop the stream half-way, without timing anything.
 */
import * as gr from "blockstate";
import { flush, type Transcript } from "blockstate/testing";

export function create({ pause }: { pause?: (message: string, i: number) => Promise<void> } = {}) {
  async function* slowEcho(message: string, _history: gr.ChatbotMessage[]) {
    for (let i = 0; i < message.length; i++) {
      await pause?.(message, i);
      yield "You typed: " + message.slice(0, i + 1);
    }
  }
  const demo = new gr.ChatInterface({ fn: slowEcho, title: "Streaming echo" });
  return { demo };
}

export async function scenario(t: Transcript): Promise<void> {
  // Alice's "stop me" waits before its third character until the scenario lets it go.
  let release!: () => void;
  let waiting = false;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { demo } = create({
    pause: async (message, i) => {
      if (message !== "stop me" || i !== 2) return;
      waiting = true;
      await gate;
    },
  });
  t.launch(demo);
  t.name(demo.chatbot, "chat");
  t.name(demo.textbox, "message");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  const seen: string[] = [];
  const sub = bob.session.value$(demo.chatbot).subscribe((h) => {
    const last = h.at(-1);
    if (last?.role === "assistant") seen.push(last.content);
  });
  await bob.input(demo.textbox, "hey");
  await bob.submit(demo.textbox);
  sub.unsubscribe();
  t.expectEqual(seen.slice(0, 3), ["You typed: h", "You typed: he", "You typed: hey"], "each yield replaces bob's reply so far");
  t.expectEqual(bob.get(demo.chatbot).length, 2, "one user message and one reply");

  await alice.input(demo.textbox, "");
  const blank = await alice.submit(demo.textbox);
  t.expectEqual([blank.status, alice.get(demo.chatbot)], ["complete", []], "a blank message does nothing");

  await alice.input(demo.textbox, "stop me");
  const streaming = alice.submit(demo.textbox);
  for (let i = 0; i < 100 && !waiting; i++) await flush();
  await alice.click(demo.stopButton);
  release();
  t.expectEqual((await streaming).status, "cancelled", "the stop button cancels alice's stream");
  t.expectEqual(alice.sees(demo.chatbot).at(-1)?.content, "You typed: st", "the reply so far stays");
  t.expectEqual(bob.get(demo.chatbot).length, 2, "bob's chat is untouched");

  await alice.trigger(demo.chatbot, "retry");
  t.expectEqual(alice.get(demo.chatbot).at(-1)?.content, "You typed: stop me", "retry streams a whole new reply");
  await alice.trigger(demo.chatbot, "undo");
  t.expectEqual([alice.get(demo.chatbot), alice.get(demo.textbox)], [[], "stop me"], "undo takes the message back into the box");
  const nothing = await alice.trigger(demo.chatbot, "undo");
  t.check(nothing.status === "error" && /nothing to undo/.test(nothing.error?.message ?? ""), "undo with nothing to undo is an error");
}

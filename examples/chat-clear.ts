/**
 * Seed 004, "Accumulating chat history": the Chatbot itself holds the history; a ClearButton
 * empties it and the message box.
 *
 * ```python
 * def respond(message, chat_history):
 *     bot_message = random.choice(["How are you?", "Nice day!", "Interesting!"])
 *     chat_history.append({"role": "user", "content": message})
 *     chat_history.append({"role": "assistant", "content": bot_message})
 *     time.sleep(1)
 *     return "", chat_history
 *
 * with gr.Blocks() as demo:
 *     chatbot = gr.Chatbot()
 *     msg = gr.Textbox(placeholder="Type a message...")
 *     clear = gr.ClearButton([msg, chatbot])
 *
 *     msg.submit(respond, [msg, chatbot], [msg, chatbot])
 * ```
 *
 * The `time.sleep(1)` (which only imitates a slow model) is left out.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";
import { choice, seededRandom, DEFAULT_SEED } from "./shared/random";

export const BOT_MESSAGES = ["How are you?", "Nice day!", "Interesting!"];

export function create({ seed = DEFAULT_SEED }: { seed?: number } = {}) {
  const random = seededRandom(seed);

  function respond(message: string, chatHistory: gr.ChatMessage[]) {
    const botMessage = choice(random, BOT_MESSAGES);
    chatHistory.push({ role: "user", content: message });
    chatHistory.push({ role: "assistant", content: botMessage });
    return ["", chatHistory];
  }

  let chatbot!: gr.Chatbot;
  let msg!: gr.Textbox;
  let clear!: gr.ClearButton;
  const demo = new gr.Blocks(() => {
    chatbot = new gr.Chatbot();
    msg = new gr.Textbox({ placeholder: "Type a message..." });
    clear = new gr.ClearButton([msg, chatbot]);

    msg.submit(respond, [msg, chatbot], [msg, chatbot]);
  });
  return { demo, chatbot, msg, clear };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, chatbot, msg, clear } = create();
  t.launch(demo);
  t.name(msg, "msg");
  t.name(chatbot, "chatbot");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(msg, "Hi!");
  await alice.submit(msg);
  await alice.input(msg, "What's new?");
  await alice.submit(msg);
  await bob.input(msg, "Hello");
  await bob.submit(msg);
  t.expectEqual(alice.get(chatbot).filter((m) => m.role === "user").map((m) => m.content), ["Hi!", "What's new?"], "alice's history");
  t.check(alice.get(chatbot).filter((m) => m.role === "assistant").every((m) => BOT_MESSAGES.includes(m.content)), "the bot answered each message");
  t.expectEqual(alice.get(msg), "", "the message box is emptied after each submit");
  t.expectEqual(bob.get(chatbot).length, 2, "bob's history has his one exchange");

  await alice.input(msg, "draft");
  await alice.click(clear);
  t.expectEqual([alice.get(chatbot), alice.get(msg)], [[], ""], "Clear empties alice's chat and message box");
  t.expectEqual(bob.get(chatbot).length, 2, "bob's chat is untouched");
}

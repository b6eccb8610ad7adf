/**
 * Gradio's demo `chatinterface_system_prompt`, with `save_history=True`: additional inputs (a
 * system prompt and a token limit) passed after the history (S107), and this browser's
 * conversations kept in a BrowserState (S106).
 *
 * ```python
 * def echo(message, history, system_prompt, tokens):
 *     response = f"System prompt: {system_prompt}\n Message: {message}."
 *     for i in range(min(len(response), int(tokens))):
 *         time.sleep(0.05)
 *         yield response[: i + 1]
 *
 * demo = gr.ChatInterface(
 *     echo,
 *     type="messages",
 *     additional_inputs=[
 *         gr.Textbox("You are helpful AI.", label="System Prompt"),
 *         gr.Slider(10, 100),
 *     ],
 *     save_history=True,
 * )
 * ```
 *
 * The `time.sleep(0.05)` is left out.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function* echo(message: string, _history: gr.ChatbotMessage[], systemPrompt: string, tokens: number) {
    const response = `System prompt: ${systemPrompt}\n Message: ${message}.`;
    for (let i = 0; i < Math.min(response.length, Math.trunc(tokens)); i++) yield response.slice(0, i + 1);
  }
  const systemPrompt = new gr.Textbox({ value: "You are helpful AI.", label: "System Prompt" });
  const tokens = new gr.Slider({ minimum: 10, maximum: 100, label: "Tokens" });
  const demo = new gr.ChatInterface({ fn: echo, additionalInputs: [systemPrompt, tokens], saveHistory: true });
  return { demo, systemPrompt, tokens };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, systemPrompt, tokens } = create();
  t.launch(demo);
  t.name(demo.chatbot, "chat");
  t.name(demo.textbox, "message");
  t.name(demo.conversationList!, "chats");
  const storage = new gr.MemoryStorage();
  const alice = await t.user("alice", { storage });

  await alice.input(demo.textbox, "hi");
  await alice.submit(demo.textbox);
  t.expectEqual(alice.get(demo.chatbot).at(-1)?.content, "System pro", "the reply is cut to the slider's 10 tokens");

  await alice.input(tokens, 100);
  await alice.input(systemPrompt, "Be terse.");
  await alice.input(demo.textbox, "again");
  await alice.submit(demo.textbox);
  t.expectEqual(alice.get(demo.chatbot).at(-1)?.content, "System prompt: Be terse.\n Message: again.", "the additional inputs reach fn");

  await alice.click(demo.newChatButton!);
  await alice.input(demo.textbox, "second chat");
  await alice.submit(demo.textbox);
  t.expectEqual(alice.session.props(demo.conversationList!).choices, [["second chat", 0], ["hi", 1]], "both chats are listed, newest first");

  await alice.reload();
  t.expectEqual(alice.get(demo.chatbot), [], "a reload starts an empty chat");
  t.expectEqual(alice.get(demo.savedConversations!).length, 2, "the saved chats survive the reload");
  await alice.trigger(demo.conversationList!, "select", { index: 1 });
  t.expectEqual(alice.get(demo.chatbot).length, 4, "selecting the first chat loads its two turns");
  await alice.trigger(demo.chatbot, "clear");
  t.expectEqual(alice.get(demo.savedConversations!).map((h) => h[0].content), ["second chat"], "clear deletes that chat from the list");

  const other = await t.user("bob");
  t.expectEqual(other.get(demo.savedConversations!), [], "another browser has no saved chats");
}

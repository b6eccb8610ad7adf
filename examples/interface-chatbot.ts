/**
 * Seed 000 (and its older rendering 001), "Interface State › Session State": a chatbot whose
 * history is session state, with the `"state"` input and output of an Interface.
 *
 * ```python
 * def chat(message, history):
 *     history = history or []
 *     message = message.lower()
 *     if message.startswith("how many"):
 *         response = random.randint(1, 10)
 *     elif message.startswith("how"):
 *         response = random.choice(["Great", "Good", "Okay", "Bad"])
 *     elif message.startswith("where"):
 *         response = random.choice(["Here", "There", "Somewhere"])
 *     else:
 *         response = "I don't know"
 *     history.append((message, response))
 *     return history, history
 *
 * chatbot = gr.Chatbot().style(color_map=("green", "pink"))
 * demo = gr.Interface(chat, ["text", "state"], [chatbot, "state"], allow_flagging="never")
 * ```
 *
 * The history stays in the old tuples format, as in the original; the Chatbot converts it to
 * messages when it is written. `.style(color_map=...)` and `allow_flagging` are rendering
 * options with no headless meaning and are left out. `randint` gives a number; a chat message is
 * text, so it is converted with `String`.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";
import { choice, randint, seededRandom, DEFAULT_SEED } from "./shared/random";

/** One exchange: `[userMessage, botResponse]` (Gradio's tuples format). */
export type Exchange = [string, string];

export function create({ seed = DEFAULT_SEED }: { seed?: number } = {}) {
  // Python's module-level `random`: one generator shared by every user of the app.
  const random = seededRandom(seed);

  function chat(message: string, history: Exchange[] | null) {
    history = history ?? [];
    message = message.toLowerCase();
    let response: string;
    if (message.startsWith("how many")) response = String(randint(random, 1, 10));
    else if (message.startsWith("how")) response = choice(random, ["Great", "Good", "Okay", "Bad"]);
    else if (message.startsWith("where")) response = choice(random, ["Here", "There", "Somewhere"]);
    else response = "I don't know";
    history.push([message, response]);
    return [history, history];
  }

  const chatbot = new gr.Chatbot();
  const demo = new gr.Interface({ fn: chat, inputs: ["text", "state"], outputs: [chatbot, "state"] });
  const message = demo.inputComponents[0] as gr.Textbox;
  const history = demo.inputComponents[1] as gr.State<Exchange[] | null>;
  return { demo, message, history, chatbot, submit: demo.submitButton };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, message, history, chatbot, submit } = create();
  t.launch(demo);
  t.name(message, "message");
  t.name(history, "history");
  t.name(chatbot, "chatbot");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(message, "How are you?");
  await alice.click(submit);
  await bob.input(message, "Where are you?");
  await bob.submit(message); // Enter in the textbox submits too
  await alice.input(message, "How many cats do you have?");
  await alice.click(submit);

  const aliceChat = alice.get(chatbot);
  t.expectEqual(aliceChat.filter((m) => m.role === "user").map((m) => m.content), ["how are you?", "how many cats do you have?"], "alice's chat holds only her (lower-cased) messages");
  t.check(["Great", "Good", "Okay", "Bad"].includes(aliceChat[1]?.content), `"how ..." gets a mood reply (${aliceChat[1]?.content})`);
  const count = Number(aliceChat[3]?.content);
  t.check(Number.isInteger(count) && count >= 1 && count <= 10, `"how many ..." gets a number from 1 to 10 (${aliceChat[3]?.content})`);
  t.expectEqual(bob.get(chatbot).map((m) => m.role), ["user", "assistant"], "bob's chat holds his one exchange only");
  t.check(["Here", "There", "Somewhere"].includes(bob.get(chatbot)[1]?.content), "\"where ...\" gets a place");
  t.expectEqual(alice.get(history)?.length, 2, "alice's history state holds her 2 exchanges as tuples");

  await alice.reload();
  t.expectEqual(alice.get(history), null, "after a refresh alice's history state is back to its default, null");
  t.expectEqual(alice.get(chatbot), [], "and her chatbot is empty");
  t.expectEqual(bob.get(chatbot).length, 2, "bob's chat is unaffected");
}

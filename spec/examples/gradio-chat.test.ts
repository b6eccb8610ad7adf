import * as chatStreamingEcho from "../../examples/chat-streaming-echo";
import * as chatSystemPrompt from "../../examples/chat-system-prompt";
import { runScenario, withApp } from "./helpers";

describe("gradio demo chatinterface_streaming_echo", () => {
  it("the scenario's checks all hold", async () => {
    expect((await runScenario(chatStreamingEcho.scenario)).failures).toEqual([]);
  });

  it("ends with the whole echo", async () => {
    const { demo } = chatStreamingEcho.create();
    await withApp(demo, async (app) => {
      const s = await app.connect();
      await s.input(demo.textbox, "abc");
      await s.submit(demo.textbox);
      expect(s.get(demo.chatbot)).toEqual([
        { role: "user", content: "abc" },
        { role: "assistant", content: "You typed: abc" },
      ]);
    });
  });
});

describe("gradio demo chatinterface_system_prompt (with save_history)", () => {
  it("the scenario's checks all hold", async () => {
    expect((await runScenario(chatSystemPrompt.scenario)).failures).toEqual([]);
  });

  it("passes the system prompt and the token limit to fn", async () => {
    const { demo, systemPrompt, tokens } = chatSystemPrompt.create();
    await withApp(demo, async (app) => {
      const s = await app.connect();
      await s.input(systemPrompt, "P");
      await s.input(tokens, 12);
      await s.input(demo.textbox, "m");
      await s.submit(demo.textbox);
      expect(s.get(demo.chatbot).at(-1)?.content).toBe("System promp");
      expect(s.get(demo.savedConversations!)).toEqual([s.get(demo.chatbot)]);
    });
  });
});

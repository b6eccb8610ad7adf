import * as scoreTracker from "../../examples/score-tracker";
import * as interfaceChatbot from "../../examples/interface-chatbot";
import { runScenario, withApp } from "./helpers";

describe("seed 000 score tracker (Interface, global state)", () => {
  it("seed 000 score tracker: the scenario's checks all hold", async () => {
    const t = await runScenario(scoreTracker.scenario);
    expect(t.failures).toEqual([]);
    expect(t.lines.length).toBeGreaterThan(4);
  });

  it("seed 000 score tracker: every user's score joins one shared list; each sees the top 3 at their own submit", async () => {
    const { demo, score, topScores, submit, scores } = scoreTracker.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(score, 10);
      expect(await a.click(submit)).toEqual({ status: "complete" });
      await b.input(score, 30);
      await b.click(submit);
      await a.input(score, 20);
      await a.click(submit);
      await b.input(score, 5);
      await b.click(submit);
      expect(scores).toEqual([10, 30, 20, 5]);
      expect(a.get(topScores)).toEqual([30, 20, 10]);
      expect(b.get(topScores)).toEqual([30, 20, 10]);
    });
  });

  it("seed 000 score tracker: two apps do not share the list", async () => {
    const first = scoreTracker.create();
    const second = scoreTracker.create();
    await withApp(first.demo, async (app) => {
      const s = await app.connect();
      await s.input(first.score, 1);
      await s.click(first.submit);
    });
    expect(first.scores).toEqual([1]);
    expect(second.scores).toEqual([]);
  });
});

describe("seed 000 chatbot (Interface, session state)", () => {
  it("seed 000 chatbot: the scenario's checks all hold", async () => {
    const t = await runScenario(interfaceChatbot.scenario);
    expect(t.failures).toEqual([]);
  });

  it("seed 000 chatbot: each session keeps its own history; tuples become messages", async () => {
    const { demo, message, history, chatbot, submit } = interfaceChatbot.create({ seed: 7 });
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(message, "Hello");
      await a.click(submit);
      await b.input(message, "Where?");
      await b.submit(message);
      await a.input(message, "Bye");
      await a.click(submit);
      expect(a.get(history)).toEqual([
        ["hello", "I don't know"],
        ["bye", "I don't know"],
      ]);
      expect(a.get(chatbot)).toEqual([
        { role: "user", content: "hello" },
        { role: "assistant", content: "I don't know" },
        { role: "user", content: "bye" },
        { role: "assistant", content: "I don't know" },
      ]);
      expect(b.get(history)).toHaveLength(1);
      expect(["Here", "There", "Somewhere"]).toContain(b.get(history)![0][1]);
      const fresh = await a.reload();
      expect(fresh.get(history)).toBeNull();
      expect(fresh.get(chatbot)).toEqual([]);
    });
  });

  it("seed 000 chatbot: the same seed gives the same replies", async () => {
    const replies = async () => {
      const { demo, message, chatbot, submit } = interfaceChatbot.create({ seed: 42 });
      return withApp(demo, async (app) => {
        const s = await app.connect();
        for (const text of ["How are you", "How many?", "Where now"]) {
          await s.input(message, text);
          await s.click(submit);
        }
        return s.get(chatbot).map((m) => m.content);
      });
    };
    expect(await replies()).toEqual(await replies());
  });
});
